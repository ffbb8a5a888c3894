"""An XmR chart with the Making Data Count rules: limits, special causes, icons.

Blank values (None or NaN) are left out of the chart: the series is read as if the blank month
were not there, so a moving range joins the points either side of the gap and a run carries
across it. The result stays aligned with the input (a blank gets None), so months can be zipped
back on. (The MDC SQL query differs: it warns about a NULL, leaves out the two moving ranges
that touch it and lets it break a run. Gaps are rare in in-month series, and spc.md asks for
SPC on the unsuppressed figures.)

Partitions: `recalculate` lists input positions where the limits are recalculated (a new mean
and limits from there on); `baseline=k` takes the first partition's mean and limits from the
first k input positions only and extends them. Positions count blanks, so a month's position in
the series is its position here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import icons, rules
from .icons import CONCERN, IMPROVEMENT, NEITHER, NEITHER_POINT, UP
from .settings import SpcSettings, settings_from_options

LIMIT_FACTOR = 2.66  # 3 / d2 rounded as MDC rounds it (3 / 1.128 = 2.6596)
SCREEN_FACTOR = 3.267  # upper range limit of the moving-range chart
RULE_NAMES = ("beyond_limit", "shift", "trend", "two_of_three")
# every combination of rules, by bit mask (bit k: RULE_NAMES[k])
_RULE_SETS = [tuple(r for k, r in enumerate(RULE_NAMES) if mask >> k & 1) for mask in range(16)]


@dataclass(frozen=True, eq=False)
class SpcResult:
    """One measure's SPC reading.

    mean, upper, lower: the latest partition's mean and process limits (upper/lower None with
        too few points; mean None with no points at all).
    points: per input value "improvement", "concern", "neither" or "common"; None for a blank,
        and for every value when there are too few points to judge.
    variation: the icon from the last point (VARIATIONS), None with too few points.
    assurance: "pass", "fail", "hit_or_miss", or None (no target, "neither", too few points).
    rules: per input value the rules that flagged it (RULE_NAMES; () for none; None for a blank).
    mean_line, upper_line, lower_line: per input position, what a chart draws (NaN where there
        is nothing to draw); blanks carry their partition's lines so lines do not break.
    partitions: (start, stop) input positions of each partition.
    """

    mean: float | None
    upper: float | None
    lower: float | None
    points: list[str | None]
    variation: str | None
    assurance: str | None
    n: int
    improvement: str
    target: float | None
    settings: SpcSettings
    rules: list[tuple[str, ...] | None] = field(repr=False)
    mean_line: np.ndarray = field(repr=False)
    upper_line: np.ndarray = field(repr=False)
    lower_line: np.ndarray = field(repr=False)
    partitions: tuple[tuple[int, int], ...] = field(repr=False)

    @property
    def too_few_points(self) -> bool:
        return self.n < self.settings.min_points

    @property
    def variation_words(self) -> str:
        """Words for the Scorecard: the icon's words, or "too few points (n < 13)"."""
        if self.too_few_points:
            return icons.too_few_points(self.settings.min_points)
        return icons.words(self.variation)

    @property
    def assurance_words(self) -> str:
        """Words for the Scorecard: "Pass", "Fail", "Hit or miss", "" (no icon), or the
        too-few-points note."""
        if self.too_few_points:
            return icons.too_few_points(self.settings.min_points)
        return icons.words(self.assurance)


_PLAIN = (int, float, type(None), np.floating, np.integer)


def as_floats(values: Any) -> np.ndarray:
    """A 1-D float array with blanks (None, NaN, pandas NA) as NaN; text, TRUE/FALSE and
    infinity are errors."""
    if hasattr(values, "to_numpy"):
        values = values.to_numpy(dtype=object)
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        out = values.astype(float).reshape(-1)
    else:
        items = np.asarray(values, dtype=object).reshape(-1)
        if all(isinstance(v, _PLAIN) and not isinstance(v, bool) for v in items):
            out = items.astype(float)  # None becomes NaN
        else:
            out = _as_floats_checked(items)
    if np.isinf(out).any():
        i = int(np.flatnonzero(np.isinf(out))[0])
        raise ValueError(f"values: expected finite numbers, found {out[i]} at position {i}")
    return out


