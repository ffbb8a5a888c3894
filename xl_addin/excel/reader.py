"""Read the four input sheets from an open workbook, for the same contract validation as files.

One `.value` read per sheet (A1 to the last used cell), never per cell: over COM each read is a
round trip, and on the remote engine the values are already in the request. Excel error cells
arrive as text (`err_to_str`) and go to `RawSheet.errors`, so a `#N/A` is reported as an error
rather than mistaken for a blank.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..cellref import cell_name
from ..contract import RawSheet, validate_inputs
from ..contract.schema import INPUT_SHEETS, READ_SHEETS
from ..engine.models import Inputs

# What Excel shows for an error value, in Office.js `values` and in xlwings' `err_to_str` text.
EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CONNECT!",
        "#BLOCKED!",
        "#UNKNOWN!",
        "#FIELD!",
        "#CALC!",
        "#BUSY!",
        "#DATA!",
        "#PYTHON!",
    }
)


def sheet_by_exact_name(book: Any, name: str) -> Any | None:
    """The sheet called exactly `name`, or None.

    xlwings looks sheets up ignoring case (as Excel does), but the contract's sheet names are
    case-sensitive, so `data` must not stand in for `Data`.
    """
    for sheet in book.sheets:
        if sheet.name == name:
            return sheet
    return None


def _clean(value: Any) -> Any:
    """Remote-engine dates are naive datetimes already; COM can hand back aware ones."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def read_sheet(sheet: Any) -> RawSheet:
    """A sheet's values anchored at A1, with error cells moved to `errors`."""
    last = sheet.used_range.last_cell
    rng = sheet.range((1, 1), (last.row, last.column))
    values = rng.options(ndim=2, err_to_str=True).value or []
    rows: list[list[Any]] = []
    errors: dict[str, str] = {}
    for r, row in enumerate(values):
        out = []
        for c, value in enumerate(row):
            if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
                errors[cell_name(r, c)] = value.strip()
                out.append(None)
            else:
                out.append(_clean(value))
        rows.append(out)
    return RawSheet(sheet.name, rows, errors)


def read_book_sheets(book: Any, names: tuple[str, ...] = INPUT_SHEETS) -> dict[str, RawSheet]:
    """Raw cells of the named sheets that exist in the open book (missing ones are absent)."""
    out = {}
    for name in names:
        sheet = sheet_by_exact_name(book, name)
        if sheet is not None:
            out[name] = read_sheet(sheet)
    return out


def read_book_inputs(book: Any) -> Inputs:
    """Validated inputs from the open book, unsaved edits included; InputError names the cells."""
    return validate_inputs(read_book_sheets(book, READ_SHEETS), source=book.name)
