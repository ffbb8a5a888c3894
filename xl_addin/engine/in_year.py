"""Rules for measures that start again each financial year (the `year_to_date` calculations).

A year-to-date figure in April is one month's worth; set beside March's whole year it looks like
a collapse, and a trend drawn through both points heads for zero. So, for these measures only:

- a target belongs to the financial year it falls due in: the target in force is the first one
  due on or after the month *within the same year*, else there is none (`No target`);
- the forecast uses only the year's own months: a running total is projected at the year's
  average monthly rate so far (never below the total already reached), a projected rate per
  10,000 is already that projection, and a year-to-date percentage follows the least-squares
  trend of the year's values (with fewer than two, the actual value is rated);
- a running total is compared with the same month a year earlier; the other year-to-date
  figures with the previous month, except in the year's first month (or quarter), which is
  compared with the same month a year earlier.
"""

from __future__ import annotations

import numpy as np

from .calculations import CALCULATIONS

RUNNING_TOTAL = "cumulative_in_year"
PROJECTED_RATE = "projected_in_year_rate_per_10k"


def resets_each_year(calculation: str) -> bool:
    """True for calculations summed over the financial year to date."""
    return CALCULATIONS[calculation].window == "year_to_date"


def trend_points(months: np.ndarray, calculation: str, window: int, start_month: int) -> np.ndarray:
    """Positions in `months` (a measure's periods, ending at the rated one) that its trend is
    fitted to: the last `window`, and for a year-to-date measure only those of the rated period's
    financial year. Blanks among them stay in; the fit leaves them out."""
    recent = np.arange(max(len(months) - window, 0), len(months))
    if resets_each_year(calculation) and len(recent):
        fy = fy_of(months[recent], start_month)
        recent = recent[fy == fy[-1]]
    return recent


def fy_of(dates: np.ndarray, start_month: int) -> np.ndarray:
    """The financial year (the calendar year it starts in) of datetime64 dates; -1 for NaT."""
    d = np.asarray(dates, dtype="datetime64[M]")
    ym = d.astype("int64")
    year, month = ym // 12 + 1970, ym % 12 + 1
    out = np.where(month >= start_month, year, year - 1)
    return np.where(np.isnat(d), -1, out)


def months_elapsed(dates: np.ndarray, start_month: int) -> np.ndarray:
    """1 for the first month of the financial year, 12 for the last."""
    ym = np.asarray(dates, dtype="datetime64[M]").astype("int64")
    return (ym % 12 + 1 - start_month) % 12 + 1


def same_year_targets(
    dates: np.ndarray, values: np.ndarray, months: np.ndarray, start_month: int
) -> tuple[np.ndarray, np.ndarray]:
    """Targets in force for a year-to-date measure: the first due on or after each month in the
    same financial year, NaN/NaT where the year has none left."""
    n = len(months)
    none = np.full(n, np.nan), np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if len(dates) == 0 or n == 0:
        return none
    idx = np.searchsorted(dates, months, side="left")
    found = idx < len(dates)
    idx = np.minimum(idx, len(dates) - 1)
    due = dates[idx]
    ok = found & (fy_of(due, start_month) == fy_of(months, start_month))
    return np.where(ok, values[idx], np.nan), np.where(ok, due, none[1])


def trajectory(
    months: np.ndarray,
    in_force: np.ndarray,
    due: np.ndarray,
    target_dates: np.ndarray,
    target_values: np.ndarray,
    start_month: int,
) -> np.ndarray:
    """A running total's target as a line: from zero at the start of the year, straight to each
    target of the year at its due date (so a year-end target of 120 is 60 at the half year).

    A flat line at 120 from April would show the measure under target until February.
    """
    out = np.full(len(months), np.nan)
    fy_month, elapsed = fy_of(months, start_month), months_elapsed(months, start_month)
    fy_target = fy_of(target_dates, start_month)
    target_elapsed = months_elapsed(target_dates, start_month)
    for i in np.flatnonzero(np.isfinite(in_force)):
        earlier = np.flatnonzero((fy_target == fy_month[i]) & (target_dates < due[i]))
        start_value, start_at = (
            (float(target_values[earlier[-1]]), int(target_elapsed[earlier[-1]]))
            if len(earlier)
            else (0.0, 0)
        )
        end_at = int(months_elapsed(np.array([due[i]]), start_month)[0])
        share = (elapsed[i] - start_at) / (end_at - start_at)
        out[i] = start_value + (in_force[i] - start_value) * share
    return out


def running_total_forecast(total: float, month, due, start_month: int) -> float:
    """The year-to-date total at the due date, at the year's average monthly rate so far."""
    elapsed = int(months_elapsed(np.array([month]), start_month)[0])
    at_due = int(months_elapsed(np.array([due]), start_month)[0])
    return total * at_due / elapsed


def comparison_offset(calculation: str, elapsed: int, step: int) -> int:
    """How many months back a measure's figure is compared with ("previous" and direction).

    `step` is 1 for monthly measures and 3 for quarterly ones.
    """
    if calculation == RUNNING_TOTAL:
        return 12
    if resets_each_year(calculation) and elapsed <= step:
        return 12
    return step
