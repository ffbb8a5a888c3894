"""What the file-safety tests share: running the command, the one-sentence rule, snapshots of a
folder, and conditions a test run as root can still make real (an immutable file, a small or
read-only drive)."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from xl_addin import cli

SPELLINGS = ["relative", "absolute", "dotdot", "symlink", "hard link"]


def spellings(folder: Path, book: Path) -> dict[str, str]:
    """The same file `folder/book.xlsx` named five ways, as a user might (cwd is `folder`)."""
    (folder / "sub").mkdir()
    os.symlink(book, folder / "link.xlsx")
    os.link(book, folder / "hard.xlsx")
    return {
        "relative": "book.xlsx",
        "absolute": str(book),
        "dotdot": "sub/../book.xlsx",
        "symlink": "link.xlsx",
        "hard link": "hard.xlsx",
    }


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`xl-addin ARGS` in this process (so monkeypatches apply): exit code, stdout, stderr."""
    capsys.readouterr()
    code = cli.main([*args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_refused(code: int, err: str, *names: str) -> None:
    """Exit code 2 and one plain sentence on stderr that names each of `names`."""
    assert code == 2, err
    text = err.strip()
    assert "\n" not in text, f"more than one line: {text!r}"
    assert "unexpected" not in text and "Traceback" not in text, text
    assert text.endswith("."), text
    stripped = text
    for name in sorted(names, key=len, reverse=True):
        assert name in text, f"{name!r} not named in {text!r}"
        stripped = stripped.replace(name, "NAME")
    inner = re.findall(r"[.!?]\s+[A-Z]", stripped[:-1])
    assert not inner, f"more than one sentence: {text!r}"


def snapshot(folder: Path) -> dict[str, object]:
    """Every entry under `folder`: bytes of files, targets of links (so 'nothing changed and
    nothing left behind' is one equality)."""
    out: dict[str, object] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = Path(root, name)
            key = str(p.relative_to(folder))
            if p.is_symlink():
                out[key] = ("link", os.readlink(p))
            elif p.is_file():
                out[key] = p.read_bytes()
            else:
                out[key] = "folder"
    return out


def sheet_names(path: Path) -> list[str]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    """`chattr +i`: even root may not change, rename over or create in it (skips where the file
    system has no such flag)."""
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"chattr +i is not available here: {done.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True, check=False)


@contextlib.contextmanager
def small_drive(mount_point: Path, size_kb: int, *, read_only: bool = False) -> Iterator[Path]:
    """A tmpfs of `size_kb` KB at `mount_point` (skips where mounting is not allowed)."""
    mount_point.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, check=False)


def remount_read_only(mount_point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)


def fill(folder: Path, leave_kb: int) -> None:
    """Fill the drive holding `folder` until about `leave_kb` KB are free."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize - leave_kb * 1024
    if free > 0:
        (folder / "filler.bin").write_bytes(b"\0" * free)
