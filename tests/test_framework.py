"""The framework portfolio's figures (portfolio/figures/framework.py) on the social value sample, checked
against the extract itself; the share metric that defines "local" in YAML."""

import pandas as pd
import pytest

from portfolio.figures.framework import framework, kvi_rows, milestones_at, representation, shares

TRUST = "RY7"
LOCAL = ["Wirral", "Cheshire East", "Knowsley", "St Helens"]


@pytest.fixture(scope="module")
def rows(social_value_rows):
    return social_value_rows


@pytest.fixture(scope="module")
def portfolio(sample):
    return sample.config.portfolio("social_value")


def _months(first, last):
    return list(pd.period_range(first, last, freq="M").strftime("%Y-%m"))


def _spend(rows, months, places=None):
    chosen = rows[(rows.metric_id == "sv_supply_chain_spend") & rows.period.isin(months)
                  & (rows.breakdown == "supplier_place")]
    if places is not None:
        chosen = chosen[chosen.breakdown_value.isin(places)]
    return chosen["value"].sum()


def test_local_spend_is_the_share_of_the_places_listed_in_yaml(sample, rows):
    summary = sample.engine.summary("sv_local_spend_pct", TRUST, "2022-09")
    month = ["2022-09"]
    assert summary.value == pytest.approx(_spend(rows, month, LOCAL) / _spend(rows, month) * 100)
    year = _months("2022-04", "2022-09")
    assert summary.fytd == pytest.approx(_spend(rows, year, LOCAL) / _spend(rows, year) * 100)
    # the places are named in the YAML, not the code: the metric's members are the definition
    assert sample.config.metrics["sv_local_spend_pct"].share.members == LOCAL


def test_spend_by_place_adds_up_to_all_spend(sample, rows):
    frame = shares(sample.engine, "sv_supply_chain_spend", TRUST, "supplier_place", "2026-10", "ytd")
    year = _months("2026-04", "2026-10")
    assert frame["value"].sum() == pytest.approx(_spend(rows, year), abs=0.5)
    assert frame["share"].sum() == pytest.approx(100)
    assert frame.set_index("member").loc[LOCAL, "share"].sum() == pytest.approx(
        sample.engine.figure("sv_local_spend_pct", TRUST, "2026-10", basis="ytd"))


def test_each_kvi_is_worked_out_on_its_own_basis(sample, portfolio, rows):
    found = {row.metric.kvi.code: row for row in kvi_rows(sample.engine, portfolio, TRUST, "2022-09")}
    assert list(found) == ["K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8"]
    # K1: year to date, a rate from summed parts; last year's whole year beside it
    assert found["K1"].current.covers == "2022/23 to Sep-22" and found["K1"].previous.covers == "2021/22"
    assert found["K1"].current.value == pytest.approx(
        _spend(rows, _months("2022-04", "2022-09"), LOCAL) / _spend(rows, _months("2022-04", "2022-09")) * 100)
    assert found["K1"].status == "not met"
    # K8: the average of the latest three months, against the last three months of last year
    crisis = rows[(rows.metric_id == "sv_crisis_response_2hr")].set_index("period")["value"]
    assert found["K8"].current.value == pytest.approx(crisis.loc[["2022-07", "2022-08", "2022-09"]].mean())
    assert found["K8"].previous.value == pytest.approx(crisis.loc[["2022-01", "2022-02", "2022-03"]].mean())
    assert found["K8"].current.covers == "Jul-22 to Sep-22, a month on average"
    # K3: annual, with the extract's provenance note
    assert found["K3"].current.covers == "Mar-22" and found["K3"].current.notes == ("from 2021 Annual Report",)
    # K6: a cohort's count, flagged as an estimate
    assert found["K6"].current.estimate and found["K6"].current.value == 54 and found["K6"].status == "met"
    # K5: pledged "during 2021/22", so judged on last year against last year's target
    assert found["K5"].target.valid_to == "2022-03"
    assert found["K5"].status == ("met" if found["K5"].previous.value / 12 >= 7 else "not met")


def test_milestones_stand_as_they_did_in_the_period(portfolio):
    then = {m.milestone.name: m.status for m in milestones_at(portfolio, "2022-09")}
    assert then["Social Value Charter signed"] == "achieved"
    assert then["Anchor Institution Charter signed"] == "due"  # achieved in October, after September
    now = {m.milestone.name: m.status for m in milestones_at(portfolio, "2026-10")}
    assert now["Anchor Institution Charter signed"] == "achieved"
    assert now["Social Value Quality Mark, Level 2"] == "overdue"


def test_the_framework_tree_holds_every_metric_under_its_theme_and_sub_theme(sample, portfolio):
    summaries = sample.engine.portfolio_summaries("social_value", TRUST, "2026-10")
    tree = framework(sample.engine, portfolio, TRUST, "2026-10", summaries)
    assert list(tree) == portfolio.categories
    assert sum(len(rows) for rows in tree.values()) == len(portfolio.metrics)
    for theme, rows in tree.items():
        subthemes = [row.subtheme for row in rows]
        assert subthemes == sorted(subthemes, key=subthemes.index)  # each sub-theme's metrics together
        assert all(row.theme == theme for row in rows)
    by_id = {row.summary.metric.id: row for rows in tree.values() for row in rows}
    assert by_id["sv_waste_tonnes"].target_text == "Baseline year 2022/23: no target yet"
    assert len(by_id["sv_crisis_response_2hr"].trend) == 12
    # no contracts awarded this month: judged as the front sheet judges it (no figure, so no status), with
    # the latest figure kept beside it
    contracts = by_id["sv_contracts_sv_weighting_pct"]
    assert contracts.summary.value is None and contracts.summary.status == "no data"
    assert contracts.latest == ("2026-08", contracts.trend[-1])


def test_staff_are_compared_with_the_population_group_by_group(sample, rows):
    frame = representation(sample.engine, "sv_staff_headcount", "sv_population_served", TRUST, "ethnicity", "2026-10")
    assert frame["share"].sum() == pytest.approx(100) and frame["reference_share"].sum() == pytest.approx(100)
    staff = rows[(rows.metric_id == "sv_staff_headcount") & (rows.period == "2026-03") & (rows.breakdown == "ethnicity")]
    white = staff.set_index("breakdown_value").loc["White", "value"] / staff["value"].sum() * 100
    assert frame.set_index("member").loc["White", "share"] == pytest.approx(white)
    assert (frame["gap"] == frame["share"] - frame["reference_share"]).all()


def test_a_trajectory_runs_straight_between_the_months_it_gives(sample):
    plan = sample.engine.plan_series(sample.config.metrics["sv_carbon_tco2e"], sample.tree.root)
    assert plan.loc["2023-03"] == 135 and plan.loc["2024-03"] == 123
    assert plan.loc["2023-09"] == pytest.approx(129)  # half way
    assert plan.index[-1] == "2040-03" and plan.loc["2040-03"] == 0
