"""The metric engine on the hand-computable fixture (tests/fixtures)."""

import gc
import weakref

import pandas as pd
import pytest

from portfolio.figures.engine import Engine, FigureCache
from portfolio.figures.judgement import SHORT_AND_WORSE, exception_reason, month_on_month
from portfolio.outputs.formatting import format_change, format_value


def test_rate_is_recomputed_from_summed_parts_not_averaged(demo):
    # May 2023: A1 80/100, A2 450/500, B 300/400, C 10/100
    system = demo.engine.summary("four_hour", "SYS", "2023-05")
    assert system.value == pytest.approx(840 / 1100 * 100)
    providers = demo.engine.breakdown("four_hour", "SYS", "provider", "2023-05").set_index("code")["value"]
    mean_of_rates = providers.mean()
    assert providers["A"] == pytest.approx(530 / 600 * 100)  # A's sites added up, not averaged
    assert mean_of_rates == pytest.approx((530 / 600 + 0.75 + 0.10) / 3 * 100)
    assert abs(system.value - mean_of_rates) > 15


def test_place_adds_up_its_providers_and_their_sites(demo):
    place = demo.engine.summary("four_hour", "P1", "2023-05")
    assert (place.numerator, place.denominator) == (830, 1000)
    places = demo.engine.breakdown("four_hour", "SYS", "place", "2023-05").set_index("code")
    assert places.loc["P1", "value"] == pytest.approx(83.0) and places.loc["P2", "value"] == pytest.approx(10.0)


def test_snapshot_sums_organisations_at_the_same_month_end(demo):
    assert demo.engine.summary("waiting_list", "SYS", "2023-05").value == 3450
    assert demo.engine.summary("waiting_list", "SYS", "2023-05").fytd is None


def test_target_status_uses_the_target_in_force(demo):
    april = demo.engine.summary("four_hour", "SYS", "2023-04")
    may = demo.engine.summary("four_hour", "SYS", "2023-05")
    assert april.target.value == 76 and april.status == "not met" and april.variance_to_target == pytest.approx(-6)
    assert may.status == "met" and may.target.source == "UEC recovery plan"
    baseline_month = demo.engine.series("four_hour", "SYS", start="2019-05", end="2019-05").iloc[0]
    assert baseline_month["target"] == 95


def test_improvement_coded_progress(demo):
    four_hour = demo.engine.summary("four_hour", "SYS", "2023-05")
    assert (four_hour.direction, four_hour.progress) == ("up", "better")
    waiting = demo.engine.summary("waiting_list", "SYS", "2023-05")
    assert (waiting.direction, waiting.progress) == ("down", "better")  # lower is better
    p90 = demo.engine.summary("p90", "AMB", "2023-05")
    assert (p90.direction, p90.progress, p90.status) == ("up", "worse", "not met")
    assert exception_reason(p90) == SHORT_AND_WORSE  # too few months for SPC
    attendances = demo.engine.summary("attendances", "SYS", "2023-05")
    assert (attendances.direction, attendances.progress) == ("down", "not judged")  # neutral metric


def test_change_within_tolerance_is_no_change(demo):
    summary = demo.engine.summary("waiting_list", "SYS", "2023-05")
    assert month_on_month(summary.metric, 3500 * 1.004, 3500, 0.005) == ("no change", "no change")
    assert month_on_month(summary.metric, 3500 * 1.01, 3500, 0.005) == ("up", "worse")
    # with no tolerance (the default) only a change too small to print is no change
    assert month_on_month(summary.metric, 3500.4, 3500, 0) == ("no change", "no change")
    assert month_on_month(summary.metric, 3501, 3500, 0) == ("up", "worse")


def test_financial_year_to_date(demo):
    assert demo.engine.summary("four_hour", "SYS", "2023-05").fytd == pytest.approx((770 + 840) / 2200 * 100)
    assert demo.engine.summary("attendances", "SYS", "2023-05").fytd == 1600 + 1115


