"""The pack's figures: the Scorecard equals `xl-addin kpis` (read back with openpyxl and with
calamine), user text arrives as text, and Summary and Definitions agree with the engine."""

from __future__ import annotations

import datetime as dt
import math
import zipfile

import openpyxl
import pytest
from pack_books import HOSTILE
from pack_helpers import charts, formula_cells, rels, sheet_parts
from python_calamine import CalamineWorkbook
from support.cli import kpis_json

from xl_addin.engine.calculations import CALCULATIONS
from xl_addin.engine.models import SCORECARD_COLUMNS
from xl_addin.export import ExportReport
from xl_addin.export.definitions import COLUMNS
from xl_addin.process_control import words
from xl_addin.render.scorecard import HEADERS

pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension")


def table_rows(rows: list[list], header: tuple[str, ...]) -> list[dict]:
    """The body of the table whose header row is `header` (matched on its first columns)."""
    start = next(i for i, r in enumerate(rows) if tuple(r[: len(header)]) == header)
    out = []
    for r in rows[start + 1 :]:
        if not r or r[0] in (None, ""):
            break
        out.append(dict(zip(header, r[: len(header)], strict=True)))
    return out


def _same(pack_value, cli_value) -> bool:
    if cli_value is None:
        return pack_value in (None, "")
    if isinstance(cli_value, float | int) and not isinstance(cli_value, bool):
        return isinstance(pack_value, int | float) and math.isclose(
            pack_value, cli_value, rel_tol=1e-12, abs_tol=1e-12
        )
    if isinstance(pack_value, dt.datetime | dt.date):
        return pack_value.isoformat()[:10] == cli_value
    return pack_value == cli_value


def _compare(rows: list[dict], expected: list[dict]) -> None:
    assert [r["Measure ID"] for r in rows] == [e["measure_id"] for e in expected]
    for row, exp in zip(rows, expected, strict=True):
        for header, column in zip(HEADERS, SCORECARD_COLUMNS, strict=True):
            if column in ("variation", "assurance"):  # JSON has the code, the sheet its words
                shown = row[header]
                assert shown == words(exp[column]) if exp[column] else shown, (exp, column)
                continue
            assert _same(row[header], exp[column]), (exp["measure_id"], column, row[header])


def test_scorecard_equals_kpis_json_read_with_openpyxl(pack: ExportReport, demo_book) -> None:
    ws = openpyxl.load_workbook(pack.path)["Scorecard"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    _compare(table_rows(rows, HEADERS), kpis_json(demo_book))


def test_scorecard_equals_kpis_json_read_with_calamine(pack: ExportReport, demo_book) -> None:
    sheet = CalamineWorkbook.from_path(str(pack.path)).get_sheet_by_name("Scorecard")
    rows = [list(r) for r in sheet.to_python(skip_empty_area=False)]
    _compare(table_rows(rows, HEADERS), kpis_json(demo_book))


def test_a_formula_typed_as_a_title_arrives_as_text(hostile_pack: ExportReport) -> None:
    book = openpyxl.load_workbook(hostile_pack.path)
    found = [
        (ws.title, c.coordinate, c.data_type, c.quotePrefix)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value == HOSTILE
    ]
    sheets = {f[0] for f in found}
    assert {"Scorecard", "Definitions", "Charts - Demand management"} <= sheets
    assert all(dtype == "s" and quoted for _, _, dtype, quoted in found), found
    assert formula_cells(hostile_pack.path) == []
    with zipfile.ZipFile(hostile_pack.path) as z:
        for part in z.namelist():
            assert all(mode != "External" for _, mode in rels(z, part).values()), part
    # calamine sees the same string, not a formula result
    sheet = CalamineWorkbook.from_path(str(hostile_pack.path)).get_sheet_by_name("Scorecard")
    assert HOSTILE in [c for r in sheet.to_python() for c in r]
    # and the chart title and alt text carry it as text too
    chart = next(c for c in charts(hostile_pack.path) if c.title == HOSTILE)
    assert HOSTILE in chart.description


def test_only_the_cover_has_hyperlinks(hostile_pack: ExportReport) -> None:
    book = openpyxl.load_workbook(hostile_pack.path)
    for ws in book.worksheets:
        if ws.title != "Cover":
            assert not ws._hyperlinks, ws.title


def test_definitions_list_every_measure_and_target(pack: ExportReport, demo_results) -> None:
    ws = openpyxl.load_workbook(pack.path)["Definitions"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    defs = table_rows(rows, COLUMNS)
    measures = demo_results.inputs.measures
    assert {d["Measure ID"] for d in defs} == set(measures.index)
    for d in defs:
        assert d["Calculation"] == measures.at[d["Measure ID"], "calculation"]
        assert d["How it is calculated"] == CALCULATIONS[d["Calculation"]].formula
    listed = {d["Measure ID"]: d["Targets"] for d in defs}
    expected = demo_results.inputs.targets
    for mid, group in expected.groupby("measure"):
        dues = [f"due {d:%d/%m/%Y}" for d in group["date"]]
        assert [part.split(" ", 1)[1] for part in listed[mid].split("; ")] == dues, mid
    assert listed["cla_open"].startswith("615 due 30/06/2022; 605 due 30/09/2022")
    assert listed["cp_visits"].split(" ")[0].endswith("%")
    untargeted = set(measures.index) - set(expected["measure"])
    assert all(listed[m] == "None" for m in untargeted)


def test_summary_counts_and_exceptions(pack: ExportReport, demo_results) -> None:
    ws = openpyxl.load_workbook(pack.path)["Summary"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    counts = table_rows(rows, ("Section", "Red", "Amber", "Green", "No target", "Contextual"))
    card = demo_results.scorecard
    for c in counts:
        group = card[card["section"] == c["Section"]]
        for rating in ("Red", "Amber", "Green", "No target", "Contextual"):
            assert c[rating] == (group["rag"] == rating).sum(), (c["Section"], rating)
    reds = table_rows(rows, ("Measure ID", "Measure", "Section", "Month", "Value", "Target"))
    assert [r["Measure ID"] for r in reds] == list(card.loc[card["rag"] == "Red", "measure_id"])
    full = {r[0]: r for r in rows if r and r[0] in {x["Measure ID"] for x in reds}}
    comments = {c.measure_id: c.text for c in demo_results.commentary if c.kind == "red"}
    for mid, row in full.items():
        assert comments[mid] in row


def test_narrative_carries_the_commentary(pack: ExportReport, demo_results) -> None:
    ws = openpyxl.load_workbook(pack.path)["Narrative"]
    text = [c.value for c in ws["A"] if isinstance(c.value, str)]
    for comment in demo_results.commentary:
        assert "• " + comment.text in text


def test_sheet_parts_are_worksheets_not_chartsheets(pack: ExportReport) -> None:
    # Chart sheets are worksheets holding a chart grid plus its data table, so nothing is hidden.
    assert all("/worksheets/" in part for part in sheet_parts(pack.path).values())
