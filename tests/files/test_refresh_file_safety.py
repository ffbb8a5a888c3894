"""`xl-addin refresh` (and `rag`, `charts`, `init`): a workbook is never lost.

Locks (Excel's and LibreOffice's), read-only books and backups, folders that cannot be written,
a full or read-only drive: each is exit 2 with one sentence naming the file and what to do, and
the folder is left byte for byte as it was, with no temporary file behind.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from file_checks import (
    SPELLINGS,
    assert_refused,
    fill,
    immutable,
    remount_read_only,
    run,
    small_drive,
    snapshot,
    spellings,
)
from support.faults import fail_flush

from xl_addin.ooxml import read_registry

COMMANDS = [["refresh"], ["rag"], ["charts"]]
NAMED = " ".join  # test ids: "refresh --out copy.xlsx"


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_out_that_is_the_book_itself_is_refused(folder, book, capsys, spelling):
    """`--out` promises to leave BOOK untouched, so it may not be BOOK under another name."""
    out = spellings(folder, book)[spelling]
    before = snapshot(folder)
    code, _, err = run(capsys, "refresh", "book.xlsx", "--out", out, "--quiet")
    assert_refused(code, err, "book.xlsx")
    assert "in place" in err
    assert snapshot(folder) == before


def test_out_in_other_letter_case_where_the_file_system_ignores_case(
    folder, book, capsys, monkeypatch
):
    from xl_addin.io import file_safety

    monkeypatch.setattr(file_safety, "names_ignore_case", lambda where: True)
    before = snapshot(folder)
    code, _, err = run(capsys, "refresh", "book.xlsx", "--out", "Book.xlsx", "--quiet")
    assert_refused(code, err, "book.xlsx")
    assert snapshot(folder) == before


def test_a_symlinked_book_is_refreshed_where_it_lives(folder, book, capsys):
    """The link stays a link; the workbook it points to is refreshed, its backup beside it."""
    real_dir = folder / "shared drive"
    real_dir.mkdir()
    real = Path(shutil.move(book, real_dir / "book.xlsx"))
    os.symlink(real, folder / "book.xlsx")
    wb = openpyxl.load_workbook(real)
    wb["Data"]["N3"] = wb["Data"]["N3"].value + 1
    wb.save(real)
    before = real.read_bytes()
    code, _, err = run(capsys, "refresh", "book.xlsx", "--quiet")
    assert code == 0, err
    assert (folder / "book.xlsx").is_symlink()
    assert real.read_bytes() != before and read_registry(real)
    assert (real_dir / "book.bak.xlsx").read_bytes() == before
    assert not (folder / "book.bak.xlsx").exists()


@pytest.mark.parametrize("command", [*COMMANDS, ["refresh", "--out", "copy.xlsx"]], ids=NAMED)
@pytest.mark.parametrize(
    ("lock", "content", "who"),
    [
        ("~$book.xlsx", b"\x0bSam Okonkwo" + b" " * 40, "by Sam Okonkwo"),
        (
            ".~lock.book.xlsx#",
            b"Sam Okonkwo,sokonkwo,CSC-PC-114,28.11.2026 09:12,file;",  # name, user, computer
            "by Sam Okonkwo on CSC-PC-114 since 28.11.2026 09:12",
        ),
    ],
    ids=["Excel", "LibreOffice"],
)
def test_a_book_open_in_excel_or_libreoffice_is_left_alone(
    folder, book, capsys, command, lock, content, who
):
    (folder / lock).write_bytes(content)
    before = snapshot(folder)
    code, _, err = run(capsys, *command[:1], "book.xlsx", *command[1:], "--quiet")
    assert_refused(code, err, "book.xlsx", lock)
    # how to tell a stale lock, and what to do about it
    assert who in err and "close it there" in err
    assert "if it is not open on any computer" in err and f"delete {lock}" in err
    assert snapshot(folder) == before


def test_an_existing_out_open_elsewhere_is_left_alone(folder, book, capsys):
    shutil.copyfile(book, folder / "copy.xlsx")
    (folder / ".~lock.copy.xlsx#").write_bytes(b",jo,CSC-PC-9,01.12.2026 10:00,x;")
    before = snapshot(folder)
    code, _, err = run(capsys, "refresh", "book.xlsx", "--out", "copy.xlsx", "--quiet")
    assert_refused(code, err, "copy.xlsx")
    assert snapshot(folder) == before


@pytest.mark.parametrize("command", COMMANDS, ids=NAMED)
def test_a_read_only_book_is_left_alone(folder, book, capsys, command):
    os.chmod(book, 0o444)
    before = snapshot(folder)
    code, _, err = run(capsys, *command, "book.xlsx", "--quiet")
    assert_refused(code, err, "book.xlsx")
    assert "read-only" in err
    assert snapshot(folder) == before


def test_an_immutable_book_is_left_alone(folder, book, capsys):
    before = snapshot(folder)
    with immutable(book):
        code, _, err = run(capsys, "refresh", "book.xlsx", "--quiet")
    assert_refused(code, err, "book.xlsx")
    assert snapshot(folder) == before


def test_a_folder_that_cannot_be_written(folder, book, capsys):
    before = snapshot(folder)
    with immutable(folder):
        code, _, err = run(capsys, "refresh", "book.xlsx", "--quiet")
    assert_refused(code, err, "book.xlsx", str(folder))
    assert snapshot(folder) == before


def test_a_folder_this_user_may_not_write_to(folder, book, capsys, monkeypatch):
    """Root may write anywhere, so the access check is what is injected here."""
    from xl_addin.io import file_safety

    here = folder.resolve()
    monkeypatch.setattr(file_safety, "may_write", lambda p: Path(p).resolve() != here)
    before = snapshot(folder)
    code, _, err = run(capsys, "refresh", "book.xlsx", "--quiet")
    assert_refused(code, err, "book.xlsx", str(here))
    assert "write access" in err
    assert snapshot(folder) == before


@pytest.mark.parametrize("command", COMMANDS, ids=NAMED)
def test_a_read_only_backup_is_never_replaced(folder, book, capsys, command):
    bak = Path(shutil.copyfile(book, folder / "book.bak.xlsx"))
    os.chmod(bak, 0o444)
    before = snapshot(folder)
    code, _, err = run(capsys, *command, "book.xlsx", "--quiet")
    assert_refused(code, err, "book.bak.xlsx", "book.xlsx")
    assert "read-only" in err and "--no-backup" in err
    assert snapshot(folder) == before


def test_without_a_backup_a_read_only_backup_is_not_in_the_way(folder, book, capsys):
    bak = Path(shutil.copyfile(book, folder / "book.bak.xlsx"))
    os.chmod(bak, 0o444)
    kept = bak.read_bytes()
    code, _, err = run(capsys, "refresh", "book.xlsx", "--no-backup", "--quiet")
    assert code == 0, err
    assert bak.read_bytes() == kept


@pytest.mark.parametrize("obstacle", ["immutable", "folder", "open in Excel"])
def test_a_backup_that_cannot_be_written_stops_the_refresh(folder, book, capsys, obstacle):
    bak = folder / "book.bak.xlsx"
    if obstacle == "folder":
        bak.mkdir()
    else:
        shutil.copyfile(book, bak)
    if obstacle == "open in Excel":
        (folder / "~$book.bak.xlsx").write_bytes(b"\x03Ann")
    before = snapshot(folder)
    if obstacle == "immutable":
        with immutable(bak):
            code, _, err = run(capsys, "refresh", "book.xlsx", "--quiet")
    else:
        code, _, err = run(capsys, "refresh", "book.xlsx", "--quiet")
    assert_refused(code, err, "book.bak.xlsx")
    assert snapshot(folder) == before


@pytest.mark.parametrize("stage", [1, 2], ids=["new book", "backup"])
def test_disk_full_at_fsync_changes_nothing(folder, book, capsys, monkeypatch, stage):
    """Many file systems report a full disk only when the data is flushed."""
    shutil.copyfile(book, folder / "book.bak.xlsx")
    fail_flush(monkeypatch, at=stage)
    before = snapshot(folder)
    code, _, err = run(capsys, "refresh", "book.xlsx", "--quiet")
    assert_refused(code, err, "book.bak.xlsx" if stage == 2 else "book.xlsx")
    assert "space" in err
    assert snapshot(folder) == before


def test_quota_exceeded_is_reported_like_a_full_disk(folder, book, capsys, monkeypatch):
    fail_flush(monkeypatch, errno.EDQUOT)
    before = snapshot(folder)
    code, _, err = run(capsys, "refresh", "book.xlsx", "--quiet")
    assert_refused(code, err, "book.xlsx")
    assert "quota" in err
    assert snapshot(folder) == before


def test_permission_refused_by_the_system_mid_write(folder, book, capsys, monkeypatch):
    real_replace = os.replace

    def refuse(src, dst, *args, **kwargs):
        if Path(dst).name == "book.xlsx":
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", refuse)
    before = snapshot(folder)
    code, _, err = run(capsys, "refresh", "book.xlsx", "--no-backup", "--quiet")
    assert_refused(code, err, "book.xlsx")
    assert snapshot(folder) == before


def test_a_book_this_user_may_not_read(folder, book, capsys, monkeypatch):
    """Root may read anything, so the refusal is injected where Python opens the file."""
    import builtins

    real_open = builtins.open

    def deny(file, *args, **kwargs):
        if Path(str(file)).name == "book.xlsx":
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny)
    before = snapshot(folder)
    code, _, err = run(capsys, "refresh", "book.xlsx", "--quiet")
    assert_refused(code, err, "book.xlsx", str(folder))
    assert snapshot(folder) == before


def test_disk_full_on_a_small_drive(folder, demo_file, capsys):
    with small_drive(folder / "drive", 256) as drive:
        book = Path(shutil.copyfile(demo_file, drive / "book.xlsx"))
        fill(drive, leave_kb=8)
        before = snapshot(drive)
        code, _, err = run(capsys, "refresh", str(book), "--quiet")
        assert_refused(code, err, "book.xlsx")
        assert "space" in err
        assert snapshot(drive) == before


def test_a_read_only_drive(folder, demo_file, capsys):
    with small_drive(folder / "drive", 1024) as drive:
        book = Path(shutil.copyfile(demo_file, drive / "book.xlsx"))
        remount_read_only(drive)
        before = snapshot(drive)
        code, _, err = run(capsys, "refresh", str(book), "--quiet")
        assert_refused(code, err, "book.xlsx", str(drive))
        assert "read-only drive" in err
        assert snapshot(drive) == before


# -- init -------------------------------------------------------------------------------------


@pytest.fixture
def plain_book(folder: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "Case list"
    wb.active["A1"] = "child_id"
    wb.save(folder / "mine.xlsx")
    return folder / "mine.xlsx"


@pytest.mark.parametrize("lock", ["~$mine.xlsx", ".~lock.mine.xlsx#"])
def test_init_leaves_a_book_open_elsewhere_alone(folder, plain_book, capsys, lock):
    (folder / lock).write_bytes(b"")
    before = snapshot(folder)
    code, _, err = run(capsys, "init", "mine.xlsx", "--quiet")
    assert_refused(code, err, "mine.xlsx", lock)
    assert snapshot(folder) == before


def test_init_leaves_a_read_only_book_alone(folder, plain_book, capsys):
    os.chmod(plain_book, 0o444)
    before = snapshot(folder)
    code, _, err = run(capsys, "init", "mine.xlsx", "--quiet")
    assert_refused(code, err, "mine.xlsx")
    assert snapshot(folder) == before


def test_init_keeps_a_read_only_backup(folder, plain_book, capsys):
    bak = Path(shutil.copyfile(plain_book, folder / "mine.bak.xlsx"))
    os.chmod(bak, 0o444)
    before = snapshot(folder)
    code, _, err = run(capsys, "init", "mine.xlsx", "--quiet")
    assert_refused(code, err, "mine.bak.xlsx")
    assert snapshot(folder) == before


def test_init_on_a_full_disk(folder, plain_book, capsys, monkeypatch):
    fail_flush(monkeypatch)
    before = snapshot(folder)
    code, _, err = run(capsys, "init", "mine.xlsx", "--quiet")
    assert_refused(code, err, "mine.xlsx")
    assert snapshot(folder) == before
