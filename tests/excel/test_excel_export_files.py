"""The ribbon's Export follows the command line's file rules: never onto the open workbook's own
file or any workbook with input sheets, an existing file only when it is an earlier board pack
(or when told to), never a read-only file or one open in Excel or LibreOffice; every refusal and
every full disk is one alert sentence naming the file, with the folder left as it was."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from payload import actions_of, book_from, funcs
from support.faults import fail_flush

import xl_addin.excel as kpis
from xl_addin.export import export_pack

pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension")


def _folder(tmp_path: Path) -> dict[str, object]:
    return {p.name: p.read_bytes() for p in tmp_path.iterdir()}


def _refusal(book, result, *names: str) -> str:
    assert not result.ok
    assert funcs(actions_of(book)) == ["alert"]
    alert = actions_of(book)[0]["args"]
    text = alert[0]
    assert alert[3] == "critical" and "\n" not in text and "unexpected" not in text
    for name in names:
        assert name in text, (name, text)
    return text


@pytest.fixture
def earlier_pack(tmp_path: Path, demo_results) -> Path:
    return export_pack(demo_results, tmp_path / "pack.xlsx").path


def test_export_onto_the_open_workbooks_own_file(demo_payload, demo_path, tmp_path):
    own = Path(shutil.copyfile(demo_path, tmp_path / "book.xlsx"))
    payload = {**demo_payload, "book": {**demo_payload["book"], "name": str(own)}}
    book = book_from(payload)
    before = _folder(tmp_path)
    result = kpis.export(book, out=own, force=True)
    assert "the workbook it is made from" in _refusal(book, result, "book.xlsx")
    assert _folder(tmp_path) == before


@pytest.mark.parametrize("force", [False, True])
def test_export_never_replaces_a_workbook_with_input_sheets(
    demo_payload, demo_path, tmp_path, force
):
    other = Path(shutil.copyfile(demo_path, tmp_path / "last year.xlsx"))
    book = book_from(demo_payload)
    before = _folder(tmp_path)
    result = kpis.export(book, out=other, force=force)
    _refusal(book, result, "last year.xlsx", "Settings")
    assert _folder(tmp_path) == before


def test_export_leaves_an_unrelated_file_unless_told(demo_payload, tmp_path):
    notes = tmp_path / "pack.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "minutes"
    wb.save(notes)
    book = book_from(demo_payload)
    before = _folder(tmp_path)
    _refusal(book, kpis.export(book, out=notes), "pack.xlsx")
    assert _folder(tmp_path) == before
    assert kpis.export(book_from(demo_payload), out=notes, force=True).ok


def test_export_replaces_last_months_pack(demo_payload, earlier_pack):
    book = book_from(demo_payload)
    result = kpis.export(book, out=earlier_pack)
    assert result.ok, result.message
    with zipfile.ZipFile(earlier_pack) as zf:
        assert b"xl_addin board pack" in zf.read("docProps/custom.xml")


def test_export_leaves_a_read_only_pack(demo_payload, earlier_pack, tmp_path):
    os.chmod(earlier_pack, 0o444)
    book = book_from(demo_payload)
    before = _folder(tmp_path)
    assert "read-only" in _refusal(book, kpis.export(book, out=earlier_pack), "pack.xlsx")
    assert _folder(tmp_path) == before


@pytest.mark.parametrize("lock", ["~$pack.xlsx", ".~lock.pack.xlsx#"])
def test_export_leaves_a_pack_open_elsewhere(demo_payload, earlier_pack, tmp_path, lock):
    (tmp_path / lock).write_bytes(b"")
    book = book_from(demo_payload)
    before = _folder(tmp_path)
    _refusal(book, kpis.export(book, out=earlier_pack, force=True), "pack.xlsx", lock)
    assert _folder(tmp_path) == before


def test_export_on_a_full_disk(demo_payload, earlier_pack, tmp_path, monkeypatch):
    fail_flush(monkeypatch)
    book = book_from(demo_payload)
    before = _folder(tmp_path)
    text = _refusal(book, kpis.export(book, out=earlier_pack), "pack.xlsx")
    assert "space" in text
    assert _folder(tmp_path) == before
