"""Replace a workbook on disk so that it is always either the old or the new complete file.

The new version is built into a temporary file in the same folder (so ``os.replace`` is an atomic
rename on one file system), verified, flushed to disk, and only then renamed over the target. A
crash or kill at any moment leaves the target untouched; the temporary file is clearly named
(``.BOOK.xlsx.xl_addin-tmp-<pid>-<token>.xlsx``) and removed by the next run once its writer is
gone. The previous version is kept as ``BOOK.bak.xlsx`` (same extension as the book).

Everything that would stop the replace (a lock file, a read-only book or backup, a folder we may
not write to) is checked before the build starts, and what the system refuses on the way
(permission, a read-only drive, a full disk) is reported as one sentence naming the file
(``xl_addin.io.file_safety``). Verification reads only what the build wrote: parts copied
unchanged from the original are recognised by their CRC and size, so a large sheet of the
user's costs nothing to check.
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

from ..io.file_safety import (
    FileLockedError,
    check_book_writable,
    lock_files,
    plain_os_errors,
    real_path,
)
from . import xmlutil as X
from .errors import SurgeryError, VerificationError, WorkbookLockedError
from .parts import Package

TEMP_MARK = ".xl_addin-tmp-"


def backup_path(target: Path) -> Path:
    """``book.xlsx`` -> ``book.bak.xlsx`` (same folder, same extension)."""
    return target.with_name(f"{target.stem}.bak{target.suffix}")


def lock_file(target: Path) -> Path | None:
    """Excel's (``~$book.xlsx``) or LibreOffice's (``.~lock.book.xlsx#``) lock file beside the
    book, if present."""
    found = lock_files(target)
    return found[0].path if found else None


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


def _unchanged_parts(infos: list[zipfile.ZipInfo], original: Path | None) -> set[str]:
    """Parts whose CRC and size equal the original's part of the same name: copied unchanged."""
    if original is None:
        return set()
    try:
        with zipfile.ZipFile(original) as zf:
            before = {i.filename: (i.CRC, i.file_size) for i in zf.infolist()}
    except (zipfile.BadZipFile, OSError):
        return set()
    return {i.filename for i in infos if before.get(i.filename) == (i.CRC, i.file_size)}


def _read_through(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read a member to its end, which makes zipfile check its CRC."""
    try:
        with zf.open(info) as fh:
            while fh.read(1 << 20):
                pass
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, ValueError) as exc:
        raise VerificationError(f"The new file is damaged (part {info.filename}).") from exc


def verify(book: Path, *, original: Path | None = None) -> None:
    """Raise :class:`VerificationError` unless ``book`` is a complete, openable package.

    Checks: the zip and the CRC of every part; every relationship target exists; every part has
    a content type; openpyxl reads the content types, the workbook part and its sheet list;
    python-calamine lists the sheets (neither reads a sheet's cells).

    With ``original`` (the workbook the new file was made from) the cost follows what was
    written, not the user's data: a part with the original's CRC and size is a byte-for-byte
    copy, so only the other parts are read through, parsed as XML and, for worksheets, read
    by openpyxl cell by cell.
    """
    book = Path(book)
    try:
        with zipfile.ZipFile(book) as zf:
            infos = zf.infolist()
            unchanged = _unchanged_parts(infos, original)
            for info in infos:
                if not info.is_dir() and info.filename not in unchanged:
                    _read_through(zf, info)
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
            if original is not None:
                for n in pkg.names:
                    if n not in unchanged and n.rsplit(".", 1)[-1].lower() in ("xml", "rels"):
                        X.parse(pkg.read(n), n)
    except VerificationError:
        raise
    except (zipfile.BadZipFile, OSError, SurgeryError) as exc:
        raise VerificationError(f"The new file could not be read back: {exc}") from exc

    if original is None:
        _openpyxl_reads(book, lambda part: False)
    else:
        _openpyxl_reads(book, lambda part: part not in unchanged)
    _calamine_reads(book)


def _openpyxl_reads(book: Path, read_cells: Callable[[str], bool]) -> None:
    """What ``openpyxl.load_workbook`` does to find the sheets, and its cell reader for the
    worksheets ``read_cells`` names; other sheets are never opened (a sheet without a
    ``<dimension>`` would otherwise be read in full just to size it)."""
    import warnings
    from collections import defaultdict

    from openpyxl.packaging.relationship import RelationshipList, get_dependents, get_rels_path
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._reader import WorksheetReader
    from openpyxl.worksheet.table import Table
    from openpyxl.xml.functions import fromstring

    try:
        with open(book, "rb") as fh, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = ExcelReader(fh, read_only=False, keep_links=True)
            try:
                reader.read_manifest()
                reader.read_workbook()
                reader.read_properties()
                styled = False
                for sheet, rel in reader.parser.find_sheets():
                    if rel.target not in reader.valid_files:
                        raise VerificationError(
                            f"The new file's sheet {sheet.name} refers to a missing part."
                        )
                    if "chartsheet" in rel.Type or not read_cells(rel.target):
                        continue
                    if not styled:  # cell style indexes must exist in styles.xml
                        apply_stylesheet(reader.archive, reader.wb)
                        styled = True
                    ws = reader.wb.create_sheet(sheet.name)
                    rels_path = get_rels_path(rel.target)
                    ws._rels = (
                        get_dependents(reader.archive, rels_path)
                        if rels_path in reader.valid_files
                        else RelationshipList()
                    )
                    with reader.archive.open(rel.target) as src:
                        # generated sheets hold inline strings; any index reads as ""
                        cells = WorksheetReader(ws, src, defaultdict(str), False, False)
                        cells.bind_all()
                    for table in cells.tables:
                        Table.from_tree(fromstring(reader.archive.read(table)))
            finally:
                reader.archive.close()
    except VerificationError:
        raise
    except Exception as exc:  # openpyxl raises many kinds
        raise VerificationError(f"openpyxl cannot open the new file: {exc}") from exc


def _calamine_reads(book: Path) -> None:
    import python_calamine

    try:
        cal = python_calamine.CalamineWorkbook.from_path(str(book))
        names = list(cal.sheet_names)
        with contextlib.suppress(Exception):
            cal.close()
    except Exception as exc:
        raise VerificationError(f"calamine cannot open the new file: {exc}") from exc
    if not names:
        raise VerificationError("The new file's sheet list could not be read back.")


def atomic_replace(
    build: Callable[[Path], None],
    target: Path,
    *,
    backup: bool = True,
    verifier: Callable[[Path], None] | None = None,
) -> Path | None:
    """Build a new version of ``target`` with ``build(tmp_path)`` and swap it in atomically.

    A symlinked target is followed: the file it points to is replaced and the link kept.
    Before ``build`` runs, refuses with :class:`WorkbookLockedError` when Excel or LibreOffice
    has the book open, and with :class:`~xl_addin.io.file_safety.FileSafetyError` when the book
    or its backup is read-only or the folder cannot be written. A permission, read-only-drive
    or full-disk error on the way also becomes a ``FileSafetyError`` naming the file. On any
    failure (and :class:`VerificationError`, or whatever ``build`` raised) the target and any
    earlier backup are left exactly as they were and the temporary files are removed.
    ``verifier`` defaults to :func:`verify` against the current target. Returns the backup path
    when one was written.
    """
    target = real_path(target)
    bak = check_can_replace(target, backup=backup)
    if verifier is None:
        original = target if target.exists() else None

        def verifier(tmp: Path) -> None:
            verify(tmp, original=original)

    cleanup_stale_temps(target)
    with plain_os_errors(target), _held_temp(target) as tmp:
        build(tmp)
        verifier(tmp)
        if target.exists():
            with contextlib.suppress(OSError):
                shutil.copymode(target, tmp)
        _fsync_file(tmp)
        check_can_replace(target, backup=backup)  # opened elsewhere while we were building?
        if bak is not None:
            with plain_os_errors(bak), _held_temp(bak) as bak_tmp:
                shutil.copyfile(target, bak_tmp)
                with contextlib.suppress(OSError):
                    shutil.copymode(target, bak_tmp)
                _fsync_file(bak_tmp)
                os.replace(bak_tmp, bak)
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            if sys.platform != "win32":
                raise
            raise WorkbookLockedError(  # pragma: no cover - Windows: open in another program
                f"{target.name} could not be replaced because another program has it open: "
                f"close it there and try again.",
                target,
            ) from exc
        with contextlib.suppress(OSError):  # the new file is in place; this only hastens it
            _fsync_dir(target.parent)
    return bak


def check_can_replace(target: Path, *, backup: bool = True) -> Path | None:
    """Refuse, before any work, what would stop :func:`atomic_replace`: a lock file (as
    :class:`WorkbookLockedError`), a read-only book or backup, a folder that cannot be written
    (as ``FileSafetyError``). Returns the backup path that would be written, if any."""
    target = real_path(target)
    bak = backup_path(target) if backup and target.exists() else None
    try:
        check_book_writable(target, bak)
    except FileLockedError as exc:
        raise WorkbookLockedError(str(exc), exc.path) from None
    return bak
