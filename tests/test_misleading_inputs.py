"""Inputs that look fine but would give a report that is not true: each is refused by
`validate` (and so by refresh) with exit 2 and its cell, or, where a figure is only unused,
reported as a warning naming the cell. (The simpler one-cell cases are in test_bad_input.py.)

Demo cells used here: Measures row 18 is cp_visits (C section); Data row 7 is cp_open, row 19
cp_visited_in_time, row 38 voice_see_sw_yes; columns B to N are Oct 2021 to Oct 2022.
"""

from __future__ import annotations

import json
import zipfile

import openpyxl
import pandas as pd
import pytest
from openpyxl.workbook.defined_name import DefinedName
from support.tables import table_by_first_column

from xl_addin.cli import main
from xl_addin.contract import dates
from xl_addin.demo import demo_sheets
from xl_addin.export import export_book
from xl_addin.io.write_inputs import write_input_workbook


def demo_file(path, edit=None):
    sheets = demo_sheets()
    if edit:
        edit(sheets)
    write_input_workbook(sheets, path)
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(map(str, args)))
    out, err = capsys.readouterr()
    return code, out, err


def problems(err: str) -> list[str]:
    return [line[4:] for line in err.splitlines() if line.startswith("  - ")]


# -- formulas without a saved value --------------------------------------------------------------


def _with_formulas(path, cells: dict[str, str]):
    """The demo with formulas put in by a script (openpyxl saves no calculated values)."""
    demo_file(path)
    wb = openpyxl.load_workbook(path)
    for ref, formula in cells.items():
        wb["Data"][ref] = formula
    wb.save(path)
    return path


def test_a_month_of_formulas_without_values_is_refused_not_dropped(tmp_path, capsys):
    # the whole October 2022 column, header included, as a script writes it
    cells = {"N1": "=DATE(2022,10,31)"}
    cells |= {f"N{r}": f"=M{r}" for r in range(2, 50)}
    book = _with_formulas(tmp_path / "book.xlsx", cells)
    for command in ("validate", "kpis"):
        code, out, err = run(capsys, command, book)
        assert code == 2 and out == ""
        lines = problems(err)
        assert lines[0].startswith("Data!N1: month header holds a formula with no saved value")
        assert "open the workbook in Excel and save it" in lines[0]
        assert any(
            line.startswith("Data!N2: holds a formula with no saved value") for line in lines
        )
        # the rest of the column is counted, not listed cell by cell
        assert len(lines) <= 5
        assert lines[-1].startswith("Data: 46 more cells hold formulas with no saved value")


def test_one_figure_as_a_formula_without_value_is_named(tmp_path, capsys):
    book = _with_formulas(tmp_path / "book.xlsx", {"N7": "=300+31"})
    code, _, err = run(capsys, "validate", book)
    assert code == 2
    assert problems(err) == [
        "Data!N7: holds a formula with no saved value (the file was written by a program that "
        "does not calculate, so every reader sees a blank); open the workbook in Excel and save "
        "it, or type the figure"
    ]


# -- sections --------------------------------------------------------------------------------------


