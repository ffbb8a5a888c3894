"""The `Scorecard` sheet: title, key, the `Scorecard` table and the month's warnings (design §4)."""

from __future__ import annotations

from ..engine.models import SCORECARD_COLUMNS, Results
from ..engine.periods import uk_month
from ..engine.rag import RATINGS
from .colours import RAG_SWATCHES, SPC_SWATCHES
from .key import key_lines
from .names import SCORECARD
from .plan import (
    CellBlock,
    CellRange,
    ColumnWidth,
    ConditionalFormat,
    PageSetup,
    SheetPlan,
    TablePlan,
    TextBlock,
    TextLine,
)
from .styles import CENTRED, HEADING, NOTE, SUBTITLE, TITLE
from .values import DATE_FORMAT, MONTH_FORMAT, cell_value, number_format

TABLE_NAME = "Scorecard"
HEADERS = (
    "Measure ID",
    "Measure",
    "Section",
    "Month",
    "Value",
    "Previous",
    "Compared with",
    "Target",
    "Target date",
    "Forecast",
    "RAG",
    "Direction",
    "Variation",
    "Assurance",
)
# what the Scorecard shows in place of the engine's codes
SHOWN_AS = {"variation": "variation_words", "assurance": "assurance_words"}
COLUMN_OF = dict(zip(HEADERS, SCORECARD_COLUMNS, strict=True))
_UNIT_COLUMNS = ("value", "previous", "target", "forecast")
_WIDTHS = (24, 58, 30, 9, 10, 10, 24, 10, 11, 10, 11, 14, 19, 13)


def column_widths(results: Results) -> tuple[float, ...]:
    """The default widths, with Measure and Section wide enough for the longest text (within
    reason), because no reader autofits columns and a cut-off title misleads."""
    widths = list(_WIDTHS)
    for col, name, cap in ((1, "measure", 90), (2, "section", 40)):
        longest = max((len(str(t)) for t in results.scorecard[name]), default=0)
        widths[col] = min(max(widths[col], longest + 2), cap)
    return tuple(widths)


def report_title(results: Results, what: str) -> str:
    """'Northshire Council: Performance scorecard, October 2022'."""
    authority = results.settings.authority.strip()
    head = f"{authority}: {what}" if authority else what
    return f"{head}, {uk_month(results.reporting_month)}"


def warning_lines(results: Results) -> list[str]:
    return [str(w) for w in results.reporting_warnings()] or ["None."]


def _row_formats(unit: str, decimals: int) -> tuple[str | None, ...]:
    number = number_format(unit, decimals)
    fmts = {"month": MONTH_FORMAT, "target_date": DATE_FORMAT}
    fmts |= dict.fromkeys(_UNIT_COLUMNS, number)
    return tuple(fmts.get(c) for c in SCORECARD_COLUMNS)


def scorecard_table(results: Results, row: int) -> TablePlan:
    """One row per measure in the engine's order (already grouped by section)."""
    card = results.scorecard
    columns = [
        [cell_value(v) for v in card[SHOWN_AS.get(c, c)].tolist()] for c in SCORECARD_COLUMNS
    ]
    values = tuple(zip(*columns, strict=True))
    formats = tuple(
        _row_formats(u, int(d)) for u, d in zip(card["unit"], card["decimals"], strict=True)
    )
    centred = tuple(CENTRED if h in ("RAG", "Variation", "Assurance") else None for h in HEADERS)
    body = CellBlock(row + 1, 0, values, formats, column_styles=centred)
    return TablePlan(TABLE_NAME, SCORECARD, row, 0, HEADERS, body)


def rag_rules(table: TablePlan) -> tuple[ConditionalFormat, ...]:
    """One text-equals rule per rating, on exactly the RAG column's body cells, and MDC's
    colours on the Variation and Assurance columns (the words are always there too)."""
    spc = tuple(
        ConditionalFormat(table.column_range(column), word, swatch.fill, swatch.font)
        for column in ("Variation", "Assurance")
        for word, swatch in SPC_SWATCHES.items()
    )
    return rag_rules_for(table.column_range("RAG")) + spc


def rag_rules_for(rng: CellRange) -> tuple[ConditionalFormat, ...]:
    """The RAG rules on any range: the Scorecard's RAG column, or a user's own =RAG() cells
    (the Excel add-in's Apply RAG button finds the column in the open book)."""
    return tuple(
        ConditionalFormat(rng, rating, RAG_SWATCHES[rating].fill, RAG_SWATCHES[rating].font)
        for rating in RATINGS
    )


def build_scorecard(results: Results) -> SheetPlan:
    month = uk_month(results.reporting_month)
    title = TextBlock(
        0,
        0,
        (
            TextLine(report_title(results, "Performance scorecard"), TITLE),
            TextLine(
                f"Reporting month: {month}. Values only: this sheet is replaced on every refresh.",
                SUBTITLE,
            ),
        ),
        "title",
    )
    key = TextBlock(2, 0, tuple(TextLine(t, NOTE) for t in key_lines(results.settings)), "key")
    table = scorecard_table(results, key.row + len(key.lines) + 1)
    warn_row = table.last_row + 2
    warnings = TextBlock(
        warn_row,
        0,
        (
            TextLine(f"Warnings for {month}", HEADING),
            *(TextLine(t, NOTE) for t in warning_lines(results)),
        ),
        "warnings",
    )
    return SheetPlan(
        name=SCORECARD,
        kind="worksheet",
        role="scorecard",
        texts=(title, key, warnings),
        tables=(table,),
        column_widths=tuple(ColumnWidth(i, i, w) for i, w in enumerate(column_widths(results))),
        freeze=(table.row + 1, 0),
        conditional_formats=rag_rules(table),
        page=PageSetup(repeat_rows=(table.row, table.row)),
    )
