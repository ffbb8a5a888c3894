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

EXIT_OK, EXIT_UNEXPECTED, EXIT_BAD_INPUT = 0, 1, 2


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def cmd_validate(args) -> int:
    from .engine.pipeline import compute
    from .io.read import read_inputs

    inputs = read_inputs(args.book)
    results = compute(inputs)
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


def cmd_demo(args) -> int:
    from .demo import demo_sheets
    from .io.write_inputs import ABOUT, write_input_workbook

    out = Path(args.out)
    write_input_workbook(demo_sheets(), out, about=ABOUT)
    print(f"Wrote the demo workbook to {out}")
    return EXIT_OK


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

    p = sub.add_parser("demo", help="write the demo performance workbook")
    p.add_argument(
        "--out",
        default="xl_addin_demo.xlsx",
        help="where to write it (default: xl_addin_demo.xlsx)",
    )
    p.set_defaults(func=cmd_demo)
    return parser


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
        return args.func(args)
    except InputError as exc:
        _err(str(exc))
        return EXIT_BAD_INPUT
    except XlAddinError as exc:
        _err(str(exc))
        return EXIT_BAD_INPUT
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
