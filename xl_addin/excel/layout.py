"""A sheet plan as whole ranges: one value grid, format rectangles and style rectangles.

The render plan describes cells one by one (the file backend writes them that way for free). Over
xlwings every write is a round trip to Excel (COM) or an action in the Office.js reply, so the
xlwings backend needs the same content folded into as few rectangles as possible. This module does
the folding and nothing else: plain data in, plain data out, no xlwings import, so it is tested
without Excel. Rows and columns are 0-based, bounds inclusive, as in the plan.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..render.plan import PLAIN, CellBlock, CellRange, Plan, SheetPlan, Style, Value

GENERAL = "General"


@dataclass(frozen=True)
class Rect:
    """A rectangle of cells (inclusive bounds)."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @property
    def n_rows(self) -> int:
        return self.last_row - self.first_row + 1

    @property
    def n_cols(self) -> int:
        return self.last_col - self.first_col + 1

    @classmethod
    def of(cls, rng: CellRange) -> Rect:
        return cls(rng.first_row, rng.first_col, rng.last_row, rng.last_col)


# -- Text that Excel must not reinterpret --------------------------------------------------------

# Excel parses what is written through COM or Office.js as if typed: "=x" becomes a formula,
# "Oct-21" a date, "007" the number 7. A leading apostrophe keeps text as text and is not part of
# the cell's value. Guard only what could be reinterpreted, so most text travels unchanged.
_RISKY_START = ("=", "+", "-", "@", "'")
_DIGIT = re.compile(r"\d")
_WORD_VALUES = {"true", "false"}


def guard_text(text: str) -> str:
    """`text` as written to a cell so that it stays exactly that text."""
    if (
        text.startswith(_RISKY_START)
        or _DIGIT.search(text)
        or text.strip().casefold() in _WORD_VALUES
    ):
        return "'" + text
    return text


