"""PDF through headless LibreOffice, when it is installed.

Each conversion gets its own throwaway LibreOffice profile (`-env:UserInstallation`): two
conversions sharing the default profile block each other, and a first-run profile left behind
in the user's home is clutter.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import XlAddinError

TIMEOUT = 300  # seconds: a 40-sheet pack takes a few seconds; a hung office never returns
_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)
INSTALL_HINT = (
    "--pdf needs LibreOffice, which was not found. Install it (Debian/Ubuntu: "
    "apt-get install --no-install-recommends libreoffice-calc-nogui; Windows and macOS: "
    "https://www.libreoffice.org/download/), or set XL_ADDIN_SOFFICE to the soffice program. "
    "The workbook itself needs nothing extra: run again without --pdf."
)


def find_soffice() -> str | None:
    """XL_ADDIN_SOFFICE, else soffice/libreoffice on PATH, else the usual install folders."""
    configured = os.environ.get("XL_ADDIN_SOFFICE")
    if configured:
        return configured if Path(configured).exists() else shutil.which(configured)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _PLACES if Path(p).exists()), None)


def require_soffice() -> str:
    soffice = find_soffice()
    if soffice is None:
        raise XlAddinError(INSTALL_HINT)
    return soffice


def convert_to_pdf(xlsx: Path, outdir: Path, soffice: str | None = None) -> Path:
    """Write `<outdir>/<xlsx stem>.pdf` and return its path; XlAddinError if LibreOffice fails."""
    soffice = soffice or require_soffice()
    with tempfile.TemporaryDirectory(prefix="xl_addin-lo-") as profile:
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(xlsx),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            raise XlAddinError(f"LibreOffice did not finish the PDF in {TIMEOUT} s") from exc
        except OSError as exc:
            raise XlAddinError(f"could not run LibreOffice ({soffice}): {exc}") from exc
    pdf = outdir / (xlsx.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        detail = (done.stderr or done.stdout or "").strip().splitlines()[-3:]
        raise XlAddinError(
            "LibreOffice could not convert the pack to PDF"
            + (": " + " ".join(detail) if detail else f" (exit code {done.returncode})")
        )
    return pdf
