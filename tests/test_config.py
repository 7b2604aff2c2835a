"""Config validation: the shipped files load; broken ones are reported by file, key path and line."""

import shutil
import time

import pytest

from portfolio.config.loading import load_config
from portfolio.workspace import load_workspace
from tests.conftest import FIXTURE_CONFIG, FIXTURE_DATA, ROOT


def test_fixture_config_loads_cleanly():
    config = load_config(FIXTURE_CONFIG)
    assert config.problems == []
    assert [p.id for p in config.portfolios] == ["demo"]
    assert config.portfolios[0].categories == ["Access", "Waits"]


def test_shipped_config_loads_cleanly():
    config = load_config(ROOT / "config")
    assert [str(p) for p in config.problems] == []
    assert {p.id for p in config.portfolios} == {"uec", "elective", "finance", "social_value"}
    assert [p.id for p in config.portfolios][0] == "uec"  # display order from `order:`
    uec = config.portfolio("uec")
    assert uec.categories[:6] == ["NHS 111", "Ambulance", "Handovers", "A&E", "Beds", "Discharges"]
    for metric in config.metrics.values():
        assert metric.improvement in ("increase", "decrease", "neutral")


def _broken(tmp_path, old, new, file="portfolios/demo.yaml"):
    shutil.copytree(FIXTURE_CONFIG, tmp_path / "config")
    path = tmp_path / "config" / file
    text = path.read_text()
    assert old in text, f"test set-up: {old!r} not in {file}"
    path.write_text(text.replace(old, new, 1))
    return load_config(tmp_path / "config")


BROKEN_PORTFOLIOS = [
    ("misspelt key", "improvement: increase", "improvment: increase", 19, "did you mean 'improvement'"),
    ("unknown unit", "unit: percent", "unit: percentage", 15, "'percent'"),
    ("category not declared", "category: Access\n    definition: Attendances within",
     "category: Acess\n    definition: Attendances within", 13, "'Acess' is not one of the portfolio's categories"),
    ("malformed month", "to: 2023-03}", "to: 2023-3}", 21, "YYYY-MM"),
    ("target dates reversed", "{value: 95, source: NHS Constitution, to: 2023-03}",
     "{value: 95, source: NHS Constitution, from: 2024-01, to: 2023-03}", 21, "is after"),
    ("required key missing", "    owner: Test owner\n  - id: attendances", "  - id: attendances", 11,
     "'owner' is required"),
    ("mean not computed as a ratio", "    compute: ratio\n    scale: 100\n", "", 11,
     "must be computed as a ratio"),
    ("percentage ratio without scale 100", "scale: 100", "scale: 1", 11, "needs scale: 100"),
    ("extract outside the data folder", "source: {extract: demo.csv}", "source: {extract: ../../secrets.csv}", 23,
     "outside the data folder"),
    ("absolute extract path", "source: {extract: demo.csv}", "source: {extract: /etc/passwd.csv}", 23,
     "outside the data folder"),
    ("extract that is not a CSV", "source: {extract: demo.csv}", "source: {extract: demo.xlsx}", 23, "not a .csv"),
    ("invalid YAML", "  - id: attendances\n", "  - id: attendances\n   label: [unclosed\n", None, "not valid YAML"),
    ("metric id used twice", "  - id: attendances", "  - id: four_hour", None, "used twice"),
    ("neutral target without comparison", "    improvement: neutral\n    source: {extract: demo.csv}\n    drill: [place, provider]",
     "    improvement: neutral\n    targets: [{value: 10, source: x}]\n    source: {extract: demo.csv}\n    drill: [place, provider]",
     None, "needs 'comparison'"),
    ("headline names an unknown metric", "headline: [four_hour, waiting_list]", "headline: [four_hour, nope]", 9,
     "'nope' is not a metric"),
    ("bad metric id", "  - id: attendances", "  - id: Attendances-All", None, "lower-case letters"),
    ("wrong type", "scale: 100", "scale: lots", 18, "valid number"),
    ("position view without metrics", "{title: Trajectory, kind: trajectory, metric: four_hour}",
     "{title: Trajectory, kind: position, metric: four_hour}", 72, "a position view needs 'metrics'"),
    ("unknown position column", "{title: Trajectory, kind: trajectory, metric: four_hour}",
     "{title: Trajectory, kind: position, metrics: [four_hour], show: [plan, forecast]}", 72, "'underspend'"),
    ("identity with an unknown part", "views:\n",
     "reconcile:\n  identities:\n    - {total: attendances, parts: [four_hour, -nope]}\nviews:\n", 71,
     "'nope' is not a metric of this portfolio"),
    ("identity with one part", "views:\n", "reconcile:\n  identities:\n    - {total: attendances, parts: [four_hour]}\nviews:\n",
     71, "at least 2 items"),
    ("a view's tab named as a built-in tab", "{title: Trajectory, kind: trajectory, metric: four_hour}",
     "{title: Trajectory, tab: Scorecard, kind: trajectory, metric: four_hour}", 72, "a tab every portfolio has"),
    ("a view named as a built-in tab", "{title: Trajectory, kind: trajectory, metric: four_hour}",
     "{title: Front sheet, kind: trajectory, metric: four_hour}", 72, "a tab every portfolio has"),
    ("two views with one title", "{title: Trajectory, kind: trajectory, metric: four_hour}",
     "{title: Standards, kind: trajectory, metric: four_hour}", 70, "is used by two views"),
    ("a rebase that is a date", "    focus: true\n", "    focus: true\n    rebase: [2023-04-01]\n", 26,
     "write each as a month, YYYY-MM"),
    ("a rebase month twice", "    focus: true\n", "    focus: true\n    rebase: [2023-04, {month: 2023-04, reason: x}]\n", 26,
     "2023-04 is listed twice"),
    ("a rebase reason of spaces", "    focus: true\n", "    focus: true\n    rebase: [{month: 2023-04, reason: '  '}]\n",
     26, "is blank: write some words"),
    ("a unit label of spaces", "    focus: true\n", "    focus: true\n    format: {unit_label: '   '}\n", 26,
     "is blank: write some words"),
    ("a label too long for a board", "    label: Attendances\n", f"    label: {'A' * 101}\n", 28, "at most 100"),
    ("a target for an organisation that does not exist", "{value: 900, source: Ambulance standard}",
     "{value: 900, source: Ambulance standard, organisations: [NOPE]}", None, "'NOPE' is not in organisations.yaml"),
]


