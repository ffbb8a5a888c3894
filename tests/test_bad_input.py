"""Malformed input workbooks, each built here from the demo with one thing changed, through the
real CLI: exit code 2, no traceback, and a message naming the sheet and cell and what was expected.

Every case runs `validate` and `kpis` in-process (`xl_addin.cli.main`); a few also run as true
subprocesses of the installed `xl-addin` script. The positive side checks that month headers in
every accepted form read to the same months and the same KPIs as the demo.

Cells in the demo that the cases refer to: Measures row 18 is `cp_visits` (percent; D calculation,
E numerator, F denominator, G polarity, H chart, I frequency); Data row 7 is `cp_open`, columns B
to N are Oct 2021 to Oct 2022 (F = Feb 2022, M = Sep 2022, N = Oct 2022); Settings rows 2-13 are
authority, population_0_17, financial_year_start_month, rag_green, rag_amber, rag_red, rag_gap,
rag_tolerance, rag_basis, forecast_window, suppress_below, classification; Targets rows 30-33 are
`cp_visits` (row 31: due 30/09/2022, 0.82).
"""

from __future__ import annotations

import concurrent.futures
import csv
import datetime as dt
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import xlsxwriter

from xl_addin.cellref import split_cell
from xl_addin.cli import main
from xl_addin.contract import RawSheet
from xl_addin.demo import demo_sheets
from xl_addin.io.read import read_sheets
from xl_addin.io.write_inputs import write_input_workbook

Sheets = dict[str, RawSheet]


# -- building workbooks -----------------------------------------------------------------------


@dataclass(frozen=True)
class XlError:
    """A formula cell whose cached value is an Excel error, as Excel saves it."""

    formula: str
    value: str


def put(sheets: Sheets, ref: str, value) -> None:
    """Set `Sheet!A1` to value, growing the sheet as needed."""
    sheet, cell = ref.split("!")
    r, c = split_cell(cell)
    rows = sheets[sheet].rows
    while len(rows) <= r:
        rows.append([])
    while len(rows[r]) <= c:
        rows[r].append(None)
    rows[r][c] = value


def delete_column(sheets: Sheets, sheet: str, header: str) -> None:
    rows = sheets[sheet].rows
    c = rows[0].index(header)
    for row in rows:
        if len(row) > c:
            del row[c]


def delete_row(sheets: Sheets, sheet: str, first_cell: str) -> None:
    rows = sheets[sheet].rows
    rows[:] = [row for row in rows if not row or row[0] != first_cell]


def append_row(sheets: Sheets, sheet: str, row: list) -> int:
    """Add a row after the last one; returns its row number."""
    sheets[sheet].rows.append(list(row))
    return len(sheets[sheet].rows)


def rename_sheet(sheets: Sheets, old: str, new: str) -> None:
    sheets[new] = RawSheet(new, sheets.pop(old).rows)


def write_book(sheets: Sheets, path: Path) -> None:
    """Write any sheets (any names, error cells, odd types) with XlsxWriter, values as given."""
    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    date_format = wb.add_format({"num_format": "dd/mm/yyyy"})
    for name, sheet in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(sheet.rows):
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                if isinstance(v, XlError):
                    ws.write_formula(r, c, v.formula, None, v.value)
                elif isinstance(v, bool):
                    ws.write_boolean(r, c, v)
                elif isinstance(v, (int, float)):
                    ws.write_number(r, c, v)
                elif isinstance(v, dt.datetime):
                    ws.write_datetime(r, c, v, date_format)
                elif isinstance(v, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(v, dt.time()), date_format)
                else:
                    ws.write_string(r, c, str(v))
    wb.close()


