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

from . import in_year
from .formatting import fmt_change, fmt_percent_change, fmt_value, shown
from .models import records
from .periods import uk_date, uk_month
from .rag import GREEN, RED
from .variation import reading

if TYPE_CHECKING:
    from .models import Results

MOVER_THRESHOLD = 0.03
NOT_MOVERS = ("cumulative_in_year", "projected_in_year_rate_per_10k")


@dataclass(frozen=True)
class Comment:
    """One bullet: what kind of news it is, about which measure, and the sentence."""

    kind: str  # red | met | missed | mover | reading (RAG and SPC together, every measure)
    measure_id: str
    section: str
    text: str

    def __str__(self) -> str:
        return self.text


def _finite(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def _v(value: float, row) -> str:
    """A value as the Scorecard shows it (one decimal for percentages and rates)."""
    return fmt_value(value, row["unit"], row["decimals"])


def movement(before: float, after: float, unit: str, decimals: int | None = None) -> str:
    """'(+73, 3.1%)' for counts and rates; '(+2.5 percentage points)' for percentages.

    Worked on the figures as shown, so the stated change is the difference a reader can check.
    """
    before, after = shown(before, unit, decimals), shown(after, unit, decimals)
    change = after - before
    if unit == "percent" or before == 0:
        return f"({fmt_change(change, unit, decimals)})"
    return f"({fmt_change(change, unit, decimals)}, {fmt_percent_change(change / before)})"


def _verb(change: float) -> str:
    return "rose" if change > 0 else "fell" if change < 0 else "stayed the same"


def moved_enough(row) -> bool:
    before, after = row["previous"], row["value"]
    if not (_finite(before) and _finite(after)) or row["calculation"] in NOT_MOVERS:
        return False
    before = shown(before, row["unit"], row["decimals"])
    change = round(abs(shown(after, row["unit"], row["decimals"]) - before), 9)
    if row["unit"] == "percent":
        return change >= MOVER_THRESHOLD
    return bool(before) and change / abs(before) >= MOVER_THRESHOLD


def mover_sentence(row, months: np.ndarray, values: np.ndarray, fy_start_month: int = 4) -> str:
    """The movement against the figure the Scorecard compares with, and the one before it
    when that went the other way (never reaching back across April for in-year figures).

    'Total open cases rose from 2,393 on 31 August 2022 to 2,466 on 30 September 2022
    (+73, 3.1%), then fell to 2,352 on 31 October 2022 (−114, −4.6%).'
    """
    unit, places = row["unit"], row["decimals"]
    m2, v2 = pd.Timestamp(row["month"]), float(row["value"])
    m1, v1 = pd.Timestamp(row["previous_month"]), float(row["previous"])
    change = movement(v1, v2, unit, places)
    if (m2.year - m1.year) * 12 + m2.month - m1.month == 12:
        return (
            f"{row['measure']} was {_v(v2, row)} in {uk_month(m2)} against {_v(v1, row)} in "
            f"{uk_month(m1)}, a year earlier {change}."
        )
    last = f"{_v(v2, row)} on {uk_date(m2)} {change}"
    s1, s2 = shown(v1, unit, places), shown(v2, unit, places)
    step = 3 if row["frequency"] == "quarterly" else 1
    m0 = pd.Timestamp(
        (np.datetime64(m1, "M") - step + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    )
    earlier = values[months == np.datetime64(m0, "ns")]
    crosses_april = (
        in_year.resets_each_year(row["calculation"])
        and len(
            set(in_year.fy_of(np.array([m0, m1], dtype="datetime64[ns]"), fy_start_month).tolist())
        )
        > 1
    )
    if len(earlier) and np.isfinite(earlier[0]) and not crosses_april:
        v0 = float(earlier[0])
        s0 = shown(v0, unit, places)
        if np.sign(s1 - s0) not in (0, np.sign(s2 - s1)):
            return (
                f"{row['measure']} {_verb(s1 - s0)} from {_v(v0, row)} on {uk_date(m0)} to "
                f"{_v(v1, row)} on {uk_date(m1)} {movement(v0, v1, unit, places)}, then "
                f"{_verb(s2 - s1)} to {last}."
            )
    return f"{row['measure']} {_verb(s2 - s1)} from {_v(v1, row)} on {uk_date(m1)} to {last}."


def _basis_words(row) -> str:
    """How the rated forecast was made, for the sentence that explains a rating."""
    if row["calculation"] == in_year.RUNNING_TOTAL:
        return "at this year's average monthly rate so far it would reach"
    if row["calculation"] == in_year.PROJECTED_RATE:
        return "this figure is already projected over the whole year at the rate so far:"
    return "on the recent trend it would reach"


def rag_sentence(row) -> str:
    """Why a measure has its rating: value, target, due date and the forecast when it was used."""
    text = (
        f"{row['measure']} is {row['rag']}: {_v(row['value'], row)} in {uk_month(row['month'])} "
        f"against a target of {_v(row['target'], row)} due {uk_date(row['target_date'])}"
    )
    if row["rated_basis"] == "forecast" and row["calculation"] != in_year.PROJECTED_RATE:
        text += f"; {_basis_words(row)} {_v(row['forecast'], row)} by then"
    return text + "."


def _change_sentence(row) -> str:
    return (
        f"{row['measure']} is now {row['rag']} (was {row['previous_rag']}): "
        f"{_v(row['value'], row)} in {uk_month(row['month'])} against a target of "
        f"{_v(row['target'], row)} due {uk_date(row['target_date'])}."
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
            add(
                "mover",
                mover_sentence(
                    row,
                    *results.history(row["measure_id"]),
                    results.settings.financial_year_start_month,
                ),
            )
    readings = [
        Comment("reading", row["measure_id"], row["section"], reading(row))
        for row in records(results.scorecard)
    ]
    return [c for kind in ("red", "met", "missed", "mover") for c in groups[kind]] + readings
