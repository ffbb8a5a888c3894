"""`build_addin(out)`: assemble `xl_addin.xlam` from xlwings' ribbon add-in template.

The template (`quickstart_addin_ribbon.xlam`, shipped inside the xlwings package) brings the
xlwings VBA (`RunPython`) and a hidden config sheet. We swap in our ribbon (`addin/customUI.xml`)
at zip level, which works anywhere. Our VBA callbacks (`addin/vba/*.bas`) are a different
matter: a `vbaProject.bin` can only be written reliably by Excel itself, so on Windows with Excel
they are imported through COM (xlwings' own `vba import` route), and everywhere else the build
says so and prints the exact steps to finish on a Windows PC.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

ADDIN_NAME = "xl_addin.xlam"
TEMPLATE = "quickstart_addin_ribbon.xlam"
CUSTOM_UI_PART = "customUI/customUI.xml"
UDF_MODULE = "xl_addin.excel.functions"


def sources_dir() -> Path:
    """`addin/` of the checkout (customUI.xml and vba/), or the copy packed into a wheel."""
    packaged = Path(__file__).resolve().parent.parent / "addin_src"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "addin"


def template_path() -> Path:
    """xlwings' ribbon add-in template, found without importing xlwings (no licence needed)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("xlwings is not installed: pip install xlwings")
    path = Path(next(iter(spec.submodule_search_locations))) / TEMPLATE
    if not path.is_file():
        raise FileNotFoundError(f"this xlwings has no {TEMPLATE} (needs xlwings 0.30 or later)")
    return path


def vba_modules() -> list[Path]:
    return sorted((sources_dir() / "vba").glob("*.bas"))


def windows_steps(xlam: Path) -> str:
    """What to run on a Windows PC with Excel to add the VBA callbacks."""
    vba = sources_dir() / "vba"
    return (
        f"The VBA part of {xlam.name} could not be written on this platform (only Excel can "
        "write a VBA project reliably). The ribbon is in place, but its buttons need the VBA "
        "callbacks. On a Windows PC with Excel and Python (with xl_addin installed):\n"
        "  1. In Excel: File > Options > Trust Center > Trust Center Settings > Macro Settings: "
        "tick 'Trust access to the VBA project object model'.\n"
        f"  2. Copy {xlam.name} and the folder {vba} to the PC.\n"
        f"  3. In a command prompt, in that vba folder: xlwings vba import --file {xlam.name}\n"
        "     (answer y; it imports XlAddinRibbon.bas into the add-in and saves it).\n"
        f"  4. For the worksheet functions, with {xlam.name} open in Excel, run:\n"
        f'     python -c "import xlwings as xw; from xlwings import udfs; '
        f"udfs.import_udfs('{UDF_MODULE}', xw.books['{xlam.name}'].api); "
        f"xw.books['{xlam.name}'].save()\"\n"
        "  Or run `xl-addin build-addin` on that PC, which does steps 3 and 4 itself.\n"
        "  See docs/excel-addin.md for installing the finished add-in."
    )


def _replace_part(src: Path, dst: Path, parts: dict[str, bytes]) -> None:
    """Copy a zip package, replacing (or adding) the given parts, keeping everything else."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        done = set()
        for item in zin.infolist():
            if item.filename in parts:
                zout.writestr(item, parts[item.filename])
                done.add(item.filename)
            else:
                zout.writestr(item, zin.read(item.filename))
        for name, data in parts.items():
            if name not in done:
                zout.writestr(name, data)


def _import_vba_with_excel(xlam: Path) -> None:
    """Windows with Excel: import our VBA modules and the UDF module through COM."""
    import xlwings as xw
    from xlwings import udfs

    app = xw.App(visible=False, add_book=False)
    try:
        book = app.books.open(str(xlam))
        components = book.api.VBProject.VBComponents
        for bas in vba_modules():
            for existing in components:
                if existing.Name == bas.stem:
                    components.Remove(existing)
                    break
            components.Import(str(bas))
        udfs.import_udfs(UDF_MODULE, book.api)
        book.save()
    finally:
        app.quit()


def can_write_vba() -> bool:
    """Windows with pywin32 (and so, presumably, Excel) can import VBA through COM."""
    return sys.platform.startswith("win") and importlib.util.find_spec("win32com") is not None


def build_addin(
    out: str | Path = ADDIN_NAME,
    *,
    import_vba: bool | None = None,
    echo: Callable[[str], None] | None = print,
) -> Path:
    """Write the add-in to `out` (a folder gets `xl_addin.xlam` inside) and return its path.

    `import_vba` None means: import the VBA where Excel can (Windows), else explain how.
    """
    out = Path(out)
    if out.is_dir():
        out = out / ADDIN_NAME
    if out.suffix.lower() != ".xlam":
        raise ValueError(f"an Excel add-in must end in .xlam; found {out.name}")
    custom_ui = (sources_dir() / "customUI.xml").read_bytes()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / ADDIN_NAME
        _replace_part(template_path(), staged, {CUSTOM_UI_PART: custom_ui})
        shutil.copyfile(staged, out)
    say = echo or (lambda _text: None)
    say(f"Wrote {out} (ribbon: the KPIs tab).")
    if import_vba is None:
        import_vba = can_write_vba()
    if import_vba:
        _import_vba_with_excel(out)
        say(f"Imported the VBA callbacks and {UDF_MODULE} into {out.name} through Excel.")
    else:
        say(windows_steps(out))
    return out
