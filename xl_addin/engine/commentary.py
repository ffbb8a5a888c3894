"""Commentary sentences for the measures worth mentioning, every number computed from the data.

Worth mentioning, in this order: every Red; measures newly Green or newly off Green against
their previous month's rating; then every measure that moved by at least 3% (3 percentage points
for percentages), in scorecard order. Year-to-date running totals are left out of the movers:
they rise every month by construction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .formatting import fmt_change, fmt_percent_change, fmt_value
from .models import records
from .periods import uk_date, uk_month
from .rag import GREEN, RED

if TYPE_CHECKING:
    from .models import Results

MOVER_THRESHOLD = 0.03
NOT_MOVERS = ("cumulative_in_year", "projected_in_year_rate_per_10k")


@dataclass(frozen=True)
class Comment:
    """One bullet: what kind of news it is, about which measure, and the sentence."""

    kind: str  # red | met | missed | mover
    measure_id: str
    section: str
    text: str

    def __str__(self) -> str:
        return self.text


def _finite(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def _v(value: float, unit: str) -> str:
    """Values in sentences: percentages to one decimal, so the stated change adds up."""
    return fmt_value(value, unit, percent_decimals=1)


def movement(before: float, after: float, unit: str) -> str:
    """'(+73, 3.1%)' for counts and rates; '(+20.0 percentage points)' for percentages."""
    change = after - before
    if unit == "percent" or before == 0:
        return f"({fmt_change(change, unit)})"
    return f"({fmt_change(change, unit)}, {fmt_percent_change(change / before)})"


def _verb(change: float) -> str:
    return "rose" if change > 0 else "fell" if change < 0 else "stayed the same"


def moved_enough(row: pd.Series) -> bool:
    before, after = row["previous"], row["value"]
    if not (_finite(before) and _finite(after)) or row["calculation"] in NOT_MOVERS:
        return False
    change = round(abs(after - before), 9)
    if row["unit"] == "percent":
        return change >= MOVER_THRESHOLD
    return bool(before) and change / abs(before) >= MOVER_THRESHOLD


def mover_sentence(row, months: np.ndarray, values: np.ndarray) -> str:
    """The last movement, with the one before when it went the other way.

    'Total open cases rose from 2,393 on 31 August 2022 to 2,466 on 30 September 2022
    (+73, 3.1%), then fell to 2,352 on 31 October 2022 (−114, −4.6%).'
    """
    unit = row["unit"]
    keep = np.isfinite(values) & (months <= np.datetime64(row["month"]))
    points = [
        (pd.Timestamp(m), float(v))
        for m, v in zip(months[keep][-3:], values[keep][-3:], strict=True)
    ]
    (m1, v1), (m2, v2) = points[-2], points[-1]
    last = f"{_v(v2, unit)} on {uk_date(m2)} {movement(v1, v2, unit)}"
    if len(points) == 3 and np.sign(v1 - points[0][1]) not in (0, np.sign(v2 - v1)):
        m0, v0 = points[0]
        return (
            f"{row['measure']} {_verb(v1 - v0)} from {_v(v0, unit)} on {uk_date(m0)} to "
            f"{_v(v1, unit)} on {uk_date(m1)} {movement(v0, v1, unit)}, then {_verb(v2 - v1)} "
            f"to {last}."
        )
    return f"{row['measure']} {_verb(v2 - v1)} from {_v(v1, unit)} on {uk_date(m1)} to {last}."


def rag_sentence(row: pd.Series) -> str:
    """Why a measure has its rating: value, target, due date and the forecast when it was used."""
    unit = row["unit"]
    text = (
        f"{row['measure']} is {row['rag']}: {_v(row['value'], unit)} in {uk_month(row['month'])} "
        f"against a target of {_v(row['target'], unit)} due {uk_date(row['target_date'])}"
    )
    if row["rated_basis"] == "forecast":
        text += f"; on the recent trend it would reach {_v(row['forecast'], unit)} by then"
    return text + "."


def _change_sentence(row: pd.Series) -> str:
    return (
        f"{row['measure']} is now {row['rag']} (was {row['previous_rag']}): "
        f"{_v(row['value'], row['unit'])} in {uk_month(row['month'])} against a target of "
        f"{_v(row['target'], row['unit'])} due {uk_date(row['target_date'])}."
    )


def write_commentary(results: Results) -> list[Comment]:
    """Bullets for the reporting month, most important first."""
    groups: dict[str, list[Comment]] = {"red": [], "met": [], "missed": [], "mover": []}
    for row in records(results.scorecard):
        if not _finite(row["value"]):
            continue

        def add(kind: str, text: str, row=row) -> None:
            groups[kind].append(Comment(kind, row["measure_id"], row["section"], text))

        now, before = row["rag"], row["previous_rag"]
        if now == RED:
            add("red", rag_sentence(row))
        elif now == GREEN and before in ("Amber", RED):
            add("met", _change_sentence(row))
        if before == GREEN and now in ("Amber", RED):
            add("missed", _change_sentence(row))
        if moved_enough(row):
            add("mover", mover_sentence(row, *results.history(row["measure_id"])))
    return [c for kind in ("red", "met", "missed", "mover") for c in groups[kind]]
