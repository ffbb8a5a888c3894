"""`xl-addin refresh`, `rag`, `charts`, `init`, `demo`: what happens to an analyst's workbook."""

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from support.tables import table_records

from xl_addin import cli
from xl_addin.ooxml import read_registry

GENERATED = [
    "Scorecard",
    "KPI Values",
    "Charts - Demand management",
    "Charts - Service delivery",
    "Charts - Workforce",
    "Charts - Voice of our children",
    "Narrative",
]


@pytest.fixture
def demo(tmp_path) -> Path:
    path = tmp_path / "book.xlsx"
    assert cli.main(["demo", "--out", str(path), "--quiet"]) == 0
    return path


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def scorecard_rows(path: Path) -> list[dict]:
    return table_records(openpyxl.load_workbook(path)["Scorecard"], "Scorecard")


def test_demo_has_every_kind_of_generated_sheet(demo):
    names = openpyxl.load_workbook(demo, read_only=True).sheetnames
    assert names == ["About", "Settings", "Measures", "Data", "Targets", *GENERATED]
    assert read_registry(demo) == GENERATED


def test_scorecard_sheet_equals_kpis(demo, capsys):
    assert cli.main(["kpis", str(demo), "--format", "json"]) == 0
    expected = {r["measure_id"]: r for r in json.loads(capsys.readouterr().out)}
    got = scorecard_rows(demo)
    assert [r["Measure ID"] for r in got] == list(expected)
    for row in got:
        want = expected[row["Measure ID"]]
        for col, key in (
            ("Value", "value"),
            ("Previous", "previous"),
            ("Target", "target"),
            ("Forecast", "forecast"),
        ):
            if want[key] is None:
                assert row[col] in (None, ""), (row["Measure ID"], col)
            else:
                assert row[col] == pytest.approx(want[key], rel=1e-12), (row["Measure ID"], col)
        assert row["RAG"] == want["rag"] and row["Direction"] == want["direction"]


def test_second_refresh_replaces_and_keeps_user_parts(demo):
    before = parts(demo)
    assert cli.main(["refresh", str(demo), "--quiet"]) == 0
    after = parts(demo)
    names = openpyxl.load_workbook(demo, read_only=True).sheetnames
    assert names.count("Scorecard") == 1 and len(names) == 12
    # the input sheets (sheet1..5 in the demo) are copied byte for byte
    for n in ("xl/worksheets/sheet2.xml", "xl/worksheets/sheet5.xml", "xl/sharedStrings.xml"):
        assert after[n] == before[n]
    assert Path(str(demo).replace(".xlsx", ".bak.xlsx")).exists()


def test_out_leaves_the_book_untouched(demo, tmp_path):
    before = demo.read_bytes()
    out = tmp_path / "copy.xlsx"
    assert cli.main(["refresh", str(demo), "--out", str(out), "--month", "2022-09", "--quiet"]) == 0
    assert demo.read_bytes() == before
    assert scorecard_rows(out)[0]["Month"].month == 9


def test_no_backup(demo):
    assert cli.main(["refresh", str(demo), "--no-backup", "--quiet"]) == 0
    assert not demo.with_name("book.bak.xlsx").exists()


