"""Commentary: which measures are mentioned, and that every number in a sentence adds up."""

from builders import make_inputs

from xl_addin import compute
from xl_addin.engine.formatting import fmt_percent_change, fmt_value

COUNT = {
    "id": "cases",
    "title": "Open cases",
    "calculation": "value",
    "numerator": "c",
    "polarity": "contextual",
}
PCT = {
    "id": "visits",
    "title": "Visits in time",
    "calculation": "percent",
    "numerator": "v",
    "denominator": "d",
}


def comments(c, v, d, targets=(), month=None):
    r = compute(
        make_inputs([COUNT, PCT], {"c": c, "v": v, "d": d}, "2022-07-31", list(targets)), month
    )
    return r.commentary


def test_turning_point_sentence_gives_both_movements():
    out = comments([2000, 2393, 2466, 2352], [5] * 4, [10] * 4)
    text = next(c.text for c in out if c.measure_id == "cases")
    assert text == (
        "Open cases rose from 2,393 on 31 August 2022 to 2,466 on 30 September 2022 "
        "(+73, 3.1%), then fell to 2,352 on 31 October 2022 (−114, −4.6%)."
    )


def test_small_movements_are_not_mentioned():
    out = comments([1000, 1010, 1020, 1030], [5] * 4, [10] * 4)
    # (every measure has its RAG-and-SPC reading; no news item is written about it)
    assert not [c for c in out if c.measure_id == "cases" and c.kind != "reading"]


def test_percentages_move_in_percentage_points():
    out = comments([1] * 4, [49, 49, 49, 69], [100] * 4)
    text = next(c.text for c in out if c.measure_id == "visits")
    assert "from 49.0% on 30 September 2022 to 69.0% on 31 October 2022" in text
    assert "(+20 percentage points)" in text


def test_every_red_is_explained_with_target_and_forecast():
    out = comments([1] * 4, [50, 50, 50, 50], [100] * 4, [("visits", "2022-12-31", 0.82)])
    red = [c for c in out if c.kind == "red"]
    assert len(red) == 1 and red[0].measure_id == "visits"
    assert red[0].text == (
        "Visits in time is Red: 50.0% in October 2022 against a target of "
        "82.0% due 31 December 2022; on the recent trend it would reach 50.0% "
        "by then."
    )
    assert out[0].kind == "red"  # Reds come first


def test_newly_met_and_newly_missed_targets():
    met = comments([1] * 4, [60, 60, 60, 80], [100] * 4, [("visits", "2022-10-31", 0.8)])
    assert next(c.kind for c in met if c.measure_id == "visits") == "met"
    assert "is now Green (was Red)" in next(c.text for c in met if c.kind == "met")
    missed = comments(
        [1] * 4,
        [80, 80, 80, 70],
        [100] * 4,
        [("visits", "2022-10-31", 0.8)],
    )
    assert next(c.kind for c in missed if c.measure_id == "visits") == "missed"


def test_number_formats():
    assert fmt_value(2393, "count") == "2,393"
    assert fmt_value(0.825, "percent", 1) == "82.5%"
    assert fmt_value(188.78, "rate") == "188.8"
    assert fmt_percent_change(-114 / 2466) == "−4.6%"
    assert fmt_percent_change(73 / 2393) == "3.1%"
