"""The pack's `Charts - <section>` sheets: the refresh's chart sheets (`render.charts`: same
charts, dashed targets, alt text), each carrying the figures it plots in a table beside the
charts, since the pack has no `KPI Values` sheet and hidden sheets are not allowed.

The table sits to the right of the chart grid, not below it, so its wide label columns do not
move the charts; printing is limited to the charts (the print area), so a 120-month table does
not shrink them to fit the page width.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..render.charts import (
    CHARTS_PER_ROW,
    COL_STRIDE,
    FIRST_CHART_COL,
    FIRST_CHART_ROW,
    GAP_NOTE,
    ROW_STRIDE,
    SPECIAL_CAUSE,
    build_chart_sheets,
)
from ..render.kpi_values import KpiValuesLayout, spc_frame, target_frame
from ..render.names import KPI_VALUES
from ..render.plan import (
    CellBlock,
    CellRange,
    ChartPlan,
    ColumnWidth,
    SeriesPlan,
    SheetPlan,
    TablePlan,
    TextBlock,
    TextLine,
)
from ..render.styles import HEADING, LABEL, NOTE
from ..render.values import MONTH_FORMAT, cell_value, measure_formats, month_header
from .context import PackContext

DATA_COL = FIRST_CHART_COL + CHARTS_PER_ROW * COL_STRIDE + 1  # one empty column after the grid
DATA_ROW = FIRST_CHART_ROW
LABELS = ("Measure ID", "Measure", "Series")
_LABEL_WIDTHS = (24, 48, 9)
MONTH_WIDTH = 9
HIDDEN_NOTE = " Months that would reveal small numbers are left blank."
SUPPRESSED_REASON = "left blank so that small numbers cannot be worked out"


def cell_rows(frame: pd.DataFrame) -> dict[str, list]:
    """Each row of a numeric frame as plain Python values, blanks as None (what cells hold),
    converted in one pass rather than cell by cell."""
    values = frame.to_numpy(dtype=float)
    cells = np.where(np.isnan(values), None, values.astype(object))
    return dict(zip(frame.index, cells.tolist(), strict=True))


@dataclasses.dataclass(frozen=True)
class _Frames:
    """Every measure's plotted values and targets in force, measures x months."""

    months: pd.DatetimeIndex
    values: pd.DataFrame
    targets: pd.DataFrame
    units: dict[str, str]
    formats: dict[str, str]
    titles: dict[str, str]
    hidden: set[str]  # measures with a month blanked by suppression
    suppressed: dict[str, dict[pd.Timestamp, str]]  # those months, with the reason to show
    value_cells: dict[str, list]
    target_cells: dict[str, list]
    spc_cells: dict[tuple[str, str], list]  # (measure id, line) -> an SPC chart's row


def _frames(ctx: PackContext) -> _Frames:
    values = ctx.plotted.wide()
    months = values.columns
    original = values if ctx.plotted is ctx.results else ctx.results.wide()
    blanked = np.isnan(values.to_numpy(dtype=float)) & ~np.isnan(original.to_numpy(dtype=float))
    card = ctx.results.scorecard
    targets = target_frame(ctx.results, months)
    return _Frames(
        pd.DatetimeIndex(months),
        values,
        targets,
        dict(zip(card["measure_id"], card["unit"], strict=True)),
        measure_formats(ctx.results),
        dict(zip(card["measure_id"], card["measure"], strict=True)),
        set(values.index[blanked.any(axis=1)]),
        {
            mid: {pd.Timestamp(months[j]): SUPPRESSED_REASON for j in np.flatnonzero(row)}
            for mid, row in zip(values.index, blanked, strict=True)
            if row.any()
        },
        cell_rows(values),
        cell_rows(targets),
        cell_rows(spc_frame(ctx.plotted, months)),
    )


def _data_table(
    sheet: SheetPlan, index: int, frames: _Frames
) -> tuple[TablePlan, dict[tuple[str, str], int]]:
    """The table of plotted figures (a row per series of each chart: Actual, Target, and an SPC
    chart's lines and points), and each row's place."""
    rows, formats, where = [], [], {}
    n = len(frames.months)
    for chart in sheet.charts:
        mid = chart.measure_id
        fmt = frames.formats[mid]
        series = [(s.name, _cells_of(s, mid, frames)) for s in chart.series]
        for label, values in series:
            where[(mid, label)] = len(rows)
            rows.append((mid, frames.titles[mid], label, *values))
            formats.append((None, None, None, *[fmt] * n))
    columns = (*LABELS, *(month_header(m) for m in frames.months))
    body = CellBlock(DATA_ROW + 1, DATA_COL, tuple(rows), tuple(formats))
    table = TablePlan(f"ChartData{index}", sheet.name, DATA_ROW, DATA_COL, columns, body)
    return table, {k: table.body_row(i) for k, i in where.items()}


