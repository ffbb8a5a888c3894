"""The `Key` sheet: how to read the pack, from the settings actually in force.

Readers cannot see the Settings sheet, so the bands state this workbook's thresholds, tolerance
and basis (`render.key` words them, once, for the refresh and the pack alike).
"""

from __future__ import annotations

from ..engine.calculations import CALCULATIONS
from ..engine.rag import DOWN, IMPROVING, NO_CHANGE, RATINGS, UP, WORSENING
from ..render.colours import RAG_SWATCHES, SPC_SWATCHES
from ..render.key import band_meanings, basis_text, tolerance_text
from ..render.plan import (
    ColumnWidth,
    ConditionalFormat,
    SheetPlan,
    Style,
    TablePlan,
    TextBlock,
    TextLine,
)
from ..render.scorecard import report_title
from ..render.styles import NOTE, TITLE, wrapped_height
from .context import PackContext
from .names import KEY
from .public import SYMBOL
from .tables import heading, table

WRAP_NOTE = Style(font_color=NOTE.font_color, wrap=True, valign_top=True)
_WIDTHS = (34, 100, 30)  # label, meaning (wrapped), unit
UNITS = {
    "count": "a count",
    "percent": "a percentage",
    "rate": "per 10,000 children aged 0-17",
    "ratio": "a ratio (an average)",
}
POLARITY_MEANINGS = {
    "higher": "A higher value is better.",
    "lower": "A lower value is better.",
    "contextual": "Neither direction is better (demand and volume measures); never rated.",
}
DIRECTION_MEANINGS = {
    IMPROVING: "Better than the previous period (month, or quarter for quarterly measures).",
    WORSENING: "Worse than the previous period.",
    NO_CHANGE: "The same as the previous period.",
    UP: "Contextual measure: higher than the previous period.",
    DOWN: "Contextual measure: lower than the previous period.",
}


VARIATION_MEANINGS = {
    "Common cause": "Only the usual ups and downs of the process: no sign of real change.",
    "Improvement (high)": "Special cause (H): the latest point is unusually high, in the good "
    "direction.",
    "Improvement (low)": "Special cause (L): unusually low, in the good direction.",
    "Concern (high)": "Special cause (H): unusually high, in the bad direction.",
    "Concern (low)": "Special cause (L): unusually low, in the bad direction.",
    "Neither (high)": "Special cause (H) for a measure where neither direction is better.",
    "Neither (low)": "Special cause (L) for a measure where neither direction is better.",
}
ASSURANCE_MEANINGS = {
    "Pass": "P: the process limits lie on the good side of the target: it will be met reliably.",
    "Fail": "F: the target lies beyond the limits: it will not be met without a change to the "
    "system.",
    "Hit or miss": "?: the target lies within the limits: it will be met or missed by chance.",
}


def symbol_rows(ctx: PackContext) -> list[tuple[str, str]]:
    rows = [
        ("(blank)", "No figure: a month missing from the data, or a zero denominator."),
    ]
    if ctx.view is not None:
        top = ctx.view.threshold - 1
        rows.insert(
            0,
            (
                SYMBOL,
                f"Suppressed: a count from 1 to {top}, a figure worked out from one, or a figure "
                "that would let one be worked out.",
            ),
        )
        rows.append(
            (
                "(blank in chart data)",
                "No figure, or a suppressed figure (charts cannot plot the symbol c).",
            )
        )
    return rows


def _wrapped(text: str) -> TextLine:
    return TextLine(text, WRAP_NOTE, wrapped_height(text, _WIDTHS[1]))


def _rating_rules(t: TablePlan) -> tuple[ConditionalFormat, ...]:
    rng = t.column_range("Rating")
    return tuple(
        ConditionalFormat(rng, r, RAG_SWATCHES[r].fill, RAG_SWATCHES[r].font) for r in RATINGS
    )


def _spc_rules(tables: list[TablePlan]) -> tuple[ConditionalFormat, ...]:
    """MDC's colours on the Variation and Assurance words (the words carry the meaning)."""
    out = []
    for t in tables:
        column = {"KeyVariation": "Variation", "KeyAssurance": "Assurance"}.get(t.name)
        if column:
            rng = t.column_range(column)
            out += [ConditionalFormat(rng, w, s.fill, s.font) for w, s in SPC_SWATCHES.items()]
    return tuple(out)


def build_key(ctx: PackContext) -> SheetPlan:
    s = ctx.results.settings
    head = TextBlock(
        0,
        0,
        (
            TextLine(report_title(ctx.results, "Key"), TITLE),
            TextLine("How to read the ratings, symbols and calculations in this pack.", NOTE),
        ),
        "title",
    )
    texts: list[TextBlock] = [head]
    tables: list[TablePlan] = []
    heights: list[tuple[int, float]] = []
    row = 3
    meanings = band_meanings(s)
    sections = [
        (
            "KeyRatings",
            "RAG ratings (the thresholds in force)",
            None,
            ("Rating", "Meaning"),
            [(r, meanings[r]) for r in RATINGS],
        ),
        (
            "KeyPolarity",
            "Polarity: which direction is better",
            None,
            ("Polarity", "Meaning"),
            list(POLARITY_MEANINGS.items()),
        ),
        (
            "KeyDirection",
            "Direction of travel",
            None,
            ("Symbol", "Meaning"),
            list(DIRECTION_MEANINGS.items()),
        ),
        (
            "KeyCalculations",
            "Calculations",
            "The financial year starts in the month set in the workbook (April by default).",
            ("Calculation", "How it is calculated", "Unit"),
            [(c.name, c.formula, UNITS.get(c.unit, c.unit)) for c in CALCULATIONS.values()],
        ),
        (
            "KeyVariation",
            "Variation (statistical process control, Making Data Count)",
            "Read from in-month figures only, with the mean and process limits (mean ± 2.66 × "
            "the average moving range); in-year and rolling figures are not read this way.",
            ("Variation", "Meaning"),
            list(VARIATION_MEANINGS.items()),
        ),
        (
            "KeyAssurance",
            "Assurance: will the target be met?",
            None,
            ("Assurance", "Meaning"),
            list(ASSURANCE_MEANINGS.items()),
        ),
        (
            "KeySPCRules",
            "SPC rules in force",
            None,
            ("Setting", "Value", "Meaning"),
            [(name, value, meaning) for name, value, meaning in s.spc.describe()],
        ),
        ("KeySymbols", "Symbols", None, ("Symbol", "Meaning"), symbol_rows(ctx)),
    ]
    for name, title, note, columns, rows in sections:
        block = heading(row, title, note, name)
        texts.append(block)
        t, h = table(name, KEY, row + len(block.lines), columns, rows, wrap={1: _WIDTHS[1]})
        tables.append(t)
        heights.extend(h)
        row = t.last_row + 2
        if name == "KeyRatings":  # how distance and basis work, wrapped beside the meanings
            notes = (tolerance_text(s), basis_text(s))
            texts.append(TextBlock(row, 1, tuple(_wrapped(n) for n in notes), "rating_notes"))
            row += len(notes) + 1
    return SheetPlan(
        name=KEY,
        kind="worksheet",
        role="key",
        texts=tuple(texts),
        tables=tuple(tables),
        column_widths=tuple(ColumnWidth(i, i, w) for i, w in enumerate(_WIDTHS)),
        conditional_formats=_rating_rules(tables[0]) + _spc_rules(tables),
        page=ctx.page(),
        row_heights=tuple(heights),
    )
