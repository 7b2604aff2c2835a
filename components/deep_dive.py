"""The pieces of a metric's deep dive: its figures and icons, its data, and what the metric is."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from portfolio.outputs.charts import POINT_WORDS
from portfolio.outputs.icons import icon_markdown, icon_words, shown_icons
from components import exported
from components.metric_views import headline
from portfolio.config.schema import Metric
from portfolio.figures.engine import MetricSummary
from portfolio.outputs.exports import safe_csv
from portfolio.outputs.formatting import format_count, format_status, format_target, format_value
from portfolio.figures.suppression import SUPPRESSION
from portfolio.figures.judgement import year_to_date_withheld
from portfolio.outputs.formatting import against_plan
from portfolio.config.months import month_label
from portfolio.figures.spc import SPCResult

BETTER = {"increase": "Higher is better", "decrease": "Lower is better", "neutral": "Neither higher nor lower is better"}


def about_metric(metric: Metric) -> None:
    """The definition, which way is better, every target with its source and months, and the owner."""
    targets = "; ".join(
        f"{format_target(metric, t)} ({t.source}"
        + (f", {_span(t.valid_from, t.valid_to)}" if t.valid_from or t.valid_to else "") + ")"
        for t in metric.targets) or "none set"
    st.subheader("About this metric", anchor=False)
    st.markdown(f"{metric.definition}  \n**{BETTER[metric.improvement]}** · **Targets:** {targets} · "
                f"**Owner:** {metric.owner}")


def _span(start: str | None, end: str | None) -> str:
    show = month_label
    if start and end:
        return f"{show(start)} to {show(end)}"
    return f"from {show(start)}" if start else f"to {show(end)}"


def figures(summary: MetricSummary, year_values: list[float]) -> None:
    """The latest figure, the year to date, the 2019/20 baseline and the two SPC icons with their
    words. ``year_values`` are the months of the financial year: a hidden count among them withholds
    the year to date."""
    metric = summary.metric
    columns = st.columns([3, 2, 2, 3])
    with columns[0]:
        headline(summary, with_icons=False)  # the icons have their own column here
    if summary.fytd is not None:
        withheld = year_to_date_withheld(metric, year_values)
        columns[1].metric("Financial year to date",
                          SUPPRESSION.get().symbol if withheld else format_value(metric, summary.fytd),
                          help="April to the reporting month: a sum of monthly totals, or a rate from summed parts.")
    if summary.baseline is not None:
        columns[2].metric("Same month of 2019/20", format_value(metric, summary.baseline),
                          help="The pre-pandemic baseline the NHS plans against.")
    with columns[3]:
        if summary.judged_by_spc:
            for kind, icon in shown_icons(summary):
                st.markdown(f"{icon_markdown(kind, icon, 36)} {icon_words(kind, icon)}")
            if not summary.assurance_icon:
                st.caption(icon_words("assurance", None))
        else:
            st.caption(f"Too few months for SPC icons: {summary.points} of the 15 needed.")


def trajectory_line(summary: MetricSummary) -> None:
    if summary.plan is None:
        return
    metric = summary.metric
    st.markdown(f"**Plan for {month_label(summary.value_period)}:** {format_value(metric, summary.plan)} · "
                f"**actual** {format_value(metric, summary.value)} · "
                f"**{against_plan(metric, summary.value, summary.variance_to_plan).text}**")


def data_table(metric: Metric, org: str, series: pd.DataFrame, spc: SPCResult | None, file_name: str) -> None:
    """Every month: value, parts, target, status and SPC point type, with a CSV download. (Not
    shown while presenting, so never under the small-number rule of a meeting in public.)"""
    point_types = dict(zip(spc.points["date"], spc.points["point_type"])) if spc is not None else {}
    parts = " (seconds)" if metric.unit == "duration" else ""
    table = pd.DataFrame({
        "Month": [month_label(p) for p in series["period"]],
        "Value": [format_value(metric, v) for v in series["value"]],
        f"Numerator{parts}": [format_count(v) for v in series["numerator"]],
        "Denominator": [format_count(v) for v in series["denominator"]],
        "Target": [format_target(metric, metric.target_for(p, org)) for p in series["period"]],
        "Status": [format_status(status) for status in series["status"]],
        "SPC": [POINT_WORDS.get(point_types.get(p), "") for p in series["period"]],
    }).iloc[::-1]
    if not metric.is_ratio:
        table = table.drop(columns=[f"Numerator{parts}", "Denominator"])
    exported.dataframe(table, f"{metric.label}, month by month", hide_index=True, key="data-table", height=min(420, 35 * (len(table) + 1) + 3))
    raw = series.assign(point_type=series["period"].map(point_types))[
        ["period", "value", "numerator", "denominator", "target", "plan", "point_type"]]
    st.download_button("Download these figures (CSV)", safe_csv(raw), file_name=file_name, mime="text/csv",
                       icon=":material/download:", on_click="ignore")
