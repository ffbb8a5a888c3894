"""Build `vbaProject.bin` from module source text, with no compiled code (MS-OVBA).

`_VBA_PROJECT` is the 7-byte form (version 0xFFFF, no performance cache) and every module
stream is compressed source from byte 0, so Excel compiles the project from source when it
opens the file, whatever its version or bitness. This is how xlwings' own shipped add-ins are
stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from .compound_file import write_compound_file
from .compression import IncompressibleChunk, compress
from .dir_stream import OFFICE, STDOLE, Reference, dir_stream
from .errors import VbaProjectError
from .module_source import Module, check_name, encode
from .project_stream import project_stream, project_wm_stream

# Reserved1 0x61CC, Version 0xFFFF ("MUST be 0xFFFF on write"), Reserved2 0x00, Reserved3 0x0001
VBA_PROJECT_STREAM = b"\xcc\x61\xff\xff\x00\x01\x00"
REFERENCES = (STDOLE, OFFICE)


def project_id(project_name: str) -> str:
    """A fixed GUID per project name, so every build of a project carries the same ID."""
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"vba-project:{project_name}")).upper() + "}"


def _compressed(module: Module, source: bytes) -> bytes:
    try:
        return compress(source, raw_chunks=False)
    except IncompressibleChunk as exc:
        line = source.count(b"\r\n", 0, exc.start) + 1
        raise VbaProjectError(
            f"module {module.name}, from line {line}: 4 KB of text that does not compress "
            "(a long encoded string, say); Excel may drop such a module, so move it out"
        ) from None


def build_vba_project(
    project_name: str,
    modules: Sequence[Module],
    references: Sequence[Reference] = REFERENCES,
) -> bytes:
    """The compound file Excel stores as `xl/vbaProject.bin`, modules in the order given."""
    check_name(project_name, "project")
    seen: dict[str, str] = {}
    for m in modules:
        if m.name.lower() in seen:
            raise VbaProjectError(f"two modules are named {seen[m.name.lower()]} and {m.name}")
        seen[m.name.lower()] = m.name
    if "_vba_project" in seen or "dir" in seen:
        raise VbaProjectError("a module cannot be called _VBA_PROJECT or dir")
    if project_name.lower() in seen:
        raise VbaProjectError(f"a module cannot share the project's name, {project_name}")
    streams = {m.name: _compressed(m, encode(m)) for m in modules}
    ident = project_id(project_name)
    return write_compound_file(
        {
            "PROJECT": project_stream(ident, project_name, modules),
            "PROJECTwm": project_wm_stream(modules),
            "VBA": {
                "_VBA_PROJECT": VBA_PROJECT_STREAM,
                "dir": compress(dir_stream(project_name, modules, references), raw_chunks=False),
                **streams,
            },
        }
    )