def _cells_of(series: SeriesPlan, mid: str, frames: _Frames) -> list:
    """The plotted figures behind one series of a measure's chart."""
    if series.role == "target":
        return frames.target_cells[mid]
    if series.role == "spc":
        return frames.spc_cells[(mid, series.name.removesuffix(SPECIAL_CAUSE))]
    return frames.value_cells[mid]


def _month_cols(frames: _Frames) -> tuple[int, int]:
    first = DATA_COL + len(LABELS)
    return first, first + len(frames.months) - 1


def _repoint(
    chart: ChartPlan, sheet: str, rows: dict[tuple[str, str], int], axis_row: int, frames: _Frames
) -> ChartPlan:
    """The same chart, drawing from this sheet's table instead of `KPI Values`."""
    first, last = _month_cols(frames)
    axis = CellRange(sheet, axis_row, first, axis_row, last)
    series = []
    for s in chart.series:
        row = rows[(chart.measure_id, s.name)]
        series.append(
            dataclasses.replace(s, categories=axis, values=CellRange(sheet, row, first, row, last))
        )
    description = chart.description
    if chart.measure_id in frames.hidden:
        description += HIDDEN_NOTE
    return dataclasses.replace(chart, series=tuple(series), description=description)


def _with_data(
    sheet: SheetPlan, index: int, frames: _Frames
) -> tuple[SheetPlan, tuple[int, int, int, int]]:
    """The sheet with its data table, and the print area that covers just the charts."""
    table, rows = _data_table(sheet, index, frames)
    axis_row = table.last_row + 2
    axis = CellBlock(
        axis_row,
        DATA_COL,
        (("Month end", "Dates for the chart axis", None, *(cell_value(m) for m in frames.months)),),
        ((None, None, None, *[MONTH_FORMAT] * len(frames.months)),),
        LABEL,
    )
    charts = tuple(_repoint(c, sheet.name, rows, axis_row, frames) for c in sheet.charts)
    grid_rows = -(-len(charts) // CHARTS_PER_ROW)
    last_row = FIRST_CHART_ROW + grid_rows * ROW_STRIDE - 1
    title = sheet.text("title")
    note = "Dashed line: the target in force."  # printed: the table beside is not
    gap_notes = tuple(t for t in sheet.texts if t.purpose.startswith(GAP_NOTE))
    texts = (
        dataclasses.replace(title, lines=(title.lines[0], TextLine(note, NOTE))),
        TextBlock(DATA_ROW - 1, DATA_COL, (TextLine("Figures plotted", HEADING),), "data_heading"),
        *gap_notes,
    )
    labels = [ColumnWidth(DATA_COL + i, DATA_COL + i, w) for i, w in enumerate(_LABEL_WIDTHS)]
    widths = (*labels, ColumnWidth(*_month_cols(frames), MONTH_WIDTH))
    return dataclasses.replace(
        sheet,
        texts=texts,
        tables=(table,),
        blocks=(axis,),
        charts=charts,
        column_widths=widths,
    ), (0, 0, last_row, DATA_COL - 2)


def _layout(frames: _Frames) -> KpiValuesLayout:
    """Just enough of a `KPI Values` layout for `render.charts` to plan each chart (which
    measures have a target line, the months for the alt text); `_repoint` then moves every
    series onto the chart sheet's own table, so the rows here are placeholders."""
    stub = SheetPlan(name=KPI_VALUES, kind="worksheet", role="kpi_values")
    rows = {mid: i for i, mid in enumerate(frames.values.index)}
    targets = {mid: i for i, mid in enumerate(frames.targets.index)}
    spc = {key: i for i, key in enumerate(frames.spc_cells)}
    return KpiValuesLayout(stub, tuple(frames.months), rows, targets, 0, spc)


def build_pack_charts(ctx: PackContext, taken: set[str]) -> list[SheetPlan]:
    """One sheet per section, in scorecard order, named as in the refreshed workbook."""
    frames = _frames(ctx)
    sheets = build_chart_sheets(ctx.plotted, _layout(frames), taken, frames.suppressed)
    out = []
    for index, sheet in enumerate(sheets, start=1):
        if not sheet.charts:
            out.append(dataclasses.replace(sheet, page=ctx.page()))
            continue
        with_data, area = _with_data(sheet, index, frames)
        page = ctx.page(row_breaks=sheet.page.row_breaks, print_area=area)
        out.append(dataclasses.replace(with_data, page=page))
    return out
