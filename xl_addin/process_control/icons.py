"""The variation and assurance icons, and the words, letters and colours every surface shows.

Colour is never the only carrier: each code has words (Scorecard, Key, worksheet functions) and
a letter (H, L, P, F, ?) as on the MDC icons. Colours are MDC's.
"""

from __future__ import annotations

import math

from ..engine.rag import DECIMALS

UP, DOWN, NEITHER = "up", "down", "neither"
IMPROVEMENTS = (UP, DOWN, NEITHER)
# what the Measures sheet's polarity means for SPC (contextual measures have no better side)
_DIRECTION_WORDS = {
    "up": UP,
    "higher": UP,
    "down": DOWN,
    "lower": DOWN,
    "neither": NEITHER,
    "contextual": NEITHER,
}

IMPROVEMENT, CONCERN, NEITHER_POINT, COMMON = "improvement", "concern", "neither", "common"
POINT_KINDS = (IMPROVEMENT, CONCERN, NEITHER_POINT, COMMON)

VARIATIONS = (
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neither_high",
    "neither_low",
    "common_cause",
)
PASS, FAIL, HIT_OR_MISS = "pass", "fail", "hit_or_miss"
ASSURANCES = (PASS, FAIL, HIT_OR_MISS)

WORDS = {
    "improvement_high": "Improvement (high)",
    "improvement_low": "Improvement (low)",
    "concern_high": "Concern (high)",
    "concern_low": "Concern (low)",
    "neither_high": "Neither (high)",
    "neither_low": "Neither (low)",
    "common_cause": "Common cause",
    PASS: "Pass",
    FAIL: "Fail",
    HIT_OR_MISS: "Hit or miss",
}
LETTERS = {
    "improvement_high": "H",
    "improvement_low": "L",
    "concern_high": "H",
    "concern_low": "L",
    "neither_high": "H",
    "neither_low": "L",
    "common_cause": "",
    PASS: "P",
    FAIL: "F",
    HIT_OR_MISS: "?",
}
COLOURS = {
    IMPROVEMENT: "#00B0F0",  # blue
    CONCERN: "#E46C0A",  # orange
    NEITHER_POINT: "#490092",  # purple
    COMMON: "#A6A6A6",  # grey
}
_ICON_COLOUR = {PASS: IMPROVEMENT, FAIL: CONCERN, HIT_OR_MISS: COMMON, "common_cause": COMMON}


def improvement_direction(value: str | None) -> str:
    """The improvement direction ("up", "down" or "neither") from a direction or a Measures
    polarity (blank: up).

    >>> improvement_direction("lower")
    'down'
    """
    text = "up" if value is None else str(value).strip().lower() or "up"
    if text not in _DIRECTION_WORDS:
        raise ValueError(
            f"improvement must be one of up, down, neither (or the polarity higher, lower, "
            f"contextual); found {value!r}"
        )
    return _DIRECTION_WORDS[text]


def colour(code: str) -> str:
    """The MDC colour of a point kind, variation or assurance code."""
    kind = _ICON_COLOUR.get(code) or code.split("_")[0]
    return COLOURS[kind]


def words(code: str | None) -> str:
    """The words for a variation or assurance code; "" for None."""
    return "" if code is None else WORDS[code]


def too_few_points(min_points: int = 13) -> str:
    """What a measure with too few points says instead of icons."""
    return f"too few points (n < {min_points})"


def variation(kind: str | None, last_high: bool, improvement: str) -> str:
    """The variation icon from the last point: its kind and which way its flags point.

    For an "up" measure a concern point is always low and an improvement point high (a conflict
    has already been settled into one kind); with "neither", high wins when a point is flagged
    both ways, as in the MDC SQL query.
    """
    if kind == IMPROVEMENT:
        return "improvement_high" if improvement == UP else "improvement_low"
    if kind == CONCERN:
        return "concern_low" if improvement == UP else "concern_high"
    if kind == NEITHER_POINT:
        return "neither_high" if last_high else "neither_low"
    return "common_cause"


def assurance(target: float | None, lower: float, upper: float, improvement: str) -> str | None:
    """Whether the process will meet its target: the target against the latest limits.

    Up: target at or below the lower limit passes, at or above the upper fails, between is hit
    or miss; down is the mirror image. No target, no limits or "neither": None.
    """
    if (
        improvement == NEITHER
        or target is None
        or any(math.isnan(x) for x in (target, lower, upper))
    ):
        return None
    # on a limit in decimals is on it, as a person would judge (see rules.py)
    at_or_below_lower = round(target - lower, DECIMALS) <= 0
    at_or_above_upper = round(target - upper, DECIMALS) >= 0
    if improvement == UP:
        if at_or_below_lower:
            return PASS
        return FAIL if at_or_above_upper else HIT_OR_MISS
    if at_or_above_upper:
        return PASS
    return FAIL if at_or_below_lower else HIT_OR_MISS
