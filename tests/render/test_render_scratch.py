"""The scratch workbook as written by XlsxWriter, read back the way users' tools read it."""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from render_helpers import defined_names, read_charts, results_with

from xl_addin.engine.models import SCORECARD_COLUMNS
from xl_addin.render import render_scratch, write_scratch
from xl_addin.render.colours import SPC_SWATCHES
from xl_addin.render.names import chart_sheet_names
from xl_addin.render.plan import Plan
from xl_addin.render.scorecard import HEADERS, SHOWN_AS
from xl_addin.render.values import month_header
from xl_addin.render.xlsx_scratch import WORKBOOK_OPTIONS

# one rounding rule on every sheet: percentages and rates to one decimal, whole counts
UNIT_FORMATS = {"percent": "0.0%", "rate": "#,##0.0", "ratio": "#,##0.0", "count": "#,##0"}
SERIES_FORMATS = UNIT_FORMATS
UNIT_COLUMNS = {"Value", "Previous", "Target", "Forecast"}


def _expected(value):
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _table_cells(ws, table):
    """Header texts and body rows; a table without a header row of its own (KPI Values) names
    its columns in its definition, and its body starts on its first row."""
    rows = list(ws[table.ref])
    if table.headerRowCount == 0:
        return [c.name for c in table.tableColumns], rows
    header = [c.value for c in rows[0]]
    return header, rows[1:]


def test_only_generated_sheets(scratch_book, demo_plan: Plan) -> None:
    assert scratch_book.sheetnames == demo_plan.sheet_names


def test_scorecard_table_matches_results(scratch_book, demo_results) -> None:
    ws = scratch_book["Scorecard"]
    table = ws.tables["Scorecard"]
    header, body = _table_cells(ws, table)
    assert header == [c.name for c in table.tableColumns] == list(HEADERS)
    card = demo_results.scorecard
    assert len(body) == len(card)
    first_row = body[0][0].row
    assert table.ref == f"A{first_row - 1}:N{first_row + len(card) - 1}"
    for cells, (_, rec) in zip(body, card.iterrows(), strict=True):
        for cell, heading, column in zip(cells, HEADERS, SCORECARD_COLUMNS, strict=True):
            want = _expected(rec[SHOWN_AS.get(column, column)])  # SPC codes shown as words
            if isinstance(want, float):
                assert cell.value == pytest.approx(want, rel=1e-14), (rec["measure_id"], heading)
            else:
                assert cell.value == want, (rec["measure_id"], heading)
            if heading in UNIT_COLUMNS and cell.value is not None:  # a blank is not written
                assert cell.number_format == UNIT_FORMATS[rec["unit"]], rec["measure_id"]
            elif heading == "Month":
                assert cell.number_format == "mmm-yy"
            elif heading == "Target date" and cell.value is not None:
                assert cell.number_format == "dd/mm/yyyy"


def test_scorecard_holds_values_not_formulas(scratch_book) -> None:
    for ws in scratch_book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)


def test_rag_conditional_formats_on_exactly_the_rag_column(scratch_book, demo_results) -> None:
    ws = scratch_book["Scorecard"]
    header, body = _table_cells(ws, ws.tables["Scorecard"])

    def column(name: str) -> str:
        letter = body[0][header.index(name)].column_letter
        return f"{letter}{body[0][0].row}:{letter}{body[-1][0].row}"

    rag_range = column("RAG")
    spc_ranges = {column("Variation"), column("Assurance")}
    rules, spc_words = {}, {r: set() for r in spc_ranges}
    for cf in ws.conditional_formatting:
        if str(cf.sqref) in spc_ranges:  # MDC colours on the SPC words
            spc_words[str(cf.sqref)] |= {r.formula[0].strip('"') for r in cf.rules}
            continue
        assert str(cf.sqref) == rag_range
        for rule in cf.rules:
            assert (rule.type, rule.operator) == ("cellIs", "equal")
            rules[rule.formula[0]] = rule
    assert set(rules) == {'"Red"', '"Amber"', '"Green"', '"No target"', '"Contextual"'}
    assert rules['"Red"'].dxf.fill.bgColor.rgb.endswith("FFC7CE")
    assert rules['"Red"'].dxf.font.color.rgb.endswith("9C0006")
    assert set(demo_results.scorecard["rag"]) <= {f.strip('"') for f in rules}
    for words in spc_words.values():
        assert words == set(SPC_SWATCHES)


def test_scorecard_layout(scratch_book, demo_results) -> None:
    ws = scratch_book["Scorecard"]
    assert ws["A1"].value == "Northshire Council (demo): Performance scorecard, October 2022"
    header_row = ws.tables["Scorecard"].ref.split(":")[0][1:]
    assert ws.freeze_panes == f"A{int(header_row) + 1}"
    texts = [ws.cell(r, 1).value for r in range(1, int(header_row))]
    assert any(t and t.startswith("RAG key. Green: within 2%") for t in texts)
    assert ws.column_dimensions["B"].width > 40