def test_a_user_sheet_with_a_reserved_name_is_refused(tmp_path, capsys):
    from xl_addin.demo import demo_sheets
    from xl_addin.io.write_inputs import write_input_workbook

    book = tmp_path / "mine.xlsx"
    write_input_workbook(demo_sheets(), book)
    wb = openpyxl.load_workbook(book)
    wb.create_sheet("Scorecard")["A1"] = "my own notes"
    wb.save(book)
    before = book.read_bytes()
    assert cli.main(["refresh", str(book), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "Scorecard" in err and "has not been changed" in err and "Traceback" not in err
    assert book.read_bytes() == before


def test_open_in_excel_is_refused(demo, capsys):
    lock = demo.with_name("~$book.xlsx")
    lock.write_bytes(b"locked")
    before = demo.read_bytes()
    assert cli.main(["refresh", str(demo), "--quiet"]) == 2
    assert "Excel" in capsys.readouterr().err
    assert demo.read_bytes() == before


def test_bad_input_leaves_the_file_as_it_was(demo, capsys):
    wb = openpyxl.load_workbook(demo)
    wb["Data"]["C3"] = "n/a"
    wb.save(demo)
    before = demo.read_bytes()
    assert cli.main(["refresh", str(demo), "--quiet"]) == 2
    assert 'Data!C3: expected a number, found "n/a"' in capsys.readouterr().err
    assert demo.read_bytes() == before


def test_progress_goes_to_stderr_and_quiet_silences_it(demo, capsys):
    assert cli.main(["refresh", str(demo)]) == 0
    captured = capsys.readouterr()
    assert "... Reading book.xlsx" in captured.err and "..." not in captured.out
    assert cli.main(["refresh", str(demo), "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_rag_rewrites_only_the_scorecard(demo):
    before = parts(demo)
    assert cli.main(["rag", str(demo), "--quiet", "--no-backup"]) == 0
    after = parts(demo)
    assert read_registry(demo) is not None and set(read_registry(demo)) == set(GENERATED)
    charts_before = sorted(n for n in before if n.startswith("xl/charts/"))
    charts_after = sorted(n for n in after if n.startswith("xl/charts/"))
    assert charts_before == charts_after
    assert all(after[n] == before[n] for n in charts_after)


def test_charts_regenerates_chart_sheets_only(demo):
    assert cli.main(["charts", str(demo), "--quiet", "--no-backup"]) == 0
    wb = openpyxl.load_workbook(demo, read_only=True)
    assert wb.sheetnames[-7:] == GENERATED or set(wb.sheetnames[-7:]) == set(GENERATED)
    assert set(read_registry(demo)) == set(GENERATED)


def test_init_adopts_an_existing_workbook(tmp_path, capsys):
    book = tmp_path / "existing.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    ws = wb.add_worksheet("Dashboard")
    ws.write_formula("A1", "=1+1", None, 2)
    wb.close()
    before = parts(book)
    assert cli.main(["init", str(book), "--quiet"]) == 0
    assert openpyxl.load_workbook(book).sheetnames == [
        "Dashboard",
        "Settings",
        "Measures",
        "Data",
        "Targets",
    ]
    assert parts(book)["xl/worksheets/sheet1.xml"] == before["xl/worksheets/sheet1.xml"]
    assert cli.main(["refresh", str(book), "--quiet"]) == 0
    assert cli.main(["init", str(book), "--quiet"]) == 2
    assert "Settings" in capsys.readouterr().err


def test_workbooks_counting_dates_from_1904_get_the_right_dates(tmp_path, capsys):
    book = tmp_path / "mac.xlsx"
    wb = xlsxwriter.Workbook(str(book), {"date_1904": True})
    wb.add_worksheet("Notes").write("A1", "from an old Mac")
    wb.close()
    assert cli.main(["init", str(book), "--quiet"]) == 0
    assert cli.main(["refresh", str(book), "--quiet"]) == 0
    wb = openpyxl.load_workbook(book)
    assert wb.epoch.year == 1904
    assert wb["Data"]["B1"].value.date().isoformat() == "2025-04-30"
    assert scorecard_rows(book)[0]["Month"].date().isoformat() == "2025-04-30"
    capsys.readouterr()
    assert cli.main(["kpis", str(book), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["month"] == "2025-04-30"


def test_sheets_written_for_the_other_date_system_are_refused(tmp_path):
    from xl_addin.ooxml import ScratchBookError, transplant

    book, scratch = tmp_path / "mac.xlsx", tmp_path / "scratch.xlsx"
    for path, date_1904 in ((book, True), (scratch, False)):
        wb = xlsxwriter.Workbook(str(path), {"date_1904": date_1904})
        wb.add_worksheet("Other" if date_1904 else "Scorecard")
        wb.close()
    with pytest.raises(ScratchBookError, match="1904 date system"):
        transplant(book, scratch, tmp_path / "out.xlsx")


def test_python_api_refresh_reports_what_it_did(demo):
    import xl_addin

    report = xl_addin.refresh(demo, month="2022-09", backup=False)
    assert report.sheets == GENERATED and report.reporting_month.month == 9
    assert scorecard_rows(demo)[0]["Month"].month == 9
