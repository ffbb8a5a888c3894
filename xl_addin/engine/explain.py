"""Show the working behind a figure: which cells, which sums, which rule.

Every number on the scorecard can be traced back to Data cells and settings; an analyst asked
"where does 28% come from?" at a scrutiny panel can answer from this, line by line.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import input_error
from .calculations import CALCULATIONS
from .formatting import fmt_value
from .models import Results
from .periods import fy_start, is_quarter_end, month_end, month_range, uk_date, uk_month


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


def explain(results: Results, measure_id: str, month=None) -> list[str]:
    """Lines of plain English showing how a measure's figure (and rating) were worked out."""
    inputs = results.inputs
    if measure_id not in inputs.measures.index:
        raise input_error("Measures", None, f'no measure with id "{measure_id}"')
    meas = inputs.measures.loc[measure_id]
    calc = CALCULATIONS[meas["calculation"]]
    s = inputs.settings
    card = results.scorecard.set_index("measure_id").loc[measure_id]
    m = card["month"] if month is None else month_end(month)
    quarterly = meas["frequency"] == "quarterly"
    unit = calc.unit
    history = pd.Series(results.history(measure_id)[1], index=results.history(measure_id)[0])
    value = float(history.get(m, np.nan))

    lines = [
        f"{meas['title']} ({measure_id}), {uk_month(m)}: {fmt_value(value, unit, 1) or 'blank'}",
        f"Calculation {meas['calculation']}: {calc.formula}.",
    ]
    window = _window(calc.window, m, quarterly, s.financial_year_start_month)
    span = (
        uk_month(window[0])
        if len(window) == 1
        else f"{uk_month(window[0])} to {uk_month(window[-1])}"
    )
    sums = {}
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
    elif calc.name in ("percent", "rolling_in_year_percent", "rolling_12_month_percent"):
        lines.append(f"  {_num(n)} ÷ {_num(d)} = {fmt_value(value, unit, 1)}")
    elif calc.name == "ratio":
        lines.append(f"  {_num(n)} ÷ {_num(d)} = {fmt_value(value, unit)}")
    elif calc.name == "rate_per_10k":
        lines.append(f"  {_num(n)} ÷ {_num(pop)} (population_0_17) × 10,000 = {value:,.1f}")
    elif calc.name == "projected_in_year_rate_per_10k":
        lines.append(
            f"  {_num(n)} × 12 ÷ {len(window)} months elapsed ÷ {_num(pop)} "
            f"(population_0_17) × 10,000 = {value:,.1f}"
        )
    if month is None or m == card["month"]:
        lines += _rating_lines(results, card, unit)
    return lines


def _rating_lines(results: Results, card: pd.Series, unit: str) -> list[str]:
    s = results.settings
    if card["rag"] == "Contextual":
        return ["Rating: Contextual (polarity contextual: shown, never rated)."]
    if card["rag"] == "No target":
        return ["Rating: No target (the Targets sheet has none for this measure)."]
    if not isinstance(card["rag"], str):
        return ["Rating: none (the value is blank)."]
    v = lambda x: fmt_value(x, unit, 1)  # noqa: E731
    lines = [
        f"Target in force: {v(card['target'])} due {uk_date(card['target_date'])} "
        "(the first target due on or after the month)."
    ]
    if card["rated_basis"] == "forecast":
        months, values = results.history(card.name)
        keep = months <= np.datetime64(card["month"])
        points = ", ".join(
            f"{pd.Timestamp(mo):%b %Y} {v(x)}"
            for mo, x in zip(
                months[keep][-s.forecast_window :], values[keep][-s.forecast_window :], strict=True
            )
        )
        lines.append(
            f"Rated value: the least-squares trend through {points}, projected to "
            f"{uk_date(card['target_date'])} = {v(card['forecast'])} (kept within "
            "0-100% for percentages and at zero or more otherwise)."
        )
    else:
        lines.append(f"Rated value: the actual {v(card['value'])}.")
    d = card["distance"]
    how = (
        "shortfall ÷ target"
        if s.rag_tolerance == "relative"
        else "shortfall in the measure's units"
    )
    pol = "higher is better" if card["polarity"] == "higher" else "lower is better"
    rel = s.rag_tolerance == "relative"
    band = (lambda x: f"{x:.0%}") if rel else (lambda x: f"{x:g}")
    better = " (better than target)" if d < 0 else ""
    lines.append(
        f"Distance from target ({pol}; {how}): {band(d) if not rel else f'{d:.1%}'}{better}"
    )
    lines.append(
        f"Bands: Green within {band(s.rag_green)}, Amber within {band(s.rag_amber)}, "
        f"Red beyond {band(s.rag_red)}, in between {s.rag_gap}. Rating: {card['rag']}."
    )
    return lines
