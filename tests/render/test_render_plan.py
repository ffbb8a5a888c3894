"""The render plan itself: sheet list, names, key text, CF rules, colours, chart specs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from render_helpers import results_with

import xl_addin.render as render_pkg
from xl_addin.engine.rag import RATINGS
from xl_addin.render import render_plan
from xl_addin.render.colours import RAG_SWATCHES, WCAG_AA, contrast_ratio, relative_luminance
from xl_addin.render.names import chart_sheet_names, clean_sheet_name, unique_sheet_name
from xl_addin.render.plan import CellBlock, CellRange, Plan
from xl_addin.render.scorecard import HEADERS

CONTRACT_COLUMNS = [
    "Measure ID",
    "Measure",
    "Section",
    "Month",
    "Value",
    "Previous",
    "Compared with",
    "Target",
    "Target date",
    "Forecast",
    "RAG",
    "Direction",
    "Variation",
    "Assurance",
]


def test_sheets_in_design_order(demo_plan: Plan, demo_results) -> None:
    sections = list(dict.fromkeys(demo_results.scorecard["section"]))
    names = demo_plan.sheet_names
    assert names[:2] == ["Scorecard", "KPI Values"]
    assert names[-1] == "Narrative"
    charts = demo_plan.by_role("charts")
    assert [s.section for s in charts] == sections
    assert names[2:-1] == [s.name for s in charts]
    assert all(s.kind == "chart_grid" for s in charts)


def test_sheet_names_are_valid_and_unique(demo_plan: Plan) -> None:
    names = demo_plan.sheet_names
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert not any(re.search(r"[\[\]:*?/\\]", n) for n in names)
    # 40 characters: cut at a word boundary, without a dangling "and"
    assert "Charts - Service delivery" in names


def test_long_and_clashing_sections_get_distinct_names() -> None:
    taken = {"scorecard", "kpi values", "narrative"}
    sections = [
        "Service delivery and compliance",
        "Service delivery and complaints",
        "Health/Care: [core]?",
        "SERVICE DELIVERY AND COMPLIANCE!",
    ]
    names = chart_sheet_names(sections, taken)
    assert len(set(names.values())) == 4
    assert all(len(n) <= 31 for n in names.values())
    assert names["Service delivery and complaints"].endswith(" (2)")
    assert names["Health/Care: [core]?"] == "Charts - Health-Care (core)"
    assert len({n.casefold() for n in names.values()}) == 4


def test_long_names_are_cut_at_a_word_boundary_never_mid_word() -> None:
    cases = {
        "Service delivery and compliance": "Charts - Service delivery",
        "Workforce and the quality of practice": "Charts - Workforce",
        "Children in care, care leavers and adoption": "Charts - Children in care, care",
    }
    for section, want in cases.items():
        got = chart_sheet_names([section], set())[section]
        assert got == want and len(got) <= 31
        words = got.removeprefix("Charts - ").replace(",", "").split()
        assert all(w in section.replace(",", "").split() for w in words), got
    one_word = chart_sheet_names(["Supercalifragilisticexpialidocious"], set())
    assert len(one_word["Supercalifragilisticexpialidocious"]) == 31  # no boundary to use


def test_the_workbook_can_name_a_short_form_for_a_long_section() -> None:
    section = "Service delivery and compliance"
    names = chart_sheet_names([section], set(), {section: "Delivery & compliance"})
    assert names[section] == "Charts - Delivery & compliance"


def test_clean_sheet_name_edges() -> None:
    assert clean_sheet_name("'quoted'") == "quoted"
    assert clean_sheet_name("a   b\tc") == "a b c"
    assert unique_sheet_name("History", set()) == "History (2)"
    taken = {"x"}
    assert unique_sheet_name("X", taken) == "X (2)"
    assert "x (2)" in taken


def test_measures_sections_with_odd_names_render(demo_results) -> None:
    measures = demo_results.inputs.measures.copy()
    measures.loc[measures["section"] == "Workforce", "section"] = "Workforce: pay/grading [2022]?"
    plan = render_plan(results_with(measures=measures))
    assert "Charts - Workforce pay-grading" in plan.sheet_names


def test_scorecard_table_columns_are_the_contract(demo_plan: Plan) -> None:
    table = demo_plan.sheet("Scorecard").table("Scorecard")
    assert list(table.columns) == CONTRACT_COLUMNS == list(HEADERS)


def test_rag_rules_cover_exactly_the_rag_column(demo_plan: Plan, demo_results) -> None:
    sheet = demo_plan.sheet("Scorecard")
    table = sheet.table("Scorecard")
    n = len(demo_results.scorecard)

    def column(name: str) -> CellRange:
        col = table.col + CONTRACT_COLUMNS.index(name)
        return CellRange("Scorecard", table.row + 1, col, table.row + n, col)

    rag = [r for r in sheet.conditional_formats if r.range == column("RAG")]
    assert sorted(r.equals for r in rag) == sorted(RATINGS)
    for name in ("Variation", "Assurance"):
        spc = {r.equals for r in sheet.conditional_formats if r.range == column(name)}
        assert {"Common cause", "Improvement (high)", "Concern (low)", "Pass", "Fail"} <= spc
    assert {r.range for r in sheet.conditional_formats} == {
        column("RAG"),
        column("Variation"),
        column("Assurance"),
    }
    neutral = {(r.fill, r.font_color) for r in rag if r.equals in ("Contextual", "No target")}
    assert len(neutral) == 1


@pytest.mark.parametrize("rating", RATINGS)
def test_rag_colours_meet_wcag_aa(demo_plan: Plan, rating: str) -> None:
    rule = next(r for r in demo_plan.sheet("Scorecard").conditional_formats if r.equals == rating)
    assert contrast_ratio(rule.fill, rule.font_color) >= WCAG_AA
    assert contrast_ratio(RAG_SWATCHES[rating].fill, RAG_SWATCHES[rating].font) >= WCAG_AA


def test_spc_colours_are_mdcs_and_meet_wcag_aa() -> None:
    from xl_addin.process_control import COLOURS
    from xl_addin.render.colours import SPC_SWATCHES

    for words, swatch in SPC_SWATCHES.items():
        assert contrast_ratio(swatch.fill, swatch.font) >= WCAG_AA, words
    hue = {"Improvement": COLOURS["improvement"], "Concern": COLOURS["concern"]}
    for word, colour in hue.items():  # a tint of MDC's colour, in the same hue family
        fill = SPC_SWATCHES[f"{word} (high)"].fill
        assert max(range(3), key=lambda i: int(fill[1 + 2 * i : 3 + 2 * i], 16)) == max(
            range(3), key=lambda i: int(colour[1 + 2 * i : 3 + 2 * i], 16)
        )


def test_rag_fills_are_distinguishable() -> None:
    fills = {RAG_SWATCHES[r].fill for r in ("Red", "Amber", "Green", "Contextual")}
    assert len(fills) == 4


def test_wcag_formula_known_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1)
    # #777777 on white is the classic just-fails-AA grey (4.48:1).
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert relative_luminance("#FF0000") == pytest.approx(0.2126)


def test_default_key_states_the_default_rule(demo_plan: Plan) -> None:
    key = " ".join(demo_plan.sheet("Scorecard").text("key").texts)
    assert (
        "Green: within 2% of target or better; Amber: within 10%; Red: more than 20%; "
        "between 10% and 20%: Amber." in key
    )
    assert "relative" in key
    assert "Rated on the forecast" in key and "last 3 months" in key
    for symbol in ("▲ Improving", "▼ Worsening", "► No change", "▲ Up", "▼ Down"):
        assert symbol in key


def test_key_follows_non_default_settings() -> None:
    results = results_with(
        settings={
            "rag_tolerance": "points",
            "rag_gap": "Red",
            "rag_basis": "actual",
            "rag_green": 0.05,
            "rag_amber": 0.08,
            "rag_red": 0.15,
        }
    )
    key = " ".join(render_plan(results).sheet("Scorecard").text("key").texts)
    assert (
        "Green: within 0.05 of target or better; Amber: within 0.08; Red: more than 0.15; "
        "between 0.08 and 0.15: Red." in key
    )
    assert "in points" in key and "5 percentage points" in key
    assert "Rated on actuals" in key
    assert "forecast" not in key


def test_key_without_a_gap_has_no_gap_clause() -> None:
    results = results_with(settings={"rag_amber": 0.2, "rag_red": 0.2, "forecast_window": 4})
    key = " ".join(render_plan(results).sheet("Scorecard").text("key").texts)
    assert "Red: more than 20%." in key and "between" not in key
    assert "last 4 months" in key


def test_title_names_authority_and_month(demo_plan: Plan) -> None:
    title = demo_plan.sheet("Scorecard").text("title").texts[0]
    assert title == "Northshire Council (demo): Performance scorecard, October 2022"


def test_title_without_authority() -> None:
    plan = render_plan(results_with(settings={"authority": ""}))
    title = plan.sheet("Scorecard").text("title").texts[0]
    assert title == "Performance scorecard, October 2022"


def test_one_chart_per_charted_measure_on_its_section_sheet(demo_plan: Plan, demo_results):
    card = demo_results.scorecard
    for sheet in demo_plan.by_role("charts"):
        wanted = card[(card["section"] == sheet.section) & (card["chart"] != "none")]
        assert [c.measure_id for c in sheet.charts] == list(wanted["measure_id"])
        for chart, (_, row) in zip(sheet.charts, wanted.iterrows(), strict=True):
            assert chart.kind == ("line" if row["chart"] == "spc" else row["chart"])
            assert chart.title == row["measure"]
            assert chart.legend == "bottom"
            assert chart.x_axis.date_axis and chart.x_axis.num_format == "mmm-yy"
            assert row["measure"] in chart.description


def test_value_axes_hold_every_figure_and_target_and_columns_start_at_zero(
    demo_plan: Plan, demo_results
) -> None:
    values, lines = demo_results.wide(), demo_results.wide("target_line")
    for sheet in demo_plan.by_role("charts"):
        for chart in sheet.charts:
            figures = [*values.loc[chart.measure_id], *lines.loc[chart.measure_id]]
            figures = [x for x in figures if x == x]
            axis = chart.y_axis
            assert axis.min <= min(figures) and max(figures) <= axis.max, chart.measure_id
            assert axis.min >= 0 and axis.major_unit > 0
            steps = (axis.max - axis.min) / axis.major_unit
            assert abs(steps - round(steps)) < 1e-9 and 2 <= round(steps) <= 10
            if chart.kind == "column":
                assert axis.min == 0, chart.measure_id
            unit = demo_results.scorecard.set_index("measure_id").at[chart.measure_id, "unit"]
            if unit == "percent":
                assert axis.max <= 1 and axis.num_format in ("0%", "0.0%")


def test_chart_none_measures_are_not_charted(demo_results) -> None:
    measures = demo_results.inputs.measures.copy()
    measures.loc[["cla_open", "cin_visits"], "chart"] = "none"
    plan = render_plan(results_with(measures=measures))
    charted = {c.measure_id for s in plan.by_role("charts") for c in s.charts}
    assert "cla_open" not in charted and "cin_visits" not in charted
    assert len(charted) == len(measures) - 2


def test_section_without_charts_still_gets_its_sheet(demo_results) -> None:
    measures = demo_results.inputs.measures.copy()
    measures.loc[measures["section"] == "Workforce", "chart"] = "none"
    plan = render_plan(results_with(measures=measures))
    sheet = plan.sheet("Charts - Workforce")
    assert sheet.charts == ()
    assert "No measure in this section is charted" in " ".join(sheet.text("title").texts)


def test_charts_sit_in_a_two_wide_grid_without_overlap(demo_plan: Plan) -> None:
    for sheet in demo_plan.by_role("charts"):
        cells = [(c.placement.grid_row, c.placement.grid_col) for c in sheet.charts]
        assert cells == [divmod(i, 2) for i in range(len(sheet.charts))]
        tops = {c.placement.row for c in sheet.charts}
        assert len(tops) == -(-len(sheet.charts) // 2)


def test_target_series_only_for_measures_with_targets(demo_plan: Plan, demo_results) -> None:
    has_target = set(demo_results.series.dropna(subset=["target"])["measure_id"])
    for sheet in demo_plan.by_role("charts"):
        for chart in sheet.charts:
            target = chart.target_series
            if chart.measure_id in has_target:
                assert target is not None and target.dashed and target.kind == "line"
                assert target.categories == chart.value_series.categories
            else:
                assert target is None


def test_cell_block_shape_is_checked() -> None:
    with pytest.raises(ValueError, match="shape"):
        CellBlock(0, 0, ((1, 2),), ((None,),))
    block = CellBlock.from_columns(0, 0, [[1, "a"], [2, "b"]], ["0%", None])
    assert block.number_formats == (("0%", None), ("0%", None))


def test_cell_range_formula_quotes_sheet_names() -> None:
    rng = CellRange("KPI Values", 4, 2, 4, 14)
    assert rng.formula == "'KPI Values'!$C$5:$O$5"
    assert rng.a1 == "C5:O5"
    assert CellRange("O'Brien", 0, 0, 0, 0).formula == "'O''Brien'!$A$1"


def test_plan_modules_import_no_excel_library() -> None:
    """Only the backends may import an Excel library; the plan is plain data."""
    folder = Path(render_pkg.__file__).parent
    excel = {"xlsxwriter", "openpyxl", "xlwings"}
    for path in folder.glob("*.py"):
        if path.name == "xlsx_scratch.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            assert not {n.split(".")[0] for n in names} & excel, path.name