def test_baseline_is_the_same_month_of_2019_20(demo):
    summary = demo.engine.summary("four_hour", "SYS", "2023-05")
    assert summary.baseline == pytest.approx(90.0) and summary.baseline_period == "2019-05"
    assert summary.percent_of_baseline == pytest.approx(76.3636 / 90 * 100, rel=1e-4)


def test_missing_data_is_no_data_never_zero(demo):
    summary = demo.engine.summary("attendances", "SYS", "2023-06")
    assert summary.available and summary.value is None and summary.status == "no data"
    assert format_value(summary.metric, summary.value) == "no data"
    assert "2023-06" not in set(demo.engine.series("attendances", "SYS")["period"])


def test_partial_month_is_flagged(demo):
    assert demo.engine.summary("four_hour", "SYS", "2023-06").data_status == "partial: 3 of 4 organisations"
    assert demo.engine.summary("four_hour", "SYS", "2023-05").data_status == "validated"
    assert demo.engine.summary("four_hour", "A", "2023-06").data_status == "provisional"


def test_non_additive_metric_only_where_reported(demo):
    assert not demo.engine.summary("p90", "SYS", "2023-05").available
    assert demo.engine.summary("p90", "AMB", "2023-05").value == 960


def test_plan_comes_from_the_plan_series(demo):
    april = demo.engine.summary("spend", "SYS", "2023-04")
    assert (april.value, april.plan, april.variance_to_plan) == (-150, -150, 0)
    provider = demo.engine.summary("spend", "A", "2023-04")
    assert (provider.value, provider.plan, provider.variance_to_plan) == (-100, -90, -10)
    assert format_value(provider.metric, provider.value) == "(£0.1m)"


def test_breakdown_by_weeks_band(demo):
    bands = demo.engine.breakdown("waiting_list", "A", "weeks_band", "2023-05")
    assert dict(zip(bands["member"], bands["value"])) == {"0-18 weeks": 700, "18-52 weeks": 300, "52+ weeks": 100}


def test_drill_levels_only_where_there_is_something_below(demo):
    assert demo.engine.drill_levels("four_hour", "SYS") == ["place", "provider", "site"]
    assert demo.engine.drill_levels("four_hour", "P2") == ["provider"]
    assert demo.engine.drill_levels("four_hour", "B") == []


def test_default_period_is_the_latest_month(demo):
    assert demo.engine.default_period() == "2023-06"


@pytest.mark.parametrize("metric_id, value, text", [
    ("four_hour", 62.94, "62.9%"), ("attendances", 8415, "8,415"), ("p90", 471, "00:07:51"),
    ("spend", -4520, "(£4.5m)"), ("spend", 12345, "£12.3m"), ("four_hour", None, "no data"),
])
def test_board_paper_formats(demo, metric_id, value, text):
    assert format_value(demo.config.metrics[metric_id], value) == text


def test_change_text(demo):
    metric = demo.config.metrics["four_hour"]
    assert format_change(metric, 2.5) == "+2.5 pts" and format_change(metric, -0.04) == "0.0 pts"


def test_one_member_of_a_breakdown_has_its_own_series(demo):
    part = ("weeks_band", "52+ weeks")
    summary = demo.engine.summary("waiting_list", "SYS", "2023-05", part=part)
    assert summary.value == 100  # only Alpha reports weeks bands
    assert list(demo.engine.series("waiting_list", "P1", part=part)["value"]) == [100]
    assert demo.engine.summary("waiting_list", "C", "2023-05", part=part).available is False


def test_drill_levels_include_a_breakdown_only_where_it_is_reported(demo):
    assert demo.engine.drill_levels("waiting_list", "SYS") == ["provider", "weeks_band"]
    assert demo.engine.drill_levels("waiting_list", "C") == []


def test_breakdowns_are_listed_worst_first(demo):
    bands = demo.engine.breakdown("waiting_list", "SYS", "weeks_band", "2023-05")
    assert list(bands["member"]) == ["0-18 weeks", "18-52 weeks", "52+ weeks"]  # lower is better: largest first
    providers = demo.engine.breakdown("four_hour", "SYS", "provider", "2023-05")
    assert list(providers["code"]) == ["C", "B", "A"]  # higher is better: lowest first


