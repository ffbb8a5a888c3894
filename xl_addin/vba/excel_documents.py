"""Excel's document modules (ThisWorkbook and one per sheet), named by the workbook's code names.

Excel pairs each document module with its object through `codeName`: `workbookPr/@codeName` in
workbook.xml and `sheetPr/@codeName` in each worksheet. A project whose document modules do not
match them is repaired or rejected, so the names are read from the package, never assumed.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Callable

from .errors import VbaProjectError
from .module_source import Module, ModuleKind

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
# The VBA editor's bases for document modules: Excel's Workbook and Worksheet classes
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"

ReadPart = Callable[[str], bytes]


def document_module(name: str, base: str) -> Module:
    """The stored source of an empty document module, as the VBA editor writes it."""
    lines = [
        f'Attribute VB_Name = "{name}"',
        f'Attribute VB_Base = "{base}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    return Module(name, ModuleKind.DOCUMENT, "\r\n".join(lines) + "\r\n")


def _relationships(read: ReadPart, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) for `part`."""
    folder, name = posixpath.split(part)
    rels = ET.fromstring(read(posixpath.join(folder, "_rels", name + ".rels")))
    out = {}
    for rel in rels.iter(f"{PACKAGE_RELS}Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(path))
    return out


def code_names(read: ReadPart) -> tuple[str, list[str]]:
    """The workbook's code name and its sheets' code names, in sheet order."""
    workbook = next((p for t, p in _relationships(read, "").values() if t == OFFICE_DOCUMENT), None)
    if workbook is None:
        raise VbaProjectError("the template has no workbook part")
    root = ET.fromstring(read(workbook))
    pr = root.find(f"{MAIN}workbookPr")
    book = pr.get("codeName") if pr is not None else None
    if not book:
        raise VbaProjectError(f"{workbook}: the workbook has no codeName")
    rels = _relationships(read, workbook)
    sheets = []
    for sheet in root.iter(f"{MAIN}sheet"):
        kind, part = rels[sheet.get(REL_ID, "")]
        label = sheet.get("name")
        if kind != WORKSHEET:
            raise VbaProjectError(f"sheet {label!r} is not a worksheet; the template must not")
        sheet_pr = ET.fromstring(read(part)).find(f"{MAIN}sheetPr")
        name = sheet_pr.get("codeName") if sheet_pr is not None else None
        if not name:
            raise VbaProjectError(f"{part}: sheet {label!r} has no codeName")
        sheets.append(name)
    return book, sheets


def document_modules(read: ReadPart) -> list[Module]:
    """ThisWorkbook (or whatever the package calls it) and one module per worksheet."""
    book, sheets = code_names(read)
    return [document_module(book, WORKBOOK_BASE)] + [
        document_module(name, WORKSHEET_BASE) for name in sheets
    ]
