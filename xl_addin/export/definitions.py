"""The `Definitions` sheet: how each measure is calculated, which way is better, and every
target with its due date, so a reader can check any figure in the pack against its source.

One table, so its header row can repeat on every printed page (a second table below it would
print under the wrong headings); a measure's targets are listed in its own row. Columns are as
wide as their text (`fitting`), wrapped where the page needs it.
"""

from __future__ import annotations

from ..engine.calculations import CALCULATIONS
from ..engine.formatting import fmt_value
from ..render.plan import SheetPlan, TextBlock, TextLine
from ..render.scorecard import report_title
from ..render.styles import NOTE, TITLE
from .context import PackContext
from .names import DEFINITIONS
from .tables import table

COLUMNS = (
    "Measure ID",
    "Measure",
    "Section",
    "How it is calculated",
    "Numerator",
    "Denominator",
    "Polarity",
    "Frequency",
    "Targets",
    "Calculation",
)
# Printed: Measure to Targets. The ID (col A) and the calculation's name (last) are for
# analysts on screen; the titles and the calculation in words say the same on paper, and the
# ten columns together would not fit the page at a readable size.
PRINTED = (1, len(COLUMNS) - 2)
POLARITY = {"higher": "Higher is better", "lower": "Lower is better", "contextual": "Contextual"}


def target_text(value: float, unit: str) -> str:
    """82.0%, 615, 13.0: a target shown by the one rounding rule, as on every other sheet."""
    return fmt_value(value, unit)


def _targets_by_measure(ctx: PackContext) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    targets = ctx.results.inputs.targets
    for measure, date, target in zip(
        targets["measure"], targets["date"], targets["target"], strict=True
    ):
        out.setdefault(measure, []).append((date, target))
    return out


def definition_rows(ctx: PackContext) -> list[tuple]:
    measures = ctx.results.inputs.measures.to_dict("index")
    targets = _targets_by_measure(ctx)
    rows = []
    card = ctx.results.scorecard
    for measure_id, unit in zip(card["measure_id"], card["unit"], strict=True):
        m = measures[measure_id]
        calc = CALCULATIONS[m["calculation"]]
        due = targets.get(measure_id, [])
        listed = "; ".join(
            f"{target_text(v, unit)} due {d.day:02d}/{d.month:02d}/{d.year}" for d, v in due
        )
        rows.append(
            (
                measure_id,
                m["title"],
                m["section"],
                calc.formula,
                m["numerator"] or None,
                (m["denominator"] or None) if calc.needs_denominator else None,
                POLARITY.get(m["polarity"], m["polarity"]),
                m["frequency"],
                listed or "None",
                calc.name,
            )
        )
    return rows


def build_definitions(ctx: PackContext) -> SheetPlan:
    head = TextBlock(
        0,
        PRINTED[0],
        (
            TextLine(report_title(ctx.results, "Definitions"), TITLE),
            TextLine(
                "Numerator and denominator name rows of the Data sheet in the performance "
                "workbook.",
                NOTE,
            ),
            TextLine(
                "The target in force for a month is the first one due on or after it (after the "
                "last due date, the last target).",
                NOTE,
            ),
        ),
        "title",
    )
    measures, _ = table("Definitions", DEFINITIONS, 4, COLUMNS, definition_rows(ctx))
    return SheetPlan(
        name=DEFINITIONS,
        kind="worksheet",
        role="definitions",
        texts=(head,),
        tables=(measures,),
        freeze=(measures.row + 1, 0),
        page=ctx.page(
            repeat_rows=(measures.row, measures.row),
            print_area=(0, PRINTED[0], measures.last_row, PRINTED[1]),
        ),
    )
