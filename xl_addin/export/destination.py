"""Where a board pack may be written, checked before any work is done.

A pack never replaces the workbook it is made from (however the path is spelled), a workbook
that holds input sheets (not even with `force`), a read-only file, or a file open in Excel or
LibreOffice. Another existing file is replaced only when it is a board pack xl_addin wrote
(last month's, say: every pack carries the custom document property `PACK_MARKER`, which Excel
and LibreOffice keep when they save; packs from before the marker are known by the title
properties they were written with) or when the user says so (`--force`). The PDF beside the
pack follows the pack: replaced with an earlier pack, or with `force`.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..contract.schema import INPUT_SHEETS
from ..errors import XlAddinError
from ..io.file_safety import (
    FileSafetyError,
    SameFileError,
    check_folder_writable,
    check_not_locked,
    check_replaceable,
    same_file,
)
from ..ooxml import xmlutil as X
from ..ooxml.errors import SurgeryError
from ..ooxml.parts import Package
from ..ooxml.workbook import read_sheets

PACK_MARKER = "xl_addin board pack"
REL_CUSTOM_PROPERTIES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
REL_CORE_PROPERTIES = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)
# What packs written before the marker carry in their core properties (description, subject).
_EARLIER_DESCRIPTION = "Values only. Produced by xl_addin."
_EARLIER_SUBJECTS = {"Board pack", "Board pack (published version)"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FORCE_HINT = "choose another file name for the pack, or move that file away first"


def marker_properties() -> dict[str, str]:
    """The custom document property that marks a file as a board pack xl_addin wrote."""
    from .. import __version__

    return {PACK_MARKER: f"xl_addin {__version__}"}


def _package_facts(path: Path) -> tuple[list[str], bool]:
    """(sheet names, carries the pack marker) of an existing .xlsx; ([], False) when it is not
    a readable package. An encrypted workbook cannot be looked into, so it is refused."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return [], False
    if head == _OLE_MAGIC:
        raise FileSafetyError(
            f"{path.name} is password-protected, so xl_addin cannot tell whether it is a "
            f"workbook of yours and will not replace it: choose another file name for the pack.",
            path,
        )
    try:
        with Package(path) as pkg:
            main = pkg.main_part()
            sheets = [s.name for s in read_sheets(pkg.xml(main), pkg.rels(main))]
            marked = False
            for rel in pkg.rels(""):
                if rel.part is None:
                    continue
                if rel.type == REL_CUSTOM_PROPERTIES:
                    marked |= any(
                        X.local_name(p) == "property" and p.get("name") == PACK_MARKER
                        for p in pkg.xml(rel.part)
                    )
                elif rel.type == REL_CORE_PROPERTIES:
                    core = {X.local_name(e): (e.text or "") for e in pkg.xml(rel.part)}
                    marked |= (
                        core.get("description") == _EARLIER_DESCRIPTION
                        and core.get("subject") in _EARLIER_SUBJECTS
                    )
            return sheets, marked
    except SurgeryError:
        return [], False


def is_board_pack(path: str | Path) -> bool:
    """Whether `path` is a board pack xl_addin wrote (and holds no input sheets)."""
    sheets, marked = _package_facts(Path(path))
    folded = {s.casefold() for s in sheets}
    return marked and not any(n.casefold() in folded for n in INPUT_SHEETS)


def check_destination(
    out: Path, *, source: Path | None = None, force: bool = False, pdf: bool = False
) -> None:
    """Raise XlAddinError (FileSafetyError for the file rules) unless the pack may be written
    to `out` (and, with `pdf`, to `out` with .pdf); nothing is written either way."""
    if out.suffix.lower() != ".xlsx":
        raise XlAddinError(f"the pack must be an .xlsx file (values only, no macros): {out}")
    if not out.parent.is_dir():
        raise XlAddinError(f"the folder for the pack does not exist: {out.parent}")
    if out.is_dir():
        raise XlAddinError(f"{out} is a folder; give a file name ending in .xlsx")
    if source is not None and same_file(source, out):
        which = "" if out.name == source.name else f" which is {source.name},"
        raise SameFileError(
            f"The board pack cannot be written to {out.name},{which} the workbook it is made "
            f"from: choose another file name for the pack, such as "
            f"'{source.stem} - board pack.xlsx'.",
            out,
        )
    check_not_locked(out)
    check_folder_writable(out.parent, out.name)
    earlier_pack = False
    if os.path.lexists(out):
        sheets, marked = _package_facts(out)
        held = [s for s in sheets if s.casefold() in {n.casefold() for n in INPUT_SHEETS}]
        if held:
            raise SameFileError(
                f"{out.name} holds the input sheet{'s' if len(held) > 1 else ''} "
                f"{', '.join(held)}, so it is a performance workbook that xl_addin will never "
                f"replace with a board pack (not even with --force): choose another file name "
                f"for the pack.",
                out,
            )
        check_replaceable(out, "choose another file name for the pack")
        earlier_pack = marked
        if not (earlier_pack or force):
            raise FileSafetyError(
                f"{out.name} already exists and is not a board pack that xl_addin wrote: "
                f"{_FORCE_HINT} (on the command line, --force replaces it).",
                out,
            )
    if pdf:
        _check_pdf(out.with_suffix(".pdf"), replace=earlier_pack or force)


def _check_pdf(pdf: Path, *, replace: bool) -> None:
    if not os.path.lexists(pdf):
        return
    if pdf.is_dir():
        raise XlAddinError(f"{pdf} is a folder, so the PDF cannot be written there")
    check_replaceable(pdf, "choose another file name for the pack")
    if not replace:
        raise FileSafetyError(
            f"{pdf.name} already exists and is not the PDF of a board pack being replaced: "
            f"{_FORCE_HINT} (on the command line, --force replaces it).",
            pdf,
        )
