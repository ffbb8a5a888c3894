"""Render the scratch workbook with headless LibreOffice and look at the pixels.

Checks what a reader sees: RAG fills on the Scorecard pages (conditional formatting applied),
and chart pages that are not blank (series drawn, target lines in their colour). Pages are
matched to sheets by the `&A` sheet name every page footer carries.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from xl_addin.render.colours import RAG_SWATCHES, TARGET_LINE, VALUE_LINE
from xl_addin.render.plan import Plan

TOOLS = ("soffice", "pdftoppm", "pdftotext")
missing = [t for t in TOOLS if shutil.which(t) is None]
pytestmark = pytest.mark.skipif(
    bool(missing),
    reason=f"{', '.join(missing)} not on PATH (apt-get install libreoffice-calc-nogui "
    "poppler-utils)",
)
DPI = 80
TOLERANCE = 12


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def count_near(image: Image.Image, colour: str) -> int:
    """Pixels within ±TOLERANCE of colour on every channel."""
    r0, g0, b0 = _rgb(colour)
    return sum(
        n
        for n, (r, g, b) in image.getcolors(maxcolors=1 << 24)
        if abs(r - r0) <= TOLERANCE and abs(g - g0) <= TOLERANCE and abs(b - b0) <= TOLERANCE
    )


def non_white(image: Image.Image) -> int:
    return sum(n for n, (r, g, b) in image.getcolors(maxcolors=1 << 24) if min(r, g, b) < 235)


@pytest.fixture(scope="module")
def rendered(scratch_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list]:
    """Sheet name -> rendered page images, in page order."""
    out = tmp_path_factory.mktemp("lo")
    profile = out / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(scratch_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = out / (scratch_path.stem + ".pdf")
    assert pdf.exists(), "LibreOffice wrote no PDF"
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(DPI), str(pdf), str(out / "page")],
        check=True,
        timeout=120,
    )
    pages: dict[str, list] = {}
    for png in sorted(out.glob("page-*.png")):
        number = int(png.stem.split("-")[-1])
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        footer = next(line for line in reversed(text.splitlines()) if "Page " in line)
        sheet = footer.split("Page ")[0].strip()
        pages.setdefault(sheet, []).append(Image.open(png).convert("RGB"))
    return pages


def test_every_sheet_prints(rendered: dict, demo_plan: Plan) -> None:
    assert list(rendered) == demo_plan.sheet_names


@pytest.mark.parametrize("rating", ["Red", "Amber", "Green", "Contextual"])
def test_scorecard_shows_rag_fills(rendered: dict, rating: str) -> None:
    fill = RAG_SWATCHES[rating].fill
    pixels = sum(count_near(page, fill) for page in rendered["Scorecard"])
    assert pixels > 300, f"{rating} fill {fill}: {pixels} px"


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
