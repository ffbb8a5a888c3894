"""Read an exported pack back as plain data: sheet XML, charts and their alt text, sparklines,
hyperlinks and print settings, straight from the package (what Excel itself would read)."""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from support.namespaces import NS


def rels(z: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str | None]]:
    """Relationship id -> (target part or URL, TargetMode)."""
    folder, name = posixpath.split(part)
    name = posixpath.join(folder, "_rels", name + ".rels")
    if name not in z.namelist():
        return {}
    out = {}
    for rel in etree.fromstring(z.read(name)).findall("pr:Relationship", NS):
        target, mode = rel.get("Target"), rel.get("TargetMode")
        if mode != "External":
            target = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
        out[rel.get("Id")] = (target, mode)
    return out


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name -> its worksheet part, in tab order."""
    with zipfile.ZipFile(path) as z:
        wb = etree.fromstring(z.read("xl/workbook.xml"))
        r = rels(z, "xl/workbook.xml")
        return {
            s.get("name"): r[s.get(f"{{{NS['r']}}}id")][0]
            for s in wb.findall("m:sheets/m:sheet", NS)
        }


def sheet_xml(path: Path, sheet: str):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(sheet_parts(path)[sheet]))


@dataclass
class Chart:
    sheet: str
    description: str
    title: str
    series: list[tuple[str, str, str, bool]] = field(default_factory=list)  # name, cat, val, dash


def _text(el) -> str:
    return "".join(el.itertext()) if el is not None else ""


def charts(path: Path) -> list[Chart]:
    out = []
    with zipfile.ZipFile(path) as z:
        for name, part in sheet_parts(path).items():
            for drawing, _ in rels(z, part).values():
                if "/drawings/" not in drawing:
                    continue
                d_rels = rels(z, drawing)
                for frame in etree.fromstring(z.read(drawing)).iter(f"{{{NS['xdr']}}}graphicFrame"):
                    cnv = frame.find("xdr:nvGraphicFramePr/xdr:cNvPr", NS)
                    rid = frame.find(".//c:chart", NS).get(f"{{{NS['r']}}}id")
                    root = etree.fromstring(z.read(d_rels[rid][0]))
                    chart = Chart(
                        name, cnv.get("descr") or "", _text(root.find(".//c:title//c:rich", NS))
                    )
                    for ser in root.iter(f"{{{NS['c']}}}ser"):
                        dash = ser.find("c:spPr/a:ln/a:prstDash", NS)
                        chart.series.append(
                            (
                                _text(ser.find("c:tx", NS)),
                                _text(ser.find("c:cat//c:f", NS)),
                                _text(ser.find("c:val//c:f", NS)),
                                dash is not None and dash.get("val") != "solid",
                            )
                        )
                    out.append(chart)
    return out


def sparklines(path: Path, sheet: str) -> list[tuple[str, str]]:
    """(range formula, location) of every sparkline on a sheet."""
    root = sheet_xml(path, sheet)
    return [
        (s.find("xm:f", NS).text, s.find("xm:sqref", NS).text)
        for s in root.iter(f"{{{NS['x14']}}}sparkline")
    ]


def formula_cells(path: Path) -> list[tuple[str, str]]:
    """(part, cell) of every cell formula (<f> in a worksheet <c>) anywhere in the package."""
    found = []
    with zipfile.ZipFile(path) as z:
        for part in z.namelist():
            if part.startswith("xl/worksheets/") and part.endswith(".xml"):
                root = etree.fromstring(z.read(part))
                for f in root.iter(f"{{{NS['m']}}}f"):
                    found.append((part, f.getparent().get("r")))
    return found
