"""Config validation: the shipped files load; broken ones are reported by file, key path and line."""

import shutil
import time

import pytest
from pydantic import ValidationError

from portfolio.config import loading
from portfolio.config.described import default_words, type_words
from portfolio.config.loading import load_config
from portfolio.config.problems import Document, Problem, closest_line, path_text, validation_problems, walk
from portfolio.config.references import organisation_references, portfolio_references, settings_references
from portfolio.config.schema import (VIEW_KINDS, ExtractInfo, Metric, OrganisationsFile, Portfolio, PositionView,
                                     Settings, Target)
from portfolio.workspace import load_workspace
from tests.conftest import FIXTURE_CONFIG, FIXTURE_DATA, ROOT

READ_YAML = loading.read_yaml


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


# --- the parts of loading, each on its own --------------------------------------------------------

def test_a_key_path_is_written_as_in_the_yaml_and_found_on_the_nearest_line():
    lines = {(): 1, ("metrics",): 5, ("metrics", 2): 9, ("metrics", 2, "unit"): 11}
    assert path_text(("metrics", 2, "targets", 0, "value")) == "metrics[2].targets[0].value"
    assert path_text(("extracts", "demo.csv", "title")) == "extracts.demo.csv.title"
    assert closest_line(lines, ("metrics", 2, "unit")) == 11
    assert closest_line(lines, ("metrics", 2, "owner")) == 9  # not written: the line of what holds it
    assert Document("p.yaml", {}, lines).problem(("metrics", 2, "owner"), "x") == Problem(
        "p.yaml", "x", location="metrics[2].owner", line=9)


def test_walk_drops_the_kind_pydantic_adds_to_a_view_and_finds_the_model_of_each_key():
    assert walk(Portfolio, ("views", 3, "position", "metrics")) == (("views", 3, "metrics"), PositionView)
    assert walk(Portfolio, ("metrics", 0, "targets", 1, "value")) == (("metrics", 0, "targets", 1, "value"), Target)
    # a mapping's own keys (file names) are kept and passed over
    assert walk(Settings, ("extracts", "position", "title")) == (("extracts", "position", "title"), ExtractInfo)


def _problems_of(model, data):
    document = Document("f.yaml", data, {})
    try:
        model.model_validate(data)
    except ValidationError as error:
        return [(p.location, p.message) for p in validation_problems(error, model, document)]
    return []


VIEW = {"id": "p", "title": "P", "sro": "s", "clinical_lead": "c", "ceo_sponsor": "c", "analyst": "a",
        "description": "d", "categories": ["A"], "metrics": [{
            "id": "m", "label": "M", "category": "A", "definition": "d", "unit": "count", "measure": "snapshot",
            "improvement": "increase", "source": {"extract": "m.csv"}, "owner": "o"}]}


@pytest.mark.parametrize("view, problems", [
    ({"title": "T", "kind": "waffle", "metric": "m"},
     [("views[0].kind", "Input should be 'standards', 'distribution', 'trajectory', 'heatmap', 'position', "
                        "'statement', 'waterfall', 'framework', 'kvi', 'map', 'comparison' or 'milestones' "
                        "(got 'waffle')")]),
    ({"title": "T", "metric": "m"}, [("views[0].kind", "'kind' is required and missing")]),
    ({"title": "T", "kind": "map", "metric": "m"},
     [("views[0].dimension", "a map view needs 'dimension': the breakdown to show, such as supplier_place")]),
    ({"title": "T", "kind": "statement", "metrics": []},
     [("views[0].metrics", "a statement view needs 'metrics': the metrics to list")]),
    ({"title": "T", "kind": "kvi", "months": 12},
     [("views[0].months", "unknown key 'months' for a kvi view — allowed keys: kind, tab, title ('months' is for "
                          "a distribution or trajectory view)")]),
])
def test_a_bad_view_is_said_in_words_of_its_kind(view, problems):
    assert _problems_of(Portfolio, {**VIEW, "views": [view]}) == problems


