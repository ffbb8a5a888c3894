"""Shared fixtures: the demo results, their plan, and the scratch workbook written once."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import xl_addin
from xl_addin.demo import demo_inputs
from xl_addin.engine.models import Results
from xl_addin.render import Plan, render_plan, write_scratch


@pytest.fixture(scope="session")
def demo_results() -> Results:
    return xl_addin.compute(demo_inputs())


@pytest.fixture(scope="session")
def demo_plan(demo_results: Results) -> Plan:
    return render_plan(demo_results)


@pytest.fixture(scope="session")
def scratch_path(demo_plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_scratch(demo_plan, tmp_path_factory.mktemp("scratch") / "generated.xlsx")


@pytest.fixture(scope="session")
def scratch_book(scratch_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(scratch_path)
