"""atomic_replace: verification, backups, lock files, failures and SIGKILL at random moments."""

from __future__ import annotations

import fcntl
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from ooxml_builders import make_scratch, make_user_book, read_parts

from xl_addin.ooxml import (
    VerificationError,
    WorkbookLockedError,
    atomic_replace,
    backup_path,
    read_registry,
    transplant,
    verify,
)
from xl_addin.ooxml.safe_write import TEMP_MARK, cleanup_stale_temps

ROOT = Path(__file__).resolve().parents[2]


def temps(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if TEMP_MARK in p.name]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_name_keeps_extension():
    assert backup_path(Path("/x/book.xlsm")) == Path("/x/book.bak.xlsm")
    assert backup_path(Path("/x/My Book.v2.xlsx")) == Path("/x/My Book.v2.bak.xlsx")


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_refresh_replaces_and_keeps_backup(tmp_path, suffix):
    book = make_user_book(tmp_path / f"book{suffix}")
    scratch = make_scratch(tmp_path / "scratch.xlsx")
    old = book.read_bytes()
    bak = atomic_replace(lambda tmp: transplant(book, scratch, tmp), book)
    assert bak == tmp_path / f"book.bak{suffix}"
    assert bak.read_bytes() == old
    assert "Scorecard" in str(read_parts(book)["xl/workbook.xml"])
    verify(book)
    assert temps(tmp_path) == []


def test_no_backup_when_asked(tmp_path):
    book = make_user_book(tmp_path / "book.xlsx")
    scratch = make_scratch(tmp_path / "scratch.xlsx")
    assert atomic_replace(lambda tmp: transplant(book, scratch, tmp), book, backup=False) is None
    assert not backup_path(book).exists()


def test_new_target_is_created(tmp_path):
    src = make_user_book(tmp_path / "src.xlsx")
    target = tmp_path / "new.xlsx"
    atomic_replace(lambda tmp: shutil.copyfile(src, tmp), target)
    assert target.read_bytes() == src.read_bytes()
    assert not backup_path(target).exists()


def test_file_mode_is_kept(tmp_path):
    book = make_user_book(tmp_path / "book.xlsx")
    scratch = make_scratch(tmp_path / "scratch.xlsx")
    os.chmod(book, 0o640)
    bak = atomic_replace(lambda tmp: transplant(book, scratch, tmp), book)
    assert (book.stat().st_mode & 0o777) == 0o640
    assert (bak.stat().st_mode & 0o777) == 0o640


def test_failing_build_leaves_target_intact(tmp_path):
    book = make_user_book(tmp_path / "book.xlsx")
    before = digest(book)

    def build(tmp: Path) -> None:
        tmp.write_bytes(b"half written")
        raise RuntimeError("renderer crashed")

    with pytest.raises(RuntimeError):
        atomic_replace(build, book)
    assert digest(book) == before
    assert temps(tmp_path) == []
    assert not backup_path(book).exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"PK\x03\x04 not really a zip"),
        lambda p: _drop_part(p, "xl/styles.xml"),  # dangling relationship
        lambda p: _drop_part(p, "[Content_Types].xml"),
    ],
)
def test_unverifiable_result_leaves_target_intact(tmp_path, damage):
    book = make_user_book(tmp_path / "book.xlsx")
    before = digest(book)

    def build(tmp: Path) -> None:
        shutil.copyfile(book, tmp)
        damage(tmp)

    with pytest.raises(VerificationError):
        atomic_replace(build, book)
    assert digest(book) == before
    assert temps(tmp_path) == []


def _drop_part(path: Path, name: str) -> None:
    parts = read_parts(path)
    del parts[name]
    with zipfile.ZipFile(path, "w") as z:
        for n, d in parts.items():
            z.writestr(n, d)


def test_excel_lock_file_refuses(tmp_path):
    book = make_user_book(tmp_path / "book.xlsx")
    (tmp_path / "~$book.xlsx").write_bytes(b"\x07Analyst")
    with pytest.raises(WorkbookLockedError, match=r"open in Excel by Analyst .*close it there"):
        atomic_replace(lambda tmp: shutil.copyfile(book, tmp), book)
    assert temps(tmp_path) == []


def test_stale_temp_files_are_cleaned_but_live_ones_kept(tmp_path):
    book = make_user_book(tmp_path / "book.xlsx")
    stale = tmp_path / f".book.xlsx{TEMP_MARK}99999-dead.xlsx"
    stale.write_bytes(b"partial")
    stale_bak = tmp_path / f".book.bak.xlsx{TEMP_MARK}99999-dead.xlsx"
    stale_bak.write_bytes(b"partial")
    live = tmp_path / f".book.xlsx{TEMP_MARK}1-live.xlsx"
    live.write_bytes(b"someone is writing")
    fd = os.open(live, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        removed = cleanup_stale_temps(book)
        assert set(removed) == {stale, stale_bak}
        assert live.exists()
    finally:
        os.close(fd)
    assert cleanup_stale_temps(book) == [live]


KILL_CHILD = r"""
import hashlib, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from xl_addin.ooxml import atomic_replace, transplant
import openpyxl, python_calamine  # verify() imports them lazily: warm up before "ready"
book, scratch = Path(sys.argv[2]), Path(sys.argv[3])

def build(tmp):
    transplant(book, scratch, tmp)
    print("built", hashlib.sha256(tmp.read_bytes()).hexdigest(), flush=True)

print("ready", flush=True)
while True:
    atomic_replace(build, book)
    print("done", flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_at_random_moments_never_corrupts(tmp_path):
    """Kill a refresh loop at random moments: the book is always a complete old/new file."""
    book = make_user_book(tmp_path / "book.xlsx")
    scratch = make_scratch(tmp_path / "scratch.xlsx")
    sheets = ["Data", "Targets", "Lookups", "User Chart"]
    generated = ["Scorecard", "KPI Values", "Charts - Safeguarding"]
    rng = random.Random(20250331)
    # Scale the kill window to this machine: a few refreshes long.
    start = time.perf_counter()
    atomic_replace(lambda tmp: transplant(book, scratch, tmp), book)
    window = max(0.5, 4 * (time.perf_counter() - start))
    kills = completed = mid_write = 0
    for _ in range(24):
        child = subprocess.Popen(
            [sys.executable, "-c", KILL_CHILD, str(ROOT), str(book), str(scratch)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        old = digest(book)
        time.sleep(rng.uniform(0.0, window))
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate()
        assert child.returncode == -signal.SIGKILL, err.decode()
        kills += 1
        completed += out.count(b"done")
        mid_write += bool(temps(tmp_path))
        words = [line.split() for line in out.splitlines()]
        built = {w[1].decode() for w in words if len(w) == 2 and w[0] == b"built"}
        assert digest(book) in {old} | built, "the book is neither the old nor a new version"
        verify(book)  # opens, consistent, openpyxl + calamine
        with_sheets = read_registry(book)
        wb = openpyxl.load_workbook(book, read_only=True)
        names = wb.sheetnames
        wb.close()
        assert names == sheets + generated
        assert with_sheets == generated
        bak = backup_path(book)
        if bak.exists():
            verify(bak)
    assert kills >= 20
    assert completed > 0, "no refresh ever completed: the kill window is too short"
    assert mid_write > 0, "no kill landed while a new version was being written"
    # Leftover temp files are clearly named and the next run removes them.
    leftovers = temps(tmp_path)
    assert all(p.name.startswith(".book.") and TEMP_MARK in p.name for p in leftovers)
    atomic_replace(lambda tmp: transplant(book, scratch, tmp), book)
    assert temps(tmp_path) == []
    verify(book)
