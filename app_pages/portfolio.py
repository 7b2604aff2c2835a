"""One portfolio: its people, its scores and every metric by category. Shared by all portfolios."""

import streamlit as st

from components.banners import page_header
from components.metric_views import metrics_table
from components.state import (DEEP_DIVE, portfolio_summaries, selected_org, selected_period, view_params, workspace,
                              workspace_key)
from components.tiles import scores

ws = workspace()
portfolio = ws.config.portfolio(st.session_state["portfolio_id"])
period, org = selected_period(), selected_org()
page_header(ws, portfolio.title, period, org, {m.source.extract for m in portfolio.metrics})
st.markdown(f"**SRO:** {portfolio.sro} · **Clinical lead:** {portfolio.clinical_lead} · "
            f"**CEO sponsor:** {portfolio.ceo_sponsor} · **Intelligence analyst:** {portfolio.analyst}")
st.caption(portfolio.description)

summaries = portfolio_summaries(workspace_key(), portfolio.id, org, period)
available = [s for s in summaries if s.available]
score = scores(summaries)
columns = st.columns(4)
columns[0].metric("Metrics reported", score["metrics"])
columns[1].metric("Meeting target", score["met"])
columns[2].metric("Not meeting target", score["not met"])
columns[3].metric("Deteriorating", score["deteriorating"])


picked = None
for category in portfolio.categories:
    in_category = [s for s in available if s.metric.category == category]
    if in_category:
        st.subheader(category, anchor=False)
        picked = metrics_table(in_category, key=f"table-{category}") or picked
st.caption("Choose a row to open the metric's deep dive.")
missing = [s.metric.label for s in summaries if not s.available]
if missing:
    st.caption(f"Not reported for {ws.tree[org].name}: {', '.join(missing)}.")

if picked:
    st.switch_page(DEEP_DIVE, query_params=view_params(metric=picked))
