"""The Office.js client of the pinned xlwings-server package, read where pip installed it.

xl_addin serves xlwings-server's JavaScript unchanged (its `static/` folder) rather than a copy
of its own: the handlers that apply refresh's actions inside Excel belong to the same release as
the xlwings that emits them (pyproject pins the pair). Nothing here imports xlwings_server (its
import reads settings from the environment and wants a project folder); the files are found
through the import system and read as text.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
from functools import cache
from pathlib import Path

from ..errors import XlAddinError

PACKAGE = "xlwings_server"
HANDLERS_FILE = "js/custom-scripts/index.js"
FUNCTIONS_TEMPLATE = "js/custom-functions/custom-functions-code.js"
_FUNCS_TABLE = re.compile(r"^let funcs = \{\n(?P<body>.*?)^\};", re.MULTILINE | re.DOTALL)
_TABLE_KEY = re.compile(r"^\s*(?P<key>[A-Za-z_$][\w$]*)\s*:", re.MULTILINE)
_CONFIG_KEY = re.compile(r"\bconfig\??\.(?!js\b)(?P<key>[A-Za-z_]\w*)")
# The client scripts whose `config.<key>` reads the task pane must satisfy (not the optional
# integrations such as htmx, which the task pane does not load).
CONFIG_READERS = ("js/*.js", "js/custom-scripts/*.js", "js/alerts/*.js", FUNCTIONS_TEMPLATE)


def package_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise XlAddinError(
            'The Office add-in server is not installed: pip install "xl_addin[server]" '
            "(it brings xlwings-server, whose JavaScript the add-in runs)."
        )
    return Path(next(iter(spec.submodule_search_locations)))


def static_dir() -> Path:
    """xlwings-server's `static/` folder: the client, its dialog page script and office.js."""
    path = package_dir() / "static"
    if not (path / HANDLERS_FILE).is_file():
        raise XlAddinError(f"xlwings-server at {package_dir()} has no {HANDLERS_FILE}")
    return path


def version() -> str:
    return importlib.metadata.version("xlwings-server")


@cache
def handled_actions() -> frozenset[str]:
    """Every action name the client can apply: the keys of the `funcs` table in index.js (the
    table `dispatchActions` looks actions up in). A release that renames the table fails here
    loudly rather than leaving refresh half-applied in Excel."""
    text = (static_dir() / HANDLERS_FILE).read_text(encoding="utf-8")
    match = _FUNCS_TABLE.search(text)
    if match is None:
        raise XlAddinError(
            f"Cannot find the action table (`let funcs = {{...}}`) in xlwings-server's "
            f"{HANDLERS_FILE}: this release is not the one xl_addin was built against."
        )
    return frozenset(m.group("key") for m in _TABLE_KEY.finditer(match.group("body")))


def functions_template() -> str:
    """The custom-functions glue that xlwings-server completes per function (its own route
    reads the same file; xlwings 0.37.8's `custom_functions_code()` no longer can)."""
    return (static_dir() / FUNCTIONS_TEMPLATE).read_text(encoding="utf-8")


@cache
def config_keys() -> frozenset[str]:
    """Every `config.<key>` the client's scripts read: the task pane must provide them all."""
    keys: set[str] = set()
    for pattern in CONFIG_READERS:
        for path in static_dir().glob(pattern):
            keys.update(m.group("key") for m in _CONFIG_KEY.finditer(path.read_text("utf-8")))
    return frozenset(keys)