def test_cells_under_a_merged_section_are_named_with_the_merge(tmp_path, capsys):
    book = demo_file(tmp_path / "book.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["Measures"].merge_cells("C18:C20")  # the analyst merges the section down three rows
    wb.save(book)
    code, _, err = run(capsys, "validate", book)
    assert code == 2
    lines = problems(err)
    assert len(lines) == 2
    for cell in ("C19", "C20"):
        line = next(x for x in lines if x.startswith(f"Measures!{cell}: "))
        assert "section is blank" in line and "inside the merged cells C18:C20" in line
    code, _, _ = run(capsys, "refresh", book, "--quiet")
    assert code == 2


# -- months ----------------------------------------------------------------------------------------


@pytest.fixture
def today_is_15_november_2022(monkeypatch):
    monkeypatch.setattr(dates, "today", lambda: pd.Timestamp("2022-11-15"))


def test_a_future_month_with_figures_is_refused(tmp_path, capsys, today_is_15_november_2022):
    def edit(sheets):
        sheets["Data"].rows[0][13] = "Mar-33"  # 2033 typed for 2023... for Oct 2022's figures

    code, _, err = run(capsys, "validate", demo_file(tmp_path / "book.xlsx", edit))
    assert code == 2
    assert problems(err) == [
        "Data!N1: March 2033 is in the future (today is 15 November 2022) but the column has "
        "figures; expected the month they are for (a slip such as 2033 for 2023?)"
    ]


def test_empty_columns_set_up_for_the_rest_of_the_year_are_fine(
    tmp_path, capsys, today_is_15_november_2022
):
    def edit(sheets):
        for month in ("Nov-22", "Dec-22", "Jan-23", "Feb-23", "Mar-23"):
            sheets["Data"].rows[0].append(month)

    code, out, _ = run(capsys, "validate", demo_file(tmp_path / "book.xlsx", edit))
    assert code == 0 and "reporting month October 2022" in out


# -- quarterly figures outside quarter ends -------------------------------------------------------


def test_a_quarterly_figure_in_a_month_that_is_not_a_quarter_end_is_a_warning(tmp_path, capsys):
    def edit(sheets):
        sheets["Data"].rows[37][13] = 50  # voice_see_sw_yes, October 2022

    code, _, err = run(capsys, "validate", demo_file(tmp_path / "book.xlsx", edit))
    assert code == 0
    assert (
        "warning: Data!N38: voice_see_sw is quarterly, so the figure for October 2022 (not a "
        "quarter end) is not used" in err
    )


# -- names refresh would need ------------------------------------------------------------------


def test_validate_lists_every_sheet_table_and_name_refresh_would_overwrite(tmp_path, capsys):
    book = demo_file(tmp_path / "book.xlsx")
    wb = openpyxl.load_workbook(book)
    wb.create_sheet("scorecard")
    wb.create_sheet("Charts - Demand management")
    wb.defined_names["KPIValues"] = DefinedName("KPIValues", attr_text="Data!$A$1")
    wb.save(book)
    code, out, err = run(capsys, "validate", book)
    assert code == 2 and out == ""
    lines = problems(err)
    assert len(lines) == 3
    assert "a sheet named 'scorecard' that xl_addin did not create" in lines[0]
    assert "a sheet named 'Charts - Demand management'" in lines[1]
    assert "a defined name named 'KPIValues'" in lines[2]


def test_validate_is_happy_with_the_sheets_of_an_earlier_refresh(tmp_path, capsys):
    book = demo_file(tmp_path / "book.xlsx")
    assert run(capsys, "refresh", book, "--quiet", "--no-backup")[0] == 0
    code, out, _ = run(capsys, "validate", book)
    assert code == 0 and "is ready" in out


# -- percent_value: a figure that is already a percentage ------------------------------------------


REPORT_FIGURES = [0.80, 0.79, 0.81, 0.8, 0.82, 0.8, 0.81, 0.83, 0.82, 0.84, 0.83, 0.85, 0.8]


def _with_system_percentage(denominator: str | None, oct_base: int | None = None):
    def edit(sheets):
        sheets["Data"].rows.append(["cp_visits_report", *REPORT_FIGURES])
        sheets["Measures"].rows.append(
            [
                "cp_visits_report",
                "% CP visits in timescale (system report)",
                "Service delivery and compliance",
                "percent_value",
                "cp_visits_report",
                denominator,
                "higher",
                "line",
                "monthly",
            ]
        )
        sheets["Targets"].rows.append(["cp_visits_report", "2022-12-31", 0.9])
        if oct_base is not None:
            sheets["Data"].rows[6][13] = oct_base  # cp_open, October 2022
            sheets["Data"].rows[18][13] = oct_base  # cp_visited_in_time

    return edit


def test_percent_value_is_rated_as_a_percentage(tmp_path, capsys):
    book = demo_file(tmp_path / "book.xlsx", _with_system_percentage(None))
    code, out, _ = run(capsys, "kpis", book, "--format", "json")
    assert code == 0
    row = next(r for r in json.loads(out) if r["measure_id"] == "cp_visits_report")
    assert row["value"] == 0.8 and row["target"] == 0.9
    assert row["rag"] in ("Red", "Amber", "Green")
    code, out, _ = run(capsys, "explain", book, "cp_visits_report")
    assert "already a percentage" in out and "80.0%" in out


def test_percent_value_is_charted_and_shown_to_one_decimal(tmp_path, capsys):
    book = demo_file(tmp_path / "book.xlsx", _with_system_percentage(None))
    assert run(capsys, "refresh", book, "--quiet", "--no-backup")[0] == 0
    wb = openpyxl.load_workbook(book)
    card = table_by_first_column(wb["Scorecard"], "Scorecard")
    assert card["cp_visits_report"]["Value"] == 0.8
    values = table_by_first_column(wb["KPI Values"], "KPIValues")["cp_visits_report"]
    assert values["Oct-22"] == 0.8
    with zipfile.ZipFile(book) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    mine = [c for c in charts if "(system report)" in c]
    assert len(mine) == 1


def test_percent_value_with_a_small_base_is_suppressed_in_the_public_pack(tmp_path):
    book = demo_file(tmp_path / "book.xlsx", _with_system_percentage("cp_open", oct_base=3))
    pack = export_book(book, tmp_path / "pub.xlsx", public=True)
    card = table_by_first_column(openpyxl.load_workbook(pack.path)["Scorecard"], "Scorecard")
    assert card["cp_visits_report"]["Value"] == "c"
    internal = export_book(book, tmp_path / "int.xlsx")
    card = table_by_first_column(openpyxl.load_workbook(internal.path)["Scorecard"], "Scorecard")
    assert card["cp_visits_report"]["Value"] == 0.8
