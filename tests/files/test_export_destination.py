"""`xl-addin export`: which existing files a board pack may replace, and what every refusal says.

The pack never replaces the workbook it is made from (however the path is spelled), never a
workbook holding input sheets or a read-only or open file (not even with --force), and another
existing file only when it is an earlier pack or with --force. Every refusal is exit 2 and one
sentence, and leaves the folder exactly as it was.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from file_checks import (
    SPELLINGS,
    assert_refused,
    fill,
    immutable,
    run,
    sheet_names,
    small_drive,
    snapshot,
    spellings,
)

from xl_addin.export import export_book

pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension")

PACK_SHEETS = ["Cover", "Key", "Summary", "Scorecard"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_export_onto_its_own_input_is_refused(folder, book, capsys, spelling):
    out = spellings(folder, book)[spelling]
    before = snapshot(folder)
    code, _, err = run(capsys, "export", "book.xlsx", "--out", out, "--quiet", "--force")
    assert_refused(code, err, "book.xlsx")
    assert "workbook it is made from" in err
    assert snapshot(folder) == before


def test_other_letter_case_is_the_input_where_the_file_system_ignores_case(
    folder, book, capsys, monkeypatch
):
    """This Linux file system is case-sensitive; the check the code makes is injected."""
    from xl_addin.io import file_safety

    monkeypatch.setattr(file_safety, "names_ignore_case", lambda where: True)
    before = snapshot(folder)
    code, _, err = run(capsys, "export", "book.xlsx", "--out", "BOOK.XLSX", "--quiet")
    assert_refused(code, err, "BOOK.XLSX")
    assert snapshot(folder) == before
    monkeypatch.setattr(file_safety, "names_ignore_case", lambda where: False)
    code, _, err = run(capsys, "export", "book.xlsx", "--out", "BOOK.XLSX", "--quiet")
    assert code == 0, err
    assert sheet_names(folder / "BOOK.XLSX")[:4] == PACK_SHEETS


def test_python_api_refuses_its_own_input_too(folder, book):
    from xl_addin.errors import XlAddinError

    before = snapshot(folder)
    with pytest.raises(XlAddinError, match="workbook it is made from"):
        export_book(book, book, force=True)
    assert snapshot(folder) == before


@pytest.mark.parametrize("force", [False, True])
def test_a_workbook_with_input_sheets_is_never_replaced(folder, book, capsys, force):
    other = shutil.copyfile(book, folder / "other.xlsx")
    before = snapshot(folder)
    args = ["export", "book.xlsx", "--out", "other.xlsx", "--quiet"]
    code, _, err = run(capsys, *args, *(["--force"] if force else []))
    assert_refused(code, err, Path(other).name)
    assert "Settings" in err and "not even with --force" in err
    assert snapshot(folder) == before


def _notes_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "Minutes"
    wb.active["A1"] = "Board minutes, October"
    wb.save(path)
    return path


@pytest.mark.parametrize("kind", ["a workbook of notes", "not a workbook"])
def test_an_existing_file_that_is_not_a_pack_needs_force(folder, book, capsys, kind):
    out = folder / "pack.xlsx"
    if kind == "a workbook of notes":
        _notes_workbook(out)
    else:
        out.write_text("notes typed in a text editor")
    before = snapshot(folder)
    code, _, err = run(capsys, "export", "book.xlsx", "--out", "pack.xlsx", "--quiet")
    assert_refused(code, err, "pack.xlsx")
    assert "--force" in err
    assert snapshot(folder) == before
    code, _, err = run(capsys, "export", "book.xlsx", "--out", "pack.xlsx", "--quiet", "--force")
    assert code == 0, err
    assert sheet_names(out)[:4] == PACK_SHEETS


def test_last_months_pack_is_replaced_without_force(folder, book, old_pack, capsys):
    before = old_pack.read_bytes()
    code, _, err = run(capsys, "export", "book.xlsx", "--out", "pack.xlsx", "--quiet")
    assert code == 0, err
    assert old_pack.read_bytes() != before
    cover = openpyxl.load_workbook(old_pack)["Cover"]
    assert "Reporting month: October 2022" in [c.value for c in cover["A"]]


def _without_part(path: Path, part: str) -> None:
    with zipfile.ZipFile(path) as zf:
        parts = [(i, zf.read(i)) for i in zf.infolist() if i.filename != part]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts:
            zf.writestr(info, data)


def test_a_pack_from_before_the_marker_is_still_an_earlier_pack(folder, book, old_pack, capsys):
    """Packs written by earlier versions carry only their title properties."""
    _without_part(old_pack, "docProps/custom.xml")
    code, _, err = run(capsys, "export", "book.xlsx", "--out", "pack.xlsx", "--quiet")
    assert code == 0, err
    _without_part(old_pack, "docProps/custom.xml")
    _without_part(old_pack, "docProps/core.xml")
    code, _, err = run(capsys, "export", "book.xlsx", "--out", "pack.xlsx", "--quiet")
    assert_refused(code, err, "pack.xlsx")


def test_every_pack_carries_the_marker(folder, book, capsys):
    code, _, err = run(capsys, "export", "book.xlsx", "--out", "new.xlsx", "--quiet")
    assert code == 0, err
    with zipfile.ZipFile(folder / "new.xlsx") as zf:
        custom = zf.read("docProps/custom.xml").decode()
    assert 'name="xl_addin board pack"' in custom


def test_a_pack_saved_again_by_libreoffice_is_still_recognised(folder, book, old_pack, capsys):
    """The marker must survive an office program saving the pack (Excel is not available here;
    LibreOffice is the other program the board uses)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    saved = folder / "resaved"
    saved.mkdir()
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(saved),
            str(old_pack),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    shutil.move(saved / "pack.xlsx", old_pack)
    shutil.rmtree(folder / "lo-profile", ignore_errors=True)
    code, _, err = run(capsys, "export", "book.xlsx", "--out", "pack.xlsx", "--quiet")
    assert code == 0, err


