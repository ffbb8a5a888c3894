"""The KPIs tab of the Office add-in: one ribbon command per xlwings script.

The scripts (`xl_addin.excel.scripts.SCRIPTS`, action id -> script name) are the truth; this
module only adds what Excel shows. The manifest's `<FunctionName>`s and the JavaScript's
`Office.actions.associate` calls are both generated from `ribbon_commands()`, so the two cannot
drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

# Ribbon order, label, tooltip and icon for every action id in SCRIPTS.
_RIBBON = {
    "refresh": (
        "Refresh KPIs",
        "Recompute every measure from Settings, Measures, Data and Targets and rewrite the "
        "Scorecard, KPI Values, Charts and Narrative sheets. Nothing else changes.",
        "refresh",
    ),
    "apply_rag": (
        "Apply RAG",
        "Colour the Scorecard's RAG column again (Red, Amber, Green, No target, Contextual).",
        "rag",
    ),
    "regenerate_charts": (
        "Regenerate charts",
        "Redraw the Charts sheets: one chart per measure, the target as a dashed line.",
        "charts",
    ),
    "validate": (
        "Validate",
        "Check the four input sheets and list every problem with its sheet and cell.",
        "validate",
    ),
    "export": (
        "Export",
        "Make the board pack (values only, no macros) and download it.",
        "export",
    ),
    "help": ("Help", "What each button does, and the worksheet functions.", "help"),
}
TASKPANE = (
    "KPIs pane",
    "Open the KPIs pane: the same buttons, the last message and the worksheet functions.",
    "pane",
)


@dataclass(frozen=True)
class RibbonCommand:
    id: str
    """The action id, as in xl_addin.excel.scripts.SCRIPTS and ribbon.ACTIONS."""
    script: str
    """The xlwings script the server runs for it."""
    label: str
    tip: str
    icon: str

    @property
    def function_name(self) -> str:
        """The manifest's `<FunctionName>`, matched by `Office.actions.associate`."""
        return "Kpis" + "".join(part.capitalize() for part in self.id.split("_"))

    @property
    def control_id(self) -> str:
        return f"XlAddin.{self.function_name}"


def ribbon_commands() -> list[RibbonCommand]:
    """One command per script, in ribbon order. A script without a ribbon entry (or the
    reverse) is a programming error that must fail the tests, not hide a button."""
    from ..excel.scripts import SCRIPTS

    missing = set(SCRIPTS) - set(_RIBBON)
    extra = set(_RIBBON) - set(SCRIPTS)
    if missing or extra:
        raise RuntimeError(
            f"xl_addin.server.commands is out of step with xl_addin.excel.scripts.SCRIPTS: "
            f"no ribbon entry for {sorted(missing)}; entries without a script: {sorted(extra)}"
        )
    return [
        RibbonCommand(action, SCRIPTS[action], label, tip, icon)
        for action, (label, tip, icon) in _RIBBON.items()
    ]
