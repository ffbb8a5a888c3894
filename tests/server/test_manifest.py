"""The manifest the server hands to the admin centre, from the app and from a real process."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from lxml import etree
from manifest_checks import NS, buttons, function_names, parse, problems, resources, urls
from PIL import Image
from serving import PUBLIC_URL

from xl_addin.server.app import create_app
from xl_addin.server.options import server_options

# The KPIs tab the issue asks for, in ribbon order.
RIBBON = ["Refresh KPIs", "Apply RAG", "Regenerate charts", "Validate", "Export", "Help"]


@pytest.fixture(params=["app", "process"])
def fetch(request, client: TestClient, served: str):
    """GET a path of the server: from the app under TestClient, or a real `xl-addin serve`."""
    if request.param == "app":
        return lambda path: client.get(f"{urlsplit(PUBLIC_URL).path}/{path}")
    return lambda path: httpx.get(f"{served}/{path}", timeout=30)


def test_manifest_is_sound(fetch) -> None:
    response = fetch("manifest.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert problems(response.text, PUBLIC_URL) == []


def test_ribbon_has_the_kpis_tab_commands_and_a_task_pane(fetch) -> None:
    root = parse(fetch("manifest.xml").text)
    strings = resources(root)["ShortStrings"]
    tab = root.find(".//ov:CustomTab", NS)
    assert strings[tab.find("ov:Label", NS).get("resid")] == "KPIs"
    got = buttons(root)
    assert [label for label, kind in got if kind == "ExecuteFunction"] == RIBBON
    assert [kind for _, kind in got].count("ShowTaskpane") == 1


def test_one_shared_runtime_runs_ribbon_task_pane_and_functions(fetch) -> None:
    root = parse(fetch("manifest.xml").text)
    sets = {s.get("Name"): s.get("MinVersion") for s in root.iterfind(".//o:Set", NS)}
    assert sets["SharedRuntime"] == "1.1"
    runtime = root.find(".//ov:Runtimes/ov:Runtime", NS)
    assert runtime.get("lifetime") == "long"
    page = runtime.get("resid")
    assert root.find(".//ov:FunctionFile", NS).get("resid") == page
    functions = root.find(".//ov:ExtensionPoint[@xsi:type='CustomFunctions']", NS)
    assert functions.find("ov:Page/ov:SourceLocation", NS).get("resid") == page
    urls_ = resources(root)["Urls"]
    assert urls_[page] == f"{PUBLIC_URL}/taskpane.html"


def test_every_function_name_is_associated_by_the_served_script(fetch) -> None:
    names = function_names(parse(fetch("manifest.xml").text))
    script = fetch("xl-addin/commands.js").text
    associated = re.findall(r'Office\.actions\.associate\("([^"]+)"', script)
    assert sorted(names) == sorted(associated)
    assert len(names) == len(RIBBON)


def test_every_url_the_manifest_names_is_served(fetch) -> None:
    root = parse(fetch("manifest.xml").text)
    for url in urls(root):
        path = urlsplit(url).path[len(urlsplit(PUBLIC_URL).path) :].lstrip("/")
        if not path:  # the AppDomain (origin)
            continue
        response = fetch(path)
        assert response.status_code == 200, url
        if path.endswith(".png"):
            size = int(re.search(r"-(\d+)\.png$", path).group(1))
            assert Image.open(io.BytesIO(response.content)).size == (size, size), url


def test_images_are_declared_at_the_size_they_are(fetch) -> None:
    root = parse(fetch("manifest.xml").text)
    images = resources(root)["Images"]
    for element in root.iterfind(".//bt:Image[@size]", NS):
        url = images[element.get("resid")]
        assert url.endswith(f"-{element.get('size')}.png"), (element.get("resid"), url)


def test_the_add_in_id_is_stable_and_the_namespace_optional(options) -> None:
    def manifest(**kwargs):
        with TestClient(create_app(server_options(PUBLIC_URL, **kwargs))) as c:
            return parse(c.get(f"{urlsplit(PUBLIC_URL).path}/manifest.xml").text)

    plain = manifest()
    assert plain.findtext("o:Id", namespaces=NS) == options.manifest_id, "same URL, same add-in"
    assert plain.find(".//ov:Namespace", NS) is None, "=RAG() as in the desktop add-in"
    named = manifest(functions_namespace="kpi", add_in_id="6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b")
    assert named.findtext("o:Id", namespaces=NS) == "6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
    resid = named.find(".//ov:Namespace", NS).get("resid")
    assert resources(named)["ShortStrings"][resid] == "KPI"
    assert problems(etree.tostring(named, encoding="unicode"), PUBLIC_URL) == []


def test_a_faulty_manifest_is_caught() -> None:
    """The checks can fail: a dangling resid, an HTTP URL and an unknown element are found."""
    good = create_manifest_text()
    broken = good.replace('resid="Taskpane.Url"', 'resid="Taskpane.Missing"', 1).replace(
        f"{PUBLIC_URL}/help.html", "http://elsewhere.example/help.html", 1
    )
    found = problems(broken, PUBLIC_URL)
    assert any("Taskpane.Missing" in p for p in found)
    assert any("elsewhere.example" in p for p in found)


def create_manifest_text() -> str:
    with TestClient(create_app(server_options(PUBLIC_URL))) as c:
        return c.get(f"{urlsplit(PUBLIC_URL).path}/manifest.xml").text
