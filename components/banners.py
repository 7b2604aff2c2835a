"""What every view says about its data: period, organisation, data-as-at, synthetic or not, and
warnings when an extract is out of date or a file could not be loaded."""

from __future__ import annotations

import streamlit as st

from portfolio.periods import fy_month_label, parse_month
from portfolio.workspace import Workspace


def context_line(ws: Workspace, period: str, org: str, extracts: set[str] | None = None) -> str:
    parts = [f"Period: {fy_month_label(parse_month(period))}", f"Organisation: {ws.tree[org].name}"]
    as_at = ws.data_as_at(extracts)
    if as_at:
        parts.append(f"Data as at {as_at:%d %b %Y}")
    if ws.synthetic:
        parts.append("Synthetic sample data")
    return " · ".join(parts)


def page_header(ws: Workspace, title: str, period: str, org: str, extracts: set[str] | None = None) -> None:
    st.title(title, anchor=False)
    st.caption(context_line(ws, period, org, extracts))


def data_warnings(ws: Workspace) -> None:
    """Shown above every page: stale extracts and files that could not be loaded."""
    for report in ws.stale_extracts():
        st.warning(
            f"**{report.info.title}** ({report.file}) is out of date: data as at "
            f"{report.info.data_as_at:%d %b %Y}, expected every {report.info.refresh_days} days.",
            icon=":material/schedule:",
        )
    for file, reason in ws.config.disabled.items():
        st.error(f"The portfolio in **{file}** is not shown because its file has errors: {reason}. "
                 "See *About the data* for every problem.", icon=":material/error:")
    if ws.config.organisations is None:
        st.error("config/organisations.yaml could not be loaded; see *About the data*.", icon=":material/error:")
