"""Reading an Excel table (ListObject) back as a reader would: one dict per body row."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet


def table_records(ws: Worksheet, name: str) -> list[dict]:
    """The body rows of table `name` on `ws`, each keyed by the table's column names (its
    header row, or for a table without one, like KPI Values, the names it defines)."""
    table = ws.tables[name]
    rows = list(ws[table.ref])
    if table.headerRowCount == 0:
        header = [c.name for c in table.tableColumns]
        return [dict(zip(header, (c.value for c in r), strict=True)) for r in rows]
    header = [c.value for c in rows[0]]
    return [dict(zip(header, (c.value for c in r), strict=True)) for r in rows[1:]]


def table_by_first_column(ws: Worksheet, name: str) -> dict[object, dict]:
    """The same rows keyed by their first column (a measure ID or a section)."""
    return {next(iter(r.values())): r for r in table_records(ws, name)}
