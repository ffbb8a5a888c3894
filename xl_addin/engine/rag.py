"""Red/Amber/Green against a target, and direction of travel (design §5, a contract).

One function serves the engine, the `=RAG()` worksheet function and analysts' scripts, so the
rating is defined exactly once.
"""

from __future__ import annotations

from typing import Any

import numpy as np

RED, AMBER, GREEN = "Red", "Amber", "Green"
NO_TARGET, CONTEXTUAL = "No target", "Contextual"
RATINGS = (RED, AMBER, GREEN, NO_TARGET, CONTEXTUAL)
POLARITIES = ("higher", "lower", "contextual")
TOLERANCES = ("relative", "points")
GAP_RATINGS = (RED, AMBER, GREEN)

IMPROVING, WORSENING, NO_CHANGE = "▲ Improving", "▼ Worsening", "► No change"
UP, DOWN = "▲ Up", "▼ Down"

# Boundaries are judged as a person would, in decimals: 0.80 - 0.75 is 0.05 exactly. Rounding the
# distance to this many places removes binary floating-point noise without moving real values.
DECIMALS = 9


def _as_array(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=object)


def _to_float(arr: np.ndarray) -> np.ndarray:
    """Object array -> float array with None/blank as NaN."""
    out = np.full(arr.shape, np.nan)
    for idx, v in np.ndenumerate(arr):
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if isinstance(v, bool):
            raise ValueError(f"expected a number, found {v!r}")
        out[idx] = float(v)
    return out


def _norm_choice(value: Any, allowed: tuple[str, ...], what: str) -> str:
    text = str(value).strip()
    for option in allowed:
        if text.lower() == option.lower():
            return option
    raise ValueError(f"{what} must be one of {', '.join(allowed)}; found {value!r}")


def _operands(a: Any, b: Any, polarity: Any) -> tuple[bool, np.ndarray, np.ndarray, np.ndarray]:
    """Broadcast two number arguments and a polarity argument (blank polarity = higher)."""
    scalar = all(np.ndim(x) == 0 for x in (a, b, polarity))
    a_obj, b_obj, p_obj = np.broadcast_arrays(_as_array(a), _as_array(b), _as_array(polarity))
    pol = np.empty(p_obj.shape, dtype=object)
    for idx, p in np.ndenumerate(p_obj):
        pol[idx] = _norm_choice("higher" if p is None or p == "" else p, POLARITIES, "polarity")
    return scalar, _to_float(a_obj), _to_float(b_obj), pol


def distance(
    value: np.ndarray, target: np.ndarray, polarity: np.ndarray, tolerance: str
) -> np.ndarray:
    """Shortfall from target: positive is worse than target, negative better.

    `relative` divides by |target| (falling back to points when the target is 0); `points` is in
    the measure's own units (percentage points, as fractions, for percentages).
    """
    shortfall = np.where(polarity == "lower", value - target, target - value)
    if tolerance == "points":
        return shortfall
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = shortfall / np.abs(target)
    return np.where(target == 0, shortfall, rel)


def rag(
    value: Any,
    target: Any,
    polarity: Any = "higher",
    green: float = 0.02,
    amber: float = 0.10,
    red: float = 0.20,
    gap: str = "Amber",
    tolerance: str = "relative",
) -> Any:
    """Rate value against target: "Red", "Amber", "Green", "No target", "Contextual" or None.

    Scalars give a scalar; arrays (or lists) give an object array of the broadcast shape. A blank
    value gives None (nothing to rate, target or not); a blank target gives "No target".

    >>> rag(0.80, 0.82)
    'Amber'
    >>> rag(630, 600, "lower")
    'Amber'
    """
    gap = _norm_choice(gap, GAP_RATINGS, "gap")
    tolerance = _norm_choice(tolerance, TOLERANCES, "tolerance")
    green, amber, red = float(green), float(amber), float(red)
    if not (0 <= green <= amber <= red):
        raise ValueError("thresholds must satisfy 0 <= green <= amber <= red")

    scalar, v, t, pol = _operands(value, target, polarity)
    d = np.round(distance(v, t, pol, tolerance), DECIMALS)
    out = np.full(v.shape, gap, dtype=object)
    with np.errstate(invalid="ignore"):
        out[d > red] = RED
        out[d <= amber] = AMBER
        out[d <= green] = GREEN
    out[np.isnan(t)] = NO_TARGET
    out[np.isnan(v)] = None  # nothing to rate, whether or not a target is in force
    out[pol == "contextual"] = CONTEXTUAL
    return out.item() if scalar else out


def direction(current: Any, previous: Any, polarity: Any = "higher") -> Any:
    """Direction of travel against the previous period, polarity-aware (design §4).

    Equal values (to the same decimals as RAG) are "► No change"; a blank on either side is None.
    """
    scalar, c, p, pol = _operands(current, previous, polarity)
    change = np.round(c - p, DECIMALS)
    out = np.full(c.shape, None, dtype=object)
    with np.errstate(invalid="ignore"):
        up, down, same = change > 0, change < 0, change == 0
    contextual = pol == "contextual"
    lower = pol == "lower"
    out[same] = NO_CHANGE
    out[up & contextual] = UP
    out[down & contextual] = DOWN
    out[up & ~contextual] = np.where(lower[up & ~contextual], WORSENING, IMPROVING)
    out[down & ~contextual] = np.where(lower[down & ~contextual], IMPROVING, WORSENING)
    return out.item() if scalar else out
