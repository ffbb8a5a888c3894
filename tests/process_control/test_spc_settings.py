"""SPC settings (Settings sheet values, their effect), icons and where SPC is valid."""

from __future__ import annotations

import math

import pytest
from support.spc_cases import CASE_1, CASE_3, CASE_4_TREND, CASE_5, numbered

from xl_addin.engine.calculations import CALCULATIONS
from xl_addin.process_control import (
    LETTERS,
    SETTING_NAMES,
    VARIATIONS,
    SpcSettings,
    colour,
    parse_spc_settings,
    spc,
    spc_calculations,
    spc_validity,
    words,
)

# -- Reading settings as typed -------------------------------------------------------------


def test_blank_or_absent_settings_are_the_defaults():
    assert parse_spc_settings({}) == (SpcSettings(), {})
    blanks = dict.fromkeys(SETTING_NAMES, None) | {"spc_conflict": "  ", "spc_min_points": math.nan}
    assert parse_spc_settings(blanks) == (SpcSettings(), {})


def test_values_as_typed_in_a_settings_sheet():
    raw = {
        "spc_shift_points": 7,
        "SPC_Trend_Points": "7",  # names are case-insensitive, numbers may arrive as text
        "spc_min_points": 15.0,
        "spc_two_of_three_beyond_limit": " Include ",
        "spc_conflict": "CONCERN",
        "spc_screen_moving_ranges": "Yes",
        "authority": "Anyshire",  # other settings are not ours: ignored
    }
    settings, problems = parse_spc_settings(raw)
    assert problems == {}
    assert settings == SpcSettings(7, 7, 15, "include", "concern", True)
    assert parse_spc_settings({"spc_screen_moving_ranges": False})[0] == SpcSettings()
    assert parse_spc_settings({"spc_screen_moving_ranges": True})[0].screen_moving_ranges


def test_every_bad_value_is_named_with_what_was_expected():
    raw = {
        "spc_shift_points": "six",
        "spc_trend_points": 6.5,
        "spc_min_points": 101,
        "spc_two_of_three_beyond_limit": "sometimes",
        "spc_conflict": True,
        "spc_screen_moving_ranges": "maybe",
    }
    settings, problems = parse_spc_settings(raw)
    assert settings is None
    assert problems == {
        "spc_shift_points": 'spc_shift_points must be a whole number from 5 to 9; found "six"',
        "spc_trend_points": "spc_trend_points must be a whole number from 5 to 9; found 6.5",
        "spc_min_points": "spc_min_points must be a whole number from 2 to 100; found 101",
        "spc_two_of_three_beyond_limit": (
            'spc_two_of_three_beyond_limit must be one of exclude, include; found "sometimes"'
        ),
        "spc_conflict": "spc_conflict must be one of improvement, concern; found TRUE",
        "spc_screen_moving_ranges": 'spc_screen_moving_ranges must be yes or no; found "maybe"',
    }
    assert parse_spc_settings({"spc_shift_points": 4})[1] == {
        "spc_shift_points": "spc_shift_points must be a whole number from 5 to 9; found 4"
    }


def test_the_key_can_print_every_setting_in_force():
    rows = SpcSettings().describe()
    assert [name for name, _, _ in rows] == list(SETTING_NAMES)
    assert [value for _, value, _ in rows] == ["6", "6", "13", "exclude", "improvement", "no"]
    assert "6 or more points in a row on one side of the mean" in rows[0][2]
    assert "shows as concern" in SpcSettings(conflict="concern").describe()[4][2]


def test_the_python_api_takes_settings_either_way():
    a = spc(CASE_3, shift_points=7)
    b = spc(CASE_3, spc_shift_points="7")
    c = spc(CASE_3, settings=SpcSettings(shift_points=7))
    assert a.points == b.points == c.points
    assert a.settings == SpcSettings(shift_points=7)
    with pytest.raises(TypeError, match="unknown SPC setting 'shift'"):
        spc(CASE_3, shift=7)
    with pytest.raises(ValueError, match="spc_trend_points must be a whole number from 5 to 9"):
        spc(CASE_3, trend_points=3)
    with pytest.raises(ValueError, match="spc_conflict must be one of"):
        SpcSettings(conflict="neither")


# -- What each setting changes -------------------------------------------------------------


def test_shift_points():
    assert numbered(spc(CASE_3).points, "concern") == [1, 5, 6, 7, 8, 9, 10]  # a run of six
    assert numbered(spc(CASE_3, shift_points=7).points, "concern") == [1]


def test_trend_points():
    r = spc(CASE_4_TREND, trend_points=7)  # 1-6 rise (six points); 14-20 fall (seven)
    assert numbered(r.points, "improvement") == []
    assert numbered(r.points, "concern") == list(range(14, 21))


def test_min_points():
    assert spc(CASE_1[:10]).upper is None
    r = spc(CASE_1[:10], min_points=10)
    assert r.upper is not None and r.variation == "common_cause"


def test_two_of_three_beyond_limit():
    values = [10, 12] * 15
    values[20], values[21] = 16, 19  # point 21 beyond 2σ (15.59), point 22 beyond the limit (17.67)
    excluded = spc(values)
    assert [(i + 1, r) for i, r in enumerate(excluded.rules) if r] == [(22, ("beyond_limit",))]
    included = spc(values, two_of_three_beyond_limit="include")
    assert [(i + 1, r) for i, r in enumerate(included.rules) if r] == [
        (21, ("two_of_three",)),
        (22, ("beyond_limit", "two_of_three")),
    ]


