"""Every page on the shipped config and bundled sample: the living example the tests exercise."""

import csv
import functools
import io
import shutil
from unittest import mock

import pytest

from portfolio.cli import main as cli
from portfolio.config.loading import load_config
from portfolio.config.months import Month
from portfolio.outputs.formatting import format_value
from portfolio.workspace import load_workspace
from tests.apptest import (chart_unit, charts, deep_dive, html_tables, metrics, navigation, no_errors, open_page, start,
                           table_frame)
from tests.conftest import ROOT

SHIPPED = load_config(ROOT / "config")


def format_month(period: str) -> str:
    return Month(period).label


@pytest.fixture(scope="module")
def at(sample_app):
    return sample_app


@functools.cache
def _sample_workspace(config, data, source=None):
    return load_workspace(config, data, source)


def values(metric_id: str, period: str, org: str | None = None, capsys=None) -> dict[str, str]:
    """One row of ``python -m portfolio values``, run in-process (on a workspace loaded once)."""
    args = ["values", "--metric", metric_id, "--from", period, "--to", period] + (["--org", org] if org else [])
    with mock.patch("portfolio.cli.load_workspace", _sample_workspace):
        assert cli(args) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    return rows[0] if rows else {}


def test_navigation_has_a_page_per_portfolio(at):
    pages = navigation(at)
    for portfolio in SHIPPED.portfolios:
        assert pages[portfolio.id] == portfolio.title
    assert {"", "about", "deep-dive"} <= set(pages)


def test_overview_headlines_equal_the_values_command(at, capsys):
    no_errors(at)
    period = at.session_state["period"]
    shown = metrics(at)
    for portfolio in SHIPPED.portfolios:
        for metric in portfolio.headline_metrics:
            row = values(metric.id, period, capsys=capsys)
            if row:  # reported this month
                assert shown[metric.label] == format_value(metric, float(row["value"])), metric.id
    assert [s.value for s in at.subheader] == [p.title for p in SHIPPED.portfolios]


@pytest.mark.parametrize("portfolio", SHIPPED.portfolios, ids=lambda p: p.id)
def test_portfolio_scorecard_equals_the_values_command(at, portfolio, capsys):
    open_page(at, portfolio.id).run()
    no_errors(at)
    assert at.title[0].value == portfolio.title
    at.session_state["view"] = "Scorecard"
    at.run()
    no_errors(at)
    period = at.session_state["period"]
    column = format_month(period)
    [table] = [t for t in html_tables(at) if t["caption"] == f"{portfolio.title} scorecard"]
    frame = table_frame(table)
    shown = dict(zip(frame.index.str.removeprefix("★ "), frame[column]))
    for metric in portfolio.metrics:
        row = values(metric.id, period, capsys=capsys)
        if row:
            expected = format_value(metric, float(row["value"])) + (" ✘" if row["status"] == "not met" else "")
            assert shown[metric.label] == expected, metric.id
    at.session_state["view"] = "Front sheet"


@pytest.mark.parametrize("portfolio", SHIPPED.portfolios, ids=lambda p: p.id)
def test_deep_dive_of_each_portfolio_headline(portfolio, monkeypatch, capsys):
    metric = portfolio.headline_metrics[0]
    at = deep_dive(monkeypatch, ROOT / "config", ROOT / "sample_data", metric=metric.id)
    no_errors(at)
    assert at.title[0].value == metric.label
    row = values(metric.id, at.session_state["period"], capsys=capsys)
    assert metrics(at)[metric.label] == format_value(metric, float(row["value"]))


def test_provider_drill_down_on_the_sample(monkeypatch, capsys):
    at = deep_dive(monkeypatch, ROOT / "config", ROOT / "sample_data", metric="ae_4hr_all")
    root = at.session_state["org"]
    at.session_state["drill"] = "provider"
    at.run()
    at.session_state[f"breakdown-{root}-provider"] = {"selection": {"pick": [{"code": "RBL"}]}}
    at.run()
    no_errors(at)
    assert at.session_state["org"] == "RBL"
    row = values("ae_4hr_all", at.session_state["period"], org="RBL", capsys=capsys)
    assert metrics(at)["A&E 4-hour performance (all types)"] == format_value(SHIPPED.metrics["ae_4hr_all"], float(row["value"]))


def test_about_page_on_the_sample(at):
    open_page(at, "about").run()
    no_errors(at)
    assert len(at.table[0].value) == len({m.source.extract for m in SHIPPED.metrics.values()})
    assert len(at.expander) == len(SHIPPED.portfolios)
    assert at.caption[0].value.startswith("This dashboard is running on synthetic sample data")


