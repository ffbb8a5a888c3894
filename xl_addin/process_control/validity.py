"""Which measures SPC is valid for: in-month figures with enough points.

A year-to-date or rolling figure repeats the months before it, so neighbouring points are not
independent (autocorrelated) and their limits would be too narrow; a year-to-date one also
restarts each financial year. MDC's advice is to chart the in-month values instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.calculations import CALCULATIONS
from .icons import too_few_points


@dataclass(frozen=True)
class _NotValid:
    label: str  # what the Scorecard's Variation and Assurance columns say
    reason: str  # why, in a sentence


_NOT_VALID = {
    "year_to_date": _NotValid(
        "Not used: in-year figure",
        "SPC not valid: a year-to-date figure carries the earlier months of the year and "
        "restarts each financial year, so its points are not independent",
    ),
    "twelve_months": _NotValid(
        "Not used: rolling figure",
        "SPC not valid: a rolling 12-month figure shares most of its months with the one "
        "before, so its points are not independent",
    ),
}


def _not_valid(calculation: str) -> _NotValid | None:
    if calculation not in CALCULATIONS:
        raise ValueError(f"unknown calculation {calculation!r} (known: {', '.join(CALCULATIONS)})")
    return _NOT_VALID.get(CALCULATIONS[calculation].window)


def not_used_label(calculation: str) -> str | None:
    """The Scorecard's words for a calculation SPC is never used for (None: it may be used)."""
    found = _not_valid(calculation)
    return found.label if found else None


def spc_validity(calculation: str, n_points: int | None = None, min_points: int = 13) -> str | None:
    """None when SPC is valid for a measure; otherwise why not, in words for the Scorecard.

    Decided by the calculation's window (in-month figures only: `value`, `percent`,
    `rate_per_10k`, `ratio`), then by the number of non-blank points, if given.

    >>> spc_validity("percent", 24) is None
    True
    >>> spc_validity("percent", 12)
    'too few points (n < 13)'
    """
    found = _not_valid(calculation)
    if found:
        return found.reason
    if n_points is not None and n_points < min_points:
        return too_few_points(min_points)
    return None


def spc_calculations() -> tuple[str, ...]:
    """The calculations SPC can be valid for (in-month ones), in CALCULATIONS order."""
    return tuple(name for name, c in CALCULATIONS.items() if c.window not in _NOT_VALID)
