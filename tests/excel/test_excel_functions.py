"""Worksheet functions through xlwings' Office.js route: custom_functions_meta and
custom_functions_call (XLWINGS_ON_SERVER=true, set in conftest), as Excel would call them."""

from __future__ import annotations

import asyncio
import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from payload import serial
from xlwings import XlwingsError
from xlwings.server import custom_functions_call, custom_functions_meta

import xl_addin
import xl_addin.excel.functions as functions
from xl_addin.engine.targets import trend_forecast

DIV0 = {"type": "Error", "errorType": "Div0", "basicValue": "#DIV/0!"}
NA_ERR = {"type": "Error", "errorType": "NotAvailable"}


def call(name, *args, runtime="1.4"):
    """One call as the Office.js client posts it: every argument a 2-D array, or null if
    omitted."""
    data = {
        "client": "Office.js",
        "func_name": name,
        "args": list(args),
        "caller_address": "[demo.xlsx]Scorecard!M9",
        "version": "0.37.8",
        "runtime": runtime,
        "culture_info_name": "en-GB",
        "date_format": "dd/mm/yyyy",
    }
    return asyncio.run(custom_functions_call(data, functions))


def col(*values):
    return [[v] for v in values]


def months(*ymd):
    return col(*(serial(dt.date(*d)) for d in ymd))


EXPECTED_PARAMS = {
    "RAG": ["value", "target", "polarity", "green", "amber", "red"],
    "DIRECTION": ["current", "previous", "polarity"],
    "ROLLING_IN_YEAR": ["numerators", "denominators", "month_ends", "fy_start_month"],
    "RATE_PER_10K": ["count", "population"],
    "KPI_FORECAST": ["values", "month_ends", "target_date", "window", "percent"],
    "SPC_VARIATION": ["values", "improvement"],
    "SPC_ASSURANCE": ["values", "target", "improvement"],
}
REQUIRED = {"RAG": 2, "DIRECTION": 2, "ROLLING_IN_YEAR": 3, "RATE_PER_10K": 2, "KPI_FORECAST": 3}
REQUIRED |= {"SPC_VARIATION": 1, "SPC_ASSURANCE": 2}


def test_meta_describes_every_function_and_argument():
    meta = {f["name"]: f for f in custom_functions_meta(functions)["functions"]}
    assert set(meta) == set(EXPECTED_PARAMS)
    for name, params in EXPECTED_PARAMS.items():
        f = meta[name]
        assert f["id"] == name and len(f["description"]) > 30
        assert [p["name"] for p in f["parameters"]] == params
        for i, p in enumerate(f["parameters"]):
            assert not p["description"].startswith("Positional argument")
            assert p.get("optional", False) == (i >= REQUIRED[name])
        assert f["result"]["dimensionality"] == "matrix"


# -- RAG ------------------------------------------------------------------------------------


def test_rag_scalars():
    assert call("RAG", [[0.8]], [[0.82]], None, None, None, None) == [["Amber"]]
    assert call("RAG", [[630]], [[600]], [["lower"]], None, None, None) == [["Amber"]]
    assert call("RAG", [[12]], [[""]], None, None, None, None) == [["No target"]]
    assert call("RAG", [[12]], [[10]], [["contextual"]], None, None, None) == [["Contextual"]]
    # thresholds: 2.4% short is Amber by default, Green with a 5% green band
    assert call("RAG", [[0.8]], [[0.82]], None, [[0.05]], None, None) == [["Green"]]


def test_rag_ranges_spill_one_result_per_row():
    got = call("RAG", col(0.9, 0.8, 0.5, ""), col(0.82, 0.82, 0.82, 0.82), None, None, None, None)
    assert got == [["Green"], ["Amber"], ["Red"], [""]]
    per_row = call("RAG", col(630, 630), col(600, 600), col("lower", "higher"), None, None, None)
    assert per_row == [["Amber"], ["Green"]]
    row = call("RAG", [[0.9, 0.5]], [[0.82]], None, None, None, None)
    assert row == [["Green", "Red"]]


