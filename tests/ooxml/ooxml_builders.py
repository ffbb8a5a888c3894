"""Workbooks built for the ooxml tests: scratch books (XlsxWriter) and feature-rich user books.

User books start as XlsxWriter files and then get parts injected at zip level that no Python
writer produces (threaded comments, slicer-like parts, customXml, an external link, a ribbon,
a calculation chain, ``mc:Ignorable`` namespaces), so the tests can check each survives.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import xlsxwriter

OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}
FAKE_VBA = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8


def tiny_png(rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A valid 2x2 PNG without Pillow."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(rgb) * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def make_scratch(
    path: Path,
    *,
    sections: tuple[str, ...] = ("Safeguarding",),
    kpi_values: bool = True,
    padded_text: str = "  padded  ",
    table_name: str = "Scorecard",
    chart_grid: bool = False,
) -> Path:
    """A scratch book like the renderer's: Scorecard (+table, CF, DV), KPI Values, chartsheets."""
    wb = xlsxwriter.Workbook(str(path), OPTIONS)
    pct = wb.add_format({"num_format": "0.0%"})
    money = wb.add_format({"num_format": "£#,##0.00;[Red]-£#,##0.00", "bold": True})
    head = wb.add_format({"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF"})
    red = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
    green = wb.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"})

    ws = wb.add_worksheet("Scorecard")
    rows = [
        ["M1", "Re-referrals", "Safeguarding", 0.215, "Red", "▲ Improving"],
        ["M2", padded_text, "Safeguarding", 0.82, "Green", "▼ Worsening"],
        ["M3", "Caseload", "Workforce", 17.5, "Amber", "► No change"],
    ]
    ws.add_table(
        "A1:F4",
        {
            "name": table_name,
            "data": rows,
            "columns": [
                {"header": "Measure ID"},
                {"header": "Measure"},
                {"header": "Section"},
                {"header": "Value", "format": pct},
                {"header": "RAG"},
                {"header": "Direction"},
            ],
        },
    )
    ws.write_number("H2", 1234.5, money)
    ws.write_string("H1", "Budget", head)
    ws.set_column("B:B", 30)
    ws.set_column("D:D", 10, pct)
    ws.freeze_panes(1, 0)
    ws.conditional_format(
        "E2:E4", {"type": "cell", "criteria": "==", "value": '"Red"', "format": red}
    )
    ws.conditional_format(
        "E2:E4", {"type": "cell", "criteria": "==", "value": '"Green"', "format": green}
    )
    ws.data_validation("E2:E4", {"validate": "list", "source": ["Red", "Amber", "Green"]})

    if kpi_values:
        kv = wb.add_worksheet("KPI Values")
        months = ["Jan-25", "Feb-25", "Mar-25", "Apr-25"]
        kv.add_table(
            "A1:F3",
            {
                "name": "KPIValues",
                "data": [["M1", "Re-referrals", 0.2, 0.21, 0.22, 0.215], ["M2", "x", 1, 2, 3, 4]],
                "columns": [{"header": h} for h in ["Measure ID", "Measure", *months]],
            },
        )
        kv.conditional_format("C2:F3", {"type": "data_bar", "data_bar_2010": True})
    for section in sections:
        name = f"Charts - {section}"[:31]
        grid = wb.add_worksheet(name) if chart_grid else None
        sheet = grid or wb.add_chartsheet(name)
        for k in range(3 if chart_grid else 1):
            chart = wb.add_chart({"type": "line"})
            chart.add_series({"name": "Actual", "values": "='Scorecard'!$D$2:$D$4"})
            chart.add_series(
                {
                    "name": "Target",
                    "values": "='Scorecard'!$D$2:$D$4",
                    "line": {"dash_type": "dash"},
                }
            )
            chart.set_title({"name": f"{section} {k}"})
            if grid is not None:
                grid.insert_chart(1 + 16 * k, 1, chart)
            else:
                sheet.set_chart(chart)
    wb.close()
    return path


