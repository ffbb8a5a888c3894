"""The ribbon actions as xlwings scripts, for the Office.js add-in (no Python on the PC).

A server (a later issue) builds `xw.Book(json=payload)` from the request, runs one of these with
`xlwings.server.custom_scripts_call(module, name, typehint_to_value={xw.Book: book})` and returns
`book.json()`: the actions the Office.js client applies. XLWINGS_ON_SERVER=true must be set
before xlwings is imported, as for the worksheet functions. The ribbon's FunctionNames in the
manifest map one to one onto these script names.
"""

from __future__ import annotations

import xlwings as xw

from . import actions


@xw.script
def refresh_kpis(book: xw.Book) -> None:
    """Refresh KPIs: every generated sheet from the inputs in the open workbook."""
    actions.refresh(book)


@xw.script
def apply_rag_formatting(book: xw.Book) -> None:
    """Apply RAG formatting to the Scorecard's RAG column."""
    actions.apply_rag(book)


@xw.script
def regenerate_charts(book: xw.Book) -> None:
    """Regenerate the Charts sheets."""
    actions.regenerate_charts(book)


@xw.script
def export_board_pack(book: xw.Book, out: str = "") -> None:
    """Export the board pack to `out`, a path on the server (a book in Excel on the web has no
    folder, so without `out` the analyst is told so)."""
    actions.export(book, out or None)


@xw.script
def validate_inputs(book: xw.Book) -> None:
    """Validate the input sheets and list every problem."""
    actions.validate(book)


@xw.script
def kpis_help(book: xw.Book) -> None:
    """What the buttons do."""
    actions.show_help(book)


SCRIPTS = {
    "refresh": "refresh_kpis",
    "apply_rag": "apply_rag_formatting",
    "regenerate_charts": "regenerate_charts",
    "export": "export_board_pack",
    "validate": "validate_inputs",
    "help": "kpis_help",
}
