"""The few text styles the generated sheets use, named once so every sheet looks alike."""

from __future__ import annotations

from .colours import NOTE_TEXT, TABLE_HEADER_FILL, TITLE_TEXT
from .plan import Style

TITLE = Style(bold=True, size=14, font_color=TITLE_TEXT)
SUBTITLE = Style(italic=True, font_color=NOTE_TEXT)
HEADING = Style(bold=True, size=12, font_color=TITLE_TEXT)
NOTE = Style(font_color=NOTE_TEXT)
BULLET = Style(wrap=True, valign_top=True)
LABEL = Style(bold=True)
CENTRED = Style(align="center")
# the row above a table that has no header row of its own, drawn like a table header
TABLE_HEADER = Style(bold=True, font_color="#FFFFFF", fill=TABLE_HEADER_FILL)
DEFAULT_ROW_HEIGHT = 15.0  # points, Calibri 11


def wrapped_height(text: str, column_width: float) -> float | None:
    """Row height for `text` wrapped in a column `column_width` characters wide, or None if it
    fits on one line. Errs tall: a little white space beats clipped words."""
    chars_per_line = max(column_width * 0.95, 1)
    lines = -(-len(text) // int(chars_per_line))
    return None if lines <= 1 else DEFAULT_ROW_HEIGHT * lines + 2
