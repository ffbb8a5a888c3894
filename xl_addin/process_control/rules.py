"""The four MDC special-cause rules, on the points of a chart (blanks already dropped), along
the last axis: one series, or many of one length at once (a row each).

Each rule returns two boolean arrays, (high, low): points flagged for lying above (or a run
rising) and below (or a run falling). Which of those is improvement is decided later, from the
measure's direction. Sides and the 2σ and process-limit lines are each point's own partition's,
while runs are counted along the whole chart: in the MDC Excel tool a shift, trend or two of three
carries across a recalculation.

Comparisons are made as a person would, in decimals: differences are rounded to DECIMALS places
before their sign is read, so a point that equals the mean (or a limit) in decimals is on it,
whatever binary floating point makes of the arithmetic.
"""

from __future__ import annotations

import numpy as np

from ..engine.rag import DECIMALS

Flags = tuple[np.ndarray, np.ndarray]


def sign_against(y: np.ndarray, line: np.ndarray) -> np.ndarray:
    """+1 above the line, -1 below, 0 on it (in decimals); 0 where the line is missing."""
    d = np.sign(np.round(y - line, DECIMALS))
    d[np.isnan(d)] = 0
    return d.astype(int)


def _in_long_runs(mask: np.ndarray, length: int, extend: int = 0) -> np.ndarray:
    """Every position inside a run of at least `length` True values (each run also covering
    `extend` positions after it), along the last axis: one series, or one series per row."""
    if mask.ndim > 1:
        return _in_long_runs_by_row(mask, length, extend)
    n = len(mask)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    starts, stops = edges[::2], edges[1::2]
    long = stops - starts >= length
    if not long.any():
        return np.zeros(n + extend, dtype=bool)
    marks = np.zeros(n + extend + 1, dtype=np.int32)
    np.add.at(marks, starts[long], 1)
    np.add.at(marks, stops[long] + extend, -1)
    return np.cumsum(marks[:-1]) > 0


def _in_long_runs_by_row(mask: np.ndarray, length: int, extend: int) -> np.ndarray:
    """`_in_long_runs` for many rows at once: run lengths are counted column by column, so the
    work grows with the series' length, not with the number of rows."""
    n = mask.shape[-1]
    total = np.zeros(mask.shape, dtype=np.int32)
    run = np.zeros(mask.shape[:-1], dtype=np.int32)
    for j in range(n):  # the length of the run so far
        run = (run + 1) * mask[..., j]
        total[..., j] = run
    for j in range(n - 2, -1, -1):  # every position of a run takes the run's full length
        total[..., j] = np.where(mask[..., j] & mask[..., j + 1], total[..., j + 1], total[..., j])
    long = mask & (total >= length)
    out = np.zeros((*mask.shape[:-1], n + extend), dtype=bool)
    for k in range(extend + 1):
        out[..., k : n + k] |= long
    return out


def beyond_limits(y: np.ndarray, upper: np.ndarray, lower: np.ndarray) -> Flags:
    """A single point strictly above the upper or below the lower process limit."""
    return sign_against(y, upper) > 0, sign_against(y, lower) < 0


def shift(side: np.ndarray, points: int) -> Flags:
    """`points` or more in a row strictly on one side of the mean (a point on it breaks the run);
    every point of the run is flagged."""
    return _in_long_runs(side > 0, points), _in_long_runs(side < 0, points)


def trend(y: np.ndarray, points: int) -> Flags:
    """`points` or more in a row, each strictly higher (or lower) than the one before; a tie
    breaks the run, which may cross the mean; every point of the run is flagged."""
    if y.shape[-1] < 2:
        return np.zeros(y.shape, dtype=bool), np.zeros(y.shape, dtype=bool)
    step = sign_against(y[..., 1:], y[..., :-1])  # step[i]: point i+1 against point i
    # a run of k steps joins k + 1 points: runs of points - 1 steps, each reaching one further
    rising = _in_long_runs(step == 1, points - 1, extend=1)
    falling = _in_long_runs(step == -1, points - 1, extend=1)
    return rising, falling


def two_of_three(
    side: np.ndarray,
    y: np.ndarray,
    upper_2s: np.ndarray,
    lower_2s: np.ndarray,
    beyond_high: np.ndarray,
    beyond_low: np.ndarray,
    include_beyond_limit: bool,
) -> Flags:
    """In any three points in a row all strictly on one side of the mean, the two or three that
    lie beyond the 2σ line on that side are flagged (only those). Unless `include_beyond_limit`,
    a point beyond the process limit does not count as beyond 2σ (it still counts as being on
    that side), as in the MDC Excel tool."""
    near_high = sign_against(y, upper_2s) > 0
    near_low = sign_against(y, lower_2s) < 0
    if not include_beyond_limit:
        near_high &= ~beyond_high
        near_low &= ~beyond_low
    flags = []
    n = y.shape[-1]
    for on_side, near in ((side > 0, near_high), (side < 0, near_low)):
        out = np.zeros(y.shape, dtype=bool)
        if n >= 3:  # windows of three starting at each point but the last two
            hit = on_side[..., :-2] & on_side[..., 1:-1] & on_side[..., 2:]
            hit &= near[..., :-2].astype(int) + near[..., 1:-1] + near[..., 2:] >= 2
            for k in range(3):
                out[..., k : k + n - 2] |= hit & near[..., k : k + n - 2]
        flags.append(out)
    return flags[0], flags[1]
