"""Numbers as a UK performance report writes them: 2,393; 82%; 188.8; −4.6%."""

from __future__ import annotations

import math

MINUS = "−"  # U+2212, as typeset reports use


def fmt_value(value: float, unit: str, percent_decimals: int = 0) -> str:
    """A measure's value in its own units, for sentences and tables."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if unit == "percent":
        return f"{value * 100:.{percent_decimals}f}%"
    if unit in ("rate", "ratio"):
        return _signed(f"{abs(value):,.1f}", value < 0)
    if float(value).is_integer():
        return _signed(f"{abs(value):,.0f}", value < 0)
    return _signed(f"{abs(value):,.1f}", value < 0)


def fmt_change(change: float, unit: str) -> str:
    """A change with its sign always shown: +73, −114, +20 percentage points."""
    if unit == "percent":
        points = round(change * 100, 1)
        text = f"{abs(points):.0f}" if float(points).is_integer() else f"{abs(points):.1f}"
        word = "point" if abs(points) == 1 else "points"
        return f"{'+' if change >= 0 else MINUS}{text} percentage {word}"
    body = fmt_value(abs(change), unit)
    return f"{'+' if change >= 0 else MINUS}{body}"


def fmt_percent_change(fraction: float) -> str:
    """Relative change to one decimal: 3.1%, −4.6% (no plus sign, as reports write it)."""
    text = f"{abs(fraction) * 100:.1f}%"
    return f"{MINUS}{text}" if round(fraction * 1000) < 0 else text


def _signed(text: str, negative: bool) -> str:
    return f"{MINUS}{text}" if negative else text
