"""What the input sheets must hold (design §3): names, columns, allowed words, settings."""

from __future__ import annotations

from ..engine.calculations import CALCULATIONS
from ..engine.rag import GAP_RATINGS, POLARITIES, TOLERANCES

SETTINGS, MEASURES, DATA, TARGETS = "Settings", "Measures", "Data", "Targets"
INPUT_SHEETS = (SETTINGS, MEASURES, DATA, TARGETS)
SPC_PERIODS = "SPC periods"  # optional: when a measure's SPC limits start again or stay fixed
READ_SHEETS = (*INPUT_SHEETS, SPC_PERIODS)  # every sheet xl_addin reads

SETTINGS_COLUMNS = ("Setting", "Value")
MEASURE_COLUMNS = (
    "id",
    "title",
    "section",
    "calculation",
    "numerator",
    "denominator",
    "polarity",
    "chart",
    "frequency",
    "section_short",
)
# A section's chart sheet is "Charts - <section>"; Excel allows 31 characters in a sheet name.
SECTION_SHORT_MAX = 31 - len("Charts - ")
REQUIRED_MEASURE_COLUMNS = ("id", "title", "section", "calculation", "numerator", "polarity")
TARGET_COLUMNS = ("measure", "date", "target")
DATA_FIELD_HEADER = "field"

CALCULATION_NAMES = tuple(CALCULATIONS)
CHARTS = ("line", "column", "spc", "none")
FREQUENCIES = ("monthly", "quarterly")
BASES = ("forecast", "actual")

__all__ = [
    "BASES",
    "CALCULATION_NAMES",
    "CHARTS",
    "DATA",
    "FREQUENCIES",
    "GAP_RATINGS",
    "INPUT_SHEETS",
    "MEASURES",
    "POLARITIES",
    "SETTINGS",
    "TARGETS",
    "TOLERANCES",
]
