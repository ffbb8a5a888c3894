"""The pack's `Scorecard`: the refresh's Scorecard sheet (same table, key, RAG colours and
warnings, from `render.scorecard`), plus a `Last 12 months` sparkline column and, below, the
`Trend` table the sparklines draw (a sparkline alone is invisible to a screen reader)."""

from __future__ import annotations

import dataclasses

import pandas as pd

from ..engine.periods import uk_month
from ..render.colours import VALUE_LINE
from ..render.names import SCORECARD
from ..render.plan import (
    CellBlock,
    CellRange,
    ColumnWidth,
    SheetPlan,
    Sparkline,
    Style,
    TablePlan,
    TextBlock,
    TextLine,
)
from ..render.scorecard import build_scorecard, rag_rules
from ..render.styles import SUBTITLE
from ..render.values import measure_formats, month_header
from .charts import cell_rows
from .context import PackContext
from .public import TREND_MONTHS
from .tables import heading

RIGHT = Style(align="right")
_FIGURES = ("Value", "Previous", "Target", "Forecast")
TREND_COLUMN = "Last 12 months"
TREND_TABLE = "Trend"
TREND_WIDTH = 18
TREND_FIRST_COL = 3  # Measure ID, Measure, Section, then the months


def _with_trend_column(table: TablePlan) -> TablePlan:
    """The Scorecard table with an empty last column the sparklines are drawn in; figures are
    right-aligned so a suppressed `c` lines up with the numbers around it."""
    body = table.body
    styles = body.column_styles + (None,) * (len(table.columns) - len(body.column_styles))
    styles = tuple(
        RIGHT if name in _FIGURES and style is None else style
        for name, style in zip(table.columns, styles, strict=True)
    )
    new_body = CellBlock(
        body.row,
        body.col,
        tuple((*r, None) for r in body.values),
        tuple((*f, None) for f in body.number_formats),
        body.style,
        (*styles, None),
    )
    return dataclasses.replace(table, columns=(*table.columns, TREND_COLUMN), body=new_body)


def trend_months(ctx: PackContext) -> pd.DatetimeIndex:
    m = ctx.results.reporting_month
    return pd.date_range(end=m, periods=TREND_MONTHS, freq="ME")


def trend_table(ctx: PackContext, row: int) -> TablePlan:
    """Measure ID, Measure, Section, then the 12 months to the reporting month (as plotted: a
    published pack leaves suppressed months blank), one row per measure in scorecard order."""
    months = trend_months(ctx)
    card = ctx.plotted.scorecard
    wide = cell_rows(ctx.plotted.wide().reindex(columns=months))
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


def build_pack_scorecard(ctx: PackContext) -> SheetPlan:
    base = build_scorecard(ctx.shown)
    table = _with_trend_column(base.tables[0])
    title = base.text("title")
    subtitle = (
        f"Reporting month: {ctx.month}. Values as computed from the performance workbook; "
        "the Key sheet explains ratings and symbols."
    )
    title = dataclasses.replace(title, lines=(title.lines[0], TextLine(subtitle, SUBTITLE)))
    warnings = base.text("warnings")
    trend_row = warnings.row + len(warnings.lines) + 1
    intro = heading(
        trend_row,
        f"Last 12 months to {uk_month(ctx.results.reporting_month)}",
        "The figures the trend lines in the Last 12 months column draw.",
        "trend_heading",
    )
    trend = trend_table(ctx, trend_row + len(intro.lines))
    spark_col = len(table.columns) - 1
    first_month, last_month = TREND_FIRST_COL, TREND_FIRST_COL + TREND_MONTHS - 1
    sparklines = tuple(
        Sparkline(
            table.body_row(i),
            spark_col,
            CellRange(SCORECARD, trend.body_row(i), first_month, trend.body_row(i), last_month),
            VALUE_LINE,
        )
        for i in range(len(trend.body.values))
    )
    texts: list[TextBlock] = [title, *(t for t in base.texts if t.purpose != "title"), intro]
    widths = (*base.column_widths, ColumnWidth(spark_col, spark_col, TREND_WIDTH))
    return dataclasses.replace(
        base,
        texts=tuple(texts),
        tables=(table, trend),
        column_widths=widths,
        conditional_formats=rag_rules(table),
        sparklines=sparklines,
        # Print the scorecard and its warnings: the trend table is the sparklines' data (on
        # screen), and printed under the repeated Scorecard headings it would be mislabelled.
        page=ctx.page(
            repeat_rows=(table.row, table.row),
            print_area=(0, 0, trend_row - 2, spark_col),
        ),
    )
