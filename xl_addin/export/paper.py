"""How wide text prints, in Excel's column units, and the page the board pack prints on.

Excel and LibreOffice fit a sheet to the page width by shrinking everything on it, so one wide
table makes every word on its pages small. The pack is laid out instead so that what prints
fits an A4 landscape page at `MIN_ZOOM` or more (11 pt text prints at 8.25 pt or larger).

Widths are estimated with DejaVu Sans, the font LibreOffice draws Calibri with where neither
Calibri nor its metric twin Carlito is installed (as on a server converting with `--pdf`). It is
the widest font the pack meets: text that fits a column in DejaVu Sans fits it in Calibri, and
Excel prints the same columns at a larger zoom. Column units are the width of the digit 0 in the
default 11 pt font, as in Excel's column width; a column of width w is 7w + 5 points wide in
LibreOffice (DejaVu's 0 is 7 points at 11 pt) and 0.75 (7w + 5) points in Excel (7 pixels).
"""

from __future__ import annotations

import re
from functools import lru_cache

# A4 landscape in points, and the pack's margins in inches (narrower at the sides than
# Excel's default 0.7", so more of the page holds the table).
PAGE_WIDTH, PAGE_HEIGHT = 841.89, 595.28
SIDE_MARGIN, TOP_MARGIN, HEADER_MARGIN = 0.4, 0.6, 0.25
PRINTABLE_WIDTH = PAGE_WIDTH - 2 * 72 * SIDE_MARGIN
PRINTABLE_HEIGHT = PAGE_HEIGHT - 2 * 72 * TOP_MARGIN
# LibreOffice fits a sheet to the page width at a whole percent, and then takes another 2% off
# when that saves a page (its fix for tdf#103516): 76% comes out at 74% at worst, so 11 pt text
# prints at 8.1 pt or more.
MIN_ZOOM = 0.76
POINTS_PER_UNIT, POINTS_PER_COLUMN = 7.0, 5.0  # LibreOffice, DejaVu Sans 11 pt
LINE_HEIGHT = 15.0  # points per line of 11 pt text in a row (Excel's default row)
CELL_PADDING = 0.2  # units: the space a cell keeps between its edges and its text (LibreOffice
# leaves a little more room than this, Excel's narrower Calibri far more)

_DIGIT = 636  # DejaVu Sans, 1/1000 em
# Advance widths of the printable ASCII characters (space to ~) in 1/1000 em.
_REGULAR = (
    "318 401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 636 636 "
    "636 636 636 636 337 337 838 838 838 531 1000 684 686 698 770 632 575 775 752 295 295 656 "
    "557 863 748 787 603 787 695 635 611 732 684 989 685 611 685 390 337 390 838 500 500 613 "
    "635 550 635 615 352 635 634 278 278 579 278 974 634 612 635 635 411 521 392 634 592 818 "
    "592 592 525 636 337 636 838"
)
_BOLD = (
    "348 456 521 838 696 1002 872 306 457 457 523 838 380 415 380 365 696 696 696 696 696 696 "
    "696 696 696 696 400 400 838 838 838 580 1000 774 762 734 830 683 683 821 837 372 372 775 "
    "637 995 837 850 733 850 770 720 682 812 774 1103 771 724 725 457 365 457 838 500 500 675 "
    "716 593 716 678 435 716 712 343 343 665 343 1042 712 687 716 716 493 595 478 712 652 924 "
    "645 652 582 712 365 712 838"
)
_WIDTHS = {
    False: dict(zip(map(chr, range(32, 127)), map(int, _REGULAR.split()), strict=True)),
    True: dict(zip(map(chr, range(32, 127)), map(int, _BOLD.split()), strict=True)),
}
_OTHER = {"·": 318, "•": 590, "–": 500, "’": 318, "‘": 318, "Σ": 632, "£": 636, "€": 636}
_OTHER |= dict.fromkeys("▲▼►◄▁▂▃▄▅▆▇█", 769)  # direction symbols and trend bars
_WIDE = 838  # anything else (▲, ▁, ×, ÷, ±, ≤, ...): as wide as DejaVu's math symbols
# Where a line is taken to break: after a space. Readers also break after _ - or /, which only
# ever gives them more room than estimated here.
_BREAKS = re.compile(r"(?<= )")


