"""The wheel carries the add-in already built, so installing needs no build step."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from xl_addin.excel.addin import ADDIN_NAME, PACKAGED, addin_bytes, xlwings_version

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """`pip wheel .` as a user or CI would run it: an isolated build, so the build hook runs
    with only hatchling and the xlwings it asks for (not pandas, not this environment)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (path,) = out.glob("xl_addin-*.whl")
    return path


@pytest.mark.slow
def test_the_wheel_carries_the_addin_built_exactly_as_build_addin_builds_it(wheel):
    name = f"xl_addin/{PACKAGED}/xlwings-{xlwings_version()}/{ADDIN_NAME}"
    with zipfile.ZipFile(wheel) as z:
        assert name in z.namelist()
        assert z.read(name) == addin_bytes()  # a clean build environment, the same bytes


@pytest.mark.slow
def test_build_addin_from_an_installed_wheel_copies_the_packaged_addin(wheel, tmp_path):
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(installed)
    done = subprocess.run(
        [sys.executable, "-m", "xl_addin.cli", "build-addin", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(installed)},
        cwd=tmp_path,
        check=True,
    )
    assert "copied the add-in built into this installation" in done.stdout
    packaged = installed / "xl_addin" / PACKAGED / f"xlwings-{xlwings_version()}" / ADDIN_NAME
    assert (tmp_path / "out" / ADDIN_NAME).read_bytes() == packaged.read_bytes()
