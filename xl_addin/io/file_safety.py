"""Checks made before xl_addin writes a file, and plain words for what the system refuses.

Before anything is built: is the destination the input under another spelling (relative,
absolute, through a symlink, in other letter case where the file system ignores case)? Is it
open in Excel or LibreOffice (their lock files sit beside it)? Is it read-only, or in a folder
we may not write to? Refusing then leaves every file as it was. What the system still refuses
later (permission, a read-only drive, a full disk or quota) becomes one sentence that names the
file and says what to do, instead of a traceback.

Root ignores permission bits, so writability is judged by the file's own read-only setting
(mode bits, the Windows attribute, BSD immutable flags) as well as by ``os.access``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import XlAddinError


class FileSafetyError(XlAddinError):
    """A file cannot be written safely, so nothing was changed; the message is one sentence
    naming the file and saying what to do."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class FileLockedError(FileSafetyError):
    """Excel, LibreOffice or another program has the file open."""


class ReadOnlyFileError(FileSafetyError):
    """The file is read-only (or immutable), so xl_addin will not replace it."""


class SameFileError(FileSafetyError):
    """The destination is the input itself, under another spelling perhaps."""


# -- path identity ---------------------------------------------------------------------------


def real_path(path: str | Path) -> Path:
    """Absolute, with every symlink and ``..`` resolved (as far as the path exists)."""
    return Path(os.path.realpath(os.path.abspath(path)))


def names_ignore_case(folder: Path) -> bool:
    """True when the file system holding ``folder`` treats ``Book.xlsx`` and ``book.xlsx`` as one
    file (Windows and macOS by default). Probed with the folder's own name in the other case;
    a path without letters falls back to what the platform usually does."""
    probe = real_path(folder)
    while probe.name and probe.name.swapcase() == probe.name:
        probe = probe.parent
    if not probe.name:
        return sys.platform in ("win32", "darwin")
    try:
        return os.path.samefile(probe, probe.with_name(probe.name.swapcase()))
    except OSError:
        return False


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a == b


def same_file(
    a: str | Path, b: str | Path, *, ignore_case: Callable[[Path], bool] | None = None
) -> bool:
    """Whether ``a`` and ``b`` name the same file, however each is spelled.

    Existing files are compared by identity (``os.path.samefile``: device and inode), which sees
    through symlinks, hard links and letter case. Otherwise the resolved paths are compared, the
    names case-folded when ``ignore_case(folder)`` (default :func:`names_ignore_case`) says the
    file system ignores case.
    """
    try:
        if os.path.samefile(a, b):
            return True
    except OSError:
        pass  # one of them does not exist (yet)
    ra, rb = real_path(a), real_path(b)
    if ra == rb:
        return True
    if not _same_folder(ra.parent, rb.parent):
        return False
    if ra.name == rb.name:
        return True
    decide = ignore_case or names_ignore_case
    return decide(ra.parent) and _fold(ra.name) == _fold(rb.name)


# -- lock files ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LockFile:
    """A lock file beside a workbook: the program that made it and, when recorded, who."""

    path: Path
    program: str
    owner: str = ""


def _excel_owner(lock: Path) -> str:
    """Excel's owner file starts with the user name's length and the name (ANSI)."""
    try:
        data = lock.read_bytes()[:64]
    except OSError:
        return ""
    if not data or not 0 < data[0] < len(data):
        return ""
    name = data[1 : 1 + data[0]].decode("cp1252", "replace")
    return "".join(ch for ch in name if ch.isprintable()).strip()


def _libreoffice_owner(lock: Path) -> str:
    """LibreOffice's lock file is one line: ``name,system user,computer,date,profile;`` (its
    LockFileComponent order); the name is LibreOffice's user name, often blank."""
    try:
        text = lock.read_bytes()[:2000].decode("utf-8", "replace")
    except OSError:
        return ""
    fields = [f.strip() for f in text.split(";", 1)[0].split(",")]
    fields += [""] * (4 - len(fields))
    who = fields[0] or fields[1]
    text = who
    if fields[2]:
        text += f" on {fields[2]}"
    if fields[3]:
        text += f" since {fields[3]}"
    return "".join(ch for ch in text if ch.isprintable()).strip()


