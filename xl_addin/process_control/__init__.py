"""Statistical process control in the style of NHS England's Making Data Count (MDC).

Pure numpy/pandas, no Excel: the engine, renderers, worksheet functions and the Python API all
read a measure through `spc()`, so every surface shows the same variation and assurance.

    from xl_addin.process_control import spc, SpcSettings, parse_spc_settings, spc_validity
    r = spc(values, "up", target=0.8)             # one measure's series, oldest first
    r.variation, r.assurance, r.points, r.mean, r.upper, r.lower

The package is named apart from the function `xl_addin.spc` (the Python API), so both can be
imported and patched by their dotted names.
"""

from .chart import RULE_NAMES, SpcResult, partition_positions, spc
from .icons import (
    ASSURANCES,
    COLOURS,
    IMPROVEMENTS,
    LETTERS,
    POINT_KINDS,
    VARIATIONS,
    WORDS,
    colour,
    improvement_direction,
    too_few_points,
    words,
)
from .settings import SETTING_NAMES, SpcSettings, parse_spc_settings
from .validity import not_used_label, spc_calculations, spc_validity

__all__ = [
    "ASSURANCES",
    "COLOURS",
    "IMPROVEMENTS",
    "LETTERS",
    "POINT_KINDS",
    "RULE_NAMES",
    "SETTING_NAMES",
    "VARIATIONS",
    "WORDS",
    "SpcResult",
    "SpcSettings",
    "colour",
    "improvement_direction",
    "not_used_label",
    "parse_spc_settings",
    "partition_positions",
    "spc",
    "spc_calculations",
    "spc_validity",
    "too_few_points",
    "words",
]
