"""`explain` works for every measure and every month, and its rating is the one the Scorecard
gives when that month is the reporting month: on the demo, and on generated workbooks with
every calculation, blanks, quarterly measures, targets before and after the month, and each
rating setting."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from builders import make_inputs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xl_addin
from xl_addin.demo import demo_inputs
from xl_addin.engine.calculations import CALCULATIONS
from xl_addin.engine.formatting import fmt_value

RATING = re.compile(r"Rating: (Red|Amber|Green|No target|Contextual|none)")


def rating_in(lines: list[str]) -> str | None:
    found = [m.group(1) for line in lines if (m := RATING.search(line))]
    assert len(found) == 1, lines
    return None if found[0] == "none" else found[0]


def check(results_for_month: xl_addin.Results, latest: xl_addin.Results, mid: str) -> None:
    """explain from the latest results, asked for the month, against that month's Scorecard."""
    month = results_for_month.reporting_month
    lines = xl_addin.explain(latest, mid, month)
    card = results_for_month.scorecard.set_index("measure_id").loc[mid]
    assert rating_in(lines) == (card["rag"] if isinstance(card["rag"], str) else None), lines
    if pd.notna(card["month"]):
        shown = fmt_value(card["value"], card["unit"], int(card["decimals"])) or "blank"
        assert any(line.endswith(f": {shown}") for line in lines), (shown, lines)
    if isinstance(card["rag"], str) and card["rag"] in ("Red", "Amber", "Green"):
        assert any(line.startswith("Target in force: ") for line in lines)
        assert any(line.startswith("Distance from target") for line in lines)
        assert any(line.startswith("Rated value: ") for line in lines)


@pytest.fixture(scope="module")
def demo():
    inputs = demo_inputs()
    months = inputs.data.columns
    return inputs, {m: xl_addin.compute(inputs, m) for m in months}


def test_every_measure_and_month_of_the_demo(demo):
    inputs, by_month = demo
    latest = by_month[max(by_month)]
    for results in by_month.values():
        for mid in inputs.measures.index:
            check(results, latest, mid)


def test_a_quarterly_measure_in_a_month_that_is_not_a_quarter_end(demo):
    _, by_month = demo
    latest = by_month[max(by_month)]
    lines = xl_addin.explain(latest, "voice_see_sw", "2022-10")  # once an IndexError
    assert lines[0].startswith("voice_see_sw is quarterly and October 2022 is not a quarter end")
    assert "September 2022" in lines[0]
    assert rating_in(lines) == latest.scorecard.set_index("measure_id").at["voice_see_sw", "rag"]
    early = xl_addin.explain(latest, "voice_see_sw", "2021-11")  # before the first quarter end
    assert "no quarter end on or before November 2021" in early[0]


def test_after_the_last_target_the_wording_says_so():
    inputs = make_inputs(
        [{"id": "m", "calculation": "value", "numerator": "n", "polarity": "lower"}],
        {"n": [50, 48, 47, 45, 44, 43]},
        "2022-04-30",
        targets=[("m", "2022-06-30", 46)],
    )
    lines = xl_addin.explain(xl_addin.compute(inputs), "m")
    target = next(line for line in lines if line.startswith("Target in force"))
    assert "the last target; it stays in force after its due date" in target
    assert "first target due on or after" not in target
    due_now = xl_addin.explain(xl_addin.compute(inputs, "2022-06"), "m")
    assert any("due this month, so the actual value is rated" in line for line in due_now)


def test_explain_names_what_the_figure_is_compared_with(demo):
    _, by_month = demo
    latest = by_month[max(by_month)]
    text = "\n".join(xl_addin.explain(latest, "open_cases"))
    assert "Compared with: 2,466 in Sep 2022; as shown, that is ▼ Down." in text


# -- generated workbooks ---------------------------------------------------------------------------

CALCS = sorted(CALCULATIONS)


@st.composite
def workbooks(draw):
    n_months = draw(st.integers(3, 30))
    first = draw(st.sampled_from(["2021-01-31", "2021-03-31", "2021-04-30", "2021-10-31"]))
    dens = [draw(st.one_of(st.none(), st.integers(0, 60))) for _ in range(n_months)]
    nums = [
        None
        if d is None or (draw(st.booleans()) and draw(st.booleans()))
        else draw(st.integers(0, d))
        for d in dens
    ]
    fractions = [None if x is None else round(x / 60, 3) for x in nums]
    measures, targets = [], []
    for i, calc in enumerate(CALCS):
        mid = f"m{i}"
        num = "pv" if calc == "percent_value" else "n"
        measures.append(
            {
                "id": mid,
                "calculation": calc,
                "numerator": num,
                "denominator": "d" if CALCULATIONS[calc].needs_denominator else None,
                "polarity": draw(st.sampled_from(["higher", "lower", "contextual"])),
                "frequency": draw(st.sampled_from(["monthly", "monthly", "quarterly"])),
            }
        )
        unit = CALCULATIONS[calc].unit
        for _ in range(draw(st.integers(0, 3))):
            due = pd.Timestamp(first) + pd.offsets.MonthEnd(draw(st.integers(0, n_months + 6)))
            value = draw(st.floats(0.05, 0.95)) if unit == "percent" else draw(st.integers(1, 400))
            if (mid, due.date().isoformat()) not in {(t[0], t[1]) for t in targets}:
                targets.append((mid, due.date().isoformat(), value))
    choices = {
        "rag_basis": draw(st.sampled_from(["forecast", "actual"])),
        "rag_tolerance": draw(st.sampled_from(["relative", "points"])),
        "forecast_window": draw(st.integers(2, 6)),
        "financial_year_start_month": draw(st.sampled_from([4, 1, 9])),
    }
    inputs = make_inputs(measures, {"n": nums, "d": dens, "pv": fractions}, first, targets, choices)
    month_index = draw(st.integers(0, n_months - 1))
    return inputs, month_index


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(workbooks())
def test_explain_agrees_with_the_scorecard_on_generated_workbooks(case):
    inputs, month_index = case
    latest = xl_addin.compute(inputs)
    month = inputs.data.columns[month_index]
    results = xl_addin.compute(inputs, month)
    for mid in inputs.measures.index:
        check(results, latest, mid)
    assert np.all(results.scorecard["month"].dropna() <= month)
