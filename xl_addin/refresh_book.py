"""Refresh a workbook file in place: the headless twin of the ribbon's Refresh button.

Read the inputs, compute, draw the generated sheets into a scratch workbook, transplant them into
the user's package (every other part copied byte-for-byte) and replace the file atomically.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .engine.models import KpiWarning, Results
from .engine.pipeline import compute
from .io.file_safety import SameFileError, check_not_locked, plain_os_errors, same_file
from .io.read import read_inputs
from .ooxml import (
    atomic_replace,
    backup_path,
    book_uses_1904_dates,
    check_can_replace,
    transplant,
    verify,
)
from .render import names, render_plan

Progress = Callable[[str], None]

# What each command regenerates, by the render plan's sheet roles.
ALL = ("scorecard", "kpi_values", "charts", "narrative")
SCORECARD_ONLY = ("scorecard",)
CHARTS_ONLY = ("kpi_values", "charts")  # charts draw from KPI Values, so both are redrawn


@dataclass
class RefreshReport:
    book: Path
    written: Path
    reporting_month: pd.Timestamp
    sheets: list[str]
    backup: Path | None
    warnings: list[KpiWarning]
    seconds: float


def _quiet(_: str) -> None:
    pass


def refresh(
    book: str | Path,
    *,
    month=None,
    out: str | Path | None = None,
    backup: bool = True,
    roles: tuple[str, ...] = ALL,
    progress: Progress | None = None,
) -> RefreshReport:
    """Refresh the generated sheets of `book` (or write the refreshed copy to `out`).

    Raises InputError for problems in the input sheets, SurgeryError when the workbook cannot
    be changed safely (a user sheet with a reserved name) and FileSafetyError when a file cannot
    be written (open in Excel or LibreOffice, read-only, a read-only backup, a full disk, `out`
    being the book itself); in every case the files are left exactly as they were. The file
    checks come first, before the inputs are read.
    """
    say = progress or _quiet
    started = time.perf_counter()
    book = Path(book)
    target = _destination(book, out)
    if target is not book:
        check_not_locked(book)  # its saved copy, which we read, may not be what is on screen
    check_can_replace(target, backup=backup)
    say(f"Reading {book.name}")
    results = compute(read_inputs(book), month)
    return write_results(
        book, results, out=out, backup=backup, roles=roles, progress=say, started=started
    )


def write_results(
    book: Path,
    results: Results,
    *,
    out: str | Path | None = None,
    backup: bool = True,
    roles: tuple[str, ...] = ALL,
    progress: Progress | None = None,
    started: float | None = None,
) -> RefreshReport:
    """Draw computed results into the workbook file (the second half of `refresh`)."""
    say = progress or _quiet
    started = time.perf_counter() if started is None else started
    plan = render_plan(results)
    if roles != ALL:
        plan = dataclasses.replace(plan, sheets=tuple(s for s in plan.sheets if s.role in roles))
    target = _destination(book, out)
    say(f"Drawing {len(plan.sheets)} sheets for {results.reporting_month:%B %Y}")
    from .render import write_scratch

    with tempfile.TemporaryDirectory(prefix="xl_addin_") as tmp:
        scratch = Path(tmp) / "generated.xlsx"
        date_1904 = book_uses_1904_dates(book)
        with plain_os_errors(scratch):  # the system's temporary folder may be full
            write_scratch(plan, scratch, date_1904=date_1904)
        say(f"Writing {target.name}")
        keep = _kept_roles(roles)
        extra = {} if keep is None else {"keep_registered": keep}
        kept = atomic_replace(
            lambda tmp_out: transplant(book, scratch, tmp_out, **extra),
            target,
            backup=backup and target.exists(),
            verifier=lambda tmp_out: verify(tmp_out, original=book),
        )
    return RefreshReport(
        book,
        target,
        results.reporting_month,
        plan.sheet_names,
        kept,
        results.reporting_warnings(),
        time.perf_counter() - started,
    )


def _destination(book: Path, out: str | Path | None) -> Path:
    """`out`, unless it is the book itself under another spelling (which `--out` promises to
    leave untouched)."""
    if out is None:
        return book
    out = Path(out)
    if same_file(book, out):
        raise SameFileError(
            f"--out {out} is {book.name} itself: leave out --out to refresh it in place (the "
            f"previous version is kept as {backup_path(book).name}), or give a new file name.",
            out,
        )
    return out


def _kept_roles(roles: tuple[str, ...]) -> Callable[[str], bool] | None:
    """For a partial refresh: which previously generated sheets stay as they are.

    Sheets are recognised by name (the registry holds names): chart sheets by their prefix, so a
    section that no longer exists loses its old chart sheet.
    """
    if roles == ALL:
        return None

    def role_of(name: str) -> str:
        if name.startswith(names.CHARTS_PREFIX):
            return "charts"
        return {names.SCORECARD: "scorecard", names.KPI_VALUES: "kpi_values"}.get(name, "narrative")

    return lambda name: role_of(name) not in roles
