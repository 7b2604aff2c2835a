"""A metric's headline figure, and a table of metrics, configured by the summaries they show."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from portfolio.engine import MetricSummary
from portfolio.formatting import PROGRESS_WORDS, format_change, format_progress, format_status, format_target, format_value
from portfolio.periods import month_label, parse_month

PROGRESS_COLOURS = {"improving": "green", "deteriorating": "red"}
STATUS_CELL_STYLES = {
    "✔ Met": "background-color: #e6f4ea; color: #0b6b2b",
    "✘ Not met": "background-color: #fde8e8; color: #a4161a; font-weight: 600",
}


def _month(period: str | None) -> str:
    return month_label(parse_month(period)) if period else ""


def change_text(summary: MetricSummary) -> str | None:
    if summary.change is None:
        return None
    # the arrow is drawn by st.metric; the word says whether the change is good news
    return (f"{format_change(summary.metric, summary.change)} vs {_month(summary.previous_period)} · "
            f"{PROGRESS_WORDS[summary.progress]}")


def headline(summary: MetricSummary) -> None:
    """One metric as a large figure: value, change with its improvement-coded meaning, target."""
    metric = summary.metric
    st.metric(
        metric.label,
        format_value(metric, summary.value),
        delta=change_text(summary),
        delta_color=PROGRESS_COLOURS.get(summary.progress, "gray"),
        delta_arrow={"up": "up", "down": "down"}.get(summary.direction, "off"),
        help=metric.definition,
    )
    late = f" (latest: {_month(summary.value_period)})" if summary.value_period and summary.value_period != summary.period else ""
    st.caption(f"Target {format_target(metric, summary.target)} · {format_status(summary.status)}{late}")


def summary_table(summaries: list[MetricSummary]) -> pd.DataFrame:
    """The rows of a portfolio table: every figure already written as the board reads it."""
    rows = []
    for s in summaries:
        metric = s.metric
        month = _month(s.value_period) or _month(s.period)
        if s.data_status and s.data_status != "validated":
            month += f" ({s.data_status})"
        rows.append({
            "Metric": metric.label,
            "Month": month,
            "Latest": format_value(metric, s.value),
            "Change": format_change(metric, s.change) if s.change is not None else "–",
            "Progress": format_progress(s.direction, s.progress),
            "Target": format_target(metric, s.target),
            "Status": format_status(s.status),
            "Year to date": format_value(metric, s.fytd) if s.fytd is not None else "–",
            "Plan": format_value(metric, s.plan) if s.plan is not None else "–",
            "2019/20": format_value(metric, s.baseline) if s.baseline is not None else "–",
            "metric_id": metric.id,
        })
    return pd.DataFrame(rows)


NARROW = ("Latest", "Change", "Target", "Status", "Year to date", "Plan", "2019/20")


def metrics_table(summaries: list[MetricSummary], key: str) -> str | None:
    """A table of metrics; returns the id of the metric whose row was chosen (to open its deep dive)."""
    table = summary_table(summaries)
    shown = table.drop(columns=["metric_id"])
    shown = shown.loc[:, ~(shown == "–").all()]  # leave out columns with nothing in them (no plans, say)
    if shown["Month"].nunique() == 1:  # every figure is for the same month: say it once, not per row
        st.caption(f"Figures for {shown['Month'].iloc[0]}")
        shown = shown.drop(columns=["Month"])
    styled = shown.style.map(lambda v: STATUS_CELL_STYLES.get(v, ""), subset=["Status"])
    event = st.dataframe(
        styled, hide_index=True, key=key, on_select="rerun", selection_mode="single-row", lazy=False,
        height=35 * (len(shown) + 1) + 3,
        alt=f"Table of {len(table)} metrics with latest value, change, progress, target and status",
        column_config={"Metric": st.column_config.TextColumn(width="large"),
                       **{c: st.column_config.TextColumn(width="small") for c in NARROW}},
    )
    rows = event.selection.rows
    return table.iloc[rows[0]]["metric_id"] if rows else None
