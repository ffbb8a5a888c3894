"""`Charts - <section>` sheets: a grid of native charts, one per charted measure.

Each chart draws the measure's row of `KPI Values` against the month-end date row, with the
target in force as a dashed line (a running total's target as a path from zero at the start of
the year). Value axes follow `axes.py`; alt text says what the chart shows for screen-reader
users, and a note under a chart says why any month inside it has no figure.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..engine.formatting import fmt_value
from ..engine.in_year import RUNNING_TOTAL
from ..engine.models import Results
from ..engine.periods import month_end, short_month, uk_date, uk_month
from ..process_control.icons import COLOURS as SPC_COLOURS
from .axes import value_axis
from .colours import LIMIT_LINE, MEAN_LINE, TARGET_LINE, VALUE_LINE
from .kpi_values import SPC_POINTS, KpiValuesLayout
from .names import chart_sheet_names, section_sheet_names
from .plan import (
    Axis,
    ChartPlan,
    PageSetup,
    Placement,
    SeriesPlan,
    SheetPlan,
    TextBlock,
    TextLine,
)
from .scorecard import report_title
from .styles import NOTE, TITLE
from .values import MONTH_FORMAT

# The scorecard fields a chart and its alt text use.
CHART_FIELDS = (
    "measure_id",
    "measure",
    "section",
    "unit",
    "decimals",
    "calculation",
    "chart",
    "frequency",
    "month",
    "value",
    "target",
    "target_date",
    "rag",
    "variation_words",
    "assurance_words",
)
CHARTS_PER_ROW = 2
CHART_WIDTH, CHART_HEIGHT = 600, 330  # pixels
FIRST_CHART_ROW, FIRST_CHART_COL = 3, 1
# Default rows are 20 px and columns 64 px. A chart covers 17 rows; the next two hold its note
# (why months have no figure), wrapped to the chart's width, and the last is blank, where a
# printed page may start.
CHART_ROWS = -(-CHART_HEIGHT // 20)
NOTE_ROWS, NOTE_CHARS = 2, 95
ROW_STRIDE, COL_STRIDE = CHART_ROWS + NOTE_ROWS + 1, 10
GAP_NOTE = "gaps_"  # key prefix of the notes under charts
GRID_ROWS_PER_PAGE = 2  # landscape, fitted to the page width


def page_breaks(n_charts: int) -> tuple[int, ...]:
    """Rows where a printed page starts (the blank row above a chart), so no chart is cut."""
    grid_rows = -(-n_charts // CHARTS_PER_ROW)
    return tuple(
        FIRST_CHART_ROW + r * ROW_STRIDE - 1
        for r in range(GRID_ROWS_PER_PAGE, grid_rows, GRID_ROWS_PER_PAGE)
    )


@dataclass(frozen=True)
class ChartGrid:
    """Where the charts of a sheet go: `per_row` across, each `width` x `height` pixels, the
    first at (first_row, first_col), the next `col_stride` columns right or `row_stride` down."""

    per_row: int
    first_row: int
    first_col: int
    row_stride: int
    col_stride: int
    width: int
    height: int

    def placement(self, index: int) -> Placement:
        """Left to right, then down."""
        grid_row, grid_col = divmod(index, self.per_row)
        return Placement(
            self.first_row + grid_row * self.row_stride,
            self.first_col + grid_col * self.col_stride,
            self.width,
            self.height,
            grid_row,
            grid_col,
        )


GRID = ChartGrid(
    CHARTS_PER_ROW,
    FIRST_CHART_ROW,
    FIRST_CHART_COL,
    ROW_STRIDE,
    COL_STRIDE,
    CHART_WIDTH,
    CHART_HEIGHT,
)


def placement(index: int) -> Placement:
    """A refreshed workbook's chart grid: left to right, then down."""
    return GRID.placement(index)


