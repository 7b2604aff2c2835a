"""The finance page for every organisation on every view (see tests/sweep.py; the months are in
test_app_sweep_finance_months.py, a file of its own so that the two run in parallel)."""

from tests.sweep import SAMPLE, page_fixture, sweep

FINANCE = SAMPLE.config.portfolio("finance")
OWN_VIEWS = list(dict.fromkeys(v.tab_title for v in FINANCE.views))
EVERY_VIEW = FINANCE.tabs

finance = page_fixture("finance")


def test_every_organisation_at_the_latest_month_on_every_view(finance):
    organisations = list(SAMPLE.tree.nodes)
    assert sweep(finance, "org", organisations, EVERY_VIEW, "Finance") == organisations
