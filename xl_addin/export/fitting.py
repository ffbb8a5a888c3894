"""Pack sheets laid out for the printed page (the measures are in `paper`).

Every column is as wide as its text, unless the printed columns would then need shrinking below
`paper.MIN_ZOOM` to fit the page width: then text columns wrap, the fewest lines a row that fit
(`_choose`), and every row is as tall as its wrapped text. Cells of a table beside a wrapped cell
are aligned to the top, so each row reads across on one line. Header rows get a look of their own
(bold white on blue, aligned like the column), since LibreOffice draws no table styles and a
printed header row would otherwise look like data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..render.plan import CellBlock, ColumnWidth, SheetPlan, Style, TablePlan, TextBlock, Value
from ..render.styles import TABLE_HEADER
from . import paper

MAX_LINES = 8  # rows may grow to this many lines to save width, never more
# Print as large as possible while rows stay short: at full size if text wrapped onto at most 3
# lines a row fits the page, else at 90% with 4, else at MIN_ZOOM with as few as fit.
ZOOMS = ((1.0, 3), (0.9, 4), (paper.MIN_ZOOM, MAX_LINES))
SCREEN_ONLY_WIDTH = 60.0  # the widest a column that does not print is made
HEADER_LINES = 2  # a header may wrap onto two lines even when no row wraps
DEFAULT_WIDTH = 8.43  # Excel's column width where none is set
_SLACK = 0.25  # units: the precision of a chosen width


@dataclass(frozen=True)
class _Text:
    """A cell's text as it prints, and whether it may wrap (text, not a number or a date)."""

    text: str
    bold: bool = False
    size: float = 11.0
    breakable: bool = True
    header: bool = False
    full: float = dataclasses.field(init=False, compare=False)  # its width on one line
    floor: float = dataclasses.field(init=False, compare=False)  # its narrowest column

    def __post_init__(self) -> None:
        full = paper.column_width(self.text, self.bold, self.size)
        floor = paper.longest_piece(self.text, self.bold, self.size) if self.breakable else full
        object.__setattr__(self, "full", full)
        object.__setattr__(self, "floor", floor)

    def lines(self, width: float) -> int:
        if not self.breakable or self.full <= width:
            return 1
        return paper.lines_needed(self.text, width, self.bold, self.size)


def shown(value: Value, num_format: str | None) -> str:
    """About what a cell shows, to know how wide it prints."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y}" if "d" in (num_format or "") else f"{value:%b-%y}"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    fmt = num_format or ""
    places = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
    if fmt.endswith("%"):
        return f"{value * 100:,.{places}f}%"
    if fmt:
        return f"{value:,.{places}f}"
    return f"{value:g}"


def _text(value: Value, num_format: str | None, style: Style, header: bool = False) -> _Text:
    return _Text(
        shown(value, num_format),
        style.bold or header,
        style.size or 11.0,
        isinstance(value, str),
        header,
    )


@dataclass
class _Cells:
    """The sheet's texts by column (each with its row), and the lines that run across columns."""

    by_col: dict[int, list[tuple[int, _Text]]] = dataclasses.field(
        default_factory=lambda: defaultdict(list)
    )
    overflow: list[tuple[int, int, _Text]] = dataclasses.field(default_factory=list)

    def add(self, row: int, col: int, text: _Text) -> None:
        if text.text:
            self.by_col[col].append((row, text))

    def add_block(self, block: CellBlock) -> None:
        for i, (values, fmts) in enumerate(zip(block.values, block.number_formats, strict=True)):
            for j, (value, nf) in enumerate(zip(values, fmts, strict=True)):
                self.add(block.row + i, block.col + j, _text(value, nf, block.style_of(j)))


def _cells(sheet: SheetPlan) -> _Cells:
    cells = _Cells()
    for table in sheet.tables:
        if table.header_values is None:
            for j, name in enumerate(table.columns):
                cells.add(table.row, table.col + j, _Text(name, True, header=True))
        else:
            formats = table.header_formats or (None,) * len(table.columns)
            for j, (value, nf) in enumerate(zip(table.header_values, formats, strict=True)):
                cells.add(table.row, table.col + j, _text(value, nf, TABLE_HEADER, True))
        cells.add_block(table.body)
    for block in sheet.blocks:
        cells.add_block(block)
    for text in sheet.texts:
        for i, line in enumerate(text.lines):
            t = _text(line.text, None, line.style)
            if line.style.wrap:
                cells.add(text.row + i, text.col, t)
            elif t.text:
                cells.overflow.append((text.row + i, text.col, t))
    for link in sheet.links:
        cells.add(link.row, link.col, _Text(link.text, breakable=False))
    return cells


def _width_for(texts: list[_Text], lines: int, natural: float, floor: float) -> float:
    """The narrowest width, between floor and natural, at which no text needs more than `lines`
    lines (headers `HEADER_LINES` at least)."""

    lo, hi = floor, natural
    texts = [t for t in texts if t.breakable and t.full > lo]  # the rest fit on one line

    def fits(width: float) -> bool:
        return all(t.lines(width) <= max(lines, HEADER_LINES if t.header else 1) for t in texts)

    if fits(lo):
        return lo
    while hi - lo > _SLACK:
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if fits(mid) else (mid, hi)
    return hi


