"""The urgent and emergency care page for every month and for every organisation in the sample.

Every month is swept at the system level and every organisation at the latest month, on the
front sheet and the scorecard: the full cross product (91 months × 46 organisations) would take
about an hour, and each of its axes is covered here."""

import pytest

from portfolio.workspace import load_workspace
from tests.apptest import no_errors, open_page, start
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def uec():
    monkeypatch = pytest.MonkeyPatch()
    at = start(monkeypatch, ROOT / "config", ROOT / "sample_data").run()
    open_page(at, "uec").run()
    yield at
    monkeypatch.undo()


def _sweep(at, key: str, options: list[str]) -> list[str]:
    checked = []
    for option in options:
        at.session_state[key] = option
        for view in ("Front sheet", "Scorecard"):
            at.session_state["view"] = view
            at.run()
            no_errors(at)
            assert at.session_state[key] == option  # the option really was shown, not refused
            assert at.title[0].value == "Urgent & emergency care", (option, view)
        checked.append(option)
    return checked


SAMPLE = load_workspace(ROOT / "config", ROOT / "sample_data")


def test_every_month_at_system_level(uec):
    periods = SAMPLE.engine.periods
    assert _sweep(uec, "period", periods) == periods and len(periods) == 91
    assert uec.session_state["period"] == periods[-1] and uec.session_state["org"] == SAMPLE.tree.root


def test_every_organisation_at_the_latest_month(uec):
    organisations = list(SAMPLE.tree.nodes)
    assert _sweep(uec, "org", organisations) == organisations and len(organisations) == 38
    assert uec.session_state["org"] == organisations[-1]
