"""The manifest, task pane, help page and dialog, rendered from the templates in addin/officejs.

Pages link to the server's own files by path (same origin, whatever the proxy in front does);
the manifest carries absolute public HTTPS URLs, because Excel fetches it from elsewhere.
"""

from __future__ import annotations

from . import mode as _server_mode  # noqa: F401  (sets server mode before xlwings)

# isort: split
import re
from functools import cache
from typing import Any

import jinja2
import xlwings as xw

from .. import __version__
from ..excel.addin import sources_dir
from . import client
from .commands import TASKPANE, ribbon_commands
from .icons import ICONS
from .options import ServerOptions

OFFICE_JS = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js"
"""Microsoft's CDN: the office.js every Office add-in is expected to load."""
DESCRIPTION = (
    "Refresh a children's services performance workbook in one go: every KPI, its RAG rating "
    "against the target, native charts and commentary, then the board pack."
)
REQUEST_TIMEOUT_SECONDS = 300


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(sources_dir() / "officejs"),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def manifest_version() -> str:
    """Office wants four dot-separated numbers; a new release must raise it so Office reloads
    the add-in's files."""
    numbers = [int(n) for n in re.findall(r"\d+", __version__)][:4]
    return ".".join(str(n) for n in numbers + [0] * (4 - len(numbers)))


def signature(function: dict[str, Any]) -> str:
    return ", ".join(
        f"[{p['name']}]" if p.get("optional") else p["name"] for p in function["parameters"]
    )


class Pages:
    """Renders every page of one server (one `ServerOptions`)."""

    def __init__(self, options: ServerOptions, functions_meta: dict[str, Any]) -> None:
        self.options = options
        self.commands = ribbon_commands()
        self.functions = [
            {
                "name": f["name"],
                "description": " ".join(f["description"].split()),
                "signature": signature(f),
            }
            for f in sorted(functions_meta["functions"], key=lambda f: f["name"])
        ]

    def path(self, relative: str) -> str:
        return f"{self.options.app_path}/{relative.lstrip('/')}"

    def static(self, relative: str) -> str:
        return self.path(f"static/{relative}")

    def icon_path(self, name: str, size: int) -> str:
        return self.static(f"xl-addin/icons/{name}-{size}.png")

    def icon_url(self, name: str, size: int) -> str:
        """The absolute public URL of an icon, as the manifest needs it."""
        return self.options.url(f"static/xl-addin/icons/{name}-{size}.png")

    def _common(self) -> dict[str, Any]:
        return {
            "options": self.options,
            "commands": self.commands,
            "taskpane": dict(zip(("label", "tip", "icon"), TASKPANE, strict=True)),
            "functions": self.functions,
            "namespace": self.options.functions_namespace,
            "version": __version__,
            "client_version": client.version(),
            "office_js": OFFICE_JS,
            "path": self.path,
            "static": self.static,
            "url": self.options.url,
            "icon_url": self.icon_path,
        }

    def render(self, template: str, **context: Any) -> str:
        return environment().get_template(template).render({**self._common(), **context})

    def manifest(self) -> str:
        return self.render(
            "manifest.xml",
            manifest_version=manifest_version(),
            description=DESCRIPTION,
            icons=sorted(ICONS),
            icon_url=self.icon_url,
        )

    def client_config(self) -> dict[str, Any]:
        """What xlwings-server's client reads from the page (`config.<key>`)."""
        return {
            "appPath": self.options.app_path,
            "authProviders": [],
            "customFunctionsMaxRetries": 3,
            "customFunctionsRetryCodes": [500, 502, 503, 504],
            "environment": "prod",
            "isOfficialLiteAddin": False,
            "onWasm": False,
            "pyodideBaseUrl": "",
            "requestTimeout": REQUEST_TIMEOUT_SECONDS,
            "taskpaneReloadAttempts": 2,
            "xlwingsVersion": xw.__version__,
        }

    def addin_config(self) -> dict[str, Any]:
        """What xl-addin.js reads: where the server is and which script each command runs."""
        return {
            "appPath": self.options.app_path,
            "namespace": self.options.functions_namespace,
            "commands": [
                {
                    "id": c.id,
                    "script": c.script,
                    "label": c.label,
                    "functionName": c.function_name,
                }
                for c in self.commands
            ],
        }

    def taskpane(self) -> str:
        return self.render(
            "taskpane.html",
            client_config=self.client_config(),
            addin_config=self.addin_config(),
        )

    def help(self) -> str:
        return self.render("help.html")

    def alert(
        self,
        prompt: str,
        title: str,
        buttons: str,
        mode: str,
        callback: str,
        download: dict[str, Any] | None,
        download_expired: bool,
    ) -> str:
        paragraphs = [block.split("\n") for block in prompt.replace("\r", "").split("\n\n")]
        return self.render(
            "alert.html",
            title=title or "KPIs",
            paragraphs=paragraphs,
            buttons=buttons or "ok",
            mode="critical" if mode == "critical" else "info",
            callback=callback,
            download=download,
            download_expired=download_expired,
        )

    def commands_js(self) -> str:
        """The project's script and one association per ribbon command (FunctionName)."""
        script = (sources_dir() / "officejs" / "xl-addin.js").read_text(encoding="utf-8")
        lines = ["", "// Ribbon commands: one per <FunctionName> in the manifest."]
        for command in self.commands:
            lines.append(
                f'Office.actions.associate("{command.function_name}", '
                f'xlAddin.command("{command.id}"));'
            )
        return script + "\n".join(lines) + "\n"
