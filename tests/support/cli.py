"""Running the installed command as a user would, in its own process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def kpis_json(book: Path) -> list[dict]:
    """`xl-addin kpis BOOK --format json`: the scorecard every surface must match."""
    done = subprocess.run(
        [sys.executable, "-m", "xl_addin.cli", "kpis", str(book), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout)
