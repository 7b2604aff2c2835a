"""The social value page for every month and every organisation, on every view (see tests/sweep.py)."""

from tests.sweep import SAMPLE, page_fixture, sweep

SOCIAL_VALUE = SAMPLE.config.portfolio("social_value")
OWN_VIEWS = list(dict.fromkeys(v.tab_title for v in SOCIAL_VALUE.views))
EVERY_VIEW = SOCIAL_VALUE.tabs

social_value = page_fixture("social_value")


def test_every_month_on_every_view(social_value):
    social_value.session_state["org"] = "RY7"
    periods = SAMPLE.engine.periods
    assert sweep(social_value, "period", periods, OWN_VIEWS, "Social value") == periods


def test_every_organisation_at_the_latest_month_on_every_view(social_value):
    social_value.session_state["period"] = SAMPLE.engine.periods[-1]
    organisations = list(SAMPLE.tree.nodes)
    assert sweep(social_value, "org", organisations, EVERY_VIEW, "Social value") == organisations
