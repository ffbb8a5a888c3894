"""Render plan (plain data) for the generated sheets, and the backends that draw it.

    from xl_addin.render import render_plan, write_scratch
    plan = render_plan(results)
    write_scratch(plan, "generated.xlsx")

Backends load on first use, so building a plan (say, for the xlwings backend) imports no
Excel library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .build import render_plan
from .plan import Plan, SheetPlan

if TYPE_CHECKING:
    from .xlsx_scratch import render_scratch, write_scratch

__all__ = ["Plan", "SheetPlan", "render_plan", "render_scratch", "write_scratch"]


def __getattr__(name: str) -> Any:
    if name in ("write_scratch", "render_scratch"):
        from . import xlsx_scratch

        return getattr(xlsx_scratch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
