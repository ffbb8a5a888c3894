"""The pack as readers see it: rendered by headless LibreOffice (through `export_pack(pdf=True)`,
so the PDF path is tested too), checked by pixel colour, and validated by the Open XML SDK.

Pages are matched to sheets by the footer, which carries the sheet name (&A) on the left.
LibreOffice 7.4 does not draw sparklines in PDF output, so they are checked in the XML
(test_pack_structure.py), not here.
"""

from __future__ import annotations

import pytest
from PIL import Image
from support.oxml_validator import needs_validator, validate
from support.rendering import count_near, non_white, page_text, pages_by_sheet
from support.rendering import needs_libreoffice as needs_lo

from xl_addin.export import ExportReport
from xl_addin.render.colours import RAG_SWATCHES, TARGET_LINE, VALUE_LINE


@pytest.fixture(scope="module")
def with_pdf(pdf_pack: ExportReport) -> ExportReport:
    return pdf_pack


@pytest.fixture(scope="module")
def pages(with_pdf: ExportReport) -> dict[str, list[Image.Image]]:
    """Sheet name -> its rendered pages, in order."""
    assert with_pdf.pdf is not None
    return pages_by_sheet(with_pdf.pdf, list(with_pdf.sheets))


@needs_lo
def test_pdf_is_written_beside_the_pack_and_opens_on_the_cover(with_pdf: ExportReport) -> None:
    assert with_pdf.pdf == with_pdf.path.with_suffix(".pdf")
    assert with_pdf.pdf.read_bytes().startswith(b"%PDF")
    first = page_text(with_pdf.pdf, 1)
    assert "Northshire Council (demo): Children's services performance" in first
    assert "Board pack for October 2022" in first
    assert "OFFICIAL-SENSITIVE" in first
    assert "Contents" in first


@needs_lo
def test_every_sheet_prints_in_order(pages: dict, with_pdf: ExportReport) -> None:
    assert list(pages) == list(with_pdf.sheets)


@needs_lo
@pytest.mark.parametrize("rating", ["Red", "Amber", "Green", "Contextual"])
def test_scorecard_pages_show_rag_fills(pages: dict, rating: str) -> None:
    fill = RAG_SWATCHES[rating].fill
    pixels = sum(count_near(p, fill) for p in pages["Scorecard"])
    assert pixels > 300, f"{rating} fill {fill}: {pixels} px"


@needs_lo
def test_key_shows_the_rag_colours(pages: dict) -> None:
    for rating in ("Red", "Amber", "Green"):
        assert count_near(pages["Key"][0], RAG_SWATCHES[rating].fill) > 100, rating


@needs_lo
def test_chart_pages_are_not_blank(pages: dict, with_pdf: ExportReport) -> None:
    chart_sheets = [s for s in with_pdf.sheets if s.startswith("Charts - ")]
    assert chart_sheets
    for sheet in chart_sheets:
        for page in pages[sheet]:
            # Title, note and footer alone give ~6,000 non-white pixels and <10 in the series
            # colour; a drawn chart gives several hundred.
            assert non_white(page) > 10_000, sheet
            assert count_near(page, VALUE_LINE) > 300, sheet
    targets = sum(count_near(p, TARGET_LINE) for s in chart_sheets for p in pages[s])
    assert targets > 100


@needs_lo
def test_chart_pages_print_charts_only(pages: dict) -> None:
    # The print area keeps the 13-month data table off the page, so charts keep their size:
    # two rows of two charts a page.
    assert len(pages["Charts - Demand management"]) == 3  # 11 charts


@needs_validator
@pytest.mark.parametrize("which", ["pack", "public_pack", "hostile_pack", "small_public"])
def test_open_xml_validator_finds_no_errors(which: str, request: pytest.FixtureRequest) -> None:
    report: ExportReport = request.getfixturevalue(which)
    assert validate(report.path) == []