def lock_files(path: str | Path) -> list[LockFile]:
    """Excel's (``~$book.xlsx``) and LibreOffice's (``.~lock.book.xlsx#``) lock files beside
    ``path``, and beside the file it links to."""
    path = Path(path)
    found: list[LockFile] = []
    seen: set[Path] = set()
    for p in dict.fromkeys((Path(os.path.abspath(path)), real_path(path))):
        candidates = [(p.with_name("~$" + p.name), "Excel")]
        # Office sometimes overwrites the first two characters of long names instead.
        if len(p.name) > 2 and not p.with_name(p.name[2:]).exists():
            candidates.append((p.with_name("~$" + p.name[2:]), "Excel"))
        candidates.append((p.with_name(f".~lock.{p.name}#"), "LibreOffice"))
        for lock, program in candidates:
            if lock in seen or not lock.is_file():
                continue
            seen.add(lock)
            owner = _excel_owner(lock) if program == "Excel" else _libreoffice_owner(lock)
            found.append(LockFile(lock, program, owner))
    return found


def locked_message(path: Path, lock: LockFile) -> str:
    by = f" by {lock.owner}" if lock.owner else ""
    return (
        f"{path.name} is open in {lock.program}{by} (its hidden lock file {lock.path.name} is "
        f"beside it): close it there and try again; if it is not open on any computer, the lock "
        f"file was left behind when {lock.program} stopped, so delete {lock.path.name} and try "
        f"again."
    )


def check_not_locked(path: str | Path) -> None:
    """Raise :class:`FileLockedError` when Excel or LibreOffice has ``path`` open."""
    path = Path(path)
    locks = lock_files(path)
    if locks:
        raise FileLockedError(locked_message(path, locks[0]), path)


# -- read-only files and folders -------------------------------------------------------------

_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
_IMMUTABLE = sum(
    getattr(stat, f, 0) for f in ("UF_IMMUTABLE", "SF_IMMUTABLE", "UF_APPEND", "SF_APPEND")
)
_WINDOWS_READONLY = getattr(stat, "FILE_ATTRIBUTE_READONLY", 1)


def may_write(path: Path) -> bool:
    """``os.access`` for writing (and, for a folder, entering): whether this user may.

    Kept apart because it is the one check a test run as root cannot provoke for real.
    """
    mode = os.W_OK | (os.X_OK if path.is_dir() else 0)
    return os.access(path, mode)


def is_read_only(path: Path) -> bool:
    """The file's own setting (no write bit, the Windows read-only attribute, an immutable or
    append-only flag), or this user may not write it. Renaming over a file needs only the
    folder's permission, so this must be asked before replacing one."""
    try:
        st = os.stat(path)
    except FileNotFoundError:  # a link to nothing: there is no file to protect
        return False
    if not st.st_mode & _WRITE_BITS:
        return True
    if getattr(st, "st_flags", 0) & _IMMUTABLE:
        return True
    if getattr(st, "st_file_attributes", 0) & _WINDOWS_READONLY:
        return True
    return not may_write(path)


