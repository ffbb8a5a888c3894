"""The desktop add-in as built: its ribbon, the VBA behind every button, and the macros the
Python side calls by name, read back from the .xlam by olevba (not from our sources)."""

from __future__ import annotations

import inspect
import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from oletools.olevba import VBA_Parser

from xl_addin import cli
from xl_addin.errors import XlAddinError
from xl_addin.excel import addin, backend, ribbon
from xl_addin.excel.addin import (
    ADDIN_NAME,
    CORE_PART,
    CUSTOM_UI_PART,
    TITLE,
    VBA_PART,
    build_addin,
    sources_dir,
    template_path,
)

CUSTOMUI_NS = "http://schemas.microsoft.com/office/2006/01/customui"
DC = "http://purl.org/dc/elements/1.1/"
# xlwings' template registers its customUI.xml with the 2007 type (as Office 2010+ writes it)
RIBBON_RELS = (
    "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility",
    "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
)
BUTTONS = ["Refresh KPIs", "Apply RAG", "Regenerate charts", "Validate", "Export", "Help"]
EXCEL_SOURCES = Path(addin.__file__).parent


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("addin")
    messages = []
    path = build_addin(out, echo=messages.append, use_packaged=False)
    return path, messages


@pytest.fixture(scope="module")
def custom_ui(built):
    with zipfile.ZipFile(built[0]) as z:
        return etree.fromstring(z.read(CUSTOM_UI_PART))


@pytest.fixture(scope="module")
def vba(built) -> dict[str, str]:
    """Module name -> source, as olevba reads it from the built add-in."""
    parser = VBA_Parser(str(built[0]))
    try:
        return {s.split("/")[-1]: code for _, s, _, code in parser.extract_macros()}
    finally:
        parser.close()


def procedures(source: str) -> dict[str, tuple[str, str, list[tuple[str, str]]]]:
    """Name -> (scope, Sub or Function, [(parameter, type)]) of a module's procedures; no
    scope keyword means Public."""
    text = source.replace(" _\r\n", " ").replace(" _\n", " ")
    found = {}
    pattern = r"^(?:(Public|Private|Friend)\s+)?(?:Static\s+)?(Sub|Function)\s+(\w+)\s*\(([^)]*)\)"
    for m in re.finditer(pattern, text, re.M):
        params = []
        for p in filter(str.strip, m.group(4).split(",")):
            words = re.sub(r"\b(Optional|ByVal|ByRef|ParamArray)\b", "", p).split("=")[0].split()
            params.append((words[0], words[2] if len(words) > 2 else "Variant"))
        found[m.group(3)] = (m.group(1) or "Public", m.group(2), params)
    return found


def test_custom_ui_is_a_kpis_tab_with_the_six_buttons(custom_ui):
    assert custom_ui.tag == f"{{{CUSTOMUI_NS}}}customUI"
    (tab,) = custom_ui.iter(f"{{{CUSTOMUI_NS}}}tab")
    assert tab.get("label") == "KPIs"
    buttons = list(custom_ui.iter(f"{{{CUSTOMUI_NS}}}button"))
    assert [b.get("label") for b in buttons] == BUTTONS
    ids = [el.get("id") for el in custom_ui.iter() if el.get("id")]
    assert len(ids) == len(set(ids))  # RibbonX ids are unique
    for b in buttons:
        assert b.get("imageMso") and b.get("size") == "large" and b.get("supertip")
        assert re.fullmatch(r"[A-Za-z]\w*", b.get("id"))


def test_every_on_action_is_a_public_sub_taking_the_ribbon_control(custom_ui, vba):
    actions = {el.get("onAction") for el in custom_ui.iter() if el.get("onAction")}
    assert actions
    for action in actions:
        module, sub = action.split(".")
        assert module in vba, f"{action}: no VBA module {module}"
        assert vba[module].startswith(f'Attribute VB_Name = "{module}"')
        assert "VB_Base" not in vba[module], f"{module} must be a standard module"
        scope, kind, params = procedures(vba[module])[sub]
        assert (scope, kind) == ("Public", "Sub"), action
        assert [t for _, t in params] == ["IRibbonControl"], action


def test_every_button_tag_is_a_python_action(custom_ui):
    tags = {b.get("tag") for b in custom_ui.iter(f"{{{CUSTOMUI_NS}}}button")}
    assert tags == set(ribbon.ACTIONS)
    assert all(callable(ribbon.ACTIONS[t]) for t in tags)


def test_the_vba_callback_names_python_that_exists(vba):
    calls = re.findall(r'RunPython "import ([\w.]+) as (\w+); \2\.(\w+)\(', vba["XlAddinRibbon"])
    assert calls, "the callback must call RunPython"
    for module, _alias, func in calls:
        mod = __import__(module, fromlist=[func])
        assert callable(getattr(mod, func))
        assert next(iter(inspect.signature(getattr(mod, func)).parameters)) == "tag"
    assert "RunPython" in procedures(vba["xlwings"])  # xlwings' module provides it


def macro_names() -> set[str]:
    """Every macro name the Python side of the add-in calls: the `X_MACRO = "..."` constants,
    and any name written straight into a `.macro(...)` call."""
    found = set()
    for path in EXCEL_SOURCES.glob("*.py"):
        text = path.read_text()
        found |= set(re.findall(r'^\w+_MACRO = "(\w+)"', text, re.M))
        found |= set(re.findall(r'\.macro\((?:[\w.]+ \+ )?"(?:[^"!]*!)?(\w+)"', text))
    return found


