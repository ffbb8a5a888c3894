"""What a published (`--public`) pack may show: the engine's results with suppression applied.

`suppression.py` holds the rule; this module says which figures the pack shows and what each is
computed from, then masks everything derived from a suppressed figure:

- Scorecard: value, previous, forecast (a trend through suppressed values), the RAG (a band can
  pin a small count down: for a target of 5, Amber may mean exactly 4), the direction
  ("No change" next to a shown previous value gives the value away) and the SPC variation of a
  suppressed month ("unusually low" points at it) become `c`;
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
from ..engine.periods import is_quarter_end, month_range
from .suppression import SYMBOL, Figure, Suppression, suppress

TREND_MONTHS = 12  # the Scorecard's sparkline window
COMMENT_LOOKBACK = 3  # commentary quotes at most the last three periods (mover sentences)
_COUNT_UNITS = ("count", "rate")  # the figure is a window sum (rates: the population is public)


@dataclass(frozen=True)
class PublicView:
    """Which figures a public pack hides, keyed (measure id, month ordinal: year*12 + month-1)."""

    threshold: int
    suppression: Suppression
    hidden_forecasts: frozenset[str]  # measure ids
    withheld_comments: frozenset[int]  # positions in results.commentary

    def hidden(self, measure_id: str, month: pd.Timestamp | None) -> bool:
        if month is None or pd.isna(month):
            return False
        return (measure_id, ordinal(month)) in self.suppression

    @property
    def counts(self) -> tuple[int, int]:
        """(primary, secondary) numbers of suppressed figures."""
        return len(self.suppression.primary), len(self.suppression.secondary)


def ordinal(month) -> int:
    """A month as one integer (year * 12 + month - 1), so keys are cheap to make and compare."""
    ts = pd.Timestamp(month)
    return ts.year * 12 + ts.month - 1


def ordinals(months: np.ndarray) -> np.ndarray:
    """`ordinal` for an array of datetime64 values."""
    return np.asarray(months).astype("datetime64[M]").astype(np.int64) + 1970 * 12


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
        out[name + QUARTERLY] = np.where(quarter, data[i], np.nan)
    return out


QUARTERLY = " (quarterly)"


def _forecast_inputs(results: Results, row) -> np.ndarray:
    """Ordinals of the periods the forecast was fitted to (the engine's last `forecast_window`
    periods up to the measure's month)."""
    months, _ = results.history(row.measure_id)
    o = ordinals(months)
    return o[o <= ordinal(row.month)][-int(results.settings.forecast_window) :]


def shown_months(results: Results) -> dict[str, np.ndarray]:
    """Month ordinals whose value the pack shows (or uses in a shown forecast), per measure.

    Scorecard value and previous, the last 12 months (sparkline data), every month of a charted
    measure (chart data), and the forecast's inputs.
    """
    trend_from = ordinal(results.reporting_month) - (TREND_MONTHS - 1)
    out: dict[str, np.ndarray] = {}
    for row in results.scorecard.itertuples(index=False):
        months, values = results.history(row.measure_id)
        o = ordinals(months)
        finite = np.isfinite(values)
        keep = finite.copy() if row.chart != "none" else finite & (o >= trend_from)
        for extra in (row.month, row.previous_month):
            if pd.notna(extra):
                keep |= finite & (o == ordinal(extra))
        if pd.notna(row.forecast):
            keep |= finite & np.isin(o, _forecast_inputs(results, row))
        out[row.measure_id] = o[keep]
    return out


def pack_figures(results: Results) -> tuple[dict[str, np.ndarray], list[Figure]]:
    """The counts and the figures the pack shows, in `suppression`'s terms: each figure's
    window is its calculation's (the month, the 12 months, or the financial year to date)."""
    axis = _axis(results)
    first = ordinal(axis[0])
    start_month = results.settings.financial_year_start_month
    measures = results.inputs.measures.to_dict("index")
    figures: list[Figure] = []
    counts = field_counts(results, axis)
    for mid, shown in shown_months(results).items():
        row = measures[mid]
        calc = CALCULATIONS[row["calculation"]]
        suffix = QUARTERLY if row["frequency"] == "quarterly" else ""
        if calc.name == "percent_value":
            if not row["denominator"]:
                continue  # a percentage from a system report, with no counts behind it here
            row = {**row, "numerator": _implied_count(counts, row["numerator"], row["denominator"])}
        p = shown - first
        if calc.window == "month":
            a = p
        elif calc.window == "twelve_months":
            a = np.maximum(p - 11, 0)
        else:  # year to date: back to the month the financial year starts
            a = np.maximum(p - (shown % 12 + 1 - start_month) % 12, 0)
        num = row["numerator"] + suffix
        den = None if calc.unit in _COUNT_UNITS else row["denominator"] + suffix
        figures += [
            Figure((mid, o), (num, x, y), None if den is None else (den, x, y))
            for o, x, y in zip(shown.tolist(), a.tolist(), p.tolist(), strict=True)
        ]
    return counts, figures


def _implied_count(counts: dict[str, np.ndarray], percent: str, base: str) -> str:
    """A percentage field times its base count: the number of children it stands for, so a
    `percent_value` measure with a denominator is suppressed like a `percent` one."""
    name = f"{percent} × {base}"
    for suffix in ("", QUARTERLY):
        counts[name + suffix] = np.round(counts[percent + suffix] * counts[base + suffix])
    return name


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
        inputs = _forecast_inputs(results, row).tolist()
        if pd.notna(row.forecast) and any((row.measure_id, o) in decision for o in inputs):
            hidden_forecasts.add(row.measure_id)
        quoted[row.measure_id] = {(row.measure_id, o) for o in inputs[-COMMENT_LOOKBACK:]}
        if pd.notna(row.previous_month):
            quoted[row.measure_id].add((row.measure_id, ordinal(row.previous_month)))
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
    cols += ("variation", "variation_words")
    for col in cols:
        card[col] = card[col].astype(object)
    for i, row in enumerate(results.scorecard.itertuples(index=False)):
        value_hidden = view.hidden(row.measure_id, row.month)
        previous_hidden = view.hidden(row.measure_id, row.previous_month)
        forecast_hidden = row.measure_id in view.hidden_forecasts
        rated_hidden = forecast_hidden if row.rated_basis == "forecast" else value_hidden
        if value_hidden:
            card.iat[i, card.columns.get_loc("value")] = blank
            if isinstance(row.variation, str):  # "unusually low" would point at the figure
                card.iat[i, card.columns.get_loc("variation")] = SYMBOL
                card.iat[i, card.columns.get_loc("variation_words")] = SYMBOL
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
    keys = zip(series["measure_id"], ordinals(series["month"].to_numpy()).tolist(), strict=True)
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
