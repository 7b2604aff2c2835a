"""The elective care page for every month and every organisation, on every view (see tests/sweep.py)."""

from tests.sweep import SAMPLE, page_fixture, sweep

ELECTIVE = SAMPLE.config.portfolio("elective")
EVERY_VIEW = ELECTIVE.tabs

elective = page_fixture("elective")


def test_every_month_at_system_level(elective):
    periods = SAMPLE.engine.periods
    assert sweep(elective, "period", periods, ["Front sheet"], "Elective care") == periods


def test_every_organisation_at_the_latest_month_on_every_view(elective):
    organisations = list(SAMPLE.tree.nodes)
    assert sweep(elective, "org", organisations, EVERY_VIEW, "Elective care") == organisations
