"""A portfolio's front sheet: the scoring by category, the two narratives (the organisation's
own, or the system's said plainly), the month's focus metrics and who leads the portfolio."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.metric_views import headline
from components.routes import page
from components.state import interactive, view_params
from portfolio.config.commentary import FRONT_SHEET_PARTS, Commentary, sections, written_for
from portfolio.config.schema import Portfolio
from portfolio.figures.judgement import scoring
from portfolio.figures.summaries import MetricSummary
from portfolio.figures.workspace import Workspace
from portfolio.outputs.links import DEEP_DIVE


def scoring_table(portfolio: Portfolio, summaries: list[MetricSummary]) -> pd.DataFrame:
    """The counts of ``portfolio.figures.judgement.scoring``, by category, for a table."""
    return pd.DataFrame(scoring(portfolio.categories, summaries))


def narratives(ws: Workspace, note: Commentary | None, portfolio: Portfolio, org: str) -> None:
    if note is None:
        st.caption("No narrative has been written for this month yet.")
        return
    parts = sections(note.text)
    st.caption(written_for(note, org, ws.tree))
    whose = "" if note.org == org or (note.org is None and org == ws.tree.root) else " for the whole system"
    for column, heading in zip(st.columns(2), FRONT_SHEET_PARTS):
        with column:
            who = portfolio.analyst if heading == FRONT_SHEET_PARTS[0] else portfolio.sro
            st.markdown(f"**{heading}{whose}** · {who}")
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
                    st.page_link(page(DEEP_DIVE), label=f"Deep dive: {summary.metric.label}", icon=":material/query_stats:",
                                 query_params=view_params(metric=summary.metric.id))


def leads(portfolio: Portfolio) -> None:
    st.caption(f"**SRO:** {portfolio.sro} · **Clinical lead:** {portfolio.clinical_lead} · "
               f"**CEO sponsor:** {portfolio.ceo_sponsor} · **Intelligence analyst:** {portfolio.analyst}")
