"""The built add-in's VBA project, read back by olevba, olefile (strict) and LibreOffice."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import io
import os
import re
import shutil
import sys
import types
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import xlwings
from oletools.olevba import VBA_Parser
from support.rendering import convert
from vba_reading import project_lines, project_modules, project_wm_names, read_dir

from xl_addin.excel import addin
from xl_addin.excel.addin import ADDIN_NAME, UDF_MODULE, build_addin, xlwings_dir
from xl_addin.vba import ModuleKind

FUNCTIONS = Path(addin.__file__).with_name("functions.py")
REQUIRED_FUNCTIONS = {"RAG", "DIRECTION", "ROLLING_IN_YEAR", "RATE_PER_10K", "KPI_FORECAST"}
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# On CI (.ci/run installs LibreOffice) a missing soffice must fail the run, not skip quietly.
needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="soffice not on PATH (apt-get install libreoffice-calc-nogui; .ci/run installs it)",
)


def olevba_sources(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def test_olevba_reads_every_module_exactly_as_built(built_addin, modules):
    read = olevba_sources(built_addin)
    assert list(read) == list(modules)
    for name, module in modules.items():
        assert read[name] == module.code, name
        assert "\n" not in read[name].replace("\r\n", ""), f"{name}: a bare line feed"


def test_the_project_has_every_module_the_ribbon_and_functions_need(modules):
    kinds = {name: m.kind for name, m in modules.items()}
    assert kinds == {
        "ThisWorkbook": ModuleKind.DOCUMENT,
        "Sheet2": ModuleKind.DOCUMENT,
        "xlwings": ModuleKind.STANDARD,
        "Dictionary": ModuleKind.CLASS,
        "XlAddinRibbon": ModuleKind.STANDARD,
        "xlwings_udfs": ModuleKind.STANDARD,
    }


def test_xlwings_module_and_class_come_from_the_installed_release(modules):
    installed = (xlwings_dir() / "xlwings_custom_addin.bas").read_text()
    assert modules["xlwings"].code.split("\r\n") == installed.replace("\r\n", "\n").split("\n")
    assert f"'Version: {xlwings.__version__}" in modules["xlwings"].code
    assert f"xlwings64-{xlwings.__version__}.dll" in modules["xlwings"].code
    assert re.search(r"^Function XLPy\(\)", modules["xlwings"].code, re.M)  # wrappers call it
    assert re.search(r"^Public Function RunPython\(", modules["xlwings"].code, re.M)
    assert 'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"' in (
        modules["Dictionary"].code
    )


def test_module_lists_agree_across_dir_project_projectwm_and_streams(ole, modules):
    info = read_dir(ole)
    names = list(modules)
    assert [m.name for m in info.modules] == names
    assert info.module_count == len(names)
    assert list(project_modules(ole)) == names
    assert project_wm_names(ole) == [(n, n) for n in names]
    streams = sorted(p[1] for p in ole.listdir() if p[0] == "VBA")
    assert streams == sorted([*names, "_VBA_PROJECT", "dir"])
    for d in info.modules:
        assert d.name == d.name_unicode == d.stream == d.stream_unicode
        assert len(d.name.encode("cp1252")) <= 31
        assert len(d.raw[0x0047]) == 2 * len(d.name)
    kinds = {"Document": ModuleKind.DOCUMENT, "Class": ModuleKind.CLASS}
    for name, word in project_modules(ole).items():
        assert kinds.get(word, ModuleKind.STANDARD) is modules[name].kind


def test_no_compiled_code_anywhere(ole):
    assert ole.openstream("VBA/_VBA_PROJECT").read() == b"\xcc\x61\xff\xff\x00\x01\x00"
    info = read_dir(ole)
    assert all(m.offset == 0 for m in info.modules)
    for m in info.modules:
        assert ole.openstream(f"VBA/{m.stream}").read(1) == b"\x01"  # source, from byte 0
    assert [p for p in ole.listdir() if p[0] == "VBA" and p[1].startswith("__SRP_")] == []


def test_document_modules_match_the_code_names_in_the_package(built_addin, ole):
    with zipfile.ZipFile(built_addin) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        sheet_names = [
            ET.fromstring(z.read(name)).find(f"{MAIN}sheetPr").get("codeName")
            for name in z.namelist()
            if name.startswith("xl/worksheets/sheet")
        ]
    book_name = book.find(f"{MAIN}workbookPr").get("codeName")
    documents = [n for n, kind in project_modules(ole).items() if kind == "Document"]
    assert documents == [book_name, *sheet_names]
    assert len(book.findall(f"{MAIN}sheets/{MAIN}sheet")) == len(sheet_names)


def test_project_references_include_office_for_the_ribbon_callbacks(ole):
    references = read_dir(ole).references
    assert any("{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}" in r for r in references)  # IRibbonControl
    assert any("{00020430-0000-0000-C000-000000000046}" in r for r in references)  # stdole
    assert project_lines(ole)[0].startswith('ID="{')


# -- the worksheet functions, against xlwings' own generator ----------------------------------

WINDOWS_ONLY = ("pythoncom", "pywintypes", "win32com", "win32com.client")


@pytest.fixture(scope="module")
def xlwings_generated() -> tuple[str, str, set[str]]:
    """What `xlwings.udfs` (Windows-only: its COM imports are stubbed) generates for our
    functions module: the header import_udfs writes, the wrappers, and the function names."""
    stubs = {name: types.ModuleType(name) for name in WINDOWS_ONLY}
    stubs["pythoncom"].CoInitialize = lambda: None
    stubs["pywintypes"].com_error = Exception
    stubs["win32com.client"].Dispatch = lambda *args: None
    had_udfs = hasattr(xlwings, "udfs")
    with pytest.MonkeyPatch.context() as mp:
        for name, stub in stubs.items():
            mp.setitem(sys.modules, name, stub)
        mp.delitem(sys.modules, "xlwings.udfs", raising=False)
        udfs = importlib.import_module("xlwings.udfs")
        for name, impl in [
            ("func", udfs.xlfunc),
            ("arg", udfs.xlarg),
            ("ret", udfs.xlret),
            ("sub", udfs.xlsub),
        ]:
            mp.setattr(xlwings, name, impl, raising=False)
        spec = importlib.util.spec_from_file_location("xl_addin.excel._as_on_windows", FUNCTIONS)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        buffer = io.StringIO()
        udfs.generate_vba_wrapper(
            UDF_MODULE, module, buffer, types.SimpleNamespace(Name=ADDIN_NAME)
        )
        names = {n for n in dir(module) if hasattr(getattr(module, n), "__xlfunc__")}
        header = inspect.getsource(udfs.import_udfs)
        sys.modules.pop("xlwings.udfs", None)
        if not had_udfs and hasattr(xlwings, "udfs"):
            delattr(xlwings, "udfs")
    return header, buffer.getvalue(), names


def test_function_wrappers_equal_xlwings_own_generator(modules, xlwings_generated):
    import_udfs_source, generated, names = xlwings_generated
    code = modules["xlwings_udfs"].code
    header, body = code.split("\r\n")[:3], "\r\n".join(code.split("\r\n")[3:])
    assert header[0] == 'Attribute VB_Name = "xlwings_udfs"'
    for line in header:
        assert line in import_udfs_source  # the lines import_udfs writes before the wrappers
    assert body == generated.replace("\n", "\r\n")
    assert names >= REQUIRED_FUNCTIONS
    wrapped = set(re.findall(r"^Function (\w+)\(", code, re.M))
    assert wrapped == names
    assert f'"{UDF_MODULE}"' in code and "ActiveWorkbook" in code  # an add-in's wrappers


# -- the same file on any machine ----------------------------------------------------------------


def test_two_builds_are_byte_identical_and_carry_no_time_or_system(
    built_addin, tmp_path, monkeypatch
):
    again = build_addin(tmp_path / ADDIN_NAME, echo=None, use_packaged=False)
    assert again.read_bytes() == built_addin.read_bytes()
    monkeypatch.setattr(sys, "platform", "win32")  # what zipfile's defaults look at
    as_on_windows = build_addin(tmp_path / "win" / ADDIN_NAME, echo=None, use_packaged=False)
    assert as_on_windows.read_bytes() == built_addin.read_bytes()
    with zipfile.ZipFile(built_addin) as z:
        for info in z.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.create_system == 0  # zipfile's default differs by system
            assert info.compress_type == zipfile.ZIP_STORED  # deflate differs between zlibs
        assert z.testzip() is None


# -- LibreOffice, a third reader ------------------------------------------------------------------


@pytest.fixture(scope="module")
def libreoffice_library(built_addin, tmp_path_factory) -> dict[str, tuple[str, str]]:
    """Module name -> (type, code) as LibreOffice imports them through its VBA-enabled filter
    (saved as .ods, whose Basic library keeps what it read)."""
    out = tmp_path_factory.mktemp("libreoffice")
    convert(built_addin, out, "ods", infilter="Calc MS Excel 2007 VBA XML")
    script = "{http://openoffice.org/2000/script}"
    library = "{http://openoffice.org/2000/library}"
    found = {}
    with zipfile.ZipFile(out / "xl_addin.ods") as ods:
        (index,) = [
            n for n in ods.namelist() if n.endswith("/script-lb.xml") and "/Standard/" not in n
        ]
        folder = index.rsplit("/", 1)[0]
        for element in ET.fromstring(ods.read(index)).iter(f"{library}element"):
            name = element.get(f"{library}name")
            module = ET.fromstring(ods.read(f"{folder}/{name}.xml"))
            found[name] = (module.get(f"{script}moduleType"), module.text or "")
    return found


@needs_soffice
def test_libreoffice_opens_the_addin_and_lists_every_module(libreoffice_library, modules):
    assert set(libreoffice_library) == set(modules)
    types_ = {ModuleKind.DOCUMENT: "document", ModuleKind.CLASS: "class"}
    for name, module in modules.items():
        kind, text = libreoffice_library[name]
        assert kind == types_.get(module.kind, "normal"), name
        # LibreOffice drops the Attribute lines and starts with its own VBA-mode options
        lines = text.split("\n")
        while lines and lines[0].startswith(
            ("Rem Attribute", "Option VBASupport", "Option ClassModule")
        ):
            lines.pop(0)
        ours = [line for line in module.code.split("\r\n") if not line.startswith("Attribute ")]
        assert "\n".join(lines).rstrip("\n") == "\n".join(ours).rstrip("\n"), name
