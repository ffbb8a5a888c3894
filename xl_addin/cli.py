"""`xl-addin`: the add-in's buttons as commands, for headless refreshes and scripts.

Exit codes: 0 success; 2 bad input (the message names sheet and cell); 1 anything unexpected.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .errors import InputError, XlAddinError
from .ooxml.errors import SurgeryError, VerificationError

EXIT_OK, EXIT_UNEXPECTED, EXIT_BAD_INPUT = 0, 1, 2


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def cmd_validate(args) -> int:
    from .engine.pipeline import compute
    from .io.read import read_inputs
    from .preflight import refresh_problems

    inputs = read_inputs(args.book)
    results = compute(inputs)
    problems = refresh_problems(args.book, results)
    if problems:
        raise InputError(problems)
    for w in results.reporting_warnings():
        _err(f"warning: {w}")
    print(
        f"{Path(args.book).name} is ready: {len(inputs.measures)} measures, "
        f"{len(inputs.data.columns)} months ({inputs.data.columns.min():%b %Y} to "
        f"{inputs.data.columns.max():%b %Y}), {len(inputs.targets)} targets; "
        f"reporting month {results.reporting_month:%B %Y}."
    )
    return EXIT_OK


def cmd_kpis(args) -> int:
    from . import report
    from .engine.pipeline import compute
    from .io.read import read_inputs

    results = compute(read_inputs(args.book), args.month)
    for w in results.warnings if args.series else results.reporting_warnings():
        _err(f"warning: {w}")
    render = {"table": report.to_table, "csv": report.to_csv, "json": report.to_json}[args.format]
    text = render(results, series=args.series)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def _progress(args):
    """Progress lines on stderr, so stdout stays clean for data; --quiet silences them."""
    if getattr(args, "quiet", False):
        return None

    def show(message: str, fraction: float | None = None) -> None:
        done = f" ({fraction:.0%})" if fraction is not None else ""
        print(f"... {message}{done}", file=sys.stderr, flush=True)

    return show


def _report_refresh(report, what: str) -> None:
    for w in report.warnings:
        _err(f"warning: {w}")
    where = report.written
    print(
        f"{what} {where.name} for {report.reporting_month:%B %Y}: "
        f"{len(report.sheets)} sheets ({', '.join(report.sheets)}) in {report.seconds:.1f} s"
    )
    if report.backup:
        print(f"The previous version is kept as {report.backup.name}")


def cmd_refresh(args) -> int:
    from .refresh_book import ALL, CHARTS_ONLY, SCORECARD_ONLY, refresh

    roles = {"refresh": ALL, "rag": SCORECARD_ONLY, "charts": CHARTS_ONLY}[args.command]
    report = refresh(
        args.book,
        month=args.month,
        out=args.out,
        backup=not args.no_backup,
        roles=roles,
        progress=_progress(args),
    )
    _report_refresh(report, "Refreshed" if args.out is None else "Wrote")
    return EXIT_OK


def cmd_explain(args) -> int:
    from .engine.explain import explain
    from .engine.pipeline import compute
    from .io.read import read_inputs

    results = compute(read_inputs(args.book), args.reporting)
    print("\n".join(explain(results, args.measure, args.month)))
    return EXIT_OK


def _is_demo_workbook(path: Path) -> bool:
    """An earlier `xl-addin demo`: its Settings name the demo's authority (safe to replace)."""
    from .demo import demo_inputs
    from .io.read import read_sheets

    try:
        settings = read_sheets(path, ("Settings",)).get("Settings")
    except XlAddinError:
        return False
    authority = demo_inputs().settings.authority
    return settings is not None and any(
        row[:2] == ["authority", authority] for row in settings.rows if len(row) >= 2
    )


def cmd_demo(args) -> int:
    from .demo import demo_sheets
    from .io.write_inputs import ABOUT, write_input_workbook
    from .refresh_book import refresh

    out = Path(args.out)
    if os.path.lexists(out):  # the demo never replaces a file without being told to
        from .io.file_safety import check_not_locked, check_replaceable

        if not (args.force or _is_demo_workbook(out)):
            raise XlAddinError(
                f"{out.name} already exists and is not an earlier demo workbook: give the demo "
                "another name with --out, or add --force to replace it."
            )
        check_not_locked(out)
        check_replaceable(out, "give the demo another name with --out")
    say = _progress(args)
    if say:
        say("Writing the demo's input sheets")
    write_input_workbook(demo_sheets(), out, about=ABOUT)
    report = refresh(out, backup=False, progress=say)
    print(f"Wrote the demo workbook to {out}, refreshed for {report.reporting_month:%B %Y}")
    return EXIT_OK


def cmd_export(args) -> int:
    from .export import export_book

    report = export_book(
        args.book,
        args.out,
        public=args.public,
        pdf=args.pdf,
        month=args.month,
        progress=_progress(args),
        force=args.force,
    )
    print(report)
    return EXIT_OK


def cmd_build_addin(args) -> int:
    from .excel.addin import build_addin

    build_addin(args.out)
    return EXIT_OK


def cmd_init(args) -> int:
    from .initialise import add_input_sheets

    added = add_input_sheets(Path(args.book), backup=not args.no_backup, progress=_progress(args))
    print(
        f"Added {', '.join(added)} to {Path(args.book).name}. Fill them in, then run "
        f"`xl-addin refresh {Path(args.book).name}`."
    )
    return EXIT_OK


