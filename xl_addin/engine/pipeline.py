"""From validated inputs to results: every measure for every month, then the reporting month's
scorecard with targets, forecasts, RAG and direction of travel.

Results for month m use only data up to m, so any past month can be reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from ..errors import input_error
from . import in_year
from .calculations import CALCULATIONS, evaluate
from .commentary import write_commentary
from .formatting import decimals_for, shown
from .models import SCORECARD_COLUMNS, Inputs, KpiWarning, Results, records, spans
from .periods import (
    MONTH_NAMES,
    fy_keys,
    fy_label,
    fy_start,
    is_quarter_end,
    month_end,
    month_range,
    months_elapsed_in_fy,
    uk_month,
)
from .rag import CONTEXTUAL, DECIMALS, NO_TARGET, direction, distance, rag
from .targets import target_in_force, trend_forecast
from .variation import add_variation


@dataclass
class _Grid:
    """The padded month axis: real months plus the blank months in-year windows reach back to."""

    months: pd.DatetimeIndex  # padded
    first_real: int  # index of the first month that has a Data column
    data: np.ndarray  # fields x padded months
    fields: dict[str, int]


def resolve_reporting_month(inputs: Inputs, reporting_month=None) -> pd.Timestamp:
    """The month to report: the argument, else Settings, else the latest month with any figure."""
    months = inputs.data.columns
    if len(months) == 0:
        raise input_error("Data", "B1", "no months found: row 1 needs month-end dates from B1 on")
    chosen = reporting_month if reporting_month is not None else inputs.settings.reporting_month
    if chosen is None:
        filled = inputs.data.notna().any(axis=0)
        return months[filled.to_numpy()].max() if filled.any() else months.max()
    m = month_end(chosen)
    if not months.min() <= m <= months.max():
        # the reader already checks Settings' reporting_month; this is the month asked for
        raise input_error(
            None,
            None,
            f"the reporting month asked for, {uk_month(m)}, is outside the months in Data "
            f"({uk_month(months.min())} to {uk_month(months.max())})",
        )
    return m


def _grid(inputs: Inputs, m: pd.Timestamp) -> _Grid:
    first = inputs.data.columns.min()
    start_month = inputs.settings.financial_year_start_month
    pad_start = min(fy_start(first, start_month), month_end(first - pd.DateOffset(months=11)))
    months = month_range(pad_start, m)
    data = inputs.data.reindex(columns=months).to_numpy(dtype=float)
    fields = {f: i for i, f in enumerate(inputs.data.index)}
    return _Grid(months, int(months.get_loc(first)), data, fields)


def _field_rows(grid: _Grid, names: pd.Series) -> np.ndarray:
    """Rows of the data matrix for each field name; a blank name gives an all-NaN row."""
    blank = np.full(grid.data.shape[1], np.nan)
    return np.array([grid.data[grid.fields[n]] if n else blank for n in names])


def compute_series(inputs: Inputs, m: pd.Timestamp) -> tuple[pd.DataFrame, list[KpiWarning]]:
    """Every measure over every period up to m, as measures x months (NaN where blank).

    Quarterly measures have values only in quarter-end months; other months are not periods for
    them (NaN, no warning).
    """
    values, period, months, warnings = _series_arrays(inputs, m)
    table = pd.DataFrame(
        np.where(period, values, np.nan), index=inputs.measures.index, columns=months
    )
    return table, warnings


def _series_arrays(inputs: Inputs, m: pd.Timestamp):
    """Values and a mask of which months are periods of each measure, over the real months."""
    s = inputs.settings
    grid = _grid(inputs, m)
    measures = inputs.measures
    num = _field_rows(grid, measures["numerator"])
    den = _field_rows(grid, measures["denominator"])
    calcs = measures["calculation"].to_numpy()
    fy = fy_keys(grid.months, s.financial_year_start_month)
    elapsed = months_elapsed_in_fy(grid.months, s.financial_year_start_month)
    quarterly = (measures["frequency"] == "quarterly").to_numpy()
    quarter_cols = is_quarter_end(grid.months, s.financial_year_start_month)

    values = np.full(num.shape, np.nan)
    period = np.zeros(num.shape, dtype=bool)
    for rows, cols, per_year in ((~quarterly, slice(None), 12), (quarterly, quarter_cols, 4)):
        if not rows.any():
            continue
        block = evaluate(
            calcs[rows],
            num[rows][:, cols],
            den[rows][:, cols],
            fy[cols],
            elapsed[cols],
            per_year,
            s.population_0_17,
        )
        idx = np.flatnonzero(rows)
        col_idx = np.arange(len(grid.months))[cols]
        values[np.ix_(idx, col_idx)] = block
        period[np.ix_(idx, col_idx)] = True

    real = slice(grid.first_real, None)
    blanks = np.argwhere(np.isnan(values[:, real]) & period[:, real])
    explain = _BlankReasons(inputs, grid, fy) if len(blanks) else None
    ids = measures.index.tolist()
    warnings = [explain(ids[i], grid.first_real + j, period[i]) for i, j in blanks.tolist()]
    return values[:, real], period[:, real], grid.months[real], warnings


class _BlankReasons:
    """Say why a measure is blank in a month, naming the field, month and Data cell."""

    def __init__(self, inputs: Inputs, grid: _Grid, fy: np.ndarray) -> None:
        self.inputs, self.grid, self.fy = inputs, grid, fy
        self.measures = dict(zip(inputs.measures.index, records(inputs.measures), strict=True))
        self.months = list(grid.months)
        self.names = [uk_month(m) for m in self.months]

    def __call__(self, mid: str, col: int, period: np.ndarray) -> KpiWarning:
        row = self.measures[mid]
        calc = CALCULATIONS[row["calculation"]]
        grid, names, month = self.grid, self.names, self.months[col]
        cols = np.flatnonzero(period[: col + 1])
        if calc.window == "month":
            window = cols[-1:]
        elif calc.window == "twelve_months":
            window = cols[-(12 if row["frequency"] == "monthly" else 4) :]
        else:
            window = cols[self.fy[cols] == self.fy[col]]
        fields = [row["numerator"]] + ([row["denominator"]] if calc.needs_denominator else [])
        head = f"{mid} is blank for {names[col]}"
        before = window[window < grid.first_real]
        starts = names[grid.first_real]
        needs = (
            "a year-to-date figure needs every month since the year began"
            if calc.window == "year_to_date"
            else "a 12-month figure needs the 12 months before it"
        )
        if len(before):
            return KpiWarning(
                f"{head}: the figure needs {names[before[0]]} to {names[before[-1]]}, before the "
                f"first month in Data ({names[grid.first_real]})",
                mid,
                fields[0],
                month,
                reason=f"{needs}, and Data starts in {starts}",
            )
        for f in fields:
            frow = grid.data[grid.fields[f]]
            for c in window:
                if np.isnan(frow[c]):
                    letter = self.inputs.month_columns.get(self.months[c])
                    if letter is None:
                        return KpiWarning(
                            f"{head}: Data has no column for {names[c]}",
                            mid,
                            f,
                            month,
                            reason="no column in Data",
                        )
                    cell = f"Data!{letter}{self.inputs.data_rows[f]}"
                    return KpiWarning(
                        f"{head}: {f} has no figure for {names[c]}",
                        mid,
                        f,
                        month,
                        cell,
                        reason=f"no figure for {f}",
                    )
        if calc.needs_population and not self.inputs.settings.population_0_17:
            return KpiWarning(
                f"{head}: population_0_17 is not set",
                mid,
                None,
                month,
                "Settings",
                reason="population_0_17 not set",
            )
        den = row["denominator"]
        letters = [self.inputs.month_columns[self.months[c]] for c in window]
        r = self.inputs.data_rows[den]
        cells = f"{letters[0]}{r}" if len(letters) == 1 else f"{letters[0]}{r}:{letters[-1]}{r}"
        summed = "" if len(letters) == 1 else " (summed over the window)"
        return KpiWarning(
            f"{head}: its denominator {den} is zero{summed}",
            mid,
            den,
            month,
            f"Data!{cells}",
            reason=f"{den} is zero",
        )


def _targets_by_measure(inputs: Inputs) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each measure's target dates and values (the reader sorts targets by measure, then date)."""
    ids = inputs.targets["measure"].to_numpy()
    dates = inputs.targets["date"].to_numpy(dtype="datetime64[ns]")
    values = inputs.targets["target"].to_numpy(dtype=float)
    return {mid: (dates[a:b], values[a:b]) for mid, (a, b) in spans(ids).items()}


