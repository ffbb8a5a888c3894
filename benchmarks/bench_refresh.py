"""`xl-addin refresh` against a bare openpyxl load_workbook + save of the same file.

Refresh cost should depend on what the add-in owns, not on the size of the user's workbook:
the second row adds an unrelated 200,000-row data sheet to the demo, the third the same sheet
without its `<dimension>` element (optional in the standard, and left out by several tools that
write workbooks; a reader that wants a sheet's size must then read it all). Prints one table.
Run:  python benchmarks/bench_refresh.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
import warnings
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import xlsxwriter
from common import timed_together

from xl_addin.demo import demo_sheets
from xl_addin.io.write_inputs import ABOUT, write_input_workbook
from xl_addin.ooxml import transplant
from xl_addin.ooxml.parts import Package
from xl_addin.ooxml.workbook import read_sheets
from xl_addin.refresh_book import refresh


def build_demo(path: Path) -> None:
    write_input_workbook(demo_sheets(), path, about=ABOUT)
    refresh(path, backup=False)  # a workbook that has been refreshed before, as in real use


def build_large(path: Path, rows: int = 200_000) -> None:
    """The demo plus a 200,000-row case list the add-in never reads (added by our own surgery)."""
    inputs, big = path.with_name("inputs.xlsx"), path.with_name("case_list.xlsx")
    build_demo(inputs)
    wb = xlsxwriter.Workbook(str(big))
    ws = wb.add_worksheet("Case list")
    ws.write_row(0, 0, ["child_id", "team", "worker", "days_open", "visits", "reviews"])
    block = np.random.default_rng(3).integers(0, 100_000, size=(rows, 6))
    for r in range(rows):
        ws.write_row(r + 1, 0, block[r].tolist())
    wb.close()
    transplant(inputs, big, path, register=False)
    inputs.unlink()
    big.unlink()


def without_dimension(src: Path, dst: Path, sheet: str = "Case list") -> None:
    """`src` with the `<dimension>` element of `sheet` left out, every other part as it was."""
    with Package(src) as pkg:
        main = pkg.main_part()
        part = next(s.part for s in read_sheets(pkg.xml(main), pkg.rels(main)) if s.name == sheet)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                data = re.sub(rb"<dimension [^>]*/>", b"", data, count=1)
            zout.writestr(info, data)


def openpyxl_round_trip(src: Path, dst: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        openpyxl.load_workbook(src).save(dst)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        demo, large = Path(tmp, "demo.xlsx"), Path(tmp, "demo_large.xlsx")
        no_dimension = Path(tmp, "demo_large_no_dimension.xlsx")
        build_demo(demo)
        build_large(large)
        without_dimension(large, no_dimension)
        cases = (
            ("demo", demo),
            ("demo + 200,000-row sheet", large),
            ("  the same, no <dimension>", no_dimension),
        )
        for label, path in cases:
            work = path.with_name("work" + path.suffix)
            shutil.copy(path, work)
            t = timed_together(
                {
                    "ours": lambda w=work: refresh(w, backup=False),
                    "bare": lambda p=path: openpyxl_round_trip(p, Path(tmp, "opx.xlsx")),
                },
                args.repeats,
            )
            ours, bare = t["ours"], t["bare"]
            rows.append((label, path.stat().st_size / 2**20, ours, bare))
    print(
        "refresh vs openpyxl load_workbook + save "
        f"(median CPU seconds of {args.repeats} interleaved runs)"
    )
    print(f"{'workbook':28} {'size MB':>8} {'refresh s':>10} {'openpyxl s':>11} {'ratio':>7}")
    for label, size, ours, bare in rows:
        print(f"{label:28} {size:8.1f} {ours:10.2f} {bare:11.2f} {ours / bare:7.2f}x")
    print(
        "targets: <= 1.0x on the demo, <= 0.2x with the large sheet (with or without <dimension>)"
    )


if __name__ == "__main__":
    main()
