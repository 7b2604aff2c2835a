"""What the session has chosen (the period, the organisation, presenter mode and drilling) and
links that carry it to another page."""

from __future__ import annotations

import streamlit as st

from portfolio.outputs.links import href

PERIOD_KEY = "period"
ORG_KEY = "org"
DRILL_TO_KEY = "drill_to"  # an organisation chosen by a drill-down, applied before the filters are drawn
PRESENTING_KEY = "_presenting"  # set by app.py on every run: whether presenter mode is on
ALLOW_DRILL_KEY = "allow_drill"  # the presenter's choice to let clicks drill while presenting


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


def link(url_path: str, **params: str) -> str | None:
    """A relative link to a page by its URL path (``portfolio.outputs.links``) carrying the shared
    filters and ``params``, for a table cell; None while clicks may not move the view (presenting)."""
    if not interactive():
        return None
    return href(url_path, view_params(**params))


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
