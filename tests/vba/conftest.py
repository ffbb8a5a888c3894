"""Fixtures for the VBA project tests: one add-in built from the sources and installed xlwings,
and its VBA project opened by olefile in strict mode."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from vba_reading import open_strict

from xl_addin.excel.addin import VBA_PART, addin_modules, build_addin


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes tens of seconds (still runs by default)")


@pytest.fixture(scope="session")
def built_addin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("addin") / "xl_addin.xlam"
    return build_addin(out, echo=None, use_packaged=False)


@pytest.fixture(scope="session")
def vba_bin(built_addin: Path) -> bytes:
    with zipfile.ZipFile(built_addin) as z:
        return z.read(VBA_PART)


@pytest.fixture
def ole(vba_bin: bytes):
    with open_strict(vba_bin) as handle:
        yield handle


@pytest.fixture(scope="session")
def modules():
    return {m.name: m for m in addin_modules()}
