"""XlsxWriter backend: write a plan's sheets, and nothing else, into a new (scratch) workbook.

The package surgery (`xl_addin.ooxml`) transplants these sheets into the user's workbook, so the
scratch holds values only (no formulas), no defined names, no VBA, and charts that reference
generated sheets only. This module translates the plan; it takes no KPI decisions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..cellref import cell_name
from ..engine.models import Results
from .build import render_plan
from .plan import (
    Axis,
    CellBlock,
    ChartPlan,
    ConditionalFormat,
    Hyperlink,
    PageSetup,
    Plan,
    SeriesPlan,
    SheetPlan,
    Sparkline,
    Style,
    TablePlan,
    Value,
)
from .styles import TABLE_HEADER

__all__ = ["WORKBOOK_OPTIONS", "render_plan", "render_scratch", "write_scratch"]

# User text is text: never a formula, a link or a number. Never constant_memory (tables need
# random access, and pandas + constant_memory loses data silently).
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
A4 = 9
VALUE_LINE_WIDTH, TARGET_LINE_WIDTH = 2.25, 1.75
SPC_LINE_WIDTH = 1.25  # an SPC chart's mean and limits: context, not the story
GRIDLINE = "#D9D9D9"
# Text that Excel would turn into a formula (or CSV tools into one) if a user re-typed it: the
# cell gets Excel's quote prefix, so it stays text even after an edit.
_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


class _Formats:
    """One XlsxWriter Format per (style, number format), one dxf per CF look."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.cells: dict[tuple[Style, str | None, bool], Format] = {}
        self.dxfs: dict[tuple[str, str, bool], Format] = {}

    def cell(self, style: Style, num_format: str | None, quote: bool = False) -> Format | None:
        key = (style, num_format, quote)
        if key not in self.cells:
            props: dict[str, Any] = {}
            if quote:
                props["quote_prefix"] = True
            if num_format:
                props["num_format"] = num_format
            if style.bold:
                props["bold"] = True
            if style.italic:
                props["italic"] = True
            if style.size:
                props["font_size"] = style.size
            if style.font_color:
                props["font_color"] = style.font_color
            if style.fill:
                props.update(pattern=1, bg_color=style.fill)
            if style.wrap:
                props["text_wrap"] = True
            if style.valign_top:
                props["valign"] = "top"
            if style.align:
                props["align"] = style.align
            self.cells[key] = self.book.add_format(props) if props else None
        return self.cells[key]

    def dxf(self, rule: ConditionalFormat) -> Format:
        key = (rule.fill, rule.font_color, rule.bold)
        if key not in self.dxfs:
            props = {"bg_color": rule.fill, "font_color": rule.font_color, "bold": rule.bold}
            self.dxfs[key] = self.book.add_format(props)
        return self.dxfs[key]


def _write(
    ws: Worksheet, row: int, col: int, value: Value, fmt: Format | None, filled: bool = False
) -> None:
    if value is None:
        if fmt is not None and filled:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_number(row, col, value, fmt)


def _write_block(ws: Worksheet, block: CellBlock, formats: _Formats) -> None:
    styles = [block.style_of(j) for j in range(block.n_cols)]
    # A local cache by column: hashing a Style for every cell costs more than writing it.
    local: dict[tuple[int, str | None, bool], Format | None] = {}
    for i, (values, fmts) in enumerate(zip(block.values, block.number_formats, strict=True)):
        row = block.row + i
        for j, (value, nf) in enumerate(zip(values, fmts, strict=True)):
            quote = isinstance(value, str) and value.startswith(_FORMULA_LEADS)
            key = (j, nf, quote)
            fmt = (
                local[key]
                if key in local
                else local.setdefault(key, formats.cell(styles[j], nf, quote))
            )
            if value is None:
                # Only a fill shows on an empty cell. A blank written for its number format
                # alone would reach chart caches as 0 (XlsxWriter caches "" as 0), drawing a
                # zero that is not there: no cell at all keeps the gap.
                if fmt is not None and styles[j].fill:
                    ws.write_blank(row, block.col + j, None, fmt)
            elif type(value) is float or type(value) is int:
                ws.write_number(row, block.col + j, value, fmt)
            else:
                _write(ws, row, block.col + j, value, fmt)


def _write_table(ws: Worksheet, table: TablePlan, formats: _Formats) -> None:
    ref = table.ref
    headed = table.header_values is None
    ws.add_table(
        ref.first_row + (0 if headed else 1),
        ref.first_col,
        ref.last_row,
        ref.last_col,
        {
            "name": table.name,
            "style": table.style,
            "banded_rows": table.banded_rows,
            "autofilter": headed,
            "header_row": headed,
            "columns": [
                {"header": c, **_header_format(table, i, formats)}
                for i, c in enumerate(table.columns)
            ],
        },
    )
    if not headed:
        header_formats = table.header_formats or (None,) * len(table.columns)
        _write_block(
            ws,
            CellBlock(
                table.row, table.col, (table.header_values,), (header_formats,), TABLE_HEADER
            ),
            formats,
        )
    _write_block(ws, table.body, formats)