# -- the cases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A one-change workbook and the problems it must produce.

    expect: (where, what) pairs; `where` is `Sheet!Cell` (or a sheet name for a missing sheet), and
    the problem line starting with it must contain `what`. problems: the exact count reported.
    """

    id: str
    change: Callable[[Sheets], None]
    expect: list[tuple[str, str]]
    problems: int = 1
    raw: bool = (
        False  # write with write_book (sheets renamed, error values) instead of the template
    )


def _set(ref: str, value) -> Callable[[Sheets], None]:
    return lambda sheets: put(sheets, ref, value)


def _several(sheets: Sheets) -> None:
    put(sheets, "Data!F7", "n/a")
    put(sheets, "Measures!G18", "up")
    put(sheets, "Targets!C27", 80)
    put(sheets, "Settings!B11", "three")
    put(sheets, "Data!N1", "Month 13")


def _duplicate_measure(sheets: Sheets) -> None:
    append_row(sheets, "Measures", list(sheets["Measures"].rows[17]))


def _duplicate_field(sheets: Sheets) -> None:
    append_row(sheets, "Data", ["contacts", *range(100, 113)])


def _duplicate_target(sheets: Sheets) -> None:
    append_row(sheets, "Targets", ["cp_visits", dt.date(2022, 9, 30), 0.8])


def _no_population_row(sheets: Sheets) -> None:
    delete_row(sheets, "Settings", "population_0_17")


def _reporting_month_after_data(sheets: Sheets) -> None:
    append_row(sheets, "Settings", ["reporting_month", dt.date(2023, 3, 31)])


def _percent_value_typed_as_82(sheets: Sheets) -> None:
    """A system report's percentage copied in: 0.79, 0.81, then 82 typed for 82%."""
    row = append_row(sheets, "Data", ["cp_visits_report", *[0.8] * 12, 82])
    assert row == 50
    append_row(
        sheets,
        "Measures",
        [
            "cp_visits_report",
            "% CP visits (system report)",
            "Service delivery and compliance",
            "percent_value",
            "cp_visits_report",
            None,
            "higher",
            "line",
            "monthly",
        ],
    )


def _measures_moved_right(sheets: Sheets) -> None:
    """The Measures table starts in column B (an inserted blank column A): cells keep their
    real names (this once shifted every cell by one more column)."""
    for row in sheets["Measures"].rows:
        row.insert(0, None)
    put(sheets, "Measures!H18", "up")


