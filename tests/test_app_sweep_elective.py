"""The elective care page for every month and every organisation, on every view (see tests/sweep.py)."""

import pytest

from tests.sweep import SAMPLE, portfolio_page, sweep

ELECTIVE = SAMPLE.config.portfolio("elective")
EVERY_VIEW = ["Front sheet", "Scorecard", "Charts", *(v.title for v in ELECTIVE.views)]


@pytest.fixture(scope="module")
def elective():
    monkeypatch = pytest.MonkeyPatch()
    yield portfolio_page(monkeypatch, "elective")
    monkeypatch.undo()


def test_every_month_at_system_level(elective):
    periods = SAMPLE.engine.periods
    assert sweep(elective, "period", periods, ["Front sheet"], "Elective care") == periods


def test_every_organisation_at_the_latest_month_on_every_view(elective):
    organisations = list(SAMPLE.tree.nodes)
    assert sweep(elective, "org", organisations, EVERY_VIEW, "Elective care") == organisations
