"""Properties every XmR reading must have, and a cross-check against a slow, obvious version of
the MDC rules written here from spc.md (window by window, no runs, no numpy)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from xl_addin.process_control import SpcSettings, spc
from xl_addin.process_control.chart import spc_rows

SWAP = {"improvement": "concern", "concern": "improvement", "common": "common", None: None}

# Figures as analysts have them: small whole numbers give ties, points on the mean and long
# runs often; random walks give trends; a step gives shifts and points beyond the limits.
small = st.lists(st.integers(0, 12), min_size=0, max_size=40)
walk = st.lists(st.integers(-3, 3), min_size=1, max_size=40).map(
    lambda steps: [sum(steps[: i + 1]) for i in range(len(steps))]
)
step = st.tuples(
    st.lists(st.integers(0, 6), min_size=5, max_size=20),
    st.lists(st.integers(4, 14), min_size=5, max_size=20),
).map(lambda ab: ab[0] + ab[1])
series = st.one_of(small, walk, step)
judged = series.filter(lambda v: len(v) >= 13)
directions = st.sampled_from(["up", "down", "neither"])


# -- The slow, obvious version -------------------------------------------------------------


def _gt(a: float, b: float) -> bool:
    """a is above b in decimals (9 places, as the RAG rule judges boundaries)."""
    return round(a - b, 9) > 0


def oracle(values, improvement="up", shift=6, trend=6, include=False, conflict="improvement"):
    """Point kinds by spc.md, one point and one window at a time (single partition)."""
    y = [v for v in values if v is not None]
    n = len(y)
    if n < 13:
        return [None] * len(values)
    mean = sum(y) / n
    mr = sum(abs(y[i] - y[i - 1]) for i in range(1, n)) / (n - 1)
    upper, lower = mean + 2.66 * mr, mean - 2.66 * mr
    upper2, lower2 = mean + 2.66 * mr * 2 / 3, mean - 2.66 * mr * 2 / 3

    def windows(i, size):
        """Every window of `size` consecutive points that contains point i."""
        return [range(s, s + size) for s in range(max(0, i - size + 1), min(i, n - size) + 1)]

    def near_high(j):
        return _gt(y[j], upper2) and (include or not _gt(y[j], upper))

    def near_low(j):
        return _gt(lower2, y[j]) and (include or not _gt(lower, y[j]))

    kinds = []
    for i in range(n):
        high = _gt(y[i], upper)
        low = _gt(lower, y[i])
        for w in windows(i, shift):
            high |= all(_gt(y[j], mean) for j in w)
            low |= all(_gt(mean, y[j]) for j in w)
        for w in windows(i, trend):
            high |= all(_gt(y[j], y[j - 1]) for j in list(w)[1:])
            low |= all(_gt(y[j - 1], y[j]) for j in list(w)[1:])
        for w in windows(i, 3):
            if all(_gt(y[j], mean) for j in w) and sum(near_high(j) for j in w) >= 2:
                high |= near_high(i)
            if all(_gt(mean, y[j]) for j in w) and sum(near_low(j) for j in w) >= 2:
                low |= near_low(i)
        if not (high or low):
            kinds.append("common")
        elif improvement == "neither":
            kinds.append("neither")
        elif high and low:
            kinds.append(conflict)
        else:
            kinds.append("improvement" if high == (improvement == "up") else "concern")
    it = iter(kinds)
    return [None if v is None else next(it) for v in values]


@settings(max_examples=300, deadline=None)
@given(
    values=series,
    improvement=directions,
    shift=st.integers(5, 9),
    trend=st.integers(5, 9),
    include=st.booleans(),
    conflict=st.sampled_from(["improvement", "concern"]),
)
def test_agrees_with_the_slow_obvious_version(values, improvement, shift, trend, include, conflict):
    got = spc(
        values,
        improvement,
        shift_points=shift,
        trend_points=trend,
        two_of_three_beyond_limit="include" if include else "exclude",
        conflict=conflict,
    )
    assert got.points == oracle(values, improvement, shift, trend, include, conflict)


@settings(max_examples=100, deadline=None)
@given(values=series, gaps=st.lists(st.integers(0, 40), max_size=5), improvement=directions)
def test_blanks_are_left_out_and_results_stay_aligned(values, gaps, improvement):
    with_gaps: list[float | None] = list(values)
    for g in sorted(gaps, reverse=True):
        with_gaps.insert(min(g, len(with_gaps)), None)
    assert oracle(with_gaps, improvement) == spc(with_gaps, improvement).points
    plain, gappy = spc(values, improvement), spc(with_gaps, improvement)
    assert [
        p for p, v in zip(gappy.points, with_gaps, strict=True) if v is not None
    ] == plain.points
    assert [p for p, v in zip(gappy.points, with_gaps, strict=True) if v is None] == [None] * len(
        gaps
    )
    assert (gappy.mean, gappy.upper, gappy.variation) == (plain.mean, plain.upper, plain.variation)


# -- Properties ----------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(
    level=st.floats(-1e6, 1e6, allow_nan=False).filter(lambda x: abs(x) > 1e-6 or x == 0),
    n=st.integers(1, 40),
    improvement=directions,
)
def test_a_constant_series_has_no_special_cause_and_its_limits_are_its_mean(level, n, improvement):
    r = spc([level] * n, improvement, target=level)
    assert r.mean == pytest.approx(level)
    if n >= 13:
        assert r.upper == r.lower == r.mean
        assert r.points == ["common"] * n
        assert r.variation == "common_cause"
    else:
        assert r.upper is r.lower is None
        assert r.points == [None] * n


@settings(max_examples=200, deadline=None)
@given(values=judged)
def test_reversing_polarity_swaps_improvement_and_concern(values):
    up = spc(values, "up", conflict="improvement")
    down = spc(values, "down", conflict="concern")
    assert down.points == [SWAP[p] for p in up.points]
    assert down.variation == up.variation.replace("improvement", "x").replace(
        "concern", "improvement"
    ).replace("x", "concern")
    # with the default (conflicts show as improvement both ways) the swap holds except where a
    # point is flagged both ways, which is where the two conflict settings disagree
    as_concern = spc(values, "up", conflict="concern").points
    conflicts = [a != b for a, b in zip(up.points, as_concern, strict=True)]
    default_up, default_down = spc(values, "up").points, spc(values, "down").points
    for p_up, p_down, both in zip(default_up, default_down, conflicts, strict=True):
        assert (p_up == p_down == "improvement") if both else p_down == SWAP[p_up]
    neither = spc(values, "neither").points
    assert neither == [p if p == "common" else "neither" for p in up.points]


@settings(max_examples=100, deadline=None)
@given(values=judged, partition=st.integers(2, 30))
def test_limits_are_symmetric_about_the_mean(values, partition):
    r = spc(values, recalculate=[partition] if partition < len(values) - 1 else [])
    assert r.upper - r.mean == pytest.approx(r.mean - r.lower, abs=1e-9)
    for i in range(len(values)):
        assert r.upper_line[i] - r.mean_line[i] == pytest.approx(
            r.mean_line[i] - r.lower_line[i], abs=1e-9
        )


@settings(max_examples=200, deadline=None)
@given(
    values=judged, shift=st.integers(-1000, 1000), improvement=directions, target=st.integers(0, 14)
)
def test_adding_a_constant_moves_mean_and_limits_and_keeps_every_flag(
    values, shift, improvement, target
):
    a = spc(values, improvement, target=target)
    b = spc([v + shift for v in values], improvement, target=target + shift)
    assert b.mean == pytest.approx(a.mean + shift)
    assert b.upper == pytest.approx(a.upper + shift)
    assert b.lower == pytest.approx(a.lower + shift)
    assert (b.points, b.rules, b.variation, b.assurance) == (
        a.points,
        a.rules,
        a.variation,
        a.assurance,
    )


@settings(max_examples=200, deadline=None)
@given(values=judged, factor=st.sampled_from([0.01, 0.25, 0.5, 2, 3, 7, 10, 1000]))
def test_scaling_by_a_positive_factor_keeps_every_flag(values, factor):
    a = spc(values, target=6)
    b = spc([v * factor for v in values], target=6 * factor)
    assert b.mean == pytest.approx(a.mean * factor)
    assert b.upper == pytest.approx(a.upper * factor)
    assert (b.points, b.rules, b.variation, b.assurance) == (
        a.points,
        a.rules,
        a.variation,
        a.assurance,
    )


@settings(max_examples=100, deadline=None)
@given(values=series)
def test_too_few_points_means_no_limits_no_flags_no_icons(values):
    assume(len(values) < 13)
    r = spc(values, target=5)
    assert (r.upper, r.lower, r.variation, r.assurance) == (None, None, None, None)
    assert r.points == [None] * len(values)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.integers(0, 30).map(float), min_size=15, max_size=15),
            st.one_of(st.none(), st.integers(0, 14)),  # a blank here (such rows go one by one)
            st.sampled_from(["up", "down", "neither"]),
            st.one_of(st.none(), st.floats(0, 40)),
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from([{}, {"shift_points": 5, "trend_points": 7}, {"conflict": "concern"}]),
)
def test_many_series_read_at_once_read_as_each_one_alone(rows, options):
    """`spc_rows` (the Scorecard's way, all measures at once) gives `spc`'s reading exactly."""
    s = SpcSettings(**options)
    series = []
    for values, blank, _, _ in rows:
        series.append([np.nan if i == blank else v for i, v in enumerate(values)])
    together = spc_rows(np.array(series), [r[2] for r in rows], [r[3] for r in rows], settings=s)
    for values, (_, _, improvement, target), got in zip(series, rows, together, strict=True):
        alone = spc(values, improvement, target=target, settings=s)
        assert got.points == alone.points and got.rules == alone.rules
        assert (got.variation, got.assurance) == (alone.variation, alone.assurance)
        for line in ("mean", "upper", "lower"):
            a, b = getattr(got, line), getattr(alone, line)
            assert a == b or (a is not None and b is not None and abs(a - b) < 1e-9), line
