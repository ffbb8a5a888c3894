"""The refreshed demo as Excel and its readers will see it: schema-valid, lint-clean, and
rendered by LibreOffice with RAG fills on the Scorecard and charts on every chart sheet."""

from pathlib import Path

import pytest
from support.oxml_validator import needs_validator, validate
from support.rendering import count_near, needs_libreoffice, non_white, pages_by_sheet, to_pdf

from xl_addin import cli
from xl_addin.ooxml import lint, read_registry
from xl_addin.render.colours import RAG_SWATCHES, TARGET_LINE, VALUE_LINE

# Validator findings we accept, each with its reason. None are expected today.
ALLOWED: dict[str, str] = {}


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("refreshed") / "demo.xlsx"
    assert cli.main(["demo", "--out", str(path), "--quiet"]) == 0
    assert cli.main(["refresh", str(path), "--quiet", "--no-backup"]) == 0  # a second refresh
    return path


def test_lint_finds_no_excel_repair_triggers(refreshed):
    assert lint(refreshed) == []


@needs_validator
def test_open_xml_validator_finds_no_errors(refreshed):
    errors = [e for e in validate(refreshed) if e.get("description") not in ALLOWED]
    assert errors == []


@pytest.fixture(scope="module")
def pages(refreshed, tmp_path_factory):
    pdf = to_pdf(refreshed, tmp_path_factory.mktemp("pdf"))
    return pages_by_sheet(pdf, read_registry(refreshed))


@needs_libreoffice
@pytest.mark.parametrize("rating", ["Red", "Amber", "Green"])
def test_scorecard_shows_rag_fills(pages, rating):
    # a filled cell gives 60-90 px at the rendering's size; none without the rules applied
    fill = RAG_SWATCHES[rating].fill
    assert sum(count_near(p, fill) for p in pages["Scorecard"]) > 200


@needs_libreoffice
def test_chart_sheets_are_not_blank(pages, refreshed):
    chart_sheets = [n for n in read_registry(refreshed) if n.startswith("Charts - ")]
    assert len(chart_sheets) == 4
    for name in chart_sheets:
        assert pages.get(name), f"{name} printed nothing"
        for page in pages[name]:
            assert non_white(page) > 10_000, name
            assert count_near(page, VALUE_LINE) > 300, name
        assert sum(count_near(p, TARGET_LINE) for p in pages[name]) > 100, name
