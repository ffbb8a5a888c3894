"""Write the four input sheets (and an About sheet) to a new workbook: the demo and the template.

XlsxWriter, because these are new files; user strings are always written as text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from ..contract import RawSheet
from ..contract.schema import (
    BASES,
    CALCULATION_NAMES,
    CHARTS,
    DATA,
    FREQUENCIES,
    GAP_RATINGS,
    INPUT_SHEETS,
    MEASURE_COLUMNS,
    MEASURES,
    POLARITIES,
    SETTINGS,
    TARGETS,
    TOLERANCES,
)

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}

_WIDTHS = {
    SETTINGS: [28, 34],
    MEASURES: [26, 60, 32, 30, 26, 24, 12, 10, 12],
    TARGETS: [26, 13, 10],
}
_LISTS = {
    "calculation": CALCULATION_NAMES,
    "polarity": POLARITIES,
    "chart": CHARTS,
    "frequency": FREQUENCIES,
}
_SETTING_LISTS = {"rag_gap": GAP_RATINGS, "rag_tolerance": TOLERANCES, "rag_basis": BASES}

ABOUT = [
    "This workbook is refreshed by xl_addin.",
    "Each month: add a column for the new month on the Data sheet (month-end date in row 1),",
    "then press Refresh KPIs on the KPIs tab, or run:  xl-addin refresh <this file>",
    "",
    "Input sheets (yours to edit): Settings, Measures, Data, Targets.",
    "Generated sheets (replaced on every refresh): Scorecard, KPI Values, Charts - <section>, "
    "Narrative.",
    "Percentages are stored as fractions (0.82 is 82%). Targets are incremental: each has the date",
    "it is due; the one in force for a month is the first due on or after it.",
]


def write_input_workbook(
    sheets: dict[str, RawSheet],
    out: Path,
    *,
    about: list[str] | None = None,
    measure_rows: int = 200,
    date_1904: bool = False,
) -> None:
    """A workbook holding the input sheets, typed and formatted for analysts to maintain.

    `date_1904` writes dates for a workbook that counts from 1904 (see `init`).
    """
    out = Path(out)
    wb = xlsxwriter.Workbook(str(out), {**WORKBOOK_OPTIONS, "date_1904": date_1904})
    # a fixed creation date keeps regenerated templates identical to the committed ones
    wb.set_properties({"created": dt.datetime(2022, 11, 17), "author": "xl_addin"})
    try:
        head = wb.add_format(
            {"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF", "border": 1}
        )
        month = wb.add_format(
            {
                "num_format": "mmm-yy",
                "bold": True,
                "bg_color": "#1F4E79",
                "font_color": "#FFFFFF",
                "border": 1,
            }
        )
        date = wb.add_format({"num_format": "dd/mm/yyyy"})
        if about is not None:
            ws = wb.add_worksheet("About")
            ws.set_column(0, 0, 110)
            ws.write_string(0, 0, "About this workbook", wb.add_format({"bold": True, "size": 14}))
            for i, line in enumerate(about, start=2):
                ws.write_string(i, 0, line)
        for name in INPUT_SHEETS:
            sheet = sheets[name]
            ws = wb.add_worksheet(name)
            for r, row in enumerate(sheet.rows):
                for c, value in enumerate(row):
                    if r == 0:
                        is_month = name == DATA and c > 0
                        _write(ws, r, c, value, month if is_month else head)
                    else:
                        _write(ws, r, c, value, date if isinstance(value, dt.date) else None)
            ws.freeze_panes(1, 1 if name == DATA else 0)
            for c, width in enumerate(_WIDTHS.get(name, [])):
                ws.set_column(c, c, width)
            if name == DATA:
                ws.set_column(0, 0, 34)
                ws.set_column(1, max(sheet.width - 1, 1), 9)
            if name == MEASURES:
                for c, col in enumerate(MEASURE_COLUMNS):
                    if col in _LISTS:
                        ws.data_validation(
                            1,
                            c,
                            measure_rows,
                            c,
                            {
                                "validate": "list",
                                "source": list(_LISTS[col]),
                                "error_title": f"Not a known {col}",
                                "error_message": "Choose from the list: " + ", ".join(_LISTS[col]),
                            },
                        )
            if name == SETTINGS:
                for r, row in enumerate(sheet.rows):
                    if row and row[0] in _SETTING_LISTS:
                        ws.data_validation(
                            r, 1, r, 1, {"validate": "list", "source": list(_SETTING_LISTS[row[0]])}
                        )
            if name == TARGETS:
                ws.data_validation(
                    1,
                    0,
                    5000,
                    0,
                    {
                        "validate": "list",
                        "source": f"={MEASURES}!$A$2:$A${measure_rows + 1}",
                        "error_title": "Unknown measure",
                        "error_message": "Use a measure id from column A of the Measures sheet.",
                    },
                )
    finally:
        wb.close()


def _write(ws, r: int, c: int, value, fmt) -> None:
    if value is None or value == "":
        if fmt is not None:
            ws.write_blank(r, c, None, fmt)
        return
    if isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value, fmt)
    elif isinstance(value, (dt.date, dt.datetime)):
        ws.write_datetime(
            r,
            c,
            dt.datetime.combine(value, dt.time()) if not isinstance(value, dt.datetime) else value,
            fmt,
        )
    else:
        ws.write_string(r, c, str(value), fmt)


def template_sheets() -> dict[str, RawSheet]:
    """Empty input sheets with headers, the settings list and one example row each."""
    first = dt.date(2025, 4, 30)  # fixed, so the committed template does not change by itself
    settings = [
        ["Setting", "Value"],
        ["authority", "Your council"],
        ["reporting_month", None],
        ["population_0_17", None],
        ["financial_year_start_month", 4],
        ["rag_green", 0.02],
        ["rag_amber", 0.10],
        ["rag_red", 0.20],
        ["rag_gap", "Amber"],
        ["rag_tolerance", "relative"],
        ["rag_basis", "forecast"],
        ["forecast_window", 3],
        ["suppress_below", 6],
        ["classification", "OFFICIAL-SENSITIVE"],
    ]
    measures = [
        list(MEASURE_COLUMNS),
        [
            "cp_visits",
            "% CP visits in timescale at month end",
            "Service delivery",
            "percent",
            "cp_visited_in_time",
            "cp_open",
            "higher",
            "line",
            "monthly",
        ],
    ]
    data = [["field", first], ["cp_visited_in_time", 41], ["cp_open", 50]]
    targets = [["measure", "date", "target"], ["cp_visits", dt.date(first.year + 1, 3, 31), 0.82]]
    rows = {SETTINGS: settings, MEASURES: measures, DATA: data, TARGETS: targets}
    return {name: RawSheet(name, rows[name]) for name in INPUT_SHEETS}