def test_commentary_for_the_month_or_the_latest_before_it(tmp_path):
    from portfolio.config.commentary import latest_commentary

    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "2023-04.md").write_text("April")
    (folder / "2023-06.md").write_text("June")
    (folder / "notes.md").write_text("ignored")
    assert latest_commentary(folder, "2023-05") == latest_commentary(folder, "2023-04")
    assert latest_commentary(folder, "2023-05").text == "April"
    assert latest_commentary(folder, "2023-06").period == "2023-06"
    assert latest_commentary(folder, "2023-03") is None
    assert latest_commentary(tmp_path / "missing", "2023-03") is None


def test_commentary_sections_split_on_level_two_headings():
    from portfolio.config.commentary import sections

    text = "Intro\n## Analyst narrative\nFell **sharply**.\n\n## Lead commentary\nPlan agreed.\n"
    assert sections(text) == {"": "Intro", "Analyst narrative": "Fell **sharply**.", "Lead commentary": "Plan agreed."}


@pytest.mark.parametrize("values, target, improvement, months", [
    ([2400, 2000, 1600, 1200], 0, "decrease", 3),     # falling 400 a month: 3 more months
    ([2400, 2000, 1600, 1200], 1300, "decrease", 0),  # already met
    ([1200, 1300, 1400, 1500], 0, "decrease", None),  # rising: never at this rate
    ([60.0, 62.0, 64.0, 66.0], 92, "increase", 13),   # +2 points a month: 26 points to go
    ([66.0, 66.0], 92, "increase", None),             # not moving
    ([66.0], 92, "increase", None),
])
def test_months_to_target_at_the_current_rate(values, target, improvement, months):
    from portfolio.figures.views import months_to_target

    assert months_to_target(values, target, improvement) == months


def test_bands_in_reading_order():
    from portfolio.figures.views import natural_order

    assert natural_order(["104+ weeks", "18-52 weeks", "0-18 weeks", "52-65 weeks", "Other"]) == [
        "0-18 weeks", "18-52 weeks", "52-65 weeks", "104+ weeks", "Other"]


def test_cross_breakdown_and_breakdown_series(demo):
    cross = demo.engine.cross_breakdown("waiting_list", "SYS", "provider", "weeks_band", "2023-05")
    alpha = "Alpha Hospitals NHS Trust"  # organisations by their full names
    assert set(zip(cross["organisation"], cross["member"], cross["value"])) == {
        (alpha, "0-18 weeks", 700), (alpha, "18-52 weeks", 300), (alpha, "52+ weeks", 100)}
    bands = demo.engine.breakdown_series("waiting_list", "SYS", "weeks_band")
    assert list(bands["period"].unique()) == ["2023-05"] and bands["value"].sum() == 1100


def test_a_second_breakdown_gives_one_members_own_shape(fixture_copy):
    from portfolio.workspace import load_workspace

    extract = fixture_copy / "data" / "demo.csv"
    lines = extract.read_text().splitlines()
    rows = [line + ",," for line in lines[1:]] + [
        "waiting_list,2023-05,A,treatment_function,Urology,,400,,,validated,,,",
        "waiting_list,2023-05,A,treatment_function,Urology,,250,,,validated,,weeks_band,0-18 weeks",
        "waiting_list,2023-05,A,treatment_function,Urology,,100,,,validated,,weeks_band,18-52 weeks",
        "waiting_list,2023-05,A,treatment_function,Urology,,50,,,validated,,weeks_band,52+ weeks",
    ]
    extract.write_text("\n".join([lines[0] + ",breakdown2,breakdown2_value", *rows]) + "\n")
    engine = load_workspace(fixture_copy / "config", fixture_copy / "data").engine
    urology = engine.breakdown_series("waiting_list", "SYS", "weeks_band", part=("treatment_function", "Urology"))
    assert dict(zip(urology["member"], urology["value"])) == {"0-18 weeks": 250, "18-52 weeks": 100, "52+ weeks": 50}
    everyone = engine.breakdown_series("waiting_list", "SYS", "weeks_band")  # cross cells never leak into totals
    assert dict(zip(everyone["member"], everyone["value"])) == {"0-18 weeks": 700, "18-52 weeks": 300, "52+ weeks": 100}
    assert engine.summary("waiting_list", "SYS", "2023-05").value == 3450


