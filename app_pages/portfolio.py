"""One portfolio: front sheet, scorecard, charts and the portfolio's own views. Every portfolio
uses this page; what it shows comes from the portfolio's definition."""

import streamlit as st

from components import exported
from components.banners import page_header
from components.drill import drill_into
from components.front_sheet import focus_metrics, leads, narratives, scoring_table
from components.portfolio_charts import portfolio_charts
from components.portfolio_views import portfolio_view, view_tabs
from components.position_views import reconciled_note, reconciliation_banner
from components.scorecard_grid import scorecard_grid
from components.state import interactive, portfolio_scorecard, portfolio_summaries, selected_org, selected_period, \
    workspace, workspace_key
from portfolio.config.commentary import portfolio_commentary

ws = workspace()
portfolio = ws.config.portfolio(st.session_state["portfolio_id"])
period, org = selected_period(), selected_org()


def drill() -> None:
    drill_into(ws, org, key="portfolio-drill",
               reported=lambda code: any(ws.engine.available(m.id, code) for m in portfolio.metrics))


page_header(ws, portfolio.title, period, org, {m.source.extract for m in portfolio.metrics},
            aside=drill if interactive() else None,  # presenting: no drilling, so the title has the band
            reported_by=ws.engine.sole_reporter(portfolio.metrics, org))
if portfolio.reconcile:
    reconciliation_banner(portfolio.id)

summaries = portfolio_summaries(workspace_key(), portfolio.id, org, period)
reported = sum(s.available for s in summaries)
if not reported:
    st.caption(f"{portfolio.title} has no figures for {ws.tree[org].name}. Choose another organisation above.")
    st.stop()

def front_sheet() -> None:
    exported.table(scoring_table(portfolio, summaries), "Scoring by category", hide_index=True)
    narratives(ws, portfolio_commentary(ws.config.folder, portfolio.id, period, org), portfolio, org)
    focus_metrics(summaries, period)
    leads(portfolio)


def scorecard() -> None:
    scorecard_grid(portfolio_scorecard(workspace_key(), portfolio.id, org, period), portfolio.categories,
                   portfolio.title)
    if reported < len(summaries):
        st.caption(f"{reported} of the portfolio's {len(summaries)} metrics are reported for {ws.tree[org].name}.")


def own_views(title: str) -> None:
    for view in portfolio.own_tabs[title]:
        portfolio_view(ws, portfolio, view, org, period)


drawn = {"Front sheet": front_sheet, "Scorecard": scorecard, "Charts": lambda: portfolio_charts(ws, portfolio, org, period)}
for title, (tab, is_open) in zip(portfolio.tabs, view_tabs(portfolio.tabs)):
    if is_open:  # only the tab shown is worked out
        with tab:
            drawn.get(title, lambda: own_views(title))()
if portfolio.reconcile:
    reconciled_note(portfolio.id)