def make_user_book(path: Path, *, macro: bool | None = None) -> Path:
    """A user workbook with many features, then zip-level injections (see module doc)."""
    macro = path.suffix == ".xlsm" if macro is None else macro
    tmp = path.with_name(path.stem + ".base" + path.suffix)
    wb = xlsxwriter.Workbook(str(tmp), OPTIONS)
    bold = wb.add_format({"bold": True})
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet("Data")
    ws.write_row("A1", ["field", "Jan", "Feb", "Mar"], bold)
    ws.write_row("A2", ["contacts", 10, 20, 30])
    ws.write_row("A3", ["cp_open", 5, 6, 7])
    ws.write_formula("E2", "=SUM(B2:D2)", None, 60)
    ws.write_formula("E3", "=SUM(B3:D3)", None, 18)
    ws.write_datetime("G1", __import__("datetime").datetime(2025, 3, 31), date)
    ws.write_rich_string("A6", "plain ", bold, "bold", " tail")
    ws.write_comment("A2", "A note from the analyst")
    ws.data_validation("B2:D3", {"validate": "integer", "criteria": ">=", "value": 0})
    ws.conditional_format("B2:D3", {"type": "data_bar", "data_bar_2010": True})
    ws.add_sparkline("F2", {"range": "Data!B2:D2"})
    ws.add_sparkline("F3", {"range": "Data!B3:D3", "type": "column"})
    ws.write_url("A8", "https://example.org/report", string="Report")
    ws.merge_range("A10:C10", "Merged title", bold)
    ws.insert_image("H2", "logo.png", {"image_data": io.BytesIO(tiny_png())})
    ws.insert_textbox("H8", "A text box")
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=Data!$B$2:$D$2"})
    ws.insert_chart("J2", chart)

    tgt = wb.add_worksheet("Targets")
    tgt.add_table(
        "A1:C3",
        {
            "name": "UserTargets",
            "data": [["M1", "2025-03-31", 0.2], ["M2", "2025-03-31", 0.8]],
            "columns": [{"header": "measure"}, {"header": "date"}, {"header": "target"}],
        },
    )
    tgt.print_area("A1:C3")
    hidden = wb.add_worksheet("Lookups")
    hidden.write("A1", "hidden")
    hidden.hide()
    cs = wb.add_chartsheet("User Chart")
    c2 = wb.add_chart({"type": "line"})
    c2.add_series({"values": "=Data!$B$3:$D$3"})
    cs.set_chart(c2)
    wb.define_name("Contacts", "=Data!$B$2:$D$2")
    wb.define_name("Targets!LocalTarget", "=Targets!$C$2")
    wb.define_name("Data!LocalData", "=Data!$A$1")
    if macro:
        vba = path.with_name("vbaProject.bin")
        vba.write_bytes(FAKE_VBA)
        wb.add_vba_project(str(vba))
        ws.insert_button("A12", {"macro": "say_hello", "caption": "Hello"})
    wb.close()
    inject_features(tmp, path, macro=macro)
    tmp.unlink()
    return path


_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MS = "http://schemas.microsoft.com/office"
_SLICER_CACHE = f"{_MS}/2007/relationships/slicerCache"


def _add_rels(xml: bytes, rels: list[tuple[str, str, str, bool]]) -> bytes:
    out = xml.decode()
    for rid, rtype, target, external in rels:
        mode = ' TargetMode="External"' if external else ""
        out = out.replace(
            "</Relationships>",
            f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"{mode}/></Relationships>',
        )
    return out.encode()


def _add_types(xml: bytes, overrides: dict[str, str]) -> bytes:
    out = xml.decode()
    for part, ct in overrides.items():
        out = out.replace("</Types>", f'<Override PartName="/{part}" ContentType="{ct}"/></Types>')
    return out.encode()


INJECTED = {
    "customXml/item1.xml": (
        b'<?xml version="1.0" encoding="UTF-8"?><root xmlns="urn:council">42</root>'
    ),
    "customXml/itemProps1.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
        b'<ds:datastoreItem ds:itemID="{6B0D2A4E-1234-4C1B-9C7E-0123456789AB}" '
        b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        b"<ds:schemaRefs/></ds:datastoreItem>"
    ),
    "customXml/_rels/item1.xml.rels": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/customXmlProps" Target="itemProps1.xml"/></Relationships>'
    ),
    "xl/threadedComments/threadedComment1.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/'
        b'threadedcomments"><threadedComment ref="A2" dT="2025-04-01T10:00:00.00" '
        b'personId="{11111111-2222-3333-4444-555555555555}" '
        b'id="{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}"><text>Check this</text>'
        b"</threadedComment></ThreadedComments>"
    ),
    "xl/persons/person.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/'
        b'threadedcomments"><person displayName="Analyst" '
        b'id="{11111111-2222-3333-4444-555555555555}" userId="analyst" providerId="None"/>'
        b"</personList>"
    ),
    "xl/slicers/slicer1.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<slicers xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        b'<slicer name="measure" cache="Slicer_measure" caption="measure" rowHeight="241300"/>'
        b"</slicers>"
    ),
    "xl/slicerCaches/slicerCache1.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<slicerCacheDefinition xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/'
        b'9/main" name="Slicer_measure" sourceName="measure"/>'
    ),
    "xl/externalLinks/externalLink1.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames>'
        b'<sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1"><v>5</v></cell></row>'
        b"</sheetData></sheetDataSet></externalBook></externalLink>"
    ),
    "xl/externalLinks/_rels/externalLink1.xml.rels": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/externalLinkPath" Target="other%20book.xlsx" TargetMode="External"/>'
        b"</Relationships>"
    ),
    "customUI/customUI14.xml": (
        b'<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui">'
        b'<ribbon><tabs><tab id="xlAddin" label="KPIs"/></tabs></ribbon></customUI>'
    ),
    "xl/calcChain.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<c r="E2" i="1"/><c r="E3"/></calcChain>'
    ),
}

