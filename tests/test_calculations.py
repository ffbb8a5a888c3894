"""Each design §3 calculation, checked against hand arithmetic, across a financial-year boundary."""

import math

import numpy as np
import pandas as pd
import pytest
from builders import make_inputs, series_of
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_addin import compute

# Jan 2022 .. Jun 2022 crosses the April financial-year start (Mar -> Apr resets in-year sums).
NUM = [10, 20, 30, 40, 50, 60]
DEN = [100, 100, 100, 200, 200, 200]
FIRST = "2021-04-30"  # data from April 2021 so the whole 2021-22 year is present
PAD_NUM = [5] * 9 + NUM  # Apr..Dec 2021 then Jan..Jun 2022
PAD_DEN = [50] * 9 + DEN


def _one(calculation, num=PAD_NUM, den=PAD_DEN, **kw):
    m = {"id": "m", "calculation": calculation, "numerator": "n", "denominator": "d"}
    inputs = make_inputs([m], {"n": num, "d": den}, FIRST, **kw)
    return compute(inputs)


def test_value_is_the_months_figure():
    s = series_of(_one("value"), "m")
    assert s["2022-03-31"] == 30 and s["2022-04-30"] == 40


def test_percent_is_the_months_ratio():
    s = series_of(_one("percent"), "m")
    assert s["2022-03-31"] == pytest.approx(0.30)
    assert s["2022-06-30"] == pytest.approx(0.30)


def test_cumulative_in_year_resets_in_april():
    s = series_of(_one("cumulative_in_year"), "m")
    assert s["2022-03-31"] == 5 * 9 + 10 + 20 + 30  # Apr 2021 .. Mar 2022
    assert s["2022-04-30"] == 40  # new financial year starts again
    assert s["2022-06-30"] == 40 + 50 + 60


def test_rolling_in_year_percent_resets_in_april():
    s = series_of(_one("rolling_in_year_percent"), "m")
    assert s["2022-03-31"] == pytest.approx((45 + 60) / (450 + 300))
    assert s["2022-04-30"] == pytest.approx(40 / 200)
    assert s["2022-05-31"] == pytest.approx(90 / 400)


def test_financial_year_start_is_a_setting():
    s = series_of(_one("cumulative_in_year", settings={"financial_year_start_month": 1}), "m")
    assert math.isnan(s["2021-12-31"])  # the 2021 calendar year began before the data
    assert s["2022-01-31"] == 10  # calendar year resets in January
    assert s["2022-06-30"] == sum(NUM)


def test_rolling_12_month_percent():
    s = series_of(_one("rolling_12_month_percent"), "m")
    assert math.isnan(s["2022-02-28"])  # only 11 months of data so far
    # Apr 2021 .. Mar 2022: nine months of 5/50 then 10,20,30 / 100,100,100
    assert s["2022-03-31"] == pytest.approx((45 + 60) / (450 + 300))
    # May 2021 .. Apr 2022
    assert s["2022-04-30"] == pytest.approx((40 + 60 + 40) / (400 + 300 + 200))


def test_rate_per_10k_uses_population():
    s = series_of(_one("rate_per_10k", settings={"population_0_17": 33_000}), "m")
    assert s["2022-06-30"] == pytest.approx(60 / 33_000 * 10_000)


def test_projected_in_year_rate_annualises_the_year_to_date():
    s = series_of(_one("projected_in_year_rate_per_10k"), "m")
    # May 2022: 40 + 50 over 2 months -> x12/2 per 10,000 children of 10,000
    assert s["2022-05-31"] == pytest.approx((40 + 50) * 12 / 2 / 10_000 * 10_000)
    assert s["2022-03-31"] == pytest.approx((45 + 60) * 12 / 12)


def test_ratio_is_a_plain_number():
    s = series_of(_one("ratio", num=[1680] * 15, den=[80] * 15), "m")
    assert s["2022-06-30"] == pytest.approx(21.0)


def test_in_year_figures_before_the_first_data_month_are_blank_with_a_warning():
    m = {"id": "m", "calculation": "cumulative_in_year", "numerator": "n"}
    r = compute(make_inputs([m], {"n": NUM}, "2022-01-31"))
    s = series_of(r, "m")
    assert s[:"2022-03-31"].isna().all()  # Apr-Dec 2021 are not in Data
    assert s["2022-04-30"] == 40
    msgs = [str(w) for w in r.warnings if w.measure_id == "m"]
    assert len(msgs) == 3
    assert "April 2021 to December 2021" in msgs[0] and "January 2022" in msgs[0]


