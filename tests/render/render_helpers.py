"""Test helpers: demo results with changed inputs, and the charts of a written file as data.

Charts are read from the package XML (not openpyxl's model) so the tests see exactly what Excel
will: series formulas, dash style, axis scaling and the drawing's alt text.
"""

from __future__ import annotations

import dataclasses
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from lxml import etree
from support.namespaces import NS
from support.package_parts import drawing_parts, rels, sheet_parts

import xl_addin
from xl_addin.demo import demo_inputs
from xl_addin.engine.models import Results


def results_with(
    settings: dict | None = None,
    measures: pd.DataFrame | None = None,
    data: pd.DataFrame | None = None,
) -> Results:
    """The demo computed with some settings, Measures or Data replaced."""
    inputs = demo_inputs()
    changes: dict = {}
    if settings:
        changes["settings"] = dataclasses.replace(inputs.settings, **settings)
    if measures is not None:
        changes["measures"] = measures
    if data is not None:
        changes["data"] = data
    return xl_addin.compute(dataclasses.replace(inputs, **changes))


@dataclass
class SeriesXml:
    chart_type: str  # lineChart | barChart
    name: str
    categories: str
    values: str
    dashed: bool


@dataclass
class ChartXml:
    sheet: str
    row: int
    col: int
    description: str
    title: str
    series: list[SeriesXml] = field(default_factory=list)
    date_axis_format: str | None = None
    value_axis_format: str | None = None
    value_min: float | None = None
    value_max: float | None = None
    legend_position: str | None = None


def _text(el) -> str:
    return "".join(el.itertext()) if el is not None else ""


def _float(el) -> float | None:
    return None if el is None else float(el.get("val"))


def _chart(z: zipfile.ZipFile, part: str, base: ChartXml) -> ChartXml:
    root = etree.fromstring(z.read(part))
    chart = root.find("c:chart", NS)
    base.title = _text(chart.find("c:title//c:rich", NS))
    for plot in chart.find("c:plotArea", NS):
        tag = etree.QName(plot).localname
        if not tag.endswith("Chart"):
            continue
        for ser in plot.findall("c:ser", NS):
            dash = ser.find("c:spPr/a:ln/a:prstDash", NS)
            base.series.append(
                SeriesXml(
                    tag,
                    _text(ser.find("c:tx", NS)),
                    _text(ser.find("c:cat//c:f", NS)),
                    _text(ser.find("c:val//c:f", NS)),
                    dash is not None and dash.get("val") != "solid",
                )
            )
    date_fmt = chart.find("c:plotArea/c:dateAx/c:numFmt", NS)
    base.date_axis_format = None if date_fmt is None else date_fmt.get("formatCode")
    val_ax = chart.find("c:plotArea/c:valAx", NS)
    fmt = val_ax.find("c:numFmt", NS)
    base.value_axis_format = None if fmt is None else fmt.get("formatCode")
    base.value_min = _float(val_ax.find("c:scaling/c:min", NS))
    base.value_max = _float(val_ax.find("c:scaling/c:max", NS))
    pos = chart.find("c:legend/c:legendPos", NS)
    base.legend_position = None if pos is None else pos.get("val")
    return base


def read_charts(path: Path) -> dict[str, list[ChartXml]]:
    """Sheet name -> its charts, in drawing order."""
    out: dict[str, list[ChartXml]] = {}
    with zipfile.ZipFile(path) as z:
        for name, part in sheet_parts(z):
            out[name] = []
            for drawing in drawing_parts(z, part):
                d_rels = rels(z, drawing)
                root = etree.fromstring(z.read(drawing))
                for anchor in root:
                    frame = anchor.find("xdr:graphicFrame", NS)
                    if frame is None:
                        continue
                    cnv = frame.find("xdr:nvGraphicFramePr/xdr:cNvPr", NS)
                    ref = frame.find(".//c:chart", NS).get(f"{{{NS['r']}}}id")
                    base = ChartXml(
                        name,
                        int(anchor.find("xdr:from/xdr:row", NS).text),
                        int(anchor.find("xdr:from/xdr:col", NS).text),
                        cnv.get("descr") or "",
                        "",
                    )
                    out[name].append(_chart(z, d_rels[ref], base))
    return out


def defined_names(path: Path) -> list[tuple[str, str | None]]:
    """(name, localSheetId) of every defined name in the package."""
    with zipfile.ZipFile(path) as z:
        wb = etree.fromstring(z.read("xl/workbook.xml"))
    return [(d.get("name"), d.get("localSheetId")) for d in wb.iterfind(".//m:definedName", NS)]
