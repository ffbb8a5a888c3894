"""A1-style cell references, 0-based indexes in and out."""

from __future__ import annotations

import re

_A1 = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


def column_letter(col: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 0, AA -> 26."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def cell_name(row: int, col: int) -> str:
    """(0, 0) -> A1."""
    return f"{column_letter(col)}{row + 1}"


def split_cell(ref: str) -> tuple[int, int]:
    """A1 -> (0, 0)."""
    m = _A1.match(ref)
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)) - 1, column_index(m.group(1))