def test_conflict():
    # points 1-6 rise (a trend up) while below the mean (a shift down, and beyond the limit)
    values = [1, 2, 3, 4, 5, 6, 20, 21, 19, 20, 21, 19, 20, 21, 19]
    default = spc(values, "up")
    assert all({"trend", "shift"} <= set(r) for r in default.rules[:6])
    assert default.points[:6] == ["improvement"] * 6
    assert spc(values, "up", conflict="concern").points[:6] == ["concern"] * 6
    assert spc(values, "down").points[:6] == ["improvement"] * 6


def test_screen_moving_ranges():
    values = [10, 12] * 8 + [40] + [10, 12] * 2
    ranges = [abs(a - b) for a, b in zip(values[1:], values[:-1], strict=True)]
    mean = sum(values) / len(values)
    mr_bar = sum(ranges) / len(ranges)
    kept = [x for x in ranges if x <= 3.267 * mr_bar]
    assert len(kept) == len(ranges) - 2  # the jump up to 40 and back down
    assert spc(values).upper == pytest.approx(mean + 2.66 * mr_bar)
    screened = spc(values, screen_moving_ranges=True)
    assert screened.upper == pytest.approx(mean + 2.66 * sum(kept) / len(kept))
    assert screened.mean == pytest.approx(mean)  # screening moves the limits, not the mean


# -- Icons ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "improvement", "variation"),
    [
        (CASE_4_TREND, "up", "concern_low"),
        (CASE_4_TREND, "down", "improvement_low"),
        (CASE_4_TREND, "neither", "neither_low"),
        ([-v for v in CASE_4_TREND], "up", "improvement_high"),
        ([-v for v in CASE_4_TREND], "down", "concern_high"),
        ([-v for v in CASE_4_TREND], "neither", "neither_high"),
        (CASE_1, "neither", "common_cause"),
        (CASE_4_TREND, "lower", "improvement_low"),  # polarity words work too
        (CASE_4_TREND, "contextual", "neither_low"),
    ],
)
def test_variation_from_the_last_point(values, improvement, variation):
    assert spc(values, improvement).variation == variation


def test_assurance_uses_the_target_in_force_for_the_last_point():
    per_month = [40] * 29 + [10]  # the target changed for the last month
    assert spc(CASE_5, target=per_month).assurance == "pass"
    assert spc(CASE_5, target=[10] * 29 + [None]).assurance is None
    assert spc(CASE_5, target=None).assurance is None
    with pytest.raises(ValueError, match="one per value"):
        spc(CASE_5, target=[10, 20])
    flat = spc([5] * 13, target=5)  # limits equal the mean: a target on a limit passes
    assert (flat.lower, flat.upper, flat.assurance) == (5, 5, "pass")
    assert spc([5] * 13, "down", target=5).assurance == "pass"


def test_words_letters_and_colours_never_colour_alone():
    for code in (*VARIATIONS, "pass", "fail", "hit_or_miss"):
        assert words(code) and code in LETTERS and colour(code).startswith("#")
    assert [words(c) for c in ("improvement_high", "concern_low", "common_cause")] == [
        "Improvement (high)",
        "Concern (low)",
        "Common cause",
    ]
    assert [LETTERS[c] for c in ("pass", "fail", "hit_or_miss")] == ["P", "F", "?"]
    assert colour("improvement_low") == colour("pass") == "#00B0F0"
    assert colour("concern_high") == colour("fail") == "#E46C0A"
    assert colour("neither_high") == "#490092"
    assert colour("common_cause") == colour("hit_or_miss") == "#A6A6A6"
    r = spc(CASE_1[:12])
    assert r.variation_words == r.assurance_words == "too few points (n < 13)"


def test_bad_values_and_directions_are_refused():
    with pytest.raises(ValueError, match="improvement must be one of up, down, neither"):
        spc(CASE_1, "sideways")
    with pytest.raises(ValueError, match="expected numbers, found 'n/a' at position 2"):
        spc([1, 2, "n/a"])
    with pytest.raises(ValueError, match="finite"):
        spc([1, 2, math.inf])


# -- Where SPC is valid --------------------------------------------------------------------


@pytest.mark.parametrize("calculation", ["value", "percent", "rate_per_10k", "ratio"])
def test_in_month_figures_are_valid_with_enough_points(calculation):
    assert spc_validity(calculation, 13) is None
    assert spc_validity(calculation) is None
    assert spc_validity(calculation, 12) == "too few points (n < 13)"
    assert spc_validity(calculation, 14, min_points=15) == "too few points (n < 15)"


@pytest.mark.parametrize(
    ("calculation", "why"),
    [
        ("cumulative_in_year", "year-to-date"),
        ("rolling_in_year_percent", "year-to-date"),
        ("projected_in_year_rate_per_10k", "year-to-date"),
        ("rolling_12_month_percent", "rolling 12-month"),
    ],
)
def test_cumulative_and_rolling_figures_are_not_valid(calculation, why):
    reason = spc_validity(calculation, 40)
    assert reason.startswith("SPC not valid: a " + why)
    assert "not independent" in reason


def test_validity_follows_each_calculations_window():
    assert set(spc_calculations()) >= {"value", "percent", "rate_per_10k", "ratio"}
    for name, calc in CALCULATIONS.items():
        assert (spc_validity(name, 20) is None) == (calc.window == "month")
    with pytest.raises(ValueError, match="unknown calculation 'average'"):
        spc_validity("average")
