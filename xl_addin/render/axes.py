"""Value axes that show movement honestly (docs/charts.md).

- A column chart starts at zero: a bar's length is its value, so a cut-off axis exaggerates.
- A line chart's axis spans its figures and its target line, widened by 5% of that span at
  each end and rounded out to whole steps of 1, 2, 2.5 or 5 times a power of ten (about five
  gridlines), so a move from 22% to 27% against a 22% target is visible (axis 21% to 28%),
  not a flat line at the bottom of a 0-100% axis.
- Percentages stay within 0-100% and everything else at zero or more: an axis never promises
  a value the measure cannot take.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .plan import Axis

GRIDLINES = 5  # roughly how many steps a line chart's axis shows
MARGIN = 0.05  # of the span, added above and below before rounding out
NICE = (1.0, 2.0, 2.5, 5.0, 10.0)


def nice_step(span: float, steps: int = GRIDLINES) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that covers `span` in at most `steps` steps."""
    raw = span / steps
    power = 10.0 ** math.floor(math.log10(raw))
    for m in NICE:
        if m * power >= raw * (1 - 1e-9):
            return m * power
    return 10.0 * power


def _round(x: float) -> float:
    return float(round(x, 12))  # 0.1 * 3 is 0.30000000000000004


def value_axis(kind: str, unit: str, figures: Iterable[float]) -> Axis:
    """Bounds, step and number format of the value axis for these figures (values and
    targets); an automatic axis when there is nothing to plot."""
    finite = [float(x) for x in figures if x is not None and math.isfinite(x)]
    if not finite:
        return Axis(num_format=_format(unit, None), min=0 if kind == "column" else None)
    lo, hi = min(finite), max(finite)
    if kind == "column":
        lo = min(lo, 0.0)
    if hi == lo:
        pad = abs(hi) * 0.1 or (0.01 if unit == "percent" else 1.0)
        lo, hi = lo - pad, hi + pad
    margin = (hi - lo) * MARGIN  # so no point or target sits on the frame
    lo, hi = (lo if kind == "column" else lo - margin), hi + margin
    step = nice_step(hi - lo)
    low = math.floor(_round(lo / step)) * step
    high = math.ceil(_round(hi / step)) * step
    low = 0.0 if kind == "column" else max(low, 0.0)  # no measure here is ever negative
    if unit == "percent":
        high = min(high, 1.0)
    return Axis(
        num_format=_format(unit, step),
        min=_round(low),
        max=_round(high),
        major_unit=_round(step),
    )


def _format(unit: str, step: float | None) -> str:
    """Axis labels: as many decimals as the step needs (20%, 22.5%; 600, 2.5)."""
    if unit == "percent":
        whole = step is None or float(round(step * 100, 9)).is_integer()
        return "0%" if whole else "0.0%"
    whole = step is None or float(round(step, 9)).is_integer()
    return "#,##0" if whole else "#,##0.0"