def test_warnings_are_listed_below_the_table(tmp_path: Path, demo_results) -> None:
    data = demo_results.inputs.data.copy()
    data.loc["cp_open", pd.Timestamp("2022-10-31")] = float("nan")
    results = results_with(data=data)
    warnings = [str(w) for w in results.reporting_warnings()]
    assert warnings
    path = tmp_path / "warn.xlsx"
    render_scratch(results, path)
    ws = openpyxl.load_workbook(path)["Scorecard"]
    last = int(ws.tables["Scorecard"].ref.split(":")[1][1:])
    below = [ws.cell(r, 1).value for r in range(last + 1, ws.max_row + 1)]
    assert "Warnings for October 2022" in below
    assert below.index("Warnings for October 2022") < below.index(warnings[0])
    for w in warnings:
        assert w in below
    narrative = [c.value for c in openpyxl.load_workbook(path)["Narrative"]["A"]]
    assert any(v and warnings[0] in v for v in narrative)


def test_kpi_values_table_matches_series(scratch_book, demo_results) -> None:
    ws = scratch_book["KPI Values"]
    table = ws.tables["KPIValues"]
    header, body = _table_cells(ws, table)
    wide = demo_results.wide()
    assert header[:2] == ["Measure ID", "Measure"]
    assert header[2:] == [month_header(m) for m in wide.columns]  # names for KPIValues[Oct-22]
    above = [c.value for c in ws[body[0][0].row - 1]][: len(header)]
    assert above[:2] == ["Measure ID", "Measure"]  # the row above shows real dates
    assert above[2:] == [m.to_pydatetime() for m in wide.columns]
    units = demo_results.scorecard.set_index("measure_id")["unit"]
    assert [r[0].value for r in body] == list(wide.index)
    for cells in body:
        mid = cells[0].value
        for cell, want in zip(cells[2:], wide.loc[mid], strict=True):
            if math.isnan(want):
                assert cell.value is None  # not written at all: a chart caches it as a gap
            else:
                assert cell.value == pytest.approx(want, rel=1e-14)
                assert cell.number_format == SERIES_FORMATS[units[mid]]


def test_kpi_targets_table_holds_targets_in_force(scratch_book, demo_results) -> None:
    ws = scratch_book["KPI Values"]
    _, body = _table_cells(ws, ws.tables["KPITargets"])
    targets = demo_results.wide("target_line")
    with_target = set(demo_results.series.dropna(subset=["target_line"])["measure_id"])
    assert {r[0].value for r in body} == with_target
    for cells in body:
        row = targets.loc[cells[0].value]
        for cell, month in zip(cells[2:], targets.columns, strict=True):
            want = row[month]
            assert (cell.value is None) if math.isnan(want) else cell.value == pytest.approx(want)


def _cell_values(book, ref: str) -> list:
    sheet, cells = ref.split("!")
    ws = book[sheet.strip("'")]
    return [c.value for row in ws[cells.replace("$", "")] for c in row]


def test_every_charted_measure_has_its_chart(scratch_path, scratch_book, demo_results) -> None:
    charts = read_charts(scratch_path)
    card = demo_results.scorecard
    ws = scratch_book["KPI Values"]
    _, values_body = _table_cells(ws, ws.tables["KPIValues"])
    _, target_body = _table_cells(ws, ws.tables["KPITargets"])
    value_row = {r[0].value: r[0].row for r in values_body}
    target_row = {r[0].value: r[0].row for r in target_body}
    months = [m.to_pydatetime() for m in demo_results.wide().columns]
    last_col = openpyxl.utils.get_column_letter(2 + len(months))
    sections = list(dict.fromkeys(card["section"]))
    names = chart_sheet_names(sections, {"scorecard", "kpi values", "narrative"})
    seen = []
    for sheet, found in charts.items():
        if not sheet.startswith("Charts - "):
            assert found == [], sheet
            continue
        section = card[card["section"].map(lambda s, sheet=sheet: sheet == names[s])]
        wanted = section[section["chart"] != "none"]
        assert [c.title for c in found] == list(wanted["measure"])
        for chart, (_, rec) in zip(found, wanted.iterrows(), strict=True):
            mid = rec["measure_id"]
            seen.append(mid)
            value, *rest = chart.series
            if rec["chart"] == "spc":  # mean, limits and special-cause points come first
                assert {s.name for s in rest[:3]} == {
                    "Mean",
                    "Upper process limit",
                    "Lower process limit",
                }
                rest = [s for s in rest if s.name in ("Target", "Target path")]
            assert value.chart_type == ("barChart" if rec["chart"] == "column" else "lineChart")
            assert value.values == f"'KPI Values'!$C${value_row[mid]}:${last_col}${value_row[mid]}"
            assert _cell_values(scratch_book, value.categories) == months
            assert not value.dashed
            if mid in target_row:
                (target,) = rest
                assert target.chart_type == "lineChart" and target.dashed
                row = target_row[mid]
                assert target.values == f"'KPI Values'!$C${row}:${last_col}${row}"
                assert target.categories == value.categories
                assert target.name == "Target"
            else:
                assert rest == []
            assert chart.date_axis_format == "mmm-yy"
            assert chart.legend_position == "b"
            if rec["unit"] == "percent":
                assert 0 <= chart.value_min < chart.value_max <= 1
                assert chart.value_axis_format in ("0%", "0.0%")
            assert chart.description.startswith(
                ("Line chart of " if rec["chart"] != "column" else "Column chart of ")
                + rec["measure"]
            )
    assert sorted(seen) == sorted(card.loc[card["chart"] != "none", "measure_id"])