@pytest.mark.parametrize("old, new, line, message", [case[1:] for case in BROKEN_PORTFOLIOS],
                         ids=[case[0] for case in BROKEN_PORTFOLIOS])
def test_broken_portfolio_is_reported_and_left_out(tmp_path, old, new, line, message):
    config = _broken(tmp_path, old, new)
    assert config.portfolios == []
    assert "portfolios/demo.yaml" in config.disabled
    problems = [p for p in config.problems if p.file == "portfolios/demo.yaml"]
    assert any(message in p.message for p in problems), [str(p) for p in problems]
    matching = next(p for p in problems if message in p.message)
    if line is not None:
        assert matching.line == line, str(matching)
    assert matching.line is not None and "portfolios/demo.yaml" in str(matching)


def test_top_level_must_be_a_mapping(tmp_path):
    shutil.copytree(FIXTURE_CONFIG, tmp_path / "config")
    (tmp_path / "config/portfolios/demo.yaml").write_text("- just\n- a list\n")
    config = load_config(tmp_path / "config")
    assert "must be a mapping" in config.problems[0].message


def test_empty_portfolio_file(tmp_path):
    shutil.copytree(FIXTURE_CONFIG, tmp_path / "config")
    (tmp_path / "config/portfolios/demo.yaml").write_text("")
    assert "is empty" in str(load_config(tmp_path / "config").problems[0])


def test_a_broken_portfolio_leaves_the_others_working(tmp_path):
    shutil.copytree(FIXTURE_CONFIG, tmp_path / "config")
    good = (tmp_path / "config/portfolios/demo.yaml").read_text()
    (tmp_path / "config/portfolios/other.yaml").write_text(  # a second portfolio: the demo's metrics renamed
        good.split("views:")[0].replace("id: demo", "id: other").replace("- id: four_hour", "- id: four_hour_b")
        .replace("- id: attendances", "- id: attendances_b").replace("- id: waiting_list", "- id: waiting_list_b")
        .replace("- id: p90", "- id: p90_b").replace("- id: spend", "- id: spend_b")
        .replace("headline: [four_hour, waiting_list]", "headline: [four_hour_b]"))
    (tmp_path / "config/portfolios/demo.yaml").write_text(good.replace("unit: count", "unit: counts", 1))
    config = load_config(tmp_path / "config")
    assert [p.id for p in config.portfolios] == ["other"]
    assert list(config.disabled) == ["portfolios/demo.yaml"]


def test_metric_ids_are_unique_across_portfolios(tmp_path):
    shutil.copytree(FIXTURE_CONFIG, tmp_path / "config")
    text = (tmp_path / "config/portfolios/demo.yaml").read_text()
    (tmp_path / "config/portfolios/zz_copy.yaml").write_text(text.replace("id: demo", "id: copy"))
    config = load_config(tmp_path / "config")
    assert [p.id for p in config.portfolios] == ["demo"]
    problem = next(p for p in config.problems if p.file == "portfolios/zz_copy.yaml")
    assert "already used by portfolios/demo.yaml" in problem.message and problem.line == 11


