"""What the benchmark scripts share: a large synthetic workbook's inputs, and CPU timing."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from xl_addin.contract import RawSheet

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


def synthetic_sheets(measures: int = 200, months: int = 120, seed: int = 7) -> dict[str, RawSheet]:
    """Input sheets for `measures` measures over `months` months in six sections, each measure
    with its own numerator and denominator field and three targets after the last month."""
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
    rows = {
        "Settings": settings,
        "Measures": measure_rows,
        "Data": data_rows,
        "Targets": target_rows,
    }
    return {name: RawSheet(name, r) for name, r in rows.items()}


def timed_together(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median CPU seconds (steadier than wall time; the work is one thread) of each function,
    run in turn (a, b, a, b, ...) after one untimed
    warm-up each, so a ratio compares runs made under the same load: on a shared virtual
    machine, blocks of runs made a few seconds apart can differ by a third."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.process_time()
            fn()
            times[name].append(time.process_time() - start)
    return {name: statistics.median(t) for name, t in times.items()}