CASES = [
    # the four sheets
    Case(
        "missing-settings",
        lambda s: rename_sheet(s, "Settings", "Setting"),
        [("Settings", "sheet is missing"), ("Settings", "case-sensitive")],
        raw=True,
    ),
    Case(
        "missing-measures",
        lambda s: rename_sheet(s, "Measures", "measures"),
        [("Measures", "sheet is missing")],
        raw=True,
    ),
    Case(
        "missing-data",
        lambda s: rename_sheet(s, "Data", "Data "),
        [("Data", "sheet is missing")],
        raw=True,
    ),
    Case(
        "missing-targets",
        lambda s: rename_sheet(s, "Targets", "Target"),
        [("Targets", "sheet is missing")],
        raw=True,
    ),
    # columns
    Case(
        "measures-missing-polarity-column",
        lambda s: delete_column(s, "Measures", "polarity"),
        [("Measures!I1", 'missing column "polarity": row 1 needs the headers id, title')],
    ),
    Case(
        "targets-missing-target-column",
        lambda s: delete_column(s, "Targets", "target"),
        [("Targets!C1", 'missing column "target": row 1 needs the headers measure, date, target')],
    ),
    Case(
        "settings-missing-value-column",
        lambda s: delete_column(s, "Settings", "Value"),
        [("Settings!B1", 'missing column "Value": row 1 needs the headers Setting, Value')],
    ),
    # Measures words and references
    Case(
        "unknown-calculation",
        _set("Measures!D18", "percentage"),
        [
            ("Measures!D18", "calculation must be one of value, percent, "),
            ("Measures!D18", '"percentage"'),
        ],
    ),
    Case(
        "unknown-polarity",
        _set("Measures!G18", "up"),
        [("Measures!G18", 'polarity must be one of higher, lower, contextual; found "up"')],
    ),
    Case(
        "unknown-chart",
        _set("Measures!H18", "pie"),
        [("Measures!H18", 'chart must be one of line, column, spc, none; found "pie"')],
    ),
    Case(
        "unknown-frequency",
        _set("Measures!I18", "weekly"),
        [("Measures!I18", 'frequency must be one of monthly, quarterly; found "weekly"')],
    ),
    Case(
        "duplicate-measure-id",
        _duplicate_measure,
        [("Measures!A34", 'measure id "cp_visits" is used twice (also in row 18)')],
    ),
    Case(
        "numerator-not-in-data",
        _set("Measures!E18", "cp_visited_in_tim"),
        [("Measures!E18", 'numerator field "cp_visited_in_tim" is not a field in Data')],
    ),
    Case(
        "percent-without-denominator",
        _set("Measures!F18", None),
        [("Measures!F18", "denominator field is needed for calculation percent")],
    ),
    Case(
        "denominator-not-in-data",
        _set("Measures!F18", "cp_opn"),
        [("Measures!F18", 'denominator field "cp_opn" is not a field in Data')],
    ),
    Case(
        "measures-table-moved-right",
        _measures_moved_right,
        [("Measures!H18", 'polarity must be one of higher, lower, contextual; found "up"')],
    ),
    # Data month headers
    Case(
        "month-13",
        _set("Data!N1", "Month 13"),
        [
            ("Data!N1", "expected a month: a date, or text such as 2022-09-30"),
            ("Data!N1", '"Month 13"'),
        ],
    ),
    Case(
        "month-header-na",
        _set("Data!C1", "n/a"),
        [("Data!C1", "expected a month: a date, or text such as"), ("Data!C1", 'found "n/a"')],
    ),
    Case(
        "duplicate-month-date-and-text",
        _set("Data!N1", "Sep-22"),
        [("Data!N1", "September 2022 appears twice (also in M1)")],
    ),
    Case(
        "blank-month-over-figures",
        _set("Data!N1", None),
        [("Data!N1", "month header is blank but the column has figures; expected a date")],
    ),
    # Data figures
    Case(
        "text-in-number-cell",
        _set("Data!F7", "n/a"),
        [("Data!F7", 'expected a number, found "n/a"')],
    ),
    Case(
        "number-stored-as-text",
        _set("Data!G7", "236"),
        [("Data!G7", 'expected a number, found "236" (a number stored as text')],
    ),
    Case(
        "negative-count",
        _set("Data!C2", -5),
        [("Data!C2", "expected zero or more, found -5")],
    ),
    Case(
        "excel-error-na",
        _set("Data!D3", XlError("=NA()", "#N/A")),
        [("Data!D3", "expected a number, found the Excel error #N/A")],
        raw=True,
    ),
    Case(
        "excel-error-div0",
        _set("Data!E4", XlError("=1/0", "#DIV/0!")),
        [("Data!E4", "expected a number, found the Excel error #DIV/0!")],
        raw=True,
    ),
    Case(
        "boolean-in-data",
        _set("Data!H5", True),
        [("Data!H5", "expected a number, found TRUE")],
    ),
    Case(
        "date-in-data",
        _set("Data!I8", dt.date(2022, 5, 31)),
        [("Data!I8", "expected a number, found the date 31/05/2022")],
    ),
    Case(
        "blank-field-id-with-figures",
        _set("Data!A10", None),
        [("Data!A10", "field id is blank but the row has figures")],
        # cla_ceased (row 10) is gone, so the two measures built on it say so as well
        problems=3,
    ),
    Case(
        "duplicate-field-id",
        _duplicate_field,
        [("Data!A50", 'field "contacts" appears twice (also in row 2)')],
    ),
    # Settings
    Case(
        "population-row-missing",
        _no_population_row,
        [("Settings!A13", "population_0_17 is needed because 2 measure(s) are rates per 10,000")],
    ),
    Case(
        "population-blank",
        _set("Settings!B3", None),
        [("Settings!B3", "population_0_17 is needed because 2 measure(s)")],
    ),
    Case(
        "rag-thresholds-out-of-order",
        _set("Settings!B6", 0.3),
        [("Settings!B6", "RAG thresholds must satisfy rag_green ≤ rag_amber ≤ rag_red")],
    ),
    Case(
        "reporting-month-outside-data",
        _reporting_month_after_data,
        [("Settings!B14", "reporting_month March 2023 is outside the months in Data")],
    ),
    Case(
        "forecast-window-fraction",
        _set("Settings!B11", 2.5),
        [("Settings!B11", "forecast_window must be a whole number from 2 to 120; found 2.5")],
    ),
    Case(
        "setting-excel-error",
        _set("Settings!B5", XlError("=#REF!", "#REF!")),
        [("Settings!B5", "expected a number, found the Excel error #REF!")],
        raw=True,
    ),
    # Targets
    Case(
        "target-for-unknown-measure",
        _set("Targets!A31", "cp_visit"),
        [("Targets!A31", 'target for unknown measure "cp_visit" (not an id in Measures)')],
    ),
    Case(
        "target-date-not-a-date",
        _set("Targets!B31", "next March"),
        [("Targets!B31", "expected the date the target is due"), ("Targets!B31", '"next March"')],
    ),
    Case(
        "target-percent-as-82",
        _set("Targets!C31", 82),
        [("Targets!C31", "cp_visits is a percentage, so its target must be between 0 and 1")],
    ),
    Case(
        "duplicate-target",
        _duplicate_target,
        [("Targets!B93", "cp_visits already has a target due 30/09/2022 (row 31)")],
    ),
    # figures that look fine but would give a report that is not true
    Case(
        "blank-section",
        _set("Measures!C18", None),
        [("Measures!C18", "section is blank; every measure needs one")],
    ),
    Case(
        "more-visited-than-on-a-plan",
        _set("Data!N19", 400),
        [("Data!N19", "cp_visited_in_time (400) is more than cp_open (331) in October 2022")],
    ),
    Case(
        "percent-value-typed-as-82",
        _percent_value_typed_as_82,
        [("Data!N50", "so its figures must be fractions from 0 to 1 (82% is 0.82); found 82")],
    ),
    Case(
        "month-header-year-typo",
        _set("Data!N1", "Oct-25"),
        [("Data!N1", "October 2025 is more than a year after September 2022 in the column")],
    ),
    # all at once
    Case(
        "several-problems",
        _several,
        [
            ("Data!F7", 'expected a number, found "n/a"'),
            ("Data!N1", 'found "Month 13"'),
            ("Measures!G18", 'polarity must be one of higher, lower, contextual; found "up"'),
            ("Targets!C27", "cin_visits is a percentage, so its target must be between 0 and 1"),
            ("Settings!B11", 'expected a number, found "three"'),
        ],
        problems=5,
    ),
]


