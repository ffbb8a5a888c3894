"""Render a workbook with headless LibreOffice and look at the pixels, page by page.

Pages are matched to sheets by the sheet name that every generated page footer carries.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

TOOLS = ("soffice", "pdftoppm", "pdftotext")
MISSING = [t for t in TOOLS if shutil.which(t) is None]
# On CI (.ci/run installs the tools) a missing tool must fail the run, not skip quietly.
needs_libreoffice = pytest.mark.skipif(
    bool(MISSING) and not os.environ.get("CI"),
    reason=f"{', '.join(MISSING)} not on PATH "
    "(apt-get install libreoffice-calc-nogui poppler-utils; .ci/run installs them)",
)
DPI = 80
TOLERANCE = 12


def rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def count_near(image: Image.Image, colour: str) -> int:
    """Pixels within ±TOLERANCE of colour on every channel."""
    r0, g0, b0 = rgb(colour)
    return sum(
        n
        for n, (r, g, b) in image.getcolors(maxcolors=1 << 24)
        if abs(r - r0) <= TOLERANCE and abs(g - g0) <= TOLERANCE and abs(b - b0) <= TOLERANCE
    )


def non_white(image: Image.Image) -> int:
    return sum(n for n, (r, g, b) in image.getcolors(maxcolors=1 << 24) if min(r, g, b) < 235)


def convert(book: Path, outdir: Path, to: str, infilter: str | None = None) -> Path:
    """LibreOffice's conversion of `book` to format `to` (pdf, ods...), with a private profile
    so runs can overlap; `infilter` names the import filter when LibreOffice must be told."""
    command = ["soffice", f"-env:UserInstallation=file://{outdir / 'profile'}", "--headless"]
    if infilter:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", to, "--outdir", str(outdir), str(book)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    out = outdir / f"{book.stem}.{to}"
    assert out.exists(), f"LibreOffice wrote no {to}"
    return out


def to_pdf(book: Path, outdir: Path) -> Path:
    """LibreOffice's PDF of every sheet."""
    return convert(book, outdir, "pdf")


def page_text(pdf: Path, number: int) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def pages_by_sheet(pdf: Path, sheet_names: list[str]) -> dict[str, list[Image.Image]]:
    """Sheet name -> its rendered pages, in order (a page whose footer names no sheet is
    filed under "")."""
    out = pdf.parent / f"{pdf.stem}-png"
    out.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(DPI), str(pdf), str(out / "page")], check=True, timeout=300
    )
    names = sorted(sheet_names, key=len, reverse=True)  # longest first: no prefix clashes
    by_sheet: dict[str, list[Image.Image]] = {}
    for png in sorted(out.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
        number = int(png.stem.split("-")[-1])
        footer = next(
            (
                line.strip()
                for line in reversed(page_text(pdf, number).splitlines())
                if "Page " in line
            ),
            "",
        )
        sheet = next((n for n in names if footer.startswith(n)), "")
        by_sheet.setdefault(sheet, []).append(Image.open(png).convert("RGB"))
    return by_sheet
