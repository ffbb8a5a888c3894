"""Fixtures for the file-safety tests: the demo workbook and an earlier board pack, copied into
a fresh working folder that is also the current directory (so relative paths are tested)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from xl_addin import cli  # noqa: E402


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workbook, refreshed, made as an analyst would: `xl-addin demo`."""
    path = tmp_path_factory.mktemp("demo") / "book.xlsx"
    assert cli.main(["demo", "--out", str(path), "--quiet"]) == 0
    return path


@pytest.fixture(scope="session")
def pack_file(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Last month's board pack, written by `xl-addin export --month` (so it differs from this
    month's)."""
    path = tmp_path_factory.mktemp("pack") / "pack.xlsx"
    args = ["export", str(demo_file), "--out", str(path), "--month", "2022-09", "--quiet"]
    assert cli.main(args) == 0
    return path


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def book(folder: Path, demo_file: Path) -> Path:
    return Path(shutil.copyfile(demo_file, folder / "book.xlsx"))


@pytest.fixture
def old_pack(folder: Path, pack_file: Path) -> Path:
    return Path(shutil.copyfile(pack_file, folder / "pack.xlsx"))