_WB_EXT = (
    '<extLst><ext uri="{BBE1A952-AA13-448e-AADC-164F8A28A991}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:slicerCaches><x14:slicerCache r:id="rIdSlc"/></x14:slicerCaches></ext></extLst>'
)
_ABS_PATH = (
    '<mc:AlternateContent><mc:Choice Requires="x15"><x15ac:absPath url="C:\\Reports\\" '
    'xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"/></mc:Choice>'
    '</mc:AlternateContent><xr:revisionPtr revIDLastSave="0" '
    'documentId="8_{5E1B2A3C-0000-4000-8000-000000000001}" xr6:coauthVersionLast="47" '
    'xmlns:xr6="http://schemas.microsoft.com/office/spreadsheetml/2016/revision6"/>'
)
_MC_ROOT = (
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' mc:Ignorable="x15 xr"'
    ' xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"'
    ' xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision"'
)


def inject_features(src: Path, dst: Path, *, macro: bool) -> None:
    """Copy ``src`` to ``dst`` adding parts that XlsxWriter/openpyxl never write."""
    with zipfile.ZipFile(src) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    parts.update(INJECTED)
    wb = parts["xl/workbook.xml"].decode()
    wb = re.sub(r"<workbook ([^>]*)>", lambda m: f"<workbook {m.group(1)}{_MC_ROOT}>", wb, count=1)
    wb = wb.replace(
        "</sheets>",
        '</sheets><externalReferences><externalReference r:id="rIdExt"/></externalReferences>',
    )
    wb = wb.replace("</workbook>", _WB_EXT + "</workbook>")
    wb = wb.replace("<bookViews>", _ABS_PATH + "<bookViews>")
    parts["xl/workbook.xml"] = wb.encode()
    parts["xl/_rels/workbook.xml.rels"] = _add_rels(
        parts["xl/_rels/workbook.xml.rels"],
        [
            ("rIdCx", f"{_REL}/customXml", "../customXml/item1.xml", False),
            ("rIdPer", f"{_MS}/2017/10/relationships/person", "persons/person.xml", False),
            (
                "rIdSlc",
                f"{_MS}/2007/relationships/slicerCache",
                "slicerCaches/slicerCache1.xml",
                False,
            ),
            ("rIdExt", f"{_REL}/externalLink", "externalLinks/externalLink1.xml", False),
            ("rIdCc", f"{_REL}/calcChain", "calcChain.xml", False),
        ],
    )
    parts["_rels/.rels"] = _add_rels(
        parts["_rels/.rels"],
        [("rIdUi", f"{_MS}/2007/relationships/ui/extensibility", "customUI/customUI14.xml", False)],
    )
    sheet_rels = "xl/worksheets/_rels/sheet1.xml.rels"
    parts[sheet_rels] = _add_rels(
        parts[sheet_rels],
        [
            (
                "rIdTc",
                f"{_MS}/2017/10/relationships/threadedComment",
                "../threadedComments/threadedComment1.xml",
                False,
            ),
            ("rIdSl", f"{_MS}/2007/relationships/slicer", "../slicers/slicer1.xml", False),
        ],
    )
    oxml = "application/vnd.openxmlformats-officedocument"
    msxl = "application/vnd.ms-excel"
    parts["[Content_Types].xml"] = _add_types(
        parts["[Content_Types].xml"],
        {
            "customXml/itemProps1.xml": f"{oxml}.customXmlProperties+xml",
            "xl/threadedComments/threadedComment1.xml": f"{msxl}.threadedcomments+xml",
            "xl/persons/person.xml": "application/vnd.ms-excel.person+xml",
            "xl/slicers/slicer1.xml": "application/vnd.ms-excel.slicer+xml",
            "xl/slicerCaches/slicerCache1.xml": "application/vnd.ms-excel.slicerCache+xml",
            "xl/externalLinks/externalLink1.xml": f"{oxml}.spreadsheetml.externalLink+xml",
            "customUI/customUI14.xml": "application/xml",
            "xl/calcChain.xml": f"{oxml}.spreadsheetml.calcChain+xml",
        },
    )
    write_parts(dst, parts)


def read_parts(path: Path) -> dict[str, bytes]:
    """All zip entries of a package, name -> bytes."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def write_parts(path: Path, parts: dict[str, bytes]) -> None:
    """Write a package from a name -> bytes mapping (content types first)."""
    order = sorted(parts, key=lambda n: n != "[Content_Types].xml")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n in order:
            z.writestr(n, parts[n])
