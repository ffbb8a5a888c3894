"""What the worksheet functions compute, on plain Python values (no xlwings here).

Every figure comes from the engine (`rag`, `direction`, `compute_series`, `evaluate`,
`trend_forecast`), so `=RAG()` in a cell and the Scorecard can never disagree. This module only
turns Excel arguments into engine arguments and back:

- an argument is a single value or a range; ranges arrive as rows of values (Office.js), a flat
  list for a single row, or tuples (classic COM); results keep the shape of the inputs, so a
  column spills one result per row;
- a blank gives a blank (""), an Excel error in an input gives that error in the result;
- anything else wrong raises `ArgumentError`, which Excel shows as #VALUE! with the message;
- dates are Excel serial numbers, real dates, or text the Data sheet would accept.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..contract.dates import ACCEPTED_FORMS, parse_month
from ..engine.calculations import evaluate
from ..engine.models import Inputs, Settings
from ..engine.periods import month_ordinal
from ..engine.pipeline import compute_series
from ..engine.rag import direction, rag
from ..engine.targets import trend_forecast
from .reader import EXCEL_ERRORS

BLANK_OUT = ""
DEFAULT_WINDOW = Settings.forecast_window

# Office.js error objects name the error; COM hands errors over as these integers.
_OFFICE_ERRORS = {
    "Div0": "#DIV/0!",
    "NotAvailable": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "Spill": "#SPILL!",
    "Calc": "#CALC!",
    "GettingData": "#GETTING_DATA",
    "Busy": "#BUSY!",
    "Connect": "#CONNECT!",
    "Blocked": "#BLOCKED!",
    "Field": "#FIELD!",
}
_COM_ERRORS = {
    -2146826281: "#DIV/0!",
    -2146826246: "#N/A",
    -2146826259: "#NAME?",
    -2146826288: "#NULL!",
    -2146826252: "#NUM!",
    -2146826265: "#REF!",
    -2146826273: "#VALUE!",
}


class ArgumentError(ValueError):
    """A worksheet function was given something it cannot use; the message says what."""


class Blank:
    """An empty cell (or an omitted argument)."""

    def __repr__(self) -> str:
        return "BLANK"


BLANK = Blank()


class ExcelError(str):
    """An Excel error value in an input, passed on to the result as it came."""


# -- Arguments -----------------------------------------------------------------------------


def cell_value(v: Any) -> Any:
    """One cell as it arrives from either route -> a Python value, BLANK or an ExcelError."""
    if isinstance(v, dict):
        kind = v.get("type")
        if kind == "Error":
            return ExcelError(
                v.get("basicValue") or _OFFICE_ERRORS.get(v.get("errorType"), "#VALUE!")
            )
        if "basicValue" in v:
            return cell_value(v["basicValue"])
        raise ArgumentError(f"cannot use a value of type {kind or 'unknown'} here")
    if v is None or (isinstance(v, str) and not v.strip()):
        return BLANK
    if isinstance(v, str) and v.strip() in EXCEL_ERRORS:
        return ExcelError(v.strip())
    if type(v) is int and v in _COM_ERRORS:
        return ExcelError(_COM_ERRORS[v])
    return v


def matrix(arg: Any) -> np.ndarray:
    """An argument as a 2-D object array: a value is 1x1, a flat list is one row."""
    if isinstance(arg, (list, tuple)):
        rows = [list(r) if isinstance(r, (list, tuple)) else None for r in arg]
        if arg and all(r is not None for r in rows):
            width = max(len(r) for r in rows)
            grid = [r + [None] * (width - len(r)) for r in rows]
        else:
            grid = [list(arg)] if arg else [[None]]
    else:
        grid = [[arg]]
    out = np.empty((len(grid), len(grid[0])), dtype=object)
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            out[i, j] = cell_value(v)
    return out


def _where(shape: tuple[int, int], idx: tuple[int, int]) -> str:
    if shape == (1, 1):
        return ""
    if shape[1] == 1:
        return f" (row {idx[0] + 1})"
    if shape[0] == 1:
        return f" (column {idx[1] + 1})"
    return f" (row {idx[0] + 1}, column {idx[1] + 1})"


def _shown(v: Any) -> str:
    if isinstance(v, str):
        return f'text "{v}"'
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    return repr(v)


def number(v: Any, what: str) -> float:
    """A real number, or ArgumentError (TRUE/FALSE and text are not numbers here)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise ArgumentError(f"{what}: expected a number, found {_shown(v)}")
    return float(v)


