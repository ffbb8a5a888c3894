"""The `dir` stream (MS-OVBA §2.3.4.2): the project's records, then one record set per module.

Written uncompressed here; the project builder compresses it. Every string is counted in
bytes: code page 1252 for the MBCS copies, UTF-16LE for the Unicode ones.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

from .module_source import CODE_PAGE, Module, ModuleKind

SYSKIND_WIN32 = 1  # what xlwings' shipped add-ins carry; 64-bit Excel recompiles from source
LCID_EN_US = 0x0409
CODE_PAGE_ID = 1252
COOKIE = 0xFFFF  # "MUST be 0xFFFF on write" for the project and each module


@dataclass(frozen=True)
class Reference:
    """A registered type library, as `*\\G{libid}#major.minor#lcid#path#description`."""

    name: str
    libid: str


# The references an Excel-made project carries. Excel resolves each by its GUID and version in
# the registry, so the path is only a hint; IRibbonControl comes from the Office library.
STDOLE = Reference(
    "stdole",
    r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb"
    "#OLE Automation",
)
OFFICE = Reference(
    "Office",
    r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\Program Files\Common Files"
    r"\Microsoft Shared\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library",
)


def _mbcs(text: str) -> bytes:
    return text.encode(CODE_PAGE)


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def _record(record_id: int, data: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def _pair(record_id: int, unicode_id: int, text: str) -> bytes:
    """A string record followed by its Unicode twin."""
    return _record(record_id, _mbcs(text)) + _record(unicode_id, _utf16(text))


def _information(project_name: str) -> bytes:
    return b"".join(
        [
            _record(0x0001, struct.pack("<I", SYSKIND_WIN32)),
            _record(0x0002, struct.pack("<I", LCID_EN_US)),
            _record(0x0014, struct.pack("<I", LCID_EN_US)),  # LCIDINVOKE
            _record(0x0003, struct.pack("<H", CODE_PAGE_ID)),
            _record(0x0004, _mbcs(project_name)),
            _pair(0x0005, 0x0040, ""),  # DOCSTRING
            _record(0x0006, b"") + _record(0x003D, b""),  # HELPFILEPATH, twice
            _record(0x0007, struct.pack("<I", 0)),  # HELPCONTEXT
            _record(0x0008, struct.pack("<I", 0)),  # LIBFLAGS
            struct.pack("<HIIH", 0x0009, 4, 1, 0),  # VERSION: reserved 4, major 1, minor 0
            _pair(0x000C, 0x003C, ""),  # CONSTANTS
        ]
    )


def _reference(ref: Reference) -> bytes:
    libid = _mbcs(ref.libid)
    registered = struct.pack("<I", len(libid)) + libid + struct.pack("<IH", 0, 0)
    return _pair(0x0016, 0x003E, ref.name) + _record(0x000D, registered)


def _module(module: Module) -> bytes:
    kind = 0x0021 if module.kind is ModuleKind.STANDARD else 0x0022
    return b"".join(
        [
            _record(0x0019, _mbcs(module.name)),
            _record(0x0047, _utf16(module.name)),
            _pair(0x001A, 0x0032, module.name),  # the stream is named after the module
            _pair(0x001C, 0x0048, ""),  # DOCSTRING
            _record(0x0031, struct.pack("<I", 0)),  # OFFSET: source from byte 0, no cache
            _record(0x001E, struct.pack("<I", 0)),  # HELPCONTEXT
            _record(0x002C, struct.pack("<H", COOKIE)),
            _record(kind, b""),
            _record(0x002B, b""),  # module terminator
        ]
    )


def dir_stream(
    project_name: str, modules: Sequence[Module], references: Sequence[Reference]
) -> bytes:
    """The uncompressed `dir` stream, ending exactly at its terminator."""
    return (
        _information(project_name)
        + b"".join(_reference(r) for r in references)
        + _record(0x000F, struct.pack("<H", len(modules)))
        + _record(0x0013, struct.pack("<H", COOKIE))
        + b"".join(_module(m) for m in modules)
        + struct.pack("<HI", 0x0010, 0)
    )
