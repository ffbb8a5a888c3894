"""What one Refresh costs in Excel on the web: context.sync() round trips and JSON bytes.

Each context.sync() of the Office.js client is a network round trip between the browser and
Excel's servers, and the workbook goes to `xl-addin serve` and the actions come back as JSON.
This starts `xl-addin serve` on 127.0.0.1, and in Node replays a first and a second Refresh of
the demo and of 200 measures x 120 months through the pinned xlwings-server client against the
fake Excel of tests/officejs (which counts every sync and operation), and prints per refresh
the actions, context.sync() calls, Office.js operations, and JSON bytes sent and received.

Needs Node and `npm ci` in tests/officejs. Run:
    python benchmarks/bench_officejs.py
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
os.environ["XLWINGS_ON_SERVER"] = "true"

import httpx

ROOT = Path(__file__).resolve().parents[1]
NODE_PROJECT = ROOT / "tests" / "officejs"
sys.path[:0] = [str(Path(__file__).parent), str(ROOT / "tests"), str(ROOT / "tests" / "server")]

from common import synthetic_sheets  # noqa: E402
from workbooks import demo_inputs, manifest_excel_api, seed_from_xlsx  # noqa: E402

from xl_addin.io.write_inputs import write_input_workbook  # noqa: E402
from xl_addin.server import client as xlwings_client  # noqa: E402

PUBLIC_URL = "https://kpis.example.gov.uk"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "xl_addin.cli", "serve", "--host", "127.0.0.1", "--port",
         str(port), "--public-url", PUBLIC_URL, "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("xl-addin serve did not start")


def main() -> None:
    if not (NODE_PROJECT / "node_modules").is_dir():
        raise SystemExit("run `npm ci` in tests/officejs first")
    subprocess.run(
        ["node", "generate-schema.mjs"], cwd=NODE_PROJECT, check=True, capture_output=True
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        large = folder / "Benchmark 200x120.xlsx"
        write_input_workbook(synthetic_sheets(), large)
        seeds = {
            "demo (32 measures x 13 months)": seed_from_xlsx(demo_inputs(folder)),
            "200 measures x 120 months": seed_from_xlsx(large),
        }
        seeds_file = folder / "seeds.json"
        seeds_file.write_text(json.dumps(seeds, default=str))
        process, base = start_server()
        try:
            excel_api = manifest_excel_api(httpx.get(f"{base}/manifest.xml").text)
            done = subprocess.run(
                ["node", "bench.mjs", base, str(xlwings_client.static_dir()), excel_api,
                 str(seeds_file)],
                cwd=NODE_PROJECT, capture_output=True, text=True, timeout=1800, check=False,
            )  # fmt: skip
        finally:
            process.terminate()
            process.wait(timeout=20)
    if done.returncode != 0:
        raise SystemExit(f"node bench.mjs failed:\n{done.stdout}\n{done.stderr}")
    results = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"One Refresh through xlwings-server {xlwings_client.version()}'s Office.js client "
        f"(fake Excel at ExcelApi {excel_api}); each context.sync() is a network round trip "
        "in Excel on the web.\n"
    )
    header = (
        "| workbook | refresh | actions | context.sync() calls | Office.js operations "
        "| JSON sent | JSON received |"
    )
    print(header)
    print("|---|---|---|---|---|---|---|")
    for label, runs in results.items():
        for run in runs:
            print(
                f"| {label} | {run['refresh']} | {run['actions']:,} | {run['syncs']:,} "
                f"| {run['operations']:,} | {run['requestBytes']:,} | {run['replyBytes']:,} |"
            )
    print(
        "\nJSON sent: the workbook as the client sends it (every sheet's values); received: "
        "the actions. Syncs per action: the client loads the worksheet list for every action."
    )


if __name__ == "__main__":
    main()
