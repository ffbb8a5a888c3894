"""The render plan: what the generated sheets contain, as plain data.

Backends (XlsxWriter now, openpyxl/xlwings later) translate a `Plan` cell by cell and chart by
chart; every KPI decision is taken here, once, so all backends draw the same workbook and a parity
test can compare them. No Excel library is imported. Rows and columns are 0-based throughout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..cellref import cell_name

Value = str | float | int | dt.datetime | None
SheetKind = Literal["worksheet", "chart_grid"]
ChartKind = Literal["line", "column"]

EXCEL_MAX_SHEET_NAME = 31


def quote_sheet(name: str) -> str:
    """A sheet name as a formula needs it. Always quoted: Excel accepts quotes on any name, and
    deciding when they may be left off (names like `A1` or `R1C1` need them) is a trap."""
    return "'" + name.replace("'", "''") + "'"


@dataclass(frozen=True)
class CellRange:
    """A rectangle of cells on one sheet (inclusive bounds)."""

    sheet: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @property
    def a1(self) -> str:
        """`J9:J40` (no sheet, no dollars): the form Excel uses in table and CF refs."""
        start = cell_name(self.first_row, self.first_col)
        end = cell_name(self.last_row, self.last_col)
        return start if start == end else f"{start}:{end}"

    @property
    def formula(self) -> str:
        """`'KPI Values'!$C$5:$O$5`: the absolute form chart series use."""
        start = _absolute(self.first_row, self.first_col)
        end = _absolute(self.last_row, self.last_col)
        body = start if start == end else f"{start}:{end}"
        return f"{quote_sheet(self.sheet)}!{body}"


def _absolute(row: int, col: int) -> str:
    name = cell_name(row, col)
    letters = name.rstrip("0123456789")
    return f"${letters}${name[len(letters) :]}"


@dataclass(frozen=True)
class Style:
    """Cell look beyond the number format; hashable so backends can cache one format per style."""

    bold: bool = False
    italic: bool = False
    size: float | None = None
    font_color: str | None = None  # "#RRGGBB"
    fill: str | None = None
    wrap: bool = False
    valign_top: bool = False
    align: Literal["left", "center", "right"] | None = None


PLAIN = Style()


@dataclass(frozen=True)
class CellBlock:
    """A rectangle of values written from (row, col), with a number format for every cell.

    Formats are per cell because one Scorecard column mixes units (0% next to #,##0).
    """

    row: int
    col: int
    values: tuple[tuple[Value, ...], ...]
    number_formats: tuple[tuple[str | None, ...], ...]
    style: Style = PLAIN
    column_styles: tuple[Style | None, ...] = ()  # per column, overriding `style`

    def __post_init__(self) -> None:
        shape = [len(r) for r in self.values]
        if shape != [len(r) for r in self.number_formats]:
            raise ValueError("number_formats must have the shape of values")

    def style_of(self, col: int) -> Style:
        """The style of the block's col-th column."""
        own = self.column_styles[col] if col < len(self.column_styles) else None
        return own or self.style

    @classmethod
    def from_columns(
        cls,
        row: int,
        col: int,
        values: Sequence[Sequence[Value]],
        column_formats: Sequence[str | None],
        style: Style = PLAIN,
    ) -> CellBlock:
        """A block whose number format is the same down each column."""
        rows = tuple(tuple(r) for r in values)
        formats = tuple(tuple(column_formats[: len(r)]) for r in rows)
        return cls(row, col, rows, formats, style)

    @property
    def n_rows(self) -> int:
        return len(self.values)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.values), default=0)


@dataclass(frozen=True)
class TextLine:
    """One line of prose in one cell (titles, key, bullets, warnings)."""

    text: str
    style: Style = PLAIN
    height: float | None = None  # points; set for wrapped text, which no reader autofits


@dataclass(frozen=True)
class TextBlock:
    """Lines written down one column from (row, col); `purpose` names it for tests and backends."""

    row: int
    col: int
    lines: tuple[TextLine, ...]
    purpose: str = ""

    @property
    def texts(self) -> list[str]:
        return [line.text for line in self.lines]


