"""Raw cell values of one sheet, however they were read (file, open workbook, test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..cellref import cell_name


@dataclass
class RawSheet:
    """Cell values anchored at A1: rows[r][c] is the cell at row r+1, column c+1.

    Values are None/"" (blank), str, int, float, bool, date or datetime. `errors` maps cell names
    whose cached value is an Excel error (`#N/A`, `#DIV/0!`...) to that error text, because some
    readers show error cells as blanks.
    """

    name: str
    rows: list[list[Any]]
    errors: dict[str, str] = field(default_factory=dict)

    def cell(self, r: int, c: int) -> Any:
        if r < len(self.rows) and c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def error_at(self, r: int, c: int) -> str | None:
        return self.errors.get(cell_name(r, c)) if self.errors else None

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
