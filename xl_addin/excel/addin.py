"""`build_addin(out)`: write the complete desktop add-in `xl_addin.xlam`, on any machine.

The package is xlwings' ribbon add-in template (`quickstart_addin_ribbon.xlam`, from the
installed xlwings) with our ribbon (`addin/customUI.xml`) and a VBA project written by
`xl_addin.vba` from source text: the template's document modules (named by its code names),
xlwings' own add-in module and `Dictionary` class from the same xlwings, our modules
(`addin/vba`), and the wrappers for the worksheet functions that xlwings would generate. The
project carries no compiled code, so Excel compiles it when it opens the add-in; nothing is
left to do on Windows. Two builds from the same sources give the same bytes on any system.

A wheel carries the add-in already built (hatch_build.py at the repository root); `build_addin`
copies that one when it was built with the installed xlwings. This module imports only the
standard library, `xl_addin.errors` and `xl_addin.vba`, so the build hook can run it with
nothing else installed.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

from ..errors import XlAddinError
from ..vba import Module, ModuleKind, VbaProjectError, build_vba_project, module_from_export
from ..vba.excel_documents import document_modules
from ..vba.xlam import package_bytes
from ..vba.xlwings_udfs import udf_module

ADDIN_NAME = "xl_addin.xlam"  # the desktop backend calls its macros as 'xl_addin.xlam'!Name
TEMPLATE = "quickstart_addin_ribbon.xlam"
XLWINGS_MODULES = {  # xlwings' add-in module and the class it needs, in the template's set
    "xlwings_custom_addin.bas": ModuleKind.STANDARD,
    "addin/Dictionary.cls": ModuleKind.CLASS,
}
CUSTOM_UI_PART = "customUI/customUI.xml"
VBA_PART = "xl/vbaProject.bin"
CORE_PART = "docProps/core.xml"
# Shown in Excel's Add-ins dialog: the title in the list, the description below it
TITLE = "xl_addin KPIs"
DESCRIPTION = (
    "The KPIs ribbon tab and worksheet functions such as =RAG() for the performance workbook."
)
UDF_MODULE = "xl_addin.excel.functions"
PROJECT_NAME = "XlAddin"
PACKAGED = "addin_built"  # in a wheel: addin_built/xlwings-<version>/xl_addin.xlam
SOURCE_KINDS = {".bas": ModuleKind.STANDARD, ".cls": ModuleKind.CLASS}


def sources_dir() -> Path:
    """`addin/` of the checkout (customUI.xml and vba/), or the copy packed into a wheel."""
    packaged = Path(__file__).resolve().parent.parent / "addin_src"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "addin"


def xlwings_dir() -> Path:
    """The installed xlwings package, found without importing it (no licence needed)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise XlAddinError("xlwings is not installed: pip install xl_addin installs it")
    return Path(next(iter(spec.submodule_search_locations)))


def xlwings_version() -> str:
    return importlib.metadata.version("xlwings")


def template_path() -> Path:
    path = xlwings_dir() / TEMPLATE
    if not path.is_file():
        raise XlAddinError(f"this xlwings has no {TEMPLATE} (xl_addin needs xlwings 0.37.8)")
    return path


def packaged_addin() -> Path | None:
    """The add-in the wheel carries, if it was built with the installed xlwings (its VBA
    module names xlwings' DLL by version, so it must match)."""
    path = Path(__file__).resolve().parent.parent / PACKAGED / f"xlwings-{xlwings_version()}"
    return path / ADDIN_NAME if (path / ADDIN_NAME).is_file() else None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise XlAddinError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def addin_modules() -> list[Module]:
    """Every module of the add-in's VBA project, in project order."""
    with zipfile.ZipFile(template_path()) as template:
        modules = document_modules(template.read)
    for name, kind in XLWINGS_MODULES.items():
        modules.append(module_from_export(_read(xlwings_dir() / name), kind))
    # by name as a string: Windows paths sort ignoring case, POSIX ones do not
    for path in sorted((sources_dir() / "vba").iterdir(), key=lambda p: p.name):
        if path.suffix in SOURCE_KINDS:
            modules.append(module_from_export(_read(path), SOURCE_KINDS[path.suffix]))
    modules.append(udf_module(Path(__file__).with_name("functions.py"), UDF_MODULE))
    return modules


def _core_properties(template: bytes) -> bytes:
    """The template's properties with our title and description (its are empty)."""
    text = template.decode("utf-8")
    for tag, value in (("dc:title", TITLE), ("dc:description", DESCRIPTION)):
        if f"<{tag} />" not in text:
            raise XlAddinError(f"{TEMPLATE}: {CORE_PART} has no empty {tag} to fill")
        text = text.replace(f"<{tag} />", f"<{tag}>{value}</{tag}>")
    return text.encode("utf-8")


def addin_bytes() -> bytes:
    """The complete add-in, built from the sources and the installed xlwings."""
    try:
        project = build_vba_project(PROJECT_NAME, addin_modules())
        custom_ui = (sources_dir() / "customUI.xml").read_bytes()
        with zipfile.ZipFile(template_path()) as template:
            core = _core_properties(template.read(CORE_PART))
        parts = {CUSTOM_UI_PART: custom_ui, VBA_PART: project, CORE_PART: core}
        return package_bytes(template_path(), parts)
    except VbaProjectError as exc:
        raise XlAddinError(f"The add-in's VBA cannot be built: {exc}") from None


def build_addin(
    out: str | Path = ADDIN_NAME,
    *,
    echo: Callable[[str], None] | None = print,
    use_packaged: bool = True,
) -> Path:
    """Write the add-in to `out` and return its path. A folder (or a path with no extension,
    made if need be) gets `xl_addin.xlam` inside."""
    out = Path(out)
    if out.is_dir() or not out.suffix:
        out = out / ADDIN_NAME
    if out.name.lower() != ADDIN_NAME:
        raise XlAddinError(
            f"the add-in must be called {ADDIN_NAME} (found {out.name}): the charts' finishing "
            "macros are called by that name"
        )
    packaged = packaged_addin() if use_packaged else None
    data = packaged.read_bytes() if packaged else addin_bytes()
    out.parent.mkdir(parents=True, exist_ok=True)
    staged = out.with_name(out.name + ".part")
    staged.write_bytes(data)
    try:
        os.replace(staged, out)
    except PermissionError:
        staged.unlink(missing_ok=True)
        raise XlAddinError(f"{out} is in use: close Excel (or untick the add-in) first") from None
    if echo:
        how = "copied the add-in built into this installation" if packaged else "built"
        echo(
            f"Wrote {out} ({how}; xlwings {xlwings_version()}): the KPIs ribbon, its VBA and the "
            "worksheet functions. In Excel: File > Options > Add-ins > Manage: Excel Add-ins > "
            "Go... > Browse..., pick the file and tick it (docs/excel-addin.md)."
        )
    return out
