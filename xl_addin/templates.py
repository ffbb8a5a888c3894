"""Build the workbooks in workbook_templates/ from the project's own sources.

    python -m xl_addin.templates            # rewrite workbook_templates/*.xlsx

- `performance_template.xlsx`: the four input sheets with headers, drop-down validation and one
  example row each: the starting point for a new workbook.
- `demo_inputs.xlsx`: the bundled demo's inputs (data/demo/*.csv), before any refresh.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .demo import demo_sheets
from .io.write_inputs import ABOUT, template_sheets, write_input_workbook

TEMPLATE = "performance_template.xlsx"
DEMO_INPUTS = "demo_inputs.xlsx"


def templates_dir() -> Path:
    """workbook_templates/ in a checkout, or the copy packed inside an installed wheel."""
    packaged = Path(__file__).parent / "workbook_templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[1] / "workbook_templates"


def build(folder: Path | None = None) -> list[Path]:
    folder = folder or templates_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / TEMPLATE, folder / DEMO_INPUTS]
    write_input_workbook(template_sheets(), written[0], about=ABOUT)
    write_input_workbook(demo_sheets(), written[1], about=ABOUT)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else None):
        print(f"wrote {path}")
