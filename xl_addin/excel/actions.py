"""The ribbon's buttons as plain functions of an open workbook.

Each takes an `xw.Book` (default: the workbook the button was pressed in) and works the same on
desktop Excel and on a book built from an Office.js payload. What goes wrong in the workbook is
shown to the analyst as an alert naming sheet and cell, never as a Python traceback; progress goes
to Excel's status bar where the engine has one (the remote engine has none).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import Any

from ..engine.models import Results
from ..engine.pipeline import compute
from ..errors import InputError, Problem, XlAddinError
from ..ooxml.errors import SurgeryError
from ..render.build import render_plan
from ..render.names import SCORECARD
from ..render.plan import CellRange
from ..render.scorecard import TABLE_NAME, rag_rules_for
from . import backend
from .errors import WorkbookError
from .functions import FUNCTIONS
from .reader import read_book_inputs, sheet_by_exact_name

log = logging.getLogger(__name__)

TITLE = "KPIs"
MAX_LISTED = 25  # problems listed in one alert; the rest are counted
HELP = (
    "KPIs tab\n"
    "- Refresh KPIs: recompute every measure from Settings, Measures, Data and Targets and "
    "rewrite Scorecard, KPI Values, the Charts sheets and Narrative.\n"
    "- Apply RAG: colour the Scorecard's RAG column again.\n"
    "- Regenerate charts: redraw the Charts sheets.\n"
    "- Export: write the board pack next to this workbook (in Excel on the web: download it).\n"
    "- Validate: list every problem in the input sheets, with its cell.\n"
    "Worksheet functions: " + ", ".join(f.__name__ for f in FUNCTIONS) + ".\n"
    "Full guide: docs/excel-addin.md in the xl_addin project."
)


@dataclass
class ActionResult:
    """What a button did: `ok` is False when the analyst was shown a problem."""

    ok: bool
    message: str
    value: Any = None


def caller_book(book: Any = None) -> Any:
    """The given book, or the one whose button called Python (desktop `RunPython`)."""
    if book is not None:
        return book
    import xlwings as xw

    return xw.Book.caller()


def _alert(book: Any, text: str, mode: str) -> None:
    try:
        book.app.alert(text, title=TITLE, mode=mode)
    except Exception:  # an alert that cannot be shown must not hide the message
        log.warning("could not show an alert: %s", text)


def _set_status(book: Any, text: str | bool) -> None:
    with suppress(NotImplementedError):  # the remote engine has no status bar
        book.app.status_bar = text


@contextmanager
def _status(book: Any, start: str) -> Iterator[Callable[[str], None]]:
    """Progress in Excel's status bar, cleared (given back to Excel) at the end."""

    def show(text: str) -> None:
        _set_status(book, f"xl_addin: {text}...")

    show(start)
    try:
        yield show
    finally:
        _set_status(book, False)


def problems_text(exc: InputError) -> str:
    """The problems as the alert shows them: every one names its sheet and cell."""
    problems = exc.problems
    n = len(problems)
    lines = [f"The workbook has {n} problem{'s' if n != 1 else ''} to fix:"]
    lines += [f"- {p}" for p in problems[:MAX_LISTED]]
    if n > MAX_LISTED:
        lines.append(f"... and {n - MAX_LISTED} more (fix these and click Validate again).")
    return "\n".join(lines)


def run_action(book: Any, action: Callable[[Any], ActionResult]) -> ActionResult:
    """Run one button, turning anything that goes wrong into an alert (never a traceback)."""
    book = caller_book(book)
    try:
        return action(book)
    except InputError as exc:
        text = problems_text(exc)
    except (XlAddinError, SurgeryError) as exc:
        text = str(exc)
    except Exception as exc:  # the promise: a plain message, details in the log
        log.exception("xl_addin action failed")
        text = (
            f"Something unexpected went wrong ({type(exc).__name__}: {exc}). Nothing more was "
            "changed. Please report it with the workbook if you can."
        )
        print(text, file=sys.stderr)
    _alert(book, text, "critical")
    return ActionResult(False, text)


def _results(book: Any, show: Callable[[str], None]) -> Results:
    show("reading the input sheets")
    inputs = read_book_inputs(book)
    show("computing")
    return compute(inputs)


# -- The buttons ----------------------------------------------------------------------------


def refresh(book: Any = None) -> ActionResult:
    """Refresh KPIs: read the inputs, recompute everything, rewrite every generated sheet."""

    def act(book: Any) -> ActionResult:
        with _status(book, "refreshing") as show:
            results = _results(book, show)
            plan = render_plan(results)
            report = backend.apply_plan(book, plan, progress=show)
        message = (
            f"Refreshed {len(results.scorecard)} measures for {results.reporting_month:%B %Y}."
        )
        return ActionResult(True, message, report)

    return run_action(book, act)


def regenerate_charts(book: Any = None) -> ActionResult:
    """Regenerate charts: recompute and redraw only the `Charts - <section>` sheets."""

    def act(book: Any) -> ActionResult:
        with _status(book, "regenerating charts") as show:
            plan = render_plan(_results(book, show))
            report = backend.apply_plan(book, plan, roles=["charts"], progress=show)
        n = sum(len(s.charts) for s in plan.by_role("charts"))
        return ActionResult(True, f"Redrew {n} charts.", report)

    return run_action(book, act)


