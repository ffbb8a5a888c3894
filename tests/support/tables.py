"""Reading an Excel table (ListObject) back as a reader would: one dict per body row."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet


def table_records(ws: Worksheet, name: str) -> list[dict]:
    """The body rows of table `name` on `ws`, each keyed by the table's header row."""
    rows = list(ws[ws.tables[name].ref])
    header = [c.value for c in rows[0]]
    return [dict(zip(header, (c.value for c in r), strict=True)) for r in rows[1:]]


def table_by_first_column(ws: Worksheet, name: str) -> dict[object, dict]:
    """The same rows keyed by their first column (a measure ID or a section)."""
    return {next(iter(r.values())): r for r in table_records(ws, name)}
