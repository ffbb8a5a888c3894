"""Show the working behind a figure: which cells, which sums, which rule.

Every number on the scorecard can be traced back to Data cells and settings; an analyst asked
"where does 28.0% come from?" at a scrutiny panel can answer from this, line by line, for any
month: the rating shown is the one the Scorecard gives when that month is the reporting month.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import input_error
from . import in_year
from .calculations import CALCULATIONS
from .formatting import fmt_value
from .models import Results
from .periods import (
    fy_label,
    fy_start,
    is_quarter_end,
    month_end,
    month_range,
    short_month,
    uk_date,
    uk_month,
)
from .rag import CONTEXTUAL, NO_TARGET, rag

_CONTEXTUAL_LINE = "Rating: Contextual (polarity contextual: shown, never rated)."


def _num(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def _window(calc_window: str, m: pd.Timestamp, quarterly: bool, fy_month: int) -> list:
    if calc_window == "month":
        months = [m]
    elif calc_window == "year_to_date":
        months = list(month_range(fy_start(m, fy_month), m))
    else:
        months = list(month_range(month_end(m - pd.DateOffset(months=11)), m))
    if quarterly:
        months = [
            x
            for x, q in zip(months, is_quarter_end(pd.DatetimeIndex(months), fy_month), strict=True)
            if q
        ]
    return months


def _cells(results: Results, field: str, months: list) -> tuple[str, list[float]]:
    """Where a field's figures for these months sit, and the figures (NaN where blank)."""
    inputs = results.inputs
    row = inputs.data_rows[field]
    letters = [inputs.month_columns.get(m) for m in months]
    values = [
        float(inputs.data.at[field, m]) if m in inputs.data.columns else math.nan for m in months
    ]
    present = [c for c in letters if c]
    if not present:
        return "no Data column", values
    if len(present) == 1:
        return f"Data!{present[0]}{row}", values
    return f"Data!{present[0]}{row}:{present[-1]}{row}", values


def _results_for(results: Results, month) -> Results:
    """The results with `month` as the reporting month (the same engine, the same rules)."""
    if month is None:
        return results
    m = month_end(month)
    if m == results.reporting_month:
        return results
    from .pipeline import compute  # the pipeline imports the commentary, which imports us

    return compute(results.inputs, m)


def explain(results: Results, measure_id: str, month=None) -> list[str]:
    """Lines of plain English showing how a measure's figure and rating were worked out."""
    inputs = results.inputs
    if measure_id not in inputs.measures.index:
        raise input_error("Measures", None, f'no measure with id "{measure_id}"')
    results = _results_for(results, month)
    meas = inputs.measures.loc[measure_id]
    calc = CALCULATIONS[meas["calculation"]]
    card = results.scorecard.set_index("measure_id").loc[measure_id]
    asked = results.reporting_month
    quarterly = meas["frequency"] == "quarterly"
    unit, places = calc.unit, int(card["decimals"])
    lines: list[str] = []
    if pd.isna(card["month"]):
        return [
            f"{meas['title']} ({measure_id}) has no {'quarter end' if quarterly else 'month'} "
            f"on or before {uk_month(asked)} in Data, so there is no figure to explain.",
            _CONTEXTUAL_LINE if card["rag"] == CONTEXTUAL else "Rating: none (there is no figure).",
        ]
    m = pd.Timestamp(card["month"])
    if m != asked:
        lines.append(
            f"{measure_id} is quarterly and {uk_month(asked)} is not a quarter end, so this is "
            f"its latest quarter, {uk_month(m)} (as the Scorecard shows it)."
        )
    value = card["value"]
    lines += [
        f"{meas['title']} ({measure_id}), {uk_month(m)}: "
        f"{fmt_value(value, unit, places) or 'blank'}",
        f"Calculation {meas['calculation']}: {calc.formula}.",
    ]
    lines += _working(results, meas, calc, m, quarterly, value, places)
    lines += _comparison_lines(card, unit, places)
    lines += _rating_lines(results, card, unit, places)
    return lines


def _working(results, meas, calc, m, quarterly, value, places) -> list[str]:
    s = results.settings
    unit = calc.unit
    window = _window(calc.window, m, quarterly, s.financial_year_start_month)
    span = (
        uk_month(window[0])
        if len(window) == 1
        else f"{uk_month(window[0])} to {uk_month(window[-1])}"
    )
    lines, sums = [], {}
    roles = [("numerator", meas["numerator"])]
    if calc.needs_denominator:
        roles.append(("denominator", meas["denominator"]))
    for role, field in roles:
        where, figures = _cells(results, field, window)
        total = sum(figures)
        shown = " + ".join("blank" if math.isnan(v) else _num(v) for v in figures)
        summed = f" = {_num(total)}" if len(figures) > 1 and not math.isnan(total) else ""
        lines.append(f"  {role} {field}, {span}: {where} = {shown}{summed}")
        sums[role] = total
    n, d = sums["numerator"], sums.get("denominator", math.nan)
    pop = s.population_0_17
    if any(math.isnan(v) for v in sums.values()):
        lines.append("  A figure in the window is blank, so the result is blank (never 0).")
    elif calc.needs_denominator and d == 0:
        lines.append("  The denominator is zero, so the result is blank.")
    elif calc.needs_denominator:
        lines.append(f"  {_num(n)} ÷ {_num(d)} = {fmt_value(value, unit, places)}")
    elif calc.name == "rate_per_10k":
        lines.append(f"  {_num(n)} ÷ {_num(pop)} (population_0_17) × 10,000 = {value:,.1f}")
    elif calc.name == in_year.PROJECTED_RATE:
        lines.append(
            f"  {_num(n)} × 12 ÷ {len(window) * (3 if quarterly else 1)} months elapsed ÷ "
            f"{_num(pop)} (population_0_17) × 10,000 = {value:,.1f}"
        )
    elif calc.name == "percent_value":
        lines.append("  The figure is already a percentage, as the source report gives it.")
    return lines


