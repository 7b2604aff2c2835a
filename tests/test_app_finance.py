"""The finance page on the sample: the figures shown are the extract's own, added up here with
pandas; drilling from the system to a trust to its expenditure lines; the deep dive of finance
metrics."""

import pandas as pd
import pytest

from portfolio.outputs.formatting import format_value
from tests.apptest import chart_data, charts, deep_dive, no_errors, open_page, start
from tests.conftest import ROOT
from tests.sweep import SAMPLE
from tests.test_positions import PERIOD, SYSTEM, YEAR_TO_DATE, _total

METRICS = SAMPLE.config.metrics


@pytest.fixture(scope="module")
def finance():
    monkeypatch = pytest.MonkeyPatch()
    at = start(monkeypatch, ROOT / "config", ROOT / "sample_data").run()
    yield open_page(at, "finance").run()
    monkeypatch.undo()


def _show(at, view, org=SYSTEM, period=PERIOD):
    at.session_state["view"], at.session_state["org"], at.session_state["period"] = view, org, period
    at.run()
    no_errors(at)
    return at


def _money(metric_id, value, mark=""):
    return format_value(METRICS[metric_id], value) + mark


def test_financial_position_shows_year_to_date_and_forecast_outturn_for_each_organisation(finance, finance_rows):
    _show(finance, "Financial position")
    table = finance.table[0].value
    assert list(table.columns) == ["Surplus plan", "Surplus actual", "Surplus variance", "FOT plan", "FOT",
                                   "FOT variance", "Risk"]
    assert list(table.index[:3]) == ["Cheshire & Merseyside", "C&M ICB", "WCHC"]
    actual = _total(finance_rows, "fin_surplus_deficit", [SYSTEM], YEAR_TO_DATE)
    plan = _total(finance_rows, "fin_surplus_deficit", [SYSTEM], YEAR_TO_DATE, "plan")
    assert actual < 0  # a deficit: in brackets and marked
    assert table.loc["Cheshire & Merseyside", "Surplus actual"] == _money("fin_surplus_deficit", actual, " ✘")
    assert table.loc["Cheshire & Merseyside", "Surplus actual"].startswith("(£")
    assert table.loc["Cheshire & Merseyside", "Surplus variance"].startswith(_money("fin_surplus_deficit", actual - plan))
    outturn = _total(finance_rows, "fin_forecast_outturn", ["REM"], [PERIOD])
    assert table.loc["LUHFT", "FOT"] == _money("fin_forecast_outturn", outturn, " ✘" if outturn < 0 else " ✔")
    # the table headed by its view's title; the waterfall titled with its own
    assert "**Surplus / (deficit) by organisation, year to date and forecast outturn**" in [m.value for m in finance.markdown]
    assert len(charts(finance)) == 1 and charts(finance)[0]["title"]["text"] == "From plan to forecast outturn"
    steps = chart_data(finance)
    assert list(steps["label"])[0] == "Plan" and list(steps["label"])[-1] == "Forecast"
    assert len(steps) == len(table) + 1  # the plan, each organisation, the forecast
    bodies = sorted(set(finance_rows.org_code) - {SYSTEM})
    assert steps["high"].iloc[-1] == pytest.approx(0)  # the system's forecast deficit, a bar from zero, in £m
    assert steps["low"].iloc[-1] * 1000 == pytest.approx(_total(finance_rows, "fin_forecast_outturn", bodies, [PERIOD]))


def test_forecast_outturn_is_reported_from_month_3(finance):
    _show(finance, "Financial position", period="2026-05")  # M2
    table = finance.table[0].value
    assert set(table["FOT"]) == {"–"} and table.loc["Cheshire & Merseyside", "Surplus actual"] != "–"
    assert any("no plan and actual" in c.value for c in finance.caption)  # no waterfall before the first forecast


def test_income_and_expenditure_statement_and_its_lines(finance, finance_rows):
    _show(finance, "I&E statement")
    statement, expenditure = finance.table[0].value, finance.table[1].value
    assert list(statement.index) == ["Income", "Pay expenditure", "Non-pay expenditure", "Non-operating items",
                                     "Surplus / (deficit)"]
    income = _total(finance_rows, "fin_income", ["RBL"], YEAR_TO_DATE)
    assert statement.loc["Income", "WUTH"] == _money("fin_income", income)
    assert statement.loc["Pay expenditure", "WUTH"].startswith("(£")  # costs are negative
    assert statement.loc["Non-operating items", "C&M ICB"] == "–"  # the ICB has none
    # the expenditure lines' total is the statement's non-pay line
    assert list(expenditure.loc["Total"]) == list(statement.loc["Non-pay expenditure"])
    finance.session_state["statement-Income and expenditure, year to date"] = "Plan"
    finance.run()
    plan = _total(finance_rows, "fin_income", ["RBL"], YEAR_TO_DATE, "plan")
    assert finance.table[0].value.loc["Income", "WUTH"] == _money("fin_income", plan)
    assert finance.table[0].value.index.name == "Plan, year to date"


