"""The desktop add-in's sources: ribbon XML, VBA callbacks, Python actions, and the .xlam build."""

from __future__ import annotations

import inspect
import io
import re
import zipfile

import openpyxl
import pytest
from lxml import etree

from xl_addin.excel import backend, ribbon
from xl_addin.excel.addin import CUSTOM_UI_PART, build_addin, sources_dir, template_path

CUSTOMUI_NS = "http://schemas.microsoft.com/office/2006/01/customui"
# xlwings' template registers its customUI.xml with the 2007 type (as Office 2010+ writes it)
RIBBON_RELS = (
    "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility",
    "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
)
BUTTONS = ["Refresh KPIs", "Apply RAG", "Regenerate charts", "Validate", "Export", "Help"]


@pytest.fixture(scope="module")
def custom_ui():
    return etree.parse(str(sources_dir() / "customUI.xml"))


@pytest.fixture(scope="module")
def vba():
    return {p.stem: p.read_text() for p in (sources_dir() / "vba").glob("*.bas")}


def vba_subs(source: str) -> dict[str, list[str]]:
    """Public Subs of a module and their parameter names."""
    text = source.replace(" _\n", " ")
    subs = {}
    for m in re.finditer(r"^Public Sub (\w+)\(([^)]*)\)", text, re.M):
        params = [p.split(" As ")[0].split()[-1] for p in m.group(2).split(",") if p.strip()]
        subs[m.group(1)] = params
    return subs


def test_custom_ui_is_a_kpis_tab_with_the_six_buttons(custom_ui):
    root = custom_ui.getroot()
    assert root.tag == f"{{{CUSTOMUI_NS}}}customUI"
    (tab,) = root.iter(f"{{{CUSTOMUI_NS}}}tab")
    assert tab.get("label") == "KPIs"
    buttons = list(root.iter(f"{{{CUSTOMUI_NS}}}button"))
    assert [b.get("label") for b in buttons] == BUTTONS
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))  # RibbonX ids are unique
    for b in buttons:
        assert b.get("imageMso") and b.get("size") == "large" and b.get("supertip")
        assert re.fullmatch(r"[A-Za-z]\w*", b.get("id"))


def test_every_button_reaches_a_vba_callback_and_a_python_action(custom_ui, vba):
    for b in custom_ui.getroot().iter(f"{{{CUSTOMUI_NS}}}button"):
        module, sub = b.get("onAction").split(".")
        assert module in vba, f"no VBA module {module}"
        subs = vba_subs(vba[module])
        assert sub in subs and subs[sub] == ["control"]
        assert re.search(rf"Attribute VB_Name = \"{module}\"", vba[module])
        assert b.get("tag") in ribbon.ACTIONS
        assert callable(ribbon.ACTIONS[b.get("tag")])
    assert set(ribbon.ACTIONS) == {
        b.get("tag") for b in custom_ui.getroot().iter(f"{{{CUSTOMUI_NS}}}button")
    }


def test_the_vba_callback_names_python_that_exists(vba):
    calls = re.findall(r'RunPython "import ([\w.]+) as (\w+); \2\.(\w+)\(', vba["XlAddinRibbon"])
    assert calls, "the callback must call RunPython"
    for module, _alias, func in calls:
        mod = __import__(module, fromlist=[func])
        assert callable(getattr(mod, func))
        assert next(iter(inspect.signature(getattr(mod, func)).parameters)) == "tag"


def test_macros_python_calls_exist_in_the_vba_with_matching_arguments(vba, refreshed_payload):
    from payload import actions_of, book_from

    import xl_addin.excel as kpis

    subs = vba_subs(vba["XlAddinRibbon"])
    book = book_from(refreshed_payload)
    kpis.regenerate_charts(book)
    macros = {a["args"][0]: len(a["args"]) - 1 for a in actions_of(book) if a["func"] == "runMacro"}
    assert set(macros) == {backend.FORMAT_SERIES_MACRO, backend.FINISH_CHART_MACRO}
    for name, n_args in macros.items():
        assert len(subs[name]) == n_args


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("addin")
    messages = []
    path = build_addin(out, import_vba=False, echo=messages.append)
    return path, messages


def test_build_addin_puts_our_ribbon_into_the_xlwings_template(built):
    path, messages = built
    assert path.name == "xl_addin.xlam"
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(template_path()) as t:
        assert z.testzip() is None
        assert z.read(CUSTOM_UI_PART) == (sources_dir() / "customUI.xml").read_bytes()
        rels = etree.fromstring(z.read("_rels/.rels"))
        ribbon_targets = [r.get("Target") for r in rels if r.get("Type") in RIBBON_RELS]
        assert ribbon_targets == [CUSTOM_UI_PART]
        assert z.read("xl/vbaProject.bin") == t.read("xl/vbaProject.bin")  # xlwings' RunPython
        assert "addin.macroEnabled" in z.read("[Content_Types].xml").decode()
    assert "xlwings vba import --file xl_addin.xlam" in messages[-1]
    assert "Trust access to the VBA project object model" in messages[-1]


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


def test_build_addin_refuses_other_extensions(tmp_path):
    with pytest.raises(ValueError, match=r"\.xlam"):
        build_addin(tmp_path / "kpis.xlsm", import_vba=False, echo=None)
