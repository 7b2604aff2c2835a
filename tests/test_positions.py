"""Plan-against-actual figures (portfolio/figures/positions.py) on the finance sample, checked against
sums worked out here from the extract itself with pandas."""

import pytest

from portfolio.figures.positions import basis_of, cumulative, lines, positions, waterfall

PERIOD = "2026-10"  # M7 of 2026/27
YEAR_TO_DATE = [f"2026-{m:02d}" for m in range(4, 11)]
WHOLE_YEAR = [*(f"2026-{m:02d}" for m in range(4, 13)), "2027-01", "2027-02", "2027-03"]
SYSTEM = "E54000008"


def _total(rows, metric, orgs, months, series="actual", column="value"):
    chosen = rows[(rows.metric_id == metric) & rows.org_code.isin(orgs) & rows.period.isin(months)
                  & (rows.series == series) & (rows.breakdown == "")]
    return chosen[column].sum()


def test_year_to_date_is_the_sum_of_the_months_and_the_variance_is_actual_less_plan(sample, finance_rows):
    table = positions(sample.engine, ["fin_surplus_deficit"], SYSTEM, "provider", PERIOD)
    system = table[SYSTEM]["fin_surplus_deficit"]
    assert system.actual == pytest.approx(_total(finance_rows, "fin_surplus_deficit", [SYSTEM], YEAR_TO_DATE))
    assert system.plan == pytest.approx(_total(finance_rows, "fin_surplus_deficit", [SYSTEM], YEAR_TO_DATE, "plan"))
    assert system.year_plan == pytest.approx(_total(finance_rows, "fin_surplus_deficit", [SYSTEM], WHOLE_YEAR, "plan"))
    assert system.variance == pytest.approx(system.actual - system.plan)
    liverpool = table["REM"]["fin_surplus_deficit"]
    assert liverpool.actual == pytest.approx(_total(finance_rows, "fin_surplus_deficit", ["REM"], YEAR_TO_DATE))
    # the organisations add up to the system's own row
    trusts = [code for code in table if code != SYSTEM]
    assert sum(table[c]["fin_surplus_deficit"].actual for c in trusts) == pytest.approx(system.actual, abs=0.5)
    assert list(table)[:2] == [SYSTEM, "QYG"]  # the system first, then the order of organisations.yaml


def test_a_deficit_is_marked_not_met_and_an_adverse_variance_is_flagged(sample):
    position = positions(sample.engine, ["fin_surplus_deficit"], "REM", "provider", PERIOD)["REM"]["fin_surplus_deficit"]
    assert position.actual < 0 and position.status == "not met"
    assert position.adverse == (position.actual < position.plan)
    capital = positions(sample.engine, ["fin_capital_spend"], "REM", "provider", PERIOD)["REM"]["fin_capital_spend"]
    assert capital.underspend == pytest.approx(capital.plan - capital.actual)
    assert not capital.adverse  # neither direction is better for capital spend


def test_a_forecast_outturn_is_read_at_the_month_not_added_up(sample, finance_rows):
    table = positions(sample.engine, ["fin_forecast_outturn"], SYSTEM, "provider", PERIOD)
    outturn = table["RBL"]["fin_forecast_outturn"]
    assert basis_of(outturn.metric) == "month"
    assert outturn.actual == pytest.approx(_total(finance_rows, "fin_forecast_outturn", ["RBL"], [PERIOD]))
    assert outturn.plan == pytest.approx(_total(finance_rows, "fin_surplus_deficit", ["RBL"], WHOLE_YEAR, "plan"), abs=0.1)


def test_a_rate_year_to_date_is_recomputed_from_summed_parts(sample, finance_rows):
    position = positions(sample.engine, ["fin_agency_pct_pay"], SYSTEM, "provider", PERIOD)[SYSTEM]["fin_agency_pct_pay"]
    trusts = sorted(set(finance_rows.org_code) - {SYSTEM})
    agency = _total(finance_rows, "fin_agency_pct_pay", trusts, YEAR_TO_DATE, column="numerator")
    pay_bill = _total(finance_rows, "fin_agency_pct_pay", trusts, YEAR_TO_DATE, column="denominator")
    assert position.actual == pytest.approx(agency / pay_bill * 100)
    monthly = finance_rows[(finance_rows.metric_id == "fin_agency_pct_pay") & finance_rows.org_code.isin(trusts) & (finance_rows.series == "actual")
                   & finance_rows.period.isin(YEAR_TO_DATE)]
    assert position.actual != pytest.approx((monthly.numerator / monthly.denominator * 100).mean(), abs=1e-4)
    assert position.target.value == 3.2  # the cap in force in 2026/27


