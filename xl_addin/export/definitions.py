"""The `Definitions` sheet: how each measure is calculated, which way is better, and every
target with its due date, so a reader can check any figure in the pack against its source."""

from __future__ import annotations

from ..engine.calculations import CALCULATIONS
from ..engine.formatting import fmt_value
from ..render.plan import ColumnWidth, SheetPlan, TablePlan, TextBlock, TextLine
from ..render.scorecard import report_title
from ..render.styles import NOTE, TITLE
from ..render.values import DATE_FORMAT, SCORECARD_FORMATS, cell_value
from .context import PackContext
from .names import DEFINITIONS
from .tables import heading, table

COLUMNS = (
    "Measure ID",
    "Measure",
    "Section",
    "Calculation",
    "How it is calculated",
    "Numerator",
    "Denominator",
    "Polarity",
    "Frequency",
    "Targets",
)
TARGET_COLUMNS = ("Measure ID", "Measure", "Due", "Target")
_WIDTHS = (24, 48, 30, 30, 50, 26, 26, 12, 11, 50)
_WRAP = {1: _WIDTHS[1], 4: _WIDTHS[4], 9: _WIDTHS[9]}
POLARITY = {"higher": "Higher is better", "lower": "Lower is better", "contextual": "Contextual"}


def target_text(value: float, unit: str) -> str:
    """82% (not 82.0%), 82.5%, 615, 13.0: a target as the workbook's author wrote it."""
    if unit == "percent" and float(round(value * 100, 6)).is_integer():
        return fmt_value(value, unit, 0)
    return fmt_value(value, unit, 1)


def _targets_by_measure(ctx: PackContext) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for t in ctx.results.inputs.targets.itertuples(index=False):
        out.setdefault(t.measure, []).append((t.date, t.target))
    return out


def definition_rows(ctx: PackContext) -> list[tuple]:
    measures = ctx.results.inputs.measures
    targets = _targets_by_measure(ctx)
    rows = []
    for rec in ctx.results.scorecard.itertuples(index=False):
        m = measures.loc[rec.measure_id]
        calc = CALCULATIONS[m["calculation"]]
        due = targets.get(rec.measure_id, [])
        listed = "; ".join(f"{target_text(v, rec.unit)} due {d:%d/%m/%Y}" for d, v in due)
        rows.append(
            (
                rec.measure_id,
                m["title"],
                m["section"],
                calc.name,
                calc.formula,
                m["numerator"] or None,
                (m["denominator"] or None) if calc.needs_denominator else None,
                POLARITY.get(m["polarity"], m["polarity"]),
                m["frequency"],
                listed or "None",
            )
        )
    return rows


def target_rows(ctx: PackContext) -> tuple[list[tuple], list[tuple]]:
    card = ctx.results.scorecard.set_index("measure_id")
    targets = _targets_by_measure(ctx)
    rows, formats = [], []
    for mid in card.index:
        for due, value in targets.get(mid, []):
            rows.append((mid, card.at[mid, "measure"], cell_value(due), cell_value(value)))
            number = SCORECARD_FORMATS.get(card.at[mid, "unit"], "General")
            formats.append((None, None, DATE_FORMAT, number))
    return rows, formats


def build_definitions(ctx: PackContext) -> SheetPlan:
    head = TextBlock(
        0,
        0,
        (
            TextLine(report_title(ctx.results, "Definitions"), TITLE),
            TextLine(
                "Numerator and denominator name rows of the Data sheet in the performance "
                "workbook. The target in force for a month is the first one due on or after it "
                "(after the last due date, the last target).",
                NOTE,
            ),
        ),
        "title",
    )
    measures, heights = table(
        "Definitions", DEFINITIONS, 3, COLUMNS, definition_rows(ctx), wrap=_WRAP
    )
    texts = [head]
    tables: list[TablePlan] = [measures]
    row = measures.last_row + 2
    rows, formats = target_rows(ctx)
    if rows:
        block = heading(row, "Targets", "Every target, by measure and due date.", "targets")
        texts.append(block)
        targets, more = table(
            "Targets", DEFINITIONS, row + len(block.lines), TARGET_COLUMNS, rows, formats, {1: 48}
        )
        tables.append(targets)
        heights += more
    else:
        texts.append(heading(row, "Targets", "No targets are set.", "targets"))
    return SheetPlan(
        name=DEFINITIONS,
        kind="worksheet",
        role="definitions",
        texts=tuple(texts),
        tables=tuple(tables),
        column_widths=tuple(ColumnWidth(i, i, w) for i, w in enumerate(_WIDTHS)),
        freeze=(measures.row + 1, 0),
        page=ctx.page(repeat_rows=(measures.row, measures.row)),
        row_heights=heights,
    )
