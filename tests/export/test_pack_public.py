"""`--public`: small numbers become `c`, secondary suppression stops them being worked back
out, and the marking changes. Checked on the demo with 3 children on a CP plan (all visited) and
3 entering care in October 2022, and by an auditor that reads only the published file."""

from __future__ import annotations

import itertools
from pathlib import Path

import openpyxl
import pytest
from pack_books import set_data, write_demo
from pack_helpers import charts
from support.tables import table_by_first_column, table_records

from xl_addin.export import ExportReport, export_book
from xl_addin.export.context import PUBLIC_MARKING

pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension")
C = "c"


def scorecard(path: Path) -> dict[str, dict]:
    return table_by_first_column(openpyxl.load_workbook(path)["Scorecard"], "Scorecard")


def chart_rows(path: Path) -> dict[tuple[str, str], dict]:
    """(measure id, Actual/Target) -> {month header: value} from every chart data table."""
    book = openpyxl.load_workbook(path)
    out = {}
    for ws in book.worksheets:
        for name in ws.tables:
            if not name.startswith("ChartData"):
                continue
            for values in table_records(ws, name):
                months = list(values)[3:]
                out[(values["Measure ID"], values["Series"])] = {h: values[h] for h in months}
    return out


@pytest.fixture(scope="module")
def card(small_public: ExportReport) -> dict[str, dict]:
    return scorecard(small_public.path)


def test_a_count_of_3_is_c(card) -> None:
    assert card["cp_open"]["Value"] == C
    assert card["cp_open"]["Previous"] == 316
    assert card["cp_open"]["Direction"] == C  # "Down" from 316 says little, "No change" a lot


def test_a_percentage_of_3_out_of_3_is_c_with_its_rating_and_direction(card) -> None:
    row = card["cp_visits"]
    assert row["Value"] == C and row["Forecast"] == C and row["RAG"] == C
    assert row["Direction"] == C
    assert isinstance(row["Target"], float)  # targets are policy, never suppressed


def test_secondary_suppression_of_a_year_to_date_total(card, small_public) -> None:
    # Entering care: 64 to September, 67 to October. 67 - 64 = 3, so September's total goes.
    # (A running total is compared with a year earlier, which the demo does not have.)
    row = card["cla_started_ytd"]
    assert row["Value"] == 67
    assert row["Previous"] is None and row["Direction"] is None
    assert small_public.suppressed_secondary >= 1
    data = chart_rows(small_public.path)[("cla_started_ytd", "Actual")]
    assert data["Sep-22"] is None and data["Oct-22"] == 67 and data["Aug-22"] == 49


def test_charts_leave_suppressed_months_blank_and_say_so(small_public) -> None:
    data = chart_rows(small_public.path)
    assert data[("cp_open", "Actual")]["Oct-22"] is None
    assert data[("cp_open", "Actual")]["Sep-22"] == 316
    chart = next(c for c in charts(small_public.path) if c.title.startswith("Number of children s"))
    assert "Latest" not in chart.description
    assert "left blank" in chart.description


def test_the_trend_table_leaves_them_blank_too(small_public) -> None:
    trend = table_by_first_column(openpyxl.load_workbook(small_public.path)["Scorecard"], "Trend")
    assert trend["cp_open"]["Oct-22"] is None
    assert trend["cla_started_ytd"]["Sep-22"] is None


def test_commentary_quoting_a_suppressed_figure_is_withheld(small_public) -> None:
    ws = openpyxl.load_workbook(small_public.path)["Narrative"]
    text = "\n".join(c.value for c in ws["A"] if isinstance(c.value, str))
    assert "child protection plan at month end: not shown in the published version" in text
    assert " to 3 on " not in text and "3 in October 2022" not in text
    assert small_public.withheld_comments >= 1


