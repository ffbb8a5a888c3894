"""The printed pack (`export --pdf`, A4 landscape) as a board member reads it: LibreOffice's PDF of
the demo pack and of a 200-measure pack, read word by word with poppler, each word with its box
and printed size (how the size is derived: support/pdf_words.py).
"""

from __future__ import annotations

import math
import re
import statistics
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.cell import coordinate_from_string, range_boundaries
from support.pdf_words import Page, Word, by_sheet, dejavu_sizes, pages
from support.rendering import needs_libreoffice as needs_lo

import xl_addin
from xl_addin.contract import validate_inputs
from xl_addin.demo import demo_sheets
from xl_addin.engine.calculations import CALCULATIONS
from xl_addin.export import ExportReport, export_pack

pytestmark = [needs_lo, pytest.mark.filterwarnings("ignore:Sparkline Group extension")]
MIN_SIZE = 8.0  # points
BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
BARS = "▁▂▃▄▅▆▇█"
NO_FIGURE = "·"


@pytest.fixture(scope="session")
def big_pack(tmp_path_factory: pytest.TempPathFactory) -> ExportReport:
    """The benchmarks' synthetic workbook, 200 measures in six sections (24 months: the number of
    measures is what makes printed tables long), with the demo's long titles."""
    sys.path.insert(0, str(BENCHMARKS))
    from common import synthetic_sheets

    sheets = synthetic_sheets(200, 24)
    titles = [r[1] for r in demo_sheets()["Measures"].rows[1:]]
    for i, row in enumerate(sheets["Measures"].rows[1:]):
        row[1] = f"{titles[i % len(titles)]} ({i})"
    results = xl_addin.compute(validate_inputs(sheets, source="synthetic"))
    return export_pack(results, tmp_path_factory.mktemp("big") / "big.xlsx", pdf=True)


@pytest.fixture(scope="session")
def demo_pages(pdf_pack: ExportReport) -> list[Page]:
    assert pdf_pack.pdf is not None
    return pages(pdf_pack.pdf, list(pdf_pack.sheets))


@pytest.fixture(scope="session")
def big_pages(big_pack: ExportReport) -> list[Page]:
    assert big_pack.pdf is not None
    return pages(big_pack.pdf, list(big_pack.sheets))


@pytest.fixture(params=["demo_pages", "big_pages"])
def printed(request: pytest.FixtureRequest) -> list[Page]:
    return request.getfixturevalue(request.param)


def test_sizes_are_measured_right(demo_pages: list[Page], pdf_pack: ExportReport) -> None:
    """The box-height sizes agree with sizes worked out from word widths (DejaVu Sans, the font
    LibreOffice draws the pack with where Calibri is missing)."""
    fonts = subprocess.run(
        ["pdffonts", str(pdf_pack.pdf)], capture_output=True, text=True, check=True
    ).stdout
    if "DejaVuSans" not in fonts:
        pytest.skip("the PDF is not drawn in DejaVu Sans, whose widths the check needs")
    ratios = [h / w for h, w in dejavu_sizes(demo_pages)]
    assert len(ratios) > 500
    assert statistics.median(ratios) == pytest.approx(1.0, abs=0.03)


def test_no_text_is_smaller_than_8_points(printed: list[Page]) -> None:
    small = [(p.number, p.sheet, w.text, round(w.size, 2)) for p in printed for w in p.words]
    small = [s for s in small if s[3] < MIN_SIZE]
    assert not small, f"{len(small)} words under {MIN_SIZE} pt, e.g. {small[:5]}"


def test_no_page_is_blank(printed: list[Page]) -> None:
    """Every page has words and a footer naming its sheet."""
    assert [p.number for p in printed if not p.words or not p.sheet] == []


def _header_on_every_page(sheet_pages: list[Page], words: tuple[str, ...]) -> None:
    for page in sheet_pages:
        assert any(all(any(w.text == h for w in line) for h in words) for line in page.lines()), (
            page.number,
            page.sheet,
            words,
        )


def test_long_tables_repeat_their_header_row(printed: list[Page]) -> None:
    sheets = by_sheet(printed)
    assert len(sheets["Scorecard"]) > 1 and len(sheets["Definitions"]) > 1
    _header_on_every_page(sheets["Scorecard"], ("Measure", "Forecast", "RAG", "Direction"))
    _header_on_every_page(sheets["Definitions"], ("Measure", "Numerator", "Polarity"))


def test_a_long_list_of_exceptions_repeats_its_header_row(big_pages: list[Page]) -> None:
    summary = by_sheet(big_pages)["Summary"]
    assert len(summary) > 1
    _header_on_every_page(summary[1:], ("Measure", "Forecast", "Commentary"))


def _ratings_table(page: Page) -> tuple[list[Word], list[list[Word]]]:
    """The header words of "Ratings by section" after Section (a header that wraps, like
    "No target", ends with its last word on the line of "Section"), and the table's lines."""
    section = next(w for w in page.find("Section") if _below(page, w, "Ratings"))
    header = sorted(
        (w for w in page.words if w.same_line(section) and w.x0 > section.x1), key=lambda w: w.x0
    )
    end = _phrase(page, "Exceptions: Red measures")
    assert end is not None
    return header, [line for line in page.lines() if section.y1 < line[0].y0 < end.y0]