def compute(inputs: Inputs, reporting_month=None) -> Results:
    """Compute every measure, rate the reporting month and write the commentary."""
    s = inputs.settings
    m = resolve_reporting_month(inputs, reporting_month)
    values, period, months, warnings = _series_arrays(inputs, m)
    measures = inputs.measures
    axis = _Axis.of(months, s.financial_year_start_month)
    targets = _targets_by_measure(inputs)
    empty = (np.array([], dtype="datetime64[ns]"), np.array([], dtype=float))
    calcs = measures["calculation"].tolist()
    quarterly = (measures["frequency"] == "quarterly").tolist()
    polarities = measures["polarity"].tolist()

    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    rows, previous_rows, decimals, cross_year = [], [], [], []
    for i, mid in enumerate(measures.index.tolist()):
        calc = calcs[i]
        measure = _Measure(calc, 3 if quarterly[i] else 1, CALCULATIONS[calc].unit == "percent")
        cols = np.flatnonzero(period[i])
        t_dates, t_values = targets.get(mid, empty)
        if in_year.resets_each_year(calc):
            in_force, due = in_year.same_year_targets(
                t_dates, t_values, axis.months[cols], s.financial_year_start_month
            )
        else:
            in_force, due = target_in_force(t_dates, t_values, axis.months[cols])
        line = in_force
        if calc == in_year.RUNNING_TOTAL:
            line = in_year.trajectory(
                axis.months[cols], in_force, due, t_dates, t_values, s.financial_year_start_month
            )
        parts.append((cols, in_force, line))
        rows.append(_score(s, axis, measure, values[i], cols, in_force, due))
        previous_rows.append(
            _score(s, axis, measure, values[i], cols[:-1], in_force[:-1], due[:-1])
        )
        decimals.append(decimals_for(CALCULATIONS[calc].unit, values[i][cols]))
        # a rating change across April compares two different years' figures: not news
        cross_year.append(
            in_year.resets_each_year(calc)
            and len(cols) > 1
            and axis.fy[cols[-1]] != axis.fy[cols[-2]]
        )
        warnings += _no_target_warning(
            s, axis, mid, calc, polarities[i], m, cols, in_force, len(t_dates)
        )

    scorecard = _scorecard_frame(measures, rows)
    scorecard["decimals"] = decimals
    scorecard["rag"], scorecard["distance"] = _rate(s, scorecard)
    previous = pd.DataFrame(previous_rows, columns=_SCORE_FIELDS)
    previous_rag, _ = _rate(s, previous.assign(polarity=scorecard["polarity"]))
    scorecard["previous_rag"] = np.where(cross_year, None, previous_rag)
    scorecard["direction"] = _directions(scorecard)
    scorecard["variation"] = scorecard["assurance"] = None  # add_variation fills them
    scorecard = _order_by_section(scorecard)
    extra = [c for c in scorecard.columns if c not in SCORECARD_COLUMNS]
    scorecard = scorecard[SCORECARD_COLUMNS + extra].reset_index(drop=True)
    series = _series_frame(measures.index, values, axis.months, parts)
    results = Results(inputs, m, scorecard, series, [*inputs.warnings, *warnings], [])
    add_variation(results)
    results.commentary = write_commentary(results)
    return results


