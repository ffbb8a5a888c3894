"""The `KPI Values` sheet: the computed series (table `KPIValues`), the targets in force (table
`KPITargets`) and a row of real month-end dates. Charts read all three, so they live here.

Table headers must be text (`Oct-21`); a date axis needs dates, hence the separate date row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..engine.models import Results
from .names import KPI_VALUES
from .plan import (
    CellBlock,
    CellRange,
    ColumnWidth,
    SheetPlan,
    TablePlan,
    TextBlock,
    TextLine,
)
from .scorecard import report_title
from .styles import HEADING, LABEL, NOTE, TITLE
from .values import MONTH_FORMAT, cell_value, measure_formats, month_header

VALUES_TABLE = "KPIValues"
TARGETS_TABLE = "KPITargets"
SPC_TABLE = "SPCLines"
# The rows an SPC chart draws besides the values and the target (docs/charts.md).
SPC_LINES = ("Mean", "Upper process limit", "Lower process limit")
SPC_POINTS = {"improvement": "Improvement", "concern": "Concern", "neither": "Neither"}
FIRST_MONTH_COL = 2


@dataclass(frozen=True)
class KpiValuesLayout:
    """Where charts find each measure's cells on `KPI Values`."""

    sheet: SheetPlan
    months: tuple[pd.Timestamp, ...]
    value_rows: dict[str, int]  # measure id -> sheet row in KPIValues
    target_rows: dict[str, int]  # measure id -> sheet row in KPITargets (measures with targets)
    axis_row: int
    spc_rows: dict[tuple[str, str], int] = field(default_factory=dict)  # (id, line) -> row

    def _row_range(self, row: int) -> CellRange:
        last = FIRST_MONTH_COL + len(self.months) - 1
        return CellRange(KPI_VALUES, row, FIRST_MONTH_COL, row, last)

    def values_ref(self, measure_id: str) -> CellRange:
        return self._row_range(self.value_rows[measure_id])

    def target_ref(self, measure_id: str) -> CellRange | None:
        row = self.target_rows.get(measure_id)
        return None if row is None else self._row_range(row)

    def spc_ref(self, measure_id: str, line: str) -> CellRange | None:
        """An SPC chart's mean, limit or special-cause row (None: nothing to draw)."""
        row = self.spc_rows.get((measure_id, line))
        return None if row is None else self._row_range(row)

    @property
    def axis_ref(self) -> CellRange:
        return self._row_range(self.axis_row)


def _table(name: str, row: int, frame: pd.DataFrame, results: Results) -> TablePlan:
    """Measure ID, Measure, then one column per month; formats follow each row's unit.

    The month headers are real month-end dates (shown `mmm-yy`), so a user's own formulas can
    look months up by date; the table's column names (`Oct-22`) still serve `KPIValues[Oct-22]`.
    """
    titles = results.inputs.measures["title"]
    fmt = measure_formats(results)
    values = tuple(
        (mid, titles[mid], *(cell_value(v) for v in frame.loc[mid])) for mid in frame.index
    )
    formats = tuple((None, None, *[fmt[mid]] * len(frame.columns)) for mid in frame.index)
    headers = ("Measure ID", "Measure", *(month_header(m) for m in frame.columns))
    body = CellBlock(row + 1, 0, values, formats)
    return TablePlan(
        name,
        KPI_VALUES,
        row,
        0,
        headers,
        body,
        header_values=("Measure ID", "Measure", *(cell_value(m) for m in frame.columns)),
        header_formats=(None, None, *[MONTH_FORMAT] * len(frame.columns)),
    )


def _fit(texts, least: float, most: float) -> float:
    """A column width (in characters) that shows the longest text whole, within reason: no
    reader autofits columns, and a cut-off title ("...protection plan at mont") misleads."""
    longest = max((len(str(t)) for t in texts), default=0)
    return min(max(least, longest + 2), most)


def target_frame(results: Results, months: pd.DatetimeIndex) -> pd.DataFrame:
    """The dashed line per measure and month (the target in force; a running total's path to
    it), for measures that have any target."""
    wide = results.wide("target_line").reindex(columns=months)
    return wide[wide.notna().any(axis=1)]


