"""Sheet names Excel accepts: at most 31 characters, none of []:*?/\\, no leading or trailing
apostrophe, unique ignoring case, and never the reserved name `History`.

Section names come from the analyst's Measures sheet, so anything may arrive.
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


def clean_sheet_name(text: str) -> str:
    """`[]` become `()`, slashes `-`, `:*?` go; whitespace collapses; cut to 31 characters."""
    name = re.sub(r"[\s\x00-\x1f]+", " ", text.translate(_REPLACE)).strip()
    return name[:EXCEL_MAX_SHEET_NAME].strip().strip("'").strip()


def unique_sheet_name(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted` cut short with ` (2)`, ` (3)`... until no name in `taken` matches.

    `taken` holds casefolded names and is updated.
    """
    base = clean_sheet_name(wanted) or "Sheet"
    name, n = base, 1
    while name.casefold() in taken or name.casefold() in _RESERVED:
        n += 1
        suffix = f" ({n})"
        name = base[: EXCEL_MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
    taken.add(name.casefold())
    return name


def chart_sheet_names(sections: list[str], taken: set[str]) -> dict[str, str]:
    """`Charts - <section>` for each section, valid and unique (first come, first served)."""
    return {
        section: unique_sheet_name(CHARTS_PREFIX + (section.strip() or "(no section)"), taken)
        for section in sections
    }
