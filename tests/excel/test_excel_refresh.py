"""Refresh KPIs on Office.js-shaped payloads: what the remote engine records, action by action."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from payload import actions_of, book_from, funcs, grid_writes, on_sheet, sheet_names_after

import xl_addin.excel as kpis
from xl_addin.engine.models import SCORECARD_COLUMNS
from xl_addin.engine.rag import RATINGS
from xl_addin.excel.backend import (
    FINISH_CHART_MACRO,
    FORMAT_SERIES_MACRO,
    REGISTRY_NAME,
    chart_name,
)
from xl_addin.ooxml import registry
from xl_addin.process_control import words
from xl_addin.render.colours import RAG_SWATCHES
from xl_addin.render.scorecard import HEADERS


def refreshed(payload):
    book = book_from(payload)
    result = kpis.refresh(book)
    assert result.ok, result.message
    return actions_of(book)


def plain(v):
    """A written value as the cell will hold it: guard apostrophe off, ISO dates as dates."""
    if isinstance(v, str):
        if v.startswith("'"):
            return v[1:]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            return v
        return v or None
    return v


def table_rows(actions, payload, sheet, table):
    """The written rows of a table (header first), from its addTable/resizeTable address."""
    grid = grid_writes(actions, payload)[sheet]
    address = next(
        a["args"][0]
        for a in on_sheet(actions, payload, sheet)
        if a["func"] == "addTable" and a["args"][3] == table
    )
    m = re.fullmatch(r"\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", address)
    first, last = int(m.group(2)) - 1, int(m.group(4)) - 1
    width = len(grid[first])
    return [[plain(v) for v in grid[r][:width]] for r in range(first, last + 1)]


@pytest.fixture(scope="module")
def demo_actions(demo_payload):
    return refreshed(demo_payload)


def test_scorecard_values_equal_the_command_line(demo_actions, demo_payload, demo_kpis_json):
    rows = table_rows(demo_actions, demo_payload, "Scorecard", "Scorecard")
    assert rows[0][: len(HEADERS)] == list(HEADERS)
    written = [dict(zip(SCORECARD_COLUMNS, r, strict=False)) for r in rows[1:]]
    assert len(written) == len(demo_kpis_json)
    for got, want in zip(written, demo_kpis_json, strict=True):
        for spc in ("variation", "assurance"):  # the sheet shows words for the JSON's codes
            shown, code = got.pop(spc), want.pop(spc)
            assert shown == words(code) if code else shown  # else the reason there is none
        assert got == want


def test_iso_dates_in_the_payload_read_the_same(demo_payload_iso, demo_actions, demo_payload):
    iso = refreshed(demo_payload_iso)
    assert grid_writes(iso, demo_payload_iso) == grid_writes(demo_actions, demo_payload)


def test_every_generated_sheet_is_written_in_one_block(demo_actions, demo_payload, demo_plan):
    writes = [a for a in demo_actions if a["func"] == "setValues"]
    assert len(writes) == len(demo_plan.sheets)  # one whole-range write per sheet
    assert all(a["row_count"] * a["column_count"] > 1 for a in writes)  # no per-cell writes
    assert all(a["start_row"] == 0 and a["start_column"] == 0 for a in writes)
    names = sheet_names_after(demo_payload, demo_actions)
    assert names == [s["name"] for s in demo_payload["sheets"]] + demo_plan.sheet_names


def test_number_formats_go_on_rectangles_not_cells(demo_actions):
    numbers = sum(
        isinstance(v, (int, float))
        or bool(isinstance(v, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", v))
        for a in demo_actions
        if a["func"] == "setValues"
        for row in a["values"]
        for v in row
    )
    formats = [a for a in demo_actions if a["func"] == "setNumberFormat"]
    assert len(formats) < numbers / 20
    assert sum(a["row_count"] * a["column_count"] for a in formats) > numbers


def test_rag_rules_target_the_rag_column(demo_actions, demo_payload, demo_plan):
    table = demo_plan.sheet("Scorecard").table("Scorecard")
    rag = table.column_range("RAG")
    rules = [
        a
        for a in demo_actions
        if a["func"] == "addConditionalFormat" and a["start_column"] == rag.first_col
    ]
    assert [r["args"][0]["formula1"] for r in rules] == [f'="{x}"' for x in RATINGS]
    for rule, rating in zip(rules, RATINGS, strict=True):
        assert (rule["start_row"], rule["start_column"]) == (rag.first_row, rag.first_col)
        assert (rule["row_count"], rule["column_count"]) == (rag.last_row - rag.first_row + 1, 1)
        spec = rule["args"][0]
        assert spec["type"] == "CellValue" and spec["operator"] == "EqualTo"
        assert spec["fill_color"] == RAG_SWATCHES[rating].fill.lower()
        assert spec["font_color"] == RAG_SWATCHES[rating].font.lower()
    header_row = table_rows(demo_actions, demo_payload, "Scorecard", "Scorecard")[0]
    assert header_row[rag.first_col] == "RAG"


def _address_cells(address):
    m = re.fullmatch(r"\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", address)
    from xl_addin.cellref import column_index

    return (
        int(m.group(2)) - 1,
        column_index(m.group(1)),
        int(m.group(4)) - 1,
        column_index(m.group(3)),
    )


def test_one_chart_per_charted_measure_with_its_kpi_values(demo_actions, demo_payload, demo_plan):
    grids = grid_writes(demo_actions, demo_payload)
    values = {r[0]: r for r in table_rows(demo_actions, demo_payload, "KPI Values", "KPIValues")}
    targets = {r[0]: r for r in table_rows(demo_actions, demo_payload, "KPI Values", "KPITargets")}
    spc = {
        (r[0], r[1]): r for r in table_rows(demo_actions, demo_payload, "KPI Values", "SPCLines")
    }
    axis = next(r for r in grids["KPI Values"] if plain(r[0]) == "Month end")
    for sheet in demo_plan.by_role("charts"):
        acts = on_sheet(demo_actions, demo_payload, sheet.name)
        added = [a for a in acts if a["func"] == "addChart"]
        assert [a["args"][0] for a in added] == [chart_name(c.measure_id) for c in sheet.charts]
        grid = grids[sheet.name]
        for chart, action in zip(sheet.charts, added, strict=True):
            _, kind, src_sheet, address = action["args"][:4]
            assert src_sheet == sheet.name and action["args"][8] == "Rows"
            assert kind == ("ColumnClustered" if chart.kind == "column" else "LineMarkers")
            r0, c0, r1, c1 = _address_cells(address)
            rows = [[plain(v) for v in grid[r][c0 : c1 + 1]] for r in range(r0, r1 + 1)]
            mid = chart.measure_id
            assert [r[0] for r in rows] == [s.name for s in chart.series]  # one row a series
            for r, s in zip(rows, chart.series, strict=True):
                if s.role == "target":
                    assert r[1:] == targets[mid][2:]
                elif s.role == "spc":
                    line = s.name.removesuffix(" (special cause)")
                    assert r[1:] == spc[(mid, line)][2:]
                else:
                    assert r[1:] == values[mid][2:]
            assert (mid in targets) == (chart.target_series is not None)
            x = next(
                a
                for a in acts
                if a["func"] == "setChartXAxisValues" and a["args"][0] == added.index(action)
            )
            xr0, xc0, _, xc1 = _address_cells(x["args"][2])
            assert [plain(v) for v in grid[xr0][xc0 : xc1 + 1]] == [plain(v) for v in axis[2:]]


def test_charts_get_the_same_axes_gaps_and_notes_as_the_files(demo_actions, demo_plan):
    """Issue 11 through the add-in: honest axes, gaps kept as gaps (joined only for quarterly
    measures), and the reason for an empty stretch in the alt text."""
    finish = {
        a["args"][2]: a["args"]
        for a in demo_actions
        if a["func"] == "runMacro" and a["args"][0] == FINISH_CHART_MACRO
    }
    charts = [c for s in demo_plan.by_role("charts") for c in s.charts]
    for chart in charts:
        _, _, _, span_gaps, alt = finish[chart_name(chart.measure_id)]
        assert span_gaps is chart.span_gaps, chart.measure_id
        assert alt == chart.description
    sent = [a["args"][2] for a in demo_actions if a["func"] == "setChartAxis"]
    assert len(sent) == len(charts)
    assert [(a["minimum_scale"], a["maximum_scale"], a["major_unit"]) for a in sent] == [
        (c.y_axis.min, c.y_axis.max, c.y_axis.major_unit) for c in charts
    ]
    assert any("No figure for Oct 2021 to Mar 2022" in c.description for c in charts)
    assert any(not c.span_gaps for c in charts) and any(c.span_gaps for c in charts)


def test_target_series_are_dashed(demo_actions, demo_plan):
    calls = [
        a["args"]
        for a in demo_actions
        if a["func"] == "runMacro" and a["args"][0] == FORMAT_SERIES_MACRO
    ]
    by_chart = {}
    for _, _sheet, chart, index, kind, _colour, dashed, marker in calls:
        by_chart.setdefault(chart, {})[index] = (kind, dashed, marker)
    for sheet in demo_plan.by_role("charts"):
        for chart in sheet.charts:
            series = by_chart[chart_name(chart.measure_id)]
            assert series[1] == (chart.kind, False, chart.kind == "line")
            assert len(series) == len(chart.series)
            for i, s in enumerate(chart.series, start=1):
                # an SPC chart's special-cause points are markers without a line
                assert series[i] == (s.kind if s.line else "points", s.dashed, s.marker)
                if s.role == "target":
                    assert series[i] == ("line", True, False)  # dashed, no markers, a line


def test_actions_per_chart_and_per_table_stay_small(demo_actions, demo_payload, demo_plan):
    for sheet in demo_plan.by_role("charts"):
        acts = on_sheet(demo_actions, demo_payload, sheet.name)
        chart_acts = [a for a in acts if "Chart" in a["func"]]
        macros = [a for a in demo_actions if a["func"] == "runMacro" and a["args"][1] == sheet.name]
        assert (len(chart_acts) + len(macros)) / max(len(sheet.charts), 1) < 10


def test_registry_lists_the_generated_sheets(demo_actions, demo_plan):
    (added,) = [a for a in demo_actions if a["func"] == "namesAdd"]
    assert added["args"][0] == REGISTRY_NAME
    assert registry.decode(added["args"][1]) == demo_plan.sheet_names


def test_refresh_of_a_refreshed_book_replaces_in_place(refreshed_payload, demo_plan):
    actions = refreshed(refreshed_payload)
    assert "addSheet" not in funcs(actions) and "sheetDelete" not in funcs(actions)
    # by index on its sheet: Scorecard (0), and KPIValues (0), KPITargets (1), SPCLines (2)
    assert Counter(a["args"][0] for a in actions if a["func"] == "resizeTable") == Counter(
        {0: 2, 1: 1, 2: 1}
    )
    for sheet in demo_plan.by_role("charts"):
        before = next(s for s in refreshed_payload["sheets"] if s["name"] == sheet.name)["charts"]
        acts = on_sheet(actions, refreshed_payload, sheet.name)
        kinds = [a["func"] for a in acts if a["func"] in ("deleteChart", "addChart")]
        # every previous chart deleted (last first), all before the first new chart
        assert kinds == ["deleteChart"] * len(before) + ["addChart"] * len(sheet.charts)
        deleted = [a["args"][0] for a in acts if a["func"] == "deleteChart"]
        assert deleted == list(range(len(before) - 1, -1, -1))
    (reg,) = [a for a in actions if a["func"] == "setNameRefersTo"]
    assert registry.decode(reg["args"][3]) == demo_plan.sheet_names


def test_kpi_values_keeps_its_tables_and_dated_headers_from_a_file_refresh(
    refreshed_payload, demo_plan
):
    """A book refreshed from the command line (KPI Values tables without header rows, dated
    headers above them), refreshed again in Excel: the tables are resized in place (so
    `KPIValues[Oct-22]` keeps working) and the dates are written again above them."""
    actions = refreshed(refreshed_payload)
    assert not [a for a in actions if a["func"] in ("addTable", "rangeDelete")]
    grid = grid_writes(actions, refreshed_payload)["KPI Values"]
    sheet = demo_plan.sheet("KPI Values")
    for table in sheet.tables:
        header = grid[table.row]
        assert header[:2] == list(table.header_values[:2])
        assert header[2:] == [v.date().isoformat() for v in table.header_values[2:]]


def test_stale_generated_sheets_are_deleted(refreshed_payload, demo_plan):
    payload = {**refreshed_payload, "sheets": [*refreshed_payload["sheets"]], "names": []}
    payload["sheets"].append(
        {**payload["sheets"][-1], "name": "Charts - Old section", "charts": []}
    )
    names = [*demo_plan.sheet_names, "Charts - Old section"]
    payload["names"] = [
        {
            "name": REGISTRY_NAME,
            "refers_to": "=" + registry.encode(names),
            "sheet_index": None,
            "address": None,
            "scope_sheet_name": None,
            "scope_sheet_index": None,
            "book_scope": True,
        }
    ]
    actions = refreshed(payload)
    deletes = [a for a in actions if a["func"] == "sheetDelete"]
    assert [a["sheet_position"] for a in deletes] == [len(payload["sheets"]) - 1]


def test_a_users_sheet_with_a_generated_name_is_never_overwritten(demo_payload):
    payload = {**demo_payload, "sheets": [*demo_payload["sheets"]]}
    payload["sheets"].append({**payload["sheets"][0], "name": "Narrative"})
    book = book_from(payload)
    result = kpis.refresh(book)
    assert not result.ok
    assert funcs(actions_of(book)) == ["alert"]
    assert "sheet named 'Narrative'" in actions_of(book)[0]["args"][0]


def _with_data_cell(payload, row, col, value):
    sheets = []
    for s in payload["sheets"]:
        if s["name"] == "Data":
            values = [list(r) for r in s["values"]]
            values[row][col] = value
            s = {**s, "values": values}
        sheets.append(s)
    return {**payload, "sheets": sheets}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("n/a", 'Data!C7: expected a number, found "n/a"'),
        ("#N/A", "Data!C7: expected a number, found the Excel error #N/A"),
        (-4, "Data!C7: expected zero or more, found -4"),
    ],
)
def test_a_user_error_becomes_an_alert_naming_sheet_and_cell(demo_payload, value, message):
    book = book_from(_with_data_cell(demo_payload, 6, 2, value))
    result = kpis.refresh(book)
    assert not result.ok
    (alert,) = actions_of(book)  # nothing written before the inputs are known good
    assert alert["func"] == "alert"
    text, title, _buttons, mode, _ = alert["args"]
    assert message in text and title == "KPIs" and mode == "critical"
    assert "Traceback" not in text


def test_an_unexpected_failure_is_a_plain_alert(demo_payload, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("xl_addin.excel.actions.render_plan", boom)
    book = book_from(demo_payload)
    result = kpis.refresh(book)
    assert not result.ok and "disk on fire" in result.message
    assert funcs(actions_of(book)) == ["alert"]


class _DesktopApp:
    """Stands in for desktop Excel's app, which has a status bar."""

    def __init__(self):
        self.status = []

    @property
    def status_bar(self):
        return self.status[-1] if self.status else False

    @status_bar.setter
    def status_bar(self, value):
        self.status.append(value)


def test_progress_goes_to_the_status_bar_where_there_is_one(demo_payload):
    from xl_addin.excel.actions import _status

    class Book:
        app = _DesktopApp()

    with _status(Book, "refreshing") as show:
        show("computing")
    assert Book.app.status == ["xl_addin: refreshing...", "xl_addin: computing...", False]
    remote = book_from(demo_payload)
    with _status(remote, "refreshing") as show:  # the remote engine has none: no action, no error
        show("computing")
    assert actions_of(remote) == []


def test_dates_are_written_as_iso_dates(demo_actions, demo_payload):
    grid = grid_writes(demo_actions, demo_payload)["KPI Values"]
    axis = next(r for r in grid if plain(r[0]) == "Month end")
    assert axis[2] == "2021-10-31" and dt.date.fromisoformat(axis[-1]) == dt.date(2022, 10, 31)
