"""Read + compute time for a large workbook, against a bare pandas/openpyxl read of the same sheets.

Prints one table. The workbook has 200 measures over 120 months (Data: 200 fields x 120 months,
plus denominators), and optionally an unrelated 100,000-row numeric sheet that xl_addin should
never read. Run:  python benchmarks/bench_read_compute.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from common import synthetic_sheets, timed_together

import xl_addin
from xl_addin.contract.schema import INPUT_SHEETS
from xl_addin.io.write_inputs import write_input_workbook
from xl_addin.ooxml import transplant


def build(path: Path, measures: int = 200, months: int = 120, unrelated_rows: int = 0) -> None:
    """The synthetic inputs as a workbook, plus (optionally) an unrelated numeric sheet added by
    our own surgery, as an analyst's case list would sit beside the inputs."""
    inputs = path.with_name(path.stem + "_inputs.xlsx")
    write_input_workbook(synthetic_sheets(measures, months), inputs)
    if not unrelated_rows:
        inputs.replace(path)
        return
    extra = path.with_name(path.stem + "_extra.xlsx")
    wb = xlsxwriter.Workbook(str(extra))
    ws = wb.add_worksheet("Case list")
    block = np.random.default_rng(7).random((unrelated_rows, 10)).round(4)
    for r in range(unrelated_rows):
        ws.write_row(r, 0, block[r].tolist())
    wb.close()
    transplant(inputs, extra, path, register=False)
    inputs.unlink()
    extra.unlink()


def ours(path: Path) -> None:
    xl_addin.compute(xl_addin.read_inputs(path))


def bare_openpyxl(path: Path) -> None:
    pd.read_excel(path, sheet_name=list(INPUT_SHEETS), engine="openpyxl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp, "inputs_only.xlsx"), Path(tmp, "with_unrelated_sheet.xlsx")
        build(small)
        build(large, unrelated_rows=100_000)
        rows = []
        for label, path in (
            ("200 measures x 120 months", small),
            ("same + unrelated 100,000-row sheet", large),
        ):
            t = timed_together(
                {"ours": lambda p=path: ours(p), "bare": lambda p=path: bare_openpyxl(p)},
                args.repeats,
            )
            a, b = t["ours"], t["bare"]
            rows.append((label, path.stat().st_size / 2**20, a, b))
    print(
        f"read + compute vs bare pandas.read_excel(engine='openpyxl') of the 4 input sheets "
        f"(median CPU seconds of {args.repeats} interleaved runs; {dt.date.today():%d %b %Y})"
    )
    print(f"{'workbook':38} {'size MB':>8} {'xl_addin s':>11} {'openpyxl s':>11} {'ratio':>7}")
    for label, size, a, b in rows:
        print(f"{label:38} {size:8.1f} {a:11.3f} {b:11.3f} {a / b:7.2f}x")
    growth = rows[1][2] / rows[0][2]
    print(f"xl_addin time with the unrelated sheet / without: {growth:.2f}x (target: ~1.0)")


if __name__ == "__main__":
    main()
