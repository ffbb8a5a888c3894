"""The target in force, the trend forecast to its date, and when the actual is rated instead."""

import math

import pandas as pd
import pytest
from builders import make_inputs

from xl_addin import compute

PCT = {"id": "p", "calculation": "percent", "numerator": "n", "denominator": "d"}
# Jan..Jun 2022: 60%, 62%, 64%, 66%, 68%, 70%  (rising two points a month)
N = [60, 62, 64, 66, 68, 70]
D = [100] * 6
TARGETS = [("p", "2022-03-31", 0.65), ("p", "2022-09-30", 0.80), ("p", "2022-12-31", 0.90)]


def card(month=None, targets=TARGETS, n=N, d=D, **settings):
    r = compute(make_inputs([PCT], {"n": n, "d": d}, "2022-01-31", targets, settings), month)
    return r, r.scorecard.iloc[0]


def test_target_in_force_is_the_first_due_on_or_after_the_month():
    _, row = card("2022-03")
    assert row["target"] == 0.65 and row["target_date"] == pd.Timestamp("2022-03-31")
    _, row = card("2022-04")
    assert row["target"] == 0.80 and row["target_date"] == pd.Timestamp("2022-09-30")


def test_after_the_last_target_date_the_last_target_stays_in_force():
    _, row = card(targets=[("p", "2022-02-28", 0.5), ("p", "2022-04-30", 0.7)])
    assert row["target"] == 0.7 and row["rated_basis"] == "actual"


def test_forecast_is_the_least_squares_line_at_the_target_date():
    _, row = card("2022-06")  # Apr..Jun: 66, 68, 70 -> +2 points a month -> Sep = 76%
    assert row["forecast"] == pytest.approx(0.76)
    assert row["rated_basis"] == "forecast" and row["rated_value"] == pytest.approx(0.76)
    assert row["rag"] == "Amber"  # 76 vs 80: 5% short
    assert row["distance"] == pytest.approx(0.05)


def test_forecast_window_is_a_setting():
    n = [10, 90, 60, 62, 64, 66]
    _, row = card("2022-06", n=n, forecast_window=2)  # 64 -> 66: +2 a month -> Sep 72%
    assert row["forecast"] == pytest.approx(0.72)


def test_actual_is_rated_when_the_target_falls_due_in_the_month():
    _, row = card("2022-03")
    assert math.isnan(row["forecast"])
    assert row["rated_basis"] == "actual" and row["rated_value"] == pytest.approx(0.64)
    assert row["rag"] == "Green"  # 64 vs 65 is 1.5% short


def test_rag_basis_actual_rates_the_reporting_month_against_the_target_in_force():
    _, row = card("2022-06", rag_basis="actual")
    assert row["rated_basis"] == "actual" and row["rated_value"] == pytest.approx(0.70)
    assert row["rag"] == "Amber"  # 70 vs 80 is 12.5% short: the gap, Amber by default
    assert row["forecast"] == pytest.approx(0.76)  # still shown for information


def test_fewer_than_two_values_rates_the_actual():
    _, row = card("2022-01")
    assert math.isnan(row["forecast"]) and row["rated_basis"] == "actual"


def test_forecast_is_clamped_to_100_percent_for_percentages():
    n = [10, 40, 70, 100, 100, 100]
    _, row = card("2022-03", n=n, targets=[("p", "2022-12-31", 0.9)])
    assert row["forecast"] == 1.0


def test_forecast_is_clamped_at_zero_for_counts():
    m = {"id": "c", "calculation": "value", "numerator": "n", "polarity": "lower"}
    r = compute(make_inputs([m], {"n": [300, 200, 100]}, "2022-01-31", [("c", "2022-12-31", 50)]))
    row = r.scorecard.iloc[0]
    assert row["forecast"] == 0.0 and row["rag"] == "Green"


def test_no_targets_and_contextual():
    m1 = {"id": "a", "calculation": "value", "numerator": "n"}
    m2 = {"id": "b", "calculation": "value", "numerator": "n", "polarity": "contextual"}
    r = compute(make_inputs([m1, m2], {"n": [1, 2, 3]}, "2022-01-31", [("b", "2022-06-30", 5)]))
    assert list(r.scorecard["rag"]) == ["No target", "Contextual"]
    assert list(r.scorecard["direction"]) == ["▲ Improving", "▲ Up"]


def test_rag_thresholds_come_from_settings():
    _, row = card("2022-06", rag_green=0.06)
    assert row["rag"] == "Green"
    _, row = card("2022-06", rag_tolerance="points", rag_green=0.02, rag_amber=0.03)
    assert row["rag"] == "Amber"  # 4 points short: in the gap


def test_reporting_month_in_the_past_uses_no_later_data():
    later = list(N)
    full, _ = card("2022-04")
    later[4:] = [5, 5]  # May and June change wildly
    past, _ = card("2022-04", n=later)
    pd.testing.assert_frame_equal(full.scorecard, past.scorecard)
    assert past.reporting_month == pd.Timestamp("2022-04-30")
    assert past.series["month"].max() == pd.Timestamp("2022-04-30")


def test_reporting_month_from_settings_and_default_latest_with_data():
    r, _ = card(reporting_month="2022-02-15")
    assert r.reporting_month == pd.Timestamp("2022-02-28")
    r, _ = card(n=[*N[:5], None], d=[*D[:5], None])
    assert r.reporting_month == pd.Timestamp("2022-05-31")  # June column is empty
