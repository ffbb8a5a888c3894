"""What a published (`--public`) pack may show: the engine's results with suppression applied.

`suppression.py` holds the rule; this module says which figures the pack shows and what each is
computed from, then masks everything derived from a suppressed figure:

- Scorecard: value, previous, forecast (a trend through suppressed values), the RAG (a band can
  pin a small count down: for a target of 5, Amber may mean exactly 4) and the direction
  ("No change" next to a shown previous value gives the value away) become `c`;
- charts, sparklines and their data: suppressed months are left blank (a chart would plot the
  text `c` as zero), and alt text leaves out a suppressed latest value;
- commentary about a measure whose quoted figures include a suppressed one is withheld.

Targets are policy figures, not counts of children, and are always shown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine.calculations import CALCULATIONS
from ..engine.commentary import Comment
from ..engine.models import Results
from ..engine.periods import fy_start, is_quarter_end, month_range
from .suppression import SYMBOL, Figure, Suppression, Window, suppress

TREND_MONTHS = 12  # the Scorecard's sparkline window
COMMENT_LOOKBACK = 3  # commentary quotes at most the last three periods (mover sentences)
_COUNT_UNITS = ("count", "rate")  # the figure is a window sum (rates: the population is public)


@dataclass(frozen=True)
class PublicView:
    """Which figures a public pack hides, keyed (measure id, month end)."""

    threshold: int
    suppression: Suppression
    hidden_forecasts: frozenset[str]  # measure ids
    withheld_comments: frozenset[int]  # positions in results.commentary

    def hidden(self, measure_id: str, month: pd.Timestamp | None) -> bool:
        return month is not None and (measure_id, pd.Timestamp(month)) in self.suppression

    @property
    def counts(self) -> tuple[int, int]:
        """(primary, secondary) numbers of suppressed figures."""
        return len(self.suppression.primary), len(self.suppression.secondary)


def _axis(results: Results) -> pd.DatetimeIndex:
    return month_range(results.inputs.data.columns.min(), results.reporting_month)


def field_counts(results: Results, axis: pd.DatetimeIndex) -> dict[str, np.ndarray]:
    """Every Data field on the month axis; a `<field> (quarterly)` copy keeps only quarter ends,
    because quarterly measures sum only those months."""
    data = results.inputs.data.reindex(columns=axis).to_numpy(dtype=float)
    quarter = is_quarter_end(axis, results.settings.financial_year_start_month)
    out: dict[str, np.ndarray] = {}
    for i, name in enumerate(results.inputs.data.index):
        out[name] = data[i]
        out[name + " (quarterly)"] = np.where(quarter, data[i], np.nan)
    return out


def _window(field: str, quarterly: bool, kind: str, p: int, fy_first: int) -> Window:
    name = field + " (quarterly)" if quarterly else field
    if kind == "month":
        return (name, p, p)
    if kind == "twelve_months":
        return (name, max(p - 11, 0), p)
    return (name, max(fy_first, 0), p)


def shown_months(results: Results) -> dict[str, list[pd.Timestamp]]:
    """Months whose value the pack shows (or uses in a shown forecast), per measure.

    Scorecard value and previous, the last 12 months (sparkline data), every month of a charted
    measure (chart data), and the forecast's inputs.
    """
    m = results.reporting_month
    window = int(results.settings.forecast_window)
    trend_from = m - pd.DateOffset(months=TREND_MONTHS - 1)
    out: dict[str, list[pd.Timestamp]] = {}
    for row in results.scorecard.itertuples(index=False):
        months, values = results.history(row.measure_id)
        months = pd.DatetimeIndex(months)
        finite = np.isfinite(values)
        keep = finite & (months >= trend_from)
        if row.chart != "none":
            keep = finite.copy()
        for extra in (row.month, row.previous_month):
            if pd.notna(extra):
                keep |= finite & (months == extra)
        if pd.notna(row.forecast):
            upto = np.flatnonzero(months <= row.month)[-window:]
            keep[upto] |= finite[upto]
        out[row.measure_id] = list(months[keep])
    return out


def pack_figures(results: Results) -> tuple[dict[str, np.ndarray], list[Figure]]:
    """The counts and the figures the pack shows, in `suppression`'s terms."""
    axis = _axis(results)
    first = axis[0].year * 12 + axis[0].month - 1
    start_month = results.settings.financial_year_start_month
    measures = results.inputs.measures
    figures: list[Figure] = []
    for mid, months in shown_months(results).items():
        row = measures.loc[mid]
        calc = CALCULATIONS[row["calculation"]]
        quarterly = row["frequency"] == "quarterly"
        for month in months:
            p = month.year * 12 + month.month - 1 - first
            fy = fy_start(month, start_month)
            fy_first = fy.year * 12 + fy.month - 1 - first
            num = _window(row["numerator"], quarterly, calc.window, p, fy_first)
            den = None
            if calc.unit not in _COUNT_UNITS:
                den = _window(row["denominator"], quarterly, calc.window, p, fy_first)
            figures.append(Figure((mid, month), num, den))
    return field_counts(results, axis), figures