def scalar(arg: Any, what: str) -> Any:
    """A single-cell argument (a threshold, a window): a range is an error."""
    m = matrix(arg)
    if m.shape != (1, 1):
        raise ArgumentError(f"{what}: expected a single value, found a range of {m.size} cells")
    return m[0, 0]


def optional_number(arg: Any, what: str, default: float) -> float:
    v = scalar(arg, what)
    if isinstance(v, ExcelError):
        raise ArgumentError(f"{what}: found the Excel error {v}")
    return float(default) if v is BLANK else number(v, what)


def month(v: Any, what: str) -> pd.Timestamp:
    """The month end of a date argument (serial number, date or month text)."""
    m = None if isinstance(v, bool) else parse_month(v)
    if m is None:
        raise ArgumentError(f"{what}: expected a date ({ACCEPTED_FORMS}), found {_shown(v)}")
    return m


def broadcast(*args: np.ndarray, names: Sequence[str]) -> list[np.ndarray]:
    try:
        return list(np.broadcast_arrays(*args))
    except ValueError:
        shapes = ", ".join(
            f"{n} {a.shape[0]}x{a.shape[1]}" for n, a in zip(names, args, strict=True)
        )
        raise ArgumentError(
            f"the ranges must be the same size (or single cells); found {shapes}"
        ) from None


def first_error(*values: Any) -> ExcelError | None:
    return next((v for v in values if isinstance(v, ExcelError)), None)


def _engine(call: Callable[[], Any]) -> Any:
    """The engine's own ValueError (a bad polarity, thresholds out of order) as an argument
    error; its message already names the argument."""
    try:
        return call()
    except ValueError as exc:
        raise ArgumentError(str(exc)) from None


def as_result(out: np.ndarray) -> list[list]:
    """Rows of plain values; blanks as "" (an empty-looking cell)."""
    return [[BLANK_OUT if v is None or v is BLANK else v for v in row] for row in out.tolist()]


# -- RAG and DIRECTION ---------------------------------------------------------------------


def _text(v: Any, default: str) -> str:
    return default if v is BLANK else str(v)


def _cellwise(cells: tuple[np.ndarray, ...], gather, compute) -> list[list]:
    """Check each cell's arguments, run the engine once over all of them, put results back.

    `gather(items, at)` turns one cell's arguments into the engine's (None leaves it blank);
    an Excel error in any argument is passed through as that cell's result.
    """
    shape = cells[0].shape
    out = np.full(shape, BLANK_OUT, dtype=object)
    args, where = [], []
    for idx in np.ndindex(shape):
        items = [c[idx] for c in cells]
        err = first_error(*items)
        if err is not None:
            out[idx] = err
            continue
        got = gather(items, _where(shape, idx))
        if got is not None:
            args.append(got)
            where.append(idx)
    columns = [list(a) for a in zip(*args, strict=True)]
    results = _engine(lambda: compute(*columns)) if where else []
    for idx, result in zip(where, np.atleast_1d(results), strict=True):
        out[idx] = result
    return as_result(out)


def rag_cells(value, target, polarity=None, green=None, amber=None, red=None) -> list[list]:
    """RAG for each cell: design §5 through `xl_addin.rag`; a blank value gives a blank."""
    s = Settings()
    g = optional_number(green, "green", s.rag_green)
    a = optional_number(amber, "amber", s.rag_amber)
    r = optional_number(red, "red", s.rag_red)
    cells = broadcast(
        matrix(value), matrix(target), matrix(polarity), names=("value", "target", "polarity")
    )

    def gather(items, at):
        v, t, p = items
        if v is BLANK:
            return None
        target_value = None if t is BLANK else number(t, f"target{at}")
        return number(v, f"value{at}"), target_value, _text(p, "higher")

    return _cellwise(cells, gather, lambda vals, targets, pols: rag(vals, targets, pols, g, a, r))


def direction_cells(current, previous, polarity=None) -> list[list]:
    """The Scorecard's direction words for each cell, through `xl_addin.direction`."""
    cells = broadcast(
        matrix(current),
        matrix(previous),
        matrix(polarity),
        names=("current", "previous", "polarity"),
    )

    def gather(items, at):
        c, p, pol = items
        if c is BLANK or p is BLANK:
            return None
        return number(c, f"current{at}"), number(p, f"previous{at}"), _text(pol, "higher")

    return _cellwise(cells, gather, direction)


