"""The `Narrative` sheet: the engine's commentary as bullets, grouped by kind, then warnings.

Every group is always shown (with "None this month." when empty) so readers find the same
headings in the same place each month.
"""

from __future__ import annotations

from ..engine.models import Results
from ..engine.periods import uk_month
from .names import NARRATIVE
from .plan import ColumnWidth, SheetPlan, TextBlock, TextLine
from .scorecard import report_title, warning_lines
from .styles import BULLET, HEADING, NOTE, SUBTITLE, TITLE, wrapped_height

GROUPS = (
    ("red", "Red measures"),
    ("met", "Newly on target (now Green)"),
    ("missed", "Newly off target (no longer Green)"),
    ("mover", "Largest movements (3% or 3 percentage points or more)"),
    ("reading", "RAG and SPC together: each measure against its target, and its variation"),
)
BULLET_MARK = "• "
NONE = "None this month."
TEXT_WIDTH = 100


def _bullet(text: str) -> TextLine:
    line = BULLET_MARK + text
    return TextLine(line, BULLET, wrapped_height(line, TEXT_WIDTH))


def narrative_lines(results: Results) -> list[TextLine]:
    """Headings and bullets, in the engine's order within each group."""
    lines: list[TextLine] = []
    for kind, heading in GROUPS:
        texts = [c.text for c in results.commentary if c.kind == kind]
        lines.append(TextLine(heading, HEADING))
        lines += [_bullet(t) for t in texts] or [TextLine(NONE, NOTE)]
        lines.append(TextLine(""))
    return lines


def build_narrative(results: Results) -> SheetPlan:
    head = TextBlock(
        0,
        0,
        (
            TextLine(report_title(results, "Narrative"), TITLE),
            TextLine(
                f"Reporting month: {uk_month(results.reporting_month)}. Written from the figures "
                "on refresh: every number is computed, none typed.",
                SUBTITLE,
            ),
        ),
        "title",
    )
    body = TextBlock(3, 0, tuple(narrative_lines(results)), "commentary")
    warnings = TextBlock(
        body.row + len(body.lines),
        0,
        (
            TextLine(f"Warnings for {uk_month(results.reporting_month)}", HEADING),
            *(_bullet(t) if t != "None." else TextLine(t, NOTE) for t in warning_lines(results)),
        ),
        "warnings",
    )
    return SheetPlan(
        name=NARRATIVE,
        kind="worksheet",
        role="narrative",
        texts=(head, body, warnings),
        column_widths=(ColumnWidth(0, 0, TEXT_WIDTH),),
    )
