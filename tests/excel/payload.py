"""Office.js-shaped payloads built from .xlsx files, and helpers to read recorded actions.

A payload is what the Office.js client posts for a script (xlwings-server's `getBookData`): every
sheet's values from A1 (blanks as "", errors as their text, dates as serial numbers or, on newer
Excel, ISO strings), its tables and charts, and the book's names. We add the `charts` and
`visibility` keys that xlwings 0.37.8 needs (see shared/docs/xlwings.md §1.3).
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.cell import range_boundaries
from support.package_parts import chart_names

XLWINGS_VERSION = "0.37.8"
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
}


def serial(value: dt.date) -> float:
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return (value - EXCEL_EPOCH).total_seconds() / 86400


def _cell(value: Any, dates: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        if dates == "iso":
            return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return serial(value)
    if isinstance(value, dt.time):
        return ""
    return value


def _abs(ref: str) -> str:
    c0, r0, c1, r1 = range_boundaries(ref)
    from openpyxl.utils import get_column_letter as L

    return f"${L(c0)}${r0}:${L(c1)}${r1}"


def payload_from_xlsx(path: Path, dates: str = "serial") -> dict:
    """The payload Excel would send for this workbook (`dates`: "serial" or "iso")."""
    path = Path(path)
    values_wb = openpyxl.load_workbook(path, data_only=True)
    charts = chart_names(path)
    sheets = []
    for ws in values_wb.worksheets:
        rows = [
            [_cell(v, dates) for v in row]
            for row in ws.iter_rows(min_row=1, min_col=1, values_only=True)
        ]
        width = max((len(r) for r in rows), default=0)
        rows = [r + [""] * (width - len(r)) for r in rows] or [[""]]
        tables = []
        for name, ref in ws.tables.items():
            c0, r0, c1, r1 = range_boundaries(ref)
            from openpyxl.utils import get_column_letter as L

            headed = ws.tables[name].headerRowCount != 0  # KPI Values has dated headers above
            tables.append(
                {
                    "name": name,
                    "range_address": _abs(ref),
                    "header_row_range_address": f"${L(c0)}${r0}:${L(c1)}${r0}" if headed else None,
                    "data_body_range_address": f"${L(c0)}${r0 + headed}:${L(c1)}${r1}",
                    "total_row_range_address": None,
                    "show_headers": headed,
                    "show_totals": False,
                    "table_style": "TableStyleMedium2",
                    "show_autofilter": headed,
                }
            )
        sheets.append(
            {
                "name": ws.title,
                "values": rows,
                "pictures": [],
                "tables": tables,
                "charts": [
                    {
                        "name": n,
                        "chart_type": "Line",
                        "left": 0,
                        "top": 0,
                        "width": 450,
                        "height": 250,
                    }
                    for n in charts.get(ws.title, [])
                ],
                "visibility": "Visible",
            }
        )
    names = []
    for name, dn in values_wb.defined_names.items():
        names.append(
            {
                "name": name,
                "sheet_index": None,
                "address": None,
                "refers_to": "=" + dn.attr_text,
                "scope_sheet_name": None,
                "scope_sheet_index": None,
                "book_scope": True,
            }
        )
    return {
        "client": "Office.js",
        "version": XLWINGS_VERSION,
        "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": names,
        "sheets": sheets,
    }


def book_from(payload: dict):
    """A fresh remote-engine book: xw.Book(json=) mutates its input, so always from a copy."""
    import xlwings as xw

    return xw.Book(json=copy.deepcopy(payload))


def actions_of(book) -> list[dict]:
    return book.json()["actions"]


def funcs(actions: list[dict]) -> list[str]:
    return [a["func"] for a in actions]


def sheet_names_after(payload: dict, actions: list[dict]) -> list[str]:
    """Sheet names once addSheet / sheetDelete actions are applied (as the client would)."""
    names = [s["name"] for s in payload["sheets"]]
    for a in actions:
        if a["func"] == "addSheet":
            names.insert(a["args"][0], a["args"][1])
        elif a["func"] == "sheetDelete":
            del names[a["sheet_position"]]
    return names


def grid_writes(actions: list[dict], payload: dict) -> dict[str, list[list]]:
    """The values written per sheet: setValues actions replayed onto blank grids by sheet name."""
    names = [s["name"] for s in payload["sheets"]]
    out: dict[str, dict[tuple[int, int], Any]] = {}
    for a in actions:
        if a["func"] == "addSheet":
            names.insert(a["args"][0], a["args"][1])
        elif a["func"] == "sheetDelete":
            del names[a["sheet_position"]]
        elif a["func"] == "setValues":
            cells = out.setdefault(names[a["sheet_position"]], {})
            for i, row in enumerate(a["values"]):
                for j, v in enumerate(row):
                    cells[(a["start_row"] + i, a["start_column"] + j)] = v
    grids = {}
    for name, cells in out.items():
        nrows = max(r for r, _ in cells) + 1
        ncols = max(c for _, c in cells) + 1
        grid = [[""] * ncols for _ in range(nrows)]
        for (r, c), v in cells.items():
            grid[r][c] = v
        grids[name] = grid
    return grids


def on_sheet(actions: list[dict], payload: dict, sheet: str) -> list[dict]:
    """The actions addressed to one sheet (by name, tracking added and deleted sheets)."""
    names = [s["name"] for s in payload["sheets"]]
    out = []
    for a in actions:
        if a["func"] == "addSheet":
            names.insert(a["args"][0], a["args"][1])
            continue
        pos = a.get("sheet_position")
        if pos is not None and pos < len(names) and names[pos] == sheet:
            out.append(a)
        if a["func"] == "sheetDelete":
            del names[pos]
    return out
