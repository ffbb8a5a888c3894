"""The engine's inputs and outputs: plain dataclasses over pandas objects, no Excel anywhere."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..process_control.settings import SpcSettings


def spans(ids: np.ndarray) -> dict[str, tuple[int, int]]:
    """Start and stop of each run of equal ids in a table sorted by id (measure by measure)."""
    ids = np.asarray(ids, dtype=object)
    edges = [0, *(np.flatnonzero(ids[1:] != ids[:-1]) + 1).tolist(), len(ids)]
    return {ids[a]: (a, b) for a, b in itertools.pairwise(edges) if b > a}


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts, several times faster than DataFrame.to_dict("records") for our tables."""
    columns = {c: frame[c].tolist() for c in frame.columns}
    return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]


@dataclass(frozen=True)
class Settings:
    """Workbook-wide settings (design §3 `Settings`). Defaults are the contract's."""

    authority: str = ""
    reporting_month: pd.Timestamp | None = None
    population_0_17: float | None = None
    financial_year_start_month: int = 4
    rag_green: float = 0.02
    rag_amber: float = 0.10
    rag_red: float = 0.20
    rag_gap: str = "Amber"
    rag_tolerance: str = "relative"
    rag_basis: str = "forecast"
    forecast_window: int = 3
    suppress_below: int = 6
    classification: str = "OFFICIAL-SENSITIVE"
    spc: SpcSettings = field(default_factory=SpcSettings)  # the spc_* settings


@dataclass(frozen=True)
class KpiWarning:
    """Something the analyst should know that does not stop the refresh (a blank result, say)."""

    message: str
    measure_id: str | None = None
    field: str | None = None
    month: pd.Timestamp | None = None
    location: str | None = None
    reason: str | None = None  # for a blank: why, in a few words a chart can show

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


@dataclass
class Inputs:
    """Validated inputs.

    measures: indexed by measure id, columns title, section, calculation, numerator,
        denominator, polarity, chart, frequency (all strings; denominator may be "").
    data: indexed by field id, one float column per month end (NaN = blank cell), sorted.
    targets: columns measure, date (month end), target; sorted by measure then date.
    data_rows / month_columns: where each Data figure came from (row number, column letter).
    """

    settings: Settings
    measures: pd.DataFrame
    data: pd.DataFrame
    targets: pd.DataFrame
    warnings: list[KpiWarning] = field(default_factory=list)
    data_rows: dict[str, int] = field(default_factory=dict)
    month_columns: dict[pd.Timestamp, str] = field(default_factory=dict)
    source: str = ""
    spc_periods: dict = field(default_factory=dict)  # measure id -> contract SpcPeriods


SCORECARD_COLUMNS = [
    "measure_id",
    "measure",
    "section",
    "month",
    "value",
    "previous",
    "compared_with",
    "target",
    "target_date",
    "forecast",
    "rag",
    "direction",
    "variation",
    "assurance",
]


@dataclass
class Results:
    """Everything the renderers draw.

    scorecard: one row per measure for the reporting month; SCORECARD_COLUMNS first, then
        calculation, polarity, unit, chart, frequency, previous_month, rated_value, rated_basis,
        distance, decimals (places shown), previous_rag, variation_words, assurance_words.
        `compared_with` says which month `previous` is ("Sep 2022", "Apr 2022 (a year
        earlier)"), or why there is none. `variation` and `assurance` are the Making Data
        Count codes ("common_cause", "pass"...; None where SPC is not used or has too few
        points), and their `_words` what the Scorecard shows.
    series: long table measure_id, month, value, target (the incremental target in force),
        target_line (what charts draw: the target in force, or for a running total the
        trajectory from zero at the start of the year to the target at its due date).
    """

    inputs: Inputs
    reporting_month: pd.Timestamp
    scorecard: pd.DataFrame
    series: pd.DataFrame
    warnings: list[KpiWarning]
    commentary: list  # of engine.commentary.Comment; str(c) is the sentence
    _spans: dict[str, tuple[int, int]] | None = field(default=None, repr=False)
    spc: dict = field(default_factory=dict, repr=False)  # measure id -> SpcResult (in-month)

    @property
    def settings(self) -> Settings:
        return self.inputs.settings

    def wide(self, column: str = "value") -> pd.DataFrame:
        """Measures x months of `column` ("value": the `KPI Values` table; "target": the
        target in force), in Measures order; months are every month `series` holds.

        Each (measure, month) occurs once in `series`, so this is a pivot; numpy scatter
        instead of `DataFrame.pivot` because the board pack asks for it several times.
        """
        measures = self.inputs.measures.index
        series = self.series
        months, col = np.unique(series["month"].to_numpy(), return_inverse=True)
        row = measures.get_indexer(series["measure_id"].to_numpy())
        known = row >= 0
        table = np.full((len(measures), len(months)), np.nan)
        table[row[known], col[known]] = series[column].to_numpy(dtype=float)[known]
        return pd.DataFrame(table, index=measures, columns=pd.DatetimeIndex(months, name="month"))

    def history(self, measure_id: str) -> tuple[np.ndarray, np.ndarray]:
        """One measure's months (datetime64) and values from `series`, oldest first."""
        if self._spans is None:
            self._spans = spans(self.series["measure_id"].to_numpy())
            self._months = self.series["month"].to_numpy()
            self._values = self.series["value"].to_numpy(dtype=float)
        a, b = self._spans.get(measure_id, (0, 0))
        return self._months[a:b], self._values[a:b]

    def reporting_warnings(self) -> list[KpiWarning]:
        """Warnings about the reporting month, or about the inputs themselves."""
        m = self.reporting_month
        return [w for w in self.warnings if w.month is None or w.month == m]