def test_series_many_gives_each_metric_its_series(demo):
    engine = Engine(demo.config, demo.store, demo.tree)
    many = engine.series_many(["four_hour", "attendances", "p90"], "SYS")
    assert list(many) == ["four_hour", "attendances", "p90"]
    assert many["p90"].empty  # not reported for the system
    for metric_id, frame in many.items():
        pd.testing.assert_frame_equal(frame, demo.engine.series(metric_id, "SYS"))
    many["four_hour"]["value"] = 0.0  # a caller's frame is its own: the engine's stays as it was
    many["p90"]["extra"] = 1
    assert "extra" not in engine.series("p90", "SYS") and "extra" not in engine.series("p90", "A")
    assert engine.series("four_hour", "SYS", start="2023-05", end="2023-05")["value"].iloc[0] == pytest.approx(
        840 / 1100 * 100)


def _figures(engine: Engine, metric_ids: list[str], org: str, period: str, order: str) -> tuple:
    asked = {"summaries": lambda: [engine.summary(m, org, period) for m in metric_ids],
             "portfolio": lambda: engine.portfolio_summaries(engine.config.portfolio_of(metric_ids[0]).id, org, period),
             "series": lambda: [engine.series(m, org) for m in metric_ids],
             "spc": lambda: [engine.spc(m, org, period) for m in metric_ids]}
    got = {what: asked[what]() for what in order.split()}
    summaries = got.get("portfolio") or got["summaries"]
    spc = [None if r is None else (r.points, r.variation_icon, r.assurance_icon) for r in got["spc"]]
    return summaries, got["series"], spc


@pytest.mark.parametrize("order", ["series spc summaries", "spc summaries series", "portfolio spc series"])
def test_figures_do_not_depend_on_the_order_they_are_asked_for(sample, order):
    # the finance portfolio's sums of decimals, which DuckDB can add up in a different order in another query
    metric_ids = [m.id for m in sample.config.portfolio("finance").metrics]
    org, period = sample.tree.root, sample.engine.default_period()
    expected = _figures(Engine(sample.config, sample.store, sample.tree), metric_ids, org, period,
                        "portfolio series spc")
    summaries, series, spc = _figures(Engine(sample.config, sample.store, sample.tree), metric_ids, org, period, order)
    assert summaries == expected[0]
    for got, want in zip(series, expected[1]):
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    for got, want in zip(spc, expected[2]):
        assert (got is None) == (want is None)
        if got is not None:
            pd.testing.assert_frame_equal(got[0], want[0], check_exact=True)
            assert got[1:] == want[1:]


def test_a_dropped_engine_is_garbage_collected(demo):
    engine = Engine(demo.config, demo.store, demo.tree)
    engine.portfolio_summaries("demo", "SYS", "2023-05")
    engine.spc("four_hour", "SYS", "2023-05")
    engine.breakdown("four_hour", "SYS", "provider", "2023-05")
    dropped = weakref.ref(engine)
    del engine
    gc.collect()
    assert dropped() is None  # nothing outside the instance holds it (or its store) in a cache


def test_the_cache_is_bounded_least_recently_used_out_first():
    cache = FigureCache(2)
    cache.keep("a", 1)
    cache.keep("b", 2)
    assert cache.find("a") == 1  # a used, so b is the one to go
    cache.keep("c", 3)
    assert (cache.find("a"), cache.find("b"), cache.find("c"), len(cache)) == (1, None, 3, 2)
    assert cache.get("d", lambda: 4) == 4 and cache.get("d", lambda: 5) == 4


def test_a_small_cache_changes_no_figure(demo):
    small = Engine(demo.config, demo.store, demo.tree, cache_size=2)
    for org in ("SYS", "P1", "A", "B", "C", "AMB"):
        assert small.portfolio_summaries("demo", org, "2023-05") == demo.engine.portfolio_summaries("demo", org, "2023-05")
