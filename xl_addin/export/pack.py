"""The board pack: plan every sheet, write the workbook beside its destination, then rename.

Writing goes to a private temporary folder in the destination's folder and ends with an atomic
rename, so a failed export (bad input, a full disk, LibreOffice failing on `--pdf`) leaves any
previous pack untouched and never a half-written file. Which existing files may be replaced is
decided before any work by `destination.check_destination`: never the input, a workbook with
input sheets, a read-only or open file; an earlier pack, or anything else with `force`.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..engine.models import Results
from ..engine.periods import uk_month
from ..io.file_safety import check_not_locked, plain_os_errors, real_path
from ..render.names import NARRATIVE, SCORECARD
from ..render.plan import Plan, SheetPlan
from ..render.values import cell_value
from ..render.xlsx_scratch import write_scratch
from .chart_pages import for_paper
from .charts import build_pack_charts
from .context import PackContext
from .cover import build_cover
from .definitions import build_definitions
from .destination import check_destination, marker_properties
from .fitting import fit
from .keysheet import build_key
from .names import DEFINITIONS, FIXED, KEY, SUMMARY, chart_contents, contents
from .narrative import build_pack_narrative
from .pdf import convert_to_pdf, require_soffice
from .public import PublicView, public_view
from .scorecard import build_pack_scorecard
from .summary import build_summary

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class ExportReport:
    """What was written, for the command line and the ribbon to report."""

    path: Path
    pdf: Path | None
    sheets: tuple[str, ...]
    charts: int
    reporting_month: pd.Timestamp
    public: bool
    suppressed_primary: int = 0
    suppressed_secondary: int = 0
    withheld_comments: int = 0

    def __str__(self) -> str:
        text = (
            f"Wrote {self.path}: {len(self.sheets)} sheets, {self.charts} charts, reporting "
            f"month {uk_month(self.reporting_month)}"
        )
        if self.public:
            text += (
                f"; published version: {self.suppressed_primary} figures suppressed as small "
                f"numbers, {self.suppressed_secondary} by secondary suppression"
            )
        if self.pdf is not None:
            text += f"; PDF {self.pdf}"
        return text + "."


def pack_plan(results: Results, view: PublicView | None = None, produced=None) -> Plan:
    """Every sheet of the pack in tab order: Cover, Key, Summary, Scorecard, one chart sheet
    per section, Narrative, Definitions."""
    ctx = PackContext.build(results, view, produced)
    taken = {n.casefold() for n in FIXED}
    charts = build_pack_charts(ctx, taken)
    described = contents(ctx.month)
    listing: dict[str, str] = {KEY: described[KEY], SUMMARY: described[SUMMARY]}
    listing[SCORECARD] = described[SCORECARD]
    listing |= {s.name: chart_contents(s.section or "") for s in charts}
    listing[NARRATIVE] = described[NARRATIVE]
    listing[DEFINITIONS] = described[DEFINITIONS]
    sheets: tuple[SheetPlan, ...] = (
        build_cover(ctx, listing),
        build_key(ctx),
        build_summary(ctx),
        build_pack_scorecard(ctx),
        *charts,
        build_pack_narrative(ctx),
        build_definitions(ctx),
    )
    sheets = tuple(fit(s) if s.kind == "worksheet" else for_paper(s) for s in sheets)
    return Plan(sheets, cell_value(results.reporting_month), results.settings.authority)


def _properties(results: Results, public: bool) -> dict[str, str]:
    """Title and subject only: no author or user name (no personal data in the file)."""
    authority = results.settings.authority.strip()
    title = f"Children's services performance, {uk_month(results.reporting_month)}"
    return {
        "title": f"{authority}: {title}" if authority else title,
        "subject": "Board pack (published version)" if public else "Board pack",
        "comments": "Values only. Produced by xl_addin.",
    }


def export_pack(
    results: Results,
    out: str | Path,
    *,
    public: bool = False,
    pdf: bool = False,
    progress: Progress | None = None,
    source: str | Path | None = None,
    force: bool = False,
) -> ExportReport:
    """Write the board pack for `results` to `out` (.xlsx), and `out` with .pdf when `pdf`.

    `public` applies small-number suppression (see `xl_addin.export.suppression`) and marks the
    pack as the published version; otherwise every page carries the workbook's classification.
    `progress(message, fraction)` is called as the work advances (for a status bar).
    Raises XlAddinError with a message for the user (e.g. `pdf` without LibreOffice) before
    anything is written. `source` is the workbook the results were read from, which is never
    replaced; an existing `out` is replaced only when it is an earlier board pack, or with
    `force` (never a read-only file, one open in Excel or LibreOffice, or one holding input
    sheets). A permission or full-disk error becomes a FileSafetyError naming the file.
    """
    out = Path(out)
    say = progress or (lambda message, fraction: None)
    check_destination(out, source=None if source is None else Path(source), force=force, pdf=pdf)
    dest = real_path(out) if out.is_symlink() else out  # replace the file a link points to
    soffice = require_soffice() if pdf else None
    say("Applying suppression" if public else "Planning the pack", 0.05)
    view = public_view(results) if public else None
    plan = pack_plan(results, view)
    say("Writing the workbook", 0.35)
    with plain_os_errors(out):
        folder = Path(tempfile.mkdtemp(prefix=".xl_addin-export-", dir=dest.parent))
        try:
            scratch = folder / out.name
            write_scratch(
                plan,
                scratch,
                properties=_properties(results, public),
                in_memory=True,
                custom_properties=marker_properties(),
            )
            pdf_scratch = None
            if soffice is not None:
                say("Converting to PDF with LibreOffice", 0.7)
                pdf_scratch = convert_to_pdf(scratch, folder, soffice)
            _fsync(scratch)
            check_not_locked(out)  # opened elsewhere while the pack was being made?
            if pdf_scratch is not None:
                _fsync(pdf_scratch)
            os.replace(scratch, dest)
            pdf_out = None
            if pdf_scratch is not None:
                pdf_out = out.with_suffix(".pdf")
                os.replace(pdf_scratch, dest.with_suffix(".pdf"))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    say("Done", 1.0)
    primary, secondary = view.counts if view else (0, 0)
    return ExportReport(
        path=out,
        pdf=pdf_out,
        sheets=tuple(plan.sheet_names),
        charts=sum(len(s.charts) for s in plan.sheets),
        reporting_month=results.reporting_month,
        public=public,
        suppressed_primary=primary,
        suppressed_secondary=secondary,
        withheld_comments=len(view.withheld_comments) if view else 0,
    )


def _fsync(path: Path) -> None:
    """Flush to disk before the rename, so a full disk is found while the old pack is intact."""
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def export_book(
    book: str | Path,
    out: str | Path,
    public: bool = False,
    pdf: bool = False,
    month: dt.date | pd.Timestamp | str | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> ExportReport:
    """Read and compute a performance workbook, then `export_pack` it.

    Bad input raises `InputError` naming sheet and cell, as every command does (exit code 2).
    The file checks come first: a book open in Excel or LibreOffice is refused (its saved copy,
    which is what would be read, may not be what is on screen), and so is a destination that
    `export_pack` would refuse.
    """
    from ..engine.pipeline import compute
    from ..io.read import read_inputs

    check_not_locked(book)
    check_destination(Path(out), source=Path(book), force=force, pdf=pdf)
    results = compute(read_inputs(book), month)
    return export_pack(
        results, out, public=public, pdf=pdf, progress=progress, source=book, force=force
    )