def _header_format(table: TablePlan, index: int, formats: _Formats) -> dict[str, Any]:
    """The header cell's own format, when the plan gives one (see TablePlan.header_styles)."""
    if index >= len(table.header_styles):
        return {}
    return {"header_format": formats.cell(table.header_styles[index], None)}


def _series_options(s: SeriesPlan) -> dict[str, Any]:
    opts: dict[str, Any] = {
        "name": s.name,
        "categories": s.categories.formula,
        "values": s.values.formula,
    }
    if s.kind == "column":
        opts["fill"] = {"color": s.color}
        opts["border"] = {"none": True}
        opts["gap"] = 60
        return opts
    width = (
        SPC_LINE_WIDTH if s.role == "spc" else TARGET_LINE_WIDTH if s.dashed else VALUE_LINE_WIDTH
    )
    opts["line"] = {"color": s.color, "width": width} if s.line else {"none": True}
    if s.dashed and s.line:
        opts["line"]["dash_type"] = "dash"
    opts["marker"] = (
        {"type": "circle", "size": 5, "fill": {"color": s.color}, "border": {"color": s.color}}
        if s.marker
        else {"type": "none"}
    )
    return opts


def _axis_options(axis: Axis, gridlines: bool) -> dict[str, Any]:
    opts: dict[str, Any] = {}
    if axis.num_format:
        opts["num_format"] = axis.num_format
    if axis.min is not None:
        opts["min"] = axis.min
    if axis.max is not None:
        opts["max"] = axis.max
    if axis.date_axis:
        opts["date_axis"] = True
    if axis.title:
        opts["name"] = axis.title
    if axis.major_unit:
        opts["major_unit"] = axis.major_unit
    if gridlines:
        opts["major_gridlines"] = {"visible": True, "line": {"color": GRIDLINE}}
    return opts


def _never_smooth(chart) -> None:
    """Write `<c:smooth val="0"/>` on every line series.

    XlsxWriter writes the element only for smoothed lines, and readers disagree on what its
    absence means: LibreOffice smooths when the file says a recent Excel wrote it, and a smoothed
    line overshoots (a target of 620 then 600 dips to 597). XlsxWriter has no option for an
    explicit 0, so this replaces its one-line writer of the element on this chart.
    """

    def write(smooth) -> None:
        chart._xml_empty_tag("c:smooth", [("val", "1" if smooth else "0")])

    chart._write_c_smooth = write


def _explicit_blanks(chart) -> None:
    """Write `<c:dispBlanksAs>` even for "gap", which XlsxWriter leaves out as its default: the
    schema's own default is "zero", and a blank month must never be read as a zero."""

    def write() -> None:
        chart._xml_empty_tag("c:dispBlanksAs", [("val", chart.show_blanks)])

    chart._write_disp_blanks_as = write


def _chart(book: Workbook, plan: ChartPlan):
    """The chart of plan.kind; series of another kind go on a combined chart (same axes)."""
    chart = book.add_chart({"type": plan.kind})
    other = None
    for s in plan.series:
        if s.kind == plan.kind:
            chart.add_series(_series_options(s))
        else:
            other = other or book.add_chart({"type": s.kind})
            other.add_series(_series_options(s))
    for c in (chart, other):
        if c is not None and c.__class__.__name__ == "ChartLine":
            _never_smooth(c)
    if other is not None:
        chart.combine(other)
    chart.set_title({"name": plan.title, "name_font": {"size": 11, "bold": True}})
    chart.set_legend({"position": "bottom"} if plan.legend == "bottom" else {"none": True})
    chart.set_x_axis(_axis_options(plan.x_axis, gridlines=False))
    chart.set_y_axis(_axis_options(plan.y_axis, gridlines=True))
    chart.show_blanks_as("span" if plan.span_gaps and plan.kind == "line" else "gap")
    _explicit_blanks(chart)
    chart.set_size({"width": plan.placement.width, "height": plan.placement.height})
    return chart


def _write_sparklines(ws: Worksheet, sparklines: tuple[Sparkline, ...]) -> None:
    """One sparkline group per look: Excel stores a group once, however many cells it draws."""
    groups: dict[tuple, list[Sparkline]] = {}
    for s in sparklines:
        groups.setdefault((s.color, s.empty, s.markers, s.last_point), []).append(s)
    for (color, empty, markers, last_point), members in groups.items():
        first = members[0]
        opts: dict[str, Any] = {
            "location": [cell_name(s.row, s.col) for s in members],
            "range": [s.source.formula.replace("$", "") for s in members],
            "type": "line",
            "series_color": color,
            "empty_cells": empty,
            "markers": markers,
        }
        if last_point:
            opts["last_point"] = True
            opts["last_color"] = color
        ws.add_sparkline(first.row, first.col, opts)


