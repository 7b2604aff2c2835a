"""A portfolio page for every month and for every organisation in the sample.

Every month is swept at the system level and every organisation at the latest month: the full
cross product (91 months × 38 organisations, several views each) would take hours, and each of
its axes is covered."""

import pytest

from portfolio.workspace import load_workspace
from tests.apptest import no_errors, open_page, start
from tests.conftest import ROOT

SAMPLE = load_workspace(ROOT / "config", ROOT / "sample_data")


def page_fixture(portfolio_id: str):
    """A module-scoped fixture: the portfolio's page on the sample, shared by a file's sweeps."""
    @pytest.fixture(scope="module")
    def portfolio_page():
        monkeypatch = pytest.MonkeyPatch()
        at = start(monkeypatch, ROOT / "config", ROOT / "sample_data").run()
        yield open_page(at, portfolio_id).run()
        monkeypatch.undo()
    return portfolio_page


def sweep(at, key: str, options: list[str], views: list[str], title: str) -> list[str]:
    """Show each option on each view; return the options shown, so a test knows none was refused."""
    shown = []
    for option in options:
        at.session_state[key] = option
        for view in views:
            at.session_state["view"] = view
            at.run()
            no_errors(at)
            assert at.session_state[key] == option  # the option really was shown, not refused
            assert at.title[0].value == title, (option, view)
            if at.tabs:  # drawn (an organisation with no figures for the portfolio has a line instead)
                assert view in [tab.label for tab in at.tabs], (option, view)
        shown.append(option)
    return shown
