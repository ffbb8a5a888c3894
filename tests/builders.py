"""Small input workbooks for engine tests, built through the real contract validation."""

from __future__ import annotations

from typing import Any

import pandas as pd

from xl_addin.contract import RawSheet, validate_inputs
from xl_addin.contract.schema import MEASURE_COLUMNS
from xl_addin.engine.models import Inputs
from xl_addin.engine.periods import month_range


def months(first: str, last: str) -> list[pd.Timestamp]:
    return list(month_range(pd.Timestamp(first), pd.Timestamp(last)))


def make_inputs(
    measures: list[dict[str, Any]],
    data: dict[str, list[float | None]],
    first_month: str,
    targets: list[tuple[str, str, float]] = (),
    settings: dict[str, Any] | None = None,
) -> Inputs:
    """Inputs whose Data fields hold consecutive months starting at first_month."""
    return validate_inputs(make_sheets(measures, data, first_month, targets, settings))


def make_sheets(
    measures: list[dict[str, Any]],
    data: dict[str, list[float | None]],
    first_month: str,
    targets: list[tuple[str, str, float]] = (),
    settings: dict[str, Any] | None = None,
) -> dict[str, RawSheet]:
    """The four input sheets as cells (to validate, or to write as a workbook file)."""
    n = max(len(v) for v in data.values())
    cols = list(
        month_range(
            pd.Timestamp(first_month), pd.Timestamp(first_month) + pd.DateOffset(months=n - 1)
        )
    )
    merged = {"population_0_17": 10_000, **(settings or {})}
    setting_rows = [["Setting", "Value"]] + [[k, v] for k, v in merged.items()]
    header = list(MEASURE_COLUMNS)
    measure_rows = [header] + [
        [
            m.get("id"),
            m.get("title", m.get("id")),
            m.get("section", "S"),
            m.get("calculation"),
            m.get("numerator"),
            m.get("denominator"),
            m.get("polarity", "higher"),
            m.get("chart", "line"),
            m.get("frequency", "monthly"),
        ]
        for m in measures
    ]
    data_rows = [["field", *[c.date() for c in cols]]]
    data_rows += [[f, *values] for f, values in data.items()]
    target_rows = [["measure", "date", "target"]] + [[m, d, t] for m, d, t in targets]
    return {
        "Settings": RawSheet("Settings", setting_rows),
        "Measures": RawSheet("Measures", measure_rows),
        "Data": RawSheet("Data", data_rows),
        "Targets": RawSheet("Targets", target_rows),
    }


def series_of(results, measure_id: str) -> pd.Series:
    s = results.series[results.series["measure_id"] == measure_id]
    return pd.Series(s["value"].to_numpy(), index=pd.DatetimeIndex(s["month"]))
