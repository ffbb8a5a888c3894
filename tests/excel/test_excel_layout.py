"""The plan folded into rectangles (no xlwings): values, number formats, styles, chart data."""

from __future__ import annotations

import datetime as dt

import pytest

from xl_addin.excel import layout
from xl_addin.excel.backend import column_width_units
from xl_addin.render.plan import CellBlock


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("Red", False),
        ("▲ Improving", False),
        ("Oct-21", True),  # would become a date
        ("=SUM(A1)", True),  # would become a formula
        ("-5 points", True),
        ("007", True),
        ("TRUE", True),
        ("'quoted", True),
        ("Children looked after", False),
    ],
)
def test_text_that_excel_would_reinterpret_is_guarded(text, guarded):
    assert (layout.guard_text(text) == "'" + text) is guarded
    assert layout.guard_text(text).removeprefix("'") == text


def test_dates_stay_dates():
    assert layout.cell_out(dt.date(2022, 10, 31)) == dt.datetime(2022, 10, 31)
    assert layout.cell_out(0.82) == 0.82 and layout.cell_out(None) is None


def _applied(rects, shape):
    grid = [[layout.GENERAL] * shape[1] for _ in range(shape[0])]
    for rect, fmt in rects:
        for r in range(rect.first_row, rect.last_row + 1):
            for c in range(rect.first_col, rect.last_col + 1):
                grid[r][c] = fmt
    return grid


def test_format_rectangles_give_every_number_its_format(demo_plan):
    for sheet in demo_plan.sheets:
        cells = layout.sheet_cells(sheet)
        rects = layout.sheet_format_rects(sheet)
        shape = (max(r for r, _ in cells) + 1, max(c for _, c in cells) + 1)
        grid = _applied(rects, shape)
        for (r, c), cell in cells.items():
            if isinstance(cell.value, (int, float, dt.datetime)) and not isinstance(
                cell.value, bool
            ):
                assert grid[r][c] == (cell.number_format or layout.GENERAL), (sheet.name, r, c)


def test_format_rectangles_are_few():
    # 200 rows whose unit alternates in runs of 10: ~one rectangle per run, not per cell
    values = tuple((1.0,) * 12 for _ in range(200))
    formats = tuple(((("0%",) if (i // 10) % 2 else ("#,##0",)) * 12) for i in range(200))
    block = CellBlock(3, 2, values, formats)
    bounds = layout.Rect(3, 2, 202, 13)
    rects = layout.format_rects(dict(layout._block_cells(block)), bounds)
    assert len(rects) == 11
    grid = _applied(rects, (203, 14))
    assert all(grid[3 + i][2 + j] == formats[i][j] for i in range(200) for j in range(12))


def test_style_rectangles_merge_alike_lines(demo_plan):
    narrative = demo_plan.sheet("Narrative")
    rects = layout.style_rects(narrative)
    lines = sum(len(t.lines) for t in narrative.texts)
    assert len(rects) < lines


def test_chart_data_copies_kpi_values(demo_plan):
    cells = layout.plan_cells(demo_plan)
    sheet = demo_plan.by_role("charts")[0]
    data = layout.chart_data(sheet, cells)
    assert set(data.sources) == {c.measure_id for c in sheet.charts}
    for chart in sheet.charts:
        src = data.sources[chart.measure_id].source
        assert src.n_rows == len(chart.series)
        for k, series in enumerate(chart.series):
            want = [c.value for c in layout.resolve(series.values, cells)]
            got = [
                data.cells.get((src.first_row + k, c), layout.Cell(None, None, None)).value
                for c in range(src.first_col + 1, src.last_col + 1)
            ]
            assert got == want
        assert data.sources[chart.measure_id].source.first_col > data.grid_last_col


def test_column_widths_per_engine():
    assert column_width_units(10, "excel") == 10
    assert column_width_units(10, "remote") == 56.25  # (7 x 10 + 5) px x 0.75 pt