def test_rag_blanks_and_error_cells():
    assert call("RAG", [[""]], [[0.82]], None, None, None, None) == [[""]]
    assert call("RAG", [[None]], [[0.82]], None, None, None, None) == [[""]]
    got = call("RAG", col(0.8, DIV0), col(NA_ERR, 0.82), None, None, None, None)
    assert got == [
        [{"type": "Error", "errorType": "NotAvailable"}],
        [{"type": "Error", "errorType": "Div0"}],
    ]
    old_runtime = call("RAG", [[DIV0]], [[0.82]], None, None, None, None, runtime="1.2")
    assert old_runtime == [["#DIV/0!"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ([["n/a"]], [[0.82]], None, None, None, None),
            'value: expected a number, found text "n/a"',
        ),
        ((col(1, "x"), col(1, 2), None, None, None, None), "value (row 2)"),
        (([[True]], [[0.82]], None, None, None, None), "expected a number, found TRUE"),
        (([[0.8]], [[0.82]], [["up"]], None, None, None), "polarity must be one of higher"),
        (([[0.8]], [[0.82]], None, [[0.3]], None, None), "green <= amber <= red"),
        (([[0.8]], [[0.82]], None, col(0.1, 0.2), None, None), "green: expected a single value"),
        ((col(1, 2, 3), col(1, 2), None, None, None, None), "the ranges must be the same size"),
    ],
)
def test_rag_bad_arguments_are_value_errors_with_a_message(args, message):
    with pytest.raises(XlwingsError, match="RAG: ") as info:
        call("RAG", *args)
    assert message in str(info.value)


# figures as analysts type them (three decimals): boundaries such as 0.80 vs 0.75 come up often
finite = st.integers(-(10**7), 10**7).map(lambda i: i / 1000)


@settings(max_examples=200, deadline=None)
@given(
    value=finite,
    target=st.one_of(finite, st.just("")),
    polarity=st.sampled_from(["higher", "lower", "contextual", "", "HIGHER"]),
    bands=st.lists(st.floats(min_value=0, max_value=1, allow_nan=False), min_size=3, max_size=3),
)
def test_rag_agrees_with_the_engine(value, target, polarity, bands):
    green, amber, red = sorted(bands)
    got = call("RAG", [[value]], [[target]], [[polarity]], [[green]], [[amber]], [[red]])
    want = xl_addin.rag(
        value, None if target == "" else target, polarity or "higher", green, amber, red
    )
    assert got == [[want]]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(finite, finite), min_size=1, max_size=12))
def test_rag_ranges_agree_with_the_engine(pairs):
    values, targets = zip(*pairs, strict=True)
    got = call("RAG", col(*values), col(*targets), None, None, None, None)
    assert got == [[r] for r in xl_addin.rag(np.array(values), np.array(targets))]


# -- DIRECTION ------------------------------------------------------------------------------


def test_direction():
    assert call("DIRECTION", [[5]], [[4]], None) == [["▲ Improving"]]
    assert call("DIRECTION", col(5, 4, 4, ""), col(4, 5, 4, 3), [["lower"]]) == [
        ["▼ Worsening"],
        ["▲ Improving"],
        ["► No change"],
        [""],
    ]
    assert call("DIRECTION", [[5]], [[4]], [["contextual"]]) == [["▲ Up"]]
    assert call("DIRECTION", [[DIV0]], [[4]], None) == [[{"type": "Error", "errorType": "Div0"}]]
    with pytest.raises(XlwingsError, match="DIRECTION: previous: expected a number"):
        call("DIRECTION", [[5]], [["four"]], None)


# -- ROLLING_IN_YEAR ------------------------------------------------------------------------


def test_rolling_in_year_sums_within_the_financial_year():
    m = months((2022, 2, 28), (2022, 3, 31), (2022, 4, 30), (2022, 5, 31), (2022, 6, 30))
    got = call("ROLLING_IN_YEAR", col(1, 1, 1, 2, 3), col(2, 2, 2, 4, 4), m, None)
    # Feb and Mar belong to a year that started before the data: blank, as on the Scorecard
    assert got == [[""], [""], [0.5], [0.5], [0.6]]
    calendar = call("ROLLING_IN_YEAR", col(1, 1, 1, 2, 3), col(2, 2, 2, 4, 4), m, [[2]])
    assert calendar == [[0.5], [0.5], [0.5], [5 / 10], [8 / 14]]
    named = call("ROLLING_IN_YEAR", col(1, 1, 1, 2, 3), col(2, 2, 2, 4, 4), m, [["February"]])
    assert named == calendar


def test_rolling_in_year_rows_per_measure_and_blanks():
    m = [[serial(dt.date(2022, k, 28 if k == 2 else 30 if k in (4, 6) else 31)) for k in (4, 5, 6)]]
    got = call("ROLLING_IN_YEAR", [[1, 2, 3], [1, "", 3]], [[2, 4, 4], [2, 2, 2]], m, None)
    assert got == [[0.5, 0.5, 0.6], [0.5, "", ""]]  # a blank month blanks the rest of the year


