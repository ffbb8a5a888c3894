"""Read + compute time for a large workbook, against a bare pandas/openpyxl read of the same sheets.

Prints one table. The workbook has 200 measures over 120 months (Data: 200 fields x 120 months,
plus denominators), and optionally an unrelated 100,000-row numeric sheet that xl_addin should
never read. Run:  python benchmarks/bench_read_compute.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

import xl_addin
from xl_addin.contract.schema import INPUT_SHEETS

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


def build(path: Path, measures: int = 200, months: int = 120, unrelated_rows: int = 0) -> None:
    rng = np.random.default_rng(7)
    month_ends = pd.date_range("2015-04-30", periods=months, freq="ME")
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    date_fmt = wb.add_format({"num_format": "mmm-yy"})
    ws = wb.add_worksheet("Settings")
    for r, row in enumerate(
        [["Setting", "Value"], ["authority", "Benchmark"], ["population_0_17", 33000]]
    ):
        ws.write_row(r, 0, row)
    ws = wb.add_worksheet("Measures")
    ws.write_row(
        0,
        0,
        ["id", "title", "section", "calculation", "numerator", "denominator", "polarity", "chart"],
    )
    for i in range(measures):
        calc = CALCS[i % len(CALCS)]
        ws.write_row(
            i + 1,
            0,
            [
                f"m{i}",
                f"Measure {i}",
                f"Section {i % 6}",
                calc,
                f"n{i}",
                f"d{i}",
                "higher" if i % 3 else "lower",
                "line",
            ],
        )
    ws = wb.add_worksheet("Data")
    ws.write(0, 0, "field")
    for c, m in enumerate(month_ends, start=1):
        ws.write_datetime(0, c, m.to_pydatetime(), date_fmt)
    row = 1
    for i in range(measures):
        den = rng.integers(100, 1000, months)
        num = (den * rng.uniform(0.3, 0.95, months)).astype(int)
        for name, values in ((f"n{i}", num), (f"d{i}", den)):
            ws.write(row, 0, name)
            ws.write_row(row, 1, values.tolist())
            row += 1
    ws = wb.add_worksheet("Targets")
    ws.write_row(0, 0, ["measure", "date", "target"])
    r = 1
    for i in range(measures):
        for k in range(3):
            ws.write(r, 0, f"m{i}")
            ws.write_datetime(
                r,
                1,
                (
                    month_ends[-1] + pd.DateOffset(months=3 * k + 3) + pd.offsets.MonthEnd(0)
                ).to_pydatetime(),
            )
            ws.write(r, 2, 0.8 if CALCS[i % len(CALCS)].endswith("percent") else 500.0)
            r += 1
    if unrelated_rows:
        ws = wb.add_worksheet("Case list")
        block = rng.random((unrelated_rows, 10)).round(4)
        for rr in range(unrelated_rows):
            ws.write_row(rr, 0, block[rr].tolist())
    wb.close()


def timed(fn, repeats: int) -> float:
    """Median CPU seconds: steadier than wall time on a shared machine (all work is one thread)."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def ours(path: Path) -> None:
    xl_addin.compute(xl_addin.read_inputs(path))


def bare_openpyxl(path: Path) -> None:
    pd.read_excel(path, sheet_name=list(INPUT_SHEETS), engine="openpyxl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp, "inputs_only.xlsx"), Path(tmp, "with_unrelated_sheet.xlsx")
        build(small)
        build(large, unrelated_rows=100_000)
        ours(small)  # warm imports and caches for both sides
        bare_openpyxl(small)
        rows = []
        for label, path in (
            ("200 measures x 120 months", small),
            ("same + unrelated 100,000-row sheet", large),
        ):
            a = timed(lambda p=path: ours(p), args.repeats)
            b = timed(lambda p=path: bare_openpyxl(p), args.repeats)
            rows.append((label, path.stat().st_size / 2**20, a, b))
    print(
        f"read + compute vs bare pandas.read_excel(engine='openpyxl') of the 4 input sheets "
        f"(median CPU seconds of {args.repeats}; {dt.date.today():%d %b %Y})"
    )
    print(f"{'workbook':38} {'size MB':>8} {'xl_addin s':>11} {'openpyxl s':>11} {'ratio':>7}")
    for label, size, a, b in rows:
        print(f"{label:38} {size:8.1f} {a:11.3f} {b:11.3f} {a / b:7.2f}x")
    growth = rows[1][2] / rows[0][2]
    print(f"xl_addin time with the unrelated sheet / without: {growth:.2f}x (target: ~1.0)")


if __name__ == "__main__":
    main()