def test_every_kind_of_view_has_one_renderer_and_a_table_kind_gives_its_parts():
    from components.portfolio_views import RENDERERS
    assert set(RENDERERS) == set(VIEW_KINDS)
    assert {kind for kind, view in VIEW_KINDS.items() if view.table} == {
        kind for kind, renderer in RENDERERS.items() if renderer.parts} == {"standards", "heatmap"}


def test_the_references_of_a_valid_portfolio_are_each_a_problem_at_its_key():
    data = {**VIEW, "headline": ["m", "nope"], "charts": [{"title": "C", "metric": "m", "by": "site"}],
            "views": [{"title": "Scorecard", "kind": "trajectory", "metric": "gone"},
                      {"title": "H", "kind": "heatmap", "metric": "m", "dimension": "test"}]}
    document = Document("p.yaml", data, {("headline", 1): 4})
    assert [(p.location, p.line, p.message) for p in portfolio_references(Portfolio.model_validate(data), document)] == [
        ("headline[1]", 4, "'nope' is not a metric of this portfolio"),
        ("charts[0].by", None, "'m' cannot be drilled by site; add it to the metric's drill list or choose another level"),
        ("views[0].title", None, "'Scorecard' is the name of a tab every portfolio has already; give the view's tab "
                                 "another name"),
        ("views[0].metric", None, "'gone' is not a metric of this portfolio"),
        ("views[1].dimension", None, "'m' has no 'test' in its drill list"),
    ]


def test_the_references_of_organisations_and_settings():
    organisations = OrganisationsFile.model_validate({
        "system": {"code": "S", "name": "S", "short_name": "S"},
        "providers": [{"code": "A", "name": "A", "short_name": "A", "type": "acute", "place": "X", "successor": "A"}]})
    assert [(p.location, p.message) for p in organisation_references(organisations, Document("o.yaml", {}, {}))] == [
        ("providers[0].place", "'X' is not a place code"),
        ("providers[0].closed", "a provider with a successor needs its closing month"),
        ("providers[0].successor", "the successors go round in a circle (A → A): the last provider of a merger has "
                                   "no successor")]
    entry = {"title": "t", "publisher": "p", "data_as_at": "2023-01-01"}
    settings = Settings.model_validate({"extracts": {"a.csv": entry}, "patient_level": {"a.csv": entry}})
    [problem] = settings_references(settings, Document("settings.yaml", {}, {("patient_level",): 3}))
    assert str(problem) == ("settings.yaml:3 (patient_level): a.csv is also under extracts; a patient-level file is "
                            "not a tidy extract, so list it under patient_level only")


def test_each_field_is_described_by_its_type_and_default():
    fields = Metric.model_fields
    assert [type_words(fields[k]) for k in ("id", "focus", "drill", "targets", "scale", "unit")] == [
        "id", "true/false or list of months", "list of ids", "list of mappings", "number", "choice"]
    assert [default_words(fields[k]) for k in ("id", "target_pending", "scale", "additive", "baseline", "drill")] == [
        "required", "none", "`1`", "`true`", "its keys' defaults", "none"]
    assert type_words(Settings.model_fields["default_period"]) == "`latest` or month"
    assert default_words(PositionView.model_fields["show"]) == "`[plan, actual, variance]`"
    assert type_words(VIEW_KINDS["kvi"].model_fields["kind"]) == "`kvi`"


def test_a_meeting_file_is_read_once(tmp_path, monkeypatch):
    shutil.copytree(FIXTURE_CONFIG, tmp_path / "config")
    (tmp_path / "config/meetings").mkdir()
    (tmp_path / "config/meetings/m.yaml").write_text(
        "id: m\ntitle: M\ndate: 2026-11-26\nperiod: 2023-06\nslides: [{show: overview}]\n")
    read = []
    monkeypatch.setattr(loading, "read_yaml", lambda path, name: read.append(name) or READ_YAML(path, name))
    assert "m" in load_config(tmp_path / "config").meetings
    assert read.count("meetings/m.yaml") == 1
