"""The `Cover` sheet: what the pack is, for when, its marking, and contents that link to every
sheet (readers of a 10-tab workbook start here; screen-reader users get a list to jump from)."""

from __future__ import annotations

from .. import __version__
from ..engine.periods import uk_date, uk_month
from ..render.plan import Hyperlink, SheetPlan, Style, TextBlock, TextLine
from ..render.styles import NOTE, SUBTITLE, TITLE
from .context import PackContext
from .names import COVER
from .tables import heading, table

MARKING = Style(bold=True, size=12)


def _title(ctx: PackContext) -> str:
    authority = ctx.results.settings.authority.strip()
    what = "Children's services performance"
    return f"{authority}: {what}" if authority else what


def suppression_note(ctx: PackContext) -> list[str]:
    """The cover's account of suppression: the rule, and how many figures it hid.

    One short sentence a line: cover text runs across the empty columns beside it, which
    prints cleanly only while each line fits the page width.
    """
    view = ctx.view
    if view is None:
        return [
            "This pack shows every figure, including small numbers of children.",
            "Do not publish it: export a published version (with suppression) instead.",
        ]
    primary, secondary = view.counts
    top = view.threshold - 1
    return [
        "Small-number suppression has been applied to this published version.",
        f"Counts from 1 to {top} are shown as c, and so are percentages, rates and ratios whose "
        f"numerator or denominator is from 1 to {top}.",
        "Secondary suppression: other figures are shown as c where they would let a suppressed "
        "count be worked out,",
        "for example from two year-to-date totals, or from a percentage and its denominator.",
        "Ratings, directions and commentary that would reveal a suppressed figure are withheld; "
        "charts leave those months blank.",
        f"In this pack: {primary} figure{'s' if primary != 1 else ''} suppressed as small "
        f"numbers, {secondary} by secondary suppression.",
    ]


def detail_lines(ctx: PackContext) -> list[str]:
    r = ctx.results
    first = r.inputs.data.columns.min()
    sections = r.scorecard["section"].nunique()
    n = len(r.scorecard)
    return [
        f"Reporting month: {uk_month(r.reporting_month)}",
        f"Data period: {uk_month(first)} to {uk_month(r.reporting_month)}",
        f"Produced: {uk_date(ctx.produced)}",
        f"Measures: {n} in {sections} section{'s' if sections != 1 else ''}",
        "Values only: no formulas, macros or links to other files. "
        f"Produced by xl_addin {__version__} from the performance workbook.",
    ]


def build_cover(ctx: PackContext, contents: dict[str, str]) -> SheetPlan:
    """`contents` maps each later sheet, in tab order, to what it holds."""
    lines = [
        TextLine(_title(ctx), TITLE),
        TextLine(f"Board pack for {ctx.month}", SUBTITLE),
        TextLine(ctx.marking, MARKING),
        TextLine(""),
        *(TextLine(t) for t in detail_lines(ctx)),
        TextLine(""),
        *(TextLine(t, NOTE) for t in suppression_note(ctx)),
    ]
    head = TextBlock(0, 0, tuple(lines), "title")
    row = len(lines) + 1
    intro = heading(row, "Contents", "Select a sheet name to go to it.", "contents_heading")
    table_row = row + len(intro.lines)
    # Widths, wrapping and row heights are the printed layout's (`fitting`), which also keeps
    # each link on the first line of its row, beside its description.
    contents_table, _ = table(
        "Contents",
        COVER,
        table_row,
        ("Sheet", "What it holds"),
        [(name, what) for name, what in contents.items()],
    )
    links = tuple(
        Hyperlink(contents_table.body_row(i), 0, name, name, f"Go to {name}")
        for i, name in enumerate(contents)
    )
    return SheetPlan(
        name=COVER,
        kind="worksheet",
        role="cover",
        texts=(head, intro),
        tables=(contents_table,),
        page=ctx.page(),
        links=links,
    )