@dataclass(frozen=True)
class _Axis:
    """The real months as numpy arrays: dates, plain month ordinals, financial years, elapsed."""

    months: np.ndarray  # datetime64[ns]
    ordinals: np.ndarray
    fy: np.ndarray
    elapsed: np.ndarray
    start_month: int

    @classmethod
    def of(cls, months: pd.DatetimeIndex, start_month: int) -> _Axis:
        month_np = months.to_numpy(dtype="datetime64[ns]")
        return cls(
            month_np,
            (months.year * 12 + months.month - 1).to_numpy(),
            in_year.fy_of(month_np, start_month),
            in_year.months_elapsed(month_np, start_month),
            start_month,
        )

    @staticmethod
    def month_of(ordinal: int) -> np.datetime64:
        """The month end of an ordinal, inside or outside the axis."""
        return _month_end_of(int(ordinal))


@dataclass(frozen=True)
class _Measure:
    calculation: str
    step: int  # months between periods: 1 monthly, 3 quarterly
    percent: bool


_SCORE_FIELDS = [
    "month",
    "value",
    "previous",
    "previous_month",
    "compared_with",
    "target",
    "target_date",
    "forecast",
    "rated_value",
    "rated_basis",
]
_NAT = np.datetime64("NaT", "ns")


def _score(s, axis: _Axis, measure: _Measure, values, cols, in_force, due) -> tuple:
    """The scorecard figures for a measure's last period in `cols` (plain numpy, no pandas)."""
    if len(cols) == 0:
        return (_NAT, np.nan, np.nan, _NAT, "", np.nan, _NAT, np.nan, np.nan, "")
    p = cols[-1]
    value = values[p]
    back = in_year.comparison_offset(measure.calculation, int(axis.elapsed[p]), measure.step)
    previous, prev_month, compared_with = _comparison(axis, values, cols, p, back)
    target, target_date = float(in_force[-1]), due[-1]
    forecast = np.nan
    if np.isfinite(target) and target_date > axis.months[p]:
        forecast = _forecast(s, axis, measure, values, cols, target_date)
    use_forecast = s.rag_basis == "forecast" and np.isfinite(forecast) and np.isfinite(value)
    basis = ("forecast" if use_forecast else "actual") if np.isfinite(target) else ""
    rated = forecast if use_forecast else value
    return (
        axis.months[p],
        value,
        previous,
        prev_month,
        compared_with,
        target,
        target_date,
        forecast,
        rated,
        basis,
    )


