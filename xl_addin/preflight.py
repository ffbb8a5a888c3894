"""What `validate` checks beyond the input sheets: that a refresh could write its sheets.

A user's own sheet, table or name called `Scorecard` stops a refresh (xl_addin never overwrites
what it did not make). Validate finds these by the same planning the refresh does, without
writing anything, so "ready" means the refresh will go through.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .engine.models import Results
from .errors import Problem
from .ooxml import book_uses_1904_dates
from .ooxml.errors import SurgeryError
from .ooxml.transplant import name_clashes
from .render import render_plan, write_scratch


def refresh_problems(book: str | Path, results: Results) -> list[Problem]:
    """Each reason a refresh of `book` would stop, as a problem for the analyst."""
    book = Path(book)
    with tempfile.TemporaryDirectory(prefix="xl_addin_") as tmp:
        scratch = Path(tmp) / "generated.xlsx"
        write_scratch(render_plan(results), scratch, date_1904=book_uses_1904_dates(book))
        try:
            found: list[SurgeryError] = name_clashes(book, scratch)
        except SurgeryError as exc:  # a protected structure, say: refresh would stop too
            found = [exc]
    return [Problem(None, None, str(e)) for e in found]