def build(case: Case, folder: Path) -> Path:
    sheets = demo_sheets()
    case.change(sheets)
    path = folder / f"{case.id}.xlsx"
    (write_book if case.raw else write_input_workbook)(sheets, path)
    return path


def problem_lines(stderr: str, where: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(f"  - {where}: ")]


def assert_reported(stderr: str, case: Case) -> None:
    assert f"The workbook has {case.problems} problem" in stderr, stderr
    for where, what in case.expect:
        lines = problem_lines(stderr, where)
        assert any(what in line for line in lines), f"no {where}: ...{what}... in\n{stderr}"


COMMANDS = [["validate"], ["kpis"]]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input_names_sheet_and_cell(case, tmp_path, capsys):
    path = build(case, tmp_path)
    for command in COMMANDS:
        code = main([command[0], str(path), *command[1:]])
        out, err = capsys.readouterr()
        assert code == 2, (command, out, err)
        assert "Traceback" not in out + err
        assert out == "", "nothing goes to stdout when the input is bad"
        assert_reported(err, case)


def test_there_are_enough_cases():
    assert len(CASES) >= 25
    assert len({c.id for c in CASES}) == len(CASES)


SUBPROCESS_RUNS = [
    ("text-in-number-cell", ["validate"]),
    ("excel-error-na", ["kpis"]),
    ("missing-data", ["kpis", "--format", "json"]),
    ("several-problems", ["validate"]),
]


def test_bad_input_through_the_installed_script(tmp_path, xl_addin_run):
    """The same promise from a real process: exit 2, the cell named, no traceback."""
    cases = {c.id: c for c in CASES}
    jobs = [
        (cases[name], build(cases[name], tmp_path), command) for name, command in SUBPROCESS_RUNS
    ]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda j: xl_addin_run(j[2][0], str(j[1]), *j[2][1:]), jobs))
    for (case, _, command), run in zip(jobs, runs, strict=True):
        assert run.returncode == 2, (case.id, command, run)
        assert "Traceback" not in run.output
        assert run.stdout == ""
        assert_reported(run.stderr, case)


# -- files that are not workbooks ---------------------------------------------------------------


def _csv_renamed(folder: Path, demo: Path) -> Path:
    path = folder / "figures.xlsx"
    path.write_text("field,2022-09-30\ncontacts,1178\n", encoding="utf-8")
    return path


def _xls_extension(folder: Path, demo: Path) -> Path:
    path = folder / "figures.xls"
    shutil.copy(demo, path)
    return path


def _old_xls_renamed(folder: Path, demo: Path) -> Path:
    path = folder / "figures.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088))
    return path


def _empty(folder: Path, demo: Path) -> Path:
    path = folder / "figures.xlsx"
    path.write_bytes(b"")
    return path