def _forecast_inputs(results: Results, row) -> list[pd.Timestamp]:
    months, _ = results.history(row.measure_id)
    months = pd.DatetimeIndex(months)
    upto = months[months <= row.month]
    return list(upto[-int(results.settings.forecast_window) :])


def public_view(results: Results) -> PublicView:
    """Suppress for publication with the workbook's `suppress_below`."""
    threshold = int(results.settings.suppress_below)
    counts, figures = pack_figures(results)
    decision = suppress(counts, figures, threshold)
    hidden_forecasts = set()
    quoted: dict[str, set[Hashable]] = {}
    for row in results.scorecard.itertuples(index=False):
        if pd.isna(row.month):
            continue
        inputs = _forecast_inputs(results, row)
        if pd.notna(row.forecast) and any((row.measure_id, m) in decision for m in inputs):
            hidden_forecasts.add(row.measure_id)
        quoted[row.measure_id] = {(row.measure_id, m) for m in inputs[-COMMENT_LOOKBACK:]}
        if pd.notna(row.previous_month):
            quoted[row.measure_id].add((row.measure_id, pd.Timestamp(row.previous_month)))
    withheld = {
        i
        for i, c in enumerate(results.commentary)
        if c.measure_id in hidden_forecasts
        or any(k in decision for k in quoted.get(c.measure_id, ()))
    }
    return PublicView(threshold, decision, frozenset(hidden_forecasts), frozenset(withheld))


def withheld_text(title: str) -> str:
    return f"{title}: not shown in the published version, because it would reveal small numbers."


def _masked_card(results: Results, view: PublicView, blank: object) -> pd.DataFrame:
    card = results.scorecard.copy()
    cols = ("value", "previous", "forecast", "rag", "direction", "rated_value")
    for col in cols:
        card[col] = card[col].astype(object)
    for i, row in enumerate(results.scorecard.itertuples(index=False)):
        value_hidden = view.hidden(row.measure_id, row.month)
        previous_hidden = view.hidden(row.measure_id, row.previous_month)
        forecast_hidden = row.measure_id in view.hidden_forecasts
        rated_hidden = forecast_hidden if row.rated_basis == "forecast" else value_hidden
        if value_hidden:
            card.iat[i, card.columns.get_loc("value")] = blank
        if previous_hidden:
            card.iat[i, card.columns.get_loc("previous")] = blank
        if forecast_hidden:
            card.iat[i, card.columns.get_loc("forecast")] = blank
        if rated_hidden and row.rated_basis:
            card.iat[i, card.columns.get_loc("rag")] = SYMBOL
            card.iat[i, card.columns.get_loc("rated_value")] = blank
        if (value_hidden or previous_hidden) and isinstance(row.direction, str) and row.direction:
            card.iat[i, card.columns.get_loc("direction")] = SYMBOL
    return card


def _masked_series(results: Results, view: PublicView) -> pd.DataFrame:
    series = results.series.copy()
    keys = zip(series["measure_id"], series["month"], strict=True)
    hide = np.fromiter((k in view.suppression for k in keys), dtype=bool, count=len(series))
    series.loc[hide, "value"] = np.nan
    return series


def _masked_commentary(results: Results, view: PublicView) -> list[Comment]:
    titles = results.inputs.measures["title"]
    return [
        dataclasses.replace(c, text=withheld_text(titles.get(c.measure_id, c.measure_id)))
        if i in view.withheld_comments
        else c
        for i, c in enumerate(results.commentary)
    ]


def masked_results(results: Results, view: PublicView | None, blank: object) -> Results:
    """A copy of `results` to render: suppressed scorecard figures become `blank` (`c` for
    tables, NaN for charts and alt text), suppressed months drop out of the series, withheld
    commentary is replaced. With no view (an internal pack), `results` itself."""
    if view is None:
        return results
    return dataclasses.replace(
        results,
        scorecard=_masked_card(results, view, blank),
        series=_masked_series(results, view),
        commentary=_masked_commentary(results, view),
        _spans=None,
    )
