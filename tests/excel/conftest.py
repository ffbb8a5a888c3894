"""Fixtures for the Excel add-in tests: the xlwings licence and server mode, demo payloads.

`XLWINGS_ON_SERVER=true` must be set before xlwings is imported, or `@xw.func` is a no-op on
Linux and `custom_functions_meta` finds no functions; if something imported xlwings earlier in
the session, it is reloaded so the decorators resolve to the Office.js ones.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
os.environ["XLWINGS_ON_SERVER"] = "true"

import pytest
import xlwings
from support.cli import kpis_json

if not getattr(xlwings, "on_server", False) or not [
    e for e in xlwings.engines if e.name == "remote"
]:
    importlib.reload(xlwings)

sys.path.insert(0, str(Path(__file__).parent))

from payload import payload_from_xlsx

import xl_addin
from xl_addin.excel.backend import REGISTRY_NAME
from xl_addin.ooxml import registry
from xl_addin.ooxml.transplant import transplant
from xl_addin.render import render_plan, write_scratch


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workbook, made the way an analyst would: `xl-addin demo --out ...`."""
    out = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    subprocess.run(
        [sys.executable, "-m", "xl_addin.cli", "demo", "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="session")
def demo_results(demo_path: Path):
    return xl_addin.compute(xl_addin.read_inputs(demo_path))


@pytest.fixture(scope="session")
def demo_plan(demo_results):
    return render_plan(demo_results)


@pytest.fixture(scope="session")
def refreshed_path(demo_path: Path, demo_plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo after a file-route refresh: generated sheets, tables, charts, the registry."""
    folder = tmp_path_factory.mktemp("refreshed")
    scratch = write_scratch(demo_plan, folder / "scratch.xlsx")
    out = folder / "refreshed.xlsx"
    transplant(demo_path, scratch, out)
    return out


def inputs_only(payload: dict) -> dict:
    """The payload of a book never refreshed: sheets a refresh made (listed by the registry,
    which `xl-addin demo` may already have written) are left out, and so is the registry."""
    generated: list[str] = []
    names = []
    for name in payload["names"]:
        if name["name"] == REGISTRY_NAME:
            generated = registry.decode(name["refers_to"]) or []
        else:
            names.append(name)
    sheets = [s for s in payload["sheets"] if s["name"] not in generated]
    return {**payload, "sheets": sheets, "names": names}


@pytest.fixture(scope="session")
def demo_payload(demo_path: Path) -> dict:
    return inputs_only(payload_from_xlsx(demo_path))


@pytest.fixture(scope="session")
def demo_payload_iso(demo_path: Path) -> dict:
    return inputs_only(payload_from_xlsx(demo_path, dates="iso"))


@pytest.fixture(scope="session")
def refreshed_payload(refreshed_path: Path) -> dict:
    return payload_from_xlsx(refreshed_path)


@pytest.fixture(scope="session")
def demo_kpis_json(demo_path: Path) -> list[dict]:
    """`xl-addin kpis --format json` for the demo: what the Scorecard must show."""
    return kpis_json(demo_path)