def test_missing_month_blanks_the_window_and_names_field_and_cell():
    num = list(PAD_NUM)
    num[10] = None  # Feb 2022 blank
    r = _one("rolling_in_year_percent", num=num)
    s = series_of(r, "m")
    assert math.isnan(s["2022-02-28"]) and math.isnan(s["2022-03-31"])
    assert s["2022-04-30"] == pytest.approx(0.2)  # a new year is unaffected
    w = next(w for w in r.warnings if w.month.month == 3 and w.month.year == 2022)
    assert w.field == "n" and w.location == "Data!L2"
    assert "n has no figure for February 2022" in w.message


def test_zero_denominator_gives_blank_and_a_warning_naming_its_cell():
    num, den = list(PAD_NUM), list(PAD_DEN)
    num[-1] = den[-1] = 0  # none due, none done: 0 of 0
    r = _one("percent", num=num, den=den)
    assert math.isnan(series_of(r, "m")["2022-06-30"])
    w = [w for w in r.warnings if w.measure_id == "m"]
    assert len(w) == 1 and "denominator d is zero" in w[0].message and w[0].field == "d"
    # June 2022 is the 15th month from B1 (column P); d is the second field (row 3)
    assert w[0].location == "Data!P3" and str(w[0]).startswith("Data!P3: ")


def test_zero_denominator_over_a_window_names_the_range():
    den = [0] * len(PAD_DEN)
    num = [0] * len(PAD_NUM)
    r = _one("rolling_in_year_percent", num=num, den=den)
    w = next(w for w in r.warnings if w.month == pd.Timestamp("2022-06-30"))
    assert w.location == "Data!N3:P3" and "summed over the window" in w.message


def test_missing_month_column_is_a_gap():
    from xl_addin.contract import RawSheet, validate_inputs

    sheets = {
        "Settings": RawSheet("Settings", [["Setting", "Value"]]),
        "Measures": RawSheet(
            "Measures",
            [
                ["id", "title", "section", "calculation", "numerator", "polarity"],
                ["m", "M", "S", "cumulative_in_year", "n", "higher"],
            ],
        ),
        "Data": RawSheet("Data", [["field", "Apr-22", "May-22", "Jul-22"], ["n", 1, 2, 4]]),
        "Targets": RawSheet("Targets", [["measure", "date", "target"]]),
    }
    r = compute(validate_inputs(sheets))
    s = series_of(r, "m")
    assert list(s.values[:2]) == [1, 3]
    assert math.isnan(s["2022-06-30"]) and math.isnan(s["2022-07-31"])
    assert any("Data has no column for June 2022" in str(w) for w in r.warnings)


def test_quarterly_measures_are_only_reported_at_quarter_ends():
    n = [None, None, 6, None, None, 9, None, None, 12]  # Apr..Dec 2022
    d = [None, None, 10, None, None, 10, None, None, 15]
    m = {
        "id": "q",
        "calculation": "percent",
        "numerator": "n",
        "denominator": "d",
        "frequency": "quarterly",
    }
    r = compute(make_inputs([m], {"n": n, "d": d}, "2022-04-30"))
    s = series_of(r, "q")
    assert list(s.index.month) == [6, 9, 12]
    assert not [w for w in r.warnings if w.measure_id == "q"]
    row = r.scorecard.iloc[0]
    assert row["value"] == pytest.approx(0.8) and row["previous"] == pytest.approx(0.9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10_000), min_size=13, max_size=30), st.integers(1, 12))
def test_in_year_sum_matches_a_plain_loop(values, start_month):
    m = {"id": "m", "calculation": "cumulative_in_year", "numerator": "n"}
    inputs = make_inputs(
        [m], {"n": values}, "2020-01-31", settings={"financial_year_start_month": start_month}
    )
    s = series_of(compute(inputs), "m")
    running, expected = 0, []
    for month, v in zip(s.index, values, strict=True):
        if month.month == start_month:
            running = 0
        running += v
        expected.append(running)
    # the months before the first April-like reset need the year before the data: blank
    first_reset = next((i for i, mo in enumerate(s.index) if mo.month == start_month), None)
    got = s.to_numpy()
    if first_reset is None:
        assert np.isnan(got).all()
        return
    assert np.isnan(got[:first_reset]).all()
    assert got[first_reset:].tolist() == expected[first_reset:]
