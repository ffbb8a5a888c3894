"""SPC beside RAG on every surface: settings and the optional `SPC periods` sheet, the
Scorecard's Variation and Assurance, `kpis`, SPC charts, the Key, the Narrative and the public
pack, checked on the demo and on built workbooks against the SPC module itself."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import numpy as np
import openpyxl
import pytest
from builders import make_inputs, make_sheets
from support.tables import table_by_first_column, table_records

import xl_addin
from xl_addin.cli import main
from xl_addin.contract import RawSheet, validate_inputs
from xl_addin.demo import demo_inputs, demo_sheets
from xl_addin.errors import InputError
from xl_addin.export import export_book
from xl_addin.io.write_inputs import write_input_workbook
from xl_addin.process_control import COLOURS, spc, words

# case 3 of docs spc.md: 30 points with special causes of both kinds
CASE_3 = [8, 27, 32, 26, 20, 21, 23, 21, 23, 22, 26, 23, 20, 20, 29, 28, 22, 23, 25, 26]
CASE_3 += [28, 29, 26, 24, 36, 29, 35, 22, 30, 18]


@pytest.fixture(scope="module")
def demo():
    return xl_addin.compute(demo_inputs())


def test_the_scorecard_reads_each_in_month_measure_as_the_module_does(demo):
    card = demo.scorecard.set_index("measure_id")
    checked = 0
    for mid, row in card.iterrows():
        _, values = demo.history(mid)
        if row["calculation"] in ("value", "percent", "rate_per_10k", "ratio"):
            if np.isfinite(values).sum() < 13:
                assert row["variation"] is None
                assert row["variation_words"] == "Too few points (n < 13)"
                continue
            target = None if row["target"] != row["target"] else row["target"]
            direct = spc(values, row["polarity"], target=target)
            assert row["variation"] == direct.variation, mid
            assert row["assurance"] == direct.assurance, mid
            assert row["variation_words"] == words(direct.variation)
            checked += 1
        else:  # year-to-date and rolling figures are not read as SPC
            assert row["variation"] is None and row["assurance"] is None
            assert row["variation_words"].startswith("Not used")
    assert checked >= 15
    assert card.at["voice_see_sw", "variation_words"] == "Too few points (n < 13)"


def test_kpis_json_and_csv_carry_variation_and_assurance(tmp_path, capsys):
    book = tmp_path / "demo.xlsx"
    write_input_workbook(demo_sheets(), book)
    assert main(["kpis", str(book), "--format", "json"]) == 0
    rows = {r["measure_id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["sw_caseload"]["variation"] == "common_cause"
    assert rows["re_referrals"]["variation"] is None  # in-year: not read as SPC
    assert rows["cla_open"]["assurance"] in ("pass", "fail", "hit_or_miss")
    assert main(["kpis", str(book), "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {"variation", "assurance"} <= set(table[0])
    assert next(r for r in table if r["measure_id"] == "sw_caseload")["variation"] == "common_cause"


def _one(values, polarity="higher", chart="spc", settings=None, periods=None, targets=()):
    measure = {"id": "m", "calculation": "value", "numerator": "n", "polarity": polarity}
    measure["chart"] = chart
    sheets = make_sheets([measure], {"n": values}, "2020-04-30", targets, settings)
    if periods is not None:
        sheets["SPC periods"] = RawSheet("SPC periods", periods)
    return sheets


def test_settings_change_the_reading_and_bad_ones_name_their_cell():
    base = xl_addin.compute(validate_inputs(_one(CASE_3)))
    strict = xl_addin.compute(validate_inputs(_one(CASE_3, settings={"spc_min_points": 40})))
    assert base.scorecard.at[0, "variation"] == "common_cause"
    assert strict.scorecard.at[0, "variation"] is None
    assert strict.scorecard.at[0, "variation_words"] == "Too few points (n < 40)"
    with pytest.raises(InputError) as err:
        validate_inputs(_one(CASE_3, settings={"spc_shift_points": "six"}))
    (problem,) = err.value.problems
    assert problem.sheet == "Settings" and problem.cell.startswith("B")
    assert "spc_shift_points must be a whole number from 5 to 9" in problem.message


def test_a_recalculation_month_starts_new_limits():
    before = xl_addin.compute(validate_inputs(_one(CASE_3)))
    periods = [["measure", "recalculate_from"], ["m", "2021-08-31"]]  # point 17 on
    after = xl_addin.compute(validate_inputs(_one(CASE_3, periods=periods)))
    assert before.spc["m"].mean != after.spc["m"].mean
    assert after.spc["m"].mean == pytest.approx(np.mean(CASE_3[16:]))


def test_a_bad_spc_periods_row_names_its_cell():
    periods = [["measure", "recalculate_from"], ["nope", "2021-08-31"], ["m", "soon"]]
    with pytest.raises(InputError) as err:
        validate_inputs(_one(CASE_3, periods=periods))
    where = {(p.sheet, p.cell) for p in err.value.problems}
    assert where == {("SPC periods", "A2"), ("SPC periods", "B3")}


def test_chart_spc_needs_an_in_month_calculation():
    measure = {
        "id": "r",
        "calculation": "rolling_in_year_percent",
        "numerator": "n",
        "denominator": "d",
        "chart": "spc",
    }
    with pytest.raises(InputError) as err:
        make_inputs([measure], {"n": [1] * 14, "d": [2] * 14}, "2020-04-30")
    (problem,) = err.value.problems
    assert problem.sheet == "Measures" and problem.cell == "H2"
    assert "chart spc needs an in-month calculation" in problem.message


@pytest.fixture(scope="module")
def spc_book(tmp_path_factory):
    """CASE_3 as a refreshed workbook with an SPC chart and a target of 30."""
    path = tmp_path_factory.mktemp("spc") / "spc.xlsx"
    write_input_workbook(_one(CASE_3, targets=[("m", "2022-12-31", 30)]), path)
    assert main(["refresh", str(path), "--no-backup", "--quiet"]) == 0
    return path


def test_an_spc_chart_draws_mean_limits_and_special_causes_in_mdc_colours(spc_book):
    reading = spc(CASE_3, "up", target=30)
    rows = {
        r["Line"]: r
        for r in table_records(openpyxl.load_workbook(spc_book)["KPI Values"], "SPCLines")
    }
    assert set(rows) == {
        "Mean",
        "Upper process limit",
        "Lower process limit",
        "Improvement",
        "Concern",
    }
    months = list(rows["Mean"])[2:]
    assert rows["Mean"][months[-1]] == pytest.approx(reading.mean)
    assert rows["Upper process limit"][months[0]] == pytest.approx(reading.upper)
    flagged = [i for i, k in enumerate(reading.points) if k == "concern"]
    concern = [i for i, m in enumerate(months) if rows["Concern"][m] is not None]
    assert concern == flagged == [0, 4, 5, 6, 7, 8, 9]
    with zipfile.ZipFile(spc_book) as z:
        (chart,) = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    for colour in (COLOURS["improvement"], COLOURS["concern"]):
        assert colour.lstrip("#").upper() in chart.upper()
    assert "Concern (special cause)" in chart and "Upper process limit" in chart


def test_the_scorecard_and_narrative_show_spc_in_words(spc_book):
    wb = openpyxl.load_workbook(spc_book)
    row = table_by_first_column(wb["Scorecard"], "Scorecard")["m"]
    reading = spc(CASE_3, "up", target=30)
    assert row["Variation"] == words(reading.variation) == "Common cause"
    assert row["Assurance"] == words(reading.assurance)
    narrative = [c.value for c in wb["Narrative"]["A"] if isinstance(c.value, str)]
    assert any(v.startswith("• m: ") and "common-cause variation only" in v for v in narrative)
    key = [c.value for c in wb["Scorecard"]["A"] if isinstance(c.value, str)]
    assert any("spc_shift_points" not in k and "6 or more points in a row" in k for k in key)


def test_the_pack_keys_spc_and_the_public_pack_hides_a_suppressed_months_variation(tmp_path):
    values = [*CASE_3[:-1], 3]  # the last month a small count, far below the limits
    path = tmp_path / "small.xlsx"
    write_input_workbook(_one(values), path)
    internal = export_book(path, tmp_path / "pack.xlsx")
    book = openpyxl.load_workbook(internal.path)
    assert table_by_first_column(book["Scorecard"], "Scorecard")["m"]["Variation"] == (
        "Concern (low)"
    )
    key = table_by_first_column(book["Key"], "KeySPCRules")
    assert key["spc_shift_points"]["Value"] == "6"
    public = export_book(path, tmp_path / "public.xlsx", public=True)
    card = table_by_first_column(openpyxl.load_workbook(public.path)["Scorecard"], "Scorecard")
    assert card["m"]["Value"] == "c" and card["m"]["Variation"] == "c"
