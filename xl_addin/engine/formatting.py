"""Numbers as a UK performance report writes them: 2,393; 82.4%; 188.8; −4.6%.

One rounding rule for every surface: percentages and rates to one decimal place, counts to whole
numbers (one decimal for a measure whose figures are not whole). Sheets, the board pack, the
commentary and the command line all show a figure with `decimals_for` places, and direction of
travel compares figures as shown, so two figures that look equal never carry a change.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

MINUS = "−"  # U+2212, as typeset reports use

# Places after the decimal point, in the unit as shown (percentage points for percentages).
UNIT_DECIMALS = {"percent": 1, "rate": 1, "ratio": 1, "count": 0}


def decimals_for(unit: str, values: Iterable[float] = ()) -> int:
    """Decimal places for a measure: its unit's, or one for counts that are not whole."""
    places = UNIT_DECIMALS.get(unit, 1)
    if unit == "count":
        v = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, float)
        v = v[np.isfinite(v)]
        if np.any(v != np.round(v)):
            return 1
    return places


def shown(value, unit: str, decimals: int | None = None):
    """The value as displayed (a fraction for percentages), rounded half away from zero.

    Works on scalars and numpy arrays. The value is first rounded to 9 places, as RAG
    boundaries are, so binary noise (0.2465 stored as 0.24649999...) rounds as a person would.
    """
    places = UNIT_DECIMALS.get(unit, 1) if decimals is None else decimals
    scale = 10.0 ** (places + (2 if unit == "percent" else 0))
    if isinstance(value, (int, float, np.floating)):  # one figure: plain Python is faster
        x = round(float(value) * scale, 9)
        if math.isnan(x):
            return math.nan
        return math.copysign(math.floor(abs(x) + 0.5), x) / scale if x else 0.0
    x = np.round(np.asarray(value, dtype=float) * scale, 9)
    out = np.sign(x) * np.floor(np.abs(x) + 0.5) / scale
    return out.item() if out.ndim == 0 else out


def fmt_value(value: float, unit: str, decimals: int | None = None) -> str:
    """A measure's value in its own units, for sentences and tables."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    places = decimals_for(unit, [value]) if decimals is None else decimals
    v = shown(value, unit, places)
    if unit == "percent":
        return _signed(f"{abs(v) * 100:.{places}f}%", v < 0)
    return _signed(f"{abs(v):,.{places}f}", v < 0)


def fmt_change(change: float, unit: str, decimals: int | None = None) -> str:
    """A change with its sign always shown: +73, −114, +2.5 percentage points.

    Pass the difference of two `shown` values, so the change is the one a reader can check.
    """
    if unit == "percent":
        places = UNIT_DECIMALS["percent"] if decimals is None else decimals
        points = float(shown(change, unit, places)) * 100
        text = f"{abs(points):.{places}f}".rstrip("0").rstrip(".")
        word = "point" if text == "1" else "points"
        return f"{'+' if points >= 0 else MINUS}{text} percentage {word}"
    body = fmt_value(abs(change), unit, decimals)
    return f"{'+' if change >= 0 else MINUS}{body}"


def fmt_percent_change(fraction: float) -> str:
    """Relative change to one decimal: 3.1%, −4.6% (no plus sign, as reports write it)."""
    v = float(shown(fraction, "percent", 1))
    text = f"{abs(v) * 100:.1f}%"
    return f"{MINUS}{text}" if v < 0 else text


def _signed(text: str, negative: bool) -> str:
    return f"{MINUS}{text}" if negative and text.strip("0.,%") else text
