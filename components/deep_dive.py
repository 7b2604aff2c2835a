"""The pieces of a metric's deep dive, in the order the page draws them: the choice of metric and
of one member of a breakdown, its figures and icons, its SPC chart, its commentary, the drill-down
(a chart of the members, a map of providers or sites), its data, and what the metric is."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import exported
from components.filters import quoted, url_synced
from components.maps import map_key, status_map
from components.metric_views import headline
from components.state import interactive, on_select, request_drill
from portfolio.config.commentary import metric_commentary, written_for
from portfolio.config.months import Month
from portfolio.config.schema import ORG_LEVELS, Metric, key_words
from portfolio.figures.engine import Engine
from portfolio.figures.judgement import status, year_to_date_withheld
from portfolio.figures.spc import SPCResult
from portfolio.figures.summaries import MetricSummary
from portfolio.figures.suppression import SUPPRESSION
from portfolio.figures.workspace import Workspace
from portfolio.outputs.charts import POINT_WORDS, breakdown_chart, breakdown_key, spc_chart
from portfolio.outputs.exports import safe_csv
from portfolio.outputs.formatting import against_plan, format_count, format_status, format_target, format_value
from portfolio.outputs.icons import icon_markdown, icon_words, shown_icons

BETTER = {"increase": "Higher is better", "decrease": "Lower is better", "neutral": "Neither higher nor lower is better"}


def choose_metric(metrics: dict[str, Metric]) -> Metric:
    """The metric the link names (``?metric=ID``), chosen in the title band while clicks may move
    the view."""
    metric_id = url_synced(
        st.selectbox, "Metric", list(metrics), "metric", next(iter(metrics)),
        lambda i: metrics[i].label if i in metrics else f"the metric {i}",
        format_func=lambda i: metrics[i].label, shown=interactive(),
        label_visibility="collapsed")
    return metrics[metric_id]


def chosen_part(engine: Engine, metric: Metric, org: str, period: str) -> tuple[str, str] | None:
    """One member of a breakdown (a specialty, a test …), carried in the URL as part=dimension:member;
    a part the metric has no figures for is said, and dropped from the URL."""
    asked = st.query_params.get("part")
    if not asked:
        return None
    dimension, _, member = asked.partition(":")
    if dimension in metric.drill and dimension not in ORG_LEVELS and engine.available(metric.id, org) and \
            engine.summary(metric.id, org, period, part=(dimension, member)).available:
        return dimension, member
    st.warning(f"{metric.label} has no figures for {quoted(asked)} here; showing all of it instead.")
    del st.query_params["part"]
    return None


def _clear_part() -> None:
    del st.query_params["part"]


def part_crumb(part: tuple[str, str]) -> None:
    """A button back to the whole metric."""
    st.button(f"All {key_words(part[0])}s", key="crumb-part", on_click=_clear_part,
              icon=":material/close:", help="Show the whole metric again")


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
    if start and end:
        return f"{Month(start).label} to {Month(end).label}"
    return f"from {Month(start).label}" if start else f"to {Month(end).label}"


def figures(summary: MetricSummary, series: pd.DataFrame) -> None:
    """The latest figure, the year to date, the 2019/20 baseline and the two SPC icons with their
    words. A hidden count among ``series``' months of the financial year withholds the year to date."""
    metric = summary.metric
    year = Month(summary.value_period or summary.period).fy_to_date()
    year_values = list(series.loc[series["period"].isin(year), "value"])
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


def chart_of(ws: Workspace, summary: MetricSummary, spc: SPCResult | None, series: pd.DataFrame, title: str) -> None:
    """The SPC chart of the display window and its key; nothing with too few months."""
    if spc is None:
        return
    metric, org, period = summary.metric, summary.org_code, summary.period
    chart, key = spc_chart(metric, spc.points, series, period, title=f"{title}, {ws.tree[org].name}")
    exported.chart(
        chart, key="spc",
        alt=f"Statistical process control chart of {title} for {ws.tree[org].name}, the last "
            f"{metric.spc_months} months to {Month(period).label}: latest "
            f"{format_value(metric, summary.value)}, target {format_target(metric, summary.target)}.")
    st.caption(key)


def commentary(ws: Workspace, metric_id: str, period: str, org: str) -> None:
    if note := metric_commentary(ws.config.folder, metric_id, period, org):
        st.subheader("Commentary", anchor=False)
        st.caption(written_for(note, org, ws.tree))
        st.markdown(note.text)  # Markdown only: any HTML in the file is shown as text, never run


