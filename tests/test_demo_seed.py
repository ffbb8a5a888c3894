"""Every figure measures.md says the demo reproduces from the seed, read back through the CLI."""

import io
import json
import subprocess
import sys

import pandas as pd
import pytest

import xl_addin
from xl_addin.demo import demo_inputs


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xl_addin.cli", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    done = run("demo", "--out", str(path))
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="module")
def series(demo_book):
    done = run("kpis", str(demo_book), "--series", "--format", "csv")
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(io.StringIO(done.stdout), parse_dates=["month"])
    return frame.set_index(["measure_id", "month"])["value"]


@pytest.fixture(scope="module")
def data(demo_book):
    return xl_addin.read_inputs(demo_book).data


COUNTS = [
    ("open_cases", "2022-08-31", 2393),
    ("open_cases", "2022-09-30", 2466),
    ("open_cases", "2022-10-31", 2352),
    ("cp_open", "2022-03-31", 230),
    ("cp_open", "2022-08-31", 281),
    ("cp_open", "2022-09-30", 316),
    ("cla_open", "2022-08-31", 625),
    ("cla_open", "2022-09-30", 633),
    ("cla_open", "2022-10-31", 623),
    ("eh_open", "2022-09-30", 1004),
]
PERCENTS = [
    ("re_referrals", "2022-10-31", 28),
    ("assessments_45wd", "2022-09-30", 63),
    ("permanent_sw", "2022-09-30", 28),
    ("voice_see_sw", "2022-06-30", 49),
    ("voice_see_sw", "2022-09-30", 69),
    ("voice_contact_sw", "2022-09-30", 75),
    ("voice_positive_difference", "2022-06-30", 60),
    ("voice_positive_difference", "2022-09-30", 69),
    ("voice_feel_safe", "2022-09-30", 94),
    ("voice_happy_home", "2022-09-30", 98),
    ("voice_happy_school", "2022-06-30", 66),
    ("voice_happy_school", "2022-09-30", 71),
]


@pytest.mark.parametrize(("measure", "month", "expected"), COUNTS)
def test_seed_counts(series, measure, month, expected):
    assert series[(measure, pd.Timestamp(month))] == expected


@pytest.mark.parametrize(("measure", "month", "expected"), PERCENTS)
def test_seed_percentages_round_to_the_reported_whole_percent(series, measure, month, expected):
    assert round(series[(measure, pd.Timestamp(month))] * 100) == expected


@pytest.mark.parametrize(("measure", "expected"), [("sw_caseload", 21), ("asye_caseload", 15)])
def test_seed_caseloads(series, measure, expected):
    assert round(series[(measure, pd.Timestamp("2022-10-31"))]) == expected


def test_seed_in_month_figures_behind_the_rolling_measures(data):
    def in_month(num, den, month):
        return round(data.at[num, pd.Timestamp(month)] / data.at[den, pd.Timestamp(month)] * 100)

    assert in_month("re_referrals", "referrals", "2022-09-30") == 30
    assert in_month("re_referrals", "referrals", "2022-10-31") == 23
    for month in ("2022-07-31", "2022-08-31", "2022-09-30"):
        assert 79 <= in_month("assessments_in_45wd", "assessments_completed", month) <= 81


def test_seed_survey_respondents(data):
    got = [
        data.at["voice_respondents", pd.Timestamp(m)]
        for m in ("2022-03-31", "2022-06-30", "2022-09-30")
    ]
    assert got == [54, 77, 67]


def test_rolling_assessment_timeliness_improves_month_on_month(series):
    months = pd.date_range("2022-06-30", "2022-09-30", freq="ME")
    values = [series[("assessments_45wd", m)] for m in months]
    assert values == sorted(values) and len(set(values)) == 4


def test_scorecard_json_has_the_contract_columns(demo_book):
    done = run("kpis", str(demo_book), "--format", "json")
    assert done.returncode == 0
    rows = json.loads(done.stdout)
    assert len(rows) == 32
    assert list(rows[0]) == [
        "measure_id",
        "measure",
        "section",
        "month",
        "value",
        "previous",
        "compared_with",
        "target",
        "target_date",
        "forecast",
        "rag",
        "direction",
        "variation",
        "assurance",
    ]
    by_id = {r["measure_id"]: r for r in rows}
    assert by_id["open_cases"]["value"] == 2352 and by_id["open_cases"]["previous"] == 2466
    assert by_id["open_cases"]["compared_with"] == "Sep 2022"
    assert by_id["cp_visits"]["target_date"] == "2022-12-31"
    assert 0 < by_id["cp_visits"]["value"] < 1  # percentages as fractions
    assert by_id["open_cases"]["rag"] == "Contextual"


def test_commentary_gets_the_seeds_arithmetic_right():
    results = xl_addin.compute(demo_inputs())
    text = "\n".join(map(str, results.commentary))
    assert "from 2,393 on 31 August 2022 to 2,466 on 30 September 2022 (+73, 3.1%)" in text
    assert "then fell to 2,352 on 31 October 2022 (−114, −4.6%)" in text
