"""Sheet names Excel accepts: at most 31 characters, none of []:*?/\\, no leading or trailing
apostrophe, unique ignoring case, and never the reserved name `History`.

Section names come from the analyst's Measures sheet, so anything may arrive. A name too long
for Excel is cut at a word boundary, never mid-word, and loses a trailing "and", "of"... so
"Charts - Service delivery and compliance" becomes "Charts - Service delivery"; the workbook can
name its own short form instead (Measures column `section_short`).
"""

from __future__ import annotations

import re

from .plan import EXCEL_MAX_SHEET_NAME

SCORECARD = "Scorecard"
KPI_VALUES = "KPI Values"
NARRATIVE = "Narrative"
CHARTS_PREFIX = "Charts - "

_REPLACE = str.maketrans({"[": "(", "]": ")", "/": "-", "\\": "-", ":": "", "*": "", "?": ""})
_RESERVED = {"history"}


_DANGLING = {"and", "or", "of", "the", "for", "to", "in", "on", "with", "&", "-", "+", "a"}


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut at a word boundary and without a dangling
    joining word; a single word longer than the limit is cut (there is no boundary to use)."""
    if len(text) <= limit:
        return text
    words = text[: limit + 1].split(" ")
    if len(words) > 1:
        words = words[:-1]  # the last word was cut (or ends exactly at the limit + 1)
        while len(words) > 1 and words[-1].casefold().strip(",;") in _DANGLING:
            words.pop()
        return " ".join(words).rstrip(" ,;-")
    return text[:limit]


def clean(text: str) -> str:
    """`[]` become `()`, slashes `-`, `:*?` go; whitespace collapses."""
    return re.sub(r"[\s\x00-\x1f]+", " ", text.translate(_REPLACE)).strip()


def clean_sheet_name(text: str) -> str:
    """`clean`, in at most 31 characters cut at a word boundary."""
    return shorten(clean(text), EXCEL_MAX_SHEET_NAME).strip().strip("'").strip()


def unique_sheet_name(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted` shortened with ` (2)`, ` (3)`... until no name in `taken` matches.

    `taken` holds casefolded names and is updated.
    """
    base = clean_sheet_name(wanted) or "Sheet"
    name, n = base, 1
    while name.casefold() in taken or name.casefold() in _RESERVED:
        n += 1
        suffix = f" ({n})"
        name = shorten(base, EXCEL_MAX_SHEET_NAME - len(suffix)).rstrip() + suffix
    taken.add(name.casefold())
    return name


def chart_sheet_names(
    sections: list[str], taken: set[str], short: dict[str, str] | None = None
) -> dict[str, str]:
    """`Charts - <section>` for each section (or its short form from Measures), valid and
    unique (first come, first served)."""
    short = short or {}
    room = EXCEL_MAX_SHEET_NAME - len(CHARTS_PREFIX)
    names = {}
    for section in sections:
        wanted = short.get(section) or section.strip() or "(no section)"
        names[section] = unique_sheet_name(CHARTS_PREFIX + shorten(clean(wanted), room), taken)
    return names


def section_sheet_names(results) -> dict[str, str]:
    """Short forms of section names given on Measures (`section_short`), by section."""
    measures = results.inputs.measures
    if "section_short" not in measures.columns:
        return {}
    pairs = zip(measures["section"], measures["section_short"], strict=True)
    return {section: short for section, short in pairs if short}
