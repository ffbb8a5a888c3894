"""Incremental targets: which one is in force, and the trend forecast to its date (design §3)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .periods import month_ordinal


def target_in_force(dates: np.ndarray, values: np.ndarray, months: pd.DatetimeIndex):
    """For each month: the first target due on or after it; after the last, the last one.

    Returns (targets, due dates) aligned with months; NaN/NaT when the measure has no targets.
    """
    n = len(months)
    if len(dates) == 0:
        return np.full(n, np.nan), np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    idx = np.searchsorted(dates, months.to_numpy(dtype="datetime64[ns]"), side="left")
    idx = np.minimum(idx, len(dates) - 1)
    return values[idx], dates[idx]


def trend_forecast(
    months: list[pd.Timestamp], values: list[float], at: pd.Timestamp, clamp_percent: bool
) -> float | None:
    """Least-squares line through (month, value) evaluated at `at`; None with fewer than 2 points.

    Clamped to 0-100% for percentages and to zero or more otherwise, because a straight line
    happily forecasts impossible figures.
    """
    pts = [(month_ordinal(m), v) for m, v in zip(months, values, strict=True) if np.isfinite(v)]
    if len(pts) < 2:
        return None
    x = np.array([p[0] for p in pts], dtype=float)
    y = np.array([p[1] for p in pts], dtype=float)
    if np.ptp(x) == 0:
        return None
    dx = x - x.mean()
    slope = float((dx * (y - y.mean())).sum() / (dx * dx).sum())
    value = float(y.mean() + slope * (month_ordinal(at) - x.mean()))
    value = max(value, 0.0)
    if clamp_percent:
        value = min(value, 1.0)
    return value