def test_a_new_portfolio_needs_only_one_yaml_file_and_one_csv(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "config", tmp_path / "config")
    shutil.copytree(ROOT / "sample_data", tmp_path / "data")
    (tmp_path / "config/portfolios/mental_health.yaml").write_text("""\
id: mental_health
title: Mental health
sro: Director of Mental Health Transformation
clinical_lead: Consultant psychiatrist
ceo_sponsor: Chief Executive, Mersey Care
analyst: Mental health analyst
description: Access to mental health services.
categories: [Access]
metrics:
  - id: mh_talking_therapies_access
    label: Talking therapies access
    category: Access
    definition: People entering NHS Talking Therapies treatment in the month.
    unit: count
    measure: monthly_total
    improvement: increase
    source: {extract: mental_health.csv}
    owner: Head of Mental Health
  - id: mh_out_of_area_bed_days
    label: Inappropriate out-of-area bed days
    category: Access
    definition: Adult acute out-of-area placement bed days that were inappropriate.
    unit: count
    measure: monthly_total
    improvement: decrease
    targets: [{value: 0, source: NHS Long Term Plan}]
    source: {extract: mental_health.csv}
    owner: Head of Mental Health
""")
    (tmp_path / "data/mental_health.csv").write_text(
        "metric_id,period,org_code,value\n"
        "mh_talking_therapies_access,2026-09,RW4,1200\nmh_talking_therapies_access,2026-10,RW4,1250\n"
        "mh_talking_therapies_access,2026-10,RXA,800\n"
        "mh_out_of_area_bed_days,2026-09,RW4,310\nmh_out_of_area_bed_days,2026-10,RW4,280\n")
    at = start(monkeypatch, tmp_path / "config", tmp_path / "data").run()
    no_errors(at)
    assert navigation(at)["mental_health"] == "Mental health"
    assert "Mental health" in [s.value for s in at.subheader]
    at.session_state["period"] = "2026-10"
    at.run()
    assert metrics(at)["Talking therapies access"] == "2,050"
    assert metrics(at)["Inappropriate out-of-area bed days"] == "280"
    open_page(at, "mental_health").run()
    no_errors(at)
    assert at.title[0].value == "Mental health"


def test_the_deep_dive_renders_for_every_metric_in_the_sample(monkeypatch):
    at = deep_dive(monkeypatch, ROOT / "config", ROOT / "sample_data", metric=next(iter(SHIPPED.metrics)))
    for metric in SHIPPED.metrics.values():
        at.session_state["metric"] = metric.id
        at.run()
        no_errors(at)
        if any("is not reported for" in c.value for c in at.caption):
            continue  # reported only below the system (a centile, say)
        assert at.title[0].value == metric.label, metric.id
        specs = charts(at)
        assert len(specs) >= 1, metric.id
        for spec in specs:  # every chart has a title and says its unit (subtitle or value axis)
            assert spec["title"]["text"], metric.id
            assert chart_unit(spec), metric.id


def test_uec_chart_bar_drills_to_a_site(monkeypatch):
    at = start(monkeypatch, ROOT / "config", ROOT / "sample_data")
    at.query_params["view"] = "Charts"
    at.run()
    open_page(at, "uec").run()
    no_errors(at)
    root = at.session_state["org"]
    assert len(charts(at)) == 3
    at.session_state[f"chart-1-{root}"] = {"selection": {"pick": [{"code": "RBL14"}]}}  # handovers by site
    at.run()
    no_errors(at)
    assert at.session_state["org"] == "RBL14"
    assert "Organisation: Arrowe Park Hospital" in at.caption[0].value


def test_uec_deep_dive_breaks_a_and_e_down_by_department_type(monkeypatch, capsys):
    at = deep_dive(monkeypatch, ROOT / "config", ROOT / "sample_data", metric="ae_4hr_all", drill="department_type")
    no_errors(at)
    bars = charts(at)[1]
    assert bars["params"][0]["select"]["fields"] == ["code"]
    members = list(_sample_workspace(ROOT / "config", ROOT / "sample_data").engine.breakdown("ae_4hr_all", "E54000008", "department_type",
                                                       at.session_state["period"])["member"])
    assert members == ["Type 1", "Type 2", "Type 3-4"]
    at.session_state["breakdown-E54000008-department_type"] = {"selection": {"pick": [{"code": "Type 1"}]}}
    at.run()
    no_errors(at)
    assert at.title[0].value == "A&E 4-hour performance (all types): Type 1"
    type1 = values("ae_4hr_type1", at.session_state["period"], capsys=capsys)
    assert metrics(at)["A&E 4-hour performance (all types)"] == format_value(
        SHIPPED.metrics["ae_4hr_all"], float(type1["value"]))  # the same figure as the type 1 metric
