"""Worksheet functions: list this module ("xl_addin.excel.functions") under UDF Modules.

Defined once with `@xw.func`, so the classic Windows route (Import Functions) and the Office.js
route (xlwings' custom_functions_meta/custom_functions_call, with XLWINGS_ON_SERVER=true set
before xlwings is imported) register the same functions. Arguments arrive "raw" so that error
cells can be told from blanks; the work is done in `worksheet`, which calls the engine.

    =RAG(E9:E40, G9:G40, "higher")      spills one rating per row
    =DIRECTION(E9, F9, "lower")
    =ROLLING_IN_YEAR(B2:B13, C2:C13, A2:A13)
    =RATE_PER_10K(B2, 48500)
    =KPI_FORECAST(B2:B13, A2:A13, DATE(2023,3,31))
    =SPC_VARIATION(B2:B25, "lower")      Making Data Count: Common cause, Concern (high)...
    =SPC_ASSURANCE(B2:B25, 0.82)         Pass, Fail or Hit or miss
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import xlwings as xw
from xlwings import XlwingsError

from . import spc_cells, worksheet


def _run(fn: Callable[..., list[list]], name: str, *args: Any) -> list[list]:
    """Bad arguments become an XlwingsError: the cell shows #VALUE! with this message (xlwings
    Server answers 400 for it, a user error, rather than 500)."""
    try:
        return fn(*args)
    except worksheet.ArgumentError as exc:
        raise XlwingsError(f"{name}: {exc}") from None


POLARITY_DOC = "higher (default), lower or contextual; one value or one per row"


@xw.func
@xw.arg("value", "raw", doc="The value to rate (a cell or a column)")
@xw.arg("target", "raw", doc="The target in force (blank: No target)")
@xw.arg("polarity", "raw", doc=POLARITY_DOC)
@xw.arg("green", "raw", doc="Green threshold, default 0.02 (within 2% of target)")
@xw.arg("amber", "raw", doc="Amber threshold, default 0.10")
@xw.arg("red", "raw", doc="Red threshold, default 0.20")
def RAG(value, target, polarity=None, green=None, amber=None, red=None):
    """Red, Amber or Green for a value against its target, exactly as the Scorecard rates it
    (No target, Contextual; a blank value gives a blank)."""
    return _run(worksheet.rag_cells, "RAG", value, target, polarity, green, amber, red)


@xw.func
@xw.arg("current", "raw", doc="This period's value (a cell or a column)")
@xw.arg("previous", "raw", doc="The previous period's value")
@xw.arg("polarity", "raw", doc=POLARITY_DOC)
def DIRECTION(current, previous, polarity=None):
    """Direction of travel as on the Scorecard: ▲ Improving, ▼ Worsening, ► No change, or
    ▲ Up / ▼ Down for contextual measures."""
    return _run(worksheet.direction_cells, "DIRECTION", current, previous, polarity)


@xw.func
@xw.arg("numerators", "raw", doc="Monthly numerators (a column, or one row per measure)")
@xw.arg("denominators", "raw", doc="Monthly denominators, the same size")
@xw.arg("month_ends", "raw", doc="The month of each figure (dates)")
@xw.arg("fy_start_month", "raw", doc="First month of the financial year, default 4 (April)")
def ROLLING_IN_YEAR(numerators, denominators, month_ends, fy_start_month=None):
    """Sum of numerators over sum of denominators for the financial year to each month (blank
    when a month of the year so far has no figure)."""
    return _run(
        worksheet.rolling_in_year_cells,
        "ROLLING_IN_YEAR",
        numerators,
        denominators,
        month_ends,
        fy_start_month,
    )


@xw.func
@xw.arg("count", "raw", doc="The count (a cell or a column)")
@xw.arg("population", "raw", doc="Population aged 0-17 (ONS mid-year estimate)")
def RATE_PER_10K(count, population):
    """A count per 10,000 children: count / population x 10,000."""
    return _run(worksheet.rate_per_10k_cells, "RATE_PER_10K", count, population)


@xw.func
@xw.arg("values", "raw", doc="Monthly values (a column, or one row per measure)")
@xw.arg("month_ends", "raw", doc="The month of each value (dates)")
@xw.arg("target_date", "raw", doc="When the target is due (one date, or one per measure)")
@xw.arg("window", "raw", doc="How many recent months the trend uses, default 3")
@xw.arg("percent", "raw", doc="TRUE for a percentage (forecast kept within 0-100%)")
def KPI_FORECAST(values, month_ends, target_date, window=None, percent=None):
    """The Scorecard's forecast: the trend of the last months read at the target date (blank
    when the target is not after the latest month or there are fewer than two values)."""
    return _run(
        worksheet.forecast_cells, "KPI_FORECAST", values, month_ends, target_date, window, percent
    )


SERIES_DOC = "Monthly values, oldest first (a column or row; or one row per measure)"
IMPROVEMENT_DOC = (
    "up (default), down or neither; or the polarity higher, lower or contextual; one value or "
    "one per row"
)


@xw.func
@xw.arg("values", "raw", doc=SERIES_DOC)
@xw.arg("improvement", "raw", doc=IMPROVEMENT_DOC)
def SPC_VARIATION(values, improvement=None):
    """Making Data Count variation from the latest point: Improvement, Concern or Neither
    (high/low), Common cause, or too few points (n < 13). Blank cells are left out."""
    return _run(spc_cells.variation_cells, "SPC_VARIATION", values, improvement)


@xw.func
@xw.arg("values", "raw", doc=SERIES_DOC)
@xw.arg("target", "raw", doc="The target in force (one value, or one per row)")
@xw.arg("improvement", "raw", doc=IMPROVEMENT_DOC)
def SPC_ASSURANCE(values, target, improvement=None):
    """Making Data Count assurance: the target against the latest process limits. Pass, Fail,
    Hit or miss; blank with no target or no better side; or too few points (n < 13)."""
    return _run(spc_cells.assurance_cells, "SPC_ASSURANCE", values, target, improvement)


FUNCTIONS = (
    RAG,
    DIRECTION,
    ROLLING_IN_YEAR,
    RATE_PER_10K,
    KPI_FORECAST,
    SPC_VARIATION,
    SPC_ASSURANCE,
)