def test_charts_reference_only_generated_sheets(scratch_path, demo_plan: Plan) -> None:
    names = set(demo_plan.sheet_names)
    for found in read_charts(scratch_path).values():
        for chart in found:
            for s in chart.series:
                for ref in (s.categories, s.values):
                    assert ref.split("!")[0].strip("'") in names


def test_charts_do_not_overlap(scratch_path) -> None:
    for found in read_charts(scratch_path).values():
        anchors = [(c.row, c.col) for c in found]
        assert len(set(anchors)) == len(anchors)


def test_package_is_transplantable(scratch_path: Path) -> None:
    """No VBA, no external links, and only sheet-scoped (print) names."""
    with zipfile.ZipFile(scratch_path) as z:
        parts = z.namelist()
    assert not any("vba" in p.lower() or "externalLink" in p for p in parts)
    for name, scope in defined_names(scratch_path):
        assert scope is not None and name.startswith("_xlnm."), name


def test_narrative_bullets_grouped_by_kind(scratch_book, demo_results) -> None:
    column = [c.value for c in scratch_book["Narrative"]["A"]]
    assert column[0] == "Northshire Council (demo): Narrative, October 2022"
    headings = [
        "Red measures",
        "Newly on target (now Green)",
        "Newly off target (no longer Green)",
        "Largest movements (3% or 3 percentage points or more)",
        "RAG and SPC together: each measure against its target, and its variation",
    ]
    positions = [column.index(h) for h in headings]
    assert positions == sorted(positions)
    kinds = ["red", "met", "missed", "mover", "reading"]
    for i, kind in enumerate(kinds):
        end = (
            positions[i + 1]
            if i + 1 < len(positions)
            else column.index("Warnings for October 2022")
        )
        bullets = [v for v in column[positions[i] + 1 : end] if v]
        assert bullets == ["• " + c.text for c in demo_results.commentary if c.kind == kind]


def test_empty_narrative_group_says_none(tmp_path: Path) -> None:
    results = results_with(settings={"rag_red": 5.0, "rag_amber": 5.0})  # nothing can be Red
    assert not [c for c in results.commentary if c.kind == "red"]
    path = tmp_path / "n.xlsx"
    render_scratch(results, path)
    column = [c.value for c in openpyxl.load_workbook(path)["Narrative"]["A"]]
    assert column[column.index("Red measures") + 1] == "None this month."


def test_text_is_never_a_formula_or_link(tmp_path: Path) -> None:
    assert WORKBOOK_OPTIONS["strings_to_formulas"] is False
    assert WORKBOOK_OPTIONS["strings_to_urls"] is False
    inputs_results = results_with(settings={"authority": '=HYPERLINK("http://x")'})
    path = tmp_path / "f.xlsx"
    render_scratch(inputs_results, path)
    ws = openpyxl.load_workbook(path)["Scorecard"]
    assert ws["A1"].data_type == "s"
    assert ws["A1"].value.startswith("=HYPERLINK")


def test_dates_are_real_dates(scratch_book) -> None:
    ws = scratch_book["Scorecard"]
    header, body = _table_cells(ws, ws.tables["Scorecard"])
    month = body[0][header.index("Month")].value
    assert isinstance(month, dt.datetime) and month == dt.datetime(2022, 10, 31)


def test_write_scratch_replaces_existing_file(tmp_path: Path, demo_plan: Plan) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook")
    write_scratch(demo_plan, path)
    assert openpyxl.load_workbook(path).sheetnames == demo_plan.sheet_names
