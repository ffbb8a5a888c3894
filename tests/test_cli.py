"""The CLI contract: help for every command, exit codes 0/1/2, formats and warnings on stderr."""

import csv
import io
import json
import subprocess
import sys

import pytest

from xl_addin import cli

COMMANDS = [
    "validate",
    "kpis",
    "refresh",
    "rag",
    "charts",
    "export",
    "explain",
    "init",
    "demo",
    "build-addin",
]


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "demo.xlsx"
    assert cli.main(["demo", "--out", str(path)]) == 0
    return path


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    done = subprocess.run(
        [sys.executable, "-m", "xl_addin.cli", command, "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "usage: xl-addin" in done.stdout


def test_console_script_is_installed():
    done = subprocess.run(["xl-addin", "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith("xl-addin ")


def test_validate_says_ready(demo_book, capsys):
    assert cli.main(["validate", str(demo_book)]) == 0
    out = capsys.readouterr().out
    assert "is ready: 32 measures, 13 months (Oct 2021 to Oct 2022)" in out


def test_kpis_csv_and_json_agree(demo_book, capsys):
    assert cli.main(["kpis", str(demo_book), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert cli.main(["kpis", str(demo_book), "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["measure_id"] for r in rows] == [r["measure_id"] for r in records]
    for r, j in zip(rows, records, strict=True):
        assert r["rag"] == j["rag"]
        if j["value"] is not None:
            assert float(r["value"]) == pytest.approx(j["value"], rel=1e-9)


def test_kpis_table_is_for_people(demo_book, capsys):
    assert cli.main(["kpis", str(demo_book)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Northshire Council (demo): October 2022")
    assert "2,352" in out and "Oct-22" in out


def test_warnings_go_to_stderr_not_stdout(demo_book, capsys):
    assert cli.main(["kpis", str(demo_book), "--month", "2022-03", "--format", "json"]) == 0
    captured = capsys.readouterr()
    json.loads(captured.out)  # stdout stays machine-readable
    assert "warning: re_referrals is blank for March 2022" in captured.err


def test_series_is_long(demo_book, capsys):
    assert cli.main(["kpis", str(demo_book), "--series", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert set(rows[0]) == {"measure_id", "month", "value"}
    assert {"measure_id": "open_cases", "month": "2022-09-30", "value": "2466"} in rows


def test_bad_month_argument_is_exit_2(demo_book, capsys):
    assert cli.main(["kpis", str(demo_book), "--month", "Smarch"]) == 2
    assert "--month" in capsys.readouterr().err
    assert cli.main(["kpis", str(demo_book), "--month", "2023-05"]) == 2
    assert "outside the months in Data" in capsys.readouterr().err


def test_unexpected_failure_is_exit_1_without_traceback(demo_book, capsys, monkeypatch):
    import xl_addin.engine.pipeline as compute_module

    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(compute_module, "compute", boom)
    assert cli.main(["kpis", str(demo_book)]) == 1
    err = capsys.readouterr().err
    assert "unexpected error: RuntimeError: disk on fire" in err and "Traceback" not in err


def test_demo_never_replaces_a_file_unless_told(tmp_path, capsys):
    mine = tmp_path / "demo.xlsx"
    mine.write_bytes(b"my own work")
    assert cli.main(["demo", "--out", str(mine), "--quiet"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert mine.read_bytes() == b"my own work"
    assert cli.main(["demo", "--out", str(mine), "--quiet", "--force"]) == 0
    assert mine.read_bytes()[:2] == b"PK"
    # an earlier demo is replaced without --force, so the README's command can be run again
    assert cli.main(["demo", "--out", str(mine), "--quiet"]) == 0
