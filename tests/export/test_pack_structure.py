"""The exported demo pack, opened the way readers and tools open it: sheet order and names,
values only (no formulas, macros or links out), accessibility and print setup, charts with alt
text, sparklines and the cover's links."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from lxml import etree
from pack_helpers import NS, charts, formula_cells, rels, sheet_parts, sheet_xml, sparklines
from python_calamine import CalamineWorkbook

from xl_addin.engine.periods import uk_month
from xl_addin.export import ExportReport
from xl_addin.render.colours import RAG_SWATCHES, WCAG_AA, contrast_ratio

pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension")
EXPECTED = [
    "Cover",
    "Key",
    "Summary",
    "Scorecard",
    "Charts - Demand management",
    "Charts - Service delivery",
    "Charts - Workforce",
    "Charts - Voice of our children",
    "Narrative",
    "Definitions",
]


def _header_row(ws, table: str) -> int:
    return ws[ws.tables[table].ref.split(":")[0]].row


@pytest.fixture(scope="module")
def book(pack: ExportReport) -> openpyxl.Workbook:
    return openpyxl.load_workbook(pack.path)


def test_sheet_order_and_names(pack: ExportReport, book: openpyxl.Workbook) -> None:
    assert book.sheetnames == EXPECTED
    assert CalamineWorkbook.from_path(str(pack.path)).sheet_names == EXPECTED
    assert list(pack.sheets) == EXPECTED


def test_no_hidden_sheets_and_cover_opens_first(pack: ExportReport) -> None:
    with zipfile.ZipFile(pack.path) as z:
        wb = z.read("xl/workbook.xml").decode()
    assert "state=" not in wb  # hidden and veryHidden both need a state attribute
    book = openpyxl.load_workbook(pack.path)
    assert book.active.title == "Cover"
    assert all(ws.sheet_state == "visible" for ws in book.worksheets)


def test_no_macros_external_links_or_formulas(pack: ExportReport) -> None:
    with zipfile.ZipFile(pack.path) as z:
        names = z.namelist()
        assert not [n for n in names if "vbaProject" in n or n.endswith(".bin")]
        assert not [n for n in names if "externalLink" in n]
        content_types = z.read("[Content_Types].xml").decode()
        assert "macroEnabled" not in content_types and "externalLink" not in content_types
        outward = [
            (part, target)
            for part in names
            if part.endswith(".xml") or part.endswith(".rels")
            for target, mode in rels(z, part).values()
            if mode == "External"
        ]
        assert outward == []
        for part in names:
            if part.startswith("xl/worksheets/") and part.endswith(".xml"):
                root = etree.fromstring(z.read(part))
                for link in root.iter(f"{{{NS['m']}}}hyperlink"):
                    assert link.get(f"{{{NS['r']}}}id") is None and link.get("location"), part
    # The documented allow-list of formula cells is empty.
    assert formula_cells(pack.path) == []


def test_only_print_names_are_defined(pack: ExportReport) -> None:
    book = openpyxl.load_workbook(pack.path)
    assert list(book.defined_names) == []  # no workbook-level names at all
    for ws in book.worksheets:
        assert set(ws.defined_names) <= {"_xlnm.Print_Area", "_xlnm.Print_Titles"}


def test_no_personal_data_in_document_properties(pack: ExportReport) -> None:
    with zipfile.ZipFile(pack.path) as z:
        core = z.read("docProps/core.xml")
    assert (
        b"<dc:creator></dc:creator>" in core
        or b"<dc:creator/>" in core
        or (b"dc:creator" not in core)
    )
    assert b"lastModifiedBy>" not in core or b"<cp:lastModifiedBy></cp:lastModifiedBy>" in core
    props = openpyxl.load_workbook(pack.path).properties
    assert not props.creator and not props.lastModifiedBy
    assert "October 2022" in props.title


def test_every_table_has_a_header_row_and_no_cells_are_merged(pack: ExportReport) -> None:
    book = openpyxl.load_workbook(pack.path)
    n_tables = 0
    for ws in book.worksheets:
        assert not ws.merged_cells.ranges, ws.title
        for table in ws.tables.values():
            n_tables += 1
            assert table.headerRowCount in (None, 1), (ws.title, table.name)
            first = ws[table.ref.split(":")[0]]
            header = [c.value for c in ws[first.row][first.column - 1 :]][: len(table.tableColumns)]
            assert header == [c.name for c in table.tableColumns]
            assert all(isinstance(h, str) and h for h in header)
    assert n_tables >= 10


def test_rag_colours_meet_wcag_aa() -> None:
    for rating, swatch in RAG_SWATCHES.items():
        assert contrast_ratio(swatch.fill, swatch.font) >= WCAG_AA, rating


def test_cover_links_to_every_sheet(pack: ExportReport) -> None:
    ws = openpyxl.load_workbook(pack.path)["Cover"]
    links = {c.hyperlink.location: c.value for row in ws.iter_rows() for c in row if c.hyperlink}
    assert links == {f"'{name}'!A1": name for name in EXPECTED[1:]}
    assert all(link.target is None for link in ws._hyperlinks)  # locations, never URLs
    text = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert "OFFICIAL-SENSITIVE" in text
    assert f"Reporting month: {uk_month(pack.reporting_month)}" in text
    assert any(t.startswith("Data period: October 2021 to October 2022") for t in text)


def test_print_setup_on_every_sheet(pack: ExportReport, book: openpyxl.Workbook) -> None:
    for ws in book.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert setup.paperSize == 9, ws.title  # A4
        # Fitted to one page wide (fitToWidth defaults to 1 in the schema and XlsxWriter omits
        # it; 0 pages tall = as needed), or, for a sheet that fits anyway, printed at full size
        fitted = ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage
        if fitted:
            assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0, ws.title
        else:
            assert setup.scale in (None, 100), ws.title
        footer = ws.oddFooter
        assert "&P" in footer.right.text and "&N" in footer.right.text, ws.title
        assert footer.center.text == "OFFICIAL-SENSITIVE", ws.title
        assert ws.oddHeader.center.text == "OFFICIAL-SENSITIVE", ws.title
    repeated = (("Scorecard", "Scorecard"), ("Definitions", "Definitions"))
    for name, table in (*repeated, ("Summary", "RedMeasures")):
        header = _header_row(book[name], table)
        assert book[name].print_title_rows == f"${header}:${header}", name
    for name in EXPECTED[3:8]:
        # Scorecard: the table and warnings, not the trend data below; charts: not the table
        assert book[name].print_area, name


def test_every_chart_has_alt_text_and_draws_from_its_own_sheet(pack: ExportReport) -> None:
    found = charts(pack.path)
    assert len(found) == pack.charts == 32
    for chart in found:
        assert chart.description.startswith(("Line chart of", "Column chart of")), chart.title
        assert chart.title in chart.description
        for name, cat, val, dashed in chart.series:
            quoted = f"'{chart.sheet}'!"
            assert cat.startswith(quoted) and val.startswith(quoted), (chart.sheet, name)
            dashed_lines = ("Target", "Target path", "Upper process limit", "Lower process limit")
            assert dashed == (name in dashed_lines)
    with zipfile.ZipFile(pack.path) as z:
        drawings = [n for n in z.namelist() if n.startswith("xl/drawings/drawing")]
        for part in drawings:
            root = z.read(part)
            assert root.count(b"descr=") == root.count(b"<xdr:graphicFrame"), part


def test_chart_data_tables_hold_the_plotted_figures(pack: ExportReport) -> None:
    book = openpyxl.load_workbook(pack.path)
    for chart in charts(pack.path):
        ws = book[chart.sheet]
        _, _, val, _ = chart.series[0]
        ref = val.split("!")[1].replace("$", "")
        row = ws[ref][0]
        first = row[0]
        assert ws.cell(first.row, first.column - 1).value == "Actual"
        assert ws.cell(first.row, first.column - 2).value == chart.title
        assert any(isinstance(c.value, int | float) for c in row)


def test_a_sparkline_per_measure_drawn_from_its_last_12_months(
    pack: ExportReport, demo_results
) -> None:
    lines = sparklines(pack.path, "Scorecard")
    n = len(demo_results.scorecard)
    assert len(lines) == n
    ws = openpyxl.load_workbook(pack.path)["Scorecard"]
    header_row = _header_row(ws, "Scorecard")
    trend_col = [c.value for c in ws[header_row]].index("Trend line") + 1
    for i, (source, location) in enumerate(lines):
        cell = ws[location]
        assert (cell.row, cell.column) == (header_row + 1 + i, trend_col)
        first, last = source.split("!")[1].split(":")
        row = ws[first].row
        assert ws[last].row == row
        assert ws.cell(row, 1).value == ws.cell(cell.row, 1).value  # same measure id
        assert ws[last].column - ws[first].column + 1 == 12
    trend = ws.tables["Trend"]
    assert trend.ref.startswith("A")


def test_workbook_xml_is_well_formed_for_each_sheet(pack: ExportReport) -> None:
    for name in sheet_parts(pack.path):
        root = sheet_xml(pack.path, name)
        assert root.tag == f"{{{NS['m']}}}worksheet"