def cell_out(value: Value) -> Value:
    """A plan value as xlwings should write it (text guarded; dates and numbers as they are)."""
    if isinstance(value, str):
        return guard_text(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


# -- Every cell of a sheet ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """What the plan puts in one cell."""

    value: Value
    number_format: str | None
    style: Style


def _block_cells(block: CellBlock) -> Iterator[tuple[tuple[int, int], Cell]]:
    for i, (values, formats) in enumerate(zip(block.values, block.number_formats, strict=True)):
        for j, (value, nf) in enumerate(zip(values, formats, strict=True)):
            yield (block.row + i, block.col + j), Cell(value, nf, block.style_of(j))


def sheet_cells(sheet: SheetPlan) -> dict[tuple[int, int], Cell]:
    """Every cell the plan fills on a sheet: texts, blocks, table headers and bodies."""
    cells: dict[tuple[int, int], Cell] = {}
    for text in sheet.texts:
        for i, line in enumerate(text.lines):
            if line.text:
                cells[(text.row + i, text.col)] = Cell(line.text, None, line.style)
    for block in sheet.blocks:
        cells.update(_block_cells(block))
    for table in sheet.tables:
        for j, header in enumerate(table.columns):
            cells[(table.row, table.col + j)] = Cell(header, None, PLAIN)
        cells.update(_block_cells(table.body))
    return cells


def plan_cells(plan: Plan) -> dict[str, dict[tuple[int, int], Cell]]:
    """Cells of every sheet, by sheet name (to resolve chart ranges to their values)."""
    return {s.name: sheet_cells(s) for s in plan.sheets}


def value_grid(cells: dict[tuple[int, int], Cell], extra: Iterable[Rect] = ()) -> list[list]:
    """All values from A1 to the last filled cell, blanks as None: one write for the sheet.

    `extra` rectangles (a table's empty body row, say) extend the grid so their cells are
    written blank too.
    """
    rows = [r for r, _ in cells] + [x.last_row for x in extra]
    cols = [c for _, c in cells] + [x.last_col for x in extra]
    if not rows:
        return []
    grid: list[list] = [[None] * (max(cols) + 1) for _ in range(max(rows) + 1)]
    for (r, c), cell in cells.items():
        grid[r][c] = cell_out(cell.value)
    return grid


# -- Number formats as rectangles ---------------------------------------------------------------


def _cares(cell: Cell) -> bool:
    """A number format matters only where a number or date is shown."""
    return cell.value is not None and not isinstance(cell.value, str | bool)


def _runs(row: dict[int, str | None]) -> list[tuple[int, int, str]]:
    """Runs of one format along a row; cells that don't care (None) never end a run."""
    runs: list[tuple[int, int, str]] = []
    for c in sorted(row):
        fmt = row[c]
        if fmt is None:
            continue
        if (
            runs
            and runs[-1][2] == fmt
            and all(row.get(k) is None for k in range(runs[-1][1] + 1, c))
        ):
            runs[-1] = (runs[-1][0], c, fmt)
        else:
            runs.append((c, c, fmt))
    return runs


def _merge_down(runs_by_row: dict[int, list[tuple[int, int, str]]]) -> list[tuple[Rect, str]]:
    """Stack identical runs of consecutive rows into rectangles."""
    open_: dict[tuple[int, int, str], tuple[int, int]] = {}  # run -> (first row, last row)
    out: list[tuple[Rect, str]] = []

    def close(run: tuple[int, int, str]) -> None:
        first, last = open_.pop(run)
        out.append((Rect(first, run[0], last, run[1]), run[2]))

    for r in sorted(runs_by_row):
        current = set(runs_by_row[r])
        for run in [k for k, (_, last) in open_.items() if k not in current or last != r - 1]:
            close(run)
        for run in runs_by_row[r]:
            open_[run] = (open_[run][0] if run in open_ else r, r)
    for run in list(open_):
        close(run)
    return sorted(out, key=lambda x: (x[0].first_row, x[0].first_col))


def format_rects(block_cells: dict[tuple[int, int], Cell], bounds: Rect) -> list[tuple[Rect, str]]:
    """Few rectangles that give every number in `bounds` its format.

    The commonest format goes on the whole rectangle first (one action covers most cells), then
    runs of the others are stacked into rectangles on top. Text and blank cells take whatever is
    convenient, since a number format does not change how they look.
    """
    wanted = {
        rc: (cell.number_format or GENERAL) for rc, cell in block_cells.items() if _cares(cell)
    }
    if not wanted:
        return []
    background = Counter(wanted.values()).most_common(1)[0][0]
    out: list[tuple[Rect, str]] = []
    if background != GENERAL:
        out.append((bounds, background))
    rows: dict[int, dict[int, str | None]] = {}
    for (r, c), fmt in wanted.items():
        rows.setdefault(r, {})[c] = None if fmt == background else fmt
    runs_by_row = {r: runs for r, row in rows.items() if (runs := _runs(row))}
    return out + _merge_down(runs_by_row)


def sheet_format_rects(sheet: SheetPlan) -> list[tuple[Rect, str]]:
    """Format rectangles for every block and table body of a sheet (texts need none)."""
    out: list[tuple[Rect, str]] = []
    blocks = [*sheet.blocks, *(t.body for t in sheet.tables)]
    for block in blocks:
        if not block.n_rows or not block.n_cols:
            continue
        bounds = Rect(
            block.row, block.col, block.row + block.n_rows - 1, block.col + block.n_cols - 1
        )
        out += format_rects(dict(_block_cells(block)), bounds)
    return out


# -- Styles as rectangles -----------------------------------------------------------------------


def style_rects(sheet: SheetPlan) -> list[tuple[Rect, Style]]:
    """Rectangles of one non-plain style: consecutive text lines alike, block columns alike."""
    out: list[tuple[Rect, Style]] = []
    for text in sheet.texts:
        start = 0
        lines = text.lines
        for i in range(1, len(lines) + 1):
            if i == len(lines) or lines[i].style != lines[start].style:
                style = lines[start].style
                if style != PLAIN:
                    out.append(
                        (Rect(text.row + start, text.col, text.row + i - 1, text.col), style)
                    )
                start = i
    blocks = [*sheet.blocks, *(t.body for t in sheet.tables)]
    for block in blocks:
        if not block.n_rows:
            continue
        last_row = block.row + block.n_rows - 1
        start = 0
        for j in range(1, block.n_cols + 1):
            if j == block.n_cols or block.style_of(j) != block.style_of(start):
                style = block.style_of(start)
                if style != PLAIN:
                    out.append(
                        (Rect(block.row, block.col + start, last_row, block.col + j - 1), style)
                    )
                start = j
    return out


# -- Chart data -------------------------------------------------------------------------------

PIXELS_PER_COLUMN = 64  # Excel's default column width at 100% zoom
CHART_DATA_GAP = 2  # blank columns between the chart grid and the chart data


@dataclass(frozen=True)
class ChartSource:
    """Where one chart's series live in the chart-data block."""

    measure_id: str
    source: Rect  # series names in the first column, one row per series
    categories: Rect  # the month-end row


@dataclass(frozen=True)
class ChartData:
    """The cells the charts of one `Charts - <section>` sheet read.

    Excel charts made through xlwings take their series from one rectangle, so a chart cannot
    read a value row and a target row that sit apart on `KPI Values`. Each sheet therefore gets
    a copy of its charts' rows, side by side per chart, to the right of the chart grid (and
    outside the print area). The numbers are the plan's own `KPI Values` cells, copied.
    """

    cells: dict[tuple[int, int], Cell]
    sources: dict[str, ChartSource]
    grid_last_col: int  # the last column the chart grid covers (print area edge)
    grid_last_row: int


def chart_data(
    sheet: SheetPlan, cells_by_sheet: dict[str, dict[tuple[int, int], Cell]]
) -> ChartData:
    """The chart-data block of a chart sheet (empty when the sheet has no charts)."""
    if not sheet.charts:
        return ChartData({}, {}, 0, 0)
    grid_last_col = max(
        p.col + -(-p.width // PIXELS_PER_COLUMN) for p in (c.placement for c in sheet.charts)
    )
    grid_last_row = max(p.row + -(-p.height // 20) for p in (c.placement for c in sheet.charts))
    col0 = grid_last_col + CHART_DATA_GAP
    out: dict[tuple[int, int], Cell] = {}
    heading = "Chart data: copied from KPI Values on refresh; the charts on this sheet read it."
    out[(0, col0)] = Cell(heading, None, PLAIN)
    first = sheet.charts[0].series[0].categories
    months = resolve(first, cells_by_sheet)
    out[(1, col0)] = Cell("Measure ID", None, PLAIN)
    out[(1, col0 + 1)] = Cell("Month end", None, PLAIN)
    for k, cell in enumerate(months):
        out[(1, col0 + 2 + k)] = cell
    categories = Rect(1, col0 + 2, 1, col0 + 1 + len(months))
    row = 2
    sources: dict[str, ChartSource] = {}
    for chart in sheet.charts:
        top = row
        for series in chart.series:
            out[(row, col0)] = Cell(chart.measure_id, None, PLAIN)
            out[(row, col0 + 1)] = Cell(series.name, None, PLAIN)
            for k, cell in enumerate(resolve(series.values, cells_by_sheet)):
                out[(row, col0 + 2 + k)] = cell
            row += 1
        source = Rect(top, col0 + 1, row - 1, col0 + 1 + len(months))
        sources[chart.measure_id] = ChartSource(chart.measure_id, source, categories)
    return ChartData(out, sources, grid_last_col, grid_last_row)


def resolve(rng: CellRange, cells_by_sheet: dict[str, dict[tuple[int, int], Cell]]) -> list[Cell]:
    """The plan's cells of a one-row or one-column range, in order (blank cells as blanks)."""
    cells = cells_by_sheet[rng.sheet]
    blank = Cell(None, None, PLAIN)
    return [
        cells.get((r, c), blank)
        for r in range(rng.first_row, rng.last_row + 1)
        for c in range(rng.first_col, rng.last_col + 1)
    ]
