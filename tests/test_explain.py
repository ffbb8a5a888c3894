"""`explain`: the working shown for a figure must reproduce the figure from the cells it names."""

import dataclasses
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest

import xl_addin
from xl_addin import cli
from xl_addin.demo import demo_inputs

AUG, OCT = pd.Timestamp("2022-08-31"), pd.Timestamp("2022-10-31")


@pytest.fixture(scope="module")
def results():
    return xl_addin.compute(demo_inputs())


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("explain") / "demo.xlsx"
    assert cli.main(["demo", "--out", str(path), "--quiet"]) == 0
    return path


def _sum_line(lines, role):
    line = next(x for x in lines if x.strip().startswith(role))
    cells = re.search(r"Data!([A-Z]+)(\d+)(?::([A-Z]+)\d+)?", line)
    total = float(line.rsplit("= ", 1)[1].replace(",", ""))
    return cells, total


def test_rolling_figure_is_rebuilt_from_the_named_cells(results, book):
    lines = xl_addin.explain(results, "re_referrals")
    ws = openpyxl.load_workbook(book, data_only=True)["Data"]
    totals = {}
    for role in ("numerator", "denominator"):
        cells, total = _sum_line(lines, role)
        first, row, last = cells.group(1), cells.group(2), cells.group(3)
        got = sum(c.value for c in ws[f"{first}{row}:{last}{row}"][0])
        assert got == total
        totals[role] = total
    value = results.scorecard.set_index("measure_id").at["re_referrals", "value"]
    assert totals["numerator"] / totals["denominator"] == pytest.approx(value)
    assert any("Rating: Red" in x for x in lines)
    assert any("Aug 2022" in x and "projected to 31 December 2022" in x for x in lines)


def test_rate_shows_population(results):
    lines = xl_addin.explain(results, "cla_rate")
    assert "623 ÷ 33,000 (population_0_17) × 10,000 = 188.8" in "\n".join(lines)


def test_blank_figure_says_why(results):
    text = "\n".join(xl_addin.explain(results, "re_referrals", "2022-03"))
    assert "March 2022: blank" in text and "never 0" in text
    assert "Rating: none (the value is blank)." in text


def test_a_blank_among_the_trends_points_is_named_and_left_out():
    """The forecast is fitted to the figures there are: the working says which month was blank,
    and a line through the two it names gives the forecast rated."""
    inputs = demo_inputs()
    data = inputs.data.copy()
    data.at["cp_visited_in_time", pd.Timestamp("2022-09-30")] = np.nan
    results = xl_addin.compute(dataclasses.replace(inputs, data=data))
    line = next(x for x in xl_addin.explain(results, "cp_visits") if x.startswith("Rated value"))
    assert "Aug 2022 79.0%, Sep 2022 blank (left out), Oct 2022 83.1%" in line
    card = results.scorecard.set_index("measure_id").loc["cp_visits"]
    aug, oct_ = (data.at["cp_visited_in_time", m] / data.at["cp_open", m] for m in (AUG, OCT))
    # months 0 and 2 of the line, projected to December (month 4)
    assert card["forecast"] == pytest.approx(min(aug + (oct_ - aug) / 2 * 4, 1.0))
    assert f"= {card['forecast']:.1%}" in line


def test_contextual_and_better_than_target(results):
    assert xl_addin.explain(results, "open_cases")[-1].startswith("Rating: Contextual")
    text = "\n".join(xl_addin.explain(results, "voice_happy_home"))
    assert "(better than target)" in text and "Rating: Green" in text


def test_cli_explain(book, capsys):
    assert cli.main(["explain", str(book), "sw_caseload"]) == 0
    out = capsys.readouterr().out
    assert "1,680 ÷ 80 = 21.0" in out
    assert cli.main(["explain", str(book), "no_such_measure"]) == 2
    assert 'no measure with id "no_such_measure"' in capsys.readouterr().err
