"""The shared filters (reporting period, organisation): made once in app.py, kept across pages and
bound to the URL, so every view can be reached again by its link."""

from __future__ import annotations

import streamlit as st

from components.state import ORG_KEY, PERIOD_KEY
from portfolio.periods import month_label, parse_month
from portfolio.workspace import Workspace


def organisation_options(ws: Workspace) -> list[str]:
    """The system, then its places, then providers, then sites."""
    tree = ws.tree
    order = {"system": 0, "place": 1, "provider": 2, "site": 3}
    return sorted(tree.nodes, key=lambda code: (order[tree[code].level], tree[code].name))


def organisation_label(ws: Workspace, code: str) -> str:
    org = ws.tree[code]
    prefix = {"system": "", "place": "Place · ", "provider": "", "site": "Site · "}[org.level]
    return f"{prefix}{org.name}"


def shared_filters(ws: Workspace) -> tuple[str, str]:
    periods = list(reversed(ws.engine.periods))
    default = ws.engine.default_period()
    with st.sidebar:
        period = st.selectbox(
            "Reporting period", periods, index=periods.index(default) if default in periods else 0,
            format_func=lambda p: month_label(parse_month(p)), key=PERIOD_KEY, bind="query-params",
            help="The month every view reports on. Figures for later months are not shown.",
        )
        org = st.selectbox(
            "Organisation", organisation_options(ws), key=ORG_KEY, bind="query-params",
            format_func=lambda code: organisation_label(ws, code),
            help="The system, a place, a provider or a site. Figures are added up from the organisations within it.",
        )
    return period, org
