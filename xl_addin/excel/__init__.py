"""The Excel add-in: ribbon actions on an open workbook, worksheet functions, the .xlam build.

    import xl_addin.excel as kpis
    kpis.refresh(book)            # any xw.Book: desktop Excel, or xw.Book(json=payload)
    kpis.apply_rag(book); kpis.regenerate_charts(book); kpis.validate(book)
    kpis.export(book, out="pack.xlsx")

With no book, each action works on the workbook whose ribbon button called it. Worksheet
functions live in `xl_addin.excel.functions` (the module to list under "UDF Modules"); Office.js
scripts in `xl_addin.excel.scripts`; `build_addin(out)` assembles `xl_addin.xlam`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .actions import (
    ActionResult,
    apply_rag,
    export,
    refresh,
    regenerate_charts,
    show_help,
    validate,
)

if TYPE_CHECKING:
    from .addin import build_addin

__all__ = [
    "ActionResult",
    "apply_rag",
    "build_addin",
    "export",
    "refresh",
    "regenerate_charts",
    "show_help",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name == "build_addin":  # loaded on use: it needs lxml and the template, not xlwings
        from .addin import build_addin

        return build_addin
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
