"""One portfolio: front sheet, scorecard, charts and the portfolio's own views. Every portfolio's
page is ``portfolio_page`` bound to its id (``components.routes``); what it shows comes from the
portfolio's definition."""

import streamlit as st

from components import exported
from components.banners import page_header
from components.cache import portfolio_scorecard, portfolio_summaries, workspace
from components.drill import drill_into
from components.front_sheet import focus_metrics, leads, narratives, scoring_table
from components.portfolio_charts import portfolio_charts
from components.portfolio_views import portfolio_view, view_tabs
from components.position_views import reconciled_note, reconciliation_banner
from components.scorecard_grid import scorecard_grid
from components.state import interactive, selected_org, selected_period
from portfolio.config.commentary import portfolio_commentary
from portfolio.config.schema import Portfolio
from portfolio.figures.summaries import MetricSummary
from portfolio.figures.workspace import Workspace


def portfolio_page(portfolio_id: str) -> None:
    ws = workspace()
    portfolio = ws.config.portfolio(portfolio_id)
    period, org = selected_period(), selected_org()

    def drill() -> None:
        drill_into(ws, org, key="portfolio-drill",
                   reported=lambda code: any(ws.engine.available(m.id, code) for m in portfolio.metrics))

    page_header(ws, portfolio.title, period, org, {m.source.extract for m in portfolio.metrics},
                aside=drill if interactive() else None,  # presenting: no drilling, so the title has the band
                reported_by=ws.engine.sole_reporter(portfolio.metrics, org))
    if portfolio.reconcile:
        reconciliation_banner(ws, portfolio.id)
    summaries = portfolio_summaries(ws, portfolio.id, org, period)
    if not any(s.available for s in summaries):
        st.caption(f"{portfolio.title} has no figures for {ws.tree[org].name}. Choose another organisation above.")
        st.stop()
    for title, (tab, is_open) in zip(portfolio.tabs, view_tabs(portfolio.tabs)):
        if is_open:  # only the tab shown is worked out
            with tab:
                _tab(ws, portfolio, title, summaries, org, period)
    if portfolio.reconcile:
        reconciled_note(ws, portfolio.id)


def _tab(ws: Workspace, portfolio: Portfolio, title: str, summaries: list[MetricSummary], org: str,
         period: str) -> None:
    if title == "Front sheet":
        exported.table(scoring_table(portfolio, summaries), "Scoring by category", hide_index=True)
        narratives(ws, portfolio_commentary(ws.config.folder, portfolio.id, period, org), portfolio, org)
        focus_metrics(summaries, period)
        leads(portfolio)
    elif title == "Scorecard":
        scorecard_grid(portfolio_scorecard(ws, portfolio.id, org, period), portfolio.categories, portfolio.title)
        reported = sum(s.available for s in summaries)
        if reported < len(summaries):
            st.caption(f"{reported} of the portfolio's {len(summaries)} metrics are reported for "
                       f"{ws.tree[org].name}.")
    elif title == "Charts":
        portfolio_charts(ws, portfolio, org, period)
    else:
        for view in portfolio.own_tabs[title]:
            portfolio_view(ws, portfolio, view, org, period)
