"""When are two paths the same file? Every spelling an analyst (or a script) might use."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from xl_addin.io.file_safety import lock_files, names_ignore_case, same_file


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "Reports"
    folder.mkdir()
    monkeypatch.chdir(folder)
    (folder / "book.xlsx").write_bytes(b"workbook")
    return folder


def test_spellings_of_one_existing_file(here: Path):
    (here / "sub").mkdir()
    os.symlink(here / "book.xlsx", here / "link.xlsx")
    os.link(here / "book.xlsx", here / "hard.xlsx")
    os.symlink(here, here.parent / "reports-link")
    for other in (
        "book.xlsx",
        str(here / "book.xlsx"),
        "./sub/../book.xlsx",
        "link.xlsx",
        "hard.xlsx",
        str(here.parent / "reports-link" / "book.xlsx"),
    ):
        assert same_file("book.xlsx", other), other


def test_a_new_file_in_a_linked_folder_is_the_same_path(here: Path):
    os.symlink(here, here.parent / "reports-link")
    assert same_file(here / "new.xlsx", here.parent / "reports-link" / "new.xlsx")
    assert not same_file(here / "new.xlsx", here / "other.xlsx")


def test_different_files_are_different(here: Path):
    (here / "copy.xlsx").write_bytes(b"workbook")
    (here / "sub").mkdir()
    (here / "sub" / "book.xlsx").write_bytes(b"workbook")
    assert not same_file("book.xlsx", "copy.xlsx")
    assert not same_file("book.xlsx", "sub/book.xlsx")


def test_letter_case_counts_only_where_the_file_system_ignores_it(here: Path):
    assert not same_file("book.xlsx", "BOOK.xlsx", ignore_case=lambda folder: False)
    assert same_file("book.xlsx", "BOOK.xlsx", ignore_case=lambda folder: True)
    assert same_file("book.xlsx", "Book.XLSX", ignore_case=lambda folder: True)
    assert not same_file("book.xlsx", "book2.xlsx", ignore_case=lambda folder: True)


def test_accents_typed_either_way_match_where_case_is_ignored(here: Path):
    composed = unicodedata.normalize("NFC", "Café.xlsx")
    decomposed = unicodedata.normalize("NFD", "CAFÉ.xlsx")
    assert same_file(composed, decomposed, ignore_case=lambda folder: True)


def test_this_file_system_is_probed_not_assumed(here: Path):
    assert names_ignore_case(here) is False  # ext4 and tmpfs are case-sensitive
    os.symlink(here, here.parent / "rEPORTS")  # as if the folder answered to either case
    assert names_ignore_case(here) is True


def test_lock_files_of_both_programs_and_who_holds_them(here: Path):
    assert lock_files("book.xlsx") == []
    (here / "~$book.xlsx").write_bytes(b"\x04Ravi" + b" " * 49 + b"\x04\x00R\x00a\x00v\x00i\x00")
    # as LibreOffice writes it: its user name (blank here), system user, computer, time, profile
    (here / ".~lock.book.xlsx#").write_text(",ravi,LAPTOP-3,29.11.2026 08:55,file:///home/ravi;")
    found = {lock.program: lock for lock in lock_files("book.xlsx")}
    assert found["Excel"].owner == "Ravi"
    assert found["LibreOffice"].owner == "ravi on LAPTOP-3 since 29.11.2026 08:55"


def test_lock_beside_the_file_a_link_points_to(here: Path):
    os.symlink(here / "book.xlsx", here.parent / "shortcut.xlsx")
    (here / ".~lock.book.xlsx#").write_text("Ravi,ravi,LAPTOP-3,29.11.2026 08:55,x;")
    assert [lock.program for lock in lock_files(here.parent / "shortcut.xlsx")] == ["LibreOffice"]
