"""`Charts - <section>` sheets: a grid of native charts, one per charted measure.

Each chart draws the measure's row of `KPI Values` against the month-end date row, with the
target in force as a dashed line. Percentages get a fixed 0-100% axis so charts compare at a
glance; alt text says what the chart shows for screen-reader users.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..engine.formatting import fmt_value
from ..engine.models import Results
from ..engine.periods import uk_date, uk_month
from .colours import TARGET_LINE, VALUE_LINE
from .kpi_values import KpiValuesLayout
from .names import chart_sheet_names
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
from .values import AXIS_FORMATS, MONTH_FORMAT

# The scorecard fields a chart and its alt text use.
CHART_FIELDS = (
    "measure_id",
    "measure",
    "section",
    "unit",
    "decimals",
    "chart",
    "frequency",
    "month",
    "value",
    "target",
    "target_date",
    "rag",
)
CHARTS_PER_ROW = 2
CHART_WIDTH, CHART_HEIGHT = 600, 330  # pixels
FIRST_CHART_ROW, FIRST_CHART_COL = 3, 1
ROW_STRIDE, COL_STRIDE = 18, 10  # default rows are 20 px, columns 64 px: room for a gap
GRID_ROWS_PER_PAGE = 2  # landscape, fitted to the page width


def page_breaks(n_charts: int) -> tuple[int, ...]:
    """Rows where a printed page starts (the blank row above a chart), so no chart is cut."""
    grid_rows = -(-n_charts // CHARTS_PER_ROW)
    return tuple(
        FIRST_CHART_ROW + r * ROW_STRIDE - 1
        for r in range(GRID_ROWS_PER_PAGE, grid_rows, GRID_ROWS_PER_PAGE)
    )


def placement(index: int) -> Placement:
    """Left to right, then down."""
    grid_row, grid_col = divmod(index, CHARTS_PER_ROW)
    return Placement(
        FIRST_CHART_ROW + grid_row * ROW_STRIDE,
        FIRST_CHART_COL + grid_col * COL_STRIDE,
        CHART_WIDTH,
        CHART_HEIGHT,
        grid_row,
        grid_col,
    )


def describe(row: Mapping[str, Any], layout: KpiValuesLayout, kind: str, has_target: bool) -> str:
    """Alt text: what is plotted, over which months, the latest value and the target."""
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
        text += (
            f" Dashed line: the target in force, now {fmt_value(row['target'], unit, places)} due "
            f"{uk_date(row['target_date'])}."
        )
    if row["rag"] in ("Red", "Amber", "Green"):
        text += f" Rated {row['rag']}."
    return text


def chart_for(row: Mapping[str, Any], index: int, layout: KpiValuesLayout) -> ChartPlan:
    """One scorecard record's chart (a dict per row: pandas' row Series are slow to make)."""
    mid, unit = row["measure_id"], row["unit"]
    kind = "column" if row["chart"] == "column" else "line"
    axis = layout.axis_ref
    series = [
        SeriesPlan("Actual", axis, layout.values_ref(mid), kind, VALUE_LINE, marker=kind == "line")
    ]
    target = layout.target_ref(mid)
    if target is not None:
        series.append(
            SeriesPlan("Target", axis, target, "line", TARGET_LINE, dashed=True, role="target")
        )
    percent = unit == "percent"
    return ChartPlan(
        measure_id=mid,
        kind=kind,
        title=row["measure"],
        series=tuple(series),
        x_axis=Axis(num_format=MONTH_FORMAT, date_axis=True),
        y_axis=Axis(
            num_format=AXIS_FORMATS.get(unit, "General"),
            min=0 if percent else None,
            max=1 if percent else None,
        ),
        placement=placement(index),
        description=describe(row, layout, kind, target is not None),
    )


def build_chart_sheets(
    results: Results, layout: KpiValuesLayout, taken: set[str]
) -> list[SheetPlan]:
    """One sheet per section, in scorecard order, even when a section has no charts."""
    records = results.scorecard[list(CHART_FIELDS)].to_dict("records")
    sections = list(dict.fromkeys(r["section"] for r in records))
    names = chart_sheet_names(sections, taken)
    sheets = []
    for section in sections:
        rows = [r for r in records if r["section"] == section and r["chart"] != "none"]
        charts = tuple(chart_for(row, i, layout) for i, row in enumerate(rows))
        note = (
            "Monthly values from the KPI Values sheet; dashed line: the target in force."
            if charts
            else "No measure in this section is charted (chart is 'none' on Measures)."
        )
        head = TextBlock(
            0,
            0,
            (TextLine(report_title(results, section), TITLE), TextLine(note, NOTE)),
            "title",
        )
        sheets.append(
            SheetPlan(
                name=names[section],
                kind="chart_grid",
                role="charts",
                section=section,
                texts=(head,),
                charts=charts,
                show_gridlines=False,
                page=PageSetup(row_breaks=page_breaks(len(charts))),
            )
        )
    return sheets
