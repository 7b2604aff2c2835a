"""The urgent and emergency care page for every month and every organisation (see tests/sweep.py)."""

from tests.sweep import SAMPLE, page_fixture, sweep

VIEWS = ["Front sheet", "Scorecard"]

uec = page_fixture("uec")


def test_every_month_at_system_level(uec):
    periods = SAMPLE.engine.periods
    assert sweep(uec, "period", periods, VIEWS, "Urgent & emergency care") == periods and len(periods) == 91
    assert uec.session_state["org"] == SAMPLE.tree.root


def test_every_organisation_at_the_latest_month(uec):
    organisations = list(SAMPLE.tree.nodes)
    shown = sweep(uec, "org", organisations, [*VIEWS, "Charts"], "Urgent & emergency care")
    assert shown == organisations and len(organisations) == 38