def _on_read_only_drive(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False


def check_folder_writable(folder: Path, name: str) -> None:
    """Raise unless new files (the temporary file, the backup) can be created in ``folder``."""
    folder = Path(os.path.abspath(folder))
    if not folder.is_dir():
        raise FileSafetyError(
            f"The folder {folder} does not exist, so {name} cannot be written there: create "
            f"the folder or choose another one.",
            folder,
        )
    if may_write(folder):
        return
    if _on_read_only_drive(folder):
        raise FileSafetyError(
            f"{folder} is on a read-only drive, so {name} cannot be written there: copy the "
            f"workbook to a drive you can write to and run it there.",
            folder,
        )
    raise FileSafetyError(
        f"xl_addin may not create files in the folder {folder}, so {name} cannot be written: "
        f"ask for write access to that folder, or work on a copy in a folder of your own.",
        folder,
    )


def check_replaceable(path: Path, remedy: str) -> None:
    """Raise when ``path`` exists but must not be replaced: a folder, or read-only.

    ``remedy`` finishes the sentence: what the user can do instead.
    """
    if not os.path.lexists(path):
        return
    if path.is_dir():
        raise FileSafetyError(f"{path} is a folder, not a file: {remedy}.", path)
    if is_read_only(path):
        raise ReadOnlyFileError(
            f"{path.name} is read-only, so xl_addin will not replace it: {remedy}.", path
        )


def check_book_writable(book: Path, backup: Path | None = None) -> None:
    """Everything that would stop a safe replace of ``book`` and the keeping of ``backup``,
    checked before any work is done (refresh and init)."""
    check_not_locked(book)
    check_folder_writable(book.parent, book.name)  # first: a read-only drive is the cause
    check_replaceable(
        book,
        "clear its read-only setting (in its Properties, or chmod u+w) and try again, or "
        "write the result to a new file",
    )
    if backup is None:
        return
    check_not_locked(backup)
    if os.path.lexists(backup) and backup.is_dir():
        raise FileSafetyError(
            f"{backup.name} is a folder, so the previous version of {book.name} cannot be kept "
            f"under that name: rename that folder, or run without a backup (--no-backup).",
            backup,
        )
    if os.path.lexists(backup) and is_read_only(backup):
        raise ReadOnlyFileError(
            f"The backup {backup.name} is read-only and would be replaced by the previous "
            f"version of {book.name}: move it somewhere safe or clear its read-only setting, "
            f"or run without a backup (--no-backup), then try again.",
            backup,
        )


# -- what the system refuses -----------------------------------------------------------------

_NO_SPACE = {errno.ENOSPC, errno.EFBIG} | ({errno.EDQUOT} if hasattr(errno, "EDQUOT") else set())
_DENIED = {errno.EACCES, errno.EPERM}
_MAPPED = _NO_SPACE | _DENIED | {errno.EROFS}


def os_error_in(exc: BaseException) -> OSError | None:
    """The permission, read-only-drive or no-space error behind ``exc``, if there is one
    (libraries such as XlsxWriter and zipfile wrap it in their own errors)."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, OSError) and cur.errno in _MAPPED:
            return cur
        cur = cur.__cause__ or cur.__context__
    return None


def os_error_message(err: OSError, path: Path | None = None) -> str:
    """One sentence for a refused write or read of ``path`` (default: the error's file)."""
    if path is None and err.filename:
        path = Path(os.fsdecode(err.filename))
    if path is None:
        where = what = "the file"
        folder = "The folder"
    else:
        what = path.name or str(path)
        folder = os.path.dirname(os.path.abspath(path))
        where = f"{what} in {folder}"
    if err.errno in _NO_SPACE:
        return (
            f"There is not enough space on the drive (or in your quota) to write {where}, and "
            f"nothing was changed: free some space there, or work in another folder, and try "
            f"again."
        )
    if err.errno == errno.EROFS:
        return (
            f"{folder} is on a read-only drive, so {what} cannot be written there and nothing "
            f"was changed: copy the workbook to a drive you can write to and run it there."
        )
    return (
        f"Permission was refused for {where}, and nothing was changed: close it if another "
        f"program has it open, otherwise ask for access to it and its folder, or work on a "
        f"copy in a folder of your own."
    )


@contextlib.contextmanager
def plain_os_errors(path: Path) -> Iterator[None]:
    """Turn a refused write of ``path`` (anywhere in the exception chain) into a
    :class:`FileSafetyError` naming it; other errors pass through unchanged."""
    try:
        yield
    except FileSafetyError:
        raise
    except Exception as exc:
        err = os_error_in(exc)
        if err is None:
            raise
        raise FileSafetyError(os_error_message(err, path), path) from exc
