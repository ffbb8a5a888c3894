"""=SPC_VARIATION() and =SPC_ASSURANCE() through xlwings' Office.js route (custom_functions_call,
XLWINGS_ON_SERVER=true set in conftest), as Excel would call them."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.spc_cases import CASE_1, CASE_4_TREND, CASE_5
from xlwings import XlwingsError
from xlwings.server import custom_functions_call, custom_functions_meta

import xl_addin
import xl_addin.excel.functions as functions
from xl_addin.process_control import words

DIV0 = {"type": "Error", "errorType": "Div0", "basicValue": "#DIV/0!"}
TOO_FEW = "too few points (n < 13)"


def call(name, *args):
    """One call as the Office.js client posts it: every argument a 2-D array, or null."""
    data = {
        "client": "Office.js",
        "func_name": name,
        "args": list(args),
        "caller_address": "[demo.xlsx]Scorecard!Q9",
        "version": "0.37.8",
        "runtime": "1.4",
        "culture_info_name": "en-GB",
        "date_format": "dd/mm/yyyy",
    }
    return asyncio.run(custom_functions_call(data, functions))


def col(*values):
    return [[v] for v in values]


def test_meta_describes_both_functions_and_their_arguments():
    meta = {f["name"]: f for f in custom_functions_meta(functions)["functions"]}
    for name, params, required in (
        ("SPC_VARIATION", ["values", "improvement"], 1),
        ("SPC_ASSURANCE", ["values", "target", "improvement"], 2),
    ):
        f = meta[name]
        assert len(f["description"]) > 30
        assert [p["name"] for p in f["parameters"]] == params
        for i, p in enumerate(f["parameters"]):
            assert not p["description"].startswith("Positional argument")
            assert p.get("optional", False) == (i >= required)


# -- SPC_VARIATION --------------------------------------------------------------------------


def test_variation_of_a_column():
    assert call("SPC_VARIATION", col(*CASE_4_TREND), None) == [["Concern (low)"]]
    assert call("SPC_VARIATION", col(*CASE_4_TREND), [["down"]]) == [["Improvement (low)"]]
    assert call("SPC_VARIATION", col(*CASE_4_TREND), [["lower"]]) == [["Improvement (low)"]]
    assert call("SPC_VARIATION", col(*CASE_4_TREND), [["contextual"]]) == [["Neither (low)"]]
    assert call("SPC_VARIATION", col(*CASE_1), None) == [["Common cause"]]


def test_variation_with_too_few_points_says_so():
    assert call("SPC_VARIATION", col(*CASE_1[:12]), None) == [[TOO_FEW]]
    assert call("SPC_VARIATION", [[5]], None) == [[TOO_FEW]]
    # blanks are not points: 12 figures in 14 cells are still too few
    assert call("SPC_VARIATION", col(*CASE_1[:6], "", *CASE_1[6:12], ""), None) == [[TOO_FEW]]


def test_a_row_is_one_series_and_a_block_is_one_series_per_row():
    assert call("SPC_VARIATION", [CASE_4_TREND], None) == [["Concern (low)"]]
    block = [CASE_4_TREND, [*CASE_1, "", "", "", "", ""]]
    assert call("SPC_VARIATION", block, None) == [["Concern (low)"], ["Common cause"]]
    per_row = call("SPC_VARIATION", block, col("lower", "higher"))
    assert per_row == [["Improvement (low)"], ["Common cause"]]


def test_blank_cells_are_left_out_of_the_series():
    gappy = [*CASE_4_TREND[:5], "", *CASE_4_TREND[5:], None]
    want = words(xl_addin.spc(CASE_4_TREND).variation)
    assert call("SPC_VARIATION", col(*gappy), None) == [[want]]


def test_variation_errors_and_bad_arguments():
    got = call("SPC_VARIATION", col(*CASE_1[:5], DIV0, *CASE_1[5:]), None)
    assert got == [[{"type": "Error", "errorType": "Div0"}]]
    with pytest.raises(XlwingsError, match='SPC_VARIATION: values \\(item 3\\): expected a number, '
                       'found text "n/a"'):  # fmt: skip
        call("SPC_VARIATION", col(1, 2, "n/a", 4), None)
    with pytest.raises(XlwingsError, match="values \\(row 2\\) \\(item 1\\)"):
        call("SPC_VARIATION", [[1, 2], [True, 3]], None)
    with pytest.raises(XlwingsError, match="SPC_VARIATION: improvement must be one of up, down"):
        call("SPC_VARIATION", col(*CASE_1), [["sideways"]])
    with pytest.raises(XlwingsError, match="improvement: expected one value, or one per series"):
        call("SPC_VARIATION", [CASE_1, CASE_1], col("up", "down", "up"))


# -- SPC_ASSURANCE --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "up", "down"),
    [(40, "Fail", "Pass"), (30, "Hit or miss", "Hit or miss"), (10, "Pass", "Fail")],
)
def test_assurance_against_the_latest_limits(target, up, down):
    assert call("SPC_ASSURANCE", col(*CASE_5), [[target]], None) == [[up]]
    assert call("SPC_ASSURANCE", col(*CASE_5), [[target]], [["down"]]) == [[down]]


def test_assurance_blanks_and_too_few_points():
    assert call("SPC_ASSURANCE", col(*CASE_5), [[""]], None) == [[""]]  # no target, no icon
    assert call("SPC_ASSURANCE", col(*CASE_5), [[30]], [["neither"]]) == [[""]]
    assert call("SPC_ASSURANCE", col(*CASE_5[:12]), [[30]], None) == [[TOO_FEW]]
    assert call("SPC_ASSURANCE", col(*CASE_5), [[DIV0]], None) == [
        [{"type": "Error", "errorType": "Div0"}]
    ]
    with pytest.raises(XlwingsError, match="SPC_ASSURANCE: target: expected a number, found text"):
        call("SPC_ASSURANCE", col(*CASE_5), [["high"]], None)


def test_assurance_one_target_per_row():
    block = [CASE_5, CASE_5]
    got = call("SPC_ASSURANCE", block, col(40, 10), None)
    assert got == [["Fail"], ["Pass"]]
    with pytest.raises(XlwingsError, match="target: expected one value, or one per series \\(2\\)"):
        call("SPC_ASSURANCE", block, col(40, 10, 5), None)


# -- Same answers as the engine -------------------------------------------------------------

series = st.lists(st.one_of(st.integers(0, 12), st.just("")), min_size=0, max_size=30)


@settings(max_examples=60, deadline=None)
@given(
    values=series,
    improvement=st.sampled_from(["up", "down", "neither", "higher", "lower", "contextual"]),
    target=st.integers(0, 12),
)
def test_both_agree_with_the_python_api(values, improvement, target):
    figures = [None if v == "" else v for v in values]
    r = xl_addin.spc(figures, improvement, target=target)
    cells = col(*values) if values else [[""]]
    variation = call("SPC_VARIATION", cells, [[improvement]])
    assurance = call("SPC_ASSURANCE", cells, [[target]], [[improvement]])
    if r.too_few_points:
        assert variation == assurance == [[TOO_FEW]]
    else:
        assert variation == [[words(r.variation)]]
        assert assurance == [[words(r.assurance)]]
