"""A portfolio's front sheet: the scoring summary, the two narratives and the month's focus metrics."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.metric_views import headline
from components.state import DEEP_DIVE, interactive, view_params
from portfolio.commentary import Commentary, sections
from portfolio.config import Portfolio
from portfolio.engine import MetricSummary
from portfolio.periods import month_label, parse_month

NARRATIVES = ("Analyst narrative", "Lead commentary")


def scoring_table(portfolio: Portfolio, summaries: list[MetricSummary]) -> pd.DataFrame:
    """How many metrics meet target, are improving and are deteriorating, by category."""
    rows = []
    for category in [*portfolio.categories, None]:
        chosen = [s for s in summaries if s.available and (category is None or s.metric.category == category)]
        if not chosen:
            continue
        rows.append({
            "Category": category or "All metrics",
            "Metrics": len(chosen),
            "Meeting target": sum(s.status == "met" for s in chosen),
            "Not meeting target": sum(s.status == "not met" for s in chosen),
            "Improving": sum(s.improving for s in chosen),
            "Deteriorating": sum(s.deteriorating for s in chosen),
        })
    return pd.DataFrame(rows)


def narratives(note: Commentary | None, portfolio: Portfolio) -> None:
    if note is None:
        st.info("No narrative has been written for this month yet. Add "
                f"config/commentary/portfolios/{portfolio.id}/YYYY-MM.md.", icon=":material/edit_note:")
        return
    parts = sections(note.text)
    st.caption(f"Written for {month_label(parse_month(note.period))}")
    for column, heading in zip(st.columns(2), NARRATIVES):
        with column:
            who = portfolio.analyst if heading == NARRATIVES[0] else portfolio.sro
            st.markdown(f"**{heading}** · {who}")
            st.markdown(parts.get(heading, "Not written yet."))  # Markdown only, never HTML


def focus_metrics(summaries: list[MetricSummary], period: str) -> None:
    focus = [s for s in summaries if s.available and s.metric.is_focus(period)]
    if not focus:
        return
    st.subheader("Focus this month", anchor=False)
    for first in range(0, len(focus), 2):
        for column, summary in zip(st.columns(2), focus[first:first + 2]):
            with column:
                headline(summary)
                if interactive():
                    st.page_link(DEEP_DIVE, label=f"Deep dive: {summary.metric.label}", icon=":material/query_stats:",
                                 query_params=view_params(metric=summary.metric.id))
