"""The suppression rule on its own (no Excel): primary cases, secondary cases, and a property
test against an independent oracle (linear algebra instead of union-find)."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_addin.export.suppression import SYMBOL, Figure, is_protected, suppress

K = 6  # suppress_below: 1 to 5 are protected


def test_protected_range() -> None:
    assert [x for x in range(8) if is_protected(x, K)] == [1, 2, 3, 4, 5]
    assert is_protected(5.5, K) and not is_protected(6.0, K)
    assert not is_protected(0.1 + 0.2 - 0.3, K)  # zero in decimals is zero


def test_a_count_of_3_is_c_and_0_and_6_are_shown() -> None:
    counts = {"x": [3, 0, 6]}
    figures = [Figure(m, ("x", m, m)) for m in range(3)]
    s = suppress(counts, figures, K)
    assert s.primary == {0} and not s.secondary
    assert [s.show(m, v) for m, v in enumerate(counts["x"])] == [SYMBOL, 0, 6]


def test_percentage_with_a_small_numerator_or_denominator_is_c() -> None:
    counts = {"n": [3, 40, 4], "d": [50, 50, 5]}
    figures = [Figure(m, ("n", m, m), ("d", m, m)) for m in range(3)]
    assert suppress(counts, figures, K).primary == {0, 2}


def test_year_to_date_totals_cannot_give_away_a_small_month() -> None:
    # 64 then 69: the month between is 5. The smaller total (the previous month) goes.
    months = [8, 11, 9, 8, 13, 15, 5]
    figures = [Figure(m, ("x", 0, m)) for m in range(7)]
    s = suppress({"x": months}, figures, K)
    assert not s.primary
    assert s.secondary == {5}


def test_a_percentage_and_its_denominator_cannot_give_away_a_small_numerator() -> None:
    # Rolling in-year %: Σn/Σd. Σd is shown as a year-to-date count, so Σn is known each month,
    # and two consecutive Σn differ by one month's numerator: 3.
    n, d = [20, 22, 3], [40, 41, 40]
    figures = [Figure(("pct", m), ("n", 0, m), ("d", 0, m)) for m in range(3)]
    figures += [Figure(("d_ytd", m), ("d", 0, m)) for m in range(3)]
    s = suppress({"n": n, "d": d}, figures, K)
    assert not s.primary
    assert s.secondary, "the small month must not be recoverable"
    # Without the denominators shown, the percentages alone give nothing away.
    alone = suppress({"n": n, "d": d}, figures[:3], K)
    assert not alone.suppressed


def test_secondary_suppression_is_repeated_until_nothing_leaks() -> None:
    # Two ways to the small month: year-to-date totals and a 12-month-style window.
    months = [10, 10, 10, 2, 10]
    figures = [Figure(("ytd", m), ("x", 0, m)) for m in range(5)]
    figures += [Figure(("pair", m), ("x", m - 1, m)) for m in range(1, 5)]
    s = suppress({"x": months}, figures, K)
    assert _leaks({"x": months}, [f for f in figures if f.key not in s]) == []


# --- the oracle: an interval sum is known iff its indicator is in the span of known ones ----


def _in_span(rows: list[np.ndarray], v: np.ndarray) -> bool:
    if not rows:
        return not v.any()
    m = np.array(rows, dtype=float)
    return np.linalg.matrix_rank(np.vstack([m, v])) == np.linalg.matrix_rank(m)


def _indicator(n: int, a: int, b: int) -> np.ndarray:
    v = np.zeros(n)
    v[a : b + 1] = 1
    return v


def _leaks(counts: dict[str, list[int]], shown: list[Figure]) -> list[tuple]:
    """Protected interval sums that can be worked out from the shown figures."""
    rows: dict[str, list[np.ndarray]] = {f: [] for f in counts}

    def known(w) -> bool:
        return _in_span(rows[w[0]], _indicator(len(counts[w[0]]), w[1], w[2]))

    def learn(w) -> None:
        rows[w[0]].append(_indicator(len(counts[w[0]]), w[1], w[2]))

    pending = []
    for f in shown:
        if f.denominator is None:
            learn(f.numerator)
        else:
            pending.append(f)
    changed = True
    while changed:
        changed = False
        for f in list(pending):
            num_sum = sum(counts[f.numerator[0]][f.numerator[1] : f.numerator[2] + 1])
            if known(f.denominator):
                learn(f.numerator)
            elif known(f.numerator) and num_sum != 0:
                learn(f.denominator)
            else:
                continue
            pending.remove(f)
            changed = True
    out = []
    for field, values in counts.items():
        for a, b in itertools.combinations_with_replacement(range(len(values)), 2):
            if is_protected(sum(values[a : b + 1]), K) and known((field, a, b)):
                out.append((field, a, b))
    return out


@st.composite
def scenarios(draw):
    n = draw(st.integers(1, 7))
    fields = ["f0", "f1", "f2"][: draw(st.integers(1, 3))]
    counts = {f: draw(st.lists(st.integers(0, 12), min_size=n, max_size=n)) for f in fields}

    def window():
        f = draw(st.sampled_from(fields))
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(a, n - 1))
        return (f, a, b)

    figures = []
    for i in range(draw(st.integers(0, 14))):
        num = window()
        den = window() if draw(st.booleans()) else None
        if den is not None and sum(counts[den[0]][den[1] : den[2] + 1]) == 0:
            den = None  # a zero denominator gives a blank, which is never shown
        figures.append(Figure(i, num, den))
    return counts, figures


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_no_protected_sum_can_be_worked_out_from_what_is_shown(scenario) -> None:
    counts, figures = scenario
    s = suppress(counts, figures, K)
    shown = [f for f in figures if f.key not in s]
    assert _leaks(counts, shown) == []
    # Primary is exactly the figures built from a protected sum.
    for f in figures:
        windows = [f.numerator] + ([f.denominator] if f.denominator else [])
        own = any(is_protected(sum(counts[w[0]][w[1] : w[2] + 1]), K) for w in windows)
        assert (f.key in s.primary) == own
    assert not (s.primary & s.secondary)
