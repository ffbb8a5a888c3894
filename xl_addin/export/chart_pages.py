"""The pack's chart sheets laid out for the printed page.

The refreshed workbook's grid of charts (two 600-pixel charts a row, `render.charts`) is made for
the screen. Printed on A4 landscape it is shrunk to fit the page width, and further in
LibreOffice, whose columns are a third wider than Excel's when it draws Calibri with a wider
font: the charts' 10 pt axis labels came out at 6 pt. Here the pack's charts are placed two to a
row in a grid narrow enough to print at `MIN_ZOOM` or more, two rows of charts a page, each
with its note (why months have no figure) under it in up to `NOTE_ROWS` lines.

Charts are anchored to cells, so in LibreOffice a chart N pixels wide in Excel is N points wide
(and its height the same in both): the grid is sized for that, and Excel prints it larger.
"""

from __future__ import annotations

import dataclasses

from ..cellref import cell_name
from ..render.charts import GAP_NOTE, ChartGrid
from ..render.plan import ColumnWidth, Placement, SheetPlan, TextBlock, TextLine
from ..render.styles import NOTE
from . import paper
from .charts import DATA_COL, DATA_ROW

MIN_ZOOM = 0.85  # 10 pt chart text prints at 8.3 pt or more, after LibreOffice's 2% nudge
PER_ROW = 2
GRID_COL_WIDTH = 8.43  # Excel's default width, set explicitly so both programs agree: 64 px
GRID_COL_PIXELS = 64
MARGIN_COL_WIDTH = 1.0  # column A, a narrow margin left of the charts
FIRST_ROW, FIRST_COL = 3, 1
COL_STRIDE = 7  # columns per chart: 448 px, the chart and a gap
CHART_WIDTH = COL_STRIDE * GRID_COL_PIXELS - 16  # pixels
CHART_ROWS, NOTE_ROWS = 14, 3  # rows of 20 px (15 pt)
CHART_HEIGHT = CHART_ROWS * 20
ROW_STRIDE = CHART_ROWS + NOTE_ROWS + 1  # and a blank row, where a page may start
ROWS_PER_PAGE = 2
NOTE_UNITS = CHART_WIDTH / 7  # a note's lines are no wider than the chart
# beside the grid, so on screen only: the page says nothing of a table it does not print
SCREEN_NOTE = f"The figures plotted are in the table from cell {cell_name(DATA_ROW, DATA_COL)}."


def grid_points() -> float:
    """The printed grid's width in LibreOffice points at full size."""
    columns = [MARGIN_COL_WIDTH, *[GRID_COL_WIDTH] * (PER_ROW * COL_STRIDE)]
    return sum(paper.column_points(w) for w in columns)


_GRID = ChartGrid(PER_ROW, FIRST_ROW, FIRST_COL, ROW_STRIDE, COL_STRIDE, CHART_WIDTH, CHART_HEIGHT)


def _placement(index: int) -> Placement:
    return _GRID.placement(index)


def _note(block: TextBlock, at: Placement) -> TextBlock:
    """A chart's note under its new place, rewrapped to the chart's width (a rare line beyond
    NOTE_ROWS joins the last, as the refresh's notes do)."""
    lines = paper.wrap(" ".join(line.text for line in block.lines), NOTE_UNITS)
    lines = [*lines[: NOTE_ROWS - 1], " ".join(lines[NOTE_ROWS - 1 :])][: len(lines)]
    return dataclasses.replace(
        block,
        row=at.row + CHART_ROWS,
        col=at.col,
        lines=tuple(TextLine(line, NOTE) for line in lines),
    )


def for_paper(sheet: SheetPlan) -> SheetPlan:
    """`sheet` with its charts and their notes re-placed in the printed grid, its page breaks
    between rows of charts and its print area around them (nothing else moves: the table of
    figures plotted stays beside the grid, off the page)."""
    if not sheet.charts:
        return sheet
    places = {c.measure_id: _placement(i) for i, c in enumerate(sheet.charts)}
    charts = tuple(dataclasses.replace(c, placement=places[c.measure_id]) for c in sheet.charts)
    texts = tuple(
        _note(t, places[t.purpose.removeprefix(GAP_NOTE)])
        if t.purpose.startswith(GAP_NOTE) and t.purpose.removeprefix(GAP_NOTE) in places
        else t
        for t in sheet.texts
    )
    last_col = FIRST_COL + PER_ROW * COL_STRIDE - 1
    grid_rows = -(-len(charts) // PER_ROW)
    last_row = FIRST_ROW + grid_rows * ROW_STRIDE - 2  # the last note row
    breaks = tuple(
        FIRST_ROW + r * ROW_STRIDE - 1 for r in range(ROWS_PER_PAGE, grid_rows, ROWS_PER_PAGE)
    )
    widths = (
        ColumnWidth(0, 0, MARGIN_COL_WIDTH),
        ColumnWidth(FIRST_COL, last_col, GRID_COL_WIDTH),
        *(w for w in sheet.column_widths if w.first > last_col),
    )
    page = dataclasses.replace(sheet.page, row_breaks=breaks, print_area=(0, 0, last_row, last_col))
    pointer = TextBlock(1, last_col + 2, (TextLine(SCREEN_NOTE, NOTE),), "data_pointer")
    return dataclasses.replace(
        sheet, charts=charts, texts=(*texts, pointer), column_widths=widths, page=page
    )
