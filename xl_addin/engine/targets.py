"""Incremental targets: which one is in force, and the trend forecast to its date (design §3)."""

from __future__ import annotations

import numpy as np


def target_in_force(dates: np.ndarray, values: np.ndarray, months: np.ndarray):
    """For each month: the first target due on or after it; after the last, the last one.

    Returns (targets, due dates) aligned with months; NaN/NaT when the measure has no targets.
    """
    n = len(months)
    if len(dates) == 0:
        return np.full(n, np.nan), np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    idx = np.searchsorted(dates, months, side="left")
    idx = np.minimum(idx, len(dates) - 1)
    return values[idx], dates[idx]


def trend_forecast(
    ordinals: np.ndarray, values: np.ndarray, at: int, clamp_percent: bool
) -> float | None:
    """Least-squares line through (month ordinal, value) at ordinal `at`; None with < 2 points.

    Clamped to 0-100% for percentages and to zero or more otherwise, because a straight line
    happily forecasts impossible figures.
    """
    pts = [(float(x), float(y)) for x, y in zip(ordinals, values, strict=True) if y == y]
    if len(pts) < 2:
        return None
    # plain Python: a handful of points, where numpy's per-call overhead would dominate
    n = len(pts)
    mx = sum(x for x, _ in pts) / n
    my = sum(y for _, y in pts) / n
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    slope = sum((x - mx) * (y - my) for x, y in pts) / sxx
    value = my + slope * (at - mx)
    value = max(value, 0.0)
    if clamp_percent:
        value = min(value, 1.0)
    return value
