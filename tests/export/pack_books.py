"""Demo workbooks with small changes, written the way an analyst would get them."""

from __future__ import annotations

from pathlib import Path

from xl_addin.demo import demo_sheets
from xl_addin.io.write_inputs import write_input_workbook

HOSTILE = '=HYPERLINK("http://x","y")'


def write_demo(path: Path, edit=None) -> Path:
    """The demo inputs as a workbook, optionally changed by `edit(sheets)` first."""
    sheets = demo_sheets()
    if edit is not None:
        edit(sheets)
    write_input_workbook(sheets, path)
    return path


def set_data(sheets, field: str, month_iso: str, value) -> None:
    """Data!<field>,<month> = value (the demo's Data sheet has ISO dates in row 1)."""
    rows = sheets["Data"].rows
    col = next(i for i, c in enumerate(rows[0]) if str(c) == month_iso)
    row = next(r for r in rows if r and r[0] == field)
    row[col] = value