def _as_floats_checked(items: np.ndarray) -> np.ndarray:
    out = np.full(len(items), np.nan)
    for i, v in enumerate(items):
        bad = isinstance(v, (bool, np.bool_, str))
        if not bad and pd.isna(v):
            continue
        try:
            if bad:
                raise TypeError
            out[i] = float(v)
        except (TypeError, ValueError):
            raise ValueError(f"values: expected numbers, found {v!r} at position {i}") from None
    return out


def _target_in_force(target: Any, n_in: int, last: int | None) -> float | None:
    """The target for the last point: one number, or one per input value."""
    if target is None or last is None:
        return None
    if np.ndim(target) == 0:
        t = as_floats([target])[0]
    else:
        per_point = as_floats(target)
        if len(per_point) != n_in:
            raise ValueError(
                f"target: expected one value, or one per value ({n_in}); found {len(per_point)}"
            )
        t = per_point[last]
    return None if np.isnan(t) else float(t)


def _partitions(
    n_in: int, recalculate: Iterable[int], baseline: int | None
) -> tuple[tuple[int, int], ...]:
    starts = sorted({int(p) for p in recalculate})
    if any(p < 0 for p in starts):
        raise ValueError(f"recalculate: positions must be 0 or more; found {starts[0]}")
    starts = [p for p in starts if 0 < p < n_in]  # at or after the end: not happened yet
    if baseline is not None:
        if int(baseline) < 1:
            raise ValueError(f"baseline: expected a number of points, 1 or more; found {baseline}")
        if starts and baseline > starts[0]:
            raise ValueError(
                f"baseline: the first {baseline} points run past the recalculation at "
                f"position {starts[0]}"
            )
    edges = [0, *starts, n_in]
    return tuple(itertools.pairwise(edges))


_ISO = re.compile(r"^\d{4}-\d{2}(-\d{2})?")


def _month(d: Any) -> pd.Period:
    """A date's calendar month. Text must be ISO (2022-04-30): "01/04/2022" is ambiguous."""
    if isinstance(d, str) and not _ISO.match(d.strip()):
        raise ValueError(f"expected a date or ISO date text (2022-04-30); found {d!r}")
    return pd.Period(pd.Timestamp(d.strip() if isinstance(d, str) else d), freq="M")


def partition_positions(
    months: Sequence[Any], recalculate_from: Iterable[Any] = (), baseline_to: Any = None
) -> tuple[list[int], int | None]:
    """`recalculate` and `baseline` for `spc` from dates, by calendar month.

    months: each value's month (dates, oldest first; text only as ISO dates). A recalculation
    from a date starts a new partition at the first month on or after that date's month; a
    baseline to a date covers the months up to and including that date's month. Dates after
    the last month give nothing (a recalculation not yet reached) or the whole series (a
    baseline still filling). A baseline ending before the first month, or past a
    recalculation, is a ValueError saying so in months.
    """
    periods = pd.PeriodIndex([_month(m) for m in months], freq="M")
    if len(periods) > 1 and not (periods[1:] > periods[:-1]).all():
        raise ValueError("months: expected months in time order, oldest first")
    recalculate = sorted({int(periods.searchsorted(_month(d))) for d in recalculate_from})
    recalculate = [p for p in recalculate if p < len(periods)]
    if baseline_to is None:
        return recalculate, None
    end = _month(baseline_to)
    baseline = int(periods.searchsorted(end, "right"))
    if baseline == 0:
        raise ValueError(
            f"the baseline ends ({end:%B %Y}) before the first month ({periods[0]:%B %Y})"
        )
    later = [p for p in recalculate if 0 < p < baseline]
    if later:
        raise ValueError(
            f"the baseline runs to {end:%B %Y}, past the recalculation from "
            f"{periods[later[0]]:%B %Y}: a recalculation must come after the baseline"
        )
    return recalculate, baseline


