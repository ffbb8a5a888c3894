"""Errors that reach users: every problem names the sheet and cell, so it can be fixed in Excel."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the workbook, located as precisely as we can."""

    sheet: str | None
    cell: str | None
    message: str

    def __str__(self) -> str:
        if self.sheet and self.cell:
            return f"{_quote_sheet(self.sheet)}!{self.cell}: {self.message}"
        if self.sheet:
            return f"{_quote_sheet(self.sheet)}: {self.message}"
        return self.message


def _quote_sheet(name: str) -> str:
    """Quote a sheet name the way Excel does in references (`'KPI Values'!A1`)."""
    if name.replace("_", "").isalnum():
        return name
    return "'" + name.replace("'", "''") + "'"


class XlAddinError(Exception):
    """Base class for errors that carry a message meant for the analyst."""


class InputError(XlAddinError):
    """The workbook cannot be used as it is; `problems` lists everything wrong, not the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.problems)
        head = f"The workbook has {n} problem{'s' if n != 1 else ''} to fix:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])

    def __str__(self) -> str:
        return self.report()


def input_error(sheet: str | None, cell: str | None, message: str) -> InputError:
    """Shorthand for an error with a single problem."""
    return InputError([Problem(sheet, cell, message)])
