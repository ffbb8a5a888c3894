"""The VBA project's streams, checked against MS-OVBA and against xlwings' shipped template."""

from __future__ import annotations

import zipfile

import pytest
from oletools.olevba import VBA_Parser, decompress_stream
from vba_reading import decrypt, open_strict, project_lines, project_modules, read_dir

from xl_addin.excel.addin import template_path, xlwings_dir
from xl_addin.vba import Module, ModuleKind, VbaProjectError, build_vba_project
from xl_addin.vba.excel_documents import document_modules
from xl_addin.vba.module_source import module_from_export
from xl_addin.vba.project import project_id


def standard(name: str, body: str = "") -> Module:
    return Module(name, ModuleKind.STANDARD, f'Attribute VB_Name = "{name}"\r\n{body}')


def template_sources() -> dict[str, str]:
    """Module name -> stored source of xlwings' ribbon add-in template, read by olevba."""
    parser = VBA_Parser(str(template_path()))
    try:
        return {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def test_document_modules_are_stored_as_in_xlwings_template():
    """The template's ThisWorkbook and Sheet2 were written by Excel's editor: same text."""
    with zipfile.ZipFile(template_path()) as z:
        ours = {m.name: m.code for m in document_modules(z.read)}
    theirs = template_sources()
    assert list(ours) == ["ThisWorkbook", "Sheet2"]
    for name, code in ours.items():
        assert code == theirs[name]


def test_a_class_export_is_stored_as_the_editor_stores_it():
    """xlwings' Dictionary.cls (an export) against the class in the template (as stored): the
    VERSION block goes, VB_Base and two attributes come; only the editor's case changes
    (`Err`/`err`) differ."""
    ours = module_from_export(
        (xlwings_dir() / "addin/Dictionary.cls").read_text(), ModuleKind.CLASS
    )
    theirs = template_sources()["Dictionary"].replace("\n", "\r\n").replace("\r\r\n", "\r\n")
    assert ours.name == "Dictionary"
    assert ours.code.lower() == theirs.lower()
    assert not ours.code.startswith("VERSION")


@pytest.fixture(scope="module")
def small_project() -> tuple[list[Module], bytes]:
    modules = [
        *document_modules_of_a_book(),
        standard("Tools", 'Public Sub Hello()\r\n    MsgBox "£5 café"\r\nEnd Sub\r\n'),
        module_from_export(
            "VERSION 1.0 CLASS\r\nBEGIN\r\n  MultiUse = -1  'True\r\nEND\r\n"
            'Attribute VB_Name = "Counter"\r\nAttribute VB_GlobalNameSpace = False\r\n'
            "Attribute VB_Creatable = False\r\nAttribute VB_PredeclaredId = False\r\n"
            "Attribute VB_Exposed = False\r\nPrivate n As Long\r\n",
            ModuleKind.CLASS,
        ),
        standard("M" * 31, "' the longest name allowed\r\n"),
    ]
    return modules, build_vba_project("Demo", modules)


def document_modules_of_a_book() -> list[Module]:
    with zipfile.ZipFile(template_path()) as z:
        return document_modules(z.read)


def test_dir_records_describe_every_module_in_bytes(small_project):
    modules, data = small_project
    with open_strict(data) as ole:
        info = read_dir(ole)
    assert info.project_name == "Demo"
    assert info.code_page == 1252
    assert info.module_count == len(modules)
    assert [m.name for m in info.modules] == [m.name for m in modules]
    for d, m in zip(info.modules, modules, strict=True):
        assert d.name == d.name_unicode == d.stream == d.stream_unicode == m.name
        assert len(d.raw[0x0047]) == 2 * len(m.name)  # UTF-16: two bytes a character
        assert d.offset == 0  # source from the first byte: no compiled code before it
        assert d.cookie == 0xFFFF
        assert d.kind == (0x0021 if m.kind is ModuleKind.STANDARD else 0x0022)
    assert any("{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}" in r for r in info.references)  # Office


def test_streams_hold_the_source_from_byte_0_and_nothing_compiled(small_project):
    modules, data = small_project
    with open_strict(data) as ole:
        assert ole.openstream("VBA/_VBA_PROJECT").read() == b"\xcc\x61\xff\xff\x00\x01\x00"
        names = {"/".join(p) for p in ole.listdir()}
        assert names == {"PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"} | {
            f"VBA/{m.name}" for m in modules
        }
        for m in modules:
            stream = ole.openstream(f"VBA/{m.name}").read()
            assert stream[0] == 0x01  # a compressed container starts the stream
            assert decompress_stream(bytearray(stream)) == m.code.encode("cp1252")


def test_project_stream_lists_the_modules_and_decodes_with_its_own_id(small_project):
    modules, data = small_project
    with open_strict(data) as ole:
        lines = project_lines(ole)
        listed = project_modules(ole)
    assert listed == {
        m.name: {"document": "Document", "class": "Class", "standard": "Module"}[m.kind.value]
        for m in modules
    }
    ident = lines[0].removeprefix('ID="').removesuffix('"')
    assert ident == project_id("Demo")
    values = dict(line.split("=", 1) for line in lines if line[:4] in ("CMG=", "DPB=", 'GC="'))
    assert decrypt(values["CMG"].strip('"'), ident)[::2] == (2, b"\0\0\0\0")  # unprotected
    assert decrypt(values["DPB"].strip('"'), ident)[::2] == (2, b"\0")  # no password
    assert decrypt(values["GC"].strip('"'), ident)[::2] == (2, b"\xff")  # visible
    assert 'Name="Demo"' in lines


def test_the_decryption_used_above_reads_xlwings_template():
    """The test's decryptor, checked on a project that a different writer produced."""
    with zipfile.ZipFile(template_path()) as z, open_strict(z.read("xl/vbaProject.bin")) as ole:
        lines = project_lines(ole)
    ident = lines[0].removeprefix('ID="').removesuffix('"')
    cmg = next(line for line in lines if line.startswith("CMG=")).split('"')[1]
    gc = next(line for line in lines if line.startswith("GC=")).split('"')[1]
    assert decrypt(cmg, ident)[::2] == (2, b"\0\0\0\0")
    assert decrypt(gc, ident)[::2] == (2, b"\xff")


def test_olevba_reads_every_module_exactly(small_project):
    modules, data = small_project
    parser = VBA_Parser("project.bin", data=data)
    try:
        read = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()
    assert read == {m.name: m.code for m in modules}


@pytest.mark.parametrize(
    ("body", "line", "char"),
    [('x = "→"\r\n', 2, "U+2192"), ("' ok\r\n' a ✓ tick\r\n", 3, "U+2713")],
)
def test_a_character_outside_code_page_1252_stops_the_build(body, line, char):
    with pytest.raises(VbaProjectError) as caught:
        build_vba_project("Demo", [standard("Ribbon", body)])
    message = str(caught.value)
    assert "module Ribbon" in message and f"line {line}" in message and char in message
    assert "1252" in message


@pytest.mark.parametrize(
    ("modules", "message"),
    [
        ([standard("M" * 32)], "at most 31"),
        ([standard("2nd")], "starting with a letter"),
        ([standard("Café")], "letters, digits"),
        ([standard("Tools"), standard("TOOLS")], "two modules"),
        ([standard("dir")], "cannot be called"),
        ([standard("Demo")], "project's name"),
        ([Module("Tools", ModuleKind.STANDARD, 'Attribute VB_Name = "Other"\r\n')], "first line"),
        ([Module("Tools", ModuleKind.STANDARD, 'Attribute VB_Name = "Tools"\nx\n')], "CRLF"),
        ([Module("C", ModuleKind.CLASS, 'Attribute VB_Name = "C"\r\n')], "VB_Base"),
        ([standard("Tools", "x = 1" + " " * 1020 + "\r\n")], "1023"),
    ],
)
def test_projects_excel_would_reject_are_refused(modules, message):
    with pytest.raises(VbaProjectError, match=message):
        build_vba_project("Demo", modules)


def test_a_class_export_without_its_end_line_is_refused():
    with pytest.raises(VbaProjectError, match="END"):
        module_from_export(
            'VERSION 1.0 CLASS\r\nBEGIN\r\nAttribute VB_Name = "C"\r\n', ModuleKind.CLASS
        )


def test_a_project_is_the_same_bytes_every_time(small_project):
    modules, data = small_project
    assert build_vba_project("Demo", modules) == data
    assert project_id("Demo") == project_id("Demo") != project_id("Other")
