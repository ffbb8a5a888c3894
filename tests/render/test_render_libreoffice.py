"""Render the scratch workbook with headless LibreOffice and look at the pixels.

Checks what a reader sees: RAG fills on the Scorecard pages (conditional formatting applied),
and chart pages that are not blank (series drawn, target lines in their colour). Pages are
matched to sheets by the `&A` sheet name every page footer carries.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.rendering import count_near, needs_libreoffice, non_white, pages_by_sheet, to_pdf

from xl_addin.render.colours import RAG_SWATCHES, SPC_SWATCHES, TARGET_LINE, VALUE_LINE
from xl_addin.render.plan import Plan

pytestmark = needs_libreoffice


@pytest.fixture(scope="module")
def rendered(
    scratch_path: Path, demo_plan: Plan, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list]:
    """Sheet name -> rendered page images, in page order."""
    pdf = to_pdf(scratch_path, tmp_path_factory.mktemp("lo"))
    return pages_by_sheet(pdf, demo_plan.sheet_names)


def test_every_sheet_prints(rendered: dict, demo_plan: Plan) -> None:
    assert list(rendered) == demo_plan.sheet_names


# A filled cell gives 60-90 px at the rendering's size, none without the rules applied.
@pytest.mark.parametrize("rating", ["Red", "Amber", "Green", "Contextual"])
def test_scorecard_shows_rag_fills(rendered: dict, rating: str) -> None:
    fill = RAG_SWATCHES[rating].fill
    pixels = sum(count_near(page, fill) for page in rendered["Scorecard"])
    assert pixels > 200, f"{rating} fill {fill}: {pixels} px"


@pytest.mark.parametrize("words", ["Improvement (high)", "Concern (high)", "Neither (high)"])
def test_scorecard_shows_spc_fills(rendered: dict, words: str) -> None:
    fill = SPC_SWATCHES[words].fill
    pixels = sum(count_near(page, fill) for page in rendered["Scorecard"])
    assert pixels > 100, f"{words} fill {fill}: {pixels} px"


def test_no_rag_fill_outside_the_scorecard(rendered: dict) -> None:
    red = RAG_SWATCHES["Red"].fill
    assert sum(count_near(p, red) for p in rendered["KPI Values"]) == 0


def test_chart_pages_are_not_blank(rendered: dict, demo_plan: Plan) -> None:
    for sheet in demo_plan.by_role("charts"):
        pages = rendered[sheet.name]
        assert len(pages) >= -(-len(sheet.charts) // 4)
        for page in pages:
            # Title, note and footer alone give ~6,000 non-white pixels and <10 in the series
            # colour; one drawn line chart gives several hundred.
            assert non_white(page) > 10_000, sheet.name
            assert count_near(page, VALUE_LINE) > 300, sheet.name
        if any(c.target_series for c in sheet.charts):
            assert sum(count_near(p, TARGET_LINE) for p in pages) > 100, sheet.name
