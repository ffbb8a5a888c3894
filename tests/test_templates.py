"""The committed workbook templates are what the project's sources build, and they work."""

from pathlib import Path

import pytest
from openpyxl import load_workbook

from xl_addin import compute, read_inputs
from xl_addin.io.read import read_sheets
from xl_addin.templates import DEMO_INPUTS, TEMPLATE, build, templates_dir


@pytest.mark.parametrize("name", [TEMPLATE, DEMO_INPUTS])
def test_committed_templates_are_up_to_date(tmp_path, name):
    fresh = build(tmp_path)
    committed = read_sheets(templates_dir() / name)
    rebuilt = read_sheets(next(p for p in fresh if p.name == name))
    for sheet in committed:
        assert committed[sheet].rows == rebuilt[sheet].rows, (
            f"{name}!{sheet} is stale: run `python -m xl_addin.templates`"
        )


def test_template_has_drop_downs_for_calculation_and_polarity():
    wb = load_workbook(templates_dir() / TEMPLATE)
    assert wb.sheetnames == ["About", "Settings", "Measures", "Data", "Targets"]
    validations = {
        str(dv.sqref): dv.formula1 for dv in wb["Measures"].data_validations.dataValidation
    }
    assert any("percent" in f and "rolling_in_year_percent" in f for f in validations.values())
    assert any(f == '"higher,lower,contextual"' for f in validations.values())
    assert "D2:D201" in validations and "G2:G201" in validations


def test_template_example_row_computes():
    results = compute(read_inputs(templates_dir() / TEMPLATE))
    row = results.scorecard.iloc[0]
    assert row["measure_id"] == "cp_visits" and row["value"] == pytest.approx(0.82)
    assert row["rag"] == "Green"


def test_demo_inputs_template_matches_the_demo_data():
    from xl_addin.demo import demo_inputs

    a = compute(read_inputs(Path(templates_dir() / DEMO_INPUTS))).scorecard
    b = compute(demo_inputs()).scorecard
    assert a.equals(b)
