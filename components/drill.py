"""Moving around the organisation hierarchy: breadcrumbs back up, a choice of what lies below."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from components.state import ORG_KEY, interactive
from portfolio.figures.workspace import Workspace


def _go_to(code: str) -> None:
    st.session_state[ORG_KEY] = code  # a callback runs before the filters are drawn, so this is allowed


def breadcrumbs(ws: Workspace, org: str, key: str) -> None:
    """The organisations above the chosen one (system › place › provider), each a button back up to
    it; nothing at the system."""
    path = list(reversed(ws.tree.ancestors(org)))
    if not path or not interactive():
        return
    with st.container(horizontal=True, gap="xxsmall", vertical_alignment="center"):  # one compact row
        for node in path:
            st.button(node.short_name, key=f"{key}-{node.code}", on_click=_go_to, args=(node.code,), type="tertiary",
                      help=f"Back up to {node.name}", icon=":material/arrow_upward:")


def drill_into(ws: Workspace, org: str, key: str, reported: Callable[[str], bool]) -> None:
    """A choice of the places, providers or sites directly below the organisation that have
    figures (``reported`` says which do); nothing when none has."""
    below = [o for o in ws.tree.children(org) if reported(o.code)]
    if not below or not interactive():
        return
    codes = [o.code for o in sorted(below, key=lambda o: (o.level, o.name))]
    words = " or ".join(dict.fromkeys(ws.tree[c].level for c in codes))
    st.selectbox("Drill into", codes, index=None, key=key, placeholder=f"Drill into a {words}",
                 label_visibility="collapsed",
                 format_func=lambda code: f"{ws.tree[code].name} ({ws.tree[code].level})",
                 on_change=lambda: _go_to(st.session_state[key]) if st.session_state[key] else None)