def _writes_book(p: argparse.ArgumentParser) -> None:
    """Options of every command that changes the analyst's workbook in place."""
    p.add_argument(
        "--no-backup", action="store_true", help="do not keep the previous version as BOOK.bak.xlsx"
    )
    p.add_argument("--quiet", action="store_true", help="no progress messages")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xl-addin",
        description="Refresh a children's services performance workbook: KPIs, RAG, charts, "
        "commentary.",
    )
    parser.add_argument("--version", action="version", version=f"xl-addin {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show tracebacks for unexpected errors"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check a workbook's input sheets and list every problem")
    p.add_argument("book", help="the performance workbook (.xlsx or .xlsm)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("kpis", help="print the scorecard (or the monthly series)")
    p.add_argument("book", help="the performance workbook (.xlsx or .xlsm)")
    p.add_argument("--month", metavar="YYYY-MM", help="report this month instead of the latest")
    p.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table for people; csv and json give percentages as fractions and ISO dates",
    )
    p.add_argument(
        "--series",
        action="store_true",
        help="print every measure's monthly values (measure_id, month, value)",
    )
    p.set_defaults(func=cmd_kpis)

    for name, help_text in (
        ("refresh", "recompute everything and redraw the scorecard, values, charts and narrative"),
        ("rag", "rewrite only the Scorecard sheet and its RAG formatting"),
        ("charts", "regenerate only the chart sheets (and the KPI Values they draw from)"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("book", help="the performance workbook (.xlsx or .xlsm)")
        p.add_argument("--month", metavar="YYYY-MM", help="report this month instead of the latest")
        p.add_argument("--out", help="write the refreshed workbook here and leave BOOK untouched")
        _writes_book(p)
        p.set_defaults(func=cmd_refresh)

    p = sub.add_parser("export", help="write the board pack: a formatted, values-only workbook")
    p.add_argument("book", help="the performance workbook (.xlsx or .xlsm)")
    p.add_argument("--out", required=True, metavar="PACK.xlsx", help="where to write the pack")
    p.add_argument("--month", metavar="YYYY-MM", help="report this month instead of the latest")
    p.add_argument(
        "--public",
        action="store_true",
        help="for publication: suppress small numbers (1 to suppress_below - 1) as c",
    )
    p.add_argument("--pdf", action="store_true", help="also write PACK.pdf (needs LibreOffice)")
    p.add_argument(
        "--force",
        action="store_true",
        help="replace an existing PACK.xlsx that is not an earlier board pack (never the "
        "workbook itself, a workbook with input sheets, or a read-only file)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("build-addin", help="assemble the Excel add-in xl_addin.xlam")
    p.add_argument("--out", default="xl_addin.xlam", help="where to write it")
    p.set_defaults(func=cmd_build_addin)

    p = sub.add_parser("init", help="add the four input sheets to an existing workbook")
    p.add_argument("book", help="your existing workbook (.xlsx or .xlsm)")
    _writes_book(p)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("explain", help="show how a measure's figure and rating were worked out")
    p.add_argument("book", help="the performance workbook (.xlsx or .xlsm)")
    p.add_argument("measure", help="the measure id, e.g. re_referrals")
    p.add_argument(
        "--month",
        metavar="YYYY-MM",
        help="explain this month's figure (default: the reporting month, with its rating)",
    )
    p.set_defaults(func=cmd_explain, reporting=None)

    p = sub.add_parser("demo", help="write the demo performance workbook, already refreshed")
    p.add_argument(
        "--out",
        default="xl_addin_demo.xlsx",
        help="where to write it (default: xl_addin_demo.xlsx)",
    )
    p.add_argument("--force", action="store_true", help="replace an existing file of that name")
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    p.set_defaults(func=cmd_demo)

    from .server.cli import register as register_serve  # the Office add-in server

    register_serve(sub)
    return parser


def _refused_by_system(exc: BaseException) -> str | None:
    """One sentence for a permission, read-only-drive or no-space error that reached main."""
    from .io.file_safety import os_error_in, os_error_message

    err = os_error_in(exc)
    return None if err is None else os_error_message(err)


def _run(args) -> int:
    """The command; a permission, read-only-drive or no-space error behind any failure (a
    damaged-file or input error wrapping it, say) is one sentence naming the file, exit 2."""
    from .io.file_safety import FileSafetyError

    try:
        return args.func(args)
    except FileSafetyError:
        raise
    except Exception as exc:
        refused = _refused_by_system(exc)
        if refused is None:
            raise
        _err(refused)
        return EXIT_BAD_INPUT


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = args.debug or bool(os.environ.get("XL_ADDIN_DEBUG"))
    if getattr(args, "month", None):
        from .contract.dates import parse_month

        month = parse_month(args.month)
        if month is None:
            _err(f"--month: expected a month such as 2022-09, found {args.month!r}")
            return EXIT_BAD_INPUT
        args.month = month
    try:
        return _run(args)
    except InputError as exc:
        _err(str(exc))
        return EXIT_BAD_INPUT
    except XlAddinError as exc:
        _err(str(exc))
        return EXIT_BAD_INPUT
    except SurgeryError as exc:  # the workbook cannot be changed safely; it was left untouched
        _err(f"{exc}\nYour workbook has not been changed.")
        return EXIT_UNEXPECTED if isinstance(exc, VerificationError) else EXIT_BAD_INPUT
    except KeyboardInterrupt:
        _err("stopped")
        return EXIT_UNEXPECTED
    except Exception as exc:  # the promise: no tracebacks for users, a clear line instead
        if debug:
            raise
        _err(
            f"xl-addin: unexpected error: {type(exc).__name__}: {exc}\n"
            "Run again with --debug for details, and report it with the workbook if you can."
        )
        return EXIT_UNEXPECTED


if __name__ == "__main__":
    sys.exit(main())
