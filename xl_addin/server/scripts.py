"""The scripts the add-in server runs: the ribbon's actions, with failures as HTTP errors.

`xl_addin.excel.scripts` wraps each action for xlwings; an action that cannot go ahead shows
the analyst an alert and returns `ActionResult(ok=False)`. Over HTTP that is not enough: the
server must answer 400 with the message (so the Office.js client shows it in a dialog and
applies nothing), or 500 when the action met something unexpected. The scripts here run the same
ribbon actions under the same names and raise `ScriptFailed` instead.

Export differs on purpose: over HTTP there is no folder next to the workbook, and a path chosen
by the caller must never be written on the server, so the server's Export takes no arguments,
writes the pack to the download store and returns a link.
"""

from __future__ import annotations

from . import mode as _server_mode  # noqa: F401  (sets server mode before xlwings)

# isort: split
import logging
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import xlwings as xw

from ..engine.pipeline import compute
from ..excel import actions, ribbon
from ..excel.reader import read_book_inputs
from ..excel.scripts import SCRIPTS
from .downloads import Download, DownloadStore

EXPORT = "export"


class ScriptFailed(Exception):
    """The action told the analyst why it could not go ahead (`unexpected`: not their fault)."""

    def __init__(self, message: str, unexpected: bool) -> None:
        super().__init__(message)
        self.message = message
        self.unexpected = unexpected


@dataclass
class Outcome:
    """What one script run left behind, beyond the actions in the book."""

    store: DownloadStore | None = None
    download: Download | None = None
    message: str = ""
    unexpected: bool = False


_current: ContextVar[Outcome | None] = ContextVar("xl_addin_script_outcome", default=None)


class _UnexpectedErrors(logging.Handler):
    """The actions log a traceback only for what is not the analyst's to fix: that is how a
    failed action is told apart from a problem in the workbook."""

    def emit(self, record: logging.LogRecord) -> None:
        outcome = _current.get()
        if outcome is not None and record.exc_info:
            outcome.unexpected = True


logging.getLogger(actions.__name__).addHandler(_UnexpectedErrors(level=logging.ERROR))


def _raise_unless_ok(result: actions.ActionResult) -> None:
    outcome = _current.get()
    if not result.ok:
        raise ScriptFailed(result.message, bool(outcome and outcome.unexpected))
    if outcome is not None:
        outcome.message = result.message


def _strict(action_id: str, script_name: str) -> Any:
    action = ribbon.ACTIONS[action_id]

    def script(book: xw.Book) -> None:
        _raise_unless_ok(action(book))

    script.__name__ = script.__qualname__ = script_name
    script.__doc__ = action.__doc__
    return xw.script(script)


def pack_filename(book_name: str, reporting_month: Any) -> str:
    """`<workbook> - board pack <yyyy-mm>.xlsx`, as the desktop Export names it."""
    stem = Path(book_name.replace("\\", "/")).stem or "workbook"
    return f"{stem} - board pack {reporting_month:%Y-%m}.xlsx"


def export_board_pack(book: xw.Book) -> None:
    """Export: make the board pack and hand it to the analyst as a download."""
    outcome = _current.get()
    if outcome is None or outcome.store is None:
        raise RuntimeError("export_board_pack runs inside the add-in server only")
    store = outcome.store

    def act(book: Any) -> actions.ActionResult:
        from ..export import export_pack

        results = compute(read_book_inputs(book))
        filename = pack_filename(book.name, results.reporting_month)
        token, path = store.reserve()
        try:
            export_pack(results, path)
        except BaseException:
            store.discard(token)
            raise
        outcome.download = store.publish(token, path, filename)
        month = f"{results.reporting_month:%B %Y}"
        return actions.ActionResult(True, f"The board pack for {month} is ready: {filename}")

    _raise_unless_ok(actions.run_action(book, act))


def _namespace() -> SimpleNamespace:
    scripts = {name: _strict(action, name) for action, name in SCRIPTS.items() if action != EXPORT}
    scripts[SCRIPTS[EXPORT]] = xw.script(export_board_pack)
    return SimpleNamespace(**scripts)


SERVER_SCRIPTS = _namespace()
"""What `custom_scripts_meta` and `custom_scripts_call` are given: one script per action."""


def script_names() -> frozenset[str]:
    return frozenset(vars(SERVER_SCRIPTS))


def begin(store: DownloadStore) -> tuple[Outcome, Any]:
    """Start collecting one run's outcome; pass the token to `end`."""
    outcome = Outcome(store=store)
    return outcome, _current.set(outcome)


def end(token: Any) -> None:
    _current.reset(token)