def test_drilling_from_the_system_to_a_trust_and_its_expenditure_lines(finance, finance_rows):
    _show(finance, "I&E statement", org="REM")
    statement, expenditure = finance.table[0].value, finance.table[1].value
    assert list(statement.columns) == ["LUHFT"]
    assert list(expenditure.columns) == ["LUHFT"]
    lines = finance_rows[(finance_rows.metric_id == "fin_non_pay") & (finance_rows.org_code == "REM") & finance_rows.period.isin(YEAR_TO_DATE)
                 & (finance_rows.breakdown == "expenditure_line")].groupby("breakdown_value")["value"].sum()
    for line, value in lines.items():
        assert expenditure.loc[line, "LUHFT"] == _money("fin_non_pay", value), line


def test_efficiency_by_organisation_by_scheme_category_and_month_by_month(finance, finance_rows):
    _show(finance, "Efficiency")
    by_org, by_scheme = finance.table[0].value, finance.table[1].value
    assert list(by_org.columns) == ["Recurrent plan", "Recurrent actual", "Recurrent variance", "Recurrent % of plan",
                                    "Non-recurrent plan", "Non-recurrent actual", "Non-recurrent variance",
                                    "Non-recurrent % of plan"]
    actual = _total(finance_rows, "fin_efficiency_recurrent", sorted(set(finance_rows.org_code) - {SYSTEM}), YEAR_TO_DATE)
    plan = _total(finance_rows, "fin_efficiency_recurrent", sorted(set(finance_rows.org_code) - {SYSTEM}), YEAR_TO_DATE, "plan")
    assert by_org.loc["Cheshire & Merseyside", "Recurrent % of plan"] == f"{actual / plan * 100:.1f}%"  # as every %
    assert by_scheme.index.name == "Scheme category" and "Workforce" in by_scheme.index
    assert len(charts(finance)) == 1
    points = chart_data(finance)
    assert set(points["series"]) == {"Actual", "Plan", "Forecast"}
    assert set(points["metric"]) == {"Recurrent", "Non-recurrent"}


def test_capital_and_workforce_cost(finance, finance_rows):
    _show(finance, "Capital")
    capital = finance.table[0].value
    assert list(capital.columns) == ["Capital full-year plan", "Capital plan", "Capital actual",
                                     "Capital under / (over)spend", "Capital % of plan"]
    assert "C&M ICB" not in capital.index  # the ICB holds no capital allocation
    _show(finance, "Workforce cost")
    workforce = finance.table[0].value
    assert list(workforce.columns) == ["Pay", "Substantive", "Bank", "Agency", "Agency % (target ≤ 3.2%)"]
    trusts = sorted(set(finance_rows.org_code) - {SYSTEM})
    share = (_total(finance_rows, "fin_agency_pct_pay", trusts, YEAR_TO_DATE, column="numerator")
             / _total(finance_rows, "fin_agency_pct_pay", trusts, YEAR_TO_DATE, column="denominator") * 100)
    assert workforce.loc["Cheshire & Merseyside", "Agency % (target ≤ 3.2%)"] == f"{share:.1f}% " + (
        "✔" if share <= 3.2 else "✘")
    assert any(cell.endswith("✘") for cell in workforce["Agency % (target ≤ 3.2%)"])  # someone is over the cap


def test_underlying_position_and_statutory_duties(finance):
    _show(finance, "Underlying and duties")
    underlying, duties = finance.table[0].value, finance.table[1].value
    assert "Underlying (target ≥ £0.0m)" in underlying.columns
    assert list(duties.index) == ["Cheshire & Merseyside", "C&M ICB"]  # only the ICB reports its duties
    assert list(duties.columns) == ["MHIS growth (target ≥ 4.5%)", "Running costs % (target ≤ 100.0%)"]
    assert all(cell[-1] in "✔✘" for cell in duties.iloc[0])  # each duty is met or not met


@pytest.mark.parametrize("metric_id", ["fin_surplus_deficit", "fin_forecast_outturn", "fin_agency_pct_pay",
                                       "fin_running_costs_pct"])
def test_the_deep_dive_of_a_finance_metric(monkeypatch, metric_id):
    at = deep_dive(monkeypatch, ROOT / "config", ROOT / "sample_data", metric=metric_id)
    no_errors(at)
    assert at.title[0].value == METRICS[metric_id].label
    layers = [layer.get("mark") for chart in charts(at) for layer in chart.get("layer", [])]
    assert len(charts(at)) >= 2  # the SPC chart of the monthly figures and plan against actual
    assert {"type": "line", "color": "#a6a6a6", "strokeWidth": 2} in layers  # the XmR line
    frame = at.dataframe[-1].value if at.dataframe else pd.DataFrame()
    assert not frame.empty