@dataclass(frozen=True)
class TablePlan:
    """An Excel table: header row at (row, col), body below it.

    Header texts are strings and equal the table's column names (Excel repairs the file when
    they differ). A table needs at least one body row, so an empty body still spans one row.

    `header_values` (month-end dates, say) asks for something a table header cannot hold, since
    Excel keeps only text there: the table is then written without a header row of its own
    (Excel's "Header Row" turned off; its column names still work in formulas such as
    `KPIValues[Oct-22]`) and these values, with `header_formats`, fill the row above its body.
    """

    name: str
    sheet: str
    row: int
    col: int
    columns: tuple[str, ...]
    body: CellBlock
    style: str = "TableStyleMedium2"
    banded_rows: bool = True
    header_values: tuple[Value, ...] | None = None
    header_formats: tuple[str | None, ...] | None = None
    # per column, the header cell's own look (bold, fill, wrapped): LibreOffice draws no table
    # styles, so a printed header row needs one to stand out; empty leaves the table style's
    header_styles: tuple[Style, ...] = ()

    def __post_init__(self) -> None:
        if self.body.row != self.row + 1 or self.body.col != self.col:
            raise ValueError("a table body starts just under its header")
        if any(len(r) != len(self.columns) for r in self.body.values):
            raise ValueError("every table row needs one value per column")
        if len({c.casefold() for c in self.columns}) != len(self.columns):
            raise ValueError(f"duplicate column names in table {self.name}")

    @property
    def last_row(self) -> int:
        return self.row + max(self.body.n_rows, 1)

    @property
    def ref(self) -> CellRange:
        """Header plus body."""
        return CellRange(
            self.sheet, self.row, self.col, self.last_row, self.col + len(self.columns) - 1
        )

    def column_range(self, column: str) -> CellRange:
        """The body cells of one column."""
        c = self.col + self.columns.index(column)
        return CellRange(self.sheet, self.row + 1, c, self.last_row, c)

    def body_row(self, index: int) -> int:
        """The sheet row of the index-th body row."""
        return self.row + 1 + index


@dataclass(frozen=True)
class ColumnWidth:
    """Width in Excel character units for columns first..last."""

    first: int
    last: int
    width: float


@dataclass(frozen=True)
class ConditionalFormat:
    """`cell value equals "<text>"` on `range`, drawn with fill and font colour.

    Text-equals rules (not cell styles) so a user's own =RAG() cells can take the same colours.
    """

    range: CellRange
    equals: str
    fill: str
    font_color: str
    bold: bool = False


@dataclass(frozen=True)
class Axis:
    """A chart axis. `date_axis` makes Excel space months by date (quarterly gaps stay gaps)."""

    num_format: str | None = None
    min: float | None = None
    max: float | None = None
    date_axis: bool = False
    title: str | None = None
    major_unit: float | None = None  # the step between gridlines


@dataclass(frozen=True)
class SeriesPlan:
    """One data series: a row of cells on a generated sheet."""

    name: str
    categories: CellRange
    values: CellRange
    kind: ChartKind
    color: str
    dashed: bool = False
    marker: bool = False
    role: Literal["value", "target", "spc"] = "value"
    line: bool = True  # False: markers only (an SPC chart's special-cause points)


@dataclass(frozen=True)
class Placement:
    """Top-left cell, pixel size and grid position (row, column) of a chart."""

    row: int
    col: int
    width: int
    height: int
    grid_row: int
    grid_col: int


@dataclass(frozen=True)
class ChartPlan:
    """A native chart: series in drawing order, axes, legend, placement and alt text."""

    measure_id: str
    kind: ChartKind
    title: str
    series: tuple[SeriesPlan, ...]
    x_axis: Axis
    y_axis: Axis
    placement: Placement
    description: str
    legend: Literal["bottom", "none"] = "bottom"
    span_gaps: bool = True  # connect values across blank months (quarterly measures)

    @property
    def value_series(self) -> SeriesPlan:
        return next(s for s in self.series if s.role == "value")

    @property
    def target_series(self) -> SeriesPlan | None:
        return next((s for s in self.series if s.role == "target"), None)