@lru_cache(maxsize=4096)
def text_units(text: str, bold: bool = False, size: float = 11.0) -> float:
    """The printed width of `text` in column units."""
    table = _WIDTHS[bold]
    em = sum(table.get(ch) or _OTHER.get(ch, _WIDE) for ch in text)
    return em / _DIGIT * size / 11.0


def column_width(text: str, bold: bool = False, size: float = 11.0) -> float:
    """The narrowest column that shows `text` on one line."""
    return text_units(text, bold, size) + CELL_PADDING


def _pieces(text: str) -> list[str]:
    """Words with the space after them; a one-character word stays with its neighbour (▲ with
    the word it marks, the 0 of "Section 0"), so no line starts or ends with it alone."""
    out: list[str] = []
    for piece in _BREAKS.split(text):
        if not piece:
            continue
        if out and (len(out[-1].rstrip(" ")) == 1 or len(piece.rstrip(" ")) == 1):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def longest_piece(text: str, bold: bool = False, size: float = 11.0) -> float:
    """The width of the longest word of `text`: no column of wrapped text is narrower."""
    return max((w for w, _ in words(text, bold, size)), default=0.0) + CELL_PADDING


def wrap(text: str, width: float, bold: bool = False, size: float = 11.0) -> list[str]:
    """`text` broken into lines that fit a column `width` units wide, at spaces first (a piece
    wider than the column is kept whole on a line of its own, as a reader would cut it)."""
    room = width - CELL_PADDING
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for piece in _pieces(paragraph):
            trial = line + piece
            if line and text_units(trial.rstrip(" "), bold, size) > room:
                lines.append(line.rstrip(" "))
                line = piece
            else:
                line = trial
        lines.append(line.rstrip(" "))
    return lines


@lru_cache(maxsize=8192)
def words(text: str, bold: bool = False, size: float = 11.0) -> tuple[tuple[float, float], ...]:
    """Each paragraph's words as (width of the word, width of the spaces after it); a paragraph
    break is a word of width -1."""
    out: list[tuple[float, float]] = []
    for i, paragraph in enumerate(text.split("\n")):
        if i:
            out.append((-1.0, 0.0))
        for piece in _pieces(paragraph):
            word = piece.rstrip(" ")
            out.append((text_units(word, bold, size), text_units(piece[len(word) :], bold, size)))
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def lines_needed(text: str, width: float, bold: bool = False, size: float = 11.0) -> int:
    """How many lines `text` takes in a wrapped column `width` units wide, broken as `wrap`
    breaks it (a word wider than the column counts the lines a reader cuts it into)."""
    room = max(width - CELL_PADDING, 0.5)
    total, line = 1, 0.0  # line: the width so far, with the space after its last word
    for word, space in words(text, bold, size):
        if word < 0:
            total, line = total + 1, 0.0
            continue
        if line and line + word > room:
            total, line = total + 1, 0.0
        if not line and word > room:
            total += int(-(-word // room)) - 1
        line += word + space
    return total


def row_height(lines: int, size: float = 11.0) -> float:
    """Points for a row of `lines` lines of text (errs tall: white space beats clipped words)."""
    return LINE_HEIGHT * size / 11.0 * lines + 2.0


def column_points(width: float) -> float:
    """A column's width in LibreOffice, in points: the file stores whole pixels (7 a unit, and 5
    of padding), which LibreOffice draws a point each."""
    return round(POINTS_PER_UNIT * width) + POINTS_PER_COLUMN


def page_units(n_columns: int, zoom: float = MIN_ZOOM) -> float:
    """The total width, in column units, of `n_columns` columns that print on one page width at
    `zoom` (half a point a column kept back for rounding to whole pixels)."""
    per_column = POINTS_PER_COLUMN + 0.5
    return (PRINTABLE_WIDTH / zoom - per_column * n_columns) / POINTS_PER_UNIT


def zoom_for(widths: list[float] | tuple[float, ...]) -> float:
    """The zoom LibreOffice fits columns of these widths to the page width with (at most 1)."""
    points = sum(column_points(w) for w in widths)
    return min(1.0, PRINTABLE_WIDTH / points) if points else 1.0


def line_room(widths: list[float] | tuple[float, ...]) -> float:
    """How wide, in units, a line of text may run from the first of these columns and still
    print: the page width at the zoom the columns print at."""
    return PRINTABLE_WIDTH / zoom_for(widths) / POINTS_PER_UNIT - 1.0
