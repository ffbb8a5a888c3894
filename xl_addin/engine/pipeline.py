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
from .models import SCORECARD_COLUMNS, Inputs, KpiWarning, Results
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
        raise input_error(
            "Settings",
            None,
            f"reporting_month {uk_month(m)} is outside the months in Data "
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
    table = pd.DataFrame(values[:, real], index=measures.index, columns=grid.months[real])
    blanks = np.argwhere(np.isnan(values[:, real]) & period[:, real])
    warnings = [
        _blank_warning(inputs, grid, measures.index[i], grid.first_real + j, period[i])
        for i, j in blanks
    ]
    return table.where(period[:, real]), warnings


def _blank_warning(inputs: Inputs, grid: _Grid, mid: str, col: int, period: np.ndarray):
    """Say why a measure is blank in a month, naming the field, month and Data cell."""
    row = inputs.measures.loc[mid]
    calc = CALCULATIONS[row["calculation"]]
    month = grid.months[col]
    s = inputs.settings
    cols = np.flatnonzero(period[: col + 1])
    if calc.window == "month":
        window = cols[-1:]
    elif calc.window == "twelve_months":
        window = cols[-(12 if row["frequency"] == "monthly" else 4) :]
        if col - 11 < 0:
            window = cols
    else:
        fy = fy_keys(grid.months, s.financial_year_start_month)
        window = cols[fy[cols] == fy[col]]
    fields = [row["numerator"]] + ([row["denominator"]] if calc.needs_denominator else [])
    head = f"{mid} is blank for {uk_month(month)}"
    before = [c for c in window if c < grid.first_real]
    if before:
        first = grid.months[grid.first_real]
        span = f"{uk_month(grid.months[before[0]])} to {uk_month(grid.months[before[-1]])}"
        return KpiWarning(
            f"{head}: the figure needs {span}, before the first month in Data ({uk_month(first)})",
            mid,
            fields[0],
            month,
        )
    for f in fields:
        frow = grid.data[grid.fields[f]]
        for c in window:
            if np.isnan(frow[c]):
                mon = grid.months[c]
                col_letter = inputs.month_columns.get(mon)
                if col_letter is None:
                    return KpiWarning(
                        f"{head}: Data has no column for {uk_month(mon)}", mid, f, month
                    )
                cell = f"{col_letter}{inputs.data_rows[f]}"
                return KpiWarning(
                    f"{head}: {f} has no figure for {uk_month(mon)}", mid, f, month, f"Data!{cell}"
                )
    if calc.needs_population and not s.population_0_17:
        return KpiWarning(f"{head}: population_0_17 is not set", mid, None, month, "Settings")
    den = row["denominator"]
    return KpiWarning(f"{head}: its denominator {den} is zero", mid, den, month)


def _targets_by_measure(inputs: Inputs) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    out = {}
    for mid, group in inputs.targets.groupby("measure", sort=False):
        out[mid] = (
            group["date"].to_numpy(dtype="datetime64[ns]"),
            group["target"].to_numpy(dtype=float),
        )
    return out


def compute(inputs: Inputs, reporting_month=None) -> Results:
    """Compute every measure, rate the reporting month and write the commentary."""
    s = inputs.settings
    m = resolve_reporting_month(inputs, reporting_month)
    table, warnings = compute_series(inputs, m)
    measures = inputs.measures
    targets = _targets_by_measure(inputs)
    empty = (np.array([], dtype="datetime64[ns]"), np.array([], dtype=float))

    series_frames, rows, previous_rows = [], [], []
    for mid, meas in measures.iterrows():
        values = table.loc[mid]
        periods = values.index[np.isfinite(values.to_numpy()) | _is_period(meas, values.index, s)]
        t_dates, t_values = targets.get(mid, empty)
        in_force, due = target_in_force(t_dates, t_values, periods)
        series_frames.append(
            pd.DataFrame(
                {
                    "measure_id": mid,
                    "month": periods,
                    "value": values[periods].to_numpy(),
                    "target": in_force,
                }
            )
        )
        rows.append(_score_row(s, mid, meas, values, periods, in_force, due))
        previous_rows.append(
            _score_row(s, mid, meas, values, periods[:-1], in_force[:-1], due[:-1])
        )

    scorecard = pd.DataFrame(rows)
    scorecard["rag"], scorecard["distance"] = _rate(s, scorecard)
    scorecard["previous_rag"], _ = _rate(s, pd.DataFrame(previous_rows))
    scorecard["direction"] = direction(
        scorecard["value"].to_numpy(dtype=float),
        scorecard["previous"].to_numpy(dtype=float),
        scorecard["polarity"].to_numpy(),
    )
    scorecard = _order_by_section(scorecard)
    extra = [c for c in scorecard.columns if c not in SCORECARD_COLUMNS]
    scorecard = scorecard[SCORECARD_COLUMNS + extra].reset_index(drop=True)
    series = pd.concat(series_frames, ignore_index=True)
    results = Results(inputs, m, scorecard, series, [*inputs.warnings, *warnings], [])
    results.commentary = write_commentary(results)
    return results


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


def _is_period(meas: pd.Series, months: pd.DatetimeIndex, s) -> np.ndarray:
    if meas["frequency"] == "quarterly":
        return is_quarter_end(months, s.financial_year_start_month)
    return np.ones(len(months), dtype=bool)


def _score_row(s, mid, meas, values, periods, in_force, due) -> dict:
    calc = CALCULATIONS[meas["calculation"]]
    row = {
        "measure_id": mid,
        "measure": meas["title"],
        "section": meas["section"],
        "calculation": meas["calculation"],
        "polarity": meas["polarity"],
        "unit": calc.unit,
        "chart": meas["chart"],
        "frequency": meas["frequency"],
    }
    if len(periods) == 0:
        return row | {
            "month": pd.NaT,
            "value": np.nan,
            "previous": np.nan,
            "previous_month": pd.NaT,
            "target": np.nan,
            "target_date": pd.NaT,
            "forecast": np.nan,
            "rated_value": np.nan,
            "rated_basis": "",
        }
    p = periods[-1]
    value = float(values[p])
    prev_month = periods[-2] if len(periods) > 1 else pd.NaT
    step = 3 if meas["frequency"] == "quarterly" else 1
    expected_prev = month_end(p - pd.DateOffset(months=step))
    previous = float(values[prev_month]) if prev_month == expected_prev else np.nan
    target, target_date = float(in_force[-1]), pd.Timestamp(due[-1])
    forecast = np.nan
    if np.isfinite(target) and target_date > p:
        recent = periods[-s.forecast_window :]
        f = trend_forecast(
            list(recent),
            list(values[recent].to_numpy(dtype=float)),
            target_date,
            calc.unit == "percent",
        )
        forecast = np.nan if f is None else f
    use_forecast = s.rag_basis == "forecast" and np.isfinite(forecast) and np.isfinite(value)
    rated = forecast if use_forecast else value
    return row | {
        "month": p,
        "value": value,
        "previous": previous,
        "previous_month": expected_prev,
        "target": target,
        "target_date": target_date,
        "forecast": forecast,
        "rated_value": rated,
        "rated_basis": ("forecast" if use_forecast else "actual") if np.isfinite(target) else "",
    }


def _order_by_section(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Group rows by section, sections in order of first appearance, measures in sheet order."""
    order = {sec: i for i, sec in enumerate(dict.fromkeys(scorecard["section"]))}
    key = scorecard["section"].map(order)
    return scorecard.assign(_k=key).sort_values("_k", kind="stable").drop(columns="_k")
