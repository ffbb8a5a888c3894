"""Small helpers for the pack's own tables: real Excel tables with a header row, no merged
cells, long text wrapped in rows tall enough to show it (no reader autofits heights)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..render.plan import CellBlock, Style, TablePlan, TextBlock, TextLine, Value
from ..render.styles import HEADING, NOTE, wrapped_height

WRAP = Style(wrap=True, valign_top=True)
TOP = Style(valign_top=True)


def table(
    name: str,
    sheet: str,
    row: int,
    columns: Sequence[str],
    rows: Sequence[Sequence[Value]],
    formats: Sequence[Sequence[str | None]] | None = None,
    wrap: Mapping[int, float] | None = None,
) -> tuple[TablePlan, tuple[tuple[int, float], ...]]:
    """A table with its header at (row, 0), and the heights its wrapped rows need.

    `wrap` maps a column index to its width in characters; those columns wrap, and every row
    is as tall as its longest wrapped text needs.
    """
    wrap = dict(wrap or {})
    values = tuple(tuple(r) for r in rows)
    fmts = tuple(tuple(f) for f in formats) if formats else tuple((None,) * len(r) for r in values)
    styles = tuple(WRAP if i in wrap else TOP for i in range(len(columns))) if wrap else ()
    body = CellBlock(row + 1, 0, values, fmts, column_styles=styles)
    plan = TablePlan(name, sheet, row, 0, tuple(columns), body)
    heights = []
    for i, r in enumerate(values):
        tallest = max(
            (
                wrapped_height(str(r[c]), w) or 0.0
                for c, w in wrap.items()
                if c < len(r) and r[c] is not None
            ),
            default=0.0,
        )
        if tallest:
            heights.append((plan.body_row(i), tallest))
    return plan, tuple(heights)


def heading(row: int, text: str, note: str | None = None, purpose: str = "") -> TextBlock:
    """A heading above a table, with an optional one-line note under it."""
    lines = [TextLine(text, HEADING)]
    if note:
        lines.append(TextLine(note, NOTE))
    return TextBlock(row, 0, tuple(lines), purpose or text)