def test_the_cap_in_force_follows_the_period(sample):
    position = positions(sample.engine, ["fin_agency_pct_pay"], SYSTEM, "provider", "2023-10")[SYSTEM]["fin_agency_pct_pay"]
    assert position.target.value == 3.7  # NHS England's 2023/24 limit


def test_members_of_a_breakdown_add_up_to_the_total(sample):
    table = positions(sample.engine, ["fin_efficiency_recurrent"], SYSTEM, "scheme_category", PERIOD)
    total = table.pop(SYSTEM)["fin_efficiency_recurrent"]
    assert "Workforce" in table and "Medicines optimisation" in table
    for column in ("actual", "plan", "year_plan"):
        assert sum(getattr(row["fin_efficiency_recurrent"], column) for row in table.values()) == pytest.approx(
            getattr(total, column), abs=0.5), column


def test_the_waterfall_runs_from_plan_to_outturn_through_each_organisation(sample):
    steps = waterfall(sample.engine, "fin_forecast_outturn", SYSTEM, "provider", PERIOD)
    table = positions(sample.engine, ["fin_forecast_outturn"], SYSTEM, "provider", PERIOD)
    assert steps[0].label == "Plan" and steps[0].end == pytest.approx(table[SYSTEM]["fin_forecast_outturn"].plan)
    assert steps[-1].end == pytest.approx(table[SYSTEM]["fin_forecast_outturn"].actual)
    changes = [s for s in steps if s.kind == "change"]
    assert len(changes) == len(table) - 1  # one per organisation, nothing left unexplained
    for before, after in zip(steps[1:-1], steps[2:-1]):
        assert after.start == pytest.approx(before.end)  # each bar starts where the last ended
    assert steps[0].end + sum(s.amount for s in changes) == pytest.approx(steps[-1].end)


def test_the_cumulative_trajectory_ends_at_the_year_to_date_and_the_year_plan(sample):
    frame = cumulative(sample.engine, "fin_efficiency_recurrent", SYSTEM, PERIOD)
    position = positions(sample.engine, ["fin_efficiency_recurrent"], SYSTEM, "provider", PERIOD)[SYSTEM]["fin_efficiency_recurrent"]
    by_series = {name: group.set_index("period")["value"] for name, group in frame.groupby("series")}
    assert by_series["Actual"].index[-1] == PERIOD
    assert by_series["Actual"].iloc[-1] == pytest.approx(position.actual)
    assert by_series["Plan"].loc["2027-03"] == pytest.approx(position.year_plan)
    assert by_series["Forecast"].index[0] == PERIOD and by_series["Forecast"].index[-1] == "2027-03"
    assert by_series["Forecast"].iloc[0] == pytest.approx(position.actual)  # the forecast carries on from actual
    # a past month has no forecast: its later months are actuals, not forecasts made at the time
    assert set(cumulative(sample.engine, "fin_efficiency_recurrent", SYSTEM, "2025-06")["series"]) == {"Actual", "Plan"}


def test_expenditure_lines_add_up_to_each_organisations_non_pay(sample):
    table = lines(sample.engine, "fin_non_pay", SYSTEM, "provider", "expenditure_line", PERIOD)
    totals = positions(sample.engine, ["fin_non_pay"], SYSTEM, "provider", PERIOD)
    assert "Healthcare purchased" in table.index
    for code in table.columns:
        assert table[code].sum() == pytest.approx(totals[code]["fin_non_pay"].actual, abs=0.5), code


def test_spans_of_each_measure(sample):
    engine = sample.engine
    monthly, snapshot = engine.metric("fin_income"), engine.metric("fin_forecast_outturn")
    assert engine.span(monthly, "2026-10", "ytd") == ("2026-04", "2026-10")
    assert engine.span(monthly, "2027-02", "year") == ("2026-04", "2027-03")
    assert engine.span(monthly, "2026-10", "month") == ("2026-10", "2026-10")
    assert engine.span(snapshot, "2026-10", "year") == ("2026-10", "2026-10")
    with pytest.raises(ValueError):
        engine.span(monthly, "2026-10", "quarter")
