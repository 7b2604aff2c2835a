"""The social value page on the sample, and on a copy of its config with every metric, theme and
milestone renamed: the views are driven by the YAML and the extracts, not by names in code."""

import shutil

import yaml

from portfolio.outputs.formatting import format_value
from tests.apptest import charts, html_tables, no_errors, open_page, start, table_frame
from tests.conftest import ROOT
from tests.sweep import SAMPLE

PORTFOLIO = SAMPLE.config.portfolio("social_value")
TRUST = "RY7"


def _open(monkeypatch, config=ROOT / "config", period="2022-09"):
    at = start(monkeypatch, config, ROOT / "sample_data").run()
    at = open_page(at, "social_value").run()
    at.session_state["org"], at.session_state["period"] = TRUST, period
    return at


def _show(at, view):
    at.session_state["view"] = view
    at.run()
    no_errors(at)
    return at


def test_framework_tree_and_drilling_into_a_theme(monkeypatch):
    at = _show(_open(monkeypatch, period="2022-10"), "Framework")
    summary = at.table[0].value
    assert list(summary.index) == PORTFOLIO.categories
    assert summary.loc["Reducing environmental impact", "No target"] == 3
    assert [s.value for s in at.subheader] == PORTFOLIO.categories  # every theme, in order
    assert any("Local spend tracked against the 18% KVI" in m.value for m in at.markdown)  # its actions
    first = table_frame(html_tables(at)[0])
    assert list(first.index)[:2] == ["Supply-chain spend", "Supply-chain spend with local firms"]
    at.session_state["theme-social_value"] = "Reducing environmental impact"
    at.run()
    no_errors(at)
    assert [s.value for s in at.subheader] == ["Reducing environmental impact"]
    table = table_frame(html_tables(at)[0])
    assert set(table.index) == {"Carbon emissions (tonnes CO2e)", "Waste produced (tonnes)", "Water use (cubic metres)"}
    assert "Baseline year 2022/23: no target yet" in set(table["Target"])


def test_kvi_scorecard(monkeypatch):
    at = _show(_open(monkeypatch), "Quality Mark KVIs")
    table = at.table[0].value
    assert list(table.index) == ["K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8"]
    metric = SAMPLE.config.metrics["sv_local_spend_pct"]
    year_to_date = SAMPLE.engine.figure("sv_local_spend_pct", TRUST, "2022-09", basis="ytd")
    assert table.loc["K1", "This year"] == f"{format_value(metric, year_to_date)} (2022/23 to Sep-22)"
    assert table.loc["K1", "Status"] == "✘ Not met" and table.loc["K1", "Basis"] == "Year to date"
    assert table.loc["K3", "Source and flags"] == "from 2021 Annual Report"
    assert table.loc["K6", "This year"].endswith("(estimate)")
    assert table.loc["K8", "Basis"] == "Rolling 3 months"


def test_local_spend_map_and_the_weighting_trajectory(monkeypatch):
    at = _show(_open(monkeypatch, period="2026-10"), "Local spend")
    assert len(at.get("deck_gl_json_chart")) == 1
    places = at.table[0].value
    assert {p for p in places.index if places.loc[p, "Local"] == "✔"} == {"Wirral", "Cheshire East", "Knowsley",
                                                                         "St Helens"}
    local = SAMPLE.engine.figure("sv_local_spend_pct", TRUST, "2026-10", basis="ytd")
    assert any(f"{local:.1f}%" in m.value for m in at.markdown)
    assert len(charts(at)) == 1  # the weighting against its 10% → 15% → 20% path
    assert "**Supply-chain spend by supplier place, year to date**" in [m.value for m in at.markdown]
    assert charts(at)[0]["title"]["text"] == "Social value weighting in contract evaluations"


def test_workforce_against_the_population_by_each_breakdown(monkeypatch):
    at = _show(_open(monkeypatch, period="2026-10"), "Workforce")
    assert at.table[0].value.iloc[0, 0] == "1 (most deprived)"
    at.session_state["compare-Staff compared with the population of the places served"] = "ethnicity"
    at.run()
    no_errors(at)
    assert "White" in set(at.table[0].value.iloc[:, 0])


def test_milestones_as_they_stood(monkeypatch):
    at = _show(_open(monkeypatch), "Charters and milestones")
    table = at.table[0].value
    assert table.loc["Anchor Institution Charter signed", "Status"] == "Due"
    assert table.loc["Social Value Charter signed", "Status"] == "✔ Achieved"


def _renamed(tmp_path):
    """A copy of the config with every social value metric id and label, theme, sub-theme and
    milestone renamed (each metric keeps reading its old rows through source.key)."""
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    path = config / "portfolios" / "social_value.yaml"
    data = yaml.safe_load(path.read_text())
    new_id = {m["id"]: m["id"].replace("sv_", "renamed_") for m in data["metrics"]}
    themes = {"Purchasing and investing locally": "Buying from local firms"}
    for metric in data["metrics"]:
        metric["source"].setdefault("key", metric["id"])
        metric["id"], metric["label"] = new_id[metric["id"]], f"Renamed {metric['label']}"
        metric["category"] = themes.get(metric["category"], metric["category"])
        if metric.get("subcategory") == "Procurement":
            metric["subcategory"] = "Buying"
    data["categories"] = [themes.get(c, c) for c in data["categories"]]
    data["headline"] = [new_id[m] for m in data["headline"]]
    for view in data["views"]:
        for field in ("metric", "reference"):
            if field in view:
                view[field] = new_id[view[field]]
    for milestone in data["milestones"]:
        milestone["name"] = milestone["name"].replace("Anchor Institution Charter", "Anchor Charter (renamed)")
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    shutil.rmtree(config / "commentary" / "portfolios" / "social_value")
    return config


def test_renamed_metrics_themes_and_milestones_drive_every_view(monkeypatch, tmp_path):
    at = _open(monkeypatch, config=_renamed(tmp_path))
    framework = _show(at, "Framework")
    assert "Buying from local firms" in list(framework.table[0].value.index)
    themes = table_frame(html_tables(framework)[0])
    assert "Renamed Supply-chain spend with local firms" in set(themes.index)
    assert set(themes["Sub-theme"]) == {"Buying"}
    kvis = _show(at, "Quality Mark KVIs").table[0].value
    assert list(kvis.index) == ["K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8"]
    assert kvis.loc["K1", "This year"].startswith("12.6%")
    spend = _show(at, "Local spend")
    assert len(spend.get("deck_gl_json_chart")) == 1 and "✔" in set(spend.table[0].value["Local"])
    assert len(_show(at, "Workforce").table[0].value) == 10
    assert "Anchor Charter (renamed) signed" in _show(at, "Charters and milestones").table[0].value.index
    _show(at, "Environment")


def test_no_metric_or_theme_is_named_in_page_code():
    code = "\n".join(p.read_text() for folder in ("components", "app_pages") for p in (ROOT / folder).glob("*.py"))
    for metric in PORTFOLIO.metrics:
        assert metric.id not in code, metric.id
    for theme in PORTFOLIO.categories:
        assert theme not in code, theme
