"""The pack's sheet names, in tab order, and what each holds (the Cover's contents table).

Names say what a sheet holds (accessibility guidance); the shared sheets keep the names they
have in the refreshed workbook, so readers meet the same `Scorecard` in both.
"""

from __future__ import annotations

from ..render.names import NARRATIVE, SCORECARD

COVER = "Cover"
KEY = "Key"
SUMMARY = "Summary"
DEFINITIONS = "Definitions"
FIXED = (COVER, KEY, SUMMARY, SCORECARD, NARRATIVE, DEFINITIONS)


def contents(month: str) -> dict[str, str]:
    """Sheet -> one sentence on what it holds (chart sheets are described by section)."""
    return {
        KEY: "How to read the pack: RAG ratings and the thresholds in force, polarity, direction "
        "of travel, calculations and symbols.",
        SUMMARY: "Ratings counted by section, then every Red measure with its value, target, "
        "forecast and commentary.",
        SCORECARD: f"Every measure for {month}: value, previous, target, forecast, RAG, "
        "direction, variation, assurance and the last 12 months' trend.",
        NARRATIVE: "Commentary: Red measures, changes of rating and the largest movements.",
        DEFINITIONS: "How each measure is calculated: numerator, denominator, polarity, "
        "frequency and targets.",
    }


def chart_contents(section: str) -> str:
    return f"Charts of the {section} measures, target dashed."
