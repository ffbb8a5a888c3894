"""Check the four input sheets and turn them into engine inputs.

Every problem is collected before raising, so the analyst fixes the workbook in one pass; each
names its sheet and cell and says what was expected.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import fields as dataclass_fields
from typing import Any

import numpy as np
import pandas as pd

from ..cellref import cell_name, column_letter
from ..engine.calculations import CALCULATIONS
from ..engine.models import Inputs, KpiWarning, Settings
from ..engine.periods import month_end
from ..errors import InputError, Problem
from ..process_control import SETTING_NAMES as SPC_SETTING_NAMES
from ..process_control import SpcSettings, parse_spc_settings
from . import dates
from .consistency import check_figures
from .dates import ACCEPTED_FORMS, parse_month
from .schema import (
    BASES,
    CHARTS,
    DATA,
    DATA_FIELD_HEADER,
    FREQUENCIES,
    GAP_RATINGS,
    INPUT_SHEETS,
    MEASURE_COLUMNS,
    MEASURES,
    POLARITIES,
    REQUIRED_MEASURE_COLUMNS,
    SECTION_SHORT_MAX,
    SETTINGS,
    SETTINGS_COLUMNS,
    SPC_PERIODS,
    TARGET_COLUMNS,
    TARGETS,
    TOLERANCES,
)
from .sheets import RawSheet, is_blank
from .spc_periods import read_spc_periods

_ID = re.compile(r"^[A-Za-z0-9_]+$")
UNSAVED_LISTED = 3  # formula cells without values named one by one; the rest are counted
UNSAVED_FORMULA = (
    "holds a formula with no saved value (the file was written by a program that does not "
    "calculate, so every reader sees a blank); open the workbook in Excel and save it"
)


def _shown(value: Any) -> str:
    """A cell value as the message should quote it."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value:%d/%m/%Y}"
    return repr(value)


def _numeric(value: Any) -> bool:
    """Text that Excel would show as a number if it were one ("123", " 4.5 ", "1,204")."""
    if not isinstance(value, str):
        return False
    try:
        return math.isfinite(float(value.strip().replace(",", "")))
    except ValueError:
        return False