def _truncated(folder: Path, demo: Path) -> Path:
    path = folder / "figures.xlsx"
    path.write_bytes(demo.read_bytes()[: demo.stat().st_size // 2])
    return path


def _folder(folder: Path, demo: Path) -> Path:
    path = folder / "figures.xlsx"
    path.mkdir()
    return path


def _missing(folder: Path, demo: Path) -> Path:
    return folder / "figures.xlsx"


@dataclass(frozen=True)
class FileCase:
    id: str
    make: Callable[[Path, Path], Path]
    expect: list[str] = field(default_factory=list)


FILE_CASES = [
    FileCase("csv-renamed-xlsx", _csv_renamed, ["figures.xlsx is not a readable Excel workbook"]),
    FileCase(
        "xls-extension",
        _xls_extension,
        ["figures.xls: expected an .xlsx or .xlsm workbook", "save it from Excel"],
    ),
    FileCase(
        "old-xls-or-password-renamed",
        _old_xls_renamed,
        ["is not a readable Excel workbook", "password-protected workbook or an old .xls"],
    ),
    FileCase("empty-file", _empty, ["figures.xlsx is not a readable Excel workbook"]),
    FileCase("truncated-zip", _truncated, ["figures.xlsx"]),
    FileCase("a-folder", _folder, ["figures.xlsx is not a readable Excel workbook"]),
    FileCase("missing-file", _missing, ["figures.xlsx does not exist"]),
]


@pytest.mark.parametrize("case", FILE_CASES, ids=lambda c: c.id)
def test_not_a_workbook(case, tmp_path, demo_workbook, capsys):
    path = case.make(tmp_path, demo_workbook)
    for command in COMMANDS:
        code = main([command[0], str(path), *command[1:]])
        out, err = capsys.readouterr()
        assert code == 2, (command, out, err)
        assert "Traceback" not in out + err and out == ""
        assert "The workbook has 1 problem to fix" in err
        for text in case.expect:
            assert text in err, err


def test_not_a_workbook_through_the_installed_script(tmp_path, demo_workbook, xl_addin_run):
    runs = [
        xl_addin_run("validate", str(_csv_renamed(tmp_path, demo_workbook))),
        xl_addin_run("kpis", str(tmp_path / "nowhere.xlsx")),
    ]
    assert [r.returncode for r in runs] == [2, 2]
    assert "figures.xlsx is not a readable Excel workbook" in runs[0].stderr
    assert "nowhere.xlsx does not exist" in runs[1].stderr
    assert not any("Traceback" in r.output for r in runs)


# -- the positive side: month headers in every accepted form ------------------------------------

EXCEL_EPOCH = dt.date(1899, 12, 30)
HEADER_FORMS = {
    "excel-dates": lambda d: d,
    "excel-dates-mid-month": lambda d: d.replace(day=15),
    "excel-datetimes-with-time": lambda d: dt.datetime.combine(d, dt.time(13, 5)),
    "serial-numbers": lambda d: (d - EXCEL_EPOCH).days,
    "text-iso": lambda d: d.isoformat(),
    "text-uk": lambda d: d.strftime("%d/%m/%Y"),
    "text-mon-yy": lambda d: d.strftime("%b-%y"),
    "text-mon-yyyy": lambda d: d.strftime("%b %Y"),
    "text-month-yyyy": lambda d: d.strftime("%B %Y"),
}


def _with_headers(form: Callable[[dt.date], object] | None) -> Sheets:
    sheets = demo_sheets()
    head = sheets["Data"].rows[0]
    forms = list(HEADER_FORMS.values())
    for c in range(1, len(head)):
        head[c] = (form or forms[c % len(forms)])(head[c])
    return sheets


def _kpis_csv(path: Path, capsys, *extra: str) -> str:
    assert main(["kpis", str(path), "--format", "csv", *extra]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("form", [*HEADER_FORMS, "mixed"])
def test_month_headers_in_every_accepted_form(form, tmp_path, demo_workbook, demo_kpis_csv, capsys):
    path = tmp_path / f"{form}.xlsx"
    write_book(_with_headers(HEADER_FORMS.get(form)), path)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "13 months (Oct 2021 to Oct 2022)" in out
    assert _kpis_csv(path, capsys) == demo_kpis_csv
    assert _kpis_csv(path, capsys, "--series") == _kpis_csv(demo_workbook, capsys, "--series")


@pytest.mark.parametrize(
    ("form", "first"),
    [("text-mon-yy", "Oct-21"), ("text-uk", "31/10/2021"), ("serial-numbers", 44500.0)],
)
def test_headers_reach_the_reader_as_written(form, first, tmp_path):
    """Guard for the test above: text stays text and serials stay numbers (not dates)."""
    path = tmp_path / "headers.xlsx"
    write_book(_with_headers(HEADER_FORMS[form]), path)
    head = read_sheets(path)["Data"].rows[0]
    assert head[1] == first and type(head[1]) is type(first)


def test_demo_csv_is_what_the_cases_start_from(demo_kpis_csv):
    rows = list(csv.DictReader(io.StringIO(demo_kpis_csv)))
    assert len(rows) == 32 and "2022-10-31" in {r["month"] for r in rows}