def _centre_and_width(sample: np.ndarray, screen: bool) -> tuple[float, float]:
    """Mean and mean moving range of a partition's points (NaN when there are too few)."""
    if len(sample) == 0:
        return np.nan, np.nan
    moving = np.abs(np.diff(sample))
    if len(moving) == 0:
        return float(sample.mean()), np.nan
    mr_bar = moving.mean()
    if screen:
        # MDC SQL keeps ranges up to the limit (NHSRplotthedots drops those equal to it); with
        # "above" a flat series keeps its zero ranges instead of losing them all.
        kept = moving[moving <= SCREEN_FACTOR * mr_bar]
        mr_bar = kept.mean() if len(kept) else mr_bar
    return float(sample.mean()), float(mr_bar)


def spc(
    values: Sequence[float | None] | np.ndarray,
    improvement: str = UP,
    target: Any = None,
    *,
    recalculate: Iterable[int] = (),
    baseline: int | None = None,
    settings: SpcSettings | None = None,
    **options: Any,
) -> SpcResult:
    """Read a series the Making Data Count way: XmR limits, special causes and icons.

    values: the series in time order (in-month figures); None or NaN for a blank.
    improvement: "up", "down" or "neither" (or the polarity "higher", "lower", "contextual").
    target: the target in force for the last point, or one target per value.
    recalculate, baseline: partitions (see the module docstring).
    settings / options: SpcSettings, or overrides such as `shift_points=7` or
        `spc_conflict="concern"` (the Settings sheet's names and values work too).

    >>> r = spc([20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18])
    >>> round(r.mean, 2), round(r.upper, 2), r.variation
    (23.2, 37.64, 'common_cause')
    """
    s = settings_from_options(settings, options)
    direction = icons.improvement_direction(improvement)
    y_in = as_floats(values)
    n_in = len(y_in)
    partitions = _partitions(n_in, recalculate, baseline)

    centre = np.full(n_in, np.nan)
    width = np.full(n_in, np.nan)  # mean moving range
    for k, (a, b) in enumerate(partitions):
        stop = min(b, baseline) if (k == 0 and baseline is not None) else b
        sample = y_in[a:stop]
        m, mr = _centre_and_width(sample[~np.isnan(sample)], s.screen_moving_ranges)
        centre[a:b], width[a:b] = m, mr

    at = np.flatnonzero(~np.isnan(y_in))  # input position of each point
    judged = len(at) >= s.min_points
    half = LIMIT_FACTOR * width
    high = low = by_rule = None
    if judged:
        high, low, by_rule = _special_causes(y_in[at], centre[at], half[at], s)
    return _result(y_in, at, centre, half, high, low, by_rule, direction, target, s, partitions)


def spc_rows(
    values: np.ndarray,
    improvements: Sequence[str],
    targets: Sequence[float | None],
    settings: SpcSettings | None = None,
) -> list[SpcResult]:
    """`spc` for many series of one length at once (a row each, oldest first), as the
    Scorecard reads every measure: complete rows are judged together in array operations;
    a row with a blank, or moving-range screening, goes through `spc` one at a time. The
    readings are the same either way."""
    s = settings or SpcSettings()
    y_all = np.asarray(values, dtype=float).reshape(len(improvements), -1)
    out: list[SpcResult | None] = [None] * len(y_all)
    complete = ~np.isnan(y_all).any(axis=1)
    if s.screen_moving_ranges or y_all.shape[1] < 2:
        complete[:] = False
    for i in np.flatnonzero(~complete):
        out[i] = spc(y_all[i], improvements[i], target=targets[i], settings=s)
    rows = np.flatnonzero(complete)
    if len(rows):
        y = y_all[rows]
        n = y.shape[1]
        centre = np.repeat(y.mean(axis=1)[:, None], n, axis=1)
        half = np.repeat(LIMIT_FACTOR * np.abs(np.diff(y, axis=1)).mean(axis=1)[:, None], n, axis=1)
        flags = _special_causes(y, centre, half, s) if n >= s.min_points else None
        at, partitions = np.arange(n), ((0, n),)
        for k, i in enumerate(rows.tolist()):
            high, low, by_rule = (
                (flags[0][k], flags[1][k], {r: f[k] for r, f in flags[2].items()})
                if flags
                else (None, None, None)
            )
            direction = icons.improvement_direction(improvements[i])
            out[i] = _result(
                y[k],
                at,
                centre[k],
                half[k],
                high,
                low,
                by_rule,
                direction,
                targets[i],
                s,
                partitions,
            )
    return out  # type: ignore[return-value]


