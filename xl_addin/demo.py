"""The bundled demo: a fictional authority's year of figures, from the CSV files in data/demo."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

from .contract import RawSheet, validate_inputs
from .contract.schema import DATA, INPUT_SHEETS, MEASURES, SETTINGS, TARGETS
from .engine.models import Inputs

_FILES = {
    SETTINGS: "settings.csv",
    MEASURES: "measures.csv",
    DATA: "data.csv",
    TARGETS: "targets.csv",
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def demo_dir() -> Path:
    """data/demo in a checkout, or the copy packed inside an installed wheel."""
    packaged = Path(__file__).parent / "demo_data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[1] / "data" / "demo"


def _cell(text: str):
    """CSV text -> the value Excel would hold: numbers as numbers, ISO dates as dates."""
    text = text.strip()
    if _NUMBER.match(text):
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number
    if _ISO_DATE.match(text):
        return dt.date.fromisoformat(text)
    return text or None


def demo_sheets(folder: Path | None = None) -> dict[str, RawSheet]:
    """The four input sheets as raw cells, exactly as they go into the demo workbook."""
    folder = folder or demo_dir()
    sheets = {}
    for name in INPUT_SHEETS:
        with open(folder / _FILES[name], newline="", encoding="utf-8") as fh:
            rows = [[_cell(v) for v in row] for row in csv.reader(fh)]
        sheets[name] = RawSheet(name, rows)
    return sheets


def demo_inputs() -> Inputs:
    """The demo's validated inputs, without writing a workbook."""
    return validate_inputs(demo_sheets(), source="demo")
