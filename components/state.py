"""The loaded workspace and cached figures, keyed on small hashable values only."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from portfolio.figures.engine import MetricSummary
from portfolio.outputs.meetings import Step, running_order
from portfolio.figures.scorecard import ScorecardRow, scorecard
from portfolio.workspace import default_folders, fingerprint, load_workspace
from portfolio.figures.workspace import Workspace

DEEP_DIVE = "app_pages/deep_dive.py"  # the hidden page every metric opens into
PERIOD_KEY = "period"
ORG_KEY = "org"
DRILL_TO_KEY = "drill_to"  # an organisation chosen by a drill-down, applied before the filters are drawn
PRESENTING_KEY = "_presenting"  # set by app.py on every run: whether presenter mode is on
ALLOW_DRILL_KEY = "allow_drill"  # the presenter's choice to let clicks drill while presenting


@st.cache_resource(max_entries=2, show_spinner="Loading portfolios and extracts…")
def _load(key: str, config_dir: str, data_dir: str) -> Workspace:
    # ``key`` changes when any config file or extract changes, so edits are picked up.
    return load_workspace(config_dir, data_dir)


def workspace() -> Workspace:
    config_dir, data_dir = default_folders()
    return _load(fingerprint(config_dir, data_dir), str(config_dir), str(data_dir))


def workspace_key() -> str:
    config_dir, data_dir = default_folders()
    return fingerprint(config_dir, data_dir)


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def portfolio_summaries(key: str, portfolio_id: str, org_code: str, period: str) -> list[MetricSummary]:
    return workspace().engine.portfolio_summaries(portfolio_id, org_code, period)


@st.cache_data(max_entries=128, ttl=3600, show_spinner=False)
def portfolio_scorecard(key: str, portfolio_id: str, org_code: str, period: str) -> list[ScorecardRow]:
    return scorecard(workspace().engine, portfolio_id, org_code, period)


@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def meeting_steps(key: str, meeting_id: str) -> list[Step]:
    """A meeting's running order, worked out once for the workspace ``key`` (it reads every
    portfolio's summaries and its tables' shapes: too slow to repeat on each step of a meeting)."""
    ws = workspace()
    return running_order(ws.config, ws.engine, ws.config.meetings[meeting_id])


def selected_period() -> str:
    return st.session_state[PERIOD_KEY]


def selected_org() -> str:
    return st.session_state[ORG_KEY]


def view_params(**extra: str) -> dict[str, str]:
    """Query parameters that carry the shared filters to another page (and presenter mode, when
    the presenter drills while presenting)."""
    carried = {name: st.query_params[name] for name in ("present", "meeting", "slide")
               if presenting() and name in st.query_params}
    return {PERIOD_KEY: selected_period(), ORG_KEY: selected_org(), **carried, **extra}


def link(page: str, **params: str) -> str | None:
    """A relative link to a page by its URL path ("" for the overview) carrying the shared filters
    and ``params``, for a table cell; None while clicks may not move the view (presenting)."""
    if not interactive():
        return None
    return f"{page or './'}?{urlencode(view_params(**params))}"


def request_drill(org_code: str) -> None:
    """Change the organisation filter on the next run (a widget's value cannot change mid-run)."""
    st.session_state[DRILL_TO_KEY] = org_code
    st.rerun()


def presenting() -> bool:
    return st.session_state.get(PRESENTING_KEY, False)


def interactive() -> bool:
    """Whether clicks may change the view: always, except while presenting, unless the presenter
    has chosen to allow drilling (so a stray click in front of the board does nothing)."""
    return not presenting() or st.session_state.get(ALLOW_DRILL_KEY, False)


def on_select() -> str:
    """``on_select`` for tables and charts: rerun on a selection only when clicks may drill."""
    return "rerun" if interactive() else "ignore"
