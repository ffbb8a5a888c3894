"""Replace a workbook on disk so that it is always either the old or the new complete file.

The new version is built into a temporary file in the same folder (so ``os.replace`` is an atomic
rename on one file system), verified, flushed to disk, and only then renamed over the target. A
crash or kill at any moment leaves the target untouched; the temporary file is clearly named
(``.BOOK.xlsx.xl_addin-tmp-<pid>-<token>.xlsx``) and removed by the next run once its writer is
gone. The previous version is kept as ``BOOK.bak.xlsx`` (same extension as the book).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import SurgeryError, VerificationError, WorkbookLockedError
from .parts import Package

TEMP_MARK = ".xl_addin-tmp-"


def backup_path(target: Path) -> Path:
    """``book.xlsx`` -> ``book.bak.xlsx`` (same folder, same extension)."""
    return target.with_name(f"{target.stem}.bak{target.suffix}")


def lock_file(target: Path) -> Path | None:
    """Excel's owner file (``~$book.xlsx``) beside the book, if present."""
    full = target.with_name("~$" + target.name)
    if full.exists():
        return full
    # Office sometimes overwrites the first two characters of long names instead.
    if len(target.name) > 2:
        short = target.with_name("~$" + target.name[2:])
        if short.exists() and not target.with_name(target.name[2:]).exists():
            return short
    return None


def _temp_glob(target: Path) -> str:
    return f".{target.name}{TEMP_MARK}*{target.suffix}"


def _is_locked_by_live_writer(path: Path) -> bool:
    """True when another live process still holds this temp file (so it is not stale)."""
    if sys.platform == "win32":  # pragma: no cover - Windows refuses to delete open files
        return False
    import fcntl

    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def cleanup_stale_temps(target: Path) -> list[Path]:
    """Remove temp files left by killed writers for this target; returns what was removed."""
    removed: list[Path] = []
    candidates = [*target.parent.glob(_temp_glob(target))]
    candidates += target.parent.glob(_temp_glob(backup_path(target)))
    for p in candidates:
        if _is_locked_by_live_writer(p):
            continue
        try:
            p.unlink()
            removed.append(p)
        except OSError:
            continue  # still open elsewhere (Windows) or already gone
    return removed


@contextlib.contextmanager
def _held_temp(target: Path) -> Iterator[Path]:
    """Create the temp file and hold an exclusive lock on it while we work (POSIX)."""
    name = f".{target.name}{TEMP_MARK}{os.getpid()}-{secrets.token_hex(4)}{target.suffix}"
    tmp = target.with_name(name)
    fd: int | None = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        if sys.platform == "win32":  # pragma: no cover - an open file cannot be renamed there
            os.close(fd)
            fd = None
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield tmp
    finally:
        if fd is not None:
            os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def verify(book: Path) -> None:
    """Raise :class:`VerificationError` unless ``book`` is a complete, openable package.

    Checks: the zip and every member's CRC; every relationship target exists; every part has
    a content type; openpyxl (read-only) opens it; python-calamine lists its sheets.
    """
    book = Path(book)
    try:
        with zipfile.ZipFile(book) as zf:
            bad = zf.testzip()
            if bad is not None:
                raise VerificationError(f"The new file is damaged (part {bad}).")
        with Package(book) as pkg:
            for src in pkg.rel_sources():
                for r in pkg.dangling(src):
                    raise VerificationError(
                        f"The new file is inconsistent: {src or 'the package'} refers to a "
                        f"missing part {r.target}."
                    )
            for n in pkg.names:
                if n != "[Content_Types].xml" and pkg.content_types.type_of(n) is None:
                    raise VerificationError(f"The new file has a part without a type: {n}.")
    except VerificationError:
        raise
    except (zipfile.BadZipFile, OSError, SurgeryError) as exc:
        raise VerificationError(f"The new file could not be read back: {exc}") from exc

    import warnings

    import openpyxl
    import python_calamine

    try:
        with open(book, "rb") as fh, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(fh, read_only=True, keep_links=True)
            names = list(wb.sheetnames)
            wb.close()
    except Exception as exc:  # openpyxl raises many kinds
        raise VerificationError(f"openpyxl cannot open the new file: {exc}") from exc
    try:
        cal = python_calamine.CalamineWorkbook.from_path(str(book))
        cal_names = list(cal.sheet_names)
        with contextlib.suppress(Exception):
            cal.close()
    except Exception as exc:
        raise VerificationError(f"calamine cannot open the new file: {exc}") from exc
    if not names or not cal_names:
        raise VerificationError("The new file's sheet list could not be read back.")


def atomic_replace(
    build: Callable[[Path], None],
    target: Path,
    *,
    backup: bool = True,
    verifier: Callable[[Path], None] = verify,
) -> Path | None:
    """Build a new version of ``target`` with ``build(tmp_path)`` and swap it in atomically.

    Raises :class:`WorkbookLockedError` when Excel has the book open, and
    :class:`VerificationError` (or whatever ``build`` raised) on failure, in which case the
    target is left exactly as it was and the temporary file is removed. Returns the backup path
    when one was written.
    """
    target = Path(target)
    lock = lock_file(target)
    if lock is not None:
        raise WorkbookLockedError(
            f"{target.name} is open in Excel (found {lock.name}). Close it in Excel first. "
            f"If Excel is not running, delete the hidden file {lock.name} and try again."
        )
    cleanup_stale_temps(target)
    bak: Path | None = None
    with _held_temp(target) as tmp:
        build(tmp)
        verifier(tmp)
        if target.exists():
            with contextlib.suppress(OSError):
                shutil.copymode(target, tmp)
        _fsync_file(tmp)
        if backup and target.exists():
            bak = backup_path(target)
            with _held_temp(bak) as bak_tmp:
                shutil.copyfile(target, bak_tmp)
                with contextlib.suppress(OSError):
                    shutil.copymode(target, bak_tmp)
                _fsync_file(bak_tmp)
                os.replace(bak_tmp, bak)
        try:
            os.replace(tmp, target)
        except PermissionError as exc:  # Windows: the book is open somewhere
            raise WorkbookLockedError(
                f"{target.name} could not be replaced because another program has it open. "
                f"Close it in Excel first."
            ) from exc
        _fsync_dir(target.parent)
    return bak
