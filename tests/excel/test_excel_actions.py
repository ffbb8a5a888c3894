"""Apply RAG, Regenerate charts, Validate, Export, Help, the ribbon dispatcher and the Office.js
scripts, on payload-built books."""

from __future__ import annotations

import asyncio
import sys
import types

import pytest
from payload import actions_of, book_from, funcs, on_sheet

import xl_addin.excel as kpis
from xl_addin.engine.rag import RATINGS
from xl_addin.excel import ribbon, scripts
from xl_addin.excel.reader import read_book_inputs


def test_apply_rag_recolours_the_rag_column_only(refreshed_payload, demo_plan):
    book = book_from(refreshed_payload)
    result = kpis.apply_rag(book)
    assert result.ok
    rag = demo_plan.sheet("Scorecard").table("Scorecard").column_range("RAG")
    actions = actions_of(book)
    assert funcs(actions) == ["clearConditionalFormats"] + ["addConditionalFormat"] * len(RATINGS)
    for a in actions:
        assert (a["start_row"], a["start_column"], a["column_count"]) == (
            rag.first_row,
            rag.first_col,
            1,
        )
        assert a["row_count"] == rag.last_row - rag.first_row + 1


def test_apply_rag_before_any_refresh_says_what_to_do(demo_payload):
    book = book_from(demo_payload)
    result = kpis.apply_rag(book)
    assert not result.ok and "Refresh KPIs first" in result.message
    assert funcs(actions_of(book)) == ["alert"]


def test_regenerate_charts_touches_only_chart_sheets(refreshed_payload, demo_plan):
    book = book_from(refreshed_payload)
    result = kpis.regenerate_charts(book)
    assert result.ok
    actions = actions_of(book)
    chart_sheets = [s.name for s in demo_plan.by_role("charts")]
    for name in ("Scorecard", "KPI Values", "Narrative"):
        assert on_sheet(actions, refreshed_payload, name) == []
    added = [a for a in actions if a["func"] == "addChart"]
    assert len(added) == sum(len(s.charts) for s in demo_plan.by_role("charts"))
    assert {a["args"][2] for a in added} == set(chart_sheets)


def test_validate_reports_ready(demo_payload, demo_results):
    book = book_from(demo_payload)
    result = kpis.validate(book)
    assert result.ok
    (alert,) = actions_of(book)
    assert alert["func"] == "alert" and alert["args"][3] == "info"
    assert "is ready: 32 measures" in alert["args"][0]
    assert f"reporting month {demo_results.reporting_month:%B %Y}" in alert["args"][0]


def test_validate_lists_every_problem_with_its_cell(demo_payload):
    sheets = []
    for s in demo_payload["sheets"]:
        if s["name"] == "Data":
            values = [list(r) for r in s["values"]]
            values[3][4] = "lots"
            values[5][2] = "#DIV/0!"  # an error cell, as Office.js sends it
            s = {**s, "values": values}
        sheets.append(s)
    book = book_from({**demo_payload, "sheets": sheets})
    result = kpis.validate(book)
    assert not result.ok
    assert "The workbook has 2 problems to fix:" in result.message
    assert '- Data!E4: expected a number, found "lots"' in result.message
    assert "- Data!C6: expected a number, found the Excel error #DIV/0!" in result.message


def test_validate_lists_the_users_sheets_and_tables_a_refresh_would_need(demo_payload):
    """A user's own `scorecard` sheet and a table called KPIValues: both named, nothing written."""
    extra = [
        {**demo_payload["sheets"][0], "name": "scorecard", "tables": []},
        {**demo_payload["sheets"][0], "name": "My notes", "tables": [_table("KPIValues")]},
    ]
    book = book_from({**demo_payload, "sheets": [*demo_payload["sheets"], *extra]})
    result = kpis.validate(book)
    assert not result.ok
    assert "The workbook has 2 problems to fix:" in result.message
    assert "a sheet named 'scorecard' that xl_addin did not create" in result.message
    assert "already has a table (on sheet 'My notes') named 'KPIValues'" in result.message
    assert [a["func"] for a in actions_of(book)] == ["alert"]


