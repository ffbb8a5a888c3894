"""Transplant: user parts survive byte-for-byte, generated sheets are added and replaced."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine
import xlsxwriter
from lxml import etree
from ooxml_builders import OPTIONS, make_scratch, read_parts, tiny_png, write_parts

from xl_addin.ooxml import (
    ScratchBookError,
    SheetNameCollisionError,
    SurgeryError,
    TableNameCollisionError,
    UnsupportedWorkbookError,
    lint,
    read_registry,
    transplant,
)
from xl_addin.ooxml.errors import DamagedPackageError
from xl_addin.ooxml.parts import Package
from xl_addin.ooxml.safe_write import verify

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OWNED = {
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "[Content_Types].xml",
    "xl/styles.xml",
    "docProps/app.xml",
}
GENERATED = ["Scorecard", "KPI Values", "Charts - Safeguarding"]


def sheet_order(book: Path) -> list[str]:
    root = etree.fromstring(read_parts(book)["xl/workbook.xml"])
    return [s.get("name") for s in root.iter(f"{{{MAIN}}}sheet")]


def defined_names(book: Path) -> list[tuple[str, str | None, str]]:
    """(name, scope sheet name or None, value) for every defined name."""
    root = etree.fromstring(read_parts(book)["xl/workbook.xml"])
    names = [s.get("name") for s in root.iter(f"{{{MAIN}}}sheet")]
    out = []
    for el in root.iter(f"{{{MAIN}}}definedName"):
        lid = el.get("localSheetId")
        out.append((el.get("name"), None if lid is None else names[int(lid)], el.text))
    return out


def assert_user_parts_identical(before: Path, after: Path) -> None:
    old, new = read_parts(before), read_parts(after)
    for name, data in old.items():
        if name in OWNED:
            continue
        assert name in new, f"{name} was lost"
        assert new[name] == data, f"{name} changed"


def open_both(book: Path) -> tuple[openpyxl.Workbook, python_calamine.CalamineWorkbook]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(book)
    return wb, python_calamine.CalamineWorkbook.from_path(str(book))


@pytest.mark.parametrize("fixture", ["user_xlsx", "user_xlsm"])
def test_first_transplant_keeps_every_user_part(fixture, request, scratch, tmp_path):
    user = request.getfixturevalue(fixture)
    out = tmp_path / f"out{user.suffix}"
    report = transplant(user, scratch, out)
    assert report.sheets_added == GENERATED
    assert report.sheets_removed == []
    assert_user_parts_identical(user, out)
    assert set(report.parts_copied) == set(read_parts(user)) - set(report.parts_written)
    assert lint(out) == []
    verify(out)
    assert sheet_order(out) == [*sheet_order(user), *GENERATED]
    assert read_registry(out) == GENERATED


def test_injected_features_survive(user_xlsm, scratch, tmp_path):
    out = tmp_path / "out.xlsm"
    transplant(user_xlsm, scratch, out)
    parts = read_parts(out)
    for name in [
        "xl/vbaProject.bin",
        "customUI/customUI14.xml",
        "customXml/item1.xml",
        "xl/threadedComments/threadedComment1.xml",
        "xl/persons/person.xml",
        "xl/slicers/slicer1.xml",
        "xl/slicerCaches/slicerCache1.xml",
        "xl/externalLinks/externalLink1.xml",
        "xl/calcChain.xml",
        "xl/sharedStrings.xml",
        "xl/media/image1.png",
        "xl/comments1.xml",
        "xl/drawings/vmlDrawing1.vml",
    ]:
        assert parts[name] == read_parts(user_xlsm)[name], name
    sheet1 = parts["xl/worksheets/sheet1.xml"].decode()
    assert "x14:sparklineGroups" in sheet1  # sparklines untouched
    assert "<v>60</v>" in sheet1  # cached formula value untouched
    ct = parts["[Content_Types].xml"].decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in ct
    wb = parts["xl/workbook.xml"].decode()
    assert 'mc:Ignorable="x15 xr"' in wb
    assert '<x14:slicerCache r:id="rIdSlc"/>' in wb
    assert '<externalReference r:id="rIdExt"/>' in wb
    assert "<x15ac:absPath" in wb and "<xr:revisionPtr" in wb
    root = etree.fromstring(parts["xl/workbook.xml"])
    ignorable = root.get("{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable")
    for prefix in ignorable.split():
        assert prefix in root.nsmap, f"mc:Ignorable prefix {prefix} is not declared"
    # The workbook part still has its children in schema order.
    order = [etree.QName(c).localname for c in root]
    assert order.index("sheets") < order.index("externalReferences") < order.index("definedNames")
    assert order.index("definedNames") < order.index("calcPr") < order.index("extLst")


def test_second_transplant_replaces_instead_of_duplicating(user_xlsx, scratch, tmp_path):
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    r1 = transplant(user_xlsx, scratch, first)
    r2 = transplant(first, scratch, second)
    assert r2.sheets_removed == GENERATED
    assert sheet_order(second) == sheet_order(first)
    assert_user_parts_identical(user_xlsx, second)
    p1, p2 = read_parts(first), read_parts(second)
    # Same set of part names, nothing left over from the first refresh.
    assert sorted(p1) == sorted(p2)
    assert set(r2.parts_removed) == set(r1.parts_written) - OWNED
    # Styles were de-duplicated: the second refresh needs no new ones.
    assert p2["xl/styles.xml"] == p1["xl/styles.xml"]
    names = [n for n, _, _ in defined_names(second)]
    assert names.count("_xl_addin_generated") == 1
    tables = [n for n in p2 if n.startswith("xl/tables/")]
    assert len(tables) == 3
    ids = [etree.fromstring(p2[t]).get("id") for t in tables]
    assert len(set(ids)) == 3
    assert lint(second) == []
    verify(second)


def test_third_refresh_with_different_sections(user_xlsx, tmp_path):
    s1 = make_scratch(tmp_path / "s1.xlsx", sections=("A", "B"))
    s2 = make_scratch(tmp_path / "s2.xlsx", sections=("B", "C"), kpi_values=False)
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    transplant(user_xlsx, s1, first)
    report = transplant(first, s2, second)
    base = sheet_order(user_xlsx)
    assert sheet_order(second) == [*base, "Scorecard", "Charts - B", "Charts - C"]
    assert set(report.sheets_removed) == {"Scorecard", "KPI Values", "Charts - A", "Charts - B"}
    assert read_registry(second) == ["Scorecard", "Charts - B", "Charts - C"]
    parts = read_parts(second)
    assert len([n for n in parts if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]) == 2 + 2
    assert lint(second) == []
    verify(second)


def _move_sheets_first(book: Path, names: list[str]) -> None:
    parts = read_parts(book)
    root = etree.fromstring(parts["xl/workbook.xml"])
    sheets = root.find(f"{{{MAIN}}}sheets")
    els = {s.get("name"): s for s in sheets}
    for name in reversed(names):
        sheets.remove(els[name])
        sheets.insert(0, els[name])
    # indexes shifted by len(names): keep local names on their sheets like Excel would
    for dn in root.iter(f"{{{MAIN}}}definedName"):
        lid = dn.get("localSheetId")
        if lid is not None:
            old_order = [s for s in els if s not in names]
            sheet = [*old_order, *names][int(lid)]
            dn.set("localSheetId", str([s.get("name") for s in sheets].index(sheet)))
    parts["xl/workbook.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    write_parts(book, parts)


def test_replaced_sheet_keeps_its_tab_position_and_local_names_are_remapped(
    user_xlsx, scratch, tmp_path
):
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    transplant(user_xlsx, scratch, first)
    # The analyst drags Scorecard and KPI Values in front of their own sheets.
    _move_sheets_first(first, ["Scorecard", "KPI Values"])
    assert sheet_order(first)[:3] == ["Scorecard", "KPI Values", "Data"]
    before = {(n, s, v) for n, s, v in defined_names(first) if n != "_xl_addin_generated"}
    # Next month there is no KPI Values sheet: every user sheet shifts left by one.
    s2 = make_scratch(tmp_path / "s2.xlsx", kpi_values=False)
    report = transplant(first, s2, second)
    assert sheet_order(second) == [
        "Scorecard",
        "Data",
        "Targets",
        "Lookups",
        "User Chart",
        "Charts - Safeguarding",
    ]
    after = {(n, s, v) for n, s, v in defined_names(second) if n != "_xl_addin_generated"}
    user_names = {x for x in before if x[1] not in GENERATED}
    assert user_names <= after, "a user's defined name lost its sheet"
    assert ("LocalTarget", "Targets", "Targets!$C$2") in after
    assert ("_xlnm.Print_Area", "Targets", "Targets!$A$1:$C$3") in after
    assert ("LocalData", "Data", "Data!$A$1") in after
    assert report.names_removed == []
    wb, cal = open_both(second)
    assert wb.sheetnames == cal.sheet_names == sheet_order(second)
    assert "LocalTarget" in wb["Targets"].defined_names
    assert lint(second) == []


def test_local_names_on_removed_sheets_are_dropped(user_xlsx, scratch, tmp_path):
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    transplant(user_xlsx, scratch, first)
    parts = read_parts(first)
    wbxml = parts["xl/workbook.xml"].decode()
    idx = sheet_order(first).index("KPI Values")
    wbxml = wbxml.replace(
        "</definedNames>",
        f'<definedName name="MyKpi" localSheetId="{idx}">\'KPI Values\'!$A$1</definedName>'
        "</definedNames>",
    )
    parts["xl/workbook.xml"] = wbxml.encode()
    write_parts(first, parts)
    report = transplant(first, make_scratch(tmp_path / "s.xlsx", kpi_values=False), second)
    assert "MyKpi" in report.names_removed
    assert all(n != "MyKpi" for n, _, _ in defined_names(second))
    assert lint(second) == []


def test_user_sheet_with_generated_name_is_refused(user_xlsx, scratch, tmp_path):
    parts = read_parts(user_xlsx)
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b'name="Targets"', b'name="scorecard"'
    )
    write_parts(user_xlsx, parts)
    out = tmp_path / "out.xlsx"
    with pytest.raises(SheetNameCollisionError, match="'scorecard'") as info:
        transplant(user_xlsx, scratch, out)
    assert isinstance(info.value, SurgeryError)
    assert not out.exists()


def test_user_table_with_generated_table_name_is_refused(user_xlsx, tmp_path):
    scratch = make_scratch(tmp_path / "s.xlsx", table_name="UserTargets")
    with pytest.raises(TableNameCollisionError, match="UserTargets"):
        transplant(user_xlsx, scratch, tmp_path / "out.xlsx")


def test_defined_name_with_generated_table_name_is_refused(user_xlsx, tmp_path):
    scratch = make_scratch(tmp_path / "s.xlsx", table_name="Contacts")
    with pytest.raises(TableNameCollisionError, match="defined name"):
        transplant(user_xlsx, scratch, tmp_path / "out.xlsx")


def test_register_false_only_adds(user_xlsx, scratch, tmp_path):
    out = tmp_path / "out.xlsx"
    report = transplant(user_xlsx, scratch, out, register=False)
    assert report.sheets_added == GENERATED
    assert read_registry(out) is None
    assert_user_parts_identical(user_xlsx, out)
    with pytest.raises(SheetNameCollisionError):
        transplant(out, scratch, tmp_path / "again.xlsx", register=False)


def test_custom_registry_name(user_xlsx, scratch, tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    transplant(user_xlsx, scratch, first, registry_name="_my_reg")
    assert read_registry(first, "_my_reg") == GENERATED
    assert read_registry(first) is None
    transplant(first, scratch, second, registry_name="_my_reg")
    assert sheet_order(second) == sheet_order(first)


def test_transplanted_values_and_styles_read_back(user_xlsx, scratch, tmp_path):
    out = tmp_path / "out.xlsx"
    transplant(user_xlsx, scratch, out)
    transplant(out, scratch, tmp_path / "out2.xlsx")
    out = tmp_path / "out2.xlsx"
    wb, cal = open_both(out)
    ws = wb["Scorecard"]
    assert ws["A1"].value == "Measure ID"
    assert ws["B3"].value == "  padded  "  # inline string keeps its spaces
    assert ws["D2"].value == pytest.approx(0.215)
    assert ws["D2"].number_format == "0.0%"
    assert ws["H2"].number_format == "£#,##0.00;[Red]-£#,##0.00"
    assert ws["H2"].font.b is True
    assert ws["H1"].fill.fgColor.rgb == "FF1F4E78"
    assert ws["H1"].font.color.rgb == "FFFFFFFF"
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width == pytest.approx(30.7109375)
    assert ws.data_validations.dataValidation[0].formula1 == '"Red,Amber,Green"'
    fills = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            fills[rule.formula[0]] = rule.dxf.fill.bgColor.rgb
    assert fills == {'"Red"': "FFFFC7CE", '"Green"': "FFC6EFCE"}
    assert ws.tables["Scorecard"].ref == "A1:F4"
    # User cells keep their own styles.
    assert wb["Data"]["G1"].number_format == "dd/mm/yyyy"
    assert wb["Data"]["A1"].font.b is True
    rows = cal.get_sheet_by_name("Scorecard").to_python()
    assert rows[0][:6] == ["Measure ID", "Measure", "Section", "Value", "RAG", "Direction"]
    assert rows[2][1] == "  padded  "
    assert rows[1][3] == pytest.approx(0.215)
    assert cal.get_sheet_by_name("KPI Values").to_python()[1][0] == "M1"
    assert "Charts - Safeguarding" in cal.sheet_names


def test_shared_strings_untouched_and_cells_inline(user_xlsx, scratch, tmp_path):
    out = tmp_path / "out.xlsx"
    transplant(user_xlsx, scratch, out)
    parts = read_parts(out)
    assert parts["xl/sharedStrings.xml"] == read_parts(user_xlsx)["xl/sharedStrings.xml"]
    added = [n for n in parts if n not in read_parts(user_xlsx) and "/worksheets/sheet" in n]
    assert added
    for name in added:
        xml = parts[name].decode()
        assert 't="s"' not in xml
        assert 't="inlineStr"' in xml
    assert '<t xml:space="preserve">  padded  </t>' in "".join(parts[n].decode() for n in added)


def test_dxf_ids_in_cf_and_tables_are_remapped(tmp_path):
    """A user book that already has dxfs: the generated CF must point at the right fills."""

    user = tmp_path / "user.xlsx"
    wb = xlsxwriter.Workbook(str(user), OPTIONS)
    ws = wb.add_worksheet("Mine")
    for i, colour in enumerate(["#111111", "#222222", "#333333"]):
        fmt = wb.add_format({"bg_color": colour})
        ws.conditional_format(f"A{i + 1}", {"type": "no_blanks", "format": fmt})
    wb.close()
    scratch = tmp_path / "s.xlsx"
    wb = xlsxwriter.Workbook(str(scratch), OPTIONS)
    ws = wb.add_worksheet("Scorecard")
    hdr = wb.add_format({"bg_color": "#ABCDEF"})
    ws.add_table(
        "A1:B2",
        {
            "name": "GenTable",
            "data": [[1, 2]],
            "columns": [{"header": "a", "format": hdr}, {"header": "b"}],
        },
    )
    ws.conditional_format(
        "A2", {"type": "no_blanks", "format": wb.add_format({"bg_color": "#FF0000"})}
    )
    wb.close()
    out = tmp_path / "out.xlsx"
    transplant(user, scratch, out)
    parts = read_parts(out)
    styles = etree.fromstring(parts["xl/styles.xml"])
    dxfs = styles.find(f"{{{MAIN}}}dxfs")
    sheet = next(n for n in parts if n.endswith("sheet2.xml"))
    dxf_id = int(re.search(rb'dxfId="(\d+)"', parts[sheet]).group(1))
    assert dxf_id >= 3
    assert b"FFFF0000" in etree.tostring(dxfs[dxf_id])
    table = etree.fromstring(parts["xl/tables/table1.xml"])
    col = table.find(f".//{{{MAIN}}}tableColumn")
    assert b"FFABCDEF" in etree.tostring(dxfs[int(col.get("dataDxfId"))])
    # the user's own rules still point at their dxfs
    mine = parts["xl/worksheets/sheet1.xml"]
    assert re.findall(rb'dxfId="(\d+)"', mine) == [b"0", b"1", b"2"]
    assert lint(out) == []


def test_numfmt_ids_do_not_collide(tmp_path):

    user = tmp_path / "user.xlsx"
    wb = xlsxwriter.Workbook(str(user), OPTIONS)
    ws = wb.add_worksheet("Mine")
    ws.write("A1", 1.5, wb.add_format({"num_format": "0.000"}))  # gets id 164 in the user book
    wb.close()
    scratch = tmp_path / "s.xlsx"
    wb = xlsxwriter.Workbook(str(scratch), OPTIONS)
    ws = wb.add_worksheet("Scorecard")
    ws.write("A1", 0.5, wb.add_format({"num_format": "0.0%"}))  # also 164 in the scratch
    ws.write("A2", 2.5, wb.add_format({"num_format": "0.000"}))  # same code as the user's
    wb.close()
    out = tmp_path / "out.xlsx"
    transplant(user, scratch, out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(out)
    assert book["Mine"]["A1"].number_format == "0.000"
    assert book["Scorecard"]["A1"].number_format == "0.0%"
    assert book["Scorecard"]["A2"].number_format == "0.000"
    numfmts = re.findall(
        rb'numFmtId="(\d+)" formatCode="([^"]*)"', read_parts(out)["xl/styles.xml"]
    )
    assert len(numfmts) == len({i for i, _ in numfmts}) == 2


def test_only_one_selected_tab(user_xlsx, scratch, tmp_path):
    out = tmp_path / "out.xlsx"
    transplant(user_xlsx, scratch, out)
    parts = read_parts(out)
    selected = [
        n
        for n, d in parts.items()
        if re.match(r"xl/(work|chart)sheets/sheet\d+\.xml$", n) and b'tabSelected="1"' in d
    ]
    assert selected == ["xl/worksheets/sheet1.xml"]  # the user's active sheet only


def test_active_generated_sheet_stays_active(user_xlsx, scratch, tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    transplant(user_xlsx, scratch, first)
    parts = read_parts(first)
    idx = sheet_order(first).index("KPI Values")
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"<workbookView ", f'<workbookView activeTab="{idx}" '.encode()
    )
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b' tabSelected="1"', b""
    )
    write_parts(first, parts)
    transplant(first, scratch, second)
    root = etree.fromstring(read_parts(second)["xl/workbook.xml"])
    view = root.find(f".//{{{MAIN}}}workbookView")
    assert sheet_order(second)[int(view.get("activeTab"))] == "KPI Values"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert openpyxl.load_workbook(second).active.title == "KPI Values"


def test_hidden_generated_sheet_stays_hidden(user_xlsx, scratch, tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    transplant(user_xlsx, scratch, first)
    parts = read_parts(first)
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b'<sheet name="KPI Values"', b'<sheet name="KPI Values" state="hidden"'
    )
    write_parts(first, parts)
    transplant(first, scratch, second)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert openpyxl.load_workbook(second)["KPI Values"].sheet_state == "hidden"


def test_app_xml_lists_the_sheets(user_xlsx, scratch, tmp_path):
    out = tmp_path / "out.xlsx"
    transplant(user_xlsx, scratch, out)
    app = read_parts(out)["docProps/app.xml"].decode()
    titles = re.findall(r"<vt:lpstr>([^<]*)</vt:lpstr>", app)
    assert titles == [
        "Worksheets",
        "Charts",
        "Named Ranges",
        "Data",
        "Targets",
        "Lookups",
        "Scorecard",
        "KPI Values",
        "User Chart",
        "Charts - Safeguarding",
        "Contacts",
        "Data!LocalData",
        "Targets!LocalTarget",
        "Targets!Print_Area",
    ]
    counts = re.findall(r"<vt:i4>(\d+)</vt:i4>", app)
    assert counts == ["5", "2", "4"]
    assert 'vt:vector size="11"' in app


def test_calc_chain_dropped_only_when_a_replaced_sheet_had_formulas(user_xlsx, scratch, tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    transplant(user_xlsx, scratch, first)
    assert read_parts(first)["xl/calcChain.xml"] == read_parts(user_xlsx)["xl/calcChain.xml"]
    # The analyst typed a formula into the generated Scorecard (sheetId of Scorecard).
    parts = read_parts(first)
    root = etree.fromstring(parts["xl/workbook.xml"])
    sid = next(
        s.get("sheetId") for s in root.iter(f"{{{MAIN}}}sheet") if s.get("name") == "Scorecard"
    )
    parts["xl/calcChain.xml"] = parts["xl/calcChain.xml"].replace(
        b"</calcChain>", f'<c r="Z1" i="{sid}"/></calcChain>'.encode()
    )
    write_parts(first, parts)
    report = transplant(first, scratch, second)
    assert "xl/calcChain.xml" not in read_parts(second)
    assert any("calcChain" in w for w in report.warnings)
    assert lint(second) == []
    verify(second)


def test_structure_protected_workbook_is_refused(user_xlsx, scratch, tmp_path):
    parts = read_parts(user_xlsx)
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"<bookViews>", b'<workbookProtection lockStructure="1"/><bookViews>'
    )
    write_parts(user_xlsx, parts)
    with pytest.raises(UnsupportedWorkbookError, match="protected"):
        transplant(user_xlsx, scratch, tmp_path / "out.xlsx")


def test_damaged_and_encrypted_inputs_are_refused(scratch, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    with pytest.raises(DamagedPackageError, match="not a valid"):
        transplant(junk, scratch, tmp_path / "o.xlsx")
    enc = tmp_path / "enc.xlsx"
    enc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(DamagedPackageError, match="password"):
        transplant(enc, scratch, tmp_path / "o.xlsx")


def test_dtd_in_a_part_is_refused(user_xlsx, scratch, tmp_path):
    parts = read_parts(user_xlsx)
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaaaaaa">]>', 1
    )
    write_parts(user_xlsx, parts)
    with pytest.raises(DamagedPackageError, match="DTD"):
        transplant(user_xlsx, scratch, tmp_path / "o.xlsx")


def test_scratch_with_comments_is_refused(user_xlsx, tmp_path):

    scratch = tmp_path / "s.xlsx"
    wb = xlsxwriter.Workbook(str(scratch), OPTIONS)
    wb.add_worksheet("Scorecard").write_comment("A1", "note")
    wb.close()
    with pytest.raises(ScratchBookError, match="comments"):
        transplant(user_xlsx, scratch, tmp_path / "o.xlsx")


def test_scratch_with_global_name_is_refused(user_xlsx, tmp_path):

    scratch = tmp_path / "s.xlsx"
    wb = xlsxwriter.Workbook(str(scratch), OPTIONS)
    wb.add_worksheet("Scorecard").write("A1", 1)
    wb.define_name("Everything", "=Scorecard!$A$1")
    wb.close()
    with pytest.raises(ScratchBookError, match="Everything"):
        transplant(user_xlsx, scratch, tmp_path / "o.xlsx")


def test_scratch_autofilter_name_follows_its_sheet(user_xlsx, tmp_path):

    scratch = tmp_path / "s.xlsx"
    wb = xlsxwriter.Workbook(str(scratch), OPTIONS)
    wb.add_worksheet("Narrative").write("A1", "text")
    ws = wb.add_worksheet("Scorecard")
    ws.write_row("A1", ["a", "b"])
    ws.autofilter("A1:B3")
    wb.close()
    out = tmp_path / "o.xlsx"
    transplant(user_xlsx, scratch, out)
    assert ("_xlnm._FilterDatabase", "Scorecard", "Scorecard!$A$1:$B$3") in defined_names(out)


def test_images_in_generated_sheets_get_fresh_names(user_xlsx, tmp_path):

    scratch = tmp_path / "s.xlsx"
    wb = xlsxwriter.Workbook(str(scratch), OPTIONS)
    ws = wb.add_worksheet("Narrative")
    ws.insert_image("B2", "x.png", {"image_data": io.BytesIO(tiny_png((0, 0, 255)))})
    wb.close()
    out = tmp_path / "o.xlsx"
    transplant(user_xlsx, scratch, out)
    parts = read_parts(out)
    assert parts["xl/media/image1.png"] == read_parts(user_xlsx)["xl/media/image1.png"]
    assert parts["xl/media/image2.png"] == tiny_png((0, 0, 255))
    assert lint(out) == []
    verify(out)


def test_out_must_differ_from_input(user_xlsx, scratch):
    with pytest.raises(ValueError):
        transplant(user_xlsx, scratch, user_xlsx)


def test_zip_is_valid_and_entries_unique(user_xlsm, scratch, tmp_path):
    out = tmp_path / "o.xlsm"
    transplant(user_xlsm, scratch, out)
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
        names = z.namelist()
    assert len(names) == len(set(names))
    assert names[0] == "[Content_Types].xml"


def _plain_user(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path), OPTIONS)
    ws = wb.add_worksheet("Mine")
    ws.write_formula("A1", "=Scorecard!D2", None, 0.1)
    wb.close()
    return path


def test_full_calc_on_load_is_requested(tmp_path, scratch):
    user = _plain_user(tmp_path / "u.xlsx")
    parts = read_parts(user)  # as Excel saves it: no pending full calculation
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b' fullCalcOnLoad="1"', b"")
    write_parts(user, parts)
    out = tmp_path / "o.xlsx"
    transplant(user, scratch, out)
    assert re.search(rb'<calcPr [^>]*fullCalcOnLoad="1"', read_parts(out)["xl/workbook.xml"])
    transplant(user, scratch, tmp_path / "o2.xlsx", recalc_on_open=False)
    assert b"fullCalcOnLoad" not in read_parts(tmp_path / "o2.xlsx")["xl/workbook.xml"]


def test_charts_group_is_added_to_app_xml(tmp_path, scratch):
    user = _plain_user(tmp_path / "u.xlsx")
    out = tmp_path / "o.xlsx"
    transplant(user, scratch, out)
    app = read_parts(out)["docProps/app.xml"].decode()
    assert re.findall(r"<vt:lpstr>([^<]*)</vt:lpstr>", app) == [
        "Worksheets",
        "Charts",
        "Mine",
        "Scorecard",
        "KPI Values",
        "Charts - Safeguarding",
    ]
    assert re.findall(r"<vt:i4>(\d+)</vt:i4>", app) == ["3", "1"]


def test_image_into_book_without_images_gets_a_content_type(tmp_path):
    user = _plain_user(tmp_path / "u.xlsx")
    scratch = tmp_path / "s.xlsx"
    wb = xlsxwriter.Workbook(str(scratch), OPTIONS)
    wb.add_worksheet("Narrative").insert_image(
        "B2", "x.png", {"image_data": io.BytesIO(tiny_png())}
    )
    wb.close()
    out = tmp_path / "o.xlsx"
    transplant(user, scratch, out)
    assert (
        b'<Default Extension="png" ContentType="image/png"/>'
        in read_parts(out)["[Content_Types].xml"]
    )
    assert lint(out) == []
    verify(out)


def test_constant_memory_scratch_with_inline_strings(tmp_path):
    user = _plain_user(tmp_path / "u.xlsx")
    scratch = tmp_path / "s.xlsx"
    wb = xlsxwriter.Workbook(str(scratch), {**OPTIONS, "constant_memory": True})
    ws = wb.add_worksheet("Narrative")
    ws.write_string(0, 0, " leading space")
    ws.write_string(1, 0, "second")
    wb.close()
    out = tmp_path / "o.xlsx"
    transplant(user, scratch, out)
    wb2, cal = open_both(out)
    assert wb2["Narrative"]["A1"].value == " leading space"
    assert cal.get_sheet_by_name("Narrative").to_python()[1][0] == "second"


def test_scratch_with_dynamic_array_is_refused(tmp_path):
    user = _plain_user(tmp_path / "u.xlsx")
    scratch = tmp_path / "s.xlsx"
    wb = xlsxwriter.Workbook(str(scratch), OPTIONS)
    wb.add_worksheet("Scorecard").write_dynamic_array_formula("A1", "=SEQUENCE(3)")
    wb.close()
    with pytest.raises(ScratchBookError, match="dynamic-array"):
        transplant(user, scratch, tmp_path / "o.xlsx")


def test_x14_conditional_format_ids_are_unique_in_the_workbook(tmp_path):
    """XlsxWriter numbers 2010 data-bar ids predictably; a user book it wrote has the same ones."""
    user = tmp_path / "u.xlsx"
    wb = xlsxwriter.Workbook(str(user), OPTIONS)
    wb.add_worksheet("Mine").conditional_format(
        "A1:A3", {"type": "data_bar", "data_bar_2010": True}
    )
    wb.close()
    scratch = tmp_path / "s.xlsx"
    wb = xlsxwriter.Workbook(str(scratch), OPTIONS)
    wb.add_worksheet("Scorecard").conditional_format(
        "A1:A3", {"type": "data_bar", "data_bar_2010": True}
    )
    wb.close()
    out = tmp_path / "o.xlsx"
    transplant(user, scratch, out)
    parts = read_parts(out)
    ids = {}
    for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
        ids[name] = set(re.findall(rb"<x14:id>(\{[^}]+\})</x14:id>", parts[name]))
        rules = set(re.findall(rb'<x14:cfRule [^>]*id="(\{[^}]+\})"', parts[name]))
        assert ids[name] == rules and len(ids[name]) == 1  # still linked within the sheet
    assert not ids["xl/worksheets/sheet1.xml"] & ids["xl/worksheets/sheet2.xml"]


def test_chart_grid_worksheets_replace_cleanly(user_xlsx, tmp_path):
    """`Charts - <section>` as a worksheet holding a grid of native charts."""
    scratch = make_scratch(tmp_path / "s.xlsx", sections=("A", "B"), chart_grid=True)
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    transplant(user_xlsx, scratch, first)
    transplant(first, scratch, second)
    parts = read_parts(second)
    charts = [n for n in parts if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    assert len(charts) == 2 + 6  # the user's two, and 3 per section once
    assert sorted(parts) == sorted(read_parts(first))
    assert_user_parts_identical(user_xlsx, second)
    assert lint(second) == []
    verify(second)
    wb, cal = open_both(second)
    assert len(wb["Charts - B"]._charts) == 3
    assert "Charts - B" in cal.sheet_names


def test_partial_refresh_keeps_other_registered_sheets(user_xlsx, tmp_path):
    """`xl-addin rag`: only the Scorecard is redrawn; the charts stay byte-for-byte."""
    full = make_scratch(tmp_path / "full.xlsx", sections=("A", "B"))
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    transplant(user_xlsx, full, first)
    only_scorecard = tmp_path / "sc.xlsx"
    wb = xlsxwriter.Workbook(str(only_scorecard), OPTIONS)
    wb.add_worksheet("Scorecard").write_string("A1", "new month")
    wb.add_worksheet("Charts - B")  # provided again: replaced even though the predicate keeps it
    wb.close()
    report = transplant(
        first,
        only_scorecard,
        second,
        keep_registered=lambda name: name != "Charts - A",  # section A no longer exists
    )
    assert report.sheets_removed == ["Scorecard", "Charts - A", "Charts - B"]
    assert report.sheets_kept == ["KPI Values"]
    assert sheet_order(second) == [*sheet_order(user_xlsx), "Scorecard", "KPI Values", "Charts - B"]
    assert read_registry(second) == ["Scorecard", "KPI Values", "Charts - B"]
    p1, p2 = read_parts(first), read_parts(second)
    with Package(first) as pkg:
        wb_part = pkg.main_part()
        rels = {r.id: r.part for r in pkg.rels(wb_part)}
        root = etree.fromstring(pkg.read(wb_part))
        rid = next(
            s.get(f"{{{R}}}id")
            for s in root.iter(f"{{{MAIN}}}sheet")
            if s.get("name") == "KPI Values"
        )
        kpi_parts = pkg.reachable([rels[rid]])
    assert len(kpi_parts) == 2  # the sheet and its table
    for name in kpi_parts:
        assert p2[name] == p1[name], name
    assert not [n for n in p2 if n.startswith("xl/charts/chart") and n not in p1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert openpyxl.load_workbook(second)["Scorecard"]["A1"].value == "new month"
    assert lint(second) == []
    verify(second)