VBA_TYPES = {str: "String", bool: "Boolean", int: "Long", float: "Double"}


def test_macros_python_calls_exist_with_matching_arguments(vba, refreshed_payload):
    from payload import actions_of, book_from

    import xl_addin.excel as kpis

    public = {}
    for code in vba.values():
        if "VB_Base" not in code:  # standard modules: callable as 'book'!Name
            public.update({k: v for k, v in procedures(code).items() if v[0] == "Public"})
    book = book_from(refreshed_payload)
    kpis.regenerate_charts(book)
    calls = [a["args"] for a in actions_of(book) if a["func"] == "runMacro"]
    called = {args[0] for args in calls}
    assert called == {backend.FORMAT_SERIES_MACRO, backend.FINISH_CHART_MACRO}
    assert macro_names() >= called
    for name in macro_names():
        assert name in public and public[name][1] == "Sub", f"no public Sub {name}"
    for name, *args in calls:  # each argument Python passes fits the Sub's parameter
        assert [VBA_TYPES[type(a)] for a in args] == [t for _, t in public[name][2]], name
    # on the desktop the backend calls them as 'xl_addin.xlam'!Name: the file's own name
    assert backend.ADDIN_FILE == ADDIN_NAME


def test_build_addin_puts_our_ribbon_and_vba_into_the_xlwings_template(built):
    path, messages = built
    assert path.name == ADDIN_NAME
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(template_path()) as t:
        assert z.testzip() is None
        assert z.namelist() == t.namelist()
        assert z.read(CUSTOM_UI_PART) == (sources_dir() / "customUI.xml").read_bytes()
        rels = etree.fromstring(z.read("_rels/.rels"))
        ribbon_targets = [r.get("Target") for r in rels if r.get("Type") in RIBBON_RELS]
        assert ribbon_targets == [CUSTOM_UI_PART]
        assert z.read(VBA_PART) != t.read(VBA_PART)
        assert "addin.macroEnabled" in z.read("[Content_Types].xml").decode()
        core = etree.fromstring(z.read(CORE_PART))
        assert core.findtext(f"{{{DC}}}title") == TITLE  # the name in Excel's Add-ins list
        assert "=RAG()" in core.findtext(f"{{{DC}}}description")
        for part in set(z.namelist()) - {CUSTOM_UI_PART, VBA_PART, CORE_PART}:
            assert z.read(part) == t.read(part), part
    assert "Windows" not in messages[-1] and "Trust access" not in messages[-1]
    assert "Add-ins" in messages[-1]


def test_the_xlam_package_opens_with_openpyxl(built):
    """openpyxl refuses .xlam by name and content type only; with the workbook's content type
    read as .xlsm, the package (sheets, styles, VBA, ribbon) loads."""
    path, _ = built
    with pytest.raises(Exception, match="xlam"):
        openpyxl.load_workbook(path)
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(buf, "w") as out:
        for item in z.infolist():
            data = z.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"addin.macroEnabled.main+xml", b"sheet.macroEnabled.main+xml")
            out.writestr(item, data)
    wb = openpyxl.load_workbook(io.BytesIO(buf.getvalue()), keep_vba=True)
    assert wb.sheetnames == ["_myaddin.conf"]
    assert CUSTOM_UI_PART in wb.vba_archive.namelist()


@pytest.mark.parametrize("name", ["kpis.xlsm", "kpis.xlam", "xl_addin.xlsm"])
def test_build_addin_refuses_another_name(tmp_path, name):
    """The backend calls the chart macros as 'xl_addin.xlam'!Name, so the name is fixed."""
    with pytest.raises(XlAddinError, match=ADDIN_NAME):
        build_addin(tmp_path / name, echo=None)


def test_the_packaged_addin_is_copied_when_it_matches_the_installed_xlwings(tmp_path, monkeypatch):
    packaged = tmp_path / "packaged" / ADDIN_NAME
    packaged.parent.mkdir()
    packaged.write_bytes(b"the add-in the wheel carries")
    monkeypatch.setattr(addin, "packaged_addin", lambda: packaged)
    messages = []
    out = build_addin(tmp_path / "out", echo=messages.append)
    assert out.read_bytes() == packaged.read_bytes()
    assert "copied" in messages[-1]
    rebuilt = build_addin(tmp_path / "rebuilt", echo=None, use_packaged=False)
    assert rebuilt.read_bytes().startswith(b"PK")


def test_a_character_outside_code_page_1252_stops_the_build_with_exit_code_2(
    tmp_path, monkeypatch, capsys
):
    sources = tmp_path / "addin"
    shutil.copytree(sources_dir(), sources)
    module = sources / "vba" / "XlAddinRibbon.bas"
    lines = module.read_text().splitlines()
    lines.insert(5, "' KPIs \u2192 the board")
    module.write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(addin, "sources_dir", lambda: sources)
    monkeypatch.setattr(addin, "packaged_addin", lambda: None)
    code = cli.main(["build-addin", "--out", str(tmp_path / ADDIN_NAME)])
    err = capsys.readouterr().err
    assert code == 2
    assert "XlAddinRibbon, line 6" in err and "U+2192" in err and "1252" in err
    assert "Traceback" not in err
    assert not (tmp_path / ADDIN_NAME).exists()
