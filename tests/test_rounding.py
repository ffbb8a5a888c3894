"""One rounding rule everywhere: percentages and rates to one decimal place and whole counts,
on every generated sheet, in the board pack, in the commentary and on the command line; and
two figures that look the same never carry a direction of change."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from builders import make_inputs
from hypothesis import given
from hypothesis import strategies as st
from support.tables import table_by_first_column

from xl_addin import compute, read_inputs
from xl_addin.cli import main
from xl_addin.demo import demo_sheets
from xl_addin.engine.formatting import fmt_value, shown
from xl_addin.engine.rag import NO_CHANGE
from xl_addin.export import export_book
from xl_addin.io.write_inputs import write_input_workbook

PERCENT_FORMAT = "0.0%"


def _percent(values: list[tuple[int, int]]):
    nums, dens = zip(*values, strict=True)
    measure = {"id": "p", "calculation": "percent", "numerator": "n", "denominator": "d"}
    return compute(make_inputs([measure], {"n": list(nums), "d": list(dens)}, "2022-04-30"))


def test_figures_that_look_equal_show_no_change():
    # 24.62% and 24.58% both read 24.6%: the Scorecard may not call that a change
    card = _percent([(2458, 10_000), (2462, 10_000)]).scorecard.iloc[0]
    assert fmt_value(card["value"], "percent", 1) == fmt_value(card["previous"], "percent", 1)
    assert card["direction"] == NO_CHANGE


def test_figures_that_look_different_show_the_change():
    card = _percent([(2440, 10_000), (2462, 10_000)]).scorecard.iloc[0]  # 24.4% -> 24.6%
    assert card["direction"] == "▲ Improving"


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_direction_is_no_change_exactly_when_the_shown_figures_are_equal(a, b):
    card = _percent([(a, 10_000), (b, 10_000)]).scorecard.iloc[0]
    same = fmt_value(a / 10_000, "percent", 1) == fmt_value(b / 10_000, "percent", 1)
    assert (card["direction"] == NO_CHANGE) == same


def test_halves_round_away_from_zero_as_excel_shows_them():
    assert fmt_value(0.2465, "percent") == "24.7%"  # stored as 0.24649999...
    assert fmt_value(0.2445, "percent") == "24.5%"
    assert fmt_value(188.85, "rate") == "188.9"
    assert shown(0.2465, "percent") == pytest.approx(0.247)


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rounding")
    book = folder / "demo.xlsx"
    write_input_workbook(demo_sheets(), book)
    assert main(["refresh", str(book), "--no-backup", "--quiet"]) == 0
    pack = export_book(book, folder / "pack.xlsx").path
    return book, pack


def _percent_cells(path, sheet: str, table: str, columns: list[str], ids: set[str]):
    ws = openpyxl.load_workbook(path)[sheet]
    tab = ws.tables[table]
    rows = list(ws[tab.ref])
    if tab.headerRowCount == 0:  # KPI Values: dated headers sit above, names are the table's
        header, body = [c.name for c in tab.tableColumns], rows
    else:
        header, body = [c.value for c in rows[0]], rows[1:]
    for row in body:
        if row[0].value in ids:
            for name in columns:
                cell = row[header.index(name)]
                yield row[0].value, name, cell


def test_every_percentage_on_the_refreshed_sheets_has_one_decimal(demo_files):
    book, _ = demo_files
    ids = {"re_referrals", "cp_visits", "voice_see_sw"}
    cells = list(
        _percent_cells(book, "Scorecard", "Scorecard", ["Value", "Previous", "Target"], ids)
    )
    assert len(cells) == 9
    for mid, column, cell in cells:
        assert cell.number_format == PERCENT_FORMAT, (mid, column)
    values = list(_percent_cells(book, "KPI Values", "KPIValues", ["Oct-22", "Sep-22"], ids))
    figures = [c for _, _, c in values if c.value is not None]  # a blank is not written
    assert len(figures) >= 4 and all(c.number_format == PERCENT_FORMAT for c in figures)


def test_every_percentage_in_the_board_pack_has_one_decimal(demo_files):
    _, pack = demo_files
    ids = {"re_referrals", "cp_visits"}
    cells = list(_percent_cells(pack, "Scorecard", "Scorecard", ["Value", "Target"], ids))
    assert len(cells) == 4 and all(c.number_format == PERCENT_FORMAT for _, _, c in cells)
    trend = list(_percent_cells(pack, "Scorecard", "Trend", ["Oct-22"], ids))
    assert trend and all(c.number_format == PERCENT_FORMAT for _, _, c in trend)
    with zipfile.ZipFile(pack) as z:
        styles = z.read("xl/styles.xml").decode()
    assert 'formatCode="0%"' not in styles


def test_the_scorecard_never_shows_equal_figures_with_a_direction(demo_files):
    book, _ = demo_files
    card = table_by_first_column(openpyxl.load_workbook(book)["Scorecard"], "Scorecard")
    engine = compute(read_inputs(book)).scorecard.set_index("measure_id")
    checked = 0
    for mid, row in card.items():
        value, previous = row["Value"], row["Previous"]
        if not isinstance(value, float | int) or not isinstance(previous, float | int):
            continue
        unit, places = engine.at[mid, "unit"], int(engine.at[mid, "decimals"])
        if fmt_value(value, unit, places) == fmt_value(previous, unit, places):
            assert row["Direction"] == NO_CHANGE, mid
        else:
            assert row["Direction"] != NO_CHANGE, mid
        checked += 1
    assert checked >= 25