@pytest.mark.parametrize("force", [False, True])
def test_a_read_only_pack_is_not_replaced(folder, book, old_pack, capsys, force):
    os.chmod(old_pack, 0o444)
    before = snapshot(folder)
    args = ["export", "book.xlsx", "--out", "pack.xlsx", "--quiet"]
    code, _, err = run(capsys, *args, *(["--force"] if force else []))
    assert_refused(code, err, "pack.xlsx")
    assert "read-only" in err
    assert snapshot(folder) == before


def test_an_immutable_pack_is_not_replaced(folder, book, old_pack, capsys):
    before = snapshot(folder)
    with immutable(old_pack):
        code, _, err = run(capsys, "export", "book.xlsx", "--out", "pack.xlsx", "--quiet")
    assert_refused(code, err, "pack.xlsx")
    assert snapshot(folder) == before


@pytest.mark.parametrize(
    ("lock", "program"),
    [("~$pack.xlsx", "Excel"), (".~lock.pack.xlsx#", "LibreOffice")],
)
def test_a_pack_open_in_excel_or_libreoffice_is_not_replaced(
    folder, book, old_pack, capsys, lock, program
):
    (folder / lock).write_bytes(b"\x05Priya" if program == "Excel" else b",priya,PC-7,date,x;")
    before = snapshot(folder)
    code, _, err = run(capsys, "export", "book.xlsx", "--out", "pack.xlsx", "--quiet", "--force")
    assert_refused(code, err, "pack.xlsx", lock)
    assert f"open in {program}" in err and "if it is not open on any computer" in err
    assert snapshot(folder) == before


@pytest.mark.parametrize("lock", ["~$book.xlsx", ".~lock.book.xlsx#"])
def test_an_input_open_in_excel_or_libreoffice_is_not_exported(folder, book, capsys, lock):
    """Its saved copy, which is what would be read, may not be what is on screen."""
    (folder / lock).write_bytes(b"")
    before = snapshot(folder)
    code, _, err = run(capsys, "export", "book.xlsx", "--out", "new.xlsx", "--quiet")
    assert_refused(code, err, "book.xlsx", lock)
    assert snapshot(folder) == before


def test_an_unrelated_pdf_is_not_replaced(folder, book, capsys):
    (folder / "pack.pdf").write_bytes(b"%PDF-1.4 the minutes")
    before = snapshot(folder)
    code, _, err = run(capsys, "export", "book.xlsx", "--out", "pack.xlsx", "--pdf", "--quiet")
    assert_refused(code, err, "pack.pdf")
    assert snapshot(folder) == before


def test_a_folder_nobody_may_write_to(folder, book, capsys):
    out_dir = folder / "board"
    out_dir.mkdir()
    before = snapshot(folder)
    with immutable(out_dir):
        code, _, err = run(capsys, "export", "book.xlsx", "--out", "board/pack.xlsx", "--quiet")
    assert_refused(code, err, "pack.xlsx", str(out_dir.resolve()))
    assert snapshot(folder) == before


def test_a_folder_this_user_may_not_write_to(folder, book, capsys, monkeypatch):
    """Root may write anywhere, so the access check is what is injected here."""
    from xl_addin.io import file_safety

    out_dir = (folder / "board").resolve()
    out_dir.mkdir()
    monkeypatch.setattr(file_safety, "may_write", lambda p: Path(p).resolve() != out_dir)
    code, _, err = run(capsys, "export", "book.xlsx", "--out", "board/pack.xlsx", "--quiet")
    assert_refused(code, err, "pack.xlsx", str(out_dir))
    assert "write access" in err
    assert list(out_dir.iterdir()) == []


def test_permission_refused_by_the_system_mid_write(folder, book, old_pack, capsys, monkeypatch):
    real_replace = os.replace

    def refuse(src, dst, *args, **kwargs):
        if Path(dst).name == "pack.xlsx":
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", refuse)
    before = snapshot(folder)
    code, _, err = run(capsys, "export", "book.xlsx", "--out", "pack.xlsx", "--quiet")
    assert_refused(code, err, "pack.xlsx")
    assert snapshot(folder) == before


def test_disk_full_while_writing_leaves_last_months_pack(
    folder, book, old_pack, capsys, monkeypatch
):
    real_writestr = zipfile.ZipFile.writestr
    calls = {"n": 0}

    def full(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_writestr(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)
    before = snapshot(folder)
    code, _, err = run(capsys, "export", "book.xlsx", "--out", "pack.xlsx", "--quiet")
    assert_refused(code, err, "pack.xlsx")
    assert "space" in err
    assert snapshot(folder) == before


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # XlsxWriter's zip
def test_disk_full_on_a_small_drive(folder, book, pack_file, capsys):
    with small_drive(folder / "drive", 512) as drive:
        old = Path(shutil.copyfile(pack_file, drive / "pack.xlsx"))
        fill(drive, leave_kb=24)
        before = snapshot(drive)
        code, _, err = run(capsys, "export", "book.xlsx", "--out", str(old), "--quiet")
        assert_refused(code, err, "pack.xlsx")
        assert "space" in err
        assert snapshot(drive) == before
