"""The pack's printed layout, checked without rendering: every printed sheet fits A4 landscape
at a readable zoom with every figure and identifier whole in its column, wrapped text is given
the lines it needs, and the printed trend reads the 12 figures right. (test_pack_print.py checks
the same through LibreOffice's PDF.)"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_addin.export import chart_pages, paper
from xl_addin.export.fitting import shown
from xl_addin.export.pack import pack_plan
from xl_addin.export.scorecard import trend_bars
from xl_addin.render.plan import Plan, SheetPlan

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz%()0123456789", min_size=1, max_size=14)


@pytest.fixture(scope="module")
def plan(demo_results) -> Plan:
    return pack_plan(demo_results)


def _widths(sheet: SheetPlan) -> dict[int, float]:
    return {c: w.width for w in sheet.column_widths for c in range(w.first, w.last + 1)}


def _printed(sheet: SheetPlan) -> list[int]:
    area = sheet.page.print_area
    if area is not None:
        return list(range(area[1], area[3] + 1))
    return sorted(_widths(sheet))


def test_a_digit_is_one_unit_and_bold_is_wider() -> None:
    assert paper.text_units("0") == pytest.approx(1.0)
    assert paper.text_units("0000000000") == pytest.approx(10.0)
    assert paper.text_units("Measure", bold=True) > paper.text_units("Measure")
    assert paper.text_units("Measure", size=14) == pytest.approx(
        paper.text_units("Measure") * 14 / 11
    )


@given(st.lists(words, min_size=1, max_size=30), st.floats(min_value=4, max_value=80))
def test_wrapped_lines_fit_and_are_counted(parts: list[str], width: float) -> None:
    text = " ".join(parts)
    lines = paper.wrap(text, width)
    assert " ".join(lines) == text
    for line in lines:
        # a line too wide for the column cannot be broken (one word, with any one-letter
        # words kept beside it): wrapping it narrower still leaves it whole
        assert paper.column_width(line) <= width or paper.wrap(line, 0.1) == [line]
    if all(paper.column_width(line) <= width for line in lines):
        assert paper.lines_needed(text, width) == len(lines)


def test_every_printed_sheet_fits_the_page_at_a_readable_zoom(plan: Plan) -> None:
    for sheet in plan.sheets:
        if sheet.kind != "worksheet":
            continue
        widths = _widths(sheet)
        zoom = paper.zoom_for([widths.get(c, 8.43) for c in _printed(sheet)])
        assert zoom >= paper.MIN_ZOOM, (sheet.name, zoom)


def test_figures_and_identifiers_are_never_cut(plan: Plan) -> None:
    """A number, a date or a word without spaces (a measure or field ID) cannot wrap: its
    column is at least as wide as it prints."""
    for sheet in plan.sheets:
        widths = _widths(sheet)
        for table in sheet.tables:
            body = table.body
            for row, formats in zip(body.values, body.number_formats, strict=True):
                for j, (value, nf) in enumerate(zip(row, formats, strict=True)):
                    text = shown(value, nf)
                    if text and " " not in text:
                        width = widths[body.col + j]
                        assert paper.column_width(text) <= width + 1e-6, (sheet.name, text)


def test_wrapped_rows_are_tall_enough(plan: Plan) -> None:
    for sheet in plan.sheets:
        widths, heights = _widths(sheet), dict(sheet.row_heights)
        for table in sheet.tables:
            body = table.body
            for i, row in enumerate(body.values):
                for j, value in enumerate(row):
                    if isinstance(value, str) and body.style_of(j).wrap:
                        lines = paper.lines_needed(value, widths[body.col + j])
                        need = paper.row_height(lines) if lines > 1 else 0
                        assert heights.get(body.row + i, 15.0) >= need, (sheet.name, value)


def test_the_chart_grid_prints_two_rows_of_charts_a_page_at_its_zoom() -> None:
    zoom = paper.PRINTABLE_WIDTH / chart_pages.grid_points()
    assert zoom >= chart_pages.MIN_ZOOM
    rows = chart_pages.FIRST_ROW + chart_pages.ROWS_PER_PAGE * chart_pages.ROW_STRIDE
    assert rows * 15.0 * zoom <= paper.PRINTABLE_HEIGHT


def test_pack_chart_sheets_use_the_printed_grid(plan: Plan) -> None:
    for sheet in plan.by_role("charts"):
        area = sheet.page.print_area
        for chart in sheet.charts:
            place = chart.placement
            assert place.width == chart_pages.CHART_WIDTH
            assert area is not None and place.col + chart_pages.COL_STRIDE - 1 <= area[3]


def test_the_trend_bars_read_the_figures() -> None:
    assert trend_bars([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]) == "▁▂▃▄▅▆▇█"
    assert trend_bars([5.0, None, math.nan, 1.0]) == "█··▁"
    assert trend_bars([3.0, 3.0]) == "▄▄"  # no movement: level bars, neither high nor low
    assert trend_bars([None, None]) == ""
