"""The command line, run as a user would: ``python -m portfolio …``."""

import csv
import io
import json
import shutil
import subprocess
import sys

import jsonschema
import pytest
import yaml

from portfolio.config.described import FILES
from portfolio.outputs.meetings import running_order
from tests.conftest import FIXTURE_CONFIG, FIXTURE_DATA, ROOT
from tests.sweep import SAMPLE


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "portfolio", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_check_passes_on_the_shipped_config_and_sample():
    result = run("check")
    assert result.returncode == 0, result.stdout + result.stderr
    *hints, summary = result.stdout.splitlines()
    assert summary.startswith("0 problem(s); portfolios loaded: uec, elective, finance, social_value")
    # what is not set up yet is a hint, with the file to write, and never a problem
    assert "hint: Finance: no charts are set up, so its page has no Charts tab; add 'charts:'" in result.stdout
    assert all(line.startswith("hint: ") for line in hints)


def test_check_names_a_narrative_too_long_for_its_slide(tmp_path):
    shutil.copytree(ROOT / "config", tmp_path / "config")
    note = tmp_path / "config/commentary/portfolios/uec/2026-10.md"
    note.write_text(note.read_text().replace("## Why it matters\n", "## Why it matters\n\n" + "Beds are full. " * 10))
    result = run("check", "--config", tmp_path / "config", "--data", ROOT / "sample_data")
    assert result.returncode == 0
    steps = running_order(SAMPLE.config, SAMPLE.engine, SAMPLE.config.meetings["board-2026-11"])
    number = next(n for n, step in enumerate(steps, start=1) if step.portfolio == "uec")
    assert (f"hint: board-2026-11, slide {number}: 'Why it matters' has {30 + 24} words; a slide shows the first 25: "
            f"shorten it in {note}, or the slide ends it with '…'") in result.stdout


def test_check_fails_naming_the_broken_file(fixture_copy):
    path = fixture_copy / "config/portfolios/demo.yaml"
    path.write_text(path.read_text().replace("unit: count", "unit: counts", 1))
    result = run("check", "--config", fixture_copy / "config", "--data", fixture_copy / "data")
    assert result.returncode == 1
    assert "error: portfolios/demo.yaml:31 (metrics[1].unit): Input should be" in result.stdout


def test_check_lists_extract_problems_with_row_and_column(fixture_copy):
    with open(fixture_copy / "data/demo.csv", "a") as extract:
        extract.write("attendances,2023-06,A,,,,-3,,,,\n")
    result = run("check", "--config", fixture_copy / "config", "--data", fixture_copy / "data")
    assert result.returncode == 1
    assert "error: demo.csv:40 (row 40, column value): a count cannot be negative (got -3)" in result.stdout


def test_values_prints_the_computed_series():
    result = run("values", "--config", FIXTURE_CONFIG, "--data", FIXTURE_DATA, "--metric", "four_hour",
                 "--from", "2023-04", "--to", "2023-05")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "period,org_code,value,numerator,denominator,target,status",
        "2023-04,SYS,70,770,1100,76,not met",
        "2023-05,SYS,76.363636,840,1100,76,met",
    ]


def test_values_for_an_organisation_and_a_metric_without_target():
    result = run("values", "--config", FIXTURE_CONFIG, "--data", FIXTURE_DATA, "--metric", "attendances",
                 "--org", "P1")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["period"], r["org_code"], r["value"], r["target"], r["status"]) for r in rows] == [
        ("2023-04", "P1", "1500", "", "no target"), ("2023-05", "P1", "1020", "", "no target")]


@pytest.mark.parametrize("args, message", [
    (["--metric", "four_hur"], "unknown metric 'four_hur'; did you mean four_hour?"),
    (["--metric", "four_hour", "--org", "XYZ"], "unknown organisation 'XYZ'"),
    (["--metric", "four_hour", "--from", "April"], "'April' is not a month"),
])
def test_values_explains_bad_arguments(args, message):
    result = run("values", "--config", FIXTURE_CONFIG, "--data", FIXTURE_DATA, *args)
    assert result.returncode == 2 and message in result.stderr


def _plain(data):
    """A YAML document as an editor's YAML reader gives it to a JSON Schema: dates as text."""
    return json.loads(json.dumps(data, default=str))


def test_schema_prints_one_json_schema_of_every_kind_of_file_and_each_shipped_file_fits_it():
    result = run("schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert {"Settings", "OrganisationsFile", "Portfolio", "Meeting"} <= set(schema["$defs"])
    validator = jsonschema.Draft202012Validator(schema)
    for folder in (ROOT / "config", FIXTURE_CONFIG):
        for files, _ in FILES.values():
            for path in folder.glob(files):
                assert list(validator.iter_errors(_plain(yaml.safe_load(path.read_text())))) == [], path


def test_schema_of_one_kind_of_file_marks_what_the_dashboard_refuses():
    result = run("schema", "--file", "portfolio")
    assert result.returncode == 0, result.stderr
    validator = jsonschema.Draft202012Validator(json.loads(result.stdout))
    demo = _plain(yaml.safe_load((FIXTURE_CONFIG / "portfolios/demo.yaml").read_text()))
    assert list(validator.iter_errors(demo)) == []
    trajectory = next(v for v in demo["views"] if v["kind"] == "trajectory")
    without_metric = {key: value for key, value in trajectory.items() if key != "metric"}
    # an unknown kind, a key another kind takes, a key missing
    for view in ({**trajectory, "kind": "trajectry"}, {**trajectory, "by": "site"}, without_metric):
        assert not validator.is_valid({**demo, "views": [view]}), view
    assert not validator.is_valid({**demo, "colour": "red"})
    assert run("schema", "--file", "nope").returncode == 2
