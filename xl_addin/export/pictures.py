"""Pictures of the demo's board pack for the README, rendered by LibreOffice.

    python -m xl_addin.export.pictures docs/

writes `pack-scorecard.png` (the Scorecard's first page) and `pack-charts.png` (the first chart
sheet's first page). Needs LibreOffice and poppler (`pdftoppm`, `pdftotext`). Pages are found
by their footer, which starts with the sheet name.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..demo import demo_inputs
from ..engine.pipeline import compute
from ..errors import XlAddinError
from .pack import export_pack

DPI = 110
# the scorecard, and a chart sheet whose measures have targets (dashed lines)
PICTURES = {"Scorecard": "pack-scorecard.png", "Charts - Service": "pack-charts.png"}


def _page_sheets(pdf: Path, sheets: tuple[str, ...]) -> list[str]:
    """The sheet each page of the PDF belongs to, from the footers."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    names = sorted(sheets, key=len, reverse=True)
    out = []
    for page in text.split("\f")[: -1 or None]:
        footer = next((ln.strip() for ln in reversed(page.splitlines()) if "Page " in ln), "")
        out.append(next((n for n in names if footer.startswith(n)), ""))
    return out


def render_pictures(folder: Path) -> list[Path]:
    """Export the demo pack with its PDF and save the two pictures into `folder`."""
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        raise XlAddinError("pictures need poppler: apt-get install poppler-utils")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="xl_addin-pictures-") as tmp:
        report = export_pack(compute(demo_inputs()), Path(tmp) / "demo-pack.xlsx", pdf=True)
        assert report.pdf is not None
        pages = _page_sheets(report.pdf, report.sheets)
        for prefix, name in PICTURES.items():
            number = next(i for i, s in enumerate(pages, start=1) if s.startswith(prefix))
            stem = Path(tmp) / "page"
            pages_wanted = ["-f", str(number), "-l", str(number), "-singlefile"]
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(DPI), *pages_wanted, str(report.pdf), str(stem)],
                check=True,
            )
            target = folder / name
            shutil.move(str(stem.with_suffix(".png")), target)
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to write the PNG files (e.g. docs/)")
    args = parser.parse_args(argv)
    try:
        for path in render_pictures(args.folder):
            print(f"Wrote {path}")
    except XlAddinError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