# -- Series along months -------------------------------------------------------------------


def _months_vector(month_ends: Any) -> tuple[np.ndarray, str]:
    """The month-end argument as a 1-D array and its orientation ("col" or "row")."""
    m = matrix(month_ends)
    if m.shape[1] == 1:
        return m[:, 0], "col"
    if m.shape[0] == 1:
        return m[0, :], "row"
    raise ArgumentError("month_ends: expected one row or one column of dates")


def _series(arg: np.ndarray, n_months: int, orient: str, what: str) -> tuple[np.ndarray, bool]:
    """Series (one per row of the result) x months, and whether results run down rows.

    With month_ends as a column, each column of `arg` is a series; as a row, each row is.
    """
    if orient == "col":
        if arg.shape[0] != n_months:
            raise ArgumentError(
                f"{what}: expected {n_months} rows, one per month; found {arg.shape[0]}"
            )
        return arg.T, False
    if arg.shape[1] != n_months:
        raise ArgumentError(
            f"{what}: expected {n_months} columns, one per month; found {arg.shape[1]}"
        )
    return arg, True


def _fy_start(arg: Any) -> int:
    v = scalar(arg, "fy_start_month")
    if v is BLANK:
        return Settings.financial_year_start_month
    if isinstance(v, str):
        parsed = parse_month(f"{v.strip()} 2000")
        if parsed is not None:
            return parsed.month
    n = number(v, "fy_start_month") if not isinstance(v, str) else math.nan
    if not (n == n and n.is_integer() and 1 <= n <= 12):
        raise ArgumentError(
            f"fy_start_month: expected a month number 1 to 12 (4 = April), found {_shown(v)}"
        )
    return int(n)


def _month_list(vector: np.ndarray) -> list[pd.Timestamp | ExcelError | None]:
    out: list[pd.Timestamp | ExcelError | None] = []
    for k, v in enumerate(vector):
        if isinstance(v, ExcelError):
            out.append(v)
        elif v is BLANK:
            out.append(None)
        else:
            out.append(month(v, f"month_ends (item {k + 1})"))
    seen = [m for m in out if isinstance(m, pd.Timestamp)]
    if len(set(seen)) != len(seen):
        dup = next(m for m in seen if seen.count(m) > 1)
        raise ArgumentError(f"month_ends: {dup:%B %Y} appears more than once")
    return out


def _figures(series: np.ndarray, what: str) -> tuple[np.ndarray, dict[tuple[int, int], ExcelError]]:
    """Numbers with blanks (and errors) as NaN; errors remembered to pass on."""
    out = np.full(series.shape, np.nan)
    errors: dict[tuple[int, int], ExcelError] = {}
    for idx in np.ndindex(series.shape):
        v = series[idx]
        if isinstance(v, ExcelError):
            errors[idx] = v
        elif v is not BLANK:
            out[idx] = number(v, f"{what} (item {idx[1] + 1})")
    return out, errors


def rolling_in_year_cells(numerators, denominators, month_ends, fy_start_month=None) -> list[list]:
    """Σ numerator ÷ Σ denominator over the financial year to each month: the engine's
    `rolling_in_year_percent`, computed by `compute_series` on the months given."""
    fy = _fy_start(fy_start_month)
    vector, orient = _months_vector(month_ends)
    months = _month_list(vector)
    num, by_rows = _series(matrix(numerators), len(months), orient, "numerators")
    den, _ = _series(matrix(denominators), len(months), orient, "denominators")
    if num.shape != den.shape:
        raise ArgumentError("numerators and denominators must be the same size")
    n, n_err = _figures(num, "numerators")
    d, d_err = _figures(den, "denominators")
    real = sorted({m for m in months if isinstance(m, pd.Timestamp)})
    out = np.full(num.shape, BLANK_OUT, dtype=object)
    if real:
        ids = [f"s{i}" for i in range(num.shape[0])]
        cols = [k for k, m in enumerate(months) if isinstance(m, pd.Timestamp)]
        data = pd.DataFrame(
            np.vstack([n[:, cols], d[:, cols]]),
            index=[f"n{i}" for i in range(len(ids))] + [f"d{i}" for i in range(len(ids))],
            columns=pd.DatetimeIndex([months[k] for k in cols]),
        ).sort_index(axis=1)
        measures = pd.DataFrame(
            {
                "title": ids,
                "section": "",
                "calculation": "rolling_in_year_percent",
                "numerator": [f"n{i}" for i in range(len(ids))],
                "denominator": [f"d{i}" for i in range(len(ids))],
                "polarity": "higher",
                "chart": "none",
                "frequency": "monthly",
            },
            index=pd.Index(ids, name="id"),
        )
        inputs = Inputs(
            Settings(financial_year_start_month=fy),
            measures,
            data,
            pd.DataFrame(columns=["measure", "date", "target"]),
        )
        table, _ = compute_series(inputs, real[-1])
        values = table.to_numpy()
        position = {m: k for k, m in enumerate(table.columns)}
        for i in range(num.shape[0]):
            for k, m in enumerate(months):
                if isinstance(m, pd.Timestamp):
                    x = values[i, position[m]]
                    out[i, k] = BLANK_OUT if math.isnan(x) else float(x)
    for i, k in list(n_err) + list(d_err):
        out[i, k] = n_err.get((i, k)) or d_err[(i, k)]
    for k, m in enumerate(months):
        if isinstance(m, ExcelError):
            out[:, k] = m
    return as_result(out if by_rows else out.T)


