"""The measure calculations of design §3, vectorised over every measure and month at once.

Each calculation is defined here once; every surface (CLI, refresh, export, worksheet functions)
gets its numbers from these functions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


@dataclass(frozen=True)
class Calculation:
    """How a measure turns its fields into a monthly figure."""

    name: str
    unit: str  # percent | count | rate | ratio
    needs_denominator: bool
    needs_population: bool
    window: str  # month | year_to_date | twelve_months
    formula: str  # plain-English definition, shown on Definitions sheets and in explanations


CALCULATIONS: dict[str, Calculation] = {
    c.name: c
    for c in [
        Calculation("value", "count", False, False, "month", "numerator in the month"),
        Calculation(
            "percent", "percent", True, False, "month", "numerator ÷ denominator in the month"
        ),
        Calculation(
            "percent_value",
            "percent",
            False,
            False,
            "month",
            "the field's figure in the month, already a percentage (0.82 for 82%)",
        ),
        Calculation(
            "rolling_in_year_percent",
            "percent",
            True,
            False,
            "year_to_date",
            "Σ numerator ÷ Σ denominator over the financial year to date",
        ),
        Calculation(
            "rolling_12_month_percent",
            "percent",
            True,
            False,
            "twelve_months",
            "Σ numerator ÷ Σ denominator over the 12 months to date",
        ),
        Calculation(
            "cumulative_in_year",
            "count",
            False,
            False,
            "year_to_date",
            "Σ numerator over the financial year to date",
        ),
        Calculation(
            "rate_per_10k",
            "rate",
            False,
            True,
            "month",
            "numerator ÷ population aged 0-17 × 10,000",
        ),
        Calculation(
            "projected_in_year_rate_per_10k",
            "rate",
            False,
            True,
            "year_to_date",
            "Σ numerator over the financial year to date × 12 ÷ months elapsed"
            " ÷ population aged 0-17 × 10,000",
        ),
        Calculation("ratio", "ratio", True, False, "month", "numerator ÷ denominator in the month"),
    ]
}


def _year_to_date_sum(x: np.ndarray, fy: np.ndarray) -> np.ndarray:
    """Running sum within each financial year; a blank month blanks the rest of its year."""
    out = np.empty_like(x)
    starts = np.flatnonzero(np.r_[True, fy[1:] != fy[:-1]])
    ends = np.r_[starts[1:], len(fy)]
    for a, b in zip(starts, ends, strict=True):
        out[:, a:b] = np.cumsum(x[:, a:b], axis=1)  # NaN propagates forward, as it should
    return out


def _trailing_sum(x: np.ndarray, n: int) -> np.ndarray:
    """Sum of the last n periods; blank unless all n are present."""
    out = np.full_like(x, np.nan)
    if x.shape[1] >= n:
        out[:, n - 1 :] = sliding_window_view(x, n, axis=1).sum(axis=2)
    return out


def _divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den == 0, np.nan, num / den)


def evaluate(
    calculations: np.ndarray,
    numerators: np.ndarray,
    denominators: np.ndarray,
    fy: np.ndarray,
    elapsed: np.ndarray,
    periods_per_year: int,
    population: float | None,
) -> np.ndarray:
    """Values for a block of measures (rows) over consecutive periods (columns).

    `fy` names each column's financial year and `elapsed` its months elapsed in that year.
    Columns must start early enough to cover every window (the caller pads with NaN).
    """
    out = np.full(numerators.shape, np.nan)
    pop = np.nan if not population else float(population)
    for name in np.unique(calculations):
        rows = calculations == name
        n, d = numerators[rows], denominators[rows]
        if name in ("value", "percent_value"):
            v = n
        elif name in ("percent", "ratio"):
            v = _divide(n, d)
        elif name == "rolling_in_year_percent":
            v = _divide(_year_to_date_sum(n, fy), _year_to_date_sum(d, fy))
        elif name == "rolling_12_month_percent":
            v = _divide(_trailing_sum(n, periods_per_year), _trailing_sum(d, periods_per_year))
        elif name == "cumulative_in_year":
            v = _year_to_date_sum(n, fy)
        elif name == "rate_per_10k":
            v = n / pop * 10_000
        elif name == "projected_in_year_rate_per_10k":
            v = _year_to_date_sum(n, fy) * 12 / elapsed / pop * 10_000
        else:  # the contract reader rejects unknown names before we get here
            raise ValueError(f"unknown calculation {name!r}")
        out[rows] = v
    return out
