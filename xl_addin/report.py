"""The scorecard as tables for people and programs: text, CSV and JSON (shared by CLI and API)."""

from __future__ import annotations

import json
import math

import pandas as pd

from .engine.formatting import fmt_value
from .engine.models import SCORECARD_COLUMNS, Results


def scorecard_records(results: Results) -> list[dict]:
    """Contract columns with plain values: fractions for percentages, ISO dates, None for blanks."""
    out = []
    for _, row in results.scorecard[SCORECARD_COLUMNS].iterrows():
        rec = {}
        for key, value in row.items():
            if isinstance(value, pd.Timestamp):
                value = value.date().isoformat()
            elif value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
                value = None
            rec[key] = value
        out.append(rec)
    return out


def series_records(results: Results) -> pd.DataFrame:
    """The long table measure_id, month, value."""
    frame = results.series[["measure_id", "month", "value"]].copy()
    frame["month"] = frame["month"].dt.date.map(lambda d: d.isoformat())
    return frame


def to_csv(results: Results, series: bool = False) -> str:
    frame = (
        series_records(results)
        if series
        else pd.DataFrame(scorecard_records(results), columns=SCORECARD_COLUMNS)
    )
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.10g")


def to_json(results: Results, series: bool = False) -> str:
    if series:
        frame = series_records(results)
        records = [
            {"measure_id": m, "month": d, "value": None if math.isnan(v) else v}
            for m, d, v in frame.itertuples(index=False)
        ]
    else:
        records = scorecard_records(results)
    return json.dumps(records, indent=2, ensure_ascii=False)


def to_table(results: Results, series: bool = False) -> str:
    """A fixed-width table for the terminal, values formatted as on the Scorecard sheet."""
    if series:
        frame = series_records(results)
        card = results.scorecard.set_index("measure_id")
        frame["value"] = [
            fmt_value(v, card.at[m, "unit"], int(card.at[m, "decimals"]))
            for m, v in zip(frame["measure_id"], results.series["value"], strict=True)
        ]
        return frame.to_string(index=False)
    card = results.scorecard

    def figures(column: str) -> list[str]:
        return [
            fmt_value(v, u, int(d))
            for v, u, d in zip(card[column], card["unit"], card["decimals"], strict=True)
        ]

    shown = pd.DataFrame(
        {
            "measure_id": card["measure_id"],
            "month": card["month"].dt.strftime("%b-%y"),
            "value": figures("value"),
            "previous": figures("previous"),
            "compared_with": card["compared_with"],
            "target": figures("target"),
            "target_date": card["target_date"].dt.strftime("%d/%m/%Y").fillna(""),
            "forecast": figures("forecast"),
            "rag": card["rag"].fillna(""),
            "direction": card["direction"].fillna(""),
            "variation": card["variation_words"],
            "assurance": card["assurance_words"],
        }
    )
    title = results.settings.authority or "Scorecard"
    head = f"{title}: {results.reporting_month:%B %Y}"
    return head + "\n" + shown.to_string(index=False)
