"""Overview: every portfolio at a glance, exceptions first."""

import streamlit as st

from components.banners import page_header
from components.state import portfolio_summaries, selected_org, selected_period, workspace, workspace_key
from components.tiles import portfolio_tile, show_exceptions

ws = workspace()
period, org = selected_period(), selected_org()
page_header(ws, ws.config.settings.title, period, org)

summaries = {p.id: portfolio_summaries(workspace_key(), p.id, org, period) for p in ws.config.portfolios}
exceptions = [(p, s) for p in ws.config.portfolios for s in summaries[p.id] if s.exception]

st.subheader("Exceptions: not meeting target and deteriorating", anchor=False)
if exceptions:
    show_exceptions(exceptions)
else:
    st.success("No metric is both below target and deteriorating this month.", icon=":material/check_circle:")

for portfolio in ws.config.portfolios:
    portfolio_tile(portfolio, summaries[portfolio.id])
