"""Cell values and number formats: pandas results into what a cell holds.

Blanks stay blank (never 0), dates become naive datetimes, and each unit has one number format
so the same measure looks the same on every sheet.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..engine.formatting import UNIT_DECIMALS
from .plan import Value

if TYPE_CHECKING:
    from ..engine.models import Results


def number_format(unit: str, decimals: int | None = None) -> str:
    """The cell format for a measure: the engine's one rounding rule (formatting.py), so a
    figure reads the same on every sheet, in the board pack and in the commentary."""
    places = UNIT_DECIMALS.get(unit, 1) if decimals is None else decimals
    point = "." + "0" * places if places else ""
    return f"0{point}%" if unit == "percent" else f"#,##0{point}"


def measure_formats(results: Results) -> dict[str, str]:
    """Each measure's cell format, by measure id."""
    card = results.scorecard
    return {
        mid: number_format(u, int(d))
        for mid, u, d in zip(card["measure_id"], card["unit"], card["decimals"], strict=True)
    }


AXIS_FORMATS = {"percent": "0%", "rate": "#,##0", "ratio": "#,##0", "count": "#,##0"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DATE_FORMAT = "dd/mm/yyyy"
MONTH_FORMAT = "mmm-yy"


def cell_value(x: Any) -> Value:
    """NaN/NaT/None/'' -> None; Timestamp -> datetime; numpy scalars -> Python numbers."""
    if x is None or x is pd.NaT:
        return None
    if isinstance(x, pd.Timestamp):
        return x.to_pydatetime().replace(tzinfo=None)
    if isinstance(x, dt.datetime):
        return x
    if isinstance(x, dt.date):
        return dt.datetime(x.year, x.month, x.day)
    if isinstance(x, str):
        return x or None
    if isinstance(x, bool):
        return x
    if hasattr(x, "item"):
        x = x.item()
    if isinstance(x, float) and math.isnan(x):
        return None
    return x


def month_header(month: pd.Timestamp) -> str:
    """'Oct-21': table headers must be text; this matches the mmm-yy axis labels (English
    month names whatever the process locale)."""
    return f"{_MONTHS[month.month - 1]}-{month.year % 100:02d}"
