"""Read the four input sheets of a workbook file, fast (python-calamine), after the precheck."""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from ..contract import RawSheet, validate_inputs
from ..contract.schema import INPUT_SHEETS, READ_SHEETS
from ..engine.models import Inputs
from ..errors import input_error
from .precheck import precheck


def _anchor(rows: list[list], start: tuple[int, int] | None) -> list[list]:
    """Pad rows trimmed to the used range back so rows[0][0] is A1.

    `to_python(skip_empty_area=False)` already starts at A1, and padding those rows again would
    shift every cell named in a message. Trimmed rows have a value in their first row (or, when
    only columns were trimmed, in their first column); rows from A1 have none there.
    """
    if not start or start == (0, 0) or not rows:
        return rows
    first = rows[0] if start[0] else [row[0] for row in rows if row]
    if all(v is None or v == "" for v in first):
        return rows
    r0, c0 = start
    pad = [None] * c0
    return [[] for _ in range(r0)] + [pad + list(r) for r in rows]


def read_sheets(path: str | Path, names: tuple[str, ...] = INPUT_SHEETS) -> dict[str, RawSheet]:
    """Raw cells of the named sheets that exist (others are simply absent from the result)."""
    path = Path(path)
    checked = precheck(path, names)
    try:
        book = CalamineWorkbook.from_path(str(path))
        out = {}
        for name in names:
            if name not in book.sheet_names:
                continue
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            out[name] = RawSheet(
                name,
                _anchor(rows, sheet.start),
                checked.errors.get(name, {}),
                frozenset(checked.unsaved_formulas.get(name, ())),
                tuple(checked.merged.get(name, ())),
            )
        return out
    except (CalamineError, ValueError, OSError) as exc:
        raise input_error(None, None, f"{path.name} could not be read: {exc}") from exc


def read_inputs(path: str | Path) -> Inputs:
    """Validated inputs from an .xlsx/.xlsm file; InputError names each problem's sheet and cell."""
    path = Path(path)
    return validate_inputs(read_sheets(path, READ_SHEETS), source=str(path))
