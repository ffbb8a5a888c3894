"""Raw cell values of one sheet, however they were read (file, open workbook, test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..cellref import cell_name, split_cell


@dataclass
class RawSheet:
    """Cell values anchored at A1: rows[r][c] is the cell at row r+1, column c+1.

    Values are None/"" (blank), str, int, float, bool, date or datetime. `errors` maps cell names
    whose cached value is an Excel error (`#N/A`, `#DIV/0!`...) to that error text, because some
    readers show error cells as blanks. `unsaved_formulas` names cells holding a formula with no
    saved result (written by a program that does not calculate), which also read as blanks, and
    `merged` lists merged ranges ("C2:C5"), whose cells other than the first read as blanks.
    """

    name: str
    rows: list[list[Any]]
    errors: dict[str, str] = field(default_factory=dict)
    unsaved_formulas: frozenset[str] = frozenset()
    merged: tuple[str, ...] = ()

    def cell(self, r: int, c: int) -> Any:
        if r < len(self.rows) and c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def error_at(self, r: int, c: int) -> str | None:
        return self.errors.get(cell_name(r, c)) if self.errors else None

    def unsaved_formula_at(self, r: int, c: int) -> bool:
        return bool(self.unsaved_formulas) and cell_name(r, c) in self.unsaved_formulas

    def merged_range_of(self, r: int, c: int) -> str | None:
        """The merged range holding a cell that is not the range's first cell, if any."""
        for ref in self.merged:
            first, _, last = ref.partition(":")
            (r0, c0), (r1, c1) = split_cell(first), split_cell(last or first)
            if r0 <= r <= r1 and c0 <= c <= c1 and (r, c) != (r0, c0):
                return ref
        return None

    def _hidden_cells(self):
        """Cells that read as blank but hold something: a reader trims them off the edges."""
        for ref in (*self.errors, *self.unsaved_formulas):
            yield split_cell(ref)

    @property
    def width(self) -> int:
        width = max((len(r) for r in self.rows), default=0)
        return max([width, *(c + 1 for _, c in self._hidden_cells())])

    @property
    def height(self) -> int:
        return max([len(self.rows), *(r + 1 for r, _ in self._hidden_cells())])


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
