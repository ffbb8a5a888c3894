"""Months, financial years and quarters: the calendar every KPI is computed on."""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

import numpy as np
import pandas as pd


def month_end(value: pd.Timestamp | dt.date | str) -> pd.Timestamp:
    """Any date in a month -> that month's last day (midnight)."""
    d = value if isinstance(value, dt.date) else pd.Timestamp(value)
    return _month_end(d.year, d.month)


@lru_cache(maxsize=4096)
def _month_end(year: int, month: int) -> pd.Timestamp:
    return pd.Timestamp(year, month, calendar.monthrange(year, month)[1])


def month_ordinal(ts: pd.Timestamp) -> int:
    """A month's position on a plain integer axis (used for trends)."""
    return ts.year * 12 + ts.month - 1


def month_range(first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    """Every month end from first to last inclusive."""
    return pd.date_range(month_end(first), month_end(last), freq="ME")


def fy_start(ts: pd.Timestamp, start_month: int) -> pd.Timestamp:
    """Month end of the first month of the financial year containing ts."""
    year = ts.year if ts.month >= start_month else ts.year - 1
    return month_end(pd.Timestamp(year=year, month=start_month, day=1))


def fy_label(ts: pd.Timestamp, start_month: int) -> str:
    """'2022-23' for April-start years, '2022' for calendar years."""
    start = fy_start(ts, start_month)
    if start_month == 1:
        return str(start.year)
    return f"{start.year}-{(start.year + 1) % 100:02d}"


def fy_keys(months: pd.DatetimeIndex, start_month: int) -> np.ndarray:
    """An integer per month naming its financial year (the year it starts in)."""
    years = months.year.to_numpy()
    return np.where(months.month.to_numpy() >= start_month, years, years - 1)


def months_elapsed_in_fy(months: pd.DatetimeIndex, start_month: int) -> np.ndarray:
    """1 for the first month of the financial year, 12 for the last."""
    return (months.month.to_numpy() - start_month) % 12 + 1


def is_quarter_end(months: pd.DatetimeIndex, start_month: int) -> np.ndarray:
    """True for the last month of each financial-year quarter (Jun, Sep, Dec, Mar for April)."""
    return months_elapsed_in_fy(months, start_month) % 3 == 0


MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def uk_date(ts: pd.Timestamp) -> str:
    """31 August 2022: the style UK council reports use."""
    return f"{ts.day} {uk_month(ts)}"


def uk_month(ts: pd.Timestamp) -> str:
    """August 2022, in English whatever the machine's locale (strftime's %B is not)."""
    return f"{MONTH_NAMES[ts.month - 1]} {ts.year}"


def short_month(ts: pd.Timestamp) -> str:
    """Aug 2022: for table cells where a full month name is too wide."""
    return f"{MONTH_NAMES[ts.month - 1][:3]} {ts.year}"
