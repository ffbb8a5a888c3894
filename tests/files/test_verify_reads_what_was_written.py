"""Refresh's check that the new file opens costs what refresh wrote, not what the user's data
costs: a large sheet of the user's without a `<dimension>` element (optional, and left out by
several tools) is never read back, while every part refresh wrote still is."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from xl_addin.ooxml import VerificationError, transplant, verify
from xl_addin.ooxml.safe_write import TEMP_MARK
from xl_addin.refresh_book import refresh

CASE_LIST_ROWS = 3_000


def _rewrite(book: Path, edit) -> None:
    """Rewrite every part of `book` through `edit(name, data) -> data`."""
    with zipfile.ZipFile(book) as zin:
        parts = [(i, zin.read(i)) for i in zin.infolist()]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in parts:
            zout.writestr(info, edit(info.filename, data))


def _sheet_part(book: Path, sheet: str) -> str:
    with zipfile.ZipFile(book) as zf:
        wb = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="(rId\d+)"', wb).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{rid}"', rels
    )
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


@pytest.fixture
def book_with_case_list(tmp_path: Path, demo_file: Path) -> tuple[Path, str]:
    """The demo plus a case list sheet written without `<dimension>`."""
    scratch = tmp_path / "case_list.xlsx"
    wb = xlsxwriter.Workbook(str(scratch))
    ws = wb.add_worksheet("Case list")
    ws.write_row(0, 0, ["child_id", "team", "days_open"])
    for r in range(1, CASE_LIST_ROWS + 1):
        ws.write_row(r, 0, [r, r % 7, r % 365])
    wb.close()
    book = tmp_path / "book.xlsx"
    transplant(demo_file, scratch, book, register=False)
    part = _sheet_part(book, "Case list")
    _rewrite(
        book,
        lambda name, data: re.sub(rb"<dimension [^>]*/>", b"", data) if name == part else data,
    )
    with zipfile.ZipFile(book) as zf:
        assert b"<dimension" not in zf.read(part)
    return book, part


def test_refresh_never_reads_back_the_users_sheet(book_with_case_list, monkeypatch):
    book, part = book_with_case_list
    opened: list[tuple[str, str]] = []
    real_open = zipfile.ZipFile.open

    def recording_open(self, name, mode="r", *args, **kwargs):
        if mode == "r":  # reads only: the new file is written through open(..., "w")
            member = name.filename if isinstance(name, zipfile.ZipInfo) else name
            opened.append((str(self.filename), member))
        return real_open(self, name, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)
    refresh(book, backup=False)
    read_back = {m for f, m in opened if TEMP_MARK in Path(f).name}
    assert "xl/workbook.xml" in read_back  # the check did run on the new file
    assert any(m.startswith("xl/worksheets/") for m in read_back)  # and read generated sheets
    assert part not in read_back
    with zipfile.ZipFile(book) as zf:  # and the case list is still there, whole
        assert zf.read(part).count(b"<row ") == CASE_LIST_ROWS + 1


def _refreshed(tmp_path: Path, book: Path) -> Path:
    out = tmp_path / "refreshed.xlsx"
    refresh(book, out=out)
    return out


def test_a_written_sheet_with_a_missing_style_fails_verification(book_with_case_list, tmp_path):
    """Excel repairs a cell whose style does not exist; the check reads written sheets' cells."""
    book, _ = book_with_case_list
    new = _refreshed(tmp_path, book)
    scorecard = _sheet_part(new, "Scorecard")
    broken = Path(shutil.copyfile(new, tmp_path / "broken.xlsx"))
    _rewrite(
        broken,
        lambda name, data: (
            re.sub(rb'(<c r="A1"[^>]*?) s="\d+"', rb'\1 s="9999"', data, count=1)
            if name == scorecard
            else data
        ),
    )
    verify(new, original=book)
    with pytest.raises(VerificationError):
        verify(broken, original=book)


def test_a_written_part_that_is_not_xml_fails_verification(book_with_case_list, tmp_path):
    book, _ = book_with_case_list
    new = _refreshed(tmp_path, book)
    broken = Path(shutil.copyfile(new, tmp_path / "broken.xlsx"))
    _rewrite(
        broken,
        lambda name, data: (
            data.replace(b"</definedNames>", b"</definedNamez>")
            if name == "xl/workbook.xml"
            else data
        ),
    )
    with pytest.raises(VerificationError):
        verify(broken, original=book)


def test_a_changed_user_part_is_read_through(book_with_case_list, tmp_path):
    """Only parts identical to the original's (CRC and size) are trusted; a part that differs
    is read, so damage in it is found."""
    book, part = book_with_case_list
    new = _refreshed(tmp_path, book)
    changed = Path(shutil.copyfile(new, tmp_path / "changed.xlsx"))
    _rewrite(changed, lambda name, data: data + b" " if name == part else data)
    verify(changed, original=book)  # still a sound file: the changed part was read and is fine
    with zipfile.ZipFile(changed) as zf:
        info = zf.getinfo(part)
        offset = info.header_offset + 30 + len(info.filename) + len(info.extra)
    raw = bytearray(changed.read_bytes())
    raw[offset + info.compress_size // 2] ^= 0xFF
    changed.write_bytes(bytes(raw))
    with pytest.raises(VerificationError):
        verify(changed, original=book)
