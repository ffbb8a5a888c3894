"""The pack's `Scorecard`: the refresh's Scorecard table (same columns, figures, RAG and SPC
colours, from `render.scorecard`) laid out for the page, with a 12-month trend for every measure.

Printed, the Scorecard is every column but `Measure ID` (the Definitions sheet pairs IDs with
titles), on as few lines a row as fit A4 landscape at a readable size, its header repeated on
every page. The sheet's text therefore starts in column B, beside the ID column.

The trend is drawn twice. `Last 12 months` prints it as text, one bar a month from the lowest
(▁) to the highest (█) figure of the 12, `·` for a month without one: it reads in black and
white, never by colour, and LibreOffice, which converts the pack to PDF, draws no sparklines.
`Trend line` holds the native sparklines for the screen, and below the printed part the `Trend`
table has the figures both are drawn from (a sparkline alone is invisible to a screen reader).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import pandas as pd

from ..engine.periods import uk_month
from ..render.colours import VALUE_LINE
from ..render.key import direction_text, rag_bands
from ..render.names import SCORECARD
from ..render.plan import (
    CellBlock,
    CellRange,
    SheetPlan,
    Sparkline,
    Style,
    TablePlan,
    TextBlock,
    TextLine,
)
from ..render.scorecard import rag_rules, report_title, scorecard_table, warning_lines
from ..render.styles import HEADING, NOTE, SUBTITLE, TITLE
from ..render.values import measure_formats, month_header
from .charts import cell_rows
from .context import PackContext
from .fitting import text_room
from .paper import wrap
from .public import TREND_MONTHS

RIGHT = Style(align="right")
_FIGURES = ("Value", "Previous", "Target", "Forecast")
TREND_COLUMN = "Last 12 months"
LINE_COLUMN = "Trend line"
TREND_TABLE = "Trend"
TREND_FIRST_COL = 3  # Measure ID, Measure, Section, then the months
TEXT_COL = 1  # titles, key and warnings start beside the Measure ID column, which does not print
BARS = "▁▂▃▄▅▆▇█"
NO_FIGURE = "·"
# printed, so it says nothing of the Trend line and table, which are not
TREND_KEY = (
    f"{TREND_COLUMN}: one bar a month, from the lowest ({BARS[0]}) to the highest ({BARS[-1]}) "
    f"figure of the 12; {NO_FIGURE} no figure that month."
)


def pack_key(ctx: PackContext) -> list[str]:
    """The key over the printed Scorecard: the bands and the direction symbols, and where the
    rest is (the Key sheet explains everything, so the table starts on the first page)."""
    s = ctx.results.settings
    return [
        f"RAG key. {rag_bands(s)}",
        direction_text(),
        "How ratings are worked out, Variation and Assurance (statistical process control), "
        "and every symbol: see the Key sheet.",
    ]


def trend_bars(values: Sequence[float | None]) -> str:
    """One bar a month, scaled from the lowest to the highest figure shown (as a sparkline's
    axis is); a month without a figure is `·`, and equal figures are all middling bars."""
    shown = [v for v in values if v is not None and math.isfinite(v)]
    if not shown:
        return ""
    lo, hi = min(shown), max(shown)
    top = len(BARS) - 1

    def bar(v: float | None) -> str:
        if v is None or not math.isfinite(v):
            return NO_FIGURE
        if hi == lo:
            return BARS[top // 2]
        return BARS[round((v - lo) / (hi - lo) * top)]

    return "".join(bar(v) for v in values)


def _laid_out(table: TablePlan, bars: list[str]) -> TablePlan:
    """The Scorecard table with the trend columns after its own: `Last 12 months` (bars) and
    `Trend line` (the sparklines' cells, empty); figures are right-aligned so a suppressed `c`
    lines up with the numbers around it."""
    body = table.body
    styles = body.column_styles + (None,) * (len(table.columns) - len(body.column_styles))
    styles = tuple(
        RIGHT if name in _FIGURES and style is None else style
        for name, style in zip(table.columns, styles, strict=True)
    )
    new_body = CellBlock(
        body.row,
        body.col,
        tuple((*r, b or None, None) for r, b in zip(body.values, bars, strict=True)),
        tuple((*f, None, None) for f in body.number_formats),
        body.style,
        (*styles, None, None),
    )
    return dataclasses.replace(
        table, columns=(*table.columns, TREND_COLUMN, LINE_COLUMN), body=new_body
    )


def trend_months(ctx: PackContext) -> pd.DatetimeIndex:
    m = ctx.results.reporting_month
    return pd.date_range(end=m, periods=TREND_MONTHS, freq="ME")


def _trend_values(ctx: PackContext) -> dict[str, list]:
    """The 12 months to the reporting month by measure, as plotted (a published pack leaves
    suppressed months blank)."""
    return cell_rows(ctx.plotted.wide().reindex(columns=trend_months(ctx)))


def trend_table(ctx: PackContext, row: int, wide: dict[str, list] | None = None) -> TablePlan:
    """Measure ID, Measure, Section, then the 12 months to the reporting month, one row per
    measure in scorecard order."""
    months = trend_months(ctx)
    card = ctx.plotted.scorecard
    wide = wide if wide is not None else _trend_values(ctx)
    values = tuple(
        (mid, title, section, *wide[mid])
        for mid, title, section in zip(
            card["measure_id"], card["measure"], card["section"], strict=True
        )
    )
    fmt = measure_formats(ctx.plotted)
    formats = tuple((None, None, None, *[fmt[mid]] * len(months)) for mid in card["measure_id"])
    columns = ("Measure ID", "Measure", "Section", *(month_header(m) for m in months))
    body = CellBlock(row + 1, 0, values, formats)
    return TablePlan(TREND_TABLE, SCORECARD, row, 0, columns, body)


def _lines(texts: Sequence[str], room: float, style: Style = NOTE) -> list[TextLine]:
    """Each text as lines that print whole (a line runs on across empty cells only as far as
    the page)."""
    return [TextLine(line, style) for text in texts for line in wrap(text, room)]


def _sheet(
    ctx: PackContext, key: list[TextLine], warnings: list[TextLine], wide: dict[str, list]
) -> SheetPlan:
    """The sheet, its rows placed below `key` and `warnings` lines already wrapped to fit."""
    month = ctx.month
    subtitle = (
        f"Reporting month: {month}. Values as computed from the performance workbook; "
        "the Key sheet explains ratings and symbols."
    )
    title = TextBlock(
        0,
        TEXT_COL,
        (
            TextLine(report_title(ctx.shown, "Performance scorecard"), TITLE),
            TextLine(subtitle, SUBTITLE),
        ),
        "title",
    )
    key_block = TextBlock(2, TEXT_COL, tuple(key), "key")
    base = scorecard_table(ctx.shown, key_block.row + len(key) + 1)
    card = ctx.plotted.scorecard
    table = _laid_out(base, [trend_bars(wide[mid]) for mid in card["measure_id"]])
    warn_block = TextBlock(
        table.last_row + 2,
        TEXT_COL,
        (TextLine(f"Warnings for {month}", HEADING), *warnings),
        "warnings",
    )
    printed_to = warn_block.row + len(warn_block.lines) - 1
    trend_row = printed_to + 2
    intro = TextBlock(
        trend_row,
        TEXT_COL,
        (
            TextLine(f"Last 12 months to {uk_month(ctx.results.reporting_month)}", HEADING),
            TextLine("The figures the Last 12 months bars and Trend line draw.", NOTE),
        ),
        "trend_heading",
    )
    trend = trend_table(ctx, trend_row + len(intro.lines), wide)
    line_col = len(table.columns) - 1
    first, last = TREND_FIRST_COL, TREND_FIRST_COL + TREND_MONTHS - 1
    sparklines = tuple(
        Sparkline(
            table.body_row(i),
            line_col,
            CellRange(SCORECARD, trend.body_row(i), first, trend.body_row(i), last),
            VALUE_LINE,
        )
        for i in range(len(trend.body.values))
    )
    return SheetPlan(
        name=SCORECARD,
        kind="worksheet",
        role="scorecard",
        texts=(title, key_block, warn_block, intro),
        tables=(table, trend),
        freeze=(table.row + 1, 0),
        conditional_formats=rag_rules(table),
        sparklines=sparklines,
        # Print from Measure to Last 12 months, down to the warnings: the trend table is the
        # line's data (on screen), and under the repeated headings it would be mislabelled.
        page=ctx.page(
            repeat_rows=(table.row, table.row),
            print_area=(0, TEXT_COL, printed_to, line_col - 1),
        ),
    )


def build_pack_scorecard(ctx: PackContext) -> SheetPlan:
    """Laid out twice: once to learn how wide the printed columns come out, then with the key
    and warnings wrapped to that width."""
    wide = _trend_values(ctx)
    key = [*pack_key(ctx), TREND_KEY]
    warnings = warning_lines(ctx.shown)
    draft = _sheet(ctx, _lines(key, math.inf), _lines(warnings, math.inf), wide)
    room = text_room(draft)
    return _sheet(ctx, _lines(key, room), _lines(warnings, room), wide)
