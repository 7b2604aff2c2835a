"""The scorecard grid: Category | Metric | Measure | Baseline | each month | Year to date | Target |
Progress | Indicator, as the UEC dashboard prototype lays it out."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.icons import data_uri, variation_svg
from components.marks import MISS, cell_style, marked
from components.state import interactive, on_select
from portfolio.formatting import format_progress, format_target, format_value
from portfolio.periods import month_label, parse_month
from portfolio.scorecard import ScorecardRow



def grid_table(rows: list[ScorecardRow]) -> pd.DataFrame:
    """Every figure written as the board reads it; a month below target carries ✘."""
    table = []
    for row in rows:
        metric = row.metric
        line = {
            "Metric": ("★ " if row.focus else "") + metric.label,
            "Measure": row.measure,
            "2019/20": format_value(metric, row.baseline) if row.baseline is not None else "–",
        }
        for month, (value, status) in row.months.items():
            line[month_label(parse_month(month))] = marked(metric, value, status, show_met=False)
        line.update({
            "Year to date": format_value(metric, row.summary.fytd) if row.summary.fytd is not None else "–",
            "Target": format_target(metric, row.summary.target),
            "Progress": format_progress(row.summary.direction, row.summary.progress),  # on the month before
            "Indicator": data_uri(variation_svg(row.summary.variation_icon)) if row.summary.judged_by_spc else "",
            "metric_id": metric.id,
        })
        table.append(line)
    return pd.DataFrame(table)


def scorecard_grid(rows: list[ScorecardRow], categories: list[str], key: str) -> str | None:
    """One grid per category; returns the id of the metric whose row was chosen."""
    picked = None
    for category in categories:
        in_category = [r for r in rows if r.metric.category == category]
        if not in_category:
            continue
        st.markdown(f"**{category}**")
        table = grid_table(in_category)
        shown = table.drop(columns=["metric_id"])
        months = [c for c in shown.columns if c[:3].isalpha() and c[3:4] == "-"]
        styled = shown.style.map(cell_style, subset=months)
        event = st.dataframe(
            styled, hide_index=True, key=f"{key}-{category}", on_select=on_select(), selection_mode="single-row",
            lazy=False, height=35 * (len(shown) + 1) + 3,
            alt=f"{category}: {len(shown)} metrics by month, with target, progress and SPC indicator",
            column_config={
                "Metric": st.column_config.TextColumn(width=250),
                "Measure": st.column_config.TextColumn(width=95),
                "Progress": st.column_config.TextColumn(width=125),
                "Indicator": st.column_config.ImageColumn("SPC", width=40, help="Making Data Count variation icon"),
                **{c: st.column_config.TextColumn(width=74) for c in [*months, "2019/20", "Target"]},
                "Year to date": st.column_config.TextColumn(width=100),  # a year's money is wider than a month's
            },
        )
        if interactive() and event.selection.rows:
            picked = table.iloc[event.selection.rows[0]]["metric_id"]
    st.caption(f"{MISS} and red shading: below target · ★ focus metric this month · – no data · "
               "2019/20: a typical month of that year · Progress: on the month before, judged by which way is "
               "better · SPC: the Making Data Count variation icon · choose a row to open its deep dive")
    return picked
