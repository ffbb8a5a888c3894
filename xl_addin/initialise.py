"""`xl-addin init`: adopt the add-in in an existing workbook by adding the four input sheets."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .contract.schema import INPUT_SHEETS
from .io.file_safety import plain_os_errors
from .io.write_inputs import template_sheets, write_input_workbook
from .ooxml import atomic_replace, book_uses_1904_dates, check_can_replace, transplant


def add_input_sheets(book: Path, *, backup: bool = True, progress=None) -> list[str]:
    """Add Settings, Measures, Data and Targets (headers, drop-downs, one example row) to `book`.

    Uses the same package surgery as refresh, so nothing else in the workbook changes; a workbook
    that already has one of these sheets is refused, naming it. A book open in Excel or
    LibreOffice, a read-only book or backup, or a folder that cannot be written is refused
    before anything is done (FileSafetyError).
    """
    say = progress or (lambda _m: None)
    book = Path(book)
    check_can_replace(book, backup=backup)
    with tempfile.TemporaryDirectory(prefix="xl_addin_") as tmp:
        scratch = Path(tmp) / "inputs.xlsx"
        date_1904 = book_uses_1904_dates(book)
        with plain_os_errors(scratch):  # the system's temporary folder may be full
            write_input_workbook(template_sheets(), scratch, date_1904=date_1904)
        say(f"Adding {', '.join(INPUT_SHEETS)} to {book.name}")
        atomic_replace(
            lambda out: transplant(book, scratch, out, register=False), book, backup=backup
        )
    return list(INPUT_SHEETS)