def describe(
    row: Mapping[str, Any], layout: KpiValuesLayout, kind: str, has_target: bool, gaps: str
) -> str:
    """Alt text: what is plotted, over which months, the latest value, the target and gaps."""
    unit, places = row["unit"], row["decimals"]
    first, last = layout.months[0], layout.months[-1]
    often = "quarterly" if row["frequency"] == "quarterly" else "monthly"
    text = (
        f"{kind.capitalize()} chart of {row['measure']}, {often} from {uk_month(first)} to "
        f"{uk_month(last)}."
    )
    if pd.notna(row["value"]):
        text += f" Latest: {fmt_value(row['value'], unit, places)} in {uk_month(row['month'])}."
    if has_target and pd.notna(row["target"]):
        line = (
            "a straight line from zero at the start of the year to the target"
            if row["calculation"] == RUNNING_TOTAL
            else "the target in force"
        )
        text += (
            f" Dashed line: {line}, now {fmt_value(row['target'], unit, places)} due "
            f"{uk_date(row['target_date'])}."
        )
    if row["rag"] in ("Red", "Amber", "Green"):
        text += f" Rated {row['rag']}."
    return text + (f" {gaps}" if gaps else "")


def chart_for(
    row: Mapping[str, Any],
    index: int,
    layout: KpiValuesLayout,
    figures: Sequence[float] = (),
    gaps: str = "",
) -> ChartPlan:
    """One scorecard record's chart (a dict per row: pandas' row Series are slow to make).

    `figures` are the values and target line it plots (for the value axis); `gaps` says why
    months inside the chart have no figure.
    """
    mid, unit = row["measure_id"], row["unit"]
    kind = "column" if row["chart"] == "column" else "line"
    axis = layout.axis_ref
    series = [
        SeriesPlan("Actual", axis, layout.values_ref(mid), kind, VALUE_LINE, marker=kind == "line")
    ]
    if row["chart"] == "spc":
        series += _spc_series(mid, layout)
    target = layout.target_ref(mid)
    if target is not None:
        name = "Target path" if row["calculation"] == RUNNING_TOTAL else "Target"
        series.append(
            SeriesPlan(name, axis, target, "line", TARGET_LINE, dashed=True, role="target")
        )
    if row["chart"] == "spc":
        gaps = " ".join(x for x in (_spc_words(row), gaps) if x)
    return ChartPlan(
        measure_id=mid,
        kind=kind,
        title=row["measure"],
        series=tuple(series),
        x_axis=Axis(num_format=MONTH_FORMAT, date_axis=True),
        y_axis=value_axis(kind, unit, figures),
        placement=placement(index),
        description=describe(row, layout, kind, target is not None, gaps),
        # quarterly measures have no figure between quarter ends: join their points; a monthly
        # measure's missing month stays a gap
        span_gaps=row["frequency"] == "quarterly",
    )


def _spc_series(mid: str, layout: KpiValuesLayout) -> list[SeriesPlan]:
    """The mean and process limits as lines, and special-cause points as coloured markers."""
    axis, out = layout.axis_ref, []
    for name, colour, dashed in (
        ("Mean", MEAN_LINE, False),
        ("Upper process limit", LIMIT_LINE, True),
        ("Lower process limit", LIMIT_LINE, True),
    ):
        ref = layout.spc_ref(mid, name)
        if ref is not None:
            out.append(SeriesPlan(name, axis, ref, "line", colour, dashed=dashed, role="spc"))
    for kind, name in SPC_POINTS.items():
        ref = layout.spc_ref(mid, name)
        if ref is not None:
            out.append(
                SeriesPlan(
                    f"{name}{SPECIAL_CAUSE}",
                    axis,
                    ref,
                    "line",
                    SPC_COLOURS[kind],
                    marker=True,
                    role="spc",
                    line=False,
                )
            )
    return out


SPECIAL_CAUSE = " (special cause)"  # the legend name of a row of special-cause points


def _spc_words(row: Mapping[str, Any]) -> str:
    """The SPC chart's reading in words, for its alt text."""
    return (
        f"SPC chart with the mean and process limits. Variation: {row['variation_words']}. "
        f"Assurance: {row['assurance_words']}."
    )


def gap_notes(results: Results, months: Sequence[pd.Timestamp], extra=None) -> dict[str, str]:
    """Why a measure has no figure in months inside its chart, one sentence per measure:
    'No figure for Oct 2021 to Mar 2022: a year-to-date figure needs every month since the year
    began, and Data starts in October 2021.'

    `extra` maps measure id -> {month: reason} for blanks the engine did not make (months a
    public pack leaves blank).
    """
    first, last = months[0], months[-1]
    by_measure: dict[str, dict[pd.Timestamp, str]] = {}
    for w in results.warnings:
        if w.reason and w.measure_id and w.month is not None and first <= w.month <= last:
            by_measure.setdefault(w.measure_id, {})[pd.Timestamp(w.month)] = w.reason
    for mid, reasons in (extra or {}).items():
        by_measure.setdefault(mid, {}).update(reasons)
    return {mid: _sentence(reasons) for mid, reasons in by_measure.items()}