@dataclass(frozen=True)
class PageSetup:
    """Printing: board packs are printed, so every sheet fits the page width."""

    landscape: bool = True
    fit_width: int = 1  # 0 (with fit_height 0): no fitting, print at full size
    fit_height: int = 0  # 0 = as many pages tall as needed
    header: str = ""  # Excel header/footer codes (&A sheet name, &P page, &N pages)
    footer: str = "&L&A&RPage &P of &N"
    repeat_rows: tuple[int, int] | None = None
    row_breaks: tuple[int, ...] = ()  # a new page starts at each of these rows
    # (first_row, first_col, last_row, last_col): print only this rectangle, so a wide data
    # table beside the charts does not shrink them to fit the page width.
    print_area: tuple[int, int, int, int] | None = None
    # inches: (left and right, top and bottom, header and footer); None keeps Excel's default
    margins: tuple[float, float, float] | None = None


def footer_text(text: str) -> str:
    """User text made safe inside an Excel header/footer: `&` starts a code there, so it is
    doubled; Excel refuses headers over 255 characters, so long text is cut first."""
    return text[:100].replace("&", "&&")


@dataclass(frozen=True)
class Sparkline:
    """A line sparkline drawn in cell (row, col) from a row of cells (the last 12 months, say).

    `empty` says how blank months are drawn: `connect` joins across them (quarterly measures),
    `gaps` leaves a break.
    """

    row: int
    col: int
    source: CellRange
    color: str
    empty: Literal["gaps", "connect", "zero"] = "connect"
    markers: bool = False
    last_point: bool = True


@dataclass(frozen=True)
class Hyperlink:
    """A link from cell (row, col) to cell A1 of another sheet in the same workbook.

    Internal only: a link to a location, never to a file or URL, so the workbook gains no
    external relationship.
    """

    row: int
    col: int
    sheet: str
    text: str
    tip: str = ""
    valign_top: bool = False  # beside wrapped text in a tall row, the link stays on its line

    @property
    def location(self) -> str:
        return f"{quote_sheet(self.sheet)}!A1"


@dataclass(frozen=True)
class SheetPlan:
    """One generated sheet and everything on it."""

    name: str
    kind: SheetKind
    role: Literal[
        "scorecard",
        "kpi_values",
        "charts",
        "narrative",
        "cover",
        "key",
        "summary",
        "definitions",
    ]
    section: str | None = None
    blocks: tuple[CellBlock, ...] = ()
    texts: tuple[TextBlock, ...] = ()
    tables: tuple[TablePlan, ...] = ()
    column_widths: tuple[ColumnWidth, ...] = ()
    freeze: tuple[int, int] | None = None  # (row, col) of the first unfrozen cell
    conditional_formats: tuple[ConditionalFormat, ...] = ()
    charts: tuple[ChartPlan, ...] = ()
    show_gridlines: bool = True
    page: PageSetup = field(default_factory=PageSetup)
    sparklines: tuple[Sparkline, ...] = ()
    links: tuple[Hyperlink, ...] = ()  # written after tables and blocks, over their text
    # (row, points) for table rows holding wrapped text: no reader autofits row heights
    row_heights: tuple[tuple[int, float], ...] = ()

    def table(self, name: str) -> TablePlan:
        return next(t for t in self.tables if t.name == name)

    def text(self, purpose: str) -> TextBlock:
        return next(t for t in self.texts if t.purpose == purpose)


@dataclass(frozen=True)
class Plan:
    """Every generated sheet, in tab order."""

    sheets: tuple[SheetPlan, ...]
    reporting_month: dt.datetime
    authority: str = ""

    def __post_init__(self) -> None:
        names = [s.name.casefold() for s in self.sheets]
        if len(set(names)) != len(names):
            raise ValueError("generated sheet names must be unique (Excel ignores case)")
        tables = [t.name.casefold() for s in self.sheets for t in s.tables]
        if len(set(tables)) != len(tables):
            raise ValueError("table names must be unique in a workbook")

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def sheet(self, name: str) -> SheetPlan:
        return next(s for s in self.sheets if s.name == name)

    def by_role(self, role: str) -> list[SheetPlan]:
        return [s for s in self.sheets if s.role == role]
