"""The add-in server: a FastAPI app that Excel (Windows, Mac, the web) loads the KPIs add-in from.

It serves the manifest, the task pane, xlwings-server's Office.js client (read from the
installed package), the project's own script, and xlwings-server's route paths for scripts and
custom functions, answered with `xlwings.server`'s helpers:

    GET  /manifest.xml                          the add-in manifest (public HTTPS URLs)
    GET  /taskpane.html, /help.html             the task pane (shared runtime) and a help page
    GET  /xl-addin/commands.js                  the ribbon commands and chart callbacks
    GET  /xlwings/custom-scripts-meta[.json]    the ribbon's scripts
    POST /xlwings/custom-scripts-call/{name}    run one: workbook in, actions out (400: the
                                                analyst's problem, named by sheet and cell)
    GET  /xlwings/custom-functions-meta[.json]  RAG, DIRECTION, ... for Excel
    GET  /xlwings/custom-functions-code[.js]    their JavaScript
    POST /xlwings/custom-functions-call         one call (400: #VALUE! with the reason)
    GET  /xlwings/alert                         the dialog page (messages, the Export link)
    GET  /xl-addin/downloads/{token}            a board pack made by Export
    GET  /health                                for IT's monitoring

Every route sits under the public URL's path, so a proxy can forward a sub-path unchanged.
"""

from __future__ import annotations

from . import mode

# isort: split
import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import xlwings as xw
from fastapi import APIRouter, Body, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from xlwings import XlwingsError
from xlwings.server import (
    custom_functions_call,
    custom_functions_meta,
    custom_scripts_call,
    custom_scripts_meta,
)

from .. import __version__
from ..excel import functions
from ..excel.addin import sources_dir
from . import client, scripts
from .downloads import DownloadStore
from .functions_js import functions_code, worksheet_functions
from .icons import ICONS, SIZES, png
from .options import ServerOptions
from .pages import Pages

log = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JS = "text/javascript; charset=utf-8"
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$]{0,100}$")
_NO_STORE = {"Cache-Control": "no-cache"}


def _problem(status: int, message: str) -> JSONResponse:
    """xlwings-server's client shows `detail` to the analyst (a dialog, or #VALUE!)."""
    return JSONResponse({"detail": message}, status_code=status)


