"""The shared filters (reporting period, organisation): made once in app.py, kept across pages and
bound to the URL, so every view can be reached again by its link."""

from __future__ import annotations

import streamlit as st

from components.drill import breadcrumbs
from components.state import DRILL_TO_KEY, ORG_KEY, PERIOD_KEY
from portfolio.config.months import Month
from portfolio.figures.workspace import Workspace


def organisation_options(ws: Workspace) -> list[str]:
    """The system, then its places, then providers, then sites."""
    tree = ws.tree
    order = {"system": 0, "place": 1, "provider": 2, "site": 3}
    return sorted(tree.nodes, key=lambda code: (order[tree[code].level], tree[code].name))


def organisation_label(ws: Workspace, code: str) -> str:
    org = ws.tree[code]
    prefix = {"system": "", "place": "Place · ", "provider": "", "site": "Site · "}[org.level]
    return f"{prefix}{org.name}"


def quoted(text: str, limit: int = 60) -> str:
    """Text from a link, safe to say in a message: shortened, and shown as code, so a crafted
    address can neither format the dashboard's words nor put a link or a picture in them."""
    text = " ".join(str(text).replace("`", "'").split())
    return f"`{text if len(text) <= limit else text[:limit] + '…'}`"


def _take_from_url(key: str, options: list[str], describe) -> None:
    """Apply the URL's value for ``key`` when a link or a typed address set it.

    The URL is written at the end of every run; a value that differs from what was last written
    came from outside (a shared link, a page link, an edited address) and wins, as does any URL
    value when the widget has no state yet (a new session, or a page opened afresh).
    """
    asked = st.query_params.get(key)
    fresh = key not in st.session_state
    if asked is None or (not fresh and asked == st.session_state.get(f"_url_{key}")):
        return
    if asked in options:
        st.session_state[key] = asked
    else:
        st.warning(f"The link asks for {describe(quoted(asked))}, which is not in this dashboard; showing "
                   f"{describe(st.session_state.get(key, options[0]))} instead.", icon=":material/link_off:")


def url_synced(widget, label: str, options: list[str], key: str, default: str, describe, shown: bool = True,
               **kwargs):
    """A choice widget whose value is kept in the URL under ``key`` (``?key=value``), so the view
    can be shared and reached again. The value in the URL is the option itself (a code, not a label).
    Not ``shown`` (presenting), the choice the URL made is used with no widget drawn."""
    _take_from_url(key, options, describe)
    if st.session_state.get(key) not in options:
        st.session_state[key] = default
    value = widget(label, options, key=key, **kwargs) if shown else st.session_state[key]
    st.query_params[key] = value
    st.session_state[f"_url_{key}"] = value
    return value


def shared_filters(ws: Workspace, extra=None) -> tuple[str, str]:
    """The period and organisation choices; ``extra`` draws more controls at the end of their row."""
    if DRILL_TO_KEY in st.session_state:
        st.session_state[ORG_KEY] = st.session_state.pop(DRILL_TO_KEY)
    periods = list(reversed(ws.engine.periods))
    organisations = organisation_options(ws)
    describe_period = (lambda p: Month(p).label if p in periods else f"the period {p}")
    describe_org = (lambda code: ws.tree[code].name if code in ws.tree else f"the organisation {code}")
    # one compact band: the boxes say what they hold (a month, an organisation), so their labels are
    # kept for screen readers only and the page's title and context line follow straight after
    period_column, org_column, up_column, extra_column = st.columns([0.85, 1.75, 1.7, 2.3], vertical_alignment="center")
    with period_column:
        period = url_synced(
            st.selectbox, "Reporting period", periods, PERIOD_KEY, ws.engine.default_period(), describe_period,
            format_func=lambda p: Month(p).label, label_visibility="collapsed")
    with org_column:
        org = url_synced(
            st.selectbox, "Organisation", organisations, ORG_KEY, ws.tree.root, describe_org,
            format_func=lambda code: organisation_label(ws, code), label_visibility="collapsed")
    with up_column:
        breadcrumbs(ws, org, key="crumb")  # back up the hierarchy, beside the organisation it leads from
    if extra is not None:
        with extra_column:
            extra()
    return period, org
