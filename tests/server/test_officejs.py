"""The add-in's JavaScript, run by Node from pytest (tests/officejs): the strict fake Excel, the
replays of refreshes through the pinned xlwings-server client, and headless Chromium.

Locally these skip when `npm ci` has not been run in tests/officejs (or Chromium is missing);
on CI (.ci/run installs both) they fail instead, so a green CI run has really run them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from workbooks import build_scenarios, manifest_excel_api

from xl_addin.server import client as xlwings_client

NODE_PROJECT = Path(__file__).resolve().parents[1] / "officejs"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ON_CI = bool(os.environ.get("CI"))
NODE = shutil.which("node")
MISSING_NODE = (
    "node is not on PATH"
    if NODE is None
    else "tests/officejs/node_modules is missing (cd tests/officejs && npm ci)"
    if not (NODE_PROJECT / "node_modules" / "puppeteer-core").is_dir()
    else None
)
needs_node = pytest.mark.skipif(
    MISSING_NODE is not None and not ON_CI, reason=f"{MISSING_NODE}; .ci/run installs it"
)
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not ON_CI,
    reason=f"{CHROMIUM} not found (apt-get install chromium; .ci/run installs it)",
)
NODE_TIMEOUT = 600


def run_node(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    if MISSING_NODE:
        pytest.fail(f"{MISSING_NODE} (CI must install it: see .ci/run)")
    done = subprocess.run(
        [NODE, *args],
        cwd=NODE_PROJECT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"node {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="session")
def schema() -> Path:
    """The fake's shape, generated from the pinned @types/office-js each run."""
    run_node("generate-schema.mjs")
    return NODE_PROJECT / "build" / "office-schema.json"


@pytest.fixture(scope="session")
def scenarios(
    tmp_path_factory: pytest.TempPathFactory, demo_inputs_path: Path, served: str
) -> Path:
    excel_api = manifest_excel_api(httpx.get(f"{served}/manifest.xml").text)
    return build_scenarios(tmp_path_factory.mktemp("officejs"), demo_inputs_path, excel_api)


def node_env(served: str, scenarios: Path) -> dict[str, str]:
    return {
        "XL_ADDIN_URL": served,
        "XL_ADDIN_SCENARIOS": str(scenarios),
        "XLWINGS_SERVER_STATIC": str(xlwings_client.static_dir()),
        "CHROMIUM": CHROMIUM,
    }


@needs_node
def test_the_fake_excel_refuses_what_excel_refuses(schema: Path) -> None:
    run_node("--test", "test/fake.test.mjs")


@needs_node
def test_refreshes_replayed_through_the_pinned_client(
    schema: Path, served: str, scenarios: Path
) -> None:
    done = run_node("--test", "test/replay.test.mjs", env=node_env(served, scenarios))
    notes = [line for line in done.stdout.splitlines() if "fake Excel notes" in line]
    print("\n".join(notes))


@needs_node
@needs_chromium
def test_task_pane_ribbon_and_functions_in_headless_chromium(
    schema: Path, served: str, scenarios: Path
) -> None:
    run_node("--test", "test/chromium.test.mjs", env=node_env(served, scenarios))
