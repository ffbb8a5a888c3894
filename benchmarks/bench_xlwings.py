"""What one Refresh sends to Excel through xlwings' remote engine (the Office.js route).

For the demo and for 200 measures x 120 months, prints the number of recorded actions and the
JSON bytes of the reply, by kind, beside a per-cell baseline: the same sheets written one cell
(and one format, one font setting) at a time through the same xlwings API, with the same tables,
rules and charts. Target: actions grow with sheets, tables and charts, not with cells. Run:
    python benchmarks/bench_xlwings.py
(sets XLWINGS_LICENSE_KEY=noncommercial for the run if it is not set).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import xlwings as xw

import xl_addin.excel as kpis
from xl_addin.contract.schema import INPUT_SHEETS
from xl_addin.demo import demo_sheets
from xl_addin.engine.pipeline import compute
from xl_addin.excel import layout
from xl_addin.excel.reader import read_book_inputs
from xl_addin.io.read import read_sheets
from xl_addin.render.build import render_plan

sys.path.insert(0, str(Path(__file__).parent))
from bench_read_compute import build

EPOCH = dt.datetime(1899, 12, 30)
CELL_KINDS = {"setValues", "setNumberFormat", "setFontProperty", "setRangeColor"}
KINDS = {
    "values": {"setValues"},
    "formats": {"setNumberFormat", "setColumnWidth", "setRowHeight"},
    "styles": {
        "setFontProperty",
        "setRangeColor",
        "setWrapText",
        "setAutofit",
        "setHorizontalAlignment",
        "setVerticalAlignment",
    },
    "tables": {"addTable", "resizeTable"},
    "rules": {"addConditionalFormat", "clearConditionalFormats"},
    "charts": {
        "addChart",
        "setChartXAxisValues",
        "setChartTitle",
        "setChartLegend",
        "setChartAxis",
        "runMacro",
        "deleteChart",
    },
}


def _cell(v):
    if v is None:
        return ""
    if isinstance(v, dt.datetime | dt.date):
        d = v if isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day)
        return (d - EPOCH).days
    return v


def payload(sheets: dict, name: str) -> dict:
    """An Office.js-shaped payload of the four input sheets."""
    out = []
    for s in INPUT_SHEETS:
        rows = [[_cell(v) for v in r] for r in sheets[s].rows]
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        out.append(
            {
                "name": s,
                "values": rows,
                "pictures": [],
                "tables": [],
                "charts": [],
                "visibility": "Visible",
            }
        )
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": out,
    }


def per_cell_baseline(data: dict, ours: list[dict]) -> tuple[int, int]:
    """Actions and JSON bytes if values, formats and fonts went cell by cell (everything else,
    tables, rules, charts, widths, as ours)."""
    book = xw.Book(json=json.loads(json.dumps(data)))
    plan = render_plan(compute(read_book_inputs(book)))
    cells_by_sheet = layout.plan_cells(plan)
    for sp in plan.sheets:
        sheet = book.sheets.add(name=sp.name, after=book.sheets[len(book.sheets) - 1])
        cells = dict(cells_by_sheet[sp.name])
        cells.update(layout.chart_data(sp, cells_by_sheet).cells)
        for (r, c), cell in cells.items():
            rng = sheet.range((r + 1, c + 1))
            rng.value = layout.cell_out(cell.value)
            if cell.number_format and not isinstance(cell.value, str):
                rng.number_format = cell.number_format
            if cell.style is not None:
                if cell.style.bold:
                    rng.font.bold = True
                if cell.style.font_color:
                    rng.font.color = cell.style.font_color
    naive = book.json()["actions"]
    rest = [a for a in ours if a["func"] not in CELL_KINDS]
    return len(naive) + len(rest), len(json.dumps({"actions": naive + rest}))


def measure(label: str, data: dict) -> None:
    book = xw.Book(json=json.loads(json.dumps(data)))
    start = time.perf_counter()
    result = kpis.refresh(book)
    seconds = time.perf_counter() - start
    if not result.ok:
        raise SystemExit(result.message)
    actions = book.json()["actions"]
    size = len(json.dumps(book.json()))
    plan = render_plan(compute(read_book_inputs(xw.Book(json=json.loads(json.dumps(data))))))
    n_charts = sum(len(s.charts) for s in plan.sheets)
    n_tables = sum(len(s.tables) for s in plan.sheets)
    counts = Counter(a["func"] for a in actions)
    by_kind = {k: sum(counts[f] for f in fs) for k, fs in KINDS.items()}
    cells = sum(a["row_count"] * a["column_count"] for a in actions if a["func"] == "setValues")
    base_n, base_bytes = per_cell_baseline(data, actions)
    print(
        f"\n{label}: {len(plan.sheets)} sheets, {n_tables} tables, {n_charts} charts, "
        f"{cells:,} cells"
    )
    print(f"  {'':18} {'actions':>9} {'JSON bytes':>12}")
    print(f"  {'xl_addin refresh':18} {len(actions):9,} {size:12,}   ({seconds:.2f} s in Python)")
    print(f"  {'per-cell baseline':18} {base_n:9,} {base_bytes:12,}")
    print(
        "  by kind: "
        + ", ".join(f"{k} {v}" for k, v in by_kind.items())
        + f", other {len(actions) - sum(by_kind.values())}"
    )
    chart_actions = by_kind["charts"] + counts["setPrintArea"]
    print(
        f"  per chart: {chart_actions / max(n_charts, 1):.1f} actions; per table: "
        f"{(counts['addTable'] + counts['resizeTable']) / max(n_tables, 1):.1f} (+ its share of "
        f"values/formats)"
    )


def main() -> None:
    measure("Demo (32 measures x 13 months)", payload(demo_sheets(), "demo.xlsx"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "large.xlsx")
        build(path)
        measure("200 measures x 120 months", payload(read_sheets(path), path.name))


if __name__ == "__main__":
    main()
