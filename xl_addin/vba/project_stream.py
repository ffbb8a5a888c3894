"""The `PROJECT` and `PROJECTwm` streams (MS-OVBA §2.3.1, §2.3.3): the project's properties
as text, and each module's name in both code page 1252 and UTF-16."""

from __future__ import annotations

from collections.abc import Sequence

from .module_source import CODE_PAGE, Module, ModuleKind
from .obfuscation import encrypt

VBE_HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
UNPROTECTED = b"\0\0\0\0"  # CMG: no user, host or editor protection
NO_PASSWORD = b"\0"  # DPB
VISIBLE = b"\xff"  # GC


def _module_line(module: Module) -> str:
    if module.kind is ModuleKind.DOCUMENT:
        return f"Document={module.name}/&H00000000"
    if module.kind is ModuleKind.CLASS:
        return f"Class={module.name}"
    return f"Module={module.name}"


def project_stream(project_id: str, project_name: str, modules: Sequence[Module]) -> bytes:
    lines = [
        f'ID="{project_id}"',
        *(_module_line(m) for m in modules),
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{encrypt(UNPROTECTED, project_id)}"',
        f'DPB="{encrypt(NO_PASSWORD, project_id)}"',
        f'GC="{encrypt(VISIBLE, project_id)}"',
        "",
        "[Host Extender Info]",
        VBE_HOST_EXTENDER,
        "",
        "[Workspace]",
        *(f"{m.name}=0, 0, 0, 0, C" for m in modules),
    ]
    return ("\r\n".join(lines) + "\r\n").encode(CODE_PAGE)


def project_wm_stream(modules: Sequence[Module]) -> bytes:
    """Each module name, null-terminated in code page 1252 then in UTF-16; a null to end."""
    names = b"".join(
        m.name.encode(CODE_PAGE) + b"\0" + m.name.encode("utf-16-le") + b"\0\0" for m in modules
    )
    return names + b"\0\0"