def rate_per_10k_cells(count, population) -> list[list]:
    """count ÷ population × 10,000 for each cell, by the engine's `rate_per_10k`."""
    c, p = broadcast(matrix(count), matrix(population), names=("count", "population"))
    out = np.full(c.shape, BLANK_OUT, dtype=object)
    groups: dict[float, list[tuple[tuple[int, int], float]]] = {}
    for idx in np.ndindex(c.shape):
        err = first_error(c[idx], p[idx])
        if err is not None:
            out[idx] = err
            continue
        if c[idx] is BLANK or p[idx] is BLANK:
            continue
        at = _where(c.shape, idx)
        pop = number(p[idx], f"population{at}")
        if pop <= 0:
            raise ArgumentError(f"population{at}: must be more than zero, found {pop:g}")
        groups.setdefault(pop, []).append((idx, number(c[idx], f"count{at}")))
    for pop, items in groups.items():
        counts = np.array([[x for _, x in items]])
        zeros = np.zeros(counts.shape[1], dtype=int)
        rates = evaluate(
            np.array(["rate_per_10k"]), counts, counts * np.nan, zeros, zeros + 1, 12, pop
        )
        for (idx, _), rate in zip(items, rates[0], strict=True):
            out[idx] = float(rate)
    return as_result(out)


def forecast_cells(values, month_ends, target_date, window=None, percent=None) -> list[list]:
    """The engine's forecast: the least-squares trend of the last `window` months, read at the
    target's month (as the Scorecard's Forecast column: blank unless the target falls due after
    the latest month and the window holds two values or more)."""
    win = optional_number(window, "window", DEFAULT_WINDOW)
    if not (win.is_integer() and 2 <= win <= 120):
        raise ArgumentError(f"window: expected a whole number from 2 to 120, found {win:g}")
    pct = scalar(percent, "percent")
    if pct is not BLANK and not isinstance(pct, bool):
        raise ArgumentError(f"percent: expected TRUE or FALSE, found {_shown(pct)}")
    vector, orient = _months_vector(month_ends)
    months = _month_list(vector)
    series, by_rows = _series(matrix(values), len(months), orient, "values")
    figures, errors = _figures(series, "values")
    targets = matrix(target_date)
    if targets.size not in (1, series.shape[0]):
        raise ArgumentError(
            f"target_date: expected one date, or one per series ({series.shape[0]})"
        )
    targets = targets.reshape(-1)
    order = sorted((m, k) for k, m in enumerate(months) if isinstance(m, pd.Timestamp))
    month_errors = [m for m in months if isinstance(m, ExcelError)]
    out = []
    for i in range(series.shape[0]):
        target = targets[0] if targets.size == 1 else targets[i]
        err = first_error(target, *month_errors, *(e for (r, _), e in errors.items() if r == i))
        if err is not None:
            out.append(err)
            continue
        if target is BLANK or not order:
            out.append(BLANK_OUT)
            continue
        due = month(target, "target_date")
        recent = order[-int(win) :]
        if due <= order[-1][0]:
            out.append(BLANK_OUT)
            continue
        f = trend_forecast(
            [month_ordinal(m) for m, _ in recent],
            [figures[i, k] for _, k in recent],
            month_ordinal(due),
            pct is True,
        )
        out.append(BLANK_OUT if f is None else f)
    column = np.array(out, dtype=object).reshape(-1, 1)
    return as_result(column if by_rows else column.T)
