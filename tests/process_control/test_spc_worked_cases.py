"""Every worked case in shared/docs/spc.md, with the MDC Excel tool's settings (the defaults)."""

from __future__ import annotations

import pytest
from support.spc_cases import CASE_1, CASE_2, CASE_3, CASE_4_TIES, CASE_4_TREND, CASE_5, numbered

import xl_addin
from xl_addin.process_control import SpcSettings, spc


def r2(x):
    return round(x, 2)


def test_defaults_are_the_mdc_excel_tools():
    s = SpcSettings()
    assert (s.shift_points, s.trend_points, s.min_points) == (6, 6, 13)
    assert s.two_of_three_beyond_limit == "exclude"
    assert s.conflict == "improvement"
    assert s.screen_moving_ranges is False


def test_case_1_limits_and_no_special_cause():
    r = xl_addin.spc(CASE_1)
    assert (r2(r.mean), r2(r.upper), r2(r.lower)) == (23.20, 37.64, 8.76)
    # MR̄ 5.43: the limits are 2.66 × MR̄ either side of the mean
    assert r2((r.upper - r.mean) / 2.66) == 5.43
    assert r.points == ["common"] * 15
    assert r.variation == "common_cause"


def test_case_1_first_ten_points_mean_only():
    r = spc(CASE_1[:10])
    assert r2(r.mean) == 22.10
    assert (r.upper, r.lower, r.variation, r.assurance) == (None, None, None, None)
    assert r.points == [None] * 10
    assert r.too_few_points and r.variation_words == "too few points (n < 13)"


def test_case_2_twelve_points_have_no_limits_thirteen_do():
    twelve = spc(CASE_2, target=20)
    assert (twelve.upper, twelve.lower, twelve.variation, twelve.assurance) == (None,) * 4
    assert twelve.points == [None] * 12
    thirteen = spc([*CASE_2, 25], target=20)
    assert r2(thirteen.mean) == 26.38
    assert (r2(thirteen.lower), r2(thirteen.upper)) == (12.42, 40.35)
    assert thirteen.variation == "common_cause"
    assert thirteen.points == ["common"] * 13
    assert thirteen.assurance == "hit_or_miss"


def test_case_3_improvement_up():
    r = spc(CASE_3, "up")
    assert (r2(r.mean), r2(r.lower), r2(r.upper)) == (24.73, 11.89, 37.57)
    assert numbered(r.points, "concern") == [1, 5, 6, 7, 8, 9, 10]
    assert numbered(r.points, "improvement") == [17, 18, 19, 20, 21, 22, 25, 27]
    assert r.variation == "common_cause"
    # why each point is flagged (spc.md calls 17-22 a shift; they are a rising run of six, two
    # of them below the mean, so the trend rule flags them)
    assert r.rules[0] == ("beyond_limit",)
    assert all(r.rules[i - 1] == ("shift",) for i in range(5, 11))
    assert all(r.rules[i - 1] == ("trend",) for i in range(17, 23))
    assert r.rules[24] == r.rules[26] == ("two_of_three",)
    assert r.rules[25] == ()  # point 26 lies between the 2σ lines: not flagged


def test_case_3_down_swaps_colours_and_neither_is_neither():
    up = spc(CASE_3, "up").points
    down = spc(CASE_3, "down").points
    swap = {"improvement": "concern", "concern": "improvement", "common": "common"}
    assert down == [swap[p] for p in up]
    neither = spc(CASE_3, "neither").points
    assert neither == ["neither" if p != "common" else "common" for p in up]


def test_case_4_trend():
    r = spc(CASE_4_TREND, "up")
    assert numbered(r.points, "improvement") == [1, 2, 3, 4, 5, 6]
    assert numbered(r.points, "concern") == list(range(14, 21))
    assert r.variation == "concern_low"


def test_case_4_ties_break_trends():
    r = spc(CASE_4_TIES, "up")
    assert r.points == ["common"] * 20
    assert r.variation == "common_cause"


@pytest.mark.parametrize(
    ("target", "up", "down"),
    [(40, "fail", "pass"), (30, "hit_or_miss", "hit_or_miss"), (10, "pass", "fail")],
)
def test_case_5_assurance(target, up, down):
    r = spc(CASE_5, "up", target=target)
    assert (r2(r.lower), r2(r.upper)) == (13.33, 37.00)
    assert r.assurance == up
    assert spc(CASE_5, "down", target=target).assurance == down
    assert spc(CASE_5, "neither", target=target).assurance is None
