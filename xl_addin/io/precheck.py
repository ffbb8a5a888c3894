"""Checks on an untrusted .xlsx/.xlsm before any parser sees it.

Readers crash or hang on hostile files (excel-files.md §7): a 1.5 KB file claiming cell
XFD1048576 aborts python-calamine's whole process, and zip bombs exhaust memory. These checks read
zip metadata, the first bytes of each part, and the cell references of the sheets we will read.
They also collect cells holding Excel error values, which calamine reports as blanks.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree as SafeET

from ..errors import input_error

MAX_MEMBERS = 10_000
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
RATIO_MIN_SIZE = 1024 * 1024
MAX_CELLS_PER_SHEET = 50_000_000
MAX_ROW, MAX_COL = 1_048_576, 16_384

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(/?)>")
_REF = re.compile(rb'\br="([A-Z]{1,4})([0-9]{1,8})"')
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\s([^>]*\bt="e"[^>]*)>.*?<(?:\w+:)?v>([^<]*)</', re.DOTALL)


@dataclass
class Checked:
    """What the precheck learned: sheet parts by name, and error cells of the scanned sheets."""

    sheet_parts: dict[str, str] = field(default_factory=dict)
    errors: dict[str, dict[str, str]] = field(default_factory=dict)


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> part path inside the package, from workbook.xml and its rels."""
    try:
        book = SafeET.fromstring(zf.read("xl/workbook.xml"))
        rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except KeyError as exc:
        raise input_error(None, None, f"not an Excel workbook: {exc.args[0]} is missing") from exc
    targets = {}
    for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
        targets[rel.get("Id")] = path
    out = {}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        rid = sheet.get(f"{_NS_REL}id")
        if rid in targets:
            out[sheet.get("name")] = targets[rid]
    return out


def precheck(path: Path, scan_sheets: tuple[str, ...]) -> Checked:
    """Reject hostile or non-Excel files with a clear message; scan the named sheets' cells."""
    name = path.name
    if not path.exists():
        raise input_error(None, None, f"{path} does not exist")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise input_error(
            None,
            None,
            f"{name}: expected an .xlsx or .xlsm workbook (save it from Excel as 'Excel Workbook')",
        )
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise input_error(None, None, f"{name} is not a readable Excel workbook ({exc})") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise input_error(
                None,
                None,
                f"{name} has {len(infos):,} parts; refusing more than "
                f"{MAX_MEMBERS:,} (a damaged or hostile file)",
            )
        total = sum(i.file_size for i in infos)
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise input_error(
                None,
                None,
                f"{name} would expand to {total / 2**20:,.0f} MB; "
                f"refusing more than {MAX_TOTAL_UNCOMPRESSED // 2**20} MB",
            )
        for i in infos:
            if i.file_size > RATIO_MIN_SIZE and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                raise input_error(
                    None,
                    None,
                    f"{name}: part {i.filename} compresses "
                    f"{i.file_size // max(i.compress_size, 1):,}:1, which only a "
                    "zip bomb does; refusing to open it",
                )
        for i in infos:
            if i.filename.endswith((".xml", ".rels")) or i.filename.endswith(".vml"):
                with zf.open(i) as fh:
                    if _DTD.search(fh.read(4096)):
                        raise input_error(
                            None,
                            None,
                            f"{name}: part {i.filename} declares a "
                            "DTD or entities, which Excel never writes; refusing it",
                        )
        checked = Checked(sheet_parts(zf))
        for sheet in scan_sheets:
            part = checked.sheet_parts.get(sheet)
            if part is None or part not in zf.NameToInfo:
                continue
            checked.errors[sheet] = _scan_sheet(zf.read(part), name, sheet)
    return checked


def _scan_sheet(xml: bytes, book: str, sheet: str) -> dict[str, str]:
    """Check the cell extent (what calamine would allocate) and collect error cells."""
    max_row = max_col = 0
    for m in _CELL.finditer(xml):
        ref = _REF.search(m.group(1))
        if not ref:
            continue
        row, col = int(ref.group(2)), _col_number(ref.group(1))
        max_row = max(max_row, row)
        max_col = max(max_col, col)
    if max_row > MAX_ROW or max_col > MAX_COL or max_row * max_col > MAX_CELLS_PER_SHEET:
        raise input_error(
            sheet,
            None,
            f"{book}: the sheet claims cells up to row {max_row:,}, "
            f"column {max_col:,}; refusing more than {MAX_CELLS_PER_SHEET:,} cells",
        )
    errors = {}
    if b't="e"' in xml:
        for m in _ERROR_CELL.finditer(xml):
            ref = _REF.search(m.group(1))
            if ref:
                errors[(ref.group(1) + ref.group(2)).decode()] = m.group(2).decode()
    return errors
