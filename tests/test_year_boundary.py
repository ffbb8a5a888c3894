"""The financial-year boundary: in-year measures start again each April, and nothing the
Scorecard or the commentary says may depend on last year's months, last year's targets, or a
comparison across the reset (docs/workbook.md, "The financial-year boundary").

The workbook is the one an analyst reported: April 2021 to April 2023, a year-to-date count of
children, a projected rate per 10,000 and a year-to-date percentage, with targets due
31/03/2022 and 31/03/2023 only.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from builders import make_inputs
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_addin import compute
from xl_addin.engine.rag import GREEN, NO_TARGET

# Apr 2021 .. Mar 2022 (117 in all), Apr 2022 .. Mar 2023 (149), Apr 2023
COUNTS = [10, 9, 11, 10, 12, 8, 10, 10, 9, 11, 10, 7]
COUNTS += [13, 12, 11, 14, 12, 13, 12, 11, 13, 12, 14, 12]
COUNTS += [12]
DENOMINATORS = [40] * 25
MEASURES = [
    {"id": "ytd", "calculation": "cumulative_in_year", "numerator": "n"},
    {"id": "proj", "calculation": "projected_in_year_rate_per_10k", "numerator": "n"},
    {"id": "pct", "calculation": "rolling_in_year_percent", "numerator": "n", "denominator": "d"},
    {"id": "open", "calculation": "value", "numerator": "n"},  # not in-year: a control
]
TARGETS = [
    ("ytd", "2022-03-31", 120),
    ("ytd", "2023-03-31", 120),
    ("proj", "2022-03-31", 140),
    ("proj", "2023-03-31", 140),
    ("pct", "2022-03-31", 0.25),
    ("pct", "2023-03-31", 0.3),
    ("open", "2023-03-31", 12),
]


def _inputs(counts=COUNTS, targets=TARGETS, **settings):
    data = {"n": counts, "d": DENOMINATORS[: len(counts)]}
    return make_inputs(MEASURES, data, "2021-04-30", targets=targets, settings=settings)


def card(month: str, counts=COUNTS, targets=TARGETS, **settings) -> pd.DataFrame:
    return compute(_inputs(counts, targets, **settings), month).scorecard.set_index("measure_id")


# -- forecasts never use an earlier year's months ----------------------------------------------


def test_april_running_total_is_projected_from_this_year_only():
    row = card("2022-04").loc["ytd"]
    assert row["value"] == 13
    # 13 in one month, so 13 a month to 31 March 2023: 13 x 12 (never the 0 a trend from
    # February 110 and March 117 down to April 13 would give)
    assert row["forecast"] == 13 * 12
    assert row["forecast"] >= row["value"]
    assert row["rag"] == GREEN  # 156 against 120, higher is better


def test_projected_rate_in_april_is_rated_on_its_own_projection():
    row = card("2022-04").loc["proj"]
    assert row["value"] == pytest.approx(13 * 12 / 1 / 10_000 * 10_000)
    assert row["forecast"] == pytest.approx(row["value"])  # never 0.0 from last year's trend
    assert row["rag"] == GREEN


def test_year_to_date_percentage_in_april_is_rated_on_the_actual_value():
    row = card("2022-04").loc["pct"]
    assert row["value"] == pytest.approx(13 / 40)
    assert math.isnan(row["forecast"]) and row["rated_basis"] == "actual"


def test_later_in_the_year_the_trend_uses_only_this_years_months():
    row = card("2022-06", forecast_window=6).loc["pct"]
    # six months back would reach January 2022: the trend runs through April to June only
    apr, may, jun = 13 / 40, (13 + 12) / 80, (13 + 12 + 11) / 120
    xs, ys = np.array([0, 1, 2]), np.array([apr, may, jun])
    slope, intercept = np.polyfit(xs, ys, 1)
    assert row["forecast"] == pytest.approx(intercept + slope * (2 + 9))  # to March 2023


@settings(max_examples=20, deadline=None)
@given(
    this_year=st.lists(st.integers(0, 40), min_size=1, max_size=12),
    last_year=st.lists(st.integers(0, 40), min_size=12, max_size=12),
    other=st.lists(st.integers(0, 40), min_size=12, max_size=12),
)
def test_forecasts_ignore_every_month_of_the_year_before(this_year, last_year, other):
    """Change every figure of 2021-22: no 2022-23 forecast or rating moves; a running total's
    forecast is never below the total already reached."""
    month = f"2022-{3 + len(this_year):02d}" if len(this_year) < 10 else None
    month = month or f"2023-{len(this_year) - 9:02d}"
    targets = [(m, d, t) for m, d, t in TARGETS if m != "open"]
    a = card(month, last_year + this_year, targets)
    b = card(month, other + this_year, targets)
    for mid in ("ytd", "proj", "pct"):
        for col in ("value", "forecast", "rag"):
            x, y = a.at[mid, col], b.at[mid, col]
            assert (x == y) or (isinstance(x, float) and math.isnan(x) and math.isnan(y)), (
                mid,
                col,
            )
    ytd = a.loc["ytd"]
    if ytd["target_date"] > ytd["month"]:  # in the target's own month the actual is rated
        assert ytd["forecast"] >= ytd["value"] - 1e-9


# -- a target belongs to the year it falls due in ------------------------------------------------


def test_a_year_with_no_target_is_not_rated_against_last_years():
    results = compute(_inputs(), "2023-04")
    sc = results.scorecard.set_index("measure_id")
    for mid in ("ytd", "proj", "pct"):
        assert sc.at[mid, "rag"] == NO_TARGET, mid
        assert math.isnan(sc.at[mid, "target"])
    warned = [w for w in results.reporting_warnings() if w.measure_id == "ytd"]
    assert len(warned) == 1
    assert "no target due in the financial year 2023-24" in warned[0].message
    # a month-end measure keeps its last target after the due date, as before
    assert sc.at["open", "target"] == 12 and sc.at["open", "rag"] != NO_TARGET


def test_a_mid_year_milestone_does_not_rate_the_rest_of_that_year():
    targets = [("ytd", "2022-09-30", 60)]
    sc = card("2022-12", targets=targets)
    assert sc.at["ytd", "rag"] == NO_TARGET
    assert card("2022-08", targets=targets).at["ytd", "target"] == 60


def test_charts_draw_no_target_in_a_year_without_one():
    results = compute(_inputs(), "2023-04")
    s = results.series.set_index(["measure_id", "month"])["target"]
    assert math.isnan(s[("ytd", pd.Timestamp("2023-04-30"))])
    assert s[("ytd", pd.Timestamp("2023-03-31"))] == 120


# -- previous and direction compare like with like -----------------------------------------------


def test_first_month_of_the_year_is_compared_with_a_year_earlier():
    sc = card("2023-04")
    row = sc.loc["pct"]
    assert row["previous"] == pytest.approx(13 / 40)  # April 2022, not March 2023's whole year
    assert row["compared_with"] == "Apr 2022 (a year earlier)"
    assert row["direction"] == "▼ Worsening"  # 30.0% against 32.5%, higher is better
    assert sc.at["open", "compared_with"] == "Mar 2023"  # not in-year: last month


def test_a_running_total_is_always_compared_with_a_year_earlier():
    sc = card("2022-09")
    assert sc.at["ytd", "previous"] == sum(COUNTS[:6])  # April to September 2021
    assert sc.at["ytd", "value"] == sum(COUNTS[12:18])
    assert sc.at["ytd", "compared_with"] == "Sep 2021 (a year earlier)"


def test_no_year_earlier_figure_means_no_direction_and_says_why():
    sc = card("2022-04")  # April 2021 is the first month of Data
    sc_first = card("2021-04")
    for mid in ("ytd", "pct"):
        assert sc_first.at[mid, "direction"] is None
        assert sc_first.at[mid, "compared_with"].startswith("none: Data starts after")
    assert sc.at["ytd", "direction"] == "▲ Improving"  # 13 against 10 a year earlier


def test_april_is_never_shown_as_a_fall_from_march():
    sc = card("2023-04")
    for mid in ("ytd", "proj", "pct"):
        assert sc.at[mid, "previous_month"] != pd.Timestamp("2023-03-31"), mid


# -- the commentary follows the same rules --------------------------------------------------------


def test_commentary_never_compares_across_the_reset():
    counts = [*COUNTS[:-1], 10]  # April 2023: 10 of 40
    targets = [*TARGETS, ("pct", "2024-03-31", 0.3), ("ytd", "2024-03-31", 120)]
    results = compute(_inputs(counts, targets), "2023-04")
    in_year = [str(c) for c in results.commentary if c.measure_id in ("ytd", "proj", "pct")]
    text = "\n".join(in_year)
    assert "March 2023" not in text
    assert "(was " not in text  # no "now Red (was Green)" across years
    assert (
        "pct was 25.0% in April 2023 against 32.5% in April 2022, a year earlier "
        "(−7.5 percentage points)." in text
    )


def test_a_red_running_total_is_explained_by_this_years_rate():
    targets = [("ytd", "2023-03-31", 300)]
    results = compute(_inputs(targets=targets), "2022-06")
    red = [str(c) for c in results.commentary if c.kind == "red"]
    assert red == [
        "ytd is Red: 36 in June 2022 against a target of 300 due 31 March 2023; at this "
        "year's average monthly rate so far it would reach 144 by then."
    ]


# -- the analyst's reproduction, through the command line ----------------------------------------


def test_the_reported_workbook_through_the_command_line(tmp_path, capsys):
    """`kpis --month 2022-04`, then April 2023 added and the workbook refreshed."""
    import json

    import openpyxl
    from builders import make_sheets
    from support.tables import table_by_first_column

    from xl_addin.cli import main
    from xl_addin.io.write_inputs import write_input_workbook

    book = tmp_path / "book.xlsx"
    data = {"n": COUNTS[:24], "d": DENOMINATORS[:24]}
    write_input_workbook(make_sheets(MEASURES, data, "2021-04-30", TARGETS), book)
    assert main(["kpis", str(book), "--month", "2022-04", "--format", "json"]) == 0
    rows = {r["measure_id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["ytd"]["forecast"] == 156 and rows["ytd"]["rag"] == "Green"
    assert rows["proj"]["forecast"] == pytest.approx(156.0)
    assert rows["ytd"]["compared_with"] == "Apr 2021 (a year earlier)"

    data = {"n": COUNTS, "d": DENOMINATORS}  # April 2023 added
    write_input_workbook(make_sheets(MEASURES, data, "2021-04-30", TARGETS), book)
    assert main(["refresh", str(book), "--no-backup", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "ytd has no target due in the financial year 2023-24" in err
    card_rows = table_by_first_column(openpyxl.load_workbook(book)["Scorecard"], "Scorecard")
    assert card_rows["ytd"]["RAG"] == "No target"
    assert card_rows["ytd"]["Compared with"] == "Apr 2022 (a year earlier)"
    assert card_rows["ytd"]["Direction"] == "▼ Worsening"  # 12 against 13 a year earlier
