"""What =SPC_VARIATION() and =SPC_ASSURANCE() compute, on plain Python values (no xlwings).

Both read a series through `xl_addin.process_control.spc`, the same reading the Scorecard shows,
with the Making Data Count defaults. A range is one series when it is a single column or a
single row; a block of several rows and columns is one series per row (measures down, months
across, as on `KPI Values`), giving one result per row. Blank cells are left out of the series,
an Excel error anywhere in a series gives that error, and anything else wrong is an
ArgumentError (#VALUE!).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..process_control import icons
from ..process_control.chart import spc
from ..process_control.settings import SpcSettings
from .worksheet import (
    BLANK,
    BLANK_OUT,
    ArgumentError,
    ExcelError,
    as_result,
    first_error,
    matrix,
    number,
)


def _series(values: Any) -> list[np.ndarray]:
    """Each series of the argument as a 1-D object array of cells."""
    m = matrix(values)
    if m.shape[1] == 1:
        return [m[:, 0]]
    if m.shape[0] == 1:
        return [m[0, :]]
    return [m[i, :] for i in range(m.shape[0])]


def _per_series(arg: Any, count: int, what: str) -> list[Any]:
    """One value for every series, or one per series (a column or row of that many cells)."""
    cells = matrix(arg).reshape(-1)
    if cells.size == 1:
        return [cells[0]] * count
    if cells.size != count:
        raise ArgumentError(
            f"{what}: expected one value, or one per series ({count}); found {cells.size} cells"
        )
    return list(cells)


def _where(k: int, count: int) -> str:
    return f" (row {k + 1})" if count > 1 else ""


def _figures(cells: np.ndarray, where: str) -> list[float | None] | ExcelError:
    err = first_error(*cells)
    if err is not None:
        return err
    return [
        None if v is BLANK else number(v, f"values{where} (item {i + 1})")
        for i, v in enumerate(cells)
    ]


def _improvement(v: Any, where: str) -> str:
    if v is BLANK:
        return icons.UP
    try:
        return icons.improvement_direction(str(v))
    except ValueError as exc:
        raise ArgumentError(f"{exc}{where}") from None


def _read(values: Any, improvement: Any) -> tuple[list, list[str]]:
    series = _series(values)
    count = len(series)
    directions = _per_series(improvement, count, "improvement")
    figures = [_figures(cells, _where(k, count)) for k, cells in enumerate(series)]
    ways = []
    for k, d in enumerate(directions):
        if isinstance(d, ExcelError):
            ways.append(d)
        else:
            ways.append(_improvement(d, _where(k, count)))
    return figures, ways


def _column(results: list[Any]) -> list[list]:
    return as_result(np.array(results, dtype=object).reshape(-1, 1))


def _too_few() -> str:
    return icons.too_few_points(SpcSettings().min_points)


def variation_cells(values: Any, improvement: Any = None) -> list[list]:
    """The variation icon's words for each series (too few points says so)."""
    figures, ways = _read(values, improvement)
    out: list[Any] = []
    for fig, way in zip(figures, ways, strict=True):
        err = first_error(fig, way)
        if err is not None:
            out.append(err)
            continue
        r = spc(fig, way)
        out.append(_too_few() if r.too_few_points else icons.words(r.variation))
    return _column(out)


def assurance_cells(values: Any, target: Any, improvement: Any = None) -> list[list]:
    """The assurance icon's words for each series: Pass, Fail, Hit or miss; blank with no
    target or for a measure with no better side (improvement neither)."""
    figures, ways = _read(values, improvement)
    targets = _per_series(target, len(figures), "target")
    out: list[Any] = []
    for k, (fig, way, t) in enumerate(zip(figures, ways, targets, strict=True)):
        err = first_error(fig, way, t)
        if err is not None:
            out.append(err)
            continue
        goal = None if t is BLANK else number(t, f"target{_where(k, len(figures))}")
        r = spc(fig, way, target=goal)
        out.append(_too_few() if r.too_few_points else icons.words(r.assurance) or BLANK_OUT)
    return _column(out)