def _result(y_in, at, centre, half, high, low, by_rule, direction, target, s, partitions):
    """The reading of one series from its lines and flags (None when too few points)."""
    n_in, n = len(y_in), len(at)
    judged = high is not None
    upper_line = np.where(judged, centre + half, np.nan)
    lower_line = np.where(judged, centre - half, np.nan)
    kinds: list[str | None] = [None] * n_in
    fired: list[tuple[str, ...] | None] = [None] * n_in
    if judged:
        code = sum(by_rule[r].astype(int) << k for k, r in enumerate(RULE_NAMES))
        for pos, kind, c in zip(
            at.tolist(), _kinds(high, low, direction, s.conflict), code.tolist(), strict=True
        ):
            kinds[pos] = kind
            fired[pos] = _RULE_SETS[c]
    last = int(at[-1]) if n else None
    goal = _target_in_force(target, n_in, last)
    variation = None
    assurance = None
    if judged and last is not None:
        variation = icons.variation(kinds[last], bool(high[-1]), direction)
        assurance = icons.assurance(
            goal, float(lower_line[last]), float(upper_line[last]), direction
        )

    def _at_last(line: np.ndarray) -> float | None:
        return None if last is None or np.isnan(line[last]) else float(line[last])

    return SpcResult(
        mean=_at_last(centre),
        upper=_at_last(upper_line),
        lower=_at_last(lower_line),
        points=kinds,
        variation=variation,
        assurance=assurance,
        n=n,
        improvement=direction,
        target=goal,
        settings=s,
        rules=fired,
        mean_line=centre,
        upper_line=upper_line,
        lower_line=lower_line,
        partitions=partitions,
    )


def _special_causes(
    y: np.ndarray, centre: np.ndarray, half: np.ndarray, s: SpcSettings
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """High and low flags of every rule combined, and which rules fired at each point."""
    side = rules.sign_against(y, centre)
    beyond = rules.beyond_limits(y, centre + half, centre - half)
    found = {
        "beyond_limit": beyond,
        "shift": rules.shift(side, s.shift_points),
        "trend": rules.trend(y, s.trend_points),
        "two_of_three": rules.two_of_three(
            side,
            y,
            centre + half * 2 / 3,
            centre - half * 2 / 3,
            *beyond,
            include_beyond_limit=s.two_of_three_beyond_limit == "include",
        ),
    }
    high = np.logical_or.reduce([h for h, _ in found.values()])
    low = np.logical_or.reduce([lo for _, lo in found.values()])
    by_rule = {name: h | lo for name, (h, lo) in found.items()}
    return high, low, by_rule


def _kinds(high: np.ndarray, low: np.ndarray, direction: str, conflict: str) -> list[str]:
    """Each point's kind: improvement or concern by side (or trend), settled by `conflict` when
    a point is flagged both ways; "neither" for measures with no better side."""
    if direction == NEITHER:
        flagged = np.where(high | low, NEITHER_POINT, icons.COMMON)
        return flagged.tolist()
    better, worse = (high, low) if direction == UP else (low, high)
    both = IMPROVEMENT if conflict == "improvement" else CONCERN
    kind = np.select(
        [better & worse, better, worse], [both, IMPROVEMENT, CONCERN], default=icons.COMMON
    )
    return kind.tolist()
