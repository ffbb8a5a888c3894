"""Recalculated limits and baselines: each partition has its own mean and limits, while a shift,
trend or two of three carries across a recalculation (as in the MDC Excel tool)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from xl_addin.process_control import partition_positions, spc

# Two levels: each partition alternates about its own mean; the last three points of the first
# and the first three of the second lie above their own partition's mean.
FIRST = [4, 6, 4, 6, 4, 6, 4, 6, 6, 6]  # mean 5.2, moving ranges 2 ×7, 0 ×2
SECOND = [16, 16, 16, 14, 16, 14, 16, 14, 16, 14]  # mean 15.2, moving ranges 0 ×2, 2 ×7


def test_each_partition_has_its_own_mean_and_limits():
    r = spc(FIRST + SECOND, recalculate=[10])
    assert r.partitions == ((0, 10), (10, 20))
    assert np.allclose(r.mean_line, [5.2] * 10 + [15.2] * 10)
    # the moving range across the recalculation (6 -> 16) belongs to neither partition
    first_half, second_half = 2.66 * 14 / 9, 2.66 * 14 / 9
    assert np.allclose(r.upper_line[:10], 5.2 + first_half)
    assert np.allclose(r.lower_line[10:], 15.2 - second_half)
    assert (r.mean, r.upper, r.lower) == pytest.approx(
        (15.2, 15.2 + second_half, 15.2 - second_half)
    )


def test_a_shift_carries_across_a_recalculation():
    r = spc(FIRST + SECOND, recalculate=[10])
    flagged = [i + 1 for i, p in enumerate(r.points) if p != "common"]
    assert flagged == [8, 9, 10, 11, 12, 13]  # three either side of the recalculation
    assert all(r.rules[i - 1] == ("shift",) for i in flagged)
    # on their own, neither partition has a run of six
    for part in (FIRST, SECOND):
        assert spc(part, min_points=10).points == ["common"] * 10


def test_a_trend_carries_across_a_recalculation():
    values = [5, 9, 5, 9, 5, 9, 1, 2, 3, 30, 31, 32, 28, 32, 28, 32, 28]  # recalculated at 10
    r = spc(values, recalculate=[9])
    # 1, 2, 3 | 30, 31, 32: six points each higher than the one before, across the recalculation
    assert [i + 1 for i, rules in enumerate(r.rules) if "trend" in rules] == [7, 8, 9, 10, 11, 12]
    assert all(r.points[i - 1] == "improvement" for i in range(7, 13))


def test_the_minimum_counts_points_over_the_whole_chart():
    r = spc(FIRST[:8] + SECOND[:6], recalculate=[8])  # 14 points in partitions of 8 and 6
    assert r.upper is not None and r.variation is not None


def test_recalculations_after_the_last_value_have_not_happened_yet():
    values = FIRST + SECOND
    plain = spc(values)
    later = spc(values, recalculate=[20, 35])
    assert later.partitions == ((0, 20),)
    assert (later.points, later.upper) == (plain.points, plain.upper)


def test_a_partition_of_one_point_has_a_mean_but_no_limits():
    r = spc(FIRST + SECOND, recalculate=[19], target=10)
    assert r.mean == 14 and r.upper is None and r.lower is None and r.assurance is None
    assert r.points[18] in ("common", "improvement", "concern")  # still judged by the runs


def test_bad_partitions_are_refused():
    with pytest.raises(ValueError, match="recalculate: positions must be 0 or more"):
        spc(FIRST + SECOND, recalculate=[-1])
    with pytest.raises(ValueError, match="run past the recalculation at position 10"):
        spc(FIRST + SECOND, recalculate=[10], baseline=12)
    with pytest.raises(ValueError, match="baseline"):
        spc(FIRST + SECOND, baseline=0)


# -- Baselines --------------------------------------------------------------------------------

STABLE = [9, 11, 10, 12, 8, 10, 11, 9, 10, 12, 9, 11]  # mean 10.1666..., the first 12 months
AFTER = [13, 14, 13, 15, 14, 13, 14, 15]


def test_a_baseline_sets_the_limits_from_its_points_and_extends_them():
    r = spc(STABLE + AFTER, baseline=12)
    mean = sum(STABLE) / 12
    mr_bar = sum(abs(a - b) for a, b in zip(STABLE[1:], STABLE[:-1], strict=True)) / 11
    assert r.mean == pytest.approx(mean)
    assert r.upper == pytest.approx(mean + 2.66 * mr_bar)
    assert np.allclose(r.mean_line, mean)  # extended over the points after the baseline
    # point 12 (11) is above the baseline mean too, so the shift runs from there
    assert [i + 1 for i, p in enumerate(r.points) if p == "improvement"] == list(range(12, 21))
    assert all("shift" in r.rules[i] for i in range(11, 20))
    # without a baseline, the later months move the mean and limits up with them
    whole = spc(STABLE + AFTER)
    assert whole.mean == pytest.approx(sum(STABLE + AFTER) / 20)
    assert whole.upper > r.upper


def test_with_a_baseline_a_new_month_does_not_move_the_limits():
    values = STABLE + AFTER
    before = spc(values[:-1], baseline=12)
    after = spc(values, baseline=12)
    assert (before.mean, before.upper, before.lower) == (after.mean, after.upper, after.lower)
    assert spc(values[:-1]).upper != spc(values).upper  # whereas the whole-series limits move


def test_a_baseline_then_a_recalculation():
    values = STABLE + AFTER + [30, 32, 31, 33, 30]
    r = spc(values, baseline=12, recalculate=[20])
    assert r.mean_line[0] == pytest.approx(sum(STABLE) / 12)
    assert r.mean_line[19] == pytest.approx(sum(STABLE) / 12)
    assert r.mean == pytest.approx(sum(values[20:]) / 5)


def test_blanks_in_a_baseline_are_left_out():
    values: list[float | None] = [*STABLE[:5], None, *STABLE[5:], *AFTER]
    r = spc(values, baseline=13)  # 13 positions, 12 values
    assert r.mean == pytest.approx(sum(STABLE) / 12)
    assert r.points[5] is None and r.rules[5] is None
    assert math.isclose(r.mean_line[5], r.mean)  # the line does not break at the blank


# -- From dates (an input sheet gives months, not positions) ----------------------------------

MONTHS = pd.date_range("2021-04-30", periods=24, freq="ME")  # April 2021 to March 2023


def test_dates_become_positions_by_calendar_month():
    recalculate, baseline = partition_positions(MONTHS, ["2022-04-01"], dt.date(2022, 3, 1))
    assert (recalculate, baseline) == ([12], 12)  # from April 2022; up to and including March
    assert partition_positions(MONTHS, [pd.Timestamp("2022-04-30")]) == ([12], None)
    # not yet reached, or still filling
    assert partition_positions(MONTHS, ["2023-06-01"], "2024-01-31") == ([], 24)
    values = [*STABLE, *AFTER, 14, 13, 15, 14]
    by_date = spc(values, baseline=partition_positions(MONTHS, [], "2022-03-31")[1])
    assert by_date.mean == pytest.approx(sum(STABLE) / 12)


def test_dates_that_cannot_work_are_refused_in_months():
    with pytest.raises(ValueError, match="the baseline ends \\(January 2020\\) before the first"):
        partition_positions(MONTHS, [], "2020-01-15")
    with pytest.raises(ValueError, match="past the recalculation from January 2022"):
        partition_positions(MONTHS, ["2022-01-01"], "2022-03-31")
    with pytest.raises(ValueError, match="ISO date text"):
        partition_positions(MONTHS, ["01/04/2022"])  # 1 April or 4 January?
    with pytest.raises(ValueError, match="time order"):
        partition_positions(MONTHS[::-1], ["2022-01-01"])
