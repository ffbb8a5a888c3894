"""The server's routes under TestClient: scripts and custom functions (meta, code, call), the
dialog page, the board-pack download, and xlwings-server's client served from the installed
package."""

from __future__ import annotations

import asyncio
import copy
import hashlib
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from workbooks import bad_workbook, payload_from_seed, seed_from_xlsx
from xlwings.server import custom_functions_call

import xl_addin
from xl_addin.excel import functions
from xl_addin.excel.scripts import SCRIPTS
from xl_addin.server import client as xlwings_client
from xl_addin.server.functions_js import worksheet_functions

REPO = Path(__file__).resolve().parents[2]


def call_body(name: str, *args) -> dict:
    return {
        "client": "Office.js",
        "func_name": name,
        "args": list(args),
        "caller_address": "[Demo.xlsx]Scorecard!M9",
        "version": "0.37.8",
        "runtime": "1.4",
        "culture_info_name": "en-GB",
        "date_format": "dd/mm/yyyy",
    }


# -- Scripts ------------------------------------------------------------------------------------


def test_scripts_meta_lists_every_ribbon_script(client: TestClient, api: str) -> None:
    for route in ("custom-scripts-meta", "custom-scripts-meta.json"):
        meta = client.get(f"{api}/xlwings/{route}").json()
        assert sorted(m["function_name"] for m in meta) == sorted(SCRIPTS.values())


def test_refresh_answers_the_actions_that_build_every_sheet(
    client: TestClient, api: str, demo_payload: dict, demo_inputs_path: Path
) -> None:
    response = client.post(
        f"{api}/xlwings/custom-scripts-call/{SCRIPTS['refresh']}", json=demo_payload
    )
    assert response.status_code == 200, response.text
    reply = response.json()
    results = xl_addin.compute(xl_addin.read_inputs(demo_inputs_path))
    assert f"{results.reporting_month:%B %Y}" in reply["message"]
    added = [a["args"][1] for a in reply["actions"] if a["func"] == "addSheet"]
    plan_sheets = [s.name for s in xl_addin.render.render_plan(results).sheets]
    assert added == plan_sheets


