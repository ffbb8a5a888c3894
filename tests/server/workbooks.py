"""Workbooks as Excel holds them, for the add-in server's tests.

`seed_from_xlsx` turns a file into what the fake Excel of tests/officejs starts from (values,
date formats, tables, names), so the real Office.js client builds its own request from it.
`payload_from_seed` is the request that client sends (getBookData), for the HTTP tests that
talk to the server directly. `user_workbook` is an analyst's own workbook: sheets, a table and
a name of theirs around the four input sheets, and a later month added to Data.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import xlwings as xw
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.table import Table, TableStyleInfo
from support.package_parts import chart_names

import xl_addin
from xl_addin.demo import demo_sheets
from xl_addin.excel.backend import FORMAT_SERIES_MACRO, REGISTRY_NAME, chart_name
from xl_addin.io.write_inputs import ABOUT, write_input_workbook
from xl_addin.render import render_plan
from xl_addin.render.names import SCORECARD
from xl_addin.render.scorecard import COLUMN_OF, TABLE_NAME

EPOCH = dt.datetime(1899, 12, 30)
DATE_FORMAT = "dd/mm/yyyy"


def serial(value: dt.date) -> float:
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return (value - EPOCH).total_seconds() / 86400


def _cell(cell: Any) -> tuple[Any, str]:
    value = cell.value
    if value is None:
        return "", "General"
    if isinstance(value, dt.datetime | dt.date):
        fmt = cell.number_format if cell.number_format != "General" else DATE_FORMAT
        return serial(value), fmt
    if isinstance(value, dt.time):
        return "", "General"
    return value, "General"


def seed_from_xlsx(path: Path) -> dict[str, Any]:
    """Sheets (values from A1, number formats of date cells, tables, chart names) and names."""
    wb = openpyxl.load_workbook(path, data_only=True)
    charts = chart_names(path)
    sheets = []
    for ws in wb.worksheets:
        values, formats = [], []
        for row in ws.iter_rows(min_row=1, min_col=1):
            pairs = [_cell(c) for c in row]
            values.append([v for v, _ in pairs])
            formats.append([f for _, f in pairs])
        sheets.append(
            {
                "name": ws.title,
                "values": values,
                "numberFormats": formats,
                "tables": [{"name": n, "ref": ref} for n, ref in ws.tables.items()],
                "charts": [{"name": n} for n in charts.get(ws.title, [])],
            }
        )
    names = [{"name": n, "formula": "=" + d.attr_text} for n, d in wb.defined_names.items()]
    return {"name": path.name, "sheets": sheets, "names": names}


def payload_from_seed(seed: dict[str, Any], dates: str = "iso") -> dict[str, Any]:
    """The request body xlwings-server's client builds for a workbook in this state: values
    from A1, date cells as ISO text (Excel 2021 and later) or serial numbers."""
    sheets = []
    for s in seed["sheets"]:
        values = copy.deepcopy(s["values"]) or [[""]]
        for r, row in enumerate(values):
            for c, v in enumerate(row):
                fmt = s["numberFormats"][r][c] if r < len(s["numberFormats"]) else "General"
                if dates == "iso" and isinstance(v, int | float) and fmt != "General":
                    when = EPOCH + dt.timedelta(days=v)
                    row[c] = when.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        width = max((len(r) for r in values), default=1)
        values = [r + [""] * (width - len(r)) for r in values]
        tables = []
        for t in s["tables"]:
            c0, r0, c1, r1 = range_boundaries(t["ref"])
            a, b = get_column_letter(c0), get_column_letter(c1)
            tables.append(
                {
                    "name": t["name"],
                    "range_address": f"${a}${r0}:${b}${r1}",
                    "header_row_range_address": f"${a}${r0}:${b}${r0}",
                    "data_body_range_address": f"${a}${r0 + 1}:${b}${r1}",
                    "total_row_range_address": None,
                    "show_headers": True,
                    "show_totals": False,
                    "table_style": "TableStyleMedium2",
                    "show_autofilter": True,
                }
            )
        sheets.append(
            {
                "name": s["name"],
                "values": values,
                "pictures": [],
                "tables": tables,
                "charts": [
                    {
                        "name": c["name"],
                        "chart_type": "Line",
                        "left": 0,
                        "top": 0,
                        "width": 450,
                        "height": 250,
                    }
                    for c in s.get("charts", [])
                ],
                "visibility": "Visible",
            }
        )
    names = [
        {
            "name": n["name"],
            "refers_to": n["formula"],
            "sheet_index": None,
            "address": None,
            "scope_sheet_name": None,
            "scope_sheet_index": None,
            "book_scope": True,
        }
        for n in seed["names"]
    ]
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": seed["name"], "active_sheet_index": 0, "selection": "A1"},
        "names": names,
        "sheets": sheets,
    }


def demo_inputs(folder: Path) -> Path:
    """The demo's four input sheets (and About), never refreshed."""
    path = folder / "Demo performance.xlsx"
    write_input_workbook(demo_sheets(), path, about=ABOUT)
    return path