def _sentence(reasons: dict[pd.Timestamp, str]) -> str:
    """Runs of months with the same reason, in order."""
    runs: list[list] = []
    for month in sorted(reasons):
        reason = reasons[month]
        if runs and runs[-1][2] == reason and _next_month(runs[-1][1]) >= month:
            runs[-1][1] = month
        else:
            runs.append([month, month, reason])
    parts = [
        (short_month(a) if a == b else f"{short_month(a)} to {short_month(b)}") + f": {why}"
        for a, b, why in runs
    ]
    return "No figure for " + "; for ".join(parts) + "."


def _note_lines(text: str) -> list[str]:
    """A note in lines no wider than its chart; a rare third line joins the second."""
    lines = textwrap.wrap(text, NOTE_CHARS)
    return [*lines[: NOTE_ROWS - 1], " ".join(lines[NOTE_ROWS - 1 :])] if lines else []


def _next_month(m: pd.Timestamp) -> pd.Timestamp:
    return month_end(m + pd.DateOffset(days=1))


def _chart_figures(results: Results, months: Sequence[pd.Timestamp]) -> dict[str, list[float]]:
    """What each chart's value axis must hold: its values, its target line and, on an SPC
    chart, its process limits (a percentage's limits past 0-100% are clipped by the axis)."""
    values = results.wide().reindex(columns=months)
    lines = results.wide("target_line").reindex(columns=months)
    out = {mid: [*values.loc[mid].tolist(), *lines.loc[mid].tolist()] for mid in values.index}
    charts = dict(zip(results.scorecard["measure_id"], results.scorecard["chart"], strict=True))
    for mid, reading in results.spc.items():
        if charts.get(mid) == "spc":
            out[mid] += [*reading.upper_line.tolist(), *reading.lower_line.tolist()]
    return out


def build_chart_sheets(
    results: Results, layout: KpiValuesLayout, taken: set[str], blank_reasons=None
) -> list[SheetPlan]:
    """One sheet per section, in scorecard order, even when a section has no charts.

    A chart with months that have no figure gets a note under it saying why (on the page and
    in its alt text): an empty stretch alone reads as a fall or a missing report.
    """
    records = results.scorecard[list(CHART_FIELDS)].to_dict("records")
    sections = list(dict.fromkeys(r["section"] for r in records))
    names = chart_sheet_names(sections, taken, section_sheet_names(results))
    figures = _chart_figures(results, layout.months)
    notes = gap_notes(results, layout.months, blank_reasons)
    sheets = []
    for section in sections:
        rows = [r for r in records if r["section"] == section and r["chart"] != "none"]
        charts = tuple(
            chart_for(row, i, layout, figures[row["measure_id"]], notes.get(row["measure_id"], ""))
            for i, row in enumerate(rows)
        )
        note = (
            "Monthly values from the KPI Values sheet; dashed line: the target in force (for "
            "a running total, its path from zero at the start of the year)."
            if charts
            else "No measure in this section is charted (chart is 'none' on Measures)."
        )
        head = TextBlock(
            0,
            0,
            (TextLine(report_title(results, section), TITLE), TextLine(note, NOTE)),
            "title",
        )
        under = tuple(
            TextBlock(
                c.placement.row + CHART_ROWS,
                c.placement.col,
                tuple(TextLine(line, NOTE) for line in _note_lines(notes[c.measure_id])),
                f"{GAP_NOTE}{c.measure_id}",
            )
            for c in charts
            if c.measure_id in notes
        )
        sheets.append(
            SheetPlan(
                name=names[section],
                kind="chart_grid",
                role="charts",
                section=section,
                texts=(head, *under),
                charts=charts,
                show_gridlines=False,
                page=PageSetup(row_breaks=page_breaks(len(charts))),
            )
        )
    return sheets