def _choose(
    cells: dict[int, list[tuple[int, _Text]]], columns: list[int], empty: dict[int, float]
) -> dict[int, float]:
    """Widths for the printed columns: the first of ZOOMS at which text columns, wrapped onto
    no more than its lines a row, fit the page (MAX_LINES if nothing does); what is left of the
    page goes where it saves the most lines. Printed columns without text (`empty`) keep their
    widths."""
    filled = [c for c in columns if cells.get(c)]
    unique = {c: list(dict.fromkeys(t for _, t in cells[c])) for c in filled}
    natural = {c: max(t.full for t in unique[c]) for c in filled}
    floor = {c: max(t.floor for t in unique[c]) for c in filled}
    widths = natural
    for zoom, most in ZOOMS:
        budget = paper.page_units(len(columns), zoom) - sum(empty.values())
        for lines in range(1, most + 1):
            widths = {c: _width_for(unique[c], lines, natural[c], floor[c]) for c in filled}
            if sum(widths.values()) <= budget:
                _Rows({c: cells[c] for c in filled}, widths).spend(natural, budget)
                return {**empty, **widths}
    return {**empty, **widths}


class _Rows:
    """How many lines each row of the printed columns takes at the current widths."""

    def __init__(self, cells: dict[int, list[tuple[int, _Text]]], widths: dict[int, float]):
        self.cells, self.widths = cells, widths
        self.lines = {c: self._lines(c, widths[c]) for c in cells}

    def _lines(self, col: int, width: float) -> dict[int, int]:
        out: dict[int, int] = {}
        for row, text in self.cells[col]:
            n = text.lines(width)
            if n > out.get(row, 1):
                out[row] = n
        return out

    def _others(self, col: int) -> dict[int, int]:
        """Each row's lines in the columns other than `col`."""
        tallest: dict[int, int] = {}
        for c, by_row in self.lines.items():
            if c != col:
                for row, n in by_row.items():
                    if n > tallest.get(row, 1):
                        tallest[row] = n
        return tallest

    def spend(self, natural: dict[int, float], budget: float) -> None:
        """Widen, a step at a time, the column that saves the most lines for its width, while
        the page has room (a row is as tall as its tallest cell, so a step that shortens cells
        beside taller ones saves nothing)."""
        while True:
            spare = budget - sum(self.widths.values())
            best: tuple[float, int, float, dict[int, int]] | None = None
            for c, now in self.lines.items():
                if not now:
                    continue  # every cell on one line already
                others = self._others(c)
                step = 1.0
                while step <= spare and self.widths[c] < natural[c]:
                    width = min(self.widths[c] + step, natural[c])
                    trial = self._lines(c, width)
                    saved = sum(
                        max(n, others.get(r, 1)) - max(trial.get(r, 1), others.get(r, 1))
                        for r, n in now.items()
                    )
                    if saved > 0:
                        rate = saved / (width - self.widths[c])
                        if best is None or rate > best[0]:
                            best = (rate, c, width, trial)
                        break
                    step *= 2
            if best is None:
                return
            _, c, width, lines = best
            self.widths[c] = width
            self.lines[c] = lines


def _printed(sheet: SheetPlan, cells: _Cells) -> tuple[range, range | None]:
    """The columns that print, and the rows (None: every row)."""
    area = sheet.page.print_area
    if area is not None:
        return range(area[1], area[3] + 1), range(area[0], area[2] + 1)
    last = max([*cells.by_col, *(c for _, c, _ in cells.overflow)], default=0)
    return range(0, last + 1), None


def _widen_for_lines(
    widths: dict[int, float], columns: range, cells: _Cells, rows: range | None
) -> None:
    """Lines of text run across empty cells and print only as far as the page: widen the last
    printed column until the longest such line fits (the page then prints at a lower zoom)."""
    order = list(columns)
    start = {  # where each column starts, in units from the first
        c: sum(paper.column_points(widths[d]) for d in order[: order.index(c)])
        / paper.POINTS_PER_UNIT
        for c in order
    }
    reach = max(
        (
            start[c] + t.full
            for r, c, t in cells.overflow
            if c in start and (rows is None or r in rows)
        ),
        default=0.0,
    )
    room = paper.line_room([widths[c] for c in order])
    if reach > room and order:
        widths[order[-1]] += reach - room


def _fitted_widths(sheet: SheetPlan, cells: _Cells) -> tuple[dict[int, float], range]:
    """Widths of every column with text (printed ones fitted to the page), and the printed
    columns. Cells outside the printed rows count too: they are read on screen."""
    columns, _ = _printed(sheet, cells)
    own = {c: w.width for w in sheet.column_widths for c in range(w.first, w.last + 1)}
    printed = {c: cells.by_col.get(c, []) for c in columns}
    empty = {c: own.get(c, DEFAULT_WIDTH) for c in columns if not printed[c]}
    widths = _choose(printed, list(columns), empty)
    for c, found in cells.by_col.items():
        if c not in widths:
            widths[c] = min(max(t.full for _, t in found), SCREEN_ONLY_WIDTH)
    return widths, columns