def _add_own_content(path: Path) -> None:
    """What an analyst's workbook carries besides the inputs: a cover sheet first, a notes
    sheet with a table, and a defined name."""
    wb = openpyxl.load_workbook(path)
    cover = wb.create_sheet("Cover", 0)
    cover["A1"] = "Performance report"
    cover["A2"] = "Owner"
    cover["B2"] = "Head of Performance"
    cover["A3"] = "Version"
    cover["B3"] = 7
    notes = wb.create_sheet("Team notes")
    rows = [("Team", "Lead", "Staff"), ("Front door", "A. Khan", 12), ("Assessment", "B. Lee", 9)]
    for row in rows:
        notes.append(row)
    table = Table(displayName="tblTeams", ref=f"A1:{get_column_letter(len(rows[0]))}{len(rows)}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    notes.add_table(table)
    wb.defined_names["ReportOwner"] = openpyxl.workbook.defined_name.DefinedName(
        "ReportOwner", attr_text="Cover!$B$2"
    )
    wb.save(path)


def user_workbook(folder: Path) -> tuple[Path, Path]:
    """An analyst's workbook (`before`) and the same after adding the next month's column to
    Data (`after`): the monthly routine between two refreshes."""
    sheets = demo_sheets()
    settings = sheets["Settings"].rows
    for row in settings:
        if row and row[0] == "authority":
            row[1] = "Eastmoor Borough Council"
    before = folder / "Eastmoor KPIs.xlsx"
    write_input_workbook(sheets, before)
    _add_own_content(before)

    data = sheets["Data"].rows
    last = data[0][-1]
    nxt = (dt.date(last.year, last.month, 28) + dt.timedelta(days=8)).replace(day=1)
    month_end = (dt.date(nxt.year, nxt.month, 28) + dt.timedelta(days=8)).replace(
        day=1
    ) - dt.timedelta(days=1)
    data[0].append(month_end)
    for row in data[1:]:
        previous = row[-1]
        row.append(round(previous * 1.03) if isinstance(previous, int | float) else previous)
    after = folder / "Eastmoor KPIs (next month).xlsx"
    write_input_workbook(sheets, after)
    _add_own_content(after)
    return before, after


def expectations(path: Path) -> dict[str, Any]:
    """What a refresh must leave in Excel for this workbook, from the engine and render plan
    (not from the add-in): sheets in order, the Scorecard's RAG by measure, every chart with
    its series styling, and the RAG rules."""
    results = xl_addin.compute(xl_addin.read_inputs(path))
    plan = render_plan(results)
    charts = {}
    for sheet in plan.sheets:
        if sheet.charts:
            charts[sheet.name] = [
                {
                    "name": chart_name(c.measure_id),
                    "spanGaps": c.span_gaps,
                    "series": [
                        {
                            "kind": s.kind if s.line else "points",  # SPC points: markers only
                            "color": s.color,
                            "dashed": s.dashed,
                            "marker": s.marker,
                        }
                        for s in c.series
                    ],
                }
                for c in sheet.charts
            ]
    scorecard = next(s for s in plan.sheets if s.name == SCORECARD)
    rag_column = scorecard.table(TABLE_NAME).column_range("RAG")
    rules = [
        {"equals": r.equals, "fill": r.fill}
        for r in scorecard.conditional_formats
        if r.range == rag_column
    ]
    return {
        "generated": [s.name for s in plan.sheets],
        "registry": REGISTRY_NAME,
        "formatSeriesMacro": FORMAT_SERIES_MACRO,
        "scorecard": {
            "sheet": SCORECARD,
            "table": TABLE_NAME,
            "measureHeader": _header("measure"),
            "ragHeader": _header("rag"),
            "rag": {row["measure"]: row["rag"] for row in _kpis(path)},
        },
        "rules": rules,
        "charts": charts,
        "reportingMonth": f"{results.reporting_month:%B %Y}",
    }


def _header(column: str) -> str:
    return next(header for header, name in COLUMN_OF.items() if name == column)


def _kpis(path: Path) -> list[dict[str, Any]]:
    from support.cli import kpis_json

    return kpis_json(path)


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    return path


def _next_month(after: Path, before_seed: dict) -> dict:
    """The column the analyst adds to Data between the two refreshes, as cells to type."""
    seed_after = seed_from_xlsx(after)
    data_after = next(s for s in seed_after["sheets"] if s["name"] == "Data")
    data_before = next(s for s in before_seed["sheets"] if s["name"] == "Data")
    column = max(len(r) for r in data_before["values"])
    return {
        "sheet": "Data",
        "column": column,
        "values": [[row[column] if column < len(row) else ""] for row in data_after["values"]],
        "numberFormats": [
            [row[column] if column < len(row) else "General"] for row in data_after["numberFormats"]
        ],
        "seed": seed_after,
        "expect": expectations(after),
    }


def bad_workbook(folder: Path, demo: Path) -> dict:
    """The demo with text in a Data cell that must hold a number, and the message the command
    line gives for that cell (the dialog in Excel must say the same)."""
    bad = folder / "Bad.xlsx"
    wb = openpyxl.load_workbook(demo)
    ws = wb["Data"]
    cell = ws.cell(row=7, column=ws.max_column)
    cell.value = "n/a"
    where = f"Data!{cell.coordinate}"
    wb.save(bad)
    done = subprocess.run(
        [sys.executable, "-m", "xl_addin.cli", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    line = next(x for x in done.stderr.splitlines() if where in x)
    return {
        "seed": seed_from_xlsx(bad),
        "cell": where,
        "expected": line.split(f"{where}:")[1].strip(),
    }


def function_cases() -> list[dict]:
    """Custom-function calls as Excel makes them (2-D arrays, null for an omitted argument),
    with the engine's own answers."""
    return [
        {
            "id": "RAG",
            "args": [[[0.80], [0.83], [""]], [[0.82], [0.82], [0.82]], None, None, None, None],
            "result": [[xl_addin.rag(0.80, 0.82)], [xl_addin.rag(0.83, 0.82)], [""]],
        },
        {
            "id": "RAG",
            "args": [[[630]], [[600]], [["lower"]], None, None, None],
            "result": [[xl_addin.rag(630, 600, "lower")]],
        },
        {
            "id": "RAG",
            "args": [[[0.8]], [[0.82]], [["sideways"]], None, None, None],
            "error": "#VALUE!",
            "message": "polarity",
        },
    ]


def manifest_excel_api(manifest: str) -> str:
    match = re.search(r'<Set Name="ExcelApi" MinVersion="(\d+)\.(\d+)"', manifest)
    assert match, "the manifest names its ExcelApi minimum"
    return f"{match.group(1)}.{match.group(2)}"


def build_scenarios(folder: Path, demo: Path, excel_api: str) -> Path:
    """Everything the Node tests replay, with what each must leave in Excel."""
    refreshed = folder / "Refreshed on the desktop.xlsx"
    xl_addin.refresh(demo, out=refreshed)
    before, after = user_workbook(folder)
    user_seed = seed_from_xlsx(before)
    major, minor = excel_api.split(".")
    demo_expect = expectations(demo)
    data = {
        "excelApi": excel_api,
        "belowExcelApi": f"{major}.{int(minor) - 1}",
        "workbooks": {
            "demo": {"seed": seed_from_xlsx(demo), "expect": demo_expect},
            "refreshedElsewhere": {"seed": seed_from_xlsx(refreshed), "expect": demo_expect},
            "user": {
                "seed": user_seed,
                "expect": expectations(before),
                "next": _next_month(after, user_seed),
            },
            "bad": bad_workbook(folder, demo),
        },
        "functions": function_cases(),
    }
    return write_json(folder / "scenarios.json", data)
