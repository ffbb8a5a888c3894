"""RAG exactly as design §5: band edges, polarity, tolerance modes, the gap, decimals."""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from xl_addin import direction, rag

ORDER = {"Red": 0, "Amber": 1, "Green": 2}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.00, "Green"),  # on target
        (1.05, "Green"),  # better than target is Green
        (0.98, "Green"),  # exactly 2% short: "within" is inclusive
        (0.9799, "Amber"),
        (0.90, "Amber"),  # exactly 10% short
        (0.8999, "Amber"),  # in the 10-20% gap: rag_gap (Amber by default)
        (0.80, "Amber"),  # exactly 20% short is not "more than 20%"
        (0.7999, "Red"),
    ],
)
def test_higher_is_better_band_edges_relative(value, expected):
    assert rag(value, 1.0) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (100, "Green"),
        (95, "Green"),
        (102, "Green"),
        (102.01, "Amber"),
        (110, "Amber"),
        (115, "Amber"),
        (120, "Amber"),
        (120.01, "Red"),
    ],
)
def test_lower_is_better_band_edges_relative(value, expected):
    assert rag(value, 100, "lower") == expected


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        (0.80, "higher", "Green"),
        (0.75, "higher", "Amber"),
        (0.72, "higher", "Amber"),
        (0.6199, "higher", "Red"),
        (0.62, "higher", "Amber"),
        (0.84, "lower", "Green"),
        (0.92, "lower", "Amber"),
        (1.02, "lower", "Amber"),
        (1.0201, "lower", "Red"),
    ],
)
def test_points_tolerance_uses_the_measures_own_units(value, polarity, expected):
    # target 82%: 2, 10 and 20 percentage points
    assert rag(value, 0.82, polarity, tolerance="points") == expected


def test_boundaries_are_judged_in_decimals_not_binary():
    # 0.80 - 0.75 is 0.05 exactly for a person; in binary it is 0.05000000000000004.
    assert 0.80 - 0.75 > 0.05
    assert rag(0.75, 0.80, tolerance="points", green=0.05) == "Green"
    assert rag(0.70, 0.80, tolerance="points", green=0.02, amber=0.10) == "Amber"
    # relative: 0.9 short of 1.0 is exactly 10%
    assert rag(0.9, 1.0, green=0.0, amber=0.1, red=0.1) == "Amber"


@pytest.mark.parametrize("gap", ["Red", "Amber", "Green"])
def test_gap_rating_fills_between_amber_and_red(gap):
    assert rag(0.85, 1.0, gap=gap) == gap
    assert rag(0.95, 1.0, gap=gap) == "Amber"
    assert rag(0.75, 1.0, gap=gap) == "Red"


def test_zero_target_falls_back_to_points():
    assert rag(0.01, 0, "lower") == "Green"
    assert rag(0.05, 0, "lower") == "Amber"
    assert rag(0.5, 0, "lower") == "Red"


def test_contextual_and_no_target_and_blank():
    assert rag(5, 10, "contextual") == "Contextual"
    assert rag(5, None) == "No target"
    assert rag(None, None) is None and rag(None, 0.8) is None  # a blank is never rated
    assert rag(5, float("nan")) == "No target"
    assert rag(None, 10) is None
    assert rag("", 10) is None


def test_vectorised_over_arrays_and_polarities():
    out = rag([1.0, 0.5, 130, 5], [1.0, 1.0, 100, None], ["higher", "higher", "lower", "lower"])
    assert list(out) == ["Green", "Red", "Red", "No target"]
    assert list(rag(np.array([0.99, 0.85]), 1.0)) == ["Green", "Amber"]


def test_bad_arguments_are_errors():
    with pytest.raises(ValueError, match="polarity"):
        rag(1, 1, "up")
    with pytest.raises(ValueError, match="thresholds"):
        rag(1, 1, green=0.3, amber=0.1)
    with pytest.raises(ValueError, match="tolerance"):
        rag(1, 1, tolerance="percent")


finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
targets = st.floats(-1e6, 1e6, allow_nan=False).filter(lambda t: abs(t) > 1e-3)


@given(
    finite,
    finite,
    targets,
    st.sampled_from(["relative", "points"]),
    st.sampled_from(["Red", "Amber"]),
)
def test_higher_is_monotone_in_the_value(a, b, t, tolerance, gap):
    lo, hi = sorted((a, b))
    assert (
        ORDER[rag(lo, t, tolerance=tolerance, gap=gap)]
        <= ORDER[rag(hi, t, tolerance=tolerance, gap=gap)]
    )


@given(finite, finite, targets, st.sampled_from(["relative", "points"]))
def test_lower_is_antitone_in_the_value(a, b, t, tolerance):
    lo, hi = sorted((a, b))
    assert (
        ORDER[rag(lo, t, "lower", tolerance=tolerance)]
        >= ORDER[rag(hi, t, "lower", tolerance=tolerance)]
    )


@given(
    st.integers(-(10**6), 10**6),
    st.integers(-(10**6), 10**6),
    st.sampled_from(["relative", "points"]),
)
def test_polarity_symmetry(v, t, tolerance):
    """Falling short above a lower-is-better target rates as falling short below a higher one."""
    assume(t != 0)
    assert rag(v, t, "higher", tolerance=tolerance) == rag(
        2 * t - v, t, "lower", tolerance=tolerance
    )
    assert rag(v, t, "higher", tolerance=tolerance) == rag(-v, -t, "lower", tolerance=tolerance)


def test_direction_is_polarity_aware():
    assert direction(10, 8, "higher") == "▲ Improving"
    assert direction(8, 10, "higher") == "▼ Worsening"
    assert direction(8, 10, "lower") == "▲ Improving"
    assert direction(10, 8, "lower") == "▼ Worsening"
    assert direction(10, 8, "contextual") == "▲ Up"
    assert direction(8, 10, "contextual") == "▼ Down"
    assert direction(0.3, 0.1 + 0.2, "higher") == "► No change"  # decimals, not binary
    assert direction(5, None) is None
