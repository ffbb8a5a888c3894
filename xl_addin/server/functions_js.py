"""The custom-functions script Excel loads: xlwings-server's glue plus one association per
worksheet function.

xlwings 0.37.8's `custom_functions_code()` raises FileNotFoundError (the glue moved to
xlwings-server), so this does what xlwings-server's own route does: take its template, fill in
the xlwings version and the call route, and append, for every function the module declares,
a JavaScript function that posts to the server and `CustomFunctions.associate(id, fn)`.
"""

from __future__ import annotations

from . import mode as _server_mode  # noqa: F401  (sets server mode before xlwings)

# isort: split
import inspect
import json
from types import ModuleType

import xlwings as xw

from . import client

CALL_ROUTE = "/xlwings/custom-functions-call"


def worksheet_functions(module: ModuleType) -> list[tuple[str, str, bool]]:
    """(Python name, custom-function id, streaming) for every `@xw.func` in `module`, in the
    order `custom_functions_meta` lists them (the id is the upper-cased Python name)."""
    out = []
    for name, obj in inspect.getmembers(module):
        if hasattr(obj, "__xlfunc__"):
            out.append((name, name.upper(), inspect.isasyncgenfunction(obj)))
    return out


def functions_code(module: ModuleType, app_path: str) -> str:
    js = client.functions_template()
    js = js.replace("placeholder_xlwings_version", xw.__version__)
    js = js.replace("placeholder_custom_functions_call_path", app_path + CALL_ROUTE)
    lines = ["", "// xl_addin: one association per worksheet function."]
    for name, function_id, streaming in worksheet_functions(module):
        options = {
            "funcName": name,
            "isStreaming": streaming,
            "isCached": False,
            "callerScoped": False,
        }
        lines.append(
            f"CustomFunctions.associate({json.dumps(function_id)}, async function () {{\n"
            f"  return await base({json.dumps(options)}, ...arguments);\n"
            "});"
        )
    return js + "\n".join(lines) + "\n"
