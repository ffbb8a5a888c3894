"""Month headers as analysts type them: Excel dates, serial numbers, or text like `Sep-22`."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd

from ..engine.periods import month_end

ACCEPTED_FORMS = (
    "a date, or text such as 2022-09-30, 30/09/2022, Sep-22, Sep 2022 or September 2022"
)

_MONTHS = {
    name.lower(): i
    for i in range(1, 13)
    for name in (dt.date(2000, i, 1).strftime("%b"), dt.date(2000, i, 1).strftime("%B"))
}
_MONTHS["sept"] = 9

_ISO = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[ T]00:00(?::00)?)?$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")
_MON_YEAR = re.compile(r"^([A-Za-z]{3,9})\.?[-\s/']*(\d{4}|\d{2})$")


def today() -> pd.Timestamp:
    """Today's date: months after this one cannot have figures yet (tests replace this)."""
    return pd.Timestamp(dt.date.today())


# Excel serial numbers for 1 Jan 1950 and 31 Dec 2149: a number outside this is not a month header.
_SERIAL_MIN, _SERIAL_MAX = 18264, 91312


def parse_month(value: Any) -> pd.Timestamp | None:
    """The month end a header means, or None when it is not a recognisable month."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return month_end(pd.Timestamp(value))
    if isinstance(value, (int, float)):
        if _SERIAL_MIN <= value <= _SERIAL_MAX:
            return month_end(pd.Timestamp("1899-12-30") + pd.Timedelta(days=int(value)))
        return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if m := _ISO.match(text):
            year, month = int(m.group(1)), int(m.group(2))
            day = int(m.group(3) or 1)
            return month_end(pd.Timestamp(year=year, month=month, day=day))
        if m := _UK.match(text):
            day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            year += 2000 if year < 100 else 0
            return month_end(pd.Timestamp(year=year, month=month, day=day))
        if m := _MON_YEAR.match(text):
            month = _MONTHS.get(m.group(1).lower())
            if month is None:
                return None
            year = int(m.group(2))
            year += 2000 if year < 100 else 0
            return month_end(pd.Timestamp(year=year, month=month, day=1))
    except ValueError:  # 31/02/2022 and the like
        return None
    return None
