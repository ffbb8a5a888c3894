"""Walking a written package's parts by their relationships (openpyxl does not read charts back)."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from support.namespaces import NS

_DRAWING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"


def rels(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id -> the part it targets, for `part`'s internal relationships."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in z.namelist():
        return {}
    out = {}
    for rel in etree.fromstring(z.read(rels_name)).findall("pr:Relationship", NS):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target")
        out[rel.get("Id")] = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
    return out


def sheet_parts(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, its part) in the workbook's order."""
    book = etree.fromstring(z.read("xl/workbook.xml"))
    targets = rels(z, "xl/workbook.xml")
    return [
        (sheet.get("name"), targets[sheet.get(f"{{{NS['r']}}}id")])
        for sheet in book.findall("m:sheets/m:sheet", NS)
    ]


def drawing_parts(z: zipfile.ZipFile, part: str) -> list[str]:
    """The drawing parts of a sheet part."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in z.namelist():
        return []
    found = etree.fromstring(z.read(rels_name)).findall("pr:Relationship", NS)
    by_id = rels(z, part)
    return [by_id[r.get("Id")] for r in found if r.get("Type") == _DRAWING]


def chart_names(path: Path) -> dict[str, list[str]]:
    """Sheet name -> the names of the charts drawn on it, in drawing order."""
    out: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as z:
        for sheet, part in sheet_parts(z):
            out[sheet] = [
                frame.find("xdr:nvGraphicFramePr/xdr:cNvPr", NS).get("name")
                for drawing in drawing_parts(z, part)
                for frame in etree.fromstring(z.read(drawing)).iter(f"{{{NS['xdr']}}}graphicFrame")
            ]
    return out
