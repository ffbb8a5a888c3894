"""VBA modules as text: reading the VBA editor's export files, and the checks Excel needs.

A module is stored as its source text including its `Attribute` lines, with CRLF line endings,
in code page 1252. Class modules are stored without the `VERSION 1.0 CLASS` block that export
files start with, and with the `VB_Base` attribute that the editor adds on import: a stored
VERSION block gives "Expected: end of statement", a missing VB_Base "Invalid procedure call".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from .errors import VbaProjectError

CODE_PAGE = "cp1252"
MAX_NAME = 31  # module and stream names (MS-OVBA, and the compound file's limit)
MAX_LINE = 1023  # the VBA editor's longest line
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
VB_NAME = re.compile(r'Attribute VB_Name = "([^"]*)"')
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"  # the editor's base for class modules


class ModuleKind(Enum):
    STANDARD = "standard"  # .bas: procedures
    CLASS = "class"  # .cls
    DOCUMENT = "document"  # ThisWorkbook and the sheets: Excel's objects, with code behind


@dataclass(frozen=True)
class Module:
    """`code` is the text as stored: CRLF line endings, starting with its `Attribute` lines."""

    name: str
    kind: ModuleKind
    code: str


def crlf(text: str) -> str:
    """Every line ending as CRLF, which the VBA editor writes (a bare LF or CR is one too)."""
    return "\r\n".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _class_from_export(lines: list[str]) -> list[str]:
    """The editor's import of a .cls: drop the VERSION block, add VB_Base and the two
    attributes it writes after VB_Exposed when the file does not carry them."""
    if lines and lines[0].startswith("VERSION "):
        end = next((i for i, line in enumerate(lines) if line.strip() == "END"), None)
        if end is None:
            raise VbaProjectError("a class module's VERSION block has no END line")
        lines = lines[end + 1 :]
    has = {line.split("=")[0].strip() for line in lines if line.startswith("Attribute ")}
    out = []
    for line in lines:
        out.append(line)
        key = line.split("=")[0].strip()
        if key == "Attribute VB_Name" and "Attribute VB_Base" not in has:
            out.append(f'Attribute VB_Base = "{CLASS_BASE}"')
        if key == "Attribute VB_Exposed":
            for attribute in ("VB_TemplateDerived", "VB_Customizable"):
                if f"Attribute {attribute}" not in has:
                    out.append(f"Attribute {attribute} = False")
    return out


def module_from_export(text: str, kind: ModuleKind) -> Module:
    """A module from a file the VBA editor exported (.bas or .cls); its name is its VB_Name."""
    lines = crlf(text).split("\r\n")
    if kind is ModuleKind.CLASS:
        lines = _class_from_export(lines)
    match = VB_NAME.fullmatch(lines[0]) if lines else None
    if match is None:
        raise VbaProjectError('a module must start with the line Attribute VB_Name = "Name"')
    return Module(match.group(1), kind, "\r\n".join(lines))


def check_name(name: str, what: str = "module") -> None:
    if not NAME.fullmatch(name):
        raise VbaProjectError(
            f"{what} name {name!r}: use letters, digits and underscores, starting with a letter"
        )
    if len(name) > MAX_NAME:
        raise VbaProjectError(f"{what} name {name!r} is {len(name)} characters; at most 31")


def encode(module: Module) -> bytes:
    """The module's source in code page 1252, after the checks that Excel's editor relies on."""
    check_name(module.name)
    bare = module.code.replace("\r\n", "")
    if "\n" in bare or "\r" in bare:
        raise VbaProjectError(f"module {module.name}: line endings must be CRLF")
    first = module.code.split("\r\n", 1)[0]
    if first != f'Attribute VB_Name = "{module.name}"':
        raise VbaProjectError(
            f'module {module.name}: the first line must be Attribute VB_Name = "{module.name}"'
        )
    lines = module.code.split("\r\n")
    if module.kind is not ModuleKind.STANDARD:
        if not any(line.startswith("Attribute VB_Base = ") for line in lines):
            raise VbaProjectError(f"module {module.name}: a class or document needs VB_Base")
        if any(line.startswith("VERSION ") for line in lines):
            raise VbaProjectError(f"module {module.name}: remove the VERSION block")
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE:
            raise VbaProjectError(
                f"module {module.name}, line {number}: {len(line)} characters; "
                f"the VBA editor allows {MAX_LINE}"
            )
    try:
        return module.code.encode(CODE_PAGE)
    except UnicodeEncodeError as exc:
        char = exc.object[exc.start]
        number = exc.object.count("\r\n", 0, exc.start) + 1
        raise VbaProjectError(
            f"module {module.name}, line {number}: {char!r} (U+{ord(char):04X}) is not in "
            "code page 1252 (Western European), which the VBA editor reads; use a plain "
            "character, or ChrW() in a string"
        ) from None