@pytest.mark.parametrize("action", ["refresh", "validate", "export", "regenerate_charts"])
def test_a_problem_in_the_workbook_is_400_naming_sheet_and_cell(
    client: TestClient, api: str, tmp_path: Path, demo_inputs_path: Path, action: str
) -> None:
    bad = bad_workbook(tmp_path, demo_inputs_path)
    response = client.post(
        f"{api}/xlwings/custom-scripts-call/{SCRIPTS[action]}",
        json=payload_from_seed(bad["seed"]),
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert f"{bad['cell']}: {bad['expected']}" in detail


def test_apply_rag_before_any_refresh_says_what_to_do(
    client: TestClient, api: str, demo_payload: dict
) -> None:
    response = client.post(
        f"{api}/xlwings/custom-scripts-call/{SCRIPTS['apply_rag']}", json=demo_payload
    )
    assert response.status_code == 400
    assert "Refresh KPIs" in response.json()["detail"]


def test_an_unexpected_failure_is_500_with_a_plain_message(
    client: TestClient, api: str, demo_payload: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xl_addin.excel import actions

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(actions, "compute", broken)
    response = client.post(
        f"{api}/xlwings/custom-scripts-call/{SCRIPTS['refresh']}", json=demo_payload
    )
    assert response.status_code == 500
    detail = response.json()["detail"]
    assert "disk on fire" in detail and "Traceback" not in detail


def test_export_cannot_be_told_where_to_write_on_the_server(
    client: TestClient, api: str, demo_payload: dict, tmp_path: Path
) -> None:
    target = tmp_path / "planted.xlsx"
    body = {**copy.deepcopy(demo_payload), "args": [str(target)]}
    response = client.post(f"{api}/xlwings/custom-scripts-call/{SCRIPTS['export']}", json=body)
    assert response.status_code == 400
    assert not target.exists()


def test_unknown_script_and_a_body_that_is_no_workbook(client: TestClient, api: str) -> None:
    assert client.post(f"{api}/xlwings/custom-scripts-call/__init__", json={}).status_code == 404
    response = client.post(
        f"{api}/xlwings/custom-scripts-call/{SCRIPTS['refresh']}", json={"hello": 1}
    )
    assert response.status_code == 400
    assert "workbook" in response.json()["detail"]


# -- Export: the board pack as a download --------------------------------------------------------


def test_export_hands_over_the_board_pack_as_a_download(
    client: TestClient, api: str, demo_payload: dict, demo_inputs_path: Path
) -> None:
    response = client.post(
        f"{api}/xlwings/custom-scripts-call/{SCRIPTS['export']}", json=demo_payload
    )
    assert response.status_code == 200, response.text
    download = response.json()["download"]
    results = xl_addin.compute(xl_addin.read_inputs(demo_inputs_path))
    assert download["filename"] == (
        f"{demo_inputs_path.stem} - board pack {results.reporting_month:%Y-%m}.xlsx"
    )
    pack = client.get(download["url"])
    assert pack.status_code == 200
    assert "attachment" in pack.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(pack.content), read_only=True)
    plan = xl_addin.export.pack_plan(results, None)
    assert book.sheetnames == list(plan.sheet_names)

    dialog = client.get(
        f"{api}/xlwings/alert",
        params={"prompt": "Ready", "title": "Export", "download": download["token"]},
    ).text
    assert download["url"] in dialog and download["filename"] in dialog


def test_a_download_expires(
    client: TestClient, api: str, demo_payload: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = client.app.state.downloads
    monkeypatch.setattr(store, "keep_seconds", 0)
    response = client.post(
        f"{api}/xlwings/custom-scripts-call/{SCRIPTS['export']}", json=demo_payload
    )
    download = response.json()["download"]
    assert client.get(download["url"]).status_code == 404
    assert not (store.folder / download["token"]).exists(), "the file is deleted"
    page = client.get(f"{api}/xlwings/alert", params={"download": download["token"]}).text
    assert "expired" in page
    assert client.get(f"{api}/xl-addin/downloads/not-a-token").status_code == 404


# -- The dialog page -------------------------------------------------------------------------


def test_dialog_shows_the_message_as_text_with_its_lines(client: TestClient, api: str) -> None:
    prompt = "The workbook has 1 problem to fix:\n- Data!N7: <b>bold</b>\n\nNothing changed."
    page = client.get(
        f"{api}/xlwings/alert",
        params={"prompt": prompt, "title": "Refresh KPIs", "mode": "critical", "callback": "x()"},
    ).text
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold" not in page
    assert "The workbook has 1 problem to fix:<br />- Data!N7" in page
    assert 'data-callback=""' in page, "only a function name can be a callback"
    assert "/static/xlwings/js/alerts/dialog.js" in page


# -- Custom functions ------------------------------------------------------------------------


def test_functions_meta_and_code_cover_every_worksheet_function(
    client: TestClient, api: str
) -> None:
    declared = {fid for _, fid, _ in worksheet_functions(functions)}
    meta = client.get(f"{api}/xlwings/custom-functions-meta.json").json()
    assert {f["id"] for f in meta["functions"]} == declared
    assert {"RAG", "DIRECTION", "ROLLING_IN_YEAR", "RATE_PER_10K", "KPI_FORECAST"} <= declared
    code = client.get(f"{api}/xlwings/custom-functions-code.js").text
    assert set(re.findall(r'CustomFunctions\.associate\("([^"]+)"', code)) == declared
    assert f"{api}/xlwings/custom-functions-call" in code
    assert "placeholder_xlwings_version" not in code
    assert "placeholder_custom_functions_call_path" not in code


def test_function_calls_answer_as_xlwings_does_in_process(client: TestClient, api: str) -> None:
    bodies = [
        call_body("RAG", [[0.80], [0.83], [""]], [[0.82]] * 3, None, None, None, None),
        call_body("DIRECTION", [[630]], [[600]], [["lower"]]),
        call_body("RATE_PER_10K", [[120]], [[33000]]),
        call_body(
            "ROLLING_IN_YEAR",
            [[10], [20], [30]],
            [[100], [100], [100]],
            [[44651], [44681], [44712]],
            None,
        ),
        call_body("KPI_FORECAST", [[0.5], [0.6], [0.7]], [[44651], [44681], [44712]], [[44834]]),
    ]
    for body in bodies:
        response = client.post(f"{api}/xlwings/custom-functions-call", json=body)
        assert response.status_code == 200, response.text
        expected = asyncio.run(custom_functions_call(copy.deepcopy(body), functions))
        assert response.json()["result"] == json.loads(json.dumps(expected)), body["func_name"]
    rag = client.post(f"{api}/xlwings/custom-functions-call", json=bodies[0]).json()
    assert rag["result"] == [[xl_addin.rag(0.80, 0.82)], [xl_addin.rag(0.83, 0.82)], [""]]


def test_a_bad_argument_is_400_with_the_reason(client: TestClient, api: str) -> None:
    body = call_body("RAG", [[0.8]], [[0.82]], [["sideways"]], None, None, None)
    response = client.post(f"{api}/xlwings/custom-functions-call", json=body)
    assert response.status_code == 400, "400 is not retried by the client; #VALUE! at once"
    assert "polarity" in response.json()["detail"]
    unknown = client.post(f"{api}/xlwings/custom-functions-call", json=call_body("__class__"))
    assert unknown.status_code == 400


# -- The client and the task pane -----------------------------------------------------------


def test_the_client_is_served_from_the_installed_package(client: TestClient, api: str) -> None:
    static = xlwings_client.static_dir()
    for relative in ("js/custom-scripts/index.js", "js/alerts/dialog.js", "js/config.js"):
        served = client.get(f"{api}/static/xlwings/{relative}")
        assert served.status_code == 200
        assert served.content == (static / relative).read_bytes()


def test_no_file_of_the_client_is_copied_into_the_repository() -> None:
    def digest(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    client_files = {digest(p) for p in xlwings_client.static_dir().rglob("*.js")}
    ours = [
        p
        for folder in ("addin", "xl_addin", "tests")
        for p in (REPO / folder).rglob("*.js")
        if "node_modules" not in p.parts and "build" not in p.parts
    ]
    assert ours, "the project's own scripts were found"
    assert not [p for p in ours if digest(p) in client_files]


def test_task_pane_gives_the_client_every_setting_it_reads(client: TestClient, api: str) -> None:
    page = client.get(f"{api}/taskpane.html").text
    config = json.loads(re.search(r'<script id="config"[^>]*>(.*?)</script>', page, re.S)[1])
    assert xlwings_client.config_keys() <= set(config)
    assert config["appPath"] == api
    for script in (
        "/static/xlwings/js/custom-scripts/index.js",
        "/xlwings/custom-functions-code.js",
        "/xl-addin/commands.js",
    ):
        assert f'src="{api}{script}"' in page


def test_the_handler_table_is_read_from_the_installed_client() -> None:
    handled = xlwings_client.handled_actions()
    text = (xlwings_client.static_dir() / xlwings_client.HANDLERS_FILE).read_text()
    for name in handled:
        assert re.search(rf"^\s*{name}:", text, re.M), name
    assert len(handled) > 50


def test_a_client_without_the_handler_table_fails_loudly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "static"
    (fake / "js" / "custom-scripts").mkdir(parents=True)
    (fake / "js" / "custom-scripts" / "index.js").write_text("export const handlers = {};\n")
    monkeypatch.setattr(xlwings_client, "static_dir", lambda: fake)
    xlwings_client.handled_actions.cache_clear()
    try:
        with pytest.raises(xl_addin.errors.XlAddinError, match="action table"):
            xlwings_client.handled_actions()
    finally:
        xlwings_client.handled_actions.cache_clear()


def test_health(client: TestClient, api: str) -> None:
    health = client.get(f"{api}/health").json()
    assert health["status"] == "ok"
    assert health["xlwings_server"] == xlwings_client.version()


def test_seed_round_trip_keeps_the_demo_inputs(demo_inputs_path: Path) -> None:
    """The payload the tests post carries the workbook's own values (a check of the helper)."""
    seed = seed_from_xlsx(demo_inputs_path)
    payload = payload_from_seed(seed)
    data = next(s for s in payload["sheets"] if s["name"] == "Data")
    assert data["values"][0][0] == "field"
    assert data["values"][0][1].startswith("2021-10-31")
