"""A metric's headline figure, and a table of metrics, configured by the summaries they show."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.icons import assurance_svg, data_uri, icon_markdown, variation_svg
from portfolio.engine import MetricSummary
from portfolio.formatting import format_change, format_progress, format_status, format_target, format_value
from portfolio.periods import month_label, parse_month

STATUS_CELL_STYLES = {
    "✔ Met": "background-color: #e6f4ea; color: #0b6b2b",
    "✘ Not met": "background-color: #fde8e8; color: #a4161a; font-weight: 600",
}


def _month(period: str | None) -> str:
    return month_label(parse_month(period)) if period else ""


SPC_WORDS = {
    "common_cause": "Common cause",
    "improvement_high": "Improving (special cause)",
    "improvement_low": "Improving (special cause)",
    "concern_high": "Concern (special cause)",
    "concern_low": "Concern (special cause)",
    "neutral_high": "Special cause, higher",
    "neutral_low": "Special cause, lower",
}
ASSURANCE_WORDS = {"pass": "Will meet target", "fail": "Will miss target", "inconsistent": "Hit and miss"}


def progress_text(summary: MetricSummary) -> str:
    """SPC's reading once there are 15 months; before that, the month-on-month change judged
    against the improvement direction."""
    if summary.judged_by_spc:
        return SPC_WORDS[summary.variation_icon]
    return format_progress(summary.direction, summary.progress)


def change_text(summary: MetricSummary) -> str | None:
    if summary.change is None:
        return None
    text = f"{format_change(summary.metric, summary.change)} vs {_month(summary.previous_period)}"
    # the arrow is drawn by st.metric; the words say whether it is good news
    return f"{text} · {progress_text(summary)}"


def _delta_colour(summary: MetricSummary) -> str:
    if summary.improving:
        return "green"
    return "red" if summary.deteriorating else "gray"


def headline(summary: MetricSummary) -> None:
    """One metric as a large figure: value, change with its improvement-coded meaning, target and,
    from 15 months, the two Making Data Count icons."""
    metric = summary.metric
    figure, icons = st.columns([3, 1]) if summary.judged_by_spc else (st.container(), None)
    figure.metric(
        metric.label,
        format_value(metric, summary.value),
        delta=change_text(summary),
        delta_color=_delta_colour(summary),
        delta_arrow={"up": "up", "down": "down"}.get(summary.direction, "off"),
        help=metric.definition,
    )
    late = f" (latest: {_month(summary.value_period)})" if summary.value_period and summary.value_period != summary.period else ""
    assurance = f" · {ASSURANCE_WORDS[summary.assurance_icon]}" if summary.assurance_icon else ""
    figure.caption(f"Target {format_target(metric, summary.target)} · {format_status(summary.status)}{assurance}{late}")
    if icons is not None:
        icons.markdown(f"{icon_markdown('variation', summary.variation_icon)}  \n"
                       f"{icon_markdown('assurance', summary.assurance_icon)}")


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
            "SPC": data_uri(variation_svg(s.variation_icon)) if s.judged_by_spc else "",
            "Progress": progress_text(s),
            "Assurance": data_uri(assurance_svg(s.assurance_icon)) if s.assurance_icon else "",
            "Target": format_target(metric, s.target),
            "Status": format_status(s.status),
            "Year to date": format_value(metric, s.fytd) if s.fytd is not None else "–",
            "Plan": format_value(metric, s.plan) if s.plan is not None else "–",
            "2019/20": format_value(metric, s.baseline) if s.baseline is not None else "–",
            "metric_id": metric.id,
        })
    return pd.DataFrame(rows)


NARROW = ("Latest", "Change", "Target", "Status", "Year to date", "Plan", "2019/20")
ICON_COLUMNS = {
    "SPC": st.column_config.ImageColumn("SPC", width=40, help="Making Data Count variation icon (15+ months)"),
    "Assurance": st.column_config.ImageColumn("Assured", width=40, help="Making Data Count assurance icon"),
}


def metrics_table(summaries: list[MetricSummary], key: str) -> str | None:
    """A table of metrics; returns the id of the metric whose row was chosen (to open its deep dive)."""
    table = summary_table(summaries)
    shown = table.drop(columns=["metric_id"])
    shown = shown.loc[:, ~shown.isin(["–", ""]).all()]  # leave out empty columns (no plans, say)
    if shown["Month"].nunique() == 1:  # every figure is for the same month: say it once, not per row
        st.caption(f"Figures for {shown['Month'].iloc[0]}")
        shown = shown.drop(columns=["Month"])
    styled = shown.style.map(lambda v: STATUS_CELL_STYLES.get(v, ""), subset=["Status"])
    event = st.dataframe(
        styled, hide_index=True, key=key, on_select="rerun", selection_mode="single-row", lazy=False,
        height=35 * (len(shown) + 1) + 3,
        alt=f"Table of {len(table)} metrics with latest value, change, progress, target and status",
        column_config={"Metric": st.column_config.TextColumn(width=270), **ICON_COLUMNS,
                       **{c: st.column_config.TextColumn(width="small") for c in NARROW}},
    )
    rows = event.selection.rows
    return table.iloc[rows[0]]["metric_id"] if rows else None
