"""Fixtures for the ooxml tests (builders live in ooxml_builders.py beside this file)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

from ooxml_builders import make_scratch, make_user_book  # noqa: E402


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """The standard scratch book: Scorecard, KPI Values, one chartsheet."""
    return make_scratch(tmp_path / "scratch.xlsx")


@pytest.fixture
def user_xlsx(tmp_path: Path) -> Path:
    """A feature-rich .xlsx user book."""
    return make_user_book(tmp_path / "book.xlsx")


@pytest.fixture
def user_xlsm(tmp_path: Path) -> Path:
    """A feature-rich macro-enabled user book (VBA project, button, ribbon part)."""
    return make_user_book(tmp_path / "book.xlsm")