class _Checker:
    """Collects problems and warnings while reading cells."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.warnings: list[KpiWarning] = []
        self.unsaved_cells: dict[str, list[str]] = {}

    def problem(self, sheet: str, r: int | None, c: int | None, message: str) -> None:
        cell = cell_name(r, c) if r is not None and c is not None else None
        self.problems.append(Problem(sheet, cell, message))

    def warn(self, sheet: str, r: int, c: int, message: str) -> None:
        self.warnings.append(KpiWarning(message, location=f"{sheet}!{cell_name(r, c)}"))

    def unsaved(self, sh: RawSheet, r: int, c: int, what: str = "the figure") -> bool:
        """A formula with no saved value reads as blank; say so rather than use a blank.

        A script that wrote a whole column of formulas gives one problem per cell: the first
        few are named and the rest counted (`close`), so the list stays readable.
        """
        if not sh.unsaved_formula_at(r, c):
            return False
        cells = self.unsaved_cells.setdefault(sh.name, [])
        cells.append(cell_name(r, c))
        if len(cells) <= UNSAVED_LISTED:
            self.problem(sh.name, r, c, f"{UNSAVED_FORMULA}, or type {what}")
        return True

    def close(self) -> None:
        for sheet, cells in self.unsaved_cells.items():
            if len(cells) > UNSAVED_LISTED:
                more = cells[UNSAVED_LISTED:]
                shown = ", ".join(more[:5]) + (", ..." if len(more) > 5 else "")
                self.problems.append(
                    Problem(
                        sheet,
                        None,
                        f"{len(more)} more cells hold formulas with no saved value ({shown}): "
                        "open the workbook in Excel and save it",
                    )
                )

    def number(self, sh: RawSheet, r: int, c: int, *, count: bool = False) -> float | None:
        """A number from a cell; blank gives None; anything else is a problem."""
        if self.unsaved(sh, r, c):
            return None
        err = sh.error_at(r, c)
        if err:
            self.problem(sh.name, r, c, f"expected a number, found the Excel error {err}")
            return None
        v = sh.cell(r, c)
        if is_blank(v):
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            hint = " (a number stored as text: convert it to a number)" if _numeric(v) else ""
            self.problem(sh.name, r, c, f"expected a number, found {_shown(v)}{hint}")
            return None
        if not math.isfinite(v):
            self.problem(sh.name, r, c, f"expected a number, found {v}")
            return None
        if count and v < 0:
            self.problem(sh.name, r, c, f"expected zero or more, found {v:g}")
            return None
        return float(v)

    def text(self, sh: RawSheet, r: int, c: int) -> str:
        if self.unsaved(sh, r, c, "the text"):
            return ""
        err = sh.error_at(r, c)
        if err:
            self.problem(sh.name, r, c, f"expected text, found the Excel error {err}")
            return ""
        v = sh.cell(r, c)
        if is_blank(v):
            return ""
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return str(v).strip()

    def choice(
        self,
        sh: RawSheet,
        r: int,
        c: int,
        allowed: tuple[str, ...],
        what: str,
        default: str | None = None,
    ) -> str | None:
        raw = self.text(sh, r, c)
        if not raw and default is not None:
            return default
        for option in allowed:
            if raw.lower() == option.lower():
                return option
        found = f'"{raw}"' if raw else "a blank"
        self.problem(sh.name, r, c, f"{what} must be one of {', '.join(allowed)}; found {found}")
        return None

    def headers(
        self, sh: RawSheet, expected: tuple[str, ...], required: tuple[str, ...]
    ) -> dict[str, int] | None:
        """Column index of each expected header in row 1 (case and spaces ignored)."""
        found: dict[str, int] = {}
        for c in range(sh.width):
            v = sh.cell(0, c)
            if isinstance(v, str):
                key = v.strip().lower()
                for name in expected:
                    if key == name.lower() and name not in found:
                        found[name] = c
        missing = [n for n in required if n not in found]
        if missing:
            names = ", ".join(f'"{n}"' for n in missing)
            self.problem(
                sh.name,
                0,
                sh.width if sh.width else 0,
                f"missing column{'s' if len(missing) > 1 else ''} {names}: row 1 needs the "
                f"headers {', '.join(required)}",
            )
            return None
        return found


def _data_rows(sh: RawSheet, cols: list[int]) -> list[int]:
    """Row indexes from row 2 on that have anything in the given columns (blank rows skipped)."""
    return [
        r
        for r in range(1, sh.height)
        if any(
            not is_blank(sh.cell(r, c)) or sh.error_at(r, c) or sh.unsaved_formula_at(r, c)
            for c in cols
        )
    ]


# -- Settings ---------------------------------------------------------------------------------

_SETTING_KINDS = {
    "authority": "text",
    "reporting_month": "month",
    "population_0_17": "positive",
    "financial_year_start_month": "month_number",
    "rag_green": "fraction",
    "rag_amber": "fraction",
    "rag_red": "fraction",
    "rag_gap": GAP_RATINGS,
    "rag_tolerance": TOLERANCES,
    "rag_basis": BASES,
    "forecast_window": "window",
    "suppress_below": "whole",
    "classification": "text",
}
assert set(_SETTING_KINDS) | {"spc"} == {f.name for f in dataclass_fields(Settings)}


def _read_settings(sh: RawSheet, ck: _Checker) -> tuple[Settings, dict[str, str] | None]:
    """Settings plus the cell each came from (None when the sheet's headers are wrong)."""
    cols = ck.headers(sh, SETTINGS_COLUMNS, SETTINGS_COLUMNS)
    if cols is None:
        return Settings(), None
    kc, vc = cols["Setting"], cols["Value"]
    values: dict[str, Any] = {}
    where: dict[str, str] = {}
    spc_raw: dict[str, Any] = {}
    for r in _data_rows(sh, [kc, vc]):
        key = ck.text(sh, r, kc).lower()
        if not key:
            ck.problem(sh.name, r, kc, "setting name is blank but the row has a value")
            continue
        if key in SPC_SETTING_NAMES:
            if key in where:
                ck.problem(
                    sh.name, r, kc, f'setting "{key}" is given twice (first at {where[key]})'
                )
            else:
                where[key] = f"{sh.name}!{cell_name(r, vc)}"
                spc_raw[key] = sh.error_at(r, vc) or sh.cell(r, vc)
            continue
        if key not in _SETTING_KINDS:
            known = ", ".join(_SETTING_KINDS)
            known += ", " + ", ".join(SPC_SETTING_NAMES)
            ck.warn(sh.name, r, kc, f'unknown setting "{key}" is ignored (known: {known})')
            continue
        if key in where:
            ck.problem(sh.name, r, kc, f'setting "{key}" is given twice (first at {where[key]})')
            continue
        where[key] = f"{sh.name}!{cell_name(r, vc)}"
        value = _setting_value(sh, r, vc, key, ck)
        if value is not None:
            values[key] = value
    spc, spc_problems = parse_spc_settings(spc_raw)
    for name, message in spc_problems.items():
        ck.problems.append(Problem(sh.name, where[name].partition("!")[2], message))
    settings = Settings(**values, spc=spc or SpcSettings())
    for low, high in (("rag_green", "rag_amber"), ("rag_amber", "rag_red")):
        if getattr(settings, low) > getattr(settings, high):
            # point at the first of the two, or the second when the first is the default
            where_bad = where.get(low if low in where else high, "")
            ck.problems.append(
                Problem(
                    sh.name,
                    where_bad.partition("!")[2] or None,
                    f"RAG thresholds must satisfy rag_green ≤ rag_amber ≤ rag_red; found "
                    f"{settings.rag_green:g}, {settings.rag_amber:g}, {settings.rag_red:g} "
                    f"({low} is above {high})",
                )
            )
            break
    return settings, where


def _new_setting_cell(sh: RawSheet) -> str:
    """The `Setting` cell of the first row below the settings (where a missing one goes)."""
    kc = next(
        (
            c
            for c in range(sh.width)
            if isinstance(sh.cell(0, c), str) and sh.cell(0, c).strip().lower() == "setting"
        ),
        0,
    )
    used = [r for r in range(len(sh.rows)) if any(not is_blank(v) for v in sh.rows[r])]
    return cell_name(max(used, default=0) + 1, kc)


def _setting_value(sh: RawSheet, r: int, c: int, key: str, ck: _Checker) -> Any:
    kind = _SETTING_KINDS[key]
    if isinstance(kind, tuple):
        return ck.choice(sh, r, c, kind, key, default=Settings.__dataclass_fields__[key].default)
    if kind == "text":
        return ck.text(sh, r, c)
    if kind == "month":
        v = sh.cell(r, c)
        if is_blank(v):
            return None
        month = parse_month(v)
        if month is None:
            ck.problem(sh.name, r, c, f"{key} must be a month: {ACCEPTED_FORMS}; found {_shown(v)}")
        return month
    if kind == "month_number":
        v = sh.cell(r, c)
        if isinstance(v, str) and parse_month(f"{v.strip()} 2000") is not None:
            return parse_month(f"{v.strip()} 2000").month
    n = ck.number(sh, r, c)
    if n is None:
        return None
    if kind == "positive" and n <= 0:
        ck.problem(sh.name, r, c, f"{key} must be more than zero; found {n:g}")
        return None
    if kind == "fraction" and n < 0:
        ck.problem(sh.name, r, c, f"{key} must be zero or more (0.02 means 2%); found {n:g}")
        return None
    if kind in ("month_number", "window", "whole"):
        lo, hi = {"month_number": (1, 12), "window": (2, 120), "whole": (1, 1000)}[kind]
        if not n.is_integer() or not lo <= n <= hi:
            ck.problem(
                sh.name, r, c, f"{key} must be a whole number from {lo} to {hi}; found {n:g}"
            )
            return None
        return int(n)
    return n


# -- Data -------------------------------------------------------------------------------------


_PLAIN = {float, int}
_PLAIN_OR_BLANK = {float, int, str, type(None)}


def _fast_counts(sh: RawSheet, r: int, cols: list[int]) -> list[float] | None:
    """A row of plain non-negative numbers and blanks, without per-cell checks; else None.

    Almost every Data row is like this; anything unusual falls back to the checked path, which
    reports the cell. Types are checked in C (`map(type, ...)`), values with numpy.
    """
    if sh.errors or sh.unsaved_formulas:
        return None
    row = sh.rows[r]
    if cols and cols[-1] - cols[0] == len(cols) - 1 and cols[-1] < len(row):
        values = row[cols[0] : cols[-1] + 1]  # the usual layout: months side by side
    else:
        values = [row[c] if c < len(row) else None for c in cols]
    kinds = set(map(type, values))
    if not kinds <= _PLAIN:
        if not kinds <= _PLAIN_OR_BLANK:
            return None  # bools, dates...: the checked path names the cell
        if any(type(v) is str and v != "" for v in values):
            return None
        values = [math.nan if v is None or v == "" else v for v in values]
    arr = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        bad = (arr < 0) | np.isinf(arr)
    return None if bad.any() else arr.tolist()


def _read_data(sh: RawSheet, ck: _Checker):
    """Fields x months as floats, plus the row of each field and the column of each month."""
    head = sh.cell(0, 0)
    if not (isinstance(head, str) and head.strip().lower() == DATA_FIELD_HEADER):
        ck.problem(
            sh.name,
            0,
            0,
            f'expected the header "field", found {_shown(head)}'
            if not is_blank(head)
            else 'expected the header "field", found a blank',
        )
    months: dict[int, pd.Timestamp] = {}
    seen: dict[pd.Timestamp, int] = {}
    for c in range(1, sh.width):
        v = sh.cell(0, c)
        if sh.unsaved_formula_at(0, c):
            ck.problem(sh.name, 0, c, f"month header {UNSAVED_FORMULA}, or type the month")
            ck.unsaved_cells.setdefault(sh.name, []).append(cell_name(0, c))
            for r in range(1, sh.height):  # the figures below are usually formulas too
                ck.unsaved(sh, r, c)
            continue
        if is_blank(v) and not sh.error_at(0, c):
            if any(not is_blank(sh.cell(r, c)) for r in range(1, len(sh.rows))):
                ck.problem(
                    sh.name,
                    0,
                    c,
                    f"month header is blank but the column has figures; expected {ACCEPTED_FORMS}",
                )
            continue
        month = None if sh.error_at(0, c) else parse_month(v)
        if month is None:
            shown = sh.error_at(0, c) or _shown(v)
            ck.problem(sh.name, 0, c, f"expected a month: {ACCEPTED_FORMS}; found {shown}")
            continue
        if month in seen:
            first = cell_name(0, seen[month])
            ck.problem(sh.name, 0, c, f"{month:%B %Y} appears twice (also in {first})")
            continue
        seen[month] = c
        months[c] = month
    _check_month_order(sh, months, ck)

    month_cols = list(months)
    rows: dict[str, int] = {}
    values: dict[str, list[float]] = {}
    for r in _data_rows(sh, list(range(sh.width))):
        field = ck.text(sh, r, 0)
        if not field:
            ck.problem(sh.name, r, 0, "field id is blank but the row has figures")
            continue
        if not _ID.match(field):
            ck.problem(sh.name, r, 0, f'field id "{field}" may only use letters, digits and _')
            continue
        if field in rows:
            ck.problem(sh.name, r, 0, f'field "{field}" appears twice (also in row {rows[field]})')
            continue
        rows[field] = r + 1
        values[field] = _fast_counts(sh, r, month_cols) or [
            v if (v := ck.number(sh, r, c, count=True)) is not None else math.nan for c in months
        ]
    matrix = np.array(list(values.values()), dtype=float).reshape(len(values), len(months))
    order = np.argsort(np.array(list(months.values()), dtype="datetime64[ns]"), kind="stable")
    frame = pd.DataFrame(
        matrix[:, order],
        index=pd.Index(list(values), dtype=object),
        columns=pd.DatetimeIndex(np.array(list(months.values()))[order]),
    )
    month_columns = {m: column_letter(c) for c, m in months.items()}
    return frame, rows, month_columns


def _has_figures(sh: RawSheet, c: int) -> bool:
    return any(
        not is_blank(sh.cell(r, c)) or sh.unsaved_formula_at(r, c) for r in range(1, sh.height)
    )


def _check_month_order(sh: RawSheet, months: dict[int, pd.Timestamp], ck: _Checker) -> None:
    """Refuse a month with figures that cannot be right: in the future, or more than a year
    after the month to its left (2033 typed for 2023). Empty columns set up ahead are fine."""
    today = dates.today()
    this_month = month_end(today)
    previous: tuple[int, pd.Timestamp] | None = None
    for c, month in months.items():
        suspect = month > this_month or (
            previous and month > month_end(previous[1] + pd.DateOffset(months=12))
        )
        if suspect and _has_figures(sh, c):
            if month > this_month:
                ck.problem(
                    sh.name,
                    0,
                    c,
                    f"{month:%B %Y} is in the future (today is {today:%d %B %Y}) but the "
                    "column has figures; expected the month they are for (a slip such as 2033 "
                    "for 2023?)",
                )
            elif previous and month > month_end(previous[1] + pd.DateOffset(months=12)):
                ck.problem(
                    sh.name,
                    0,
                    c,
                    f"{month:%B %Y} is more than a year after {previous[1]:%B %Y} in the column "
                    f"to its left ({cell_name(0, previous[0])}); expected consecutive months (a "
                    "typing slip in the year?)",
                )
        previous = (c, month)


# -- Measures ---------------------------------------------------------------------------------


def _read_measures(sh: RawSheet, fields: set[str] | None, ck: _Checker):
    cols = ck.headers(sh, MEASURE_COLUMNS, REQUIRED_MEASURE_COLUMNS)
    if cols is None:
        return pd.DataFrame(columns=MEASURE_COLUMNS[1:]), {}, None
    records, where, ids = [], {}, set()
    short_cells: dict[str, list[tuple[int, int, str]]] = {}
    for r in _data_rows(sh, list(cols.values())):
        rec = {name: (ck.text(sh, r, c)) for name, c in cols.items()}
        mid = rec["id"]
        ids.add(mid)
        ok = True
        if not mid or not _ID.match(mid):
            ck.problem(
                sh.name,
                r,
                cols["id"],
                "measure id must be letters, digits or _; found "
                + (f'"{mid}"' if mid else "a blank"),
            )
            ok = False
        elif mid in where:
            ck.problem(
                sh.name,
                r,
                cols["id"],
                f'measure id "{mid}" is used twice (also in row {where[mid][0] + 1})',
            )
            ok = False
        calc = ck.choice(sh, r, cols["calculation"], tuple(CALCULATIONS), "calculation")
        polarity = ck.choice(sh, r, cols["polarity"], POLARITIES, "polarity")
        chart = (
            ck.choice(sh, r, cols["chart"], CHARTS, "chart", default="line")
            if "chart" in cols
            else "line"
        )
        freq = (
            ck.choice(sh, r, cols["frequency"], FREQUENCIES, "frequency", default="monthly")
            if "frequency" in cols
            else "monthly"
        )
        for role in ("numerator", "denominator"):
            name = rec.get(role, "")
            needed = role == "numerator" or (calc and CALCULATIONS[calc].needs_denominator)
            c = cols.get(role)
            if not name:
                if needed:
                    ck.problem(
                        sh.name,
                        r,
                        c if c is not None else cols["numerator"] + 1,
                        f"{role} field is needed for calculation {calc}",
                    )
                    ok = False
            elif fields is not None and name not in fields:
                ck.problem(
                    sh.name,
                    r,
                    c,
                    f'{role} field "{name}" is not a field in Data (column A of the Data sheet)',
                )
                ok = False
        if not rec["title"]:
            ck.problem(sh.name, r, cols["title"], "title is blank")
        if not rec["section"] and not sh.unsaved_formula_at(r, cols["section"]):
            merged = sh.merged_range_of(r, cols["section"])
            hint = (
                f" ({cell_name(r, cols['section'])} is inside the merged cells {merged}, whose "
                "text only the first cell holds: unmerge them and type the section on each row)"
                if merged
                else ""
            )
            ck.problem(
                sh.name,
                r,
                cols["section"],
                "section is blank; every measure needs one (it groups the Scorecard and names "
                f"the chart sheet){hint}",
            )
            ok = False
        if None in (calc, polarity, chart, freq):
            ok = False
        elif chart == "spc" and CALCULATIONS[calc].window != "month":
            ck.problem(
                sh.name,
                r,
                cols["chart"],
                f"chart spc needs an in-month calculation; {calc} repeats earlier months, so its "
                "points are not independent (use line, or chart the in-month figure)",
            )
            ok = False
        if ok:
            where[mid] = (r, cols["calculation"])
            records.append(
                {
                    "id": mid,
                    "title": rec["title"] or mid,
                    "section": rec["section"],
                    "calculation": calc,
                    "numerator": rec["numerator"],
                    "denominator": rec.get("denominator", ""),
                    "polarity": polarity,
                    "chart": chart,
                    "frequency": freq,
                    "section_short": rec.get("section_short", ""),
                }
            )
            if rec.get("section_short"):
                short_cells.setdefault(rec["section"], []).append(
                    (r, cols["section_short"], rec["section_short"])
                )
    _check_short_forms(sh, short_cells, ck)
    frame = pd.DataFrame.from_records(records, columns=MEASURE_COLUMNS)
    return frame.set_index("id"), where, ids


def _check_short_forms(sh: RawSheet, cells: dict[str, list], ck: _Checker) -> None:
    """One short form per section, short enough for a sheet name."""
    for section, given in cells.items():
        first_r, first_c, first = given[0]
        for r, c, short in given:
            if len(short) > SECTION_SHORT_MAX:
                ck.problem(
                    sh.name,
                    r,
                    c,
                    f'section_short "{short}" has {len(short)} characters; a chart sheet name '
                    f'allows {SECTION_SHORT_MAX} after "Charts - "',
                )
            elif short != first:
                ck.problem(
                    sh.name,
                    r,
                    c,
                    f'section "{section}" already has the short form "{first}" (at '
                    f"{cell_name(first_r, first_c)}); give one short form per section",
                )


# -- Targets ----------------------------------------------------------------------------------


def _read_targets(sh: RawSheet, measures: pd.DataFrame, known: set[str] | None, ck: _Checker):
    """Targets; `known` is every id in Measures, or None when Measures cannot be read."""
    cols = ck.headers(sh, TARGET_COLUMNS, TARGET_COLUMNS)
    records = []
    if cols is None:
        return pd.DataFrame(columns=TARGET_COLUMNS)
    seen: dict[tuple[str, pd.Timestamp], int] = {}
    units = {m: CALCULATIONS[c].unit for m, c in measures["calculation"].items()}
    polarity = measures["polarity"].to_dict()
    for r in _data_rows(sh, list(cols.values())):
        mid = ck.text(sh, r, cols["measure"])
        raw_date = sh.cell(r, cols["date"])
        date = None if sh.error_at(r, cols["date"]) else parse_month(raw_date)
        target = ck.number(sh, r, cols["target"])
        if not mid:
            ck.problem(sh.name, r, cols["measure"], "measure id is blank")
        elif known is not None and mid not in known:
            ck.problem(
                sh.name,
                r,
                cols["measure"],
                f'target for unknown measure "{mid}" (not an id in Measures)',
            )
            mid = ""
        if date is None:
            shown = sh.error_at(r, cols["date"]) or (
                _shown(raw_date) if not is_blank(raw_date) else "a blank"
            )
            ck.problem(
                sh.name,
                r,
                cols["date"],
                f"expected the date the target is due: {ACCEPTED_FORMS}; found {shown}",
            )
        blank_target = is_blank(sh.cell(r, cols["target"])) and not sh.error_at(r, cols["target"])
        if target is None and blank_target:
            ck.problem(sh.name, r, cols["target"], "target is blank")
        if not mid or date is None or target is None or mid not in units:
            continue
        if units[mid] == "percent" and not 0 <= target <= 1:
            ck.problem(
                sh.name,
                r,
                cols["target"],
                f"{mid} is a percentage, so its target must be between 0 and 1 "
                f"(82% is 0.82); found {target:g}",
            )
            continue
        if (mid, date) in seen:
            ck.problem(
                sh.name,
                r,
                cols["date"],
                f"{mid} already has a target due {date:%d/%m/%Y} (row {seen[(mid, date)]})",
            )
            continue
        seen[(mid, date)] = r + 1
        if polarity[mid] == "contextual":
            ck.warn(
                sh.name,
                r,
                cols["measure"],
                f"{mid} is contextual (never rated), so its target is only drawn on charts",
            )
        records.append({"measure": mid, "date": date, "target": target})
    frame = pd.DataFrame.from_records(records, columns=TARGET_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])
    order = {m: i for i, m in enumerate(measures.index)}
    return (
        frame.assign(_o=frame["measure"].map(order))
        .sort_values(["_o", "date"])
        .drop(columns="_o")
        .reset_index(drop=True)
    )


