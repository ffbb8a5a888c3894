"""Board-pack export time against a bare pandas/openpyxl write of the same two tables.

For the demo and for a synthetic workbook of 200 measures over 120 months, prints the median CPU
time of writing the full pack (every sheet, native charts, sparklines, conditional formatting,
print setup) next to `DataFrame.to_excel(engine="openpyxl")` of just the scorecard and series
tables, which formats nothing. Target: the pack in at most 1.0x the bare write.

A second table shows where the pack's time goes: planning (pure Python, ours), writing the
same plan without its charts, and the charts (the difference). Inputs are built in memory and
computed once; only exporting is timed. All runs of one workbook are interleaved.
Run:  python benchmarks/bench_export.py [--repeats 9]
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
from pathlib import Path

import pandas as pd
from common import synthetic_sheets, timed_together

import xl_addin
from xl_addin.contract import validate_inputs
from xl_addin.demo import demo_inputs
from xl_addin.engine.models import SCORECARD_COLUMNS, Results
from xl_addin.export import export_pack
from xl_addin.export.pack import pack_plan
from xl_addin.render.plan import Plan
from xl_addin.render.xlsx_scratch import write_scratch


def synthetic_results(measures: int = 200, months: int = 120) -> Results:
    """The shared synthetic workbook's inputs, computed once."""
    return xl_addin.compute(validate_inputs(synthetic_sheets(measures, months), source="bench"))


def bare_openpyxl(results: Results, path: Path) -> None:
    """The baseline: the scorecard and series tables, unformatted, through pandas + openpyxl."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        results.scorecard[SCORECARD_COLUMNS].to_excel(writer, sheet_name="Scorecard", index=False)
        results.series.to_excel(writer, sheet_name="Series", index=False)


def without_charts(plan: Plan) -> Plan:
    return dataclasses.replace(
        plan, sheets=tuple(dataclasses.replace(s, charts=()) for s in plan.sheets)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    cases = [("demo (32 measures x 13 months)", xl_addin.compute(demo_inputs()))]
    cases.append(("200 measures x 120 months", synthetic_results()))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for label, results in cases:
            bare_plan = without_charts(pack_plan(results))
            t = timed_together(
                {
                    "pack": lambda r=results: export_pack(r, folder / "pack.xlsx"),
                    "public": lambda r=results: export_pack(r, folder / "pub.xlsx", public=True),
                    "bare": lambda r=results: bare_openpyxl(r, folder / "bare.xlsx"),
                    "plan": lambda r=results: pack_plan(r),
                    "no_charts": lambda p=bare_plan: write_scratch(
                        p, folder / "nc.xlsx", in_memory=True
                    ),
                },
                args.repeats,
            )
            charts = sum(len(s.charts) for s in pack_plan(results).sheets)
            size = (folder / "pack.xlsx").stat().st_size / 1e6
            rows.append((label, charts, size, t))
    print(f"Median CPU seconds of {args.repeats} interleaved runs (time.process_time)")
    print("| workbook | full pack | --public pack | bare openpyxl | ratio | public ratio | MB |")
    print("|---|---|---|---|---|---|---|")
    for label, _, size, t in rows:
        print(
            f"| {label} | {t['pack']:.3f} s | {t['public']:.3f} s | {t['bare']:.3f} s | "
            f"{t['pack'] / t['bare']:.2f}x | {t['public'] / t['bare']:.2f}x | {size:.1f} |"
        )
    print()
    print("Where the full pack's time goes (share of the bare openpyxl write in brackets)")
    print("| workbook | planning | writing without charts | native charts | charts |")
    print("|---|---|---|---|---|")
    for label, charts, _, t in rows:
        bare = t["bare"]
        chart_time = t["pack"] - t["plan"] - t["no_charts"]
        print(
            f"| {label} | {t['plan']:.3f} s ({t['plan'] / bare:.2f}x) | "
            f"{t['no_charts']:.3f} s ({t['no_charts'] / bare:.2f}x) | "
            f"{chart_time:.3f} s ({chart_time / bare:.2f}x) | {charts} |"
        )


if __name__ == "__main__":
    main()
