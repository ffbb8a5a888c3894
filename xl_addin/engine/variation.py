"""Making Data Count beside RAG: each measure's variation and assurance for the Scorecard.

RAG compares one point with a target; SPC asks whether the latest point is out of the ordinary
(special-cause variation) and whether the process will meet the target reliably, by chance, or
not without changing the system. Only in-month figures are read this way (a year-to-date or
rolling figure repeats earlier months), and only with enough points (`spc_min_points`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import input_error
from ..process_control import not_used_label, partition_positions, spc, spc_validity
from ..process_control.chart import spc_rows
from ..process_control.icons import NEITHER, improvement_direction, words

if TYPE_CHECKING:
    from ..process_control import SpcResult
    from .models import Results


def add_variation(results: Results) -> None:
    """Give the scorecard `variation`, `assurance` (codes, or None) and their words, and keep
    each measure's SPC reading (for its chart) in `results.spc`."""
    card = results.scorecard
    s = results.settings.spc
    rows = card[["measure_id", "calculation", "polarity", "target"]].to_dict("records")
    results.spc = _readings(results, [r for r in rows if not_used_label(r["calculation"]) is None])
    codes: dict[str, list] = {"variation": [], "assurance": []}
    texts: dict[str, list] = {"variation_words": [], "assurance_words": []}
    for row in rows:
        mid, calc, polarity = row["measure_id"], row["calculation"], row["polarity"]
        label = not_used_label(calc)
        if label:
            variation = assurance = None
            shown = (label, label)
        else:
            reading = results.spc[mid]
            variation, assurance = reading.variation, reading.assurance
            reason = spc_validity(calc, reading.n, s.min_points)
            if reason:
                shown = (reason.capitalize(), reason.capitalize())
            else:
                shown = (words(variation), _assurance_words(reading, polarity))
        codes["variation"].append(variation)
        codes["assurance"].append(assurance)
        texts["variation_words"].append(shown[0])
        texts["assurance_words"].append(shown[1])
    for name, column in {**codes, **texts}.items():
        card[name] = pd.Series(column, index=card.index, dtype=object)


def _readings(results: Results, rows: list[dict]) -> dict[str, SpcResult]:
    """Every in-month measure's reading: those with the same number of periods and no SPC
    periods together (`spc_rows`: the same reading, at a fraction of the cost), the rest one
    by one."""
    out: dict[str, SpcResult] = {}
    groups: dict[int, list[tuple[dict, np.ndarray]]] = {}
    for row in rows:
        months, values = results.history(row["measure_id"])
        if row["measure_id"] in results.inputs.spc_periods:
            out[row["measure_id"]] = _read(
                results, row["measure_id"], months, values, row["polarity"], row["target"]
            )
        else:
            groups.setdefault(len(values), []).append((row, values))
    for members in groups.values():
        readings = spc_rows(
            np.array([values for _, values in members]),
            [improvement_direction(row["polarity"]) for row, _ in members],
            [_target(row["target"]) for row, _ in members],
            settings=results.settings.spc,
        )
        for (row, _), reading in zip(members, readings, strict=True):
            out[row["measure_id"]] = reading
    return out


def _target(target) -> float | None:
    return None if target is None or target != target else float(target)


def _read(results: Results, mid, months, values, polarity, target) -> SpcResult:
    periods = results.inputs.spc_periods.get(mid)
    recalculate, baseline = (), None
    if periods is not None:
        try:
            recalculate, baseline = partition_positions(
                list(months), list(periods.recalculate_from), periods.baseline_to
            )
        except ValueError as exc:
            raise input_error("SPC periods", None, f"{mid}: {exc}") from exc
    return spc(
        values,
        improvement_direction(polarity),
        target=_target(target),
        recalculate=recalculate,
        baseline=baseline,
        settings=results.settings.spc,
    )


def _assurance_words(reading: SpcResult, polarity: str) -> str:
    if reading.assurance is not None:
        return words(reading.assurance)
    if reading.improvement == NEITHER or polarity == "contextual":
        return "Not rated: contextual"
    return "No target"


_RAG = {
    "Red": "Red against its target",
    "Amber": "Amber against its target",
    "Green": "Green against its target",
    "No target": "no target",
    "Contextual": "contextual (not rated)",
}
_VARIATION = {
    "common_cause": "common-cause variation only (no sign of real change)",
    "improvement_high": "special-cause improvement (unusually high)",
    "improvement_low": "special-cause improvement (unusually low)",
    "concern_high": "special-cause concern (unusually high)",
    "concern_low": "special-cause concern (unusually low)",
    "neither_high": "special-cause variation (unusually high; neither side is better)",
    "neither_low": "special-cause variation (unusually low; neither side is better)",
}
_ASSURANCE = {
    "pass": "the process will meet the target reliably",
    "fail": "the target will not be met without a change to the system",
    "hit_or_miss": "the target will be met or missed by chance",
}


def reading(row) -> str:
    """One line on a measure's RAG and SPC together, for the Narrative:
    'Re-referrals: Red against its target; common-cause variation only (no sign of real
    change); the target will not be met without a change to the system.'"""
    rag = _RAG.get(row["rag"], "no figure") if isinstance(row["rag"], str) else "no figure"
    if row["variation"] is not None:
        spc_part = _VARIATION[row["variation"]]
    elif not_used_label(row["calculation"]):
        spc_part = "no SPC reading (it repeats earlier months, so its points are not independent)"
    else:
        spc_part = f"no SPC reading yet: {row['variation_words'].lower()}"
    parts = [rag, spc_part]
    if row["assurance"] is not None:
        parts.append(_ASSURANCE[row["assurance"]])
    return f"{row['measure']}: " + "; ".join(parts) + "."