# -- All together -----------------------------------------------------------------------------


def validate_inputs(sheets: Mapping[str, RawSheet | None], source: str = "") -> Inputs:
    """Validated inputs, or InputError listing every problem found in the four sheets."""
    ck = _Checker()
    for name in INPUT_SHEETS:
        if sheets.get(name) is None:
            ck.problems.append(
                Problem(
                    name,
                    None,
                    "sheet is missing (the workbook needs sheets "
                    "Settings, Measures, Data and Targets; names are "
                    "case-sensitive; `xl-addin init` adds them)",
                )
            )
    empty = RawSheet("", [])
    settings, setting_cells = (
        _read_settings(sheets[SETTINGS], ck) if sheets.get(SETTINGS) else (Settings(), None)
    )
    data, data_rows, month_columns = (
        _read_data(sheets[DATA], ck) if sheets.get(DATA) else (pd.DataFrame(), {}, {})
    )
    fields = set(data.index) if sheets.get(DATA) else None
    measures, measure_cells, known = (
        _read_measures(sheets.get(MEASURES) or empty, fields, ck)
        if sheets.get(MEASURES)
        else (pd.DataFrame(columns=MEASURE_COLUMNS[1:]), {}, None)
    )
    targets = (
        _read_targets(sheets[TARGETS], measures, known, ck)
        if sheets.get(TARGETS)
        else pd.DataFrame(columns=TARGET_COLUMNS)
    )

    chosen, months = settings.reporting_month, data.columns
    if chosen is not None and len(months) and not months.min() <= chosen <= months.max():
        ck.problems.append(
            Problem(
                SETTINGS,
                setting_cells["reporting_month"].partition("!")[2],
                f"reporting_month {chosen:%B %Y} is outside the months in Data "
                f"({months.min():%B %Y} to {months.max():%B %Y}); expected one of those months "
                "or a blank for the latest",
            )
        )
    if sheets.get(MEASURES) and setting_cells is not None and not settings.population_0_17:
        needing = [
            m
            for m in measures.index
            if CALCULATIONS[measures.at[m, "calculation"]].needs_population
        ]
        if needing:
            r, c = measure_cells[needing[0]]
            where = setting_cells.get("population_0_17")
            cell = where.partition("!")[2] if where else _new_setting_cell(sheets[SETTINGS])
            add = "" if where else "; add a row population_0_17 with the ONS mid-year estimate"
            ck.problems.append(
                Problem(
                    SETTINGS,
                    cell,
                    f"population_0_17 is needed because {len(needing)} measure(s) are rates per "
                    f"10,000 (first: {needing[0]} at {MEASURES}!{cell_name(r, c)}){add}",
                )
            )
    if sheets.get(DATA) and sheets.get(MEASURES):
        found = check_figures(measures, data, data_rows, month_columns, settings)
        ck.problems += found.problems
        ck.warnings += found.warnings
    if sheets.get(MEASURES) and not ck.problems and measures.empty:
        ck.problems.append(Problem(MEASURES, "A2", "no measures: add one row per measure"))
    periods = read_spc_periods(sheets[SPC_PERIODS], known, ck) if sheets.get(SPC_PERIODS) else {}
    ck.close()
    if ck.problems:
        raise InputError(ck.problems)
    return Inputs(
        settings, measures, data, targets, ck.warnings, data_rows, month_columns, source, periods
    )
