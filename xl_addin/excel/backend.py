"""xlwings backend: apply a render plan to an open workbook through xlwings' public API.

The same code drives desktop Excel over COM and xlwings' remote engine (Office.js), so it uses
only `xw.Book` / `Sheet` / `Range` / `Chart` calls that both implement, and reads nothing back
after writing (the remote engine's snapshot does not see its own writes). It translates the plan;
every KPI decision was taken in `xl_addin.render`. Writes are whole ranges (`layout`), never cell
by cell.

Two things xlwings' API cannot say on every engine go through `Book.app.macro(...)`, which is the
public cross-engine way to call host code: a VBA sub in the add-in on the desktop, a JavaScript
callback registered by the Office.js client on the remote engine (a `runMacro` action):
    XlAddinFormatSeries  series colour, chart type (a target line on a column chart), dash, marker
    XlAddinFinishChart   show gaps as connected lines, and the chart's alt text
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..cellref import column_letter
from ..contract.schema import INPUT_SHEETS
from ..ooxml import registry
from ..render.names import CHARTS_PREFIX
from ..render.plan import ChartPlan, ConditionalFormat, Plan, SheetPlan, Style
from ..render.styles import TABLE_HEADER
from . import layout
from .errors import sheet_collision, table_collision
from .reader import sheet_by_exact_name

REGISTRY_NAME = "_xl_addin_generated"  # the same defined name the file route writes
ADDIN_FILE = "xl_addin.xlam"
FORMAT_SERIES_MACRO = "XlAddinFormatSeries"
FINISH_CHART_MACRO = "XlAddinFinishChart"
POINTS_PER_PIXEL = 0.75
CHART_STYLE = 227  # Excel's modern default look
POINT_ENGINES = ("remote", "officejs")  # engines whose column widths are in points

Progress = Callable[[str], None]


def _no_progress(_: str) -> None:
    pass


def chart_name(measure_id: str) -> str:
    """Charts are named after their measure, so a later refresh finds and replaces them."""
    return f"KPI {measure_id}"


def engine_name(book: Any) -> str:
    return book.app.engine.name


def column_width_units(chars: float, engine: str) -> float:
    """Excel character widths in the unit this engine's `column_width` takes.

    Classic xlwings passes characters to COM; xlwings Server and Lite pass points to Office.js
    (Calibri 11: a width of w characters is 7w + 5 pixels, 0.75 points each).
    """
    if engine in POINT_ENGINES:
        return round((7 * chars + 5) * POINTS_PER_PIXEL, 2)
    return chars


def _range(sheet: Any, rect: layout.Rect) -> Any:
    return sheet.range(
        (rect.first_row + 1, rect.first_col + 1), (rect.last_row + 1, rect.last_col + 1)
    )


# -- Which sheets are ours ------------------------------------------------------------------


@dataclass
class Registry:
    """The generated sheets a previous refresh recorded.

    `names` is None when the book has no registry, and `known` is False when it has one whose
    value this engine cannot read (Office.js clients that send only range names): then sheets
    bearing generated names are taken to be ours, since nothing else writes that name.
    """

    names: list[str] | None
    known: bool
    exists: bool

    def owns(self, name: str) -> bool:
        if not self.exists:
            return False
        if not self.known:
            return True
        return name.casefold() in {n.casefold() for n in self.names or []}


def read_registry(book: Any) -> Registry:
    for name in book.names:
        if name.name == REGISTRY_NAME:
            refers_to = name.refers_to
            if refers_to is None:
                return Registry(None, False, True)
            return Registry(registry.decode(refers_to) or [], True, True)
    return Registry(None, True, False)


def write_registry(book: Any, sheet_names: list[str]) -> None:
    formula = "=" + registry.encode(sheet_names)
    for name in book.names:
        if name.name == REGISTRY_NAME:
            name.refers_to = formula
            return
    book.names.add(REGISTRY_NAME, formula)


# -- Writing one sheet ----------------------------------------------------------------------


@dataclass
class SheetWriter:
    """Writes one sheet plan onto one xlwings sheet (new, or reset by `reset_sheet`)."""

    book: Any
    plan_cells: dict[str, dict[tuple[int, int], layout.Cell]]
    engine: str
    macro_prefix: str = ""
    kept_tables: dict[str, Any] = field(default_factory=dict)  # name -> table to resize

    def write(self, sheet: Any, plan: SheetPlan) -> None:
        cells = dict(self.plan_cells[plan.name])
        dated: dict[tuple[int, int], layout.Cell] = {}
        for table in plan.tables:
            kept = self.kept_tables.get(table.name.casefold())
            if table.header_values is not None and kept is not None and _headless(kept):
                # a file refresh left this table without a header row: keep it so (its
                # structured references keep working) and put the dated headers above it
                formats = table.header_formats or (None,) * len(table.columns)
                for j, (value, fmt) in enumerate(zip(table.header_values, formats, strict=True)):
                    dated[(table.row, table.col + j)] = layout.Cell(value, fmt, TABLE_HEADER)
        cells.update(dated)
        data = layout.chart_data(plan, self.plan_cells)
        cells.update(data.cells)
        table_rects = [layout.Rect.of(t.ref) for t in plan.tables]
        grid = layout.value_grid(cells, table_rects)
        if grid:
            sheet.range((1, 1)).value = grid
        self._column_widths(sheet, plan)
        for rect, fmt in layout.sheet_format_rects(plan):
            _range(sheet, rect).number_format = fmt
        if dated:
            for rect, fmt in layout.format_rects(dated, _bounds(dated)):
                _range(sheet, rect).number_format = fmt
            for row in {r for r, _ in dated}:
                cols = [c for r, c in dated if r == row]
                self._style(sheet, layout.Rect(row, min(cols), row, max(cols)), TABLE_HEADER)
        if data.cells:
            self._chart_data_formats(sheet, data)
        for rect, style in layout.style_rects(plan):
            self._style(sheet, rect, style)
        for table in plan.tables:
            rect = layout.Rect.of(table.ref)
            kept = self.kept_tables.get(table.name.casefold())
            if kept is not None and _headless(kept):
                rect = layout.Rect(rect.first_row + 1, rect.first_col, rect.last_row, rect.last_col)
            rng = _range(sheet, rect)
            if kept is not None:
                kept.resize(rng)
            else:
                sheet.tables.add(
                    source=rng, name=table.name, table_style_name=table.style, has_headers=True
                )
        add_rules(sheet, plan.conditional_formats)
        if plan.freeze:
            self._freeze(sheet, *plan.freeze)
        if not plan.show_gridlines:
            # only Office.js clients and desktop Excel have gridline settings
            with contextlib.suppress(NotImplementedError):
                sheet.show_gridlines = False
        for chart in plan.charts:
            self._chart(sheet, chart, data.sources[chart.measure_id])
        for link in getattr(plan, "links", ()):
            cell = sheet.range((link.row + 1, link.col + 1))
            cell.add_hyperlink("#" + link.location, link.text, link.tip or None)
        self._row_heights(sheet, getattr(plan, "row_heights", ()))
        print_area = getattr(plan.page, "print_area", None)
        if print_area:
            sheet.page_setup.print_area = _range(sheet, layout.Rect(*print_area)).address
        elif plan.charts:
            # The chart data sits beside the grid; printing shows the charts only.
            last = layout.Rect(0, 0, data.grid_last_row, data.grid_last_col)
            sheet.page_setup.print_area = _range(sheet, last).address

    def _row_heights(self, sheet: Any, heights: Iterable[tuple[int, float]]) -> None:
        """Rows of one height in a run take one action."""
        runs: list[tuple[int, int, float]] = []
        for row, points in sorted(heights):
            if runs and runs[-1][2] == points and runs[-1][1] + 1 == row:
                runs[-1] = (runs[-1][0], row, points)
            else:
                runs.append((row, row, points))
        for first, last, points in runs:
            sheet.range(f"{first + 1}:{last + 1}").row_height = points

    def _column_widths(self, sheet: Any, plan: SheetPlan) -> None:
        widths: list[tuple[int, int, float]] = []
        for w in sorted(plan.column_widths, key=lambda w: w.first):
            if widths and widths[-1][2] == w.width and widths[-1][1] + 1 == w.first:
                widths[-1] = (widths[-1][0], w.last, w.width)
            else:
                widths.append((w.first, w.last, w.width))
        for first, last, width in widths:
            cols = sheet.range(f"{column_letter(first)}:{column_letter(last)}")
            cols.column_width = column_width_units(width, self.engine)

    def _chart_data_formats(self, sheet: Any, data: layout.ChartData) -> None:
        for rect, fmt in layout.format_rects(data.cells, _bounds(data.cells)):
            _range(sheet, rect).number_format = fmt

    def _style(self, sheet: Any, rect: layout.Rect, style: Style) -> None:
        rng = _range(sheet, rect)
        if style.bold:
            rng.font.bold = True
        if style.italic:
            rng.font.italic = True
        if style.size:
            rng.font.size = style.size
        if style.font_color:
            rng.font.color = style.font_color
        if style.fill:
            rng.color = style.fill
        if style.align:
            rng.horizontal_alignment = style.align
        if style.valign_top:
            rng.vertical_alignment = "top"
        if style.wrap:
            rng.wrap_text = True
            # The plan's row heights are estimates for files, which no reader autofits; live
            # Excel measures wrapped text itself, better, in one action.
            rng.rows.autofit()

    def _freeze(self, sheet: Any, row: int, col: int) -> None:
        if row and col:
            frozen = f"A1:{column_letter(col - 1)}{row}"
        elif row:
            frozen = f"1:{row}"
        else:
            frozen = f"A:{column_letter(col - 1)}"
        sheet.freeze_panes.freeze_at(frozen)

    def _chart(self, sheet: Any, plan: ChartPlan, where: layout.ChartSource) -> None:
        p = plan.placement
        chart = sheet.charts.add(
            anchor=sheet.range((p.row + 1, p.col + 1)),
            width=p.width * POINTS_PER_PIXEL,
            height=p.height * POINTS_PER_PIXEL,
            chart_type="column_clustered" if plan.kind == "column" else "line_markers",
            source=_range(sheet, where.source),
            plot_by="rows",
            name=chart_name(plan.measure_id),
            style=CHART_STYLE,
        )
        chart.set_x_axis_values(_range(sheet, where.categories))
        chart.title = plan.title
        if plan.legend == "bottom":
            chart.legend.position = "bottom"
        else:
            chart.legend.visible = False
        axis: dict[str, Any] = {}
        if plan.y_axis.num_format:
            axis["number_format"] = plan.y_axis.num_format
        if plan.y_axis.min is not None:
            axis["minimum_scale"] = plan.y_axis.min
        if plan.y_axis.max is not None:
            axis["maximum_scale"] = plan.y_axis.max
        if plan.y_axis.major_unit is not None:
            axis["major_unit"] = plan.y_axis.major_unit
        if axis:
            chart.value_axis.set(**axis)
        name = chart_name(plan.measure_id)
        for i, s in enumerate(plan.series, start=1):
            kind = s.kind if s.line else "points"  # markers only: an SPC chart's flagged points
            self._macro(FORMAT_SERIES_MACRO, sheet.name, name, i, kind, s.color, s.dashed, s.marker)
        self._macro(FINISH_CHART_MACRO, sheet.name, name, plan.span_gaps, plan.description)

    def _macro(self, macro: str, *args: Any) -> None:
        """Run host code that xlwings has no API for. On the desktop a missing add-in (a script
        run without it) only costs the finishing touches, so that failure is not fatal."""
        try:
            self.book.app.macro(self.macro_prefix + macro)(*args)
        except Exception:
            if self.engine in POINT_ENGINES:
                raise


def _bounds(cells: Iterable[tuple[int, int]]) -> layout.Rect:
    keys = list(cells)
    rows = [r for r, _ in keys]
    cols = [c for _, c in keys]
    return layout.Rect(min(rows), min(cols), max(rows), max(cols))


def add_rules(sheet: Any, rules: Iterable[ConditionalFormat]) -> None:
    """Text-equals rules, one action each."""
    for rule in rules:
        rng = _range(sheet, layout.Rect.of(rule.range))
        rng.conditional_formats.add_cell_value(
            "equal_to",
            '="' + rule.equals.replace('"', '""') + '"',
            fill_color=rule.fill,
            font_color=rule.font_color,
            font_bold=rule.bold,
        )


# -- Replacing sheets -----------------------------------------------------------------------


def _headless(table: Any) -> int:
    """1 for a table without a header row of its own (KPI Values as a file refresh writes it,
    with dated month headers above it), else 0."""
    return 0 if table.show_headers else 1


def _table_rect(table: Any) -> layout.Rect:
    rng = table.range
    rows, cols = rng.shape
    return layout.Rect(rng.row - 1, rng.column - 1, rng.row + rows - 2, rng.column + cols - 2)


def reset_sheet(sheet: Any, plan: SheetPlan) -> dict[str, Any]:
    """Empty a generated sheet so the plan can be written afresh; returns tables kept to resize.

    The sheet itself stays (so a user's formulas pointing at it keep working). Charts go by
    name, last first so earlier indexes stay valid. A table that the plan puts back at the same
    top-left corner is resized rather than deleted, which keeps structured references such as
    `Scorecard[RAG]` alive; other tables are removed with their cells, which xlwings' API offers
    where it has no table delete.
    """
    for chart in reversed(list(sheet.charts)):
        chart.delete()
    wanted = {t.name.casefold(): (t.row, t.col) for t in plan.tables}
    tables = [(t, _table_rect(t)) for t in sheet.tables]
    keep = {
        t.name.casefold(): t
        for t, rect in tables
        if wanted.get(t.name.casefold()) == (rect.first_row - _headless(t), rect.first_col)
    }
    drop = [(t, rect) for t, rect in tables if t.name.casefold() not in keep]
    # Removing cells shifts those below them up: a kept table under a dropped one would move.
    for name, t in list(keep.items()):
        rect = _table_rect(t)
        if any(d.first_row < rect.first_row for _, d in drop):
            drop.append((t, rect))
            del keep[name]
    for _, rect in sorted(drop, key=lambda x: -x[1].first_row):
        _range(sheet, rect).delete("up")
    sheet.clear()
    sheet.cells.conditional_formats.clear()
    return keep


@dataclass
class ApplyReport:
    """What `apply_plan` did, for messages and tests."""

    written: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def collisions(
    book: Any, plan: Plan, sheets: list[SheetPlan] | None = None, reg: Registry | None = None
) -> list[Exception]:
    """Every user's sheet, table or name in the way of the plan's sheets (all of them unless
    `sheets` says which), so Validate can list them all and Refresh can refuse before writing."""
    sheets = list(plan.sheets) if sheets is None else sheets
    reg = read_registry(book) if reg is None else reg
    found: list[Exception] = []
    ours = {s.name.casefold() for s in plan.sheets}
    for sp in sheets:
        existing = _sheet(book, sp.name)
        if existing is not None and not reg.owns(existing.name):
            found.append(sheet_collision(existing.name))
    tables = {t.name.casefold(): t.name for sp in sheets for t in sp.tables}
    for sheet in book.sheets:
        if sheet.name.casefold() in ours and reg.owns(sheet.name):
            continue
        for t in sheet.tables:
            if t.name.casefold() in tables:
                found.append(table_collision(t.name, f"a table (on sheet '{sheet.name}')"))
    for name in book.names:
        if name.name.casefold() in tables:
            found.append(table_collision(name.name, "a defined name"))
    return found


def _check_collisions(book: Any, plan: Plan, sheets: list[SheetPlan], reg: Registry) -> None:
    """Refuse before changing anything when a user's sheet, table or name is in the way."""
    found = collisions(book, plan, sheets, reg)
    if found:
        raise found[0]


def _sheet(book: Any, name: str) -> Any | None:
    """Excel sheet names are unique ignoring case, so that is how a clash is found."""
    for sheet in book.sheets:
        if sheet.name.casefold() == name.casefold():
            return sheet
    return None


def apply_plan(
    book: Any,
    plan: Plan,
    roles: Iterable[str] | None = None,
    progress: Progress = _no_progress,
) -> ApplyReport:
    """Write the plan's sheets (all, or those of the given roles) into the open book.

    Sheets that a previous refresh made and the plan no longer has are deleted (for a partial
    run, only stale chart sheets), existing generated sheets are emptied and rewritten in place,
    new ones are added after their predecessor in the plan, and the registry name is updated.
    """
    roles = set(roles) if roles is not None else None
    sheets = [s for s in plan.sheets if roles is None or s.role in roles]
    reg = read_registry(book)
    _check_collisions(book, plan, sheets, reg)
    engine = engine_name(book)
    prefix = f"'{ADDIN_FILE}'!" if engine not in POINT_ENGINES else ""
    writer = SheetWriter(book, layout.plan_cells(plan), engine, prefix)
    report = ApplyReport()

    planned = {s.name.casefold() for s in plan.sheets}
    for old in reg.names or []:
        stale = old.casefold() not in planned and old not in INPUT_SHEETS
        if stale and (roles is None or (old.startswith(CHARTS_PREFIX) and "charts" in roles)):
            sheet = sheet_by_exact_name(book, old)
            if sheet is not None:
                progress(f"Removing {old}")
                sheet.delete()
                report.removed.append(old)

    previous = None
    for sp in plan.sheets:
        sheet = _sheet(book, sp.name)
        if sp not in sheets:
            previous = sheet if sheet is not None else previous
            continue
        progress(f"Writing {sp.name}")
        if sheet is not None:
            writer.kept_tables = reset_sheet(sheet, sp)
        else:
            after = previous if previous is not None else book.sheets[len(book.sheets) - 1]
            sheet = book.sheets.add(name=sp.name, after=after)
            writer.kept_tables = {}
            report.added.append(sp.name)
        writer.write(sheet, sp)
        report.written.append(sp.name)
        previous = sheet

    recorded = [n for n in (reg.names or []) if n not in report.removed]
    if roles is None:
        recorded = [s.name for s in plan.sheets]
    else:
        recorded += [n for n in report.written if n not in recorded]
    write_registry(book, recorded)
    return report
