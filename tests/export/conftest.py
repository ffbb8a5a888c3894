"""Fixtures for the pack tests: the demo workbook on disk, its packs (internal and published),
and a demo whose measure title is a hostile formula string. Each pack is written once."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for p in (str(HERE), str(HERE.parent)):
    if p not in sys.path:
        sys.path.insert(0, p)

from pack_books import HOSTILE, set_data, write_demo  # noqa: E402

import xl_addin  # noqa: E402
from xl_addin.export import ExportReport, export_book  # noqa: E402


@pytest.fixture(scope="session")
def demo_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo(tmp_path_factory.mktemp("book") / "demo.xlsx")


@pytest.fixture(scope="session")
def demo_results(demo_book: Path) -> xl_addin.Results:
    return xl_addin.compute(xl_addin.read_inputs(demo_book))


@pytest.fixture(scope="session")
def pack(demo_book: Path, tmp_path_factory: pytest.TempPathFactory) -> ExportReport:
    return export_book(demo_book, tmp_path_factory.mktemp("pack") / "pack.xlsx")


@pytest.fixture(scope="session")
def pdf_pack(demo_book: Path, tmp_path_factory: pytest.TempPathFactory) -> ExportReport:
    """The demo pack with its PDF (LibreOffice), rendered once for every test that reads it."""
    return export_book(demo_book, tmp_path_factory.mktemp("pdf") / "board pack.xlsx", pdf=True)


@pytest.fixture(scope="session")
def public_pack(demo_book: Path, tmp_path_factory: pytest.TempPathFactory) -> ExportReport:
    return export_book(demo_book, tmp_path_factory.mktemp("public") / "public.xlsx", public=True)


@pytest.fixture(scope="session")
def small_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with 3 children on a CP plan in October 2022, and 3 entering care."""

    def edit(sheets):
        set_data(sheets, "cp_open", "2022-10-31", 3)
        set_data(sheets, "cp_visited_in_time", "2022-10-31", 3)
        set_data(sheets, "cla_started", "2022-10-31", 3)

    return write_demo(tmp_path_factory.mktemp("small") / "small.xlsx", edit)


@pytest.fixture(scope="session")
def small_public(small_book: Path, tmp_path_factory: pytest.TempPathFactory) -> ExportReport:
    return export_book(small_book, tmp_path_factory.mktemp("smallpub") / "pub.xlsx", public=True)


@pytest.fixture(scope="session")
def hostile_pack(tmp_path_factory: pytest.TempPathFactory) -> ExportReport:
    """A pack whose first measure title is a HYPERLINK formula typed as text."""

    def edit(sheets):
        sheets["Measures"].rows[1][1] = HOSTILE

    folder = tmp_path_factory.mktemp("hostile")
    book = write_demo(folder / "hostile.xlsx", edit)
    return export_book(book, folder / "pack.xlsx")
