"""One portfolio: front sheet, scorecard grid and charts. Every portfolio uses this page; what it
shows comes from the portfolio's YAML file."""

import streamlit as st

from components.banners import page_header
from components.drill import breadcrumbs, drill_into
from components.front_sheet import focus_metrics, narratives, scoring_table
from components.portfolio_charts import portfolio_charts
from components.portfolio_views import portfolio_view
from components.position_views import reconciliation_banner
from components.scorecard_grid import scorecard_grid
from components.state import (DEEP_DIVE, portfolio_scorecard, portfolio_summaries, selected_org, selected_period,
                              view_params, workspace, workspace_key)
from portfolio.commentary import portfolio_commentary

ws = workspace()
portfolio = ws.config.portfolio(st.session_state["portfolio_id"])
period, org = selected_period(), selected_org()
page_header(ws, portfolio.title, period, org, {m.source.extract for m in portfolio.metrics})
st.markdown(f"**SRO:** {portfolio.sro} · **Clinical lead:** {portfolio.clinical_lead} · "
            f"**CEO sponsor:** {portfolio.ceo_sponsor} · **Intelligence analyst:** {portfolio.analyst}")
path, below = st.columns([3, 2], vertical_alignment="bottom")
with path:
    breadcrumbs(ws, org, key="portfolio-crumb")
with below:
    drill_into(ws, org, key="portfolio-drill")

if portfolio.reconcile:
    reconciliation_banner(ws, portfolio.id)

own_tabs = {}  # tab title → its views, in the order the YAML lists them
for view in portfolio.views:
    own_tabs.setdefault(view.tab_title, []).append(view)
front, grid, charts, *own = st.tabs(["Front sheet", "Scorecard", "Charts", *own_tabs],
                                    key="view", bind="query-params", on_change="rerun")
picked = None
if front.open:
    with front:
        summaries = portfolio_summaries(workspace_key(), portfolio.id, org, period)
        st.table(scoring_table(portfolio, summaries), hide_index=True)
        narratives(portfolio_commentary(ws.config.folder, portfolio.id, period), portfolio)
        focus_metrics(summaries, period)
if grid.open:
    with grid:
        rows = portfolio_scorecard(workspace_key(), portfolio.id, org, period)
        picked = scorecard_grid(rows, portfolio.categories, key="grid")
        missing = [m.label for m in portfolio.metrics if m.id not in {r.metric.id for r in rows}]
        if missing:
            st.caption(f"Not reported for {ws.tree[org].name}: {', '.join(missing)}.")
if charts.open:
    with charts:
        portfolio_charts(ws, portfolio, org, period)
for tab, views in zip(own, own_tabs.values()):  # the portfolio's own views, from its YAML
    if tab.open:
        with tab:
            for view in views:
                if view.title != view.tab_title:
                    st.subheader(view.title)
                portfolio_view(ws, portfolio, view, org, period)

if picked:
    st.switch_page(DEEP_DIVE, query_params=view_params(metric=picked))
