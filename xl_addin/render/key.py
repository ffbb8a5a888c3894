"""The Scorecard key: the RAG rule and direction symbols in words, from the settings in force.

Readers of a board pack cannot see the Settings sheet, so the key states the thresholds, the
tolerance and the basis actually used, not the defaults.
"""

from __future__ import annotations

from ..engine.models import Settings
from ..engine.rag import (
    AMBER,
    CONTEXTUAL,
    DOWN,
    GREEN,
    IMPROVING,
    NO_CHANGE,
    NO_TARGET,
    RED,
    UP,
    WORSENING,
)


def _number(x: float) -> str:
    """0.1 -> '0.1', 2.0 -> '2': thresholds as a person writes them."""
    return f"{round(x, 6):g}"


def _amount(x: float, tolerance: str) -> str:
    return f"{_number(x * 100)}%" if tolerance == "relative" else _number(x)


def rag_bands(s: Settings) -> str:
    """'Green: within 2% of target or better; Amber: within 10%; Red: more than 20%; ...'."""

    def a(x: float) -> str:
        return _amount(x, s.rag_tolerance)

    text = (
        f"Green: within {a(s.rag_green)} of target or better; Amber: within {a(s.rag_amber)}; "
        f"Red: more than {a(s.rag_red)}"
    )
    if s.rag_red > s.rag_amber:
        text += f"; between {a(s.rag_amber)} and {a(s.rag_red)}: {s.rag_gap}"
    return text + "."


def tolerance_text(s: Settings) -> str:
    if s.rag_tolerance == "points":
        return (
            "Distance from target is in points: the shortfall in the measure's own units "
            f"(for a percentage, {_number(s.rag_green)} is {_number(s.rag_green * 100)} "
            "percentage points)."
        )
    return (
        "Distance from target is relative: the shortfall as a share of the target "
        "(a target of 0 is judged in points)."
    )


def basis_text(s: Settings) -> str:
    if s.rag_basis == "actual":
        return "Rated on actuals: the reporting month's value against the target in force."
    months = "month" if s.forecast_window == 1 else "months"
    return (
        "Rated on the forecast: the trend of the last "
        f"{s.forecast_window} {months} projected to the next target date; the actual value is "
        "rated when the target is due this month, after the last target, or when there is no "
        "trend."
    )


def direction_text() -> str:
    return (
        f"Direction against the previous period: {IMPROVING}, {WORSENING}, {NO_CHANGE}; "
        f"for contextual measures {UP} / {DOWN}. Contextual measures and measures without a "
        "target are not rated (grey)."
    )


def key_lines(s: Settings) -> list[str]:
    """The key, one sentence group per line."""
    return [
        f"RAG key. {rag_bands(s)}",
        tolerance_text(s),
        basis_text(s),
        direction_text(),
        *spc_key_lines(s),
    ]


def spc_key_lines(s: Settings) -> list[str]:
    """Making Data Count's variation and assurance in words, with the rule settings in force."""
    rules = "; ".join(meaning for _, _, meaning in s.spc.describe())
    return [
        "Variation (statistical process control, Making Data Count): Common cause (grey): only "
        "the usual ups and downs; Improvement or Concern (blue or orange), high or low: the "
        "latest point is unusual in a good or a bad direction; Neither (purple): unusual, for a "
        "measure with no better side.",
        "Assurance: Pass (blue): the process limits are on the good side of the target, so it "
        "will be met reliably; Fail (orange): it will not be met without a change to the system; "
        "Hit or miss (grey): the target lies within the limits and will be met by chance.",
        f"SPC is read from in-month figures only (not in-year or rolling ones). Rules in force: "
        f"{rules}.",
    ]


def band_meanings(s: Settings) -> dict[str, str]:
    """What each rating means under these settings, one sentence per rating (for a key table).

    The gap between `rag_amber` and `rag_red` is folded into the rating `rag_gap` names, so the
    three sentences cover every distance exactly once.
    """

    def a(x: float) -> str:
        return _amount(x, s.rag_tolerance)

    worse = "worse than target by"
    gap = s.rag_red > s.rag_amber
    gap_text = f"more than {a(s.rag_amber)} and no more than {a(s.rag_red)}"
    green = f"Better than target, on target, or {worse} no more than {a(s.rag_green)}"
    amber = f"{worse.capitalize()} more than {a(s.rag_green)} and no more than {a(s.rag_amber)}"
    red = f"{worse.capitalize()} more than {a(s.rag_red)}"
    if gap:
        if s.rag_gap == AMBER:
            amber = (
                f"{worse.capitalize()} more than {a(s.rag_green)} and no more than {a(s.rag_red)}"
            )
        elif s.rag_gap == RED:
            red = f"{worse.capitalize()} more than {a(s.rag_amber)}"
        else:
            green += f"; also {gap_text}"
    if s.rag_green == s.rag_amber and not (gap and s.rag_gap == AMBER):
        amber = "Not used with these thresholds (Amber and Green bands are the same)"
    return {
        RED: red + ".",
        AMBER: amber + ".",
        GREEN: green + ".",
        NO_TARGET: "No target is set for this measure, so it is not rated.",
        CONTEXTUAL: "Contextual (demand or volume) measure: neither up nor down is better, so it "
        "is not rated.",
    }
