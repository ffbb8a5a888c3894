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
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

import xl_addin
from xl_addin.contract import RawSheet, validate_inputs
from xl_addin.demo import demo_inputs
from xl_addin.engine.models import SCORECARD_COLUMNS, Results
from xl_addin.export import export_pack

CALCS = [
    "value",
    "percent",
    "rolling_in_year_percent",
    "rolling_12_month_percent",
    "cumulative_in_year",
    "rate_per_10k",
    "projected_in_year_rate_per_10k",
    "ratio",
]


def synthetic_results(measures: int = 200, months: int = 120, seed: int = 7) -> Results:
    """200 measures over 120 months in six sections, each with its own numerator and
    denominator field and three targets; computed once."""
    rng = np.random.default_rng(seed)
    month_ends = pd.date_range("2015-04-30", periods=months, freq="ME")
    settings = [["Setting", "Value"], ["authority", "Benchmark"], ["population_0_17", 33000]]
    header = ["id", "title", "section", "calculation", "numerator", "denominator", "polarity"]
    measure_rows = [[*header, "chart"]]
    data_rows = [["field", *(m.date() for m in month_ends)]]
    target_rows = [["measure", "date", "target"]]
    for i in range(measures):
        calc = CALCS[i % len(CALCS)]
        polarity = "higher" if i % 3 else "lower"
        measure_rows.append(
            [f"m{i}", f"Measure {i}", f"Section {i % 6}", calc, f"n{i}", f"d{i}", polarity, "line"]
        )
        den = rng.integers(100, 1000, months)
        num = (den * rng.uniform(0.3, 0.95, months)).astype(int)
        data_rows += [[f"n{i}", *num.tolist()], [f"d{i}", *den.tolist()]]
        for k in range(3):
            due = month_ends[-1] + pd.offsets.MonthEnd(3 * k + 3)
            target = 0.8 if calc.endswith("percent") else 500.0
            target_rows.append([f"m{i}", due.date(), target])
    sheets = {
        "Settings": RawSheet("Settings", settings),
        "Measures": RawSheet("Measures", measure_rows),
        "Data": RawSheet("Data", data_rows),
        "Targets": RawSheet("Targets", target_rows),
    }
    return xl_addin.compute(validate_inputs(sheets, source="benchmark"))


def timed(fn: Callable[[], object], repeats: int) -> float:
    """Median CPU seconds: steadier than wall time on a shared machine (the work is one
    thread; LibreOffice is not involved)."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


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