def _comparison_lines(card: pd.Series, unit: str, places: int) -> list[str]:
    note = card["compared_with"]
    if not note:
        return []
    if note.startswith("none"):
        return [f"Compared with: {note.partition(': ')[2]}, so no direction of travel is shown."]
    why = (
        " (a running total for the year is compared with the same month a year earlier)"
        if card["calculation"] == in_year.RUNNING_TOTAL
        else " (the first month of a financial year is compared with the same month a year earlier)"
        if "year earlier" in note
        else ""
    )
    return [
        f"Compared with: {fmt_value(card['previous'], unit, places)} in {note}{why}; "
        f"as shown, that is {card['direction']}."
    ]


def _target_rule(results: Results, card: pd.Series) -> str:
    s = results.settings
    month, due = pd.Timestamp(card["month"]), pd.Timestamp(card["target_date"])
    if in_year.resets_each_year(card["calculation"]):
        year = fy_label(month, s.financial_year_start_month)
        return f"the first target due on or after the month within the financial year {year}"
    if due < month:
        return "the last target; it stays in force after its due date"
    if due == month:
        return "due this month, so the actual value is rated"
    return "the first target due on or after the month"


def _rating_lines(results: Results, card: pd.Series, unit: str, places: int) -> list[str]:
    s = results.settings
    if card["rag"] == CONTEXTUAL:
        return [_CONTEXTUAL_LINE]
    if card["rag"] == NO_TARGET:
        has_targets = (results.inputs.targets["measure"] == card.name).any()
        if has_targets and in_year.resets_each_year(card["calculation"]):
            year = fy_label(pd.Timestamp(card["month"]), s.financial_year_start_month)
            return [
                f"Rating: No target (no target is due in the financial year {year}; a "
                "year-to-date target belongs to the year it falls due in)."
            ]
        return ["Rating: No target (the Targets sheet has none for this measure)."]
    if not isinstance(card["rag"], str):
        return ["Rating: none (the value is blank)."]

    def v(x):
        return fmt_value(x, unit, places)

    lines = [
        f"Target in force: {v(card['target'])} due {uk_date(card['target_date'])} "
        f"({_target_rule(results, card)})."
    ]
    lines.append(_rated_value_line(results, card, v))
    d = card["distance"]
    rel = s.rag_tolerance == "relative"
    how = "shortfall ÷ target" if rel else "shortfall in the measure's units"
    pol = "higher is better" if card["polarity"] == "higher" else "lower is better"
    band = (lambda x: f"{x:.0%}") if rel else (lambda x: f"{x:g}")
    better = " (better than target)" if d < 0 else ""
    lines.append(f"Distance from target ({pol}; {how}): {f'{d:.1%}' if rel else f'{d:g}'}{better}")
    rating = rag(
        card["rated_value"],
        card["target"],
        card["polarity"],
        s.rag_green,
        s.rag_amber,
        s.rag_red,
        s.rag_gap,
        s.rag_tolerance,
    )
    lines.append(
        f"Bands: Green within {band(s.rag_green)}, Amber within {band(s.rag_amber)}, "
        f"Red beyond {band(s.rag_red)}, in between {s.rag_gap}. Rating: {rating}."
    )
    return lines


def _rated_value_line(results: Results, card: pd.Series, v) -> str:
    s = results.settings
    calc = card["calculation"]
    if card["rated_basis"] != "forecast":
        return f"Rated value: the actual {v(card['value'])}."
    due = uk_date(card["target_date"])
    month = pd.Timestamp(card["month"])
    if calc == in_year.RUNNING_TOTAL:
        start = s.financial_year_start_month
        done = int(in_year.months_elapsed(np.array([month]), start)[0])
        at_due = int(in_year.months_elapsed(np.array([card["target_date"]]), start)[0])
        return (
            f"Rated value: the year-to-date total at this year's average monthly rate so far, "
            f"projected to {due}: {v(card['value'])} × {at_due} ÷ {done} months = "
            f"{v(card['forecast'])} (never below the total already reached)."
        )
    if calc == in_year.PROJECTED_RATE:
        return (
            f"Rated value: the projected rate itself, {v(card['forecast'])}: it is already the "
            "whole year's figure at this year's rate so far."
        )
    months, values = results.history(card.name)
    keep = months <= np.datetime64(month)
    months, values = months[keep], values[keep]
    used = in_year.trend_points(months, calc, s.forecast_window, s.financial_year_start_month)
    shown = [v(values[i]) if np.isfinite(values[i]) else "blank (left out)" for i in used]
    points = ", ".join(
        f"{short_month(pd.Timestamp(months[i]))} {x}" for i, x in zip(used, shown, strict=True)
    )
    same_year = " of this financial year" if in_year.resets_each_year(calc) else ""
    return (
        f"Rated value: the least-squares trend through {points}{same_year}, projected to {due} "
        f"= {v(card['forecast'])} (kept within 0-100% for percentages and at zero or more "
        "otherwise)."
    )
