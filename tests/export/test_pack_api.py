"""The public functions: what they return, and what a failure leaves behind (nothing)."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest
from pack_books import write_demo

import xl_addin
from xl_addin.errors import InputError, XlAddinError
from xl_addin.export import ExportReport, export_book, export_pack
from xl_addin.export import pack as pack_module
from xl_addin.export import pdf as pdf_module

pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension")


def test_report_describes_the_pack(pack: ExportReport) -> None:
    assert pack.path.exists() and pack.pdf is None and not pack.public
    assert pack.charts == 32 and len(pack.sheets) == 10
    assert str(pack).startswith(f"Wrote {pack.path}: 10 sheets, 32 charts, reporting month")


def test_progress_is_reported(demo_results, tmp_path: Path) -> None:
    seen: list[tuple[str, float]] = []
    export_pack(demo_results, tmp_path / "p.xlsx", progress=lambda m, f: seen.append((m, f)))
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_a_failed_write_leaves_the_old_pack_and_no_debris(
    demo_results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "pack.xlsx"
    out.write_bytes(b"the previous pack")

    def boom(*args, **kwargs):
        partial = Path(args[1])
        partial.write_bytes(b"half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(pack_module, "write_scratch", boom)
    with pytest.raises(OSError, match="disk full"):
        export_pack(demo_results, out, force=True)  # force: these bytes are no real pack
    assert out.read_bytes() == b"the previous pack"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.xlsx"]


def test_pdf_without_libreoffice_is_a_clear_error_before_anything_is_written(
    demo_results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pack_module, "require_soffice", pdf_module.require_soffice)
    monkeypatch.setattr(pdf_module, "find_soffice", lambda: None)
    with pytest.raises(XlAddinError, match="LibreOffice") as exc:
        export_pack(demo_results, tmp_path / "pack.xlsx", pdf=True)
    assert "libreoffice-calc-nogui" in str(exc.value)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_pdf_leaves_nothing(
    demo_results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pack_module, "require_soffice", lambda: "/bin/false")
    with pytest.raises(XlAddinError, match="could not convert"):
        export_pack(demo_results, tmp_path / "pack.xlsx", pdf=True)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["pack.xlsm", "pack.xls", "pack"])
def test_only_xlsx_is_written(demo_results, tmp_path: Path, name: str) -> None:
    with pytest.raises(XlAddinError, match=r"\.xlsx"):
        export_pack(demo_results, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_named(demo_results, tmp_path: Path) -> None:
    with pytest.raises(XlAddinError, match="does not exist"):
        export_pack(demo_results, tmp_path / "nope" / "pack.xlsx")


def test_bad_input_names_sheet_and_cell(tmp_path: Path) -> None:
    def edit(sheets):
        sheets["Data"].rows[1][3] = "n/a"

    book = write_demo(tmp_path / "bad.xlsx", edit)
    with pytest.raises(InputError) as exc:
        export_book(book, tmp_path / "pack.xlsx")
    assert "Data!D2" in str(exc.value)
    assert not (tmp_path / "pack.xlsx").exists()


def test_an_earlier_month_can_be_exported(demo_book: Path, tmp_path: Path) -> None:
    report = export_book(demo_book, tmp_path / "sep.xlsx", month="2022-09")
    assert (
        report.reporting_month
        == xl_addin.compute(xl_addin.read_inputs(demo_book), "2022-09").reporting_month
    )
    ws = openpyxl.load_workbook(report.path)["Cover"]
    assert "Reporting month: September 2022" in [c.value for c in ws["A"]]


def test_no_temporary_folders_left_after_success(pack: ExportReport) -> None:
    assert [p for p in os.listdir(pack.path.parent) if p.startswith(".xl_addin")] == []
