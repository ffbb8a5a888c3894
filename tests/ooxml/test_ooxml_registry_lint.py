"""Registry encoding and the lint checks (each check must fire on a broken book)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import xlsxwriter
from ooxml_builders import OPTIONS, read_parts, write_parts

from xl_addin.ooxml import lint, registry
from xl_addin.ooxml.lint import defined_name_problem, sheet_name_problem

# ---------------------------------------------------------------- registry


def test_registry_round_trip_simple():
    names = ["Scorecard", "KPI Values", "Charts - Early help", "Narrative"]
    text = registry.encode(names)
    assert text == '"v1:Scorecard:KPI Values:Charts - Early help:Narrative"'
    assert registry.decode(text) == names
    assert registry.decode("=" + text) == names


def test_registry_quotes_and_odd_characters():
    names = ['Say "hi"', "O'Brien's", "a|b,c;d", "Ünïcødé ✓", "{x}"]
    assert registry.decode(registry.encode(names)) == names


def test_registry_long_lists_split_into_255_char_literals():
    names = [f"Charts - Section number {i:03d}"[:31] for i in range(40)]
    text = registry.encode(names)
    assert text.startswith("{") and text.endswith("}")
    literals = re.findall(r'"((?:[^"]|"")*)"', text)
    assert len(literals) > 1
    assert all(len(lit) <= 255 for lit in literals)
    assert registry.decode(text) == names


def test_registry_empty_and_garbage():
    assert registry.decode(registry.encode([])) == []
    assert registry.decode(None) is None
    assert registry.decode("Sheet1!$A$1") is None
    assert registry.decode('"v2:Scorecard"') is None
    assert registry.decode('"unterminated') is None
    with pytest.raises(ValueError):
        registry.encode(["bad:name"])


# ---------------------------------------------------------------- name rules


@pytest.mark.parametrize(
    "name",
    ["", "x" * 32, "a/b", "a\\b", "a?", "a*", "a[1]", "a:b", "'quoted", "History", "history"],
)
def test_bad_sheet_names(name):
    assert sheet_name_problem(name)


@pytest.mark.parametrize("name", ["Scorecard", "Charts - Children in care", "x" * 31, "Don't"])
def test_good_sheet_names(name):
    assert sheet_name_problem(name) is None


@pytest.mark.parametrize(
    "name", ["", "1abc", "a b", "A1", "xfd1048576", "R1C1", "r", "C", "R2C", "a-b", "x" * 256]
)
def test_bad_defined_names(name):
    assert defined_name_problem(name)


@pytest.mark.parametrize(
    "name",
    ["Contacts", "_xlnm.Print_Area", "_xl_addin_generated", "\\back", "A1B", "XFE1", "Ünï", "a.b"],
)
def test_good_defined_names(name):
    assert defined_name_problem(name) is None


# ---------------------------------------------------------------- lint on files


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    path = tmp_path / "clean.xlsx"
    wb = xlsxwriter.Workbook(str(path), OPTIONS)
    ws = wb.add_worksheet("Data")
    ws.add_table(
        "A1:B3",
        {"name": "T_one", "data": [[1, 2], [3, 4]], "columns": [{"header": "a"}, {"header": "b"}]},
    )
    ws2 = wb.add_worksheet("More")
    ws2.add_table(
        "A1:A2",
        {"name": "T_two", "data": [[1]], "columns": [{"header": "Line\nbreak"}]},
    )
    wb.define_name("Good", "=Data!$A$1")
    wb.define_name("More!Local", "=More!$A$1")
    wb.close()
    return path


def _edit(path: Path, part: str, old: bytes, new: bytes) -> None:
    parts = read_parts(path)
    assert old in parts[part], (part, old)
    parts[part] = parts[part].replace(old, new, 1)
    write_parts(path, parts)


def _codes(path: Path) -> list[str]:
    return [p.code for p in lint(path)]


def test_clean_book_has_no_problems(clean):
    assert lint(clean) == []


def test_table_header_mismatch(clean):
    _edit(clean, "xl/tables/table1.xml", b'name="b"', b'name="B changed"')
    problems = lint(clean)
    assert [p.code for p in problems] == ["table-header"]
    assert "B changed" in problems[0].message


def test_table_header_not_text(clean):
    parts = read_parts(clean)
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r'<c r="A1"[^>]*><v>\d+</v></c>', '<c r="A1"><v>7</v></c>', sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    parts["xl/tables/table1.xml"] = parts["xl/tables/table1.xml"].replace(b'name="a"', b'name="7"')
    write_parts(clean, parts)
    assert _codes(clean) == ["table-header"]


def test_duplicate_table_names_and_ids(clean):
    _edit(
        clean,
        "xl/tables/table2.xml",
        b'name="T_two" displayName="T_two"',
        b'name="t_ONE" displayName="t_ONE"',
    )
    _edit(clean, "xl/tables/table2.xml", b'id="2"', b'id="1"')
    assert sorted(_codes(clean)) == ["table-id", "table-name"]


def test_table_name_equal_to_defined_name(clean):
    _edit(clean, "xl/workbook.xml", b'name="Good"', b'name="T_two"')
    assert _codes(clean) == ["table-name"]


def test_bad_sheet_names_in_file(clean):
    _edit(clean, "xl/workbook.xml", b'name="More"', b'name="data"')
    assert "sheet-name" in _codes(clean)


def test_bad_defined_names_in_file(clean):
    _edit(clean, "xl/workbook.xml", b'name="Good"', b'name="1 bad name"')
    _edit(clean, "xl/workbook.xml", b'localSheetId="1"', b'localSheetId="5"')
    assert _codes(clean) == ["defined-name", "defined-name"]


def test_duplicate_defined_name_in_scope(clean):
    _edit(
        clean,
        "xl/workbook.xml",
        b"</definedNames>",
        b'<definedName name="GOOD">Data!$B$1</definedName></definedNames>',
    )
    assert _codes(clean) == ["defined-name"]


def test_dangling_relationship_and_missing_content_type(clean):
    parts = read_parts(clean)
    del parts["xl/theme/theme1.xml"]
    parts["xl/extra.bin"] = b"\0"
    write_parts(clean, parts)
    codes = _codes(clean)
    assert codes.count("rel-target") == 1
    assert codes.count("content-type") == 2  # extra.bin untyped + override for the lost theme