def test_rolling_in_year_matches_the_engine_on_the_demo(demo_results):
    inputs = demo_results.inputs
    mid = next(
        m
        for m in inputs.measures.index
        if inputs.measures.at[m, "calculation"] == "rolling_in_year_percent"
    )
    row = inputs.measures.loc[mid]
    data = inputs.data
    m = [[serial(d) for d in data.columns]]
    got = call(
        "ROLLING_IN_YEAR",
        [[("" if np.isnan(v) else v) for v in data.loc[row["numerator"]]]],
        [[("" if np.isnan(v) else v) for v in data.loc[row["denominator"]]]],
        m,
        None,
    )
    want = demo_results.wide().loc[mid].reindex(data.columns)
    assert got == [[("" if np.isnan(v) else v) for v in want]]


def test_rolling_in_year_bad_arguments():
    m = months((2022, 4, 30), (2022, 5, 31))
    with pytest.raises(XlwingsError, match="expected 2 rows, one per month"):
        call("ROLLING_IN_YEAR", col(1, 2, 3), col(1, 2, 3), m, None)
    with pytest.raises(XlwingsError, match="month_ends \\(item 2\\): expected a date"):
        call(
            "ROLLING_IN_YEAR", col(1, 2), col(1, 2), col(serial(dt.date(2022, 4, 30)), "soon"), None
        )
    with pytest.raises(XlwingsError, match="appears more than once"):
        call("ROLLING_IN_YEAR", col(1, 2), col(1, 2), months((2022, 4, 30), (2022, 4, 1)), None)
    with pytest.raises(XlwingsError, match="fy_start_month"):
        call("ROLLING_IN_YEAR", col(1, 2), col(1, 2), m, [[13]])


# -- RATE_PER_10K ---------------------------------------------------------------------------


def test_rate_per_10k():
    assert call("RATE_PER_10K", [[97]], [[48500]]) == [[20.0]]
    assert call("RATE_PER_10K", col(97, "", DIV0), [[48500]]) == [
        [20.0],
        [""],
        [{"type": "Error", "errorType": "Div0"}],
    ]
    assert call("RATE_PER_10K", col(10, 10), col(10000, 20000)) == [[10.0], [5.0]]
    with pytest.raises(XlwingsError, match="population: must be more than zero"):
        call("RATE_PER_10K", [[10]], [[0]])
    with pytest.raises(XlwingsError, match='count: expected a number, found text "ten"'):
        call("RATE_PER_10K", [["ten"]], [[100]])


# -- KPI_FORECAST ---------------------------------------------------------------------------


def test_forecast_is_the_engines_trend():
    m = months((2022, 7, 31), (2022, 8, 31), (2022, 9, 30), (2022, 10, 31))
    due = dt.date(2023, 3, 31)
    got = call("KPI_FORECAST", col(0.5, 0.6, 0.62, 0.7), m, [[serial(due)]], None, None)
    ords = [2022 * 12 + k - 1 for k in (8, 9, 10)]
    want = trend_forecast(ords, [0.6, 0.62, 0.7], 2023 * 12 + 2, False)
    assert got == [[pytest.approx(want)]]
    clamped = call("KPI_FORECAST", col(0.5, 0.6, 0.8, 0.95), m, [[serial(due)]], [[4]], [[True]])
    assert clamped == [[1.0]]


def test_forecast_blanks_errors_and_rows():
    m = [
        [serial(dt.date(2022, 8, 31)), serial(dt.date(2022, 9, 30)), serial(dt.date(2022, 10, 31))]
    ]
    due = [[serial(dt.date(2023, 3, 31))], [serial(dt.date(2022, 9, 30))], [""]]
    values = [[10, 20, 30], [10, 20, 30], [10, 20, 30]]
    got = call("KPI_FORECAST", values, m, due, None, None)
    assert got == [[pytest.approx(80.0)], [""], [""]]  # past-due target, blank target
    assert call(
        "KPI_FORECAST", [[10, "", ""]], m, [[serial(dt.date(2023, 3, 31))]], None, None
    ) == [[""]]
    err = call("KPI_FORECAST", [[10, DIV0, 30]], m, [[serial(dt.date(2023, 3, 31))]], None, None)
    assert err == [[{"type": "Error", "errorType": "Div0"}]]


def test_forecast_bad_arguments():
    m = months((2022, 9, 30), (2022, 10, 31))
    with pytest.raises(XlwingsError, match="window: expected a whole number from 2 to 120"):
        call("KPI_FORECAST", col(1, 2), m, [[serial(dt.date(2023, 3, 31))]], [[1]], None)
    with pytest.raises(XlwingsError, match="percent: expected TRUE or FALSE"):
        call("KPI_FORECAST", col(1, 2), m, [[serial(dt.date(2023, 3, 31))]], None, [["yes"]])
    with pytest.raises(XlwingsError, match="target_date: expected a date"):
        call("KPI_FORECAST", col(1, 2), m, [["next year"]], None, None)