def _write_links(ws: Worksheet, links: tuple[Hyperlink, ...], book: Workbook) -> None:
    """Internal links only (`internal:`), in Excel's own Hyperlink style (its look, aligned
    to the top of the cell, for a link beside wrapped text)."""
    top = None
    for link in links:
        if link.valign_top and top is None:
            top = book.add_format({"font_color": "#0563C1", "underline": 1, "valign": "top"})
        ws.write_url(
            link.row,
            link.col,
            "internal:" + link.location,
            top if link.valign_top else None,
            link.text,
            link.tip or None,
        )


def _page_setup(ws: Worksheet, page: PageSetup) -> None:
    ws.set_paper(A4)
    if page.landscape:
        ws.set_landscape()
    if page.fit_width or page.fit_height:  # neither: print at full size
        ws.fit_to_pages(page.fit_width, page.fit_height)
    edge: dict[str, float] = {}
    if page.margins:
        sides, ends, edge["margin"] = page.margins
        ws.set_margins(left=sides, right=sides, top=ends, bottom=ends)
    if page.header:
        ws.set_header(page.header, edge)
    if page.footer:
        ws.set_footer(page.footer, edge)
    if page.repeat_rows:
        ws.repeat_rows(*page.repeat_rows)
    if page.row_breaks:
        ws.set_h_pagebreaks(list(page.row_breaks))
    if page.print_area:
        ws.print_area(*page.print_area)


def _write_sheet(book: Workbook, sheet: SheetPlan, formats: _Formats) -> None:
    ws = book.add_worksheet(sheet.name)
    for w in sheet.column_widths:
        ws.set_column(w.first, w.last, w.width)
    for text in sheet.texts:
        for i, line in enumerate(text.lines):
            if line.text:
                ws.write_string(text.row + i, text.col, line.text, formats.cell(line.style, None))
            if line.height is not None:
                ws.set_row(text.row + i, line.height)
    for row, height in sheet.row_heights:
        ws.set_row(row, height)
    for block in sheet.blocks:
        _write_block(ws, block, formats)
    for table in sheet.tables:
        _write_table(ws, table, formats)
    for rule in sheet.conditional_formats:
        ws.conditional_format(
            rule.range.a1,
            {
                "type": "cell",
                "criteria": "equal to",
                "value": '"' + rule.equals.replace('"', '""') + '"',
                "format": formats.dxf(rule),
            },
        )
    _write_sparklines(ws, sheet.sparklines)
    _write_links(ws, sheet.links, book)
    for chart in sheet.charts:
        ws.insert_chart(
            chart.placement.row,
            chart.placement.col,
            _chart(book, chart),
            {"description": chart.description, "object_position": 1},
        )
    if sheet.freeze:
        ws.freeze_panes(*sheet.freeze)
    if not sheet.show_gridlines:
        ws.hide_gridlines(2)
    _page_setup(ws, sheet.page)


def write_scratch(
    plan: Plan,
    path: str | Path,
    *,
    properties: dict[str, str] | None = None,
    in_memory: bool = False,
    date_1904: bool = False,
    custom_properties: dict[str, str] | None = None,
) -> Path:
    """Write every sheet of `plan` to a new workbook at `path` (replaced if it exists).

    `properties` are document properties (title, subject, ...) for files people open directly;
    without them the file carries none, so no author or user name leaks into it. `in_memory`
    assembles the parts in memory instead of one temporary file each (faster for a workbook of
    hundreds of charts; the parts of a board pack are a few MB at most). `date_1904` writes
    dates for a workbook that counts from 1904, so they can be transplanted into it.
    `custom_properties` (File > Properties > Custom) mark a file as ours, as the board pack does.
    """
    path = Path(path)
    options = {**WORKBOOK_OPTIONS, "in_memory": in_memory, "date_1904": date_1904}
    book = xlsxwriter.Workbook(str(path), options)
    if properties:
        book.set_properties(properties)
    for name, value in (custom_properties or {}).items():
        book.set_custom_property(name, value)
    formats = _Formats(book)
    for sheet in plan.sheets:
        _write_sheet(book, sheet, formats)
    book.close()
    return path


def render_scratch(results: Results, path: str | Path) -> Plan:
    """Plan and write in one call; returns the plan so callers know the sheet names."""
    plan = render_plan(results)
    write_scratch(plan, path)
    return plan
