"""The overview's pieces: the summary icon matrix an IPR opens with, the metrics in one of its
cells, the exceptions Making Data Count escalates, and a tile for each portfolio."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from components.html_table import Cell, html_table, table_html
from components.marks import marked_cell
from components.metric_views import headline
from components.routes import page
from components.state import interactive, link, view_params
from portfolio.config.schema import Portfolio
from portfolio.figures.judgement import (ASSURANCE_GROUPS, ESCALATIONS, MATRIX_CELLS, NOT_MET, VARIATION_GROUPS, counts,
                                         exceptions, icon_matrix, outside_the_matrix)
from portfolio.figures.summaries import MetricSummary
from portfolio.outputs.formatting import change, format_target
from portfolio.outputs.icons import assurance_svg, group_svg, icon_pairs
from portfolio.outputs.links import DEEP_DIVE, OVERVIEW, portfolio_path

MATRIX_KEY = "matrix"  # ?matrix=portfolio.variation.assurance lists the metrics of one cell


def _assurance_header(group: str, compact: bool) -> Cell:
    """An assurance column's heading: its icon and words; ``compact``, the icon alone (its words
    are its text alternative)."""
    icons = ((assurance_svg(group), ASSURANCE_GROUPS[group]),) if group != "no_target" else ()
    return Cell("" if compact and icons else ASSURANCE_GROUPS[group], icons=icons)


def summary_matrix(portfolios: list[Portfolio], summaries: dict[str, list[MetricSummary]]) -> None:
    html_table(**matrix_table(portfolios, summaries))


def matrix_html(portfolios: list[Portfolio], summaries: dict[str, list[MetricSummary]], compact: bool = False) -> str:
    return table_html(**matrix_table(portfolios, summaries, compact))


def matrix_table(portfolios: list[Portfolio], summaries: dict[str, list[MetricSummary]], compact: bool = False) -> dict:
    """Per portfolio, how many metrics sit in each cell of variation × assurance; each count links
    to the list of its metrics. Metrics with too few months for SPC are counted apart. ``compact``
    (a slide) heads the assurance columns with their icons alone."""
    groups = [(Cell(VARIATION_GROUPS[v], icons=((group_svg(v), VARIATION_GROUPS[v]),)),
               sum(1 for variation, _ in MATRIX_CELLS if variation == v)) for v in VARIATION_GROUPS]
    header = [Cell("Portfolio"), *(_assurance_header(a, compact) for _, a in MATRIX_CELLS),
              Cell("Too few months" if compact else "Too few months for SPC")]
    rows = []
    for portfolio in portfolios:
        cells = icon_matrix(summaries[portfolio.id])
        row = [Cell(portfolio.title, link=link(portfolio_path(portfolio.id)))]
        for variation, assurance in MATRIX_CELLS:
            found = len(cells[(variation, assurance)])
            words = f"{found} {portfolio.title} metrics: {VARIATION_GROUPS[variation]}, {ASSURANCE_GROUPS[assurance]}"
            row.append(Cell(str(found), help=words, tone="miss" if found and (variation, assurance) == ("concern", "fail")
                            else None, link=link(OVERVIEW, **{MATRIX_KEY: f"{portfolio.id}.{variation}.{assurance}"})
                            if found else None))
        row.append(Cell(str(outside_the_matrix(summaries[portfolio.id]))))
        rows.append(row)
    return {"columns": header, "groups": [(None, rows)], "matrix": True,
            "caption": "Variation and assurance: how many metrics in each (Making Data Count)",
            "header_groups": [(Cell(""), 1), *groups, (Cell(""), 1)]}


def matrix_cell(portfolios: list[Portfolio], summaries: dict[str, list[MetricSummary]]) -> None:
    """The metrics of the matrix cell the link asked for, below the matrix."""
    asked = st.query_params.get(MATRIX_KEY)
    if not asked:
        return
    portfolio_id, _, rest = asked.partition(".")
    variation, _, assurance = rest.partition(".")
    portfolio = next((p for p in portfolios if p.id == portfolio_id), None)
    if portfolio is None or (variation, assurance) not in MATRIX_CELLS:
        st.caption("That part of the summary is not in this dashboard.")
        return
    chosen = icon_matrix(summaries[portfolio.id])[(variation, assurance)]
    title = f"{portfolio.title}: {VARIATION_GROUPS[variation].lower()}, {ASSURANCE_GROUPS[assurance].lower()}"
    metric_table(title, [(portfolio, s) for s in chosen])
    if interactive():
        st.page_link(page(OVERVIEW), label="Close this list", icon=":material/close:",
                     query_params=view_params())


def _metric_row(portfolio: Portfolio, s: MetricSummary) -> list[Cell]:
    metric = s.metric
    return [Cell(metric.label, link=link(DEEP_DIVE, metric=metric.id)),
            Cell(portfolio.title),
            replace(marked_cell(metric, s.value, s.status, s.target, show_met=False), keep=True),
            Cell(format_target(metric, s.target), keep=True),
            Cell(change(s).text or "–"),
            Cell("" if s.judged_by_spc else "–", icons=icon_pairs(s))]


METRIC_COLUMNS = ["Metric", "Portfolio", "Latest", "Target", "Change", "SPC"]


def metric_table(caption: str, items: list[tuple[Portfolio, MetricSummary]]) -> None:
    """Metrics with their latest figure, target, the month's change and the SPC icons, each name a
    link to its deep dive."""
    html_table(METRIC_COLUMNS, [(None, [_metric_row(p, s) for p, s in items])], caption=caption)


def show_exceptions(portfolios: list[Portfolio], summaries: dict[str, list[MetricSummary]]) -> None:
    """Every metric Making Data Count escalates, grouped by why, most serious first; a green line
    only when there is none."""
    if (table := exceptions_table(portfolios, summaries)) is None:
        st.success("No metric shows special cause concern or will consistently miss its target, and no metric "
                   "with too few months for SPC is both below target and worse than last month.",
                   icon=":material/check_circle:")
        return
    html_table(**table)


def exceptions_html(portfolios: list[Portfolio], summaries: dict[str, list[MetricSummary]],
                    rows: tuple[int, int] | None = None) -> str | None:
    table = exceptions_table(portfolios, summaries, rows)
    return table_html(**table) if table else None


def exceptions_table(portfolios: list[Portfolio], summaries: dict[str, list[MetricSummary]],
                     rows: tuple[int, int] | None = None) -> dict | None:
    """The exceptions as a table grouped by why (only ``rows``, [first, last), of them where a
    slide shows part); None when there is none."""
    portfolio_of = {s.metric.id: p for p in portfolios for s in summaries[p.id]}
    found = exceptions([s for p in portfolios for s in summaries[p.id]])
    if not found:
        return None
    shown = found[slice(*rows)] if rows else found
    groups = [(f"{reason} ({sum(why == reason for _, why in found)})", lines) for reason in ESCALATIONS
              if (lines := [_metric_row(portfolio_of[s.metric.id], s) for s, why in shown if why == reason])]
    return {"columns": METRIC_COLUMNS, "groups": groups,
            "caption": f"Exceptions: {len(found)} metric{'s' if len(found) != 1 else ''} escalated, most serious first"}


def portfolio_tile(portfolio: Portfolio, summaries: list[MetricSummary]) -> None:
    by_id = {s.metric.id: s for s in summaries}
    score = counts(summaries)
    with st.container(border=True):
        title, go = st.columns([4, 1], vertical_alignment="center")
        title.subheader(portfolio.title, anchor=False)
        if interactive():
            go.page_link(page(portfolio_path(portfolio.id)), label="Open portfolio",
                         icon=":material/arrow_forward:", query_params=view_params())
        st.caption(f"SRO: {portfolio.sro} · **{score[NOT_MET]} of {score['metrics']} metrics not meeting target** · "
                   f"{score['exceptions']} exception{'s' if score['exceptions'] != 1 else ''}")
        shown = [by_id[m.id] for m in portfolio.headline_metrics if by_id[m.id].available]
        if not shown:
            st.caption("None of this portfolio's headline metrics is reported for this organisation.")
        for first in range(0, len(shown), 2):  # two to a row, so labels and changes are read in full
            for column, summary in zip(st.columns(2), shown[first:first + 2]):
                with column:
                    headline(summary)
                    if interactive():
                        st.page_link(page(DEEP_DIVE), label=f"Deep dive: {summary.metric.label}",
                                     icon=":material/query_stats:", query_params=view_params(metric=summary.metric.id))
