"""Every page of the dashboard in one table: its URL path (defined in ``portfolio.outputs.links``),
title, icon and place in the navigation. A portfolio's page is the portfolio page bound to that
portfolio, so it knows what it shows from how it was registered; a link or a switch names any page
by its URL path (``page``), which is also how Streamlit tells pages apart."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import partial

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from portfolio.figures.workspace import Workspace
from portfolio.outputs.links import ABOUT, ATTENDANCES, DEEP_DIVE, MEETINGS, portfolio_path

_REGISTERED: ContextVar[dict[str, StreamlitPage]] = ContextVar("pages")  # this run's, set by ``sections``


def sections(ws: Workspace, portfolio_page: Callable[[str], None]) -> dict[str, list[StreamlitPage]]:
    """The navigation's sections and their pages, each registered for ``page``; ``portfolio_page``
    draws a portfolio given its id."""
    portfolios = [st.Page(partial(portfolio_page, p.id), title=p.title, icon=p.icon or ":material/dashboard:",
                          url_path=portfolio_path(p.id)) for p in ws.config.portfolios]
    found = {
        "": [st.Page("app_pages/overview.py", title="Overview", icon=":material/home:", default=True)],
        "Portfolios": [*portfolios, st.Page("app_pages/attendances.py", title="A&E attendances (patient level)",
                                            icon=":material/emergency:", url_path=ATTENDANCES)],
        "About": [
            st.Page("app_pages/about.py", title="About the data", icon=":material/info:", url_path=ABOUT),
            st.Page("app_pages/meetings.py", title="Board meetings", icon=":material/slideshow:", url_path=MEETINGS),
            st.Page("app_pages/deep_dive.py", title="Deep dive", icon=":material/query_stats:", url_path=DEEP_DIVE,
                    visibility="hidden"),  # every metric opens into it
        ],
    }
    _REGISTERED.set({page.url_path: page for pages in found.values() for page in pages})
    return found


def page(url_path: str) -> StreamlitPage:
    """The page registered at ``url_path`` in this run, for ``st.page_link`` and ``st.switch_page``."""
    return _REGISTERED.get()[url_path]