@lru_cache(maxsize=4096)
def _month_end_of(ordinal: int) -> np.datetime64:
    """A month ordinal (year * 12 + month - 1) as its month end."""
    return (np.datetime64(ordinal - 1970 * 12 + 1, "M") - np.timedelta64(1, "D")).astype(
        "datetime64[ns]"
    )


def _comparison(axis: _Axis, values, cols, p: int, back: int) -> tuple[float, np.datetime64, str]:
    """The figure `back` months before period p, its month, and words saying what it is."""
    want = int(axis.ordinals[p]) - back
    when = axis.month_of(want)
    year, month = divmod(want, 12)
    label = f"{MONTH_NAMES[month][:3]} {year}"
    col = int(want - axis.ordinals[0])
    at = int(np.searchsorted(cols, col))
    known = col >= 0 and at < len(cols) and cols[at] == col and np.isfinite(values[col])
    if known:
        note = f"{label} (a year earlier)" if back == 12 else label
        return values[col], when, note
    if col < 0:
        return np.nan, when, f"none: Data starts after {label}"
    return np.nan, when, f"none: no figure for {label}"


def _forecast(s, axis: _Axis, measure: _Measure, values, cols, target_date) -> float:
    """The rated forecast at the target's due date (design §3, with the in-year rules)."""
    p = cols[-1]
    calc = measure.calculation
    if calc == in_year.RUNNING_TOTAL:
        if not np.isfinite(values[p]):
            return np.nan
        return in_year.running_total_forecast(
            values[p], axis.months[p], target_date, axis.start_month
        )
    if calc == in_year.PROJECTED_RATE:
        return values[p]  # already the year's figure at this year's rate so far
    tail = cols[-s.forecast_window :]
    recent = tail[in_year.trend_points(axis.months[tail], calc, len(tail), axis.start_month)]
    at = int(np.datetime64(target_date, "M").astype("int64")) + 1970 * 12
    f = trend_forecast(axis.ordinals[recent].tolist(), values[recent].tolist(), at, measure.percent)
    return np.nan if f is None else f


