"""What every pack sheet builder needs: the results three ways, the marking, the print setup.

`shown` is what tables print (suppressed figures as `c`); `plotted` is what charts, sparklines
and alt text use (suppressed figures blank, since a chart draws the text `c` as zero). In an
internal pack all three are the same results.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..engine.models import Results
from ..engine.periods import uk_month
from ..render.plan import PageSetup, footer_text
from .paper import HEADER_MARGIN, SIDE_MARGIN, TOP_MARGIN
from .public import PublicView, masked_results

PUBLIC_MARKING = "Published version: small numbers suppressed"


@dataclass(frozen=True)
class PackContext:
    results: Results  # as computed: definitions, targets and dates come from here
    shown: Results
    plotted: Results
    view: PublicView | None
    produced: dt.date

    @classmethod
    def build(
        cls, results: Results, view: PublicView | None, produced: dt.date | None = None
    ) -> PackContext:
        return cls(
            results,
            masked_results(results, view, "c"),
            masked_results(results, view, float("nan")),
            view,
            produced or dt.date.today(),
        )

    @property
    def public(self) -> bool:
        return self.view is not None

    @property
    def marking(self) -> str:
        """The line printed on every page: the classification, or the published-version note."""
        if self.public:
            return PUBLIC_MARKING
        return self.results.settings.classification.strip() or "OFFICIAL-SENSITIVE"

    @property
    def month(self) -> str:
        return uk_month(self.results.reporting_month)

    def page(
        self,
        repeat_rows: tuple[int, int] | None = None,
        row_breaks: tuple[int, ...] = (),
        print_area: tuple[int, int, int, int] | None = None,
    ) -> PageSetup:
        """A4 landscape, fitted to the page width (which `fitting` keeps at a readable zoom),
        narrow side margins, the marking at the top and bottom of every page, the sheet name
        and page numbers in the footer."""
        mark = footer_text(self.marking)
        return PageSetup(
            header=f"&C{mark}",
            footer=f"&L&A&C{mark}&RPage &P of &N",
            repeat_rows=repeat_rows,
            row_breaks=row_breaks,
            print_area=print_area,
            margins=(SIDE_MARGIN, TOP_MARGIN, HEADER_MARGIN),
        )