def test_organisations_hierarchy_is_checked(tmp_path):
    config = _broken(tmp_path, "provider: A, lat: 53.4", "provider: Z, lat: 53.4", file="organisations.yaml")
    problem = next(p for p in config.problems if p.file == "organisations.yaml")
    assert "'Z' is not a provider code" in problem.message
    assert config.organisations is None


def test_site_coordinates_must_be_in_great_britain(tmp_path):
    config = _broken(tmp_path, "lat: 53.4, lon: -2.9", "lat: 5.34, lon: -2.9", file="organisations.yaml")
    problem = next(p for p in config.problems if p.file == "organisations.yaml")
    assert problem.location == "sites[0].lat" and problem.line == 11


def test_settings_unknown_key_and_bad_date(tmp_path):
    config = _broken(tmp_path, "data_as_at: 2023-07-10", "data_as_at: 10/07/2023", file="settings.yaml")
    problem = next(p for p in config.problems if p.file == "settings.yaml")
    assert problem.location == "extracts.demo.csv.data_as_at" and problem.line == 4


def test_yaml_is_never_loaded_unsafely(tmp_path):
    config = _broken(tmp_path, "title: Demo portfolio", "title: !!python/object/apply:os.system ['echo hacked']")
    assert config.portfolios == []
    assert any("not valid YAML" in p.message for p in config.problems)


def test_a_successor_must_be_a_provider_and_needs_a_closing_month(tmp_path):
    config = _broken(tmp_path, "type: acute, place: P2}", "type: acute, place: P2, successor: B}", file="organisations.yaml")
    assert any("needs its closing month" in p.message for p in config.problems)
    config = _broken(tmp_path / "again", "type: acute, place: P2}", "type: acute, place: P2, closed: 2023-04, successor: Q}",
                     file="organisations.yaml")
    assert any("'Q' is not a provider code" in p.message for p in config.problems)


def test_an_alias_bomb_is_read_quickly_and_reported(tmp_path):
    """A few hundred bytes of nested YAML aliases ("billion laughs") must not take minutes or
    gigabytes to read: the aliases' expanded size is worked out on the nodes, once each, and the
    file refused before anything is built from it."""
    shutil.copytree(FIXTURE_CONFIG, tmp_path / "config")
    levels = ["x0: &l0 [a, a, a, a, a, a, a, a, a, a]"] + [
        f"x{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, 9)]  # 10^9 nodes unrolled
    (tmp_path / "config/meetings").mkdir()
    (tmp_path / "config/meetings/bomb.yaml").write_text(
        "id: bomb\ntitle: Bomb\ndate: 2026-11-26\nperiod: 2023-06\nslides: [{show: overview}]\n" + "\n".join(levels))
    started = time.monotonic()
    config = load_config(tmp_path / "config")
    assert time.monotonic() - started < 10
    [problem] = [p for p in config.problems if p.file == "meetings/bomb.yaml"]
    assert problem.message == ("is not read: its aliases (*name) expand to more than 200,000 values; write the values "
                               "out, or use fewer aliases") and problem.line == 11  # x5: 10^6 values
    assert [p.id for p in config.portfolios] == ["demo"]  # the rest loads


def test_a_table_slide_must_name_a_table_of_its_portfolio(tmp_path):
    shutil.copytree(FIXTURE_CONFIG, tmp_path / "config")
    (tmp_path / "config/meetings").mkdir()
    (tmp_path / "config/meetings/m.yaml").write_text(
        "id: m\ntitle: M\ndate: 2026-11-26\nperiod: 2023-06\nslides:\n  - {show: table, portfolio: demo, view: Nope}\n")
    problem = next(p for p in load_config(tmp_path / "config").problems if p.file == "meetings/m.yaml")
    assert problem.location == "slides[0].view" and problem.line == 6
    assert "'Nope' is not a standards or heat table of Demo portfolio: choose one of" in problem.message


def test_a_broken_portfolio_sets_its_rows_and_slides_aside_with_one_line_each(tmp_path):
    _broken(tmp_path, "unit: percent", "unit: percentage")
    (tmp_path / "config/meetings").mkdir()
    (tmp_path / "config/meetings/m.yaml").write_text(
        "id: m\ntitle: M\ndate: 2026-11-26\nperiod: 2023-06\nslides:\n  - {show: portfolio, portfolio: demo}\n")
    workspace = load_workspace(tmp_path / "config", FIXTURE_DATA)
    rows = [p for p in workspace.problems if p.file == "demo.csv"]
    assert len(rows) == 1 and rows[0].severity == "warning" and "set aside until its file is fixed" in rows[0].message
    meeting = next(p for p in workspace.problems if p.file == "meetings/m.yaml")
    assert "could not be loaded (portfolios/demo.yaml has errors)" in meeting.message
