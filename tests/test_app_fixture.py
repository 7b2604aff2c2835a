"""Every page on the small fixture: no exception, the right numbers, drill-downs by injected selections."""

import pytest

from components import cache
from portfolio.workspace import fingerprint
from tests.apptest import (charts, deep_dive, html_tables, metrics, navigation, no_errors, open_page, query_of, start,
                           table_frame)
from tests.conftest import FIXTURE_CONFIG, FIXTURE_DATA


@pytest.fixture
def at(monkeypatch):
    return start(monkeypatch, FIXTURE_CONFIG, FIXTURE_DATA).run()


def test_navigation_lists_every_page(at):
    assert navigation(at) == {"": "Overview", "demo": "Demo portfolio", "attendances": "A&E attendances (patient level)",
                              "about": "About the data", "meetings": "Board meetings", "deep-dive": "Deep dive"}


def test_a_changed_extract_is_read_again_on_the_next_run(monkeypatch, fixture_copy):
    at = start(monkeypatch, fixture_copy / "config", fixture_copy / "data").run()
    assert metrics(at)["4-hour performance"] == "85.5%"
    extract = fixture_copy / "data" / "demo.csv"
    extract.write_text(extract.read_text().replace("four_hour,2023-06,A1,,,,,85,", "four_hour,2023-06,A1,,,,,95,"))
    at.run()
    assert metrics(at)["4-hour performance"] == "86.5%"  # (95 + 460 + 310) / 1000


def test_the_folders_are_fingerprinted_once_a_run(at, monkeypatch):
    calls = []
    monkeypatch.setattr(cache, "fingerprint", lambda *folders: calls.append(folders) or fingerprint(*folders))
    open_page(at, "demo").run()
    no_errors(at)
    assert len(calls) == 1


def test_overview_headlines_and_context(at):
    no_errors(at)
    assert metrics(at)["4-hour performance"] == "85.5%"  # June: A1, A2 and B only (855 / 1000)
    assert at.caption[0].value.startswith("Period: 2023/24 M3 (Jun-23) · Organisation: Test system")
    assert "Synthetic sample data" in at.caption[0].value
    assert any("out of date" in w.value for w in at.warning)  # the fixture extract is as at Jul 2023


def test_shared_filters_drive_every_figure(at):
    at.selectbox(key="period").set_value("2023-05")
    at.selectbox(key="org").set_value("P1")
    at.run()
    assert metrics(at)["4-hour performance"] == "83.0%"  # 830 / 1000 across Place One
    assert at.caption[0].value.startswith("Period: 2023/24 M2 (May-23) · Organisation: Place One")


def test_filters_are_read_from_the_url(monkeypatch):
    at = start(monkeypatch, FIXTURE_CONFIG, FIXTURE_DATA)
    at.query_params["period"] = "2023-04"
    at.query_params["org"] = "C"
    at.run()
    assert at.session_state["period"] == "2023-04" and at.session_state["org"] == "C"
    assert metrics(at)["4-hour performance"] == "20.0%"


def test_portfolio_front_sheet(at):
    open_page(at, "demo").run()
    no_errors(at)
    assert at.title[0].value == "Demo portfolio"
    scores = at.table[0].value.set_index("Category")
    # June: only the 4-hour standard has a figure; the others are counted as having none this month
    assert scores.loc["All metrics"].to_dict() == {"Metrics": 4, "Meeting target": 1, "Not meeting target": 0,
                                                   "No target": 0, "No figure this month": 3,
                                                   "Special cause improvement": 0, "Special cause concern": 0,
                                                   "Exceptions": 0}
    assert "No narrative has been written for this month yet" in " ".join(c.value for c in at.caption)
    assert metrics(at)["4-hour performance"] == "85.5%"  # the focus metric


def test_portfolio_scorecard_grid(at):
    open_page(at, "demo").run()
    at.session_state["view"] = "Scorecard"
    at.run()
    no_errors(at)
    table = html_tables(at)[0]
    assert table["caption"] == "Demo portfolio scorecard"
    grid = table_frame(table)
    row = grid.loc["★ 4-hour performance"]
    assert (row["Apr-23"], row["May-23"], row["Jun-23"]) == ("70.0% ✘", "76.4%", "85.5%")
    assert (row["Year to date"], row["Target"], row["2019/20"]) == ("77.0%", "≥ 76.0%", "90.0%")  # 2465 / 3200
    assert (row["Progress"], row["Group"]) == ("↑ Better", "Access")  # 85.5% after 76.4%: higher is better
    assert grid.loc["Waiting list", "Jun-23"] == "–"  # no data, never 0


def test_a_scorecard_row_links_to_its_deep_dive(at, monkeypatch):
    open_page(at, "demo").run()
    at.session_state["view"] = "Scorecard"
    at.run()
    link = html_tables(at)[0]["rows"][0]["links"][0]
    assert link.startswith("deep-dive?") and query_of(link) == {"period": "2023-06", "org": "SYS", "metric": "four_hour"}
    followed = deep_dive(monkeypatch, FIXTURE_CONFIG, FIXTURE_DATA, **query_of(link))
    no_errors(followed)
    assert followed.title[0].value == "4-hour performance"


