"""Overview: the summary icon matrix, the exceptions Making Data Count escalates, then every
portfolio's headline metrics."""

from components.banners import page_header
from components.cache import portfolio_summaries, workspace
from components.state import selected_org, selected_period
from components.tiles import matrix_cell, portfolio_tile, show_exceptions, summary_matrix

ws = workspace()
period, org = selected_period(), selected_org()
page_header(ws, ws.config.settings.title, period, org)

portfolios = ws.config.portfolios
summaries = {p.id: portfolio_summaries(ws, p.id, org, period) for p in portfolios}
summary_matrix(portfolios, summaries)
matrix_cell(portfolios, summaries)
show_exceptions(portfolios, summaries)
for portfolio in portfolios:
    portfolio_tile(portfolio, summaries[portfolio.id])