def text_room(sheet: SheetPlan) -> float:
    """How wide, in units, a line of text from the first printed column may be and still print
    whole once the sheet is fitted (lines run across empty cells only as far as the page)."""
    widths, columns = _fitted_widths(sheet, _cells(sheet))
    return paper.line_room([widths[c] for c in columns])


def fit(sheet: SheetPlan) -> SheetPlan:
    """`sheet` with its columns, wrapping, row heights and header looks laid out for paper."""
    cells = _cells(sheet)
    widths, columns = _fitted_widths(sheet, cells)
    _widen_for_lines(widths, columns, cells, _printed(sheet, cells)[1])
    wrapped = {
        c for c, found in cells.by_col.items() if any(t.lines(widths[c]) > 1 for _, t in found)
    }
    heights = _row_heights(cells, widths)
    page = sheet.page
    if paper.zoom_for([widths[c] for c in columns]) >= 1.0:
        # Fits at full size: no fitting at all. Asked to fit a sheet that needs no shrinking,
        # LibreOffice can count a page too many and print it blank after the sheet.
        page = dataclasses.replace(page, fit_width=0, fit_height=0)
    return dataclasses.replace(
        sheet,
        page=page,
        column_widths=_column_widths(sheet, widths),
        tables=tuple(_table(t, wrapped) for t in sheet.tables),
        blocks=tuple(_block(b, wrapped) for b in sheet.blocks),
        texts=tuple(_texts(t, widths) for t in sheet.texts),
        links=tuple(dataclasses.replace(k, valign_top=True) for k in sheet.links),
        row_heights=_merge_heights(sheet, cells, heights),
    )


def _row_heights(cells: _Cells, widths: dict[int, float]) -> dict[int, float]:
    tallest: dict[int, float] = {}
    for c, found in cells.by_col.items():
        for r, t in found:
            n = t.lines(widths[c])
            if n > 1:
                tallest[r] = max(tallest.get(r, 0.0), paper.row_height(n, t.size))
    return tallest


def _merge_heights(
    sheet: SheetPlan, cells: _Cells, heights: dict[int, float]
) -> tuple[tuple[int, float], ...]:
    """The fitted heights of rows holding cells, and the sheet's own heights of other rows."""
    owned = {r for found in cells.by_col.values() for r, _ in found}
    kept = {r: h for r, h in sheet.row_heights if r not in owned}
    return tuple(sorted({**kept, **heights}.items()))


def _column_widths(sheet: SheetPlan, widths: dict[int, float]) -> tuple[ColumnWidth, ...]:
    """One width per column with text; the sheet's own widths for the others."""
    own = [
        ColumnWidth(c, c, w.width)
        for w in sheet.column_widths
        for c in range(w.first, w.last + 1)
        if c not in widths
    ]
    fitted = [ColumnWidth(c, c, math.ceil(w * 100) / 100) for c, w in widths.items()]
    return tuple(sorted([*own, *fitted], key=lambda w: w.first))


def _restyle(styles: Iterable[Style], first_col: int, wrapped: set[int]) -> tuple[Style, ...]:
    """Wrap the wrapped columns; align a row's cells to the top when any of them wraps."""
    styles = list(styles)
    if not any(first_col + j in wrapped for j in range(len(styles))):
        return tuple(styles)
    return tuple(
        dataclasses.replace(s, wrap=s.wrap or first_col + j in wrapped, valign_top=True)
        for j, s in enumerate(styles)
    )


def _block(block: CellBlock, wrapped: set[int]) -> CellBlock:
    styles = _restyle((block.style_of(j) for j in range(block.n_cols)), block.col, wrapped)
    return dataclasses.replace(block, column_styles=styles)


def _align(block: CellBlock, col: int) -> str | None:
    """How a column's cells line up: as styled, else right for figures and dates (as Excel
    and LibreOffice draw them), so a header aligned the same way sits over its figures."""
    own = block.style_of(col).align
    if own:
        return own
    values = [r[col] for r in block.values if col < len(r) and r[col] is not None]
    figures = all(isinstance(v, int | float | dt.datetime) for v in values)
    return "right" if values and figures else None


def _table(table: TablePlan, wrapped: set[int]) -> TablePlan:
    body = _block(table.body, wrapped)
    if table.header_values is not None:
        return dataclasses.replace(table, body=body)
    headers = tuple(
        dataclasses.replace(TABLE_HEADER, wrap=True, align=_align(body, j))
        for j in range(len(table.columns))
    )
    return dataclasses.replace(table, body=body, header_styles=headers)


def _texts(block: TextBlock, widths: dict[int, float]) -> TextBlock:
    """Wrapped lines as tall as their text now needs."""
    lines = tuple(
        dataclasses.replace(
            line,
            height=(
                paper.row_height(n, line.style.size or 11.0)
                if (n := _text(line.text, None, line.style).lines(widths[block.col])) > 1
                else None
            ),
        )
        if line.style.wrap and line.text
        else line
        for line in block.lines
    )
    return dataclasses.replace(block, lines=lines)
