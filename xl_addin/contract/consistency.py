"""Checks of Data figures against what Measures says they are.

A figure can be a perfectly good number and still make a report that is not true: 330 children
visited of 256 on plans is 128.9%, shown Green; 82 typed for 82% in a percentage field is rated
against a target of 0.9. Each such figure is named by its cell. A measure whose fields are
wrong in every month (numerator and denominator swapped, say) gets its first few cells and a
count, not a hundred lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..engine.models import KpiWarning, Settings, records
from ..engine.periods import is_quarter_end, uk_month
from ..errors import Problem
from .schema import DATA

CELLS_LISTED = 3  # cells named one by one before the rest are counted
FRACTION_OF_FIELDS = ("percent", "rolling_in_year_percent", "rolling_12_month_percent")


@dataclass
class Findings:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[KpiWarning] = field(default_factory=list)


def check_figures(
    measures: pd.DataFrame,
    data: pd.DataFrame,
    data_rows: dict[str, int],
    month_columns: dict[pd.Timestamp, str],
    settings: Settings,
) -> Findings:
    """Problems and warnings about figures that contradict their measure's definition."""
    out = Findings()
    if data.empty or measures.empty:
        return out
    months = list(data.columns)

    def cell(f: str, j: int) -> str:
        return f"{month_columns[months[j]]}{data_rows[f]}"

    matrix = data.to_numpy(dtype=float)
    position = {f: i for i, f in enumerate(data.index)}

    def row(f: str) -> np.ndarray:
        return matrix[position[f]]

    quarter_end = is_quarter_end(data.columns, settings.financial_year_start_month)
    monthly_fields = {
        f
        for m in records(measures.reset_index())
        if m["frequency"] == "monthly"
        for f in (m["numerator"], m["denominator"])
        if f
    }
    done: set[tuple] = set()
    for m in records(measures.reset_index()):
        mid, calc, num, den = m["id"], m["calculation"], m["numerator"], m["denominator"]
        fraction = calc in FRACTION_OF_FIELDS and num in data.index and den in data.index
        if fraction and ("over", num, den) not in done:
            done.add(("over", num, den))
            n, d = row(num), row(den)
            with np.errstate(invalid="ignore"):
                bad = np.flatnonzero(n > d)
            _name_cells(
                out.problems.append,
                bad,
                lambda j, n=n, d=d, num=num, den=den, mid=mid: Problem(
                    DATA,
                    cell(num, j),
                    f"{num} ({n[j]:g}) is more than {den} ({d[j]:g}) in {uk_month(months[j])}, "
                    f"but measure {mid} is {num} ÷ {den}, a percentage that cannot pass "
                    "100%; check both figures (and that Measures has them the right way "
                    "round)",
                ),
                lambda rest, num=num: Problem(
                    DATA, None, f"{num} is more than its denominator in {rest} more months"
                ),
            )
        if calc == "percent_value" and num in data.index and ("pv", num) not in done:
            done.add(("pv", num))
            v = row(num)
            with np.errstate(invalid="ignore"):
                bad = np.flatnonzero(v > 1)
            _name_cells(
                out.problems.append,
                bad,
                lambda j, v=v, num=num, mid=mid: Problem(
                    DATA,
                    cell(num, j),
                    f"{num} is a percentage for measure {mid} (calculation percent_value), so "
                    f"its figures must be fractions from 0 to 1 (82% is 0.82); found {v[j]:g}",
                ),
                lambda rest, num=num: Problem(
                    DATA, None, f"{num} has figures above 1 in {rest} more months"
                ),
            )
        if m["frequency"] == "quarterly":
            for f in (num, den):
                if not f or f not in data.index or f in monthly_fields or ("q", f) in done:
                    continue
                done.add(("q", f))
                bad = np.flatnonzero(np.isfinite(row(f)) & ~quarter_end)
                _name_cells(
                    out.warnings.append,
                    bad,
                    lambda j, f=f, mid=mid: KpiWarning(
                        f"{mid} is quarterly, so the figure for {uk_month(months[j])} (not a "
                        "quarter end) is not used",
                        mid,
                        f,
                        None,
                        f"{DATA}!{cell(f, j)}",
                    ),
                    lambda rest, f=f, mid=mid: KpiWarning(
                        f"{mid} is quarterly: {rest} more figures of {f} outside quarter ends "
                        "are not used",
                        mid,
                        f,
                    ),
                )
    return out


def _name_cells(add: Callable, bad: np.ndarray, one: Callable, rest: Callable) -> None:
    for j in bad[:CELLS_LISTED].tolist():
        add(one(j))
    if len(bad) > CELLS_LISTED:
        add(rest(len(bad) - CELLS_LISTED))
