"""The overview's tile for one portfolio, and the list of exceptions across portfolios."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.metric_views import headline, progress_text
from components.state import DEEP_DIVE, interactive, view_params
from portfolio.config import Portfolio
from portfolio.engine import MetricSummary
from portfolio.formatting import format_change, format_target, format_value

def scores(summaries: list[MetricSummary]) -> dict[str, int]:
    available = [s for s in summaries if s.available]
    return {
        "metrics": len(available),
        "not met": sum(s.status == "not met" for s in available),
        "met": sum(s.status == "met" for s in available),
        "improving": sum(s.improving for s in available),
        "deteriorating": sum(s.deteriorating for s in available),
    }


def portfolio_tile(portfolio: Portfolio, summaries: list[MetricSummary]) -> None:
    by_id = {s.metric.id: s for s in summaries}
    score = scores(summaries)
    with st.container(border=True):
        title, link = st.columns([4, 1], vertical_alignment="center")
        title.subheader(portfolio.title, anchor=False)
        if interactive():
            link.page_link(portfolio_page(portfolio.id), label="Open portfolio", icon=":material/arrow_forward:",
                           query_params=view_params())
        st.caption(
            f"SRO: {portfolio.sro} · **{score['not met']} of {score['metrics']} metrics not meeting target** · "
            f"{score['improving']} improving · {score['deteriorating']} deteriorating")
        shown = [by_id[m.id] for m in portfolio.headline_metrics if by_id[m.id].available]
        if not shown:
            st.info("None of this portfolio's headline metrics is reported for this organisation.")
        for first in range(0, len(shown), 2):  # two to a row, so labels and changes are read in full
            for column, summary in zip(st.columns(2), shown[first:first + 2]):
                with column:
                    headline(summary)
                    if interactive():
                        st.page_link(DEEP_DIVE, label=f"Deep dive: {summary.metric.label}",
                                     icon=":material/query_stats:", query_params=view_params(metric=summary.metric.id))


def portfolio_page(portfolio_id: str) -> st.Page:
    """The navigation page of a portfolio (every portfolio shares one page file)."""
    return st.session_state["pages"][portfolio_id]


def show_exceptions(items: list[tuple[Portfolio, MetricSummary]]) -> None:
    """Every metric below target and deteriorating, in one table sized to show every row."""
    st.dataframe(exceptions_table(items), hide_index=True, key="exceptions", height=35 * (len(items) + 1) + 3,
                 column_config={"Metric": st.column_config.TextColumn(width="large"),
                                **{c: st.column_config.TextColumn(width="small") for c in ("Latest", "Target", "Change")}},
                 alt=f"{len(items)} metrics not meeting target and deteriorating")


def exceptions_table(items: list[tuple[Portfolio, MetricSummary]]) -> pd.DataFrame:
    return pd.DataFrame([{
        "Metric": s.metric.label,
        "Latest": format_value(s.metric, s.value),
        "Target": format_target(s.metric, s.target),
        "Change": format_change(s.metric, s.change),
        "Progress": progress_text(s),
        "Portfolio": portfolio.title,
    } for portfolio, s in items])
