"""The board pack: a self-contained, values-only workbook for the improvement board and the
scrutiny panel (issue 4).

    from xl_addin.export import export_book, export_pack
    report = export_book("book.xlsx", "pack.xlsx", public=True, pdf=True)
    print(report)

Sheets, in order: Cover, Key, Summary, Scorecard, one `Charts - <section>` per section,
Narrative, Definitions. `public=True` applies small-number suppression
(`xl_addin.export.suppression` states the rule).
"""

from __future__ import annotations

from .pack import ExportReport, export_book, export_pack, pack_plan
from .suppression import SYMBOL, Figure, Suppression, suppress

__all__ = [
    "SYMBOL",
    "ExportReport",
    "Figure",
    "Suppression",
    "export_book",
    "export_pack",
    "pack_plan",
    "suppress",
]
