"""Words of a PDF with their boxes and printed sizes, from poppler's `pdftotext -bbox`.

A word's box is as tall as its font's ascent plus descent at the size it is drawn, so the size in
points is the box height divided by (ascent - descent), in em. poppler takes ascent and descent
from the PDF's font descriptors (`/Ascent`, `/Descent`, in 1/1000 em) and, where a descriptor
gives 0 as LibreOffice writes them, its defaults 0.95 and -0.35: a box 1.3 times the size. Both
are read here from the PDF itself, and `Words.size_check` confirms the result against the
widths of a font whose advance widths are known, so a wrong rule fails loudly instead of passing
small text.
"""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

POPPLER_ASCENT, POPPLER_DESCENT = 0.95, -0.35  # used where a descriptor says 0
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    em: float  # ascent - descent, in em

    @property
    def size(self) -> float:
        """The font size the word is printed at, in points."""
        return (self.y1 - self.y0) / self.em

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    def same_line(self, other: Word, tolerance: float = 1.0) -> bool:
        return abs(self.y0 - other.y0) <= tolerance


@dataclass(frozen=True)
class Page:
    number: int
    sheet: str  # from the footer, which starts with the sheet name
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def find(self, text: str) -> list[Word]:
        return [w for w in self.words if w.text == text]

    def lines(self) -> list[list[Word]]:
        """Words grouped by the top of their box, top to bottom, left to right."""
        out: list[list[Word]] = []
        for w in sorted(self.words, key=lambda w: (round(w.y0, 1), w.x0)):
            if out and out[-1][0].same_line(w, 0.5):
                out[-1].append(w)
            else:
                out.append([w])
        return [sorted(line, key=lambda w: w.x0) for line in out]


def font_em(pdf: Path) -> float:
    """Ascent minus descent (em) of every font in the PDF, as poppler reads them; one value,
    or the test cannot convert box heights to sizes."""
    raw = pdf.read_bytes()
    found = set()
    for desc in re.findall(rb"/Type\s*/FontDescriptor(.*?)>>", raw, re.S):
        ascent = re.search(rb"/Ascent\s+(-?[\d.]+)", desc)
        descent = re.search(rb"/Descent\s+(-?[\d.]+)", desc)
        a = abs(float(ascent.group(1))) / 1000 if ascent else 0.0
        d = -abs(float(descent.group(1))) / 1000 if descent else 0.0
        found.add(round((a or POPPLER_ASCENT) - (d or POPPLER_DESCENT), 4))
    assert len(found) == 1, f"fonts with different ascent and descent: {found}"
    return found.pop()


def pages(pdf: Path, sheets: list[str]) -> list[Page]:
    """Every page's words, and the sheet its footer names ('' if none)."""
    em = font_em(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    names = sorted(sheets, key=len, reverse=True)  # longest first: no prefix clashes
    result = []
    for number, body in enumerate(out.split("<page ")[1:], start=1):
        words = tuple(
            Word(html.unescape(m[4]), *map(float, m[:4]), em) for m in _WORD.findall(body)
        )
        bottom = max((w.y0 for w in words), default=0.0)
        footer = " ".join(w.text for w in sorted(words, key=lambda w: w.x0) if w.y0 == bottom)
        sheet = next((n for n in names if footer.startswith(n)), "")
        result.append(Page(number, sheet, words))
    return result


def by_sheet(all_pages: list[Page]) -> dict[str, list[Page]]:
    out: dict[str, list[Page]] = {}
    for page in all_pages:
        out.setdefault(page.sheet, []).append(page)
    return out


def dejavu_sizes(all_pages: list[Page]) -> Iterator[tuple[float, float]]:
    """(size from the box height, size from the width) of plain ASCII words, where the PDF's
    font is DejaVu Sans, whose advance widths `xl_addin.export.paper` holds: two independent
    measures of one size."""
    from xl_addin.export import paper

    for page in all_pages:
        for w in page.words:
            if len(w.text) >= 6 and w.text.isascii() and w.text.isalpha():
                em_width = paper.text_units(w.text) * 0.636  # in em at 1 pt
                yield w.size, (w.x1 - w.x0) / em_width