def test_drill_into_a_place_from_the_portfolio_page(at):
    open_page(at, "demo").run()
    at.selectbox(key="portfolio-drill").set_value("P1").run()
    assert at.session_state["org"] == "P1"
    assert "Organisation: Place One" in at.caption[0].value
    at.session_state["period"] = "2023-05"
    at.run()
    assert metrics(at)["4-hour performance"] == "83.0%"  # Place One alone: 830 / 1000
    at.button(key="crumb-SYS").click().run()
    assert at.session_state["org"] == "SYS"


def test_deep_dive_figures_chart_and_drill(monkeypatch):
    at = deep_dive(monkeypatch, FIXTURE_CONFIG, FIXTURE_DATA, metric="four_hour", period="2023-05")
    no_errors(at)
    assert metrics(at)["4-hour performance"] == "76.4%"
    assert metrics(at)["Financial year to date"] == "73.2%"
    assert metrics(at)["Same month of 2019/20"] == "90.0%"
    specs = charts(at)
    assert len(specs) == 2 and specs[1]["params"][0]["select"]["fields"] == ["code"]
    # drill: click Place One's bar, then Alpha's
    at.session_state["breakdown-E-place"] = None  # unused key: proves nothing else reacts
    at.session_state["breakdown-SYS-place"] = {"selection": {"pick": [{"code": "P1"}]}}
    at.run()
    assert at.session_state["org"] == "P1"
    assert metrics(at)["4-hour performance"] == "83.0%"
    at.session_state["breakdown-P1-provider"] = {"selection": {"pick": [{"code": "A"}]}}
    at.run()
    assert at.session_state["org"] == "A" and metrics(at)["4-hour performance"] == "88.3%"
    at.button(key="crumb-SYS").click().run()
    assert at.session_state["org"] == "SYS"


def test_deep_dive_with_an_unknown_metric_says_so(monkeypatch):
    at = deep_dive(monkeypatch, FIXTURE_CONFIG, FIXTURE_DATA, metric="no_such_metric")
    assert not at.exception
    assert "The link asks for the metric `no_such_metric`" in at.warning[-1].value  # as code: never formatted


def test_deep_dive_for_a_metric_not_reported_there(monkeypatch):
    at = deep_dive(monkeypatch, FIXTURE_CONFIG, FIXTURE_DATA, metric="p90")
    no_errors(at)
    assert "is not reported for Test system" in " ".join(c.value for c in at.caption)


def test_about_page_lists_metrics_extracts_and_problems(at):
    open_page(at, "about").run()
    no_errors(at)
    extracts = at.table[0].value
    assert extracts.iloc[0]["File"] == "demo.csv" and extracts.iloc[0]["Rows loaded"] == "38"
    assert extracts.iloc[0]["Covers"] == "May-19 to Jun-23"
    assert set(at.table[1].value["Id"]) == {"four_hour", "attendances", "waiting_list", "p90", "spend"}
    assert at.table[1].value.set_index("Id").loc["four_hour", "Targets"] == (
        "≥ 95.0% (NHS Constitution); ≥ 76.0% (UEC recovery plan)")
    assert at.success[0].value.startswith("Every configuration file and extract passed validation")


def test_a_broken_portfolio_is_named_on_every_page_and_the_rest_works(fixture_copy, monkeypatch):
    portfolios = fixture_copy / "config" / "portfolios"
    (portfolios / "broken.yaml").write_text("id: broken\ntitle: Broken\nmetrics: [}\n")
    at = start(monkeypatch, fixture_copy / "config", fixture_copy / "data").run()
    assert not at.exception
    # a board sees that a portfolio is missing; the file and what to fix are on About the data
    assert "1 portfolio could not be loaded" in at.error[0].value and "About the data" in at.error[0].value
    assert metrics(at)["4-hour performance"] == "85.5%"
    open_page(at, "about").run()
    problems = at.dataframe[0].value
    assert problems.iloc[0]["File"] == "portfolios/broken.yaml" and problems.iloc[0]["Line or row"] == 3


def test_an_extract_that_is_all_bad_leaves_a_clear_message(fixture_copy, monkeypatch):
    (fixture_copy / "data" / "demo.csv").write_text("this,is,not\nan,extract,at all\n")
    at = start(monkeypatch, fixture_copy / "config", fixture_copy / "data").run()
    assert not at.exception
    assert "No extract rows could be loaded" in at.error[0].value
    open_page(at, "about").run()
    assert not at.exception
    assert "has no metric_id, period, org_code column" in at.dataframe[0].value.iloc[0]["Problem"]


