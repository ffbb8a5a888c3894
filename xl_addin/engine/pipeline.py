"""From validated inputs to results: every measure for every month, then the reporting month's
scorecard with targets, forecasts, RAG and direction of travel.

Results for month m use only data up to m, so any past month can be reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import input_error
from .calculations import CALCULATIONS, evaluate
from .commentary import write_commentary
from .models import SCORECARD_COLUMNS, Inputs, KpiWarning, Results, records, spans
from .periods import (
    fy_keys,
    fy_start,
    is_quarter_end,
    month_end,
    month_range,
    months_elapsed_in_fy,
    uk_month,
)
from .rag import CONTEXTUAL, DECIMALS, NO_TARGET, direction, distance, rag
from .targets import target_in_force, trend_forecast


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
        if len(before):
            return KpiWarning(
                f"{head}: the figure needs {names[before[0]]} to {names[before[-1]]}, before the "
                f"first month in Data ({names[grid.first_real]})",
                mid,
                fields[0],
                month,
            )
        for f in fields:
            frow = grid.data[grid.fields[f]]
            for c in window:
                if np.isnan(frow[c]):
                    letter = self.inputs.month_columns.get(self.months[c])
                    if letter is None:
                        return KpiWarning(
                            f"{head}: Data has no column for {names[c]}", mid, f, month
                        )
                    cell = f"Data!{letter}{self.inputs.data_rows[f]}"
                    return KpiWarning(
                        f"{head}: {f} has no figure for {names[c]}", mid, f, month, cell
                    )
        if calc.needs_population and not self.inputs.settings.population_0_17:
            return KpiWarning(f"{head}: population_0_17 is not set", mid, None, month, "Settings")
        den = row["denominator"]
        return KpiWarning(f"{head}: its denominator {den} is zero", mid, den, month)


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
    targets = _targets_by_measure(inputs)
    empty = (np.array([], dtype="datetime64[ns]"), np.array([], dtype=float))
    month_np = months.to_numpy(dtype="datetime64[ns]")
    ordinals = (months.year * 12 + months.month - 1).to_numpy()
    percent = (measures["calculation"].map(lambda c: CALCULATIONS[c].unit) == "percent").to_numpy()
    step = np.where(measures["frequency"].to_numpy() == "quarterly", 3, 1)
    month_before = {
        k: (months - pd.offsets.MonthEnd(k)).to_numpy(dtype="datetime64[ns]") for k in (1, 3)
    }

    parts: list[tuple[np.ndarray, np.ndarray]] = []
    rows, previous_rows = [], []
    for i, mid in enumerate(measures.index.tolist()):
        cols = np.flatnonzero(period[i])
        in_force, due = target_in_force(*targets.get(mid, empty), month_np[cols])
        parts.append((cols, in_force))
        k = int(step[i])
        args = (s, values[i], ordinals, month_np, month_before[k], k, bool(percent[i]))
        rows.append(_score(*args, cols, in_force, due))
        previous_rows.append(_score(*args, cols[:-1], in_force[:-1], due[:-1]))

    scorecard = _scorecard_frame(measures, rows)
    scorecard["rag"], scorecard["distance"] = _rate(s, scorecard)
    previous = pd.DataFrame(previous_rows, columns=_SCORE_FIELDS)
    scorecard["previous_rag"], _ = _rate(s, previous.assign(polarity=scorecard["polarity"]))
    scorecard["direction"] = direction(
        scorecard["value"].to_numpy(dtype=float),
        scorecard["previous"].to_numpy(dtype=float),
        scorecard["polarity"].to_numpy(),
    )
    scorecard = _order_by_section(scorecard)
    extra = [c for c in scorecard.columns if c not in SCORECARD_COLUMNS]
    scorecard = scorecard[SCORECARD_COLUMNS + extra].reset_index(drop=True)
    series = _series_frame(measures.index, values, month_np, parts)
    results = Results(inputs, m, scorecard, series, [*inputs.warnings, *warnings], [])
    results.commentary = write_commentary(results)
    return results


_SCORE_FIELDS = [
    "month",
    "value",
    "previous",
    "previous_month",
    "target",
    "target_date",
    "forecast",
    "rated_value",
    "rated_basis",
]
_NAT = np.datetime64("NaT", "ns")


def _score(s, values, ordinals, month_np, month_before, step, percent, cols, in_force, due):
    """The scorecard figures for a measure's last period in `cols` (plain numpy, no pandas)."""
    if len(cols) == 0:
        return (_NAT, np.nan, np.nan, _NAT, np.nan, _NAT, np.nan, np.nan, "")
    p = cols[-1]
    value = values[p]
    prev_ord = ordinals[p] - step
    prev_month = month_before[p]
    previous = values[cols[-2]] if len(cols) > 1 and ordinals[cols[-2]] == prev_ord else np.nan
    target, target_date = float(in_force[-1]), due[-1]
    forecast = np.nan
    if np.isfinite(target) and target_date > month_np[p]:
        recent = cols[-s.forecast_window :]
        at = int(target_date.astype("datetime64[M]").view("int64")) + 1970 * 12
        f = trend_forecast(ordinals[recent].tolist(), values[recent].tolist(), at, percent)
        forecast = np.nan if f is None else f
    use_forecast = s.rag_basis == "forecast" and np.isfinite(forecast) and np.isfinite(value)
    basis = ("forecast" if use_forecast else "actual") if np.isfinite(target) else ""
    rated = forecast if use_forecast else value
    return (month_np[p], value, previous, prev_month, target, target_date, forecast, rated, basis)


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
    counts = [len(cols) for cols, _ in parts]
    rows = np.repeat(np.arange(len(ids)), counts)
    cols = np.concatenate([c for c, _ in parts]) if parts else np.array([], dtype=int)
    return pd.DataFrame(
        {
            "measure_id": np.asarray(ids, dtype=object)[rows],
            "month": pd.DatetimeIndex(month_np[cols]),
            "value": values[rows, cols],
            "target": np.concatenate([t for _, t in parts]) if parts else np.array([]),
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
