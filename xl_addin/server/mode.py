"""Put xlwings in server mode before anything imports it.

xlwings picks its decorators when it is imported: with XLWINGS_ON_SERVER=true, `@xw.func` and
`@xw.script` register Office.js custom functions and scripts; without it they do nothing on
Linux, and the server would offer no functions. Every server module that imports xlwings
imports this first.
"""

from __future__ import annotations

import os

os.environ["XLWINGS_ON_SERVER"] = "true"


def check() -> None:
    """Fail clearly if xlwings was imported, in the wrong mode, before this module."""
    import xlwings

    if not getattr(xlwings, "on_server", False):
        raise RuntimeError(
            "xlwings was imported before xl_addin.server set XLWINGS_ON_SERVER=true, so its "
            "worksheet functions and scripts are not registered. Import xl_addin.server.app "
            "before xlwings, or set XLWINGS_ON_SERVER=true in the environment."
        )
