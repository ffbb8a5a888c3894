"""Every action the ribbon's scripts can send to Excel has a handler in the pinned client.

The actions come from running each script on workbooks that take every path of the backend
(first refresh, refresh over a workbook refreshed on the desktop, a section dropped since the
last refresh, a generated table moved by hand, partial commands, messages); the handlers come
from the installed xlwings-server's own table (`funcs` in index.js). An xlwings or
xlwings-server upgrade that emits or handles differently fails here, before it reaches Excel.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from workbooks import payload_from_seed, seed_from_xlsx

import xl_addin
from xl_addin.excel.backend import REGISTRY_NAME
from xl_addin.excel.scripts import SCRIPTS
from xl_addin.ooxml import registry
from xl_addin.render.names import CHARTS_PREFIX
from xl_addin.server import client as xlwings_client


@pytest.fixture(scope="module")
def refreshed_payload(demo_inputs_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The demo as the desktop add-in (or `xl-addin refresh`) leaves it: generated sheets,
    tables, charts and the registry name."""
    out = tmp_path_factory.mktemp("refreshed") / "Refreshed.xlsx"
    xl_addin.refresh(demo_inputs_path, out=out)
    return payload_from_seed(seed_from_xlsx(out))


def with_retired_section(payload: dict) -> dict:
    """A Charts sheet from a section the Measures sheet no longer has: refresh deletes it."""
    payload = copy.deepcopy(payload)
    retired = f"{CHARTS_PREFIX}Retired section"
    payload["sheets"].append(
        {
            "name": retired,
            "values": [["old"]],
            "pictures": [],
            "tables": [],
            "charts": [],
            "visibility": "Visible",
        }
    )
    for name in payload["names"]:
        if name["name"] == REGISTRY_NAME:
            sheets = registry.decode(name["refers_to"]) or []
            name["refers_to"] = "=" + registry.encode([*sheets, retired])
    return payload


def with_moved_table(payload: dict) -> dict:
    """A generated table moved down by hand: refresh removes its cells and adds it afresh."""
    payload = copy.deepcopy(payload)
    for sheet in payload["sheets"]:
        for table in sheet["tables"]:
            start, end = table["range_address"].replace("$", "").split(":")
            col0, row0 = start.rstrip("0123456789"), int(start.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            col1, row1 = end.rstrip("0123456789"), int(end.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            table["range_address"] = f"${col0}${row0 + 3}:${col1}${row1 + 3}"
            sheet["values"] = [[""] * len(sheet["values"][0])] * 3 + sheet["values"]
            return payload
    raise AssertionError("the refreshed demo has a generated table")


def emitted(client: TestClient, api: str, script: str, payload: dict) -> list[str]:
    response = client.post(f"{api}/xlwings/custom-scripts-call/{script}", json=payload)
    assert response.status_code == 200, response.text
    actions = response.json()["actions"]
    return [a["func"] for a in actions]


def test_every_action_the_scripts_emit_is_handled_by_the_pinned_client(
    client: TestClient, api: str, demo_payload: dict, refreshed_payload: dict
) -> None:
    runs = {
        "first refresh": (SCRIPTS["refresh"], demo_payload),
        "refresh over the desktop's": (SCRIPTS["refresh"], refreshed_payload),
        "refresh, a section retired": (SCRIPTS["refresh"], with_retired_section(refreshed_payload)),
        "refresh, a table moved": (SCRIPTS["refresh"], with_moved_table(refreshed_payload)),
        "charts, a section retired": (
            SCRIPTS["regenerate_charts"],
            with_retired_section(refreshed_payload),
        ),
        "apply RAG": (SCRIPTS["apply_rag"], refreshed_payload),
        "regenerate charts": (SCRIPTS["regenerate_charts"], refreshed_payload),
        "validate": (SCRIPTS["validate"], demo_payload),
        "export": (SCRIPTS["export"], demo_payload),
        "help": (SCRIPTS["help"], demo_payload),
    }
    handled = xlwings_client.handled_actions()
    seen: dict[str, set[str]] = {}
    for label, (script, payload) in runs.items():
        for func in emitted(client, api, script, payload):
            seen.setdefault(func, set()).add(label)
    unhandled = {func: sorted(labels) for func, labels in seen.items() if func not in handled}
    assert unhandled == {}, f"xlwings-server {xlwings_client.version()} cannot apply these"
    # The runs took the backend's paths: deleting sheets, charts and moved tables included.
    assert {"sheetDelete", "deleteChart", "rangeDelete", "runMacro", "alert"} <= set(seen)
    assert len(seen) >= 20