def _table(name: str) -> dict:
    return {
        "name": name,
        "range_address": "$A$1:$B$3",
        "header_row_range_address": "$A$1:$B$1",
        "data_body_range_address": "$A$2:$B$3",
        "total_row_range_address": None,
        "show_headers": True,
        "show_totals": False,
        "table_style": "TableStyleMedium2",
        "show_autofilter": True,
    }


def test_reading_the_open_book_equals_reading_the_file(demo_payload, demo_path):
    import xl_addin

    from_book = read_book_inputs(book_from(demo_payload))
    from_file = xl_addin.read_inputs(demo_path)
    assert from_book.settings == from_file.settings
    assert from_book.measures.equals(from_file.measures)
    assert from_book.data.equals(from_file.data)
    assert from_book.targets.equals(from_file.targets)


def test_input_sheet_names_are_case_sensitive(demo_payload):
    sheets = [{**s, "name": "data"} if s["name"] == "Data" else s for s in demo_payload["sheets"]]
    result = kpis.validate(book_from({**demo_payload, "sheets": sheets}))
    assert not result.ok and "Data: sheet is missing" in result.message


def test_export_needs_a_folder(demo_payload):
    book = book_from(demo_payload)  # a payload book has a name, no folder
    result = kpis.export(book)
    assert not result.ok and "has no folder on this computer" in result.message


def test_export_writes_where_asked_through_export_pack(demo_payload, tmp_path, monkeypatch):
    calls = []

    def export_pack(results, out, **kwargs):
        calls.append((results.reporting_month, out))
        out.write_bytes(b"pack")
        return out

    monkeypatch.setitem(
        sys.modules, "xl_addin.export", types.SimpleNamespace(export_pack=export_pack)
    )
    book = book_from(demo_payload)
    result = kpis.export(book, out=tmp_path / "pack.xlsx")
    assert result.ok and calls and calls[0][1] == tmp_path / "pack.xlsx"
    (alert,) = actions_of(book)
    assert "pack.xlsx" in alert["args"][0]


def test_export_writes_the_board_pack(demo_payload, tmp_path):
    book = book_from(demo_payload)
    result = kpis.export(book, out=tmp_path / "pack.xlsx")
    assert result.ok, result.message
    assert (tmp_path / "pack.xlsx").is_file()
    (alert,) = actions_of(book)
    assert alert["args"][3] == "info" and str(tmp_path / "pack.xlsx") in alert["args"][0]


def test_export_to_a_missing_folder_is_an_alert(demo_payload, tmp_path):
    book = book_from(demo_payload)
    result = kpis.export(book, out=tmp_path / "nowhere" / "pack.xlsx")
    assert not result.ok and "does not exist" in result.message
    assert funcs(actions_of(book)) == ["alert"]


def test_export_without_the_export_module_says_so(demo_payload, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "xl_addin.export", None)  # import fails
    result = kpis.export(book_from(demo_payload), out=tmp_path / "pack.xlsx")
    assert not result.ok and "Export is not available" in result.message
    assert not (tmp_path / "pack.xlsx").exists()


def test_help_and_unknown_buttons(demo_payload):
    book = book_from(demo_payload)
    assert ribbon.dispatch("help", book).ok
    assert "Refresh KPIs" in actions_of(book)[0]["args"][0]
    book = book_from(demo_payload)
    result = ribbon.dispatch("launch_rockets", book)
    assert not result.ok and funcs(actions_of(book)) == ["alert"]


@pytest.mark.parametrize("tag", sorted(ribbon.ACTIONS))
def test_every_ribbon_action_is_an_office_js_script(tag, refreshed_payload):
    from xlwings import Book
    from xlwings.server import custom_scripts_call, custom_scripts_meta

    meta = {m["function_name"] for m in custom_scripts_meta(scripts)}
    assert scripts.SCRIPTS[tag] in meta
    direct = book_from(refreshed_payload)
    ribbon.ACTIONS[tag](direct)
    book = book_from(refreshed_payload)
    asyncio.run(custom_scripts_call(scripts, scripts.SCRIPTS[tag], typehint_to_value={Book: book}))
    assert actions_of(book) == actions_of(direct)
