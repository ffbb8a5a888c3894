"""Fixtures for the add-in server: the app under TestClient, and a real `xl-addin serve`.

XLWINGS_ON_SERVER must be set before xlwings is imported (xl_addin.server.mode does it); the
licence key is the one the README tells users to set.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
os.environ["XLWINGS_ON_SERVER"] = "true"

import httpx
import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from serving import PUBLIC_URL, free_port, start_serve
from workbooks import demo_inputs, payload_from_seed, seed_from_xlsx

from xl_addin.server.app import create_app
from xl_addin.server.options import ServerOptions, server_options


@pytest.fixture(scope="session")
def options() -> ServerOptions:
    return server_options(PUBLIC_URL)


@pytest.fixture(scope="session")
def client(options: ServerOptions) -> Iterator[TestClient]:
    with TestClient(create_app(options)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def api(options: ServerOptions) -> str:
    """Where the routes are: under the public URL's path."""
    return options.app_path


@pytest.fixture(scope="session")
def demo_inputs_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_inputs(tmp_path_factory.mktemp("demo-inputs"))


@pytest.fixture(scope="session")
def demo_seed(demo_inputs_path: Path) -> dict:
    return seed_from_xlsx(demo_inputs_path)


@pytest.fixture(scope="session")
def demo_payload(demo_seed: dict) -> dict:
    return payload_from_seed(demo_seed)


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `xl-addin serve` on 127.0.0.1 (behind an imagined HTTPS proxy at PUBLIC_URL);
    yields the local base URL including the public path."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "w") as out:
        process = start_serve(
            port, "--public-url", PUBLIC_URL, stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}{server_options(PUBLIC_URL).app_path}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"xl-addin serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"xl-addin serve did not answer within 60 s:\n{log.read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
