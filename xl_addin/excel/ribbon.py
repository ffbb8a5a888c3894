"""The desktop ribbon's entry point: one VBA callback passes the button's tag here.

Keeping a single dispatcher means buttons are added or renamed in `customUI.xml` and this table
alone; the VBA (which cannot be written on Linux) never changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import actions

ACTIONS: dict[str, Callable[..., actions.ActionResult]] = {
    "refresh": actions.refresh,
    "apply_rag": actions.apply_rag,
    "regenerate_charts": actions.regenerate_charts,
    "export": actions.export,
    "validate": actions.validate,
    "help": actions.show_help,
}


def dispatch(tag: str, book: Any = None) -> actions.ActionResult:
    """Run the action a ribbon button's `tag` names, on `book` (default: the calling book)."""
    action = ACTIONS.get(tag)
    if action is None:
        book = actions.caller_book(book)
        text = f"This add-in has no action called '{tag}'. Reinstall the add-in to match Python."
        book.app.alert(text, title=actions.TITLE, mode="critical")
        return actions.ActionResult(False, text)
    return action(book)