def drill_down(ws: Workspace, summary: MetricSummary, part: tuple[str, str] | None, title: str) -> None:
    """The metric broken down by a level (provider, site, specialty …) in the latest figure's month
    (earlier for an annual metric), worst first; choosing an organisation drills into it, choosing
    another member opens its own deep dive; providers and sites are mapped too."""
    metric, org = summary.metric, summary.org_code
    levels = ws.engine.drill_levels(metric.id, org, part=part)
    if not levels:
        return
    st.subheader("Drill down", anchor=False)
    level = url_synced(st.segmented_control, "Break down by", levels, "drill", levels[0],
                       lambda d: f"the breakdown by {key_words(d)}",
                       format_func=lambda d: key_words(d).capitalize()) or levels[0]
    shown_month = summary.value_period or summary.period
    members = ws.engine.breakdown(metric.id, org, level, shown_month, part=part)
    if members.empty:
        st.caption("No breakdown is reported for this month.")
        return
    words = key_words(level)
    target = summary.target.value if summary.target else None
    chosen = exported.chart(
        breakdown_chart(metric, members, selectable=True, title=f"{title} by {words}, {Month(shown_month).label}",
                        target=target),
        key=f"breakdown-{org}-{level}", on_select=on_select(),
        alt=f"Chart of {title} by {words} for {ws.tree[org].name}, worst first.")
    st.caption(breakdown_key(metric, target, True))
    picked = chosen.get("selection", {}).get("pick") or []
    code = picked[0].get("code") if picked else None
    if code and level in ORG_LEVELS and code in ws.tree and code != org:
        request_drill(code)
    elif code and level not in ORG_LEVELS:
        st.query_params["part"] = f"{level}:{code}"
        st.rerun()
    if level in ("provider", "site"):
        _status_map(ws, summary, members, level, title)


def _status_map(ws: Workspace, summary: MetricSummary, members: pd.DataFrame, level: str, title: str) -> None:
    """The providers or sites on a map, coloured by their figure against the organisation's target."""
    metric, org = summary.metric, summary.org_code
    statuses = {m.code: status(metric, m.value, summary.target) for m in members.itertuples()}
    deck = status_map(ws.tree, metric, members, statuses)
    if deck is not None:
        st.pydeck_chart(deck, height=420, key=f"map-{org}-{level}",
                        alt=f"Map of {level}s coloured by {title} against target: blue meets it, "
                            "orange does not, grey has no target.")
        st.caption(map_key(statuses.values()))


def trajectory_line(summary: MetricSummary) -> None:
    if summary.plan is None:
        return
    metric = summary.metric
    st.markdown(f"**Plan for {Month(summary.value_period).label}:** {format_value(metric, summary.plan)} · "
                f"**actual** {format_value(metric, summary.value)} · "
                f"**{against_plan(metric, summary.value, summary.variance_to_plan).text}**")


def data_table(metric: Metric, org: str, series: pd.DataFrame, spc: SPCResult | None, file_name: str) -> None:
    """Every month: value, parts, target, status and SPC point type, with a CSV download. (Not
    shown while presenting, so never under the small-number rule of a meeting in public.)"""
    point_types = dict(zip(spc.points["date"], spc.points["point_type"])) if spc is not None else {}
    parts = " (seconds)" if metric.unit == "duration" else ""
    table = pd.DataFrame({
        "Month": [Month(p).label for p in series["period"]],
        "Value": [format_value(metric, v) for v in series["value"]],
        f"Numerator{parts}": [format_count(v) for v in series["numerator"]],
        "Denominator": [format_count(v) for v in series["denominator"]],
        "Target": [format_target(metric, metric.target_for(p, org)) for p in series["period"]],
        "Status": [format_status(status) for status in series["status"]],
        "SPC": [POINT_WORDS.get(point_types.get(p), "") for p in series["period"]],
    }).iloc[::-1]
    if not metric.is_ratio:
        table = table.drop(columns=[f"Numerator{parts}", "Denominator"])
    # Streamlit's own height ("auto"): every row up to ten, then a scrolling table
    exported.dataframe(table, f"{metric.label}, month by month", hide_index=True, key="data-table")
    raw = series.assign(point_type=series["period"].map(point_types))[
        ["period", "value", "numerator", "denominator", "target", "plan", "point_type"]]
    st.download_button("Download these figures (CSV)", safe_csv(raw), file_name=file_name, mime="text/csv",
                       icon=":material/download:", on_click="ignore")
