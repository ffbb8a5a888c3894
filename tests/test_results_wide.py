"""`Results.wide`: the measures x months tables that KPI Values, the charts and the board pack
draw. A misplaced cell here would put one measure's figure on another's chart."""

import math

import pandas as pd
from builders import make_inputs

from xl_addin import compute

MEASURES = [
    {"id": "b", "calculation": "value", "numerator": "x"},
    {"id": "a", "calculation": "percent", "numerator": "n", "denominator": "d"},
    {"id": "never", "calculation": "value", "numerator": "z"},
]
DATA = {"x": [5, None, 7, 9], "n": [1, 2, 0, 4], "d": [10, 10, 0, 10], "z": [None] * 4}
TARGETS = [("a", "2022-02-28", 0.2), ("a", "2022-12-31", 0.5)]


def results():
    return compute(make_inputs(MEASURES, DATA, "2022-01-31", TARGETS))


def test_rows_follow_the_measures_sheet_and_columns_are_every_month_in_order():
    r = results()
    wide = r.wide()
    assert list(wide.index) == ["b", "a", "never"]
    assert list(wide.columns) == sorted(set(r.series["month"]))
    assert list(wide.columns) == list(pd.date_range("2022-01-31", periods=4, freq="ME"))


def test_every_cell_is_the_series_figure_for_that_measure_and_month():
    r = results()
    for column in ("value", "target"):
        wide = r.wide(column)
        seen = 0
        for rec in r.series.itertuples(index=False):
            want, got = getattr(rec, column), wide.at[rec.measure_id, rec.month]
            assert (math.isnan(want) and math.isnan(got)) or got == want
            seen += 1
        assert seen == len(r.series)


def test_blanks_stay_blank_never_zero():
    r = results()
    wide = r.wide()
    assert math.isnan(wide.at["b", pd.Timestamp("2022-02-28")])  # no Data figure
    assert math.isnan(wide.at["a", pd.Timestamp("2022-03-31")])  # zero denominator
    assert wide.loc["never"].isna().all()
    assert wide.at["a", pd.Timestamp("2022-04-30")] == 0.4


def test_targets_table_holds_the_target_in_force():
    wide = results().wide("target")
    assert list(wide.loc["a"]) == [0.2, 0.2, 0.5, 0.5]
    assert wide.loc["b"].isna().all()