def test_summary_counts_sit_under_their_headers(demo_pages: list[Page], demo_results) -> None:
    (page,) = by_sheet(demo_pages)["Summary"]
    header, lines = _ratings_table(page)
    assert [w.text for w in header] == ["Red", "Amber", "Green", "target", "Contextual", "Measures"]
    rows = 0
    for line in lines:
        counts = [w for w in line if w.text.isdigit()]
        if not counts:
            continue  # a section name's second line
        assert len(counts) == len(header), [w.text for w in line]
        for count, head in zip(counts, header, strict=True):
            assert head.x0 - 2 <= count.centre <= head.x1 + 2, (line[0].text, head.text)
        rows += 1
    assert rows == demo_results.scorecard["section"].nunique()


def test_summary_section_names_are_whole(demo_pages: list[Page], demo_results) -> None:
    (page,) = by_sheet(demo_pages)["Summary"]
    _, lines = _ratings_table(page)
    names = " ".join(w.text for line in lines for w in line if not w.text.isdigit())
    assert names == " ".join(demo_results.scorecard["section"].unique())


def _below(page: Page, word: Word, heading: str) -> bool:
    return any(h.y0 < word.y0 for h in page.find(heading))


def test_every_measure_has_its_12_month_trend_printed(demo_pages: list[Page], demo_results) -> None:
    """One bar a month, highest where the figure is highest, lowest where it is lowest, `·`
    where there is none, one trend per measure in Scorecard order."""
    trends = [
        w.text
        for page in by_sheet(demo_pages)["Scorecard"]
        for line in page.lines()
        for w in line
        if set(w.text) <= set(BARS + NO_FIGURE) and len(w.text) > 1
    ]
    card = demo_results.scorecard
    assert len(trends) == len(card)
    wide = demo_results.wide()
    months = wide.columns[-12:]
    for trend, mid in zip(trends, card["measure_id"], strict=True):
        values = [wide.at[mid, m] for m in months]
        assert len(trend) == 12, mid
        shown = [v for v in values if not math.isnan(v)]
        for bar, value in zip(trend, values, strict=True):
            if math.isnan(value):
                assert bar == NO_FIGURE, mid
            elif max(shown) > min(shown) and value == max(shown):
                assert bar == BARS[-1], mid
            elif max(shown) > min(shown) and value == min(shown):
                assert bar == BARS[0], mid
        pairs = zip(values, trend, strict=True)
        ranked = sorted((v, BARS.index(b)) for v, b in pairs if b != NO_FIGURE)
        assert [b for _, b in ranked] == sorted(b for _, b in ranked), mid  # higher, taller


def test_printed_pages_point_only_to_cells_they_print(
    demo_pages: list[Page], pdf_pack: ExportReport
) -> None:
    """A page that names a cell (the chart pages once said their figures were "beside the
    charts (from cell W4)") names one inside what it prints."""
    book = openpyxl.load_workbook(pdf_pack.path)
    for page in demo_pages:
        for ref in re.findall(r"\bcell ([A-Z]{1,3}[0-9]+)", page.text):
            area = book[page.sheet].print_area
            assert area, (page.sheet, ref)
            col, row = coordinate_from_string(ref)
            first_col, first_row, last_col, last_row = range_boundaries(area.split("!")[-1])
            col_n = openpyxl.utils.column_index_from_string(col)
            assert first_col <= col_n <= last_col and first_row <= row <= last_row, (
                page.sheet,
                ref,
            )


def _phrase(page: Page, phrase: str) -> Word | None:
    """The first word of `phrase` where the phrase starts a run of words on one line."""
    want = phrase.split()
    for line in page.lines():
        texts = [w.text for w in line]
        for i in range(len(texts) - len(want) + 1):
            if texts[i : i + len(want)] == want:
                return line[i]
    return None


def test_cover_contents_descriptions_sit_beside_their_links(
    demo_pages: list[Page], pdf_pack: ExportReport
) -> None:
    ws = openpyxl.load_workbook(pdf_pack.path)["Cover"]
    links = {c.value: c.row for row in ws.iter_rows() for c in row if c.hyperlink}
    (page,) = by_sheet(demo_pages)["Cover"]
    assert len(links) == len(pdf_pack.sheets) - 1
    for name, row in links.items():
        described = " ".join(ws.cell(row, 2).value.split()[:5])
        link, text = _phrase(page, name), _phrase(page, described)
        assert link is not None and text is not None, name
        assert text.same_line(link), (name, link.y0, text.y0)


def test_definitions_show_every_identifier_whole(demo_pages: list[Page], demo_results) -> None:
    """Numerator and denominator fields are printed whole, on one line (once cut off, as in
    voice_positive_difference_answere)."""
    shown = {w.text for p in by_sheet(demo_pages)["Definitions"] for w in p.words}
    measures = demo_results.inputs.measures
    fields = set(measures["numerator"]) | {
        d
        for d, calc in zip(measures["denominator"], measures["calculation"], strict=True)
        if CALCULATIONS[calc].needs_denominator
    }
    fields.discard("")
    assert "voice_positive_difference_answered" in fields
    assert fields - shown == set()
