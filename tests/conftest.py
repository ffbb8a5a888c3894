"""Shared fixtures for the input-robustness suites (test_bad_input.py, test_hostile_files.py).

xlwings picks its mode when first imported, and the add-in's tests (tests/excel, tests/server)
need its server mode; set it here, before any test module imports xlwings, so every subset of
the suite runs in any order.
"""

from __future__ import annotations

import os

os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import contextlib
import io
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from xl_addin.cli import main
from xl_addin.demo import demo_sheets
from xl_addin.io.write_inputs import write_input_workbook


@dataclass
class CliRun:
    """One `xl-addin` run in its own process: exit code, output and wall time."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def xl_addin_command() -> list[str]:
    """The installed console script, or the module when the script is not on PATH."""
    script = shutil.which("xl-addin")
    return [script] if script else [sys.executable, "-m", "xl_addin.cli"]


def run_xl_addin(*args: str, timeout: float = 60) -> CliRun:
    start = time.perf_counter()
    done = subprocess.run(
        [*xl_addin_command(), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return CliRun(done.returncode, done.stdout, done.stderr, time.perf_counter() - start)


@pytest.fixture(scope="session")
def xl_addin_run():
    """`xl_addin_run(*args)` runs the installed `xl-addin` in a new process and returns a CliRun."""
    return run_xl_addin


@pytest.fixture(scope="session")
def demo_workbook(tmp_path_factory) -> Path:
    """The demo inputs as `write_input_workbook` writes them: the good file cases start from."""
    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    write_input_workbook(demo_sheets(), path)
    return path


@pytest.fixture(scope="session")
def demo_kpis_csv(demo_workbook) -> str:
    """`xl-addin kpis --format csv` of the demo workbook."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["kpis", str(demo_workbook), "--format", "csv"]) == 0
    return out.getvalue()


@pytest.fixture(scope="session")
def cli_startup_seconds(tmp_path_factory) -> float:
    """Wall time of a CLI run that does no work (interpreter, imports, exit): the allowance for
    start-up when a test holds the CLI to a time limit."""
    missing = tmp_path_factory.mktemp("startup") / "missing.xlsx"
    runs = [run_xl_addin("validate", str(missing)) for _ in range(2)]
    assert all(r.returncode == 2 for r in runs), runs
    return min(r.seconds for r in runs)