def _directions(card: pd.DataFrame) -> np.ndarray:
    """Direction of travel on the figures as shown (one decimal for percentages...), so two
    figures that look the same are never said to have changed."""
    out = np.empty(len(card), dtype=object)
    for unit, rows in card.groupby(["unit", "decimals"]).groups.items():
        u, places = unit
        idx = card.index.get_indexer(rows)
        out[idx] = direction(
            shown(card["value"].to_numpy(dtype=float)[idx], u, places),
            shown(card["previous"].to_numpy(dtype=float)[idx], u, places),
            card["polarity"].to_numpy()[idx],
        )
    return out


def _no_target_warning(s, axis, mid, calc, polarity, m, cols, in_force, n_targets) -> list:
    """A year-to-date measure with targets, but none due in the reporting month's year."""
    if (
        not n_targets
        or polarity == "contextual"
        or not in_year.resets_each_year(calc)
        or not len(cols)
        or np.isfinite(in_force[-1])
    ):
        return []
    month = pd.Timestamp(axis.months[cols[-1]])
    year = fy_label(month, s.financial_year_start_month)
    return [
        KpiWarning(
            f"{mid} has no target due in the financial year {year}, so it is not rated (a "
            "year-to-date target belongs to the year it falls due in): add one on Targets",
            mid,
            None,
            m,
            "Targets",
        )
    ]


def _scorecard_frame(measures: pd.DataFrame, rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=_SCORE_FIELDS)
    for col in ("month", "previous_month", "target_date"):
        frame[col] = pd.to_datetime(frame[col])
    info = pd.DataFrame(
        {
            "measure_id": measures.index,
            "measure": measures["title"].to_numpy(),
            "section": measures["section"].to_numpy(),
            "calculation": measures["calculation"].to_numpy(),
            "polarity": measures["polarity"].to_numpy(),
            "unit": [CALCULATIONS[c].unit for c in measures["calculation"]],
            "chart": measures["chart"].to_numpy(),
            "frequency": measures["frequency"].to_numpy(),
        }
    )
    return pd.concat([info, frame], axis=1)


def _series_frame(ids, values, month_np, parts) -> pd.DataFrame:
    """The long table: one row per measure and period, with the target in force."""
    counts = [len(cols) for cols, _, _ in parts]
    rows = np.repeat(np.arange(len(ids)), counts)
    cols = np.concatenate([c for c, _, _ in parts]) if parts else np.array([], dtype=int)
    return pd.DataFrame(
        {
            "measure_id": np.asarray(ids, dtype=object)[rows],
            "month": pd.DatetimeIndex(month_np[cols]),
            "value": values[rows, cols],
            "target": np.concatenate([t for _, t, _ in parts]) if parts else np.array([]),
            "target_line": np.concatenate([x for _, _, x in parts]) if parts else np.array([]),
        }
    )


def _rate(s, rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """RAG and distance from target for scorecard-shaped rows, with the workbook's settings."""
    value = rows["rated_value"].to_numpy(dtype=float)
    target = rows["target"].to_numpy(dtype=float)
    polarity = rows["polarity"].to_numpy()
    ratings = rag(
        value, target, polarity, s.rag_green, s.rag_amber, s.rag_red, s.rag_gap, s.rag_tolerance
    )
    d = np.round(distance(value, target, polarity.astype(object), s.rag_tolerance), DECIMALS)
    d = np.where(np.isin(ratings, [NO_TARGET, CONTEXTUAL]), np.nan, d)
    return ratings, d


def _order_by_section(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Group rows by section, sections in order of first appearance, measures in sheet order."""
    order = {sec: i for i, sec in enumerate(dict.fromkeys(scorecard["section"]))}
    key = scorecard["section"].map(order)
    return scorecard.assign(_k=key).sort_values("_k", kind="stable").drop(columns="_k")
