"""Colours of the generated sheets, and the WCAG contrast check they must pass.

RAG fills are Excel's familiar "Bad / Neutral / Good" pairs, so analysts recognise them; each
text colour is dark enough on its fill for WCAG AA (4.5:1), which board papers are held to.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.rag import AMBER, CONTEXTUAL, GREEN, NO_TARGET, RED

WCAG_AA = 4.5


@dataclass(frozen=True)
class Swatch:
    """A fill with the font colour drawn on it."""

    fill: str
    font: str


RAG_SWATCHES: dict[str, Swatch] = {
    RED: Swatch("#FFC7CE", "#9C0006"),
    AMBER: Swatch("#FFEB9C", "#7A4500"),
    GREEN: Swatch("#C6EFCE", "#006100"),
    CONTEXTUAL: Swatch("#EDEDED", "#404040"),
    NO_TARGET: Swatch("#EDEDED", "#404040"),
}

# Making Data Count's colours (blue improvement, orange concern, purple neither, grey common
# cause) as light fills under dark text of the same hue, readable in print and for WCAG AA.
_MDC = {
    "improvement": Swatch("#CCEFFC", "#004A6E"),
    "concern": Swatch("#FBDCC4", "#7A3300"),
    "neither": Swatch("#E6D8F3", "#490092"),
    "common": Swatch("#EDEDED", "#404040"),
}
SPC_SWATCHES: dict[str, Swatch] = {
    **{w: _MDC["improvement"] for w in ("Improvement (high)", "Improvement (low)", "Pass")},
    **{w: _MDC["concern"] for w in ("Concern (high)", "Concern (low)", "Fail")},
    **{w: _MDC["neither"] for w in ("Neither (high)", "Neither (low)")},
    **{w: _MDC["common"] for w in ("Common cause", "Hit or miss")},
}

VALUE_LINE = "#1F4E79"  # dark blue: the measure's own series
TARGET_LINE = "#C00000"  # red, dashed: the target in force
MEAN_LINE = "#595959"  # SPC charts: the mean, solid grey
LIMIT_LINE = "#A6A6A6"  # SPC charts: the process limits, dashed light grey
TITLE_TEXT = "#1F3864"
TABLE_HEADER_FILL = "#4472C4"  # a table header's blue (TableStyleMedium2), under white text
NOTE_TEXT = "#404040"


def _channel(c8: int) -> float:
    c = c8 / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of `#RRGGBB`."""
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"expected #RRGGBB, found {colour!r}")
    r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio (1 to 21) between two colours, order irrelevant."""
    hi, lo = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
