"""The finance page for every month, at system level, on every finance view (see tests/sweep.py)."""

from tests.sweep import SAMPLE, page_fixture, sweep
from tests.test_app_sweep_finance import OWN_VIEWS

finance = page_fixture("finance")


def test_every_month_at_system_level_on_every_finance_view(finance):
    periods = SAMPLE.engine.periods
    first = SAMPLE.engine.spans(SAMPLE.config.metrics["fin_income"])[SAMPLE.tree.root][0]
    reported = [p for p in periods if p >= first]
    before = [p for p in periods if p < first]  # months before the finance extract begins
    assert sweep(finance, "period", reported, OWN_VIEWS, "Finance") == reported
    assert sweep(finance, "period", before, ["Front sheet", "Financial position"], "Finance") == before