def test_the_cover_says_suppression_was_applied(small_public) -> None:
    book = openpyxl.load_workbook(small_public.path)
    cover = [c.value for c in book["Cover"]["A"] if isinstance(c.value, str)]
    assert PUBLIC_MARKING in cover
    assert any("Small-number suppression has been applied" in t for t in cover)
    assert any(t.startswith("Counts from 1 to 5 are shown as c") for t in cover)
    for ws in book.worksheets:
        assert ws.oddFooter.center.text == PUBLIC_MARKING, ws.title
        for row in ws.iter_rows(values_only=True):
            assert "OFFICIAL-SENSITIVE" not in [v for v in row if isinstance(v, str)]


def test_summary_counts_withheld_ratings(small_public) -> None:
    ws = openpyxl.load_workbook(small_public.path)["Summary"]
    counts = table_by_first_column(ws, "RatingsBySection")
    assert counts["Service delivery and compliance"]["Rating withheld (c)"] >= 1
    for c in counts.values():
        rated = sum(v for k, v in c.items() if k not in ("Section", "Measures"))
        assert rated == c["Measures"]


def test_the_internal_pack_shows_every_figure(small_book, tmp_path) -> None:
    report = export_book(small_book, tmp_path / "internal.xlsx")
    card = scorecard(report.path)
    assert card["cp_open"]["Value"] == 3
    assert card["cp_open"]["Previous"] == 316
    assert report.suppressed_primary == report.suppressed_secondary == 0


def test_suppress_below_and_classification_come_from_settings(tmp_path) -> None:
    def edit(sheets):
        for row in sheets["Settings"].rows:
            row[1:] = {"suppress_below": [4], "classification": ["OFFICIAL"]}.get(row[0], row[1:])
        set_data(sheets, "cp_open", "2022-10-31", 5)
        set_data(sheets, "cp_visited_in_time", "2022-10-31", 5)
        set_data(sheets, "cla_open", "2022-10-31", 3)
        set_data(sheets, "cla_visited_in_time", "2022-10-31", 3)

    book = write_demo(tmp_path / "book.xlsx", edit)
    public = scorecard(export_book(book, tmp_path / "pub.xlsx", public=True).path)
    assert public["cp_open"]["Value"] == 5  # 5 is not below 4
    assert public["cla_open"]["Value"] == C
    internal = export_book(book, tmp_path / "int.xlsx")
    ws = openpyxl.load_workbook(internal.path)["Scorecard"]
    assert ws.oddFooter.center.text == "OFFICIAL"


def test_an_auditor_reading_only_the_published_file_finds_no_small_count(small_public) -> None:
    """Counts and year-to-date totals as published, and their month-to-month differences,
    never show 1 to 5; a shown percentage times a shown count of its denominator never gives a
    numerator of 1 to 5."""
    book = openpyxl.load_workbook(small_public.path)
    defs = table_by_first_column(book["Definitions"], "Definitions")
    data = chart_rows(small_public.path)

    def small(x) -> bool:
        return isinstance(x, int | float) and 0 < round(x, 9) < 6

    counts_by_field = {}
    for mid, d in defs.items():
        series = data.get((mid, "Actual"))
        if series is None:
            continue
        months = list(series)
        if d["Calculation"] == "value":
            counts_by_field[d["Numerator"]] = series
            assert not any(small(v) for v in series.values()), mid
        if d["Calculation"] == "cumulative_in_year":
            for a, b in itertools.pairwise(months):
                if b.startswith("Apr"):
                    continue  # a new financial year starts again from zero
                va, vb = series[a], series[b]
                if isinstance(va, int | float) and isinstance(vb, int | float):
                    assert not small(vb - va), (mid, a, b)
    for mid, d in defs.items():
        series = data.get((mid, "Actual"))
        if series is None or d["Calculation"] != "percent":
            continue
        dens = counts_by_field.get(d["Denominator"], {})
        for month, p in series.items():
            den = dens.get(month)
            if isinstance(p, float) and isinstance(den, int | float):
                assert not small(round(p * den, 6)), (mid, month)