def scorecard_rag_range(book: Any) -> tuple[Any, CellRange]:
    """The sheet and body cells of the Scorecard table's RAG column, found in the open book."""
    sheet = sheet_by_exact_name(book, SCORECARD)
    table = None
    if sheet is not None:
        table = next((t for t in sheet.tables if t.name.casefold() == TABLE_NAME.casefold()), None)
    if table is None:
        raise WorkbookError(
            f"{SCORECARD}: there is no table named {TABLE_NAME} to colour. Click Refresh KPIs "
            "first."
        )
    headers = table.header_row_range.options(ndim=1).value
    names = [str(h).strip().casefold() if h is not None else "" for h in headers]
    if "rag" not in names:
        where = table.header_row_range.address.replace("$", "")
        raise WorkbookError(f"{SCORECARD}!{where}: the {TABLE_NAME} table has no RAG column.")
    body = table.data_body_range
    col = body.column - 1 + names.index("rag")
    rows, _ = body.shape
    return sheet, CellRange(SCORECARD, body.row - 1, col, body.row + rows - 2, col)


def apply_rag(book: Any = None) -> ActionResult:
    """Apply RAG formatting: replace the rules on the Scorecard's RAG column with the standard
    text rules (the same ones Refresh writes), without recomputing anything."""

    def act(book: Any) -> ActionResult:
        sheet, rng = scorecard_rag_range(book)
        target = sheet.range(
            (rng.first_row + 1, rng.first_col + 1), (rng.last_row + 1, rng.last_col + 1)
        )
        target.conditional_formats.clear()
        backend.add_rules(sheet, rag_rules_for(rng))
        return ActionResult(True, f"Coloured {SCORECARD}!{rng.a1}.", rng)

    return run_action(book, act)


def book_file(book: Any) -> Path | None:
    """The open book's file on this computer, or None (never saved, or Excel on the web)."""
    fullname = str(book.fullname)
    path = PureWindowsPath(fullname) if "\\" in fullname else Path(fullname)
    return Path(str(path)) if path.is_absolute() else None


def default_export_path(book: Any, results: Results) -> Path:
    """`<workbook> - board pack <yyyy-mm>.xlsx` in the workbook's folder.

    A book open in Excel on the web (or never saved) has no folder on this computer, so the
    analyst is told to save it first or say where to write.
    """
    fullname = str(book.fullname)
    path = PureWindowsPath(fullname) if "\\" in fullname else Path(fullname)
    if not path.is_absolute():
        raise WorkbookError(
            f"'{book.name}' has no folder on this computer (it is not saved yet, or it is open in "
            "Excel on the web), so there is nowhere next to it to write the board pack. Save it "
            "to a folder first, or give the place to write to."
        )
    stem = path.stem
    return Path(str(path.parent)) / f"{stem} - board pack {results.reporting_month:%Y-%m}.xlsx"


def _export_pack() -> Callable[..., Any]:
    """`xl_addin.export.export_pack`; an install without it says so instead of failing."""
    try:
        from ..export import export_pack
    except ImportError as exc:
        raise WorkbookError(
            "Export is not available in this installation of xl_addin (the board-pack writer, "
            "xl_addin.export, is missing). Nothing was written."
        ) from exc
    return export_pack


def export(book: Any = None, out: str | Path | None = None, *, force: bool = False) -> ActionResult:
    """Export: write the board pack (values only, no macros) next to the workbook or to `out`.

    The same file rules as `xl-addin export`: never onto the open workbook's own file or any
    workbook with input sheets; an existing file is replaced only when it is an earlier board
    pack (or with `force`), never when it is read-only or open in Excel or LibreOffice. The open
    book's own lock file is expected (Excel made it), and the book is read from Excel, not disk.
    """

    def act(book: Any) -> ActionResult:
        with _status(book, "exporting") as show:
            results = _results(book, show)
            target = Path(out) if out else default_export_path(book, results)
            export_pack = _export_pack()
            report = export_pack(
                results,
                target,
                progress=lambda text, _fraction: show(text),
                source=book_file(book),
                force=force,
            )
        path = Path(getattr(report, "path", None) or target)
        message = f"The board pack for {results.reporting_month:%B %Y} is at:\n{path}"
        _alert(book, message, "info")
        return ActionResult(True, message, report)

    return run_action(book, act)


def ready_text(book_name: str, results: Results) -> str:
    """The same summary the command line's `validate` prints."""
    inputs = results.inputs
    months = inputs.data.columns
    text = (
        f"{book_name} is ready: {len(inputs.measures)} measures, {len(months)} months "
        f"({months.min():%b %Y} to {months.max():%b %Y}), {len(inputs.targets)} targets; "
        f"reporting month {results.reporting_month:%B %Y}."
    )
    warnings = results.reporting_warnings()
    if warnings:
        text += f"\n{len(warnings)} warning{'s' if len(warnings) != 1 else ''}:"
        text += "".join(f"\n- {w}" for w in warnings[:MAX_LISTED])
        if len(warnings) > MAX_LISTED:
            text += f"\n... and {len(warnings) - MAX_LISTED} more (see the Scorecard)."
    return text


def validate(book: Any = None) -> ActionResult:
    """Validate: list every problem in the input sheets (with its cell), or say all is well."""

    def act(book: Any) -> ActionResult:
        with _status(book, "checking the input sheets") as show:
            results = _results(book, show)
            show("checking the generated sheets' names")
            clashes = backend.collisions(book, render_plan(results))
        if clashes:
            raise InputError([Problem(None, None, str(e)) for e in clashes])
        message = ready_text(book.name, results)
        _alert(book, message, "info")
        return ActionResult(True, message, results)

    return run_action(book, act)


def show_help(book: Any = None) -> ActionResult:
    """Help: what each button does, and where the guide is."""

    def act(book: Any) -> ActionResult:
        _alert(book, HELP, "info")
        return ActionResult(True, HELP)

    return run_action(book, act)
