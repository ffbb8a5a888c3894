"""The optional `SPC periods` sheet: when a measure's process limits start again, or stay fixed.

Making Data Count recalculates limits after a deliberate change to the system (a new team, a
new way of working), and fixes them on a baseline so last month's colours do not change as
months are added. One row per event:

| measure | recalculate_from | baseline_to |
|---|---|---|
| re_referrals | 2022-04-30 | |
| cp_visits | | 2022-09-30 |

`recalculate_from`: the month from which the limits are worked out afresh (any number of rows
per measure). `baseline_to`: the limits come from the months up to and including this one and
are extended beyond it (at most one per measure).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..cellref import cell_name
from .dates import ACCEPTED_FORMS, parse_month
from .sheets import RawSheet, is_blank

COLUMNS = ("measure", "recalculate_from", "baseline_to")


@dataclass(frozen=True)
class SpcPeriods:
    """One measure's recalculation months and baseline end month."""

    recalculate_from: tuple[pd.Timestamp, ...] = ()
    baseline_to: pd.Timestamp | None = None


@dataclass
class _Found:
    months: list[pd.Timestamp] = field(default_factory=list)
    baseline: pd.Timestamp | None = None
    baseline_cell: str = ""


def read_spc_periods(sh: RawSheet, known: set[str] | None, ck) -> dict[str, SpcPeriods]:
    """Each measure's periods; problems (with their cells) go to the checker `ck`."""
    cols = ck.headers(sh, COLUMNS, ("measure",))
    if cols is None:
        return {}
    found: dict[str, _Found] = {}
    rows = [
        r
        for r in range(1, sh.height)
        if any(not is_blank(sh.cell(r, c)) or sh.error_at(r, c) for c in cols.values())
    ]
    for r in rows:
        mid = ck.text(sh, r, cols["measure"])
        if not mid:
            ck.problem(sh.name, r, cols["measure"], "measure id is blank")
            continue
        if known is not None and mid not in known:
            ck.problem(
                sh.name, r, cols["measure"], f'"{mid}" is not a measure id on the Measures sheet'
            )
            continue
        entry = found.setdefault(mid, _Found())
        given = False
        for name in ("recalculate_from", "baseline_to"):
            c = cols.get(name)
            if c is None or is_blank(sh.cell(r, c)):
                continue
            given = True
            month = None if sh.error_at(r, c) else parse_month(sh.cell(r, c))
            if month is None:
                ck.problem(sh.name, r, c, f"{name} must be a month: {ACCEPTED_FORMS}")
            elif name == "recalculate_from":
                entry.months.append(month)
            elif entry.baseline is not None:
                ck.problem(
                    sh.name,
                    r,
                    c,
                    f"{mid} already has a baseline (to {entry.baseline:%B %Y}, in "
                    f"{entry.baseline_cell}); give one per measure",
                )
            else:
                entry.baseline, entry.baseline_cell = month, f"{sh.name}!{cell_name(r, c)}"
        if not given:
            ck.problem(
                sh.name,
                r,
                cols["measure"],
                f"{mid}: give a month in recalculate_from or baseline_to",
            )
    return {mid: SpcPeriods(tuple(sorted(set(f.months))), f.baseline) for mid, f in found.items()}