def build_kpi_values(results: Results) -> KpiValuesLayout:
    values = results.wide()
    months = values.columns
    head = TextBlock(
        0,
        0,
        (
            TextLine(report_title(results, "KPI values"), TITLE),
            TextLine(
                "Every measure for every month, as computed on refresh (values only). "
                "Blank: no figure for that month; see the warnings on the Scorecard.",
                NOTE,
            ),
        ),
        "title",
    )
    values_table = _table(VALUES_TABLE, 3, values, results)
    targets = target_frame(results, months)
    texts = [head]
    tables = [values_table]
    row = values_table.last_row + 2
    texts.append(
        TextBlock(
            row,
            0,
            (
                TextLine(
                    "Targets in force, as the charts' dashed lines draw them (a running total's "
                    "target as a path from zero at the start of the year)",
                    HEADING,
                ),
                *(() if len(targets) else (TextLine("No targets are set.", NOTE),)),
            ),
            "targets_heading",
        )
    )
    target_rows: dict[str, int] = {}
    if len(targets):
        targets_table = _table(TARGETS_TABLE, row + 1, targets, results)
        tables.append(targets_table)
        target_rows = {mid: targets_table.body_row(i) for i, mid in enumerate(targets.index)}
        row = targets_table.last_row + 2
    else:
        row += 3
    spc_rows: dict[tuple[str, str], int] = {}
    lines = spc_frame(results, months)
    if len(lines):
        texts.append(
            TextBlock(
                row,
                0,
                (
                    TextLine(
                        "SPC lines (Making Data Count): the mean, process limits and special-"
                        "cause points the SPC charts draw",
                        HEADING,
                    ),
                ),
                "spc_heading",
            )
        )
        spc_table = _lines_table(row + 1, lines, results)
        tables.append(spc_table)
        spc_rows = {key: spc_table.body_row(i) for i, key in enumerate(lines.index)}
        row = spc_table.last_row + 2
    axis = CellBlock(
        row,
        0,
        (("Month end", "Chart axis", *(cell_value(m) for m in months)),),
        ((None, None, *[MONTH_FORMAT] * len(months)),),
        LABEL,
    )
    sheet = SheetPlan(
        name=KPI_VALUES,
        kind="worksheet",
        role="kpi_values",
        blocks=(axis,),
        texts=tuple(texts),
        tables=tuple(tables),
        column_widths=(
            ColumnWidth(0, 0, _fit(results.scorecard["measure_id"], 14, 40)),
            ColumnWidth(1, 1, _fit(results.scorecard["measure"], 48, 90)),
            ColumnWidth(FIRST_MONTH_COL, FIRST_MONTH_COL + max(len(months), 1) - 1, 9),
        ),
        freeze=(values_table.row + 1, FIRST_MONTH_COL),
    )
    value_rows = {mid: values_table.body_row(i) for i, mid in enumerate(values.index)}
    return KpiValuesLayout(sheet, tuple(months), value_rows, target_rows, row, spc_rows)


def spc_frame(results: Results, months: pd.DatetimeIndex) -> pd.DataFrame:
    """(measure id, line) x months: what each SPC chart draws besides values and target.

    Lines are the latest partition's mean and limits as the engine worked them out; a special-
    cause row holds the value only in the months flagged that way (a marker, no line).
    """
    rows: dict[tuple[str, str], np.ndarray] = {}
    charted = results.scorecard.loc[results.scorecard["chart"] == "spc", "measure_id"]
    where = {np.datetime64(m, "ns"): j for j, m in enumerate(months)}
    for mid in charted:
        reading = results.spc.get(mid)
        if reading is None:
            continue
        hist_months, values = results.history(mid)
        cols = [where[m] for m in hist_months if m in where]
        keep = [i for i, m in enumerate(hist_months) if m in where]

        def spread(x, cols=cols, keep=keep) -> np.ndarray:
            out = np.full(len(months), np.nan)
            out[cols] = np.asarray(x, dtype=float)[keep]
            return out

        for name, line in zip(
            SPC_LINES, (reading.mean_line, reading.upper_line, reading.lower_line), strict=True
        ):
            if np.isfinite(line).any():
                rows[(mid, name)] = spread(line)
        kinds = np.array([k or "" for k in reading.points], dtype=object)
        for kind, name in SPC_POINTS.items():
            flagged = np.where(kinds == kind, values, np.nan)
            if np.isfinite(flagged).any():
                rows[(mid, name)] = spread(flagged)
    index = pd.MultiIndex.from_tuples(list(rows), names=["measure_id", "line"])
    return pd.DataFrame(list(rows.values()), index=index, columns=months)


def _lines_table(row: int, frame: pd.DataFrame, results: Results) -> TablePlan:
    fmt = measure_formats(results)
    values = tuple(
        (mid, line, *(cell_value(v) for v in frame.loc[(mid, line)])) for mid, line in frame.index
    )
    formats = tuple((None, None, *[fmt[mid]] * len(frame.columns)) for mid, _ in frame.index)
    headers = ("Measure ID", "Line", *(month_header(m) for m in frame.columns))
    return TablePlan(
        SPC_TABLE,
        KPI_VALUES,
        row,
        0,
        headers,
        CellBlock(row + 1, 0, values, formats),
        header_values=("Measure ID", "Line", *(cell_value(m) for m in frame.columns)),
        header_formats=(None, None, *[MONTH_FORMAT] * len(frame.columns)),
    )
