"""The `Summary` sheet: ratings counted by section, then the exceptions (every Red measure with
its value, target, forecast and the commentary that explains it).

Counts are of measures, not children, so they are never suppressed; a rating withheld in a
published pack is counted in its own column so the rows still add up.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from ..engine.rag import AMBER, CONTEXTUAL, GREEN, NO_TARGET, RED
from ..render.plan import SheetPlan, TablePlan, TextBlock, TextLine
from ..render.scorecard import report_title
from ..render.styles import CENTRED, NOTE, TITLE
from ..render.values import DATE_FORMAT, MONTH_FORMAT, cell_value, number_format
from .context import PackContext
from .names import SUMMARY
from .public import SYMBOL
from .tables import heading, table

COUNTED = (RED, AMBER, GREEN, NO_TARGET, CONTEXTUAL)
WITHHELD = "Rating withheld (c)"
EXCEPTION_COLUMNS = (
    "Measure ID",
    "Measure",
    "Section",
    "Month",
    "Value",
    "Target",
    "Target date",
    "Forecast",
    "Commentary",
)


def section_counts(ctx: PackContext) -> tuple[tuple[str, ...], list[tuple]]:
    """Columns and one row per section (scorecard order) of rating counts."""
    card = ctx.shown.scorecard
    ratings = COUNTED + ((SYMBOL,) if ctx.public else ())
    columns = ("Section", *COUNTED, *((WITHHELD,) if ctx.public else ()), "Measures")
    tally: dict[str, Counter] = {}
    for section, rating in zip(card["section"], card["rag"], strict=True):
        tally.setdefault(section, Counter())[rating] += 1
    rows = [
        (section, *(counts[r] for r in ratings), counts.total())
        for section, counts in tally.items()
    ]
    return columns, rows


def exception_rows(ctx: PackContext) -> tuple[list[tuple], list[tuple]]:
    """Every Red measure (as shown) with its figures and the commentary about it."""
    card = ctx.shown.scorecard
    comments: dict[str, str] = {}
    for c in ctx.shown.commentary:
        if c.kind == "red":
            comments.setdefault(c.measure_id, c.text)
    rows, formats = [], []
    for rec in card[card["rag"] == RED].to_dict("records"):
        number = number_format(rec["unit"], int(rec["decimals"]))
        rows.append(
            tuple(
                cell_value(v)
                for v in (
                    rec["measure_id"],
                    rec["measure"],
                    rec["section"],
                    rec["month"],
                    rec["value"],
                    rec["target"],
                    rec["target_date"],
                    rec["forecast"],
                    comments.get(rec["measure_id"], ""),
                )
            )
        )
        formats.append((None, None, None, MONTH_FORMAT, number, number, DATE_FORMAT, number, None))
    return rows, formats


def build_summary(ctx: PackContext) -> SheetPlan:
    card = ctx.shown.scorecard
    total = Counter(card["rag"])
    overall = (
        f"Across all {len(card)} measures: {total[RED]} Red, {total[AMBER]} Amber, "
        f"{total[GREEN]} Green; the rest have no target or are contextual."
    )
    head = TextBlock(
        0,
        0,
        (TextLine(report_title(ctx.results, "Summary"), TITLE), TextLine(overall, NOTE)),
        "title",
    )
    by_section = heading(3, "Ratings by section", "Numbers of measures.", "by_section")
    columns, rows = section_counts(ctx)
    counts, _ = table("RatingsBySection", SUMMARY, 3 + len(by_section.lines), columns, rows)
    # Counts centred, under headers centred the same way (`fitting` aligns a header like its
    # column): the columns are as wide as the exceptions' below, so a left-aligned header over
    # a right-aligned count would sit over the next column's count.
    centred = (None, *(CENTRED,) * (len(columns) - 1))
    counts = dataclasses.replace(
        counts, body=dataclasses.replace(counts.body, column_styles=centred)
    )
    row = counts.last_row + 2
    ex_rows, ex_formats = exception_rows(ctx)
    texts = [head, by_section]
    tables: list[TablePlan] = [counts]
    repeat = None
    if ex_rows:
        texts.append(
            heading(
                row,
                "Exceptions: Red measures",
                "Value and forecast against the target in force; commentary from the Narrative.",
                "exceptions",
            )
        )
        exceptions, _ = table(
            "RedMeasures",
            SUMMARY,
            row + 2,
            EXCEPTION_COLUMNS,
            ex_rows,
            ex_formats,
        )
        tables.append(exceptions)
        repeat = (exceptions.row, exceptions.row)  # a long list keeps its headings
    else:
        texts.append(heading(row, "Exceptions: Red measures", "No measure is Red this month."))
    return SheetPlan(
        name=SUMMARY,
        kind="worksheet",
        role="summary",
        texts=tuple(texts),
        tables=tuple(tables),
        page=ctx.page(repeat_rows=repeat),
    )
