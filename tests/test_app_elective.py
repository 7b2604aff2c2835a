"""The elective portfolio's own views on the sample, against `python -m portfolio values`."""

import pytest

from portfolio.outputs.formatting import format_value
from tests.apptest import chart_data, charts, deep_dive, html_tables, no_errors, open_page, query_of, start, table_frame
from tests.conftest import ROOT
from tests.sweep import SAMPLE
from tests.test_app_sample import SHIPPED, values

ELECTIVE = SHIPPED.portfolio("elective")


@pytest.fixture
def elective(monkeypatch):
    at = start(monkeypatch, ROOT / "config", ROOT / "sample_data").run()
    return open_page(at, "elective").run()


def _view(at, title):
    """Open the tab that holds the view called ``title`` (or the tab of that name)."""
    at.session_state["view"] = next((v.tab_title for v in ELECTIVE.views if v.title == title), title)
    at.run()
    no_errors(at)
    return at


def test_constitutional_standards_equal_the_values_command(elective, capsys):
    _view(elective, "Constitutional standards")
    table = table_frame(html_tables(elective)[0]).drop(columns="Group")
    period = elective.session_state["period"]
    for metric_id in ("rtt_18w_pct", "rtt_52w", "dm01_6wk_pct", "cancer_62d_standard_pct"):
        metric = SHIPPED.metrics[metric_id]
        for column, org in (("Cheshire & Merseyside", None), ("WUTH", "RBL")):
            row = values(metric_id, period, org=org, capsys=capsys)
            mark = {"met": " ✔", "not met": " ✘"}.get(row["status"], "")
            target = metric.target_for(period, org or SAMPLE.tree.root)
            assert table.loc[metric.label, column] == format_value(
                metric, float(row["value"]), apart_from=target.value if target else None) + mark, (metric_id, org)
    assert list(table.columns[:3]) == ["Target", "Cheshire & Merseyside", "LUHFT"]  # the main providers, in order


def test_a_standards_figure_opens_that_providers_deep_dive(elective, monkeypatch):
    _view(elective, "Constitutional standards")
    long_waits = html_tables(elective)[0]["rows"][1]
    wuth = next(link for link in long_waits["links"] if query_of(link).get("org") == "RBL")
    followed = deep_dive(monkeypatch, ROOT / "config", ROOT / "sample_data", **query_of(wuth))
    no_errors(followed)
    assert followed.title[0].value == "RTT waits of 52 weeks or more"
    assert followed.session_state["org"] == "RBL"


def test_long_waiters_by_specialty_bar_opens_that_specialty(elective):
    _view(elective, "Charts")
    root = elective.session_state["org"]
    assert len(charts(elective)) == 3
    elective.session_state[f"chart-1-{root}"] = {"selection": {"pick": [{"code": "Ophthalmology"}]}}
    elective.run()
    no_errors(elective)
    assert elective.title[0].value == "RTT waits of 52 weeks or more: Ophthalmology"


def test_small_multiples_show_each_provider_over_the_range_of_them_all(elective, capsys):
    """More than six providers: a panel each, one row per provider and month (never a row per pair
    of providers), each provider's own figure over the lowest and highest of them all."""
    _view(elective, "Charts")
    rows = chart_data(elective, 2)
    period = elective.session_state["period"]
    names = {org.name: org.code for org in SAMPLE.tree.within(SAMPLE.tree.root, "provider")}
    latest = rows[rows["month"] == rows["month"].max()].set_index("member")
    assert len(rows) == len(latest) * rows["month"].nunique() and len(latest) > 6
    for name, row in latest.iterrows():
        figure = float(values("rtt_18w_pct", period, org=names[name], capsys=capsys)["value"])
        assert row["plotted"] == pytest.approx(figure), name
    assert (latest["low"] == latest["plotted"].min()).all() and (latest["high"] == latest["plotted"].max()).all()


def test_waiting_list_shape_adds_up_to_the_waiting_list(elective, capsys):
    _view(elective, "Waiting-list shape")
    shares = elective.table[0].value
    assert list(shares.iloc[:, 0]) == ["0-18 weeks", "18-52 weeks", "52-65 weeks", "65-78 weeks", "78-104 weeks",
                                       "104+ weeks"]
    month = shares.columns[1]
    total = sum(float(v.replace(",", "")) for v in shares[month])
    row = values("rtt_waiting_list", elective.session_state["period"], capsys=capsys)
    assert total == float(row["value"])


@pytest.mark.parametrize("title", ["Waits of 65 weeks or more against the trajectory", "Diagnostics by test", "Cancer standards", "62-day backlog",
                                   "Cancer by tumour site"])
def test_every_elective_view_renders(elective, title):
    _view(elective, title)
    assert elective.title[0].value == "Elective care"


def test_cancer_by_tumour_site_equals_the_engine(elective):
    _view(elective, "Cancer by tumour site")
    heat = table_frame(html_tables(elective)[-1]).drop(columns="Group")  # the tab's last view
    assert list(heat.columns) == ["Breast", "Lower GI", "Lung", "Other", "Skin", "Urological"]
    period = elective.session_state["period"]
    engine = SAMPLE.engine
    cross = engine.cross_breakdown("cancer_62d_standard_pct", SAMPLE.tree.root, "provider", "tumour_site", period)
    wuth = SAMPLE.tree["RBL"].name  # organisations by their full names
    expected = cross.set_index(["organisation", "member"]).loc[(wuth, "Lower GI"), "value"]
    metric = SHIPPED.metrics["cancer_62d_standard_pct"]
    mark = " ✔" if expected >= metric.target_for(period).value else " ✘"
    assert heat.loc[wuth, "Lower GI"] == format_value(metric, expected, apart_from=metric.target_for(period).value) + mark


def test_waiting_list_shape_for_one_specialty(elective):
    _view(elective, "Waiting-list shape")
    elective.selectbox(key="within-Waiting-list shape").set_value("Ophthalmology").run()
    no_errors(elective)
    shares = elective.table[0].value
    total = sum(float(v.replace(",", "")) for v in shares[shares.columns[1]] if v != "–")  # – : none this month
    period = elective.session_state["period"]
    specialties = SAMPLE.engine.breakdown("rtt_waiting_list", SAMPLE.tree.root, "treatment_function", period)
    assert total == specialties.set_index("member").loc["Ophthalmology", "value"]
    assert total < sum(SAMPLE.engine.breakdown("rtt_waiting_list", SAMPLE.tree.root, "weeks_band", period)["value"])
