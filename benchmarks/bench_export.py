"""Board-pack export time against a bare pandas/openpyxl write of the same two tables.

For the demo and for a synthetic workbook of 200 measures over 120 months, prints the median CPU
time of writing the full pack (every sheet, 200 charts, sparklines, conditional formatting,
print setup) next to `DataFrame.to_excel(engine="openpyxl")` of just the scorecard and series
tables, which formats nothing. Target: the pack in at most 1.0x the bare write.

Inputs are built in memory (RawSheet + validate_inputs) and computed once; only writing is
timed. Run:  python benchmarks/bench_export.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pandas as pd
from common import synthetic_sheets, timed

import xl_addin
from xl_addin.contract import validate_inputs
from xl_addin.demo import demo_inputs
from xl_addin.engine.models import SCORECARD_COLUMNS, Results
from xl_addin.export import export_pack


def synthetic_results(measures: int = 200, months: int = 120) -> Results:
    """The shared synthetic workbook's inputs, computed once."""
    return xl_addin.compute(validate_inputs(synthetic_sheets(measures, months), source="bench"))


def bare_openpyxl(results: Results, path: Path) -> None:
    """The baseline: the scorecard and series tables, unformatted, through pandas + openpyxl."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        results.scorecard[SCORECARD_COLUMNS].to_excel(writer, sheet_name="Scorecard", index=False)
        results.series.to_excel(writer, sheet_name="Series", index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    cases = [("demo (32 measures x 13 months)", xl_addin.compute(demo_inputs()))]
    cases.append(("200 measures x 120 months", synthetic_results()))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for label, results in cases:
            pack = timed(lambda r=results: export_pack(r, folder / "pack.xlsx"), args.repeats)
            public = timed(
                lambda r=results: export_pack(r, folder / "public.xlsx", public=True),
                args.repeats,
            )
            bare = timed(lambda r=results: bare_openpyxl(r, folder / "bare.xlsx"), args.repeats)
            size = (folder / "pack.xlsx").stat().st_size / 1e6
            rows.append((label, pack, public, bare, pack / bare, public / bare, size))
    print(f"Median CPU seconds of {args.repeats} runs (time.process_time)")
    head = ("workbook", "full pack", "--public pack", "bare openpyxl", "ratio", "public ratio")
    print(f"| {' | '.join(head)} | pack MB |")
    print("|" + "---|" * (len(head) + 1))
    for label, pack, public, bare, ratio, pub_ratio, size in rows:
        print(
            f"| {label} | {pack:.2f} s | {public:.2f} s | {bare:.2f} s | {ratio:.2f}x | "
            f"{pub_ratio:.2f}x | {size:.1f} |"
        )


if __name__ == "__main__":
    main()