def test_clicking_a_breakdown_bar_narrows_the_page_to_that_member(monkeypatch):
    at = deep_dive(monkeypatch, FIXTURE_CONFIG, FIXTURE_DATA, metric="waiting_list", period="2023-05", drill="weeks_band")
    no_errors(at)
    at.session_state["breakdown-SYS-weeks_band"] = {"selection": {"pick": [{"code": "52+ weeks"}]}}
    at.run()
    no_errors(at)
    assert at.query_params["part"] == "weeks_band:52+ weeks"
    assert at.title[0].value == "Waiting list: 52+ weeks"
    assert metrics(at)["Waiting list"] == "100"
    at.button(key="crumb-part").click().run()
    assert at.title[0].value == "Waiting list" and metrics(at)["Waiting list"] == "3,450"


def test_deep_dive_has_spc_icons_map_data_and_download(monkeypatch):
    at = deep_dive(monkeypatch, FIXTURE_CONFIG, FIXTURE_DATA, metric="four_hour", period="2023-05", drill="provider")
    no_errors(at)
    spc = charts(at)[0]
    assert {layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spc["layer"]} >= {
        "line", "circle"}
    assert spc["title"]["text"] == "4-hour performance, Test system" and spc["title"]["subtitle"].startswith("%")
    assert "Too few months for SPC icons" in " ".join(c.value for c in at.caption)  # 3 months only
    deck = at.get("deck_gl_json_chart")
    assert len(deck) == 1 and '"organisations"' in deck[0].proto.json
    table = at.dataframe[-1].value
    assert list(table["Month"]) == ["May-23", "Apr-23", "May-19"]
    assert list(table["Status"]) == ["✔ Met", "✘ Not met", "✘ Not met"]
    assert "Download these figures (CSV)" in [d.proto.label for d in at.get("download_button")]


def test_a_part_that_does_not_exist_says_so(monkeypatch):
    at = deep_dive(monkeypatch, FIXTURE_CONFIG, FIXTURE_DATA, metric="waiting_list", part="weeks_band:99+ weeks")
    assert not at.exception
    assert "has no figures for `weeks_band:99+ weeks`" in at.warning[-1].value
    assert at.title[0].value == "Waiting list"


def test_metric_commentary_is_shown_as_markdown_never_html(monkeypatch):
    at = deep_dive(monkeypatch, FIXTURE_CONFIG, FIXTURE_DATA, metric="four_hour", period="2023-05")
    no_errors(at)
    assert "Written for Apr-23" in [c.value for c in at.caption]
    note = next(m for m in at.markdown if "performance **fell**" in m.value)
    assert note.proto.allow_html is False


def test_overview_tiles_link_each_headline_to_its_deep_dive(at):
    links = [link for link in at.get("page_link") if link.proto.label.startswith("Deep dive:")]
    assert [link.proto.label for link in links] == ["Deep dive: 4-hour performance", "Deep dive: Waiting list"]
    assert links[0].proto.page == "deep-dive"
    assert links[0].proto.query_string == "period=2023-06&org=SYS&metric=four_hour"


def _view(at, title):
    open_page(at, "demo").run()
    at.session_state["view"] = title
    at.run()
    no_errors(at)
    return at


def test_standards_view_and_a_cell_opens_its_deep_dive(at, monkeypatch):
    _view(at, "Standards")
    standards = html_tables(at)[0]
    table = table_frame(standards)
    assert table.loc["4-hour performance"].drop("Group").to_dict() == {
        "Target": "≥ 76.0%", "System": "85.5% ✔", "Alpha": "90.8% ✔", "Beta": "77.5% ✔", "Gamma": "–"}  # no ambulance column; Gamma has no June figure
    assert table.loc["Waiting list", "System"] == "–"  # no June figure: never 0
    beta = next(link for link in standards["rows"][0]["links"] if query_of(link).get("org") == "B")
    followed = deep_dive(monkeypatch, FIXTURE_CONFIG, FIXTURE_DATA, **query_of(beta))
    no_errors(followed)
    assert followed.title[0].value == "4-hour performance" and followed.session_state["org"] == "B"


def test_distribution_view(at):
    at.session_state["period"] = "2023-05"
    _view(at, "Waiting-list shape")
    shares = at.table[0].value
    assert list(shares.iloc[:, 0]) == ["0-18 weeks", "18-52 weeks", "52+ weeks"]
    assert list(shares["Share"]) == ["63.6%", "27.3%", "9.1%"]
    assert len(charts(at)) == 1


def test_trajectory_view_says_how_far_the_target_is(at):
    at.session_state["period"] = "2023-06"
    _view(at, "Trajectory")
    assert metrics(at)["Months to target (≥ 76.0%) at the current rate"] == "Met"


def test_heatmap_view(at):
    at.session_state["period"] = "2023-05"
    _view(at, "Bands by provider")
    heat = table_frame(html_tables(at)[0])
    assert heat.loc["Alpha Hospitals NHS Trust", "52+ weeks"] == "100"  # organisations by their full names