def create_app(options: ServerOptions) -> FastAPI:
    mode.check()
    meta = custom_functions_meta(functions)
    if not meta["functions"]:
        raise RuntimeError("xl_addin.excel.functions declares no worksheet functions")
    function_names = {name for name, _, _ in worksheet_functions(functions)}
    pages = Pages(options, meta)
    store = DownloadStore()
    static = client.static_dir()
    officejs = sources_dir() / "officejs"

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            store.close()

    app = FastAPI(
        title="xl_addin add-in server",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.options = options
    app.state.pages = pages
    app.state.downloads = store
    router = APIRouter(prefix=options.app_path)

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    # -- Pages ------------------------------------------------------------------------------

    @router.get("/health")
    def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "xl_addin": __version__,
            "xlwings": xw.__version__,
            "xlwings_server": client.version(),
            "public_url": options.public_url,
        }

    @router.get("/manifest.xml")
    @router.get("/manifest")
    def manifest(download: bool = False) -> Response:
        headers = dict(_NO_STORE)
        if download:
            headers["Content-Disposition"] = 'attachment; filename="kpis-manifest.xml"'
        return Response(pages.manifest(), media_type="application/xml", headers=headers)

    @router.get("/", response_class=HTMLResponse)
    @router.get("/help.html", response_class=HTMLResponse)
    def help_page() -> HTMLResponse:
        return HTMLResponse(pages.help(), headers=_NO_STORE)

    @router.get("/taskpane.html", response_class=HTMLResponse)
    @router.get("/taskpane", response_class=HTMLResponse)
    def taskpane() -> HTMLResponse:
        return HTMLResponse(pages.taskpane(), headers=_NO_STORE)

    @router.get("/xl-addin/commands.js")
    def commands_js() -> Response:
        return Response(pages.commands_js(), media_type=JS, headers=_NO_STORE)

    @router.get("/static/xl-addin/xl-addin.css")
    def stylesheet() -> FileResponse:
        return FileResponse(officejs / "xl-addin.css", media_type="text/css")

    @router.get("/static/xl-addin/download.js")
    def download_js() -> FileResponse:
        return FileResponse(officejs / "download.js", media_type=JS)

    @router.get("/static/xl-addin/icons/{name}-{size}.png")
    def icon(name: str, size: int) -> Response:
        if name not in ICONS or size not in SIZES:
            return PlainTextResponse("No such icon.", status_code=404)
        return Response(png(name, size), media_type="image/png")

    @router.get("/xlwings/alert", response_class=HTMLResponse)
    def alert(
        prompt: str = "",
        title: str = "",
        buttons: str = "ok",
        mode: str = "info",
        callback: str = "",
        download: str = "",
    ) -> HTMLResponse:
        item = store.get(download) if download else None
        link = None
        if item is not None:
            link = {
                "url": pages.path(f"xl-addin/downloads/{item.token}"),
                "filename": item.filename,
                "minutes": round(store.keep_seconds / 60),
            }
        return HTMLResponse(
            pages.alert(
                prompt=prompt,
                title=title,
                buttons=buttons,
                mode=mode,
                callback=callback if _CALLBACK.match(callback) else "",
                download=link,
                download_expired=bool(download) and item is None,
            )
        )

    @router.get("/xl-addin/downloads/{token}")
    def board_pack(token: str) -> Response:
        item = store.get(token)
        if item is None:
            return PlainTextResponse(
                "This download has expired or does not exist. Press Export again.",
                status_code=404,
            )
        return FileResponse(item.path, media_type=XLSX, filename=item.filename)

    # -- Scripts: the ribbon's actions ------------------------------------------------------

    @router.get("/xlwings/custom-scripts-meta")
    @router.get("/xlwings/custom-scripts-meta.json")
    def scripts_meta() -> list[dict[str, Any]]:
        return custom_scripts_meta(scripts.SERVER_SCRIPTS)

    # A plain `def`: FastAPI runs it in a worker thread, so a refresh (CPU-bound) does not hold
    # up custom-function calls from other workbooks.
    @router.post("/xlwings/custom-scripts-call/{script_name}")
    def scripts_call(script_name: str, payload: Annotated[dict[str, Any], Body()]) -> Response:
        if script_name not in scripts.script_names():
            return _problem(404, f"This server has no script called '{script_name}'.")
        args = payload.pop("args", None) or []
        if not isinstance(args, list):
            return _problem(400, "'args' must be a JSON array.")
        try:
            book = xw.Book(json=payload)
        except Exception as exc:
            log.warning("not a workbook payload: %s", exc)
            return _problem(
                400,
                "The request does not carry the workbook as the KPIs add-in sends it "
                f"({type(exc).__name__}: {exc}). Reload the add-in and try again.",
            )
        outcome, token = scripts.begin(store)
        try:
            asyncio.run(
                custom_scripts_call(
                    scripts.SERVER_SCRIPTS,
                    script_name,
                    typehint_to_value={xw.Book: book},
                    args=args,
                )
            )
            reply: dict[str, Any] = book.json()
        except scripts.ScriptFailed as exc:
            return _problem(500 if exc.unexpected else 400, exc.message)
        except XlwingsError as exc:
            return _problem(400, str(exc))
        finally:
            scripts.end(token)
            book.close()
        if outcome.message:
            reply["message"] = outcome.message
        if outcome.download is not None:
            reply["download"] = {
                "token": outcome.download.token,
                "url": pages.path(f"xl-addin/downloads/{outcome.download.token}"),
                "filename": outcome.download.filename,
            }
        return JSONResponse(reply)

    # -- Custom functions: RAG, DIRECTION, ... ---------------------------------------------

    @router.get("/xlwings/custom-functions-meta")
    @router.get("/xlwings/custom-functions-meta.json")
    def functions_meta() -> dict[str, Any]:
        return meta

    @router.get("/xlwings/custom-functions-code")
    @router.get("/xlwings/custom-functions-code.js")
    def functions_js() -> Response:
        return Response(
            functions_code(functions, options.app_path), media_type=JS, headers=_NO_STORE
        )

    @router.post("/xlwings/custom-functions-call")
    async def functions_call(data: Annotated[dict[str, Any], Body()]) -> Response:
        name = data.get("func_name")
        if name not in function_names:
            return _problem(400, f"This server has no worksheet function called '{name}'.")
        try:
            result = await custom_functions_call(data, functions)
        except XlwingsError as exc:  # the analyst's arguments: #VALUE! with this message
            return _problem(400, str(exc))
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("malformed custom-function call: %r", exc)
            return _problem(400, f"The call to {name} is not one Excel would send ({exc}).")
        return JSONResponse({"result": result})

    app.include_router(router)
    app.mount(
        f"{options.app_path}/static/xlwings",
        StaticFiles(directory=static),
        name="xlwings-client",
    )
    return app
