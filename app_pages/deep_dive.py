"""Deep dive: one metric over time, against target and plan, with its drill-down."""

import streamlit as st

from components.banners import page_header
from components.filters import url_synced
from components.charts import breakdown_chart, trend_chart
from components.metric_views import headline, summary_table
from components.state import ORG_KEY, request_drill, selected_org, selected_period, workspace
from portfolio.formatting import format_target, format_value
from portfolio.periods import month_label, parse_month

ws = workspace()
metrics = ws.config.metrics
with st.columns([3, 2])[0]:
    metric_id = url_synced(
        st.selectbox, "Metric", list(metrics), "metric", next(iter(metrics)),
        lambda i: metrics[i].label if i in metrics else f"the metric '{i}'",
        format_func=lambda i: f"{ws.config.portfolio_of(i).title} · {metrics[i].label}")
metric = metrics[metric_id]
period, org = selected_period(), selected_org()
page_header(ws, metric.label, period, org, {metric.source.extract})

engine = ws.engine
summary = engine.summary(metric_id, org, period)
if not summary.available:
    st.info(f"{metric.label} is not reported for {ws.tree[org].name}. Choose another organisation above.")
    st.stop()


def drill_to(code: str) -> None:
    st.session_state[ORG_KEY] = code


path = [*reversed(engine.tree.ancestors(org)), engine.tree[org]]
if len(path) > 1:  # the drill path, back up to the system
    with st.container(horizontal=True):
        for node in path:
            st.button(node.short_name, key=f"crumb-{node.code}", on_click=drill_to, args=(node.code,),
                      disabled=node.code == org, help=f"Show {node.name}", icon=":material/chevron_right:")

figures = [lambda: headline(summary)]
if summary.fytd is not None:
    figures.append(lambda: st.metric(
        "Financial year to date", format_value(metric, summary.fytd),
        help="April to the reporting month: a sum of monthly totals, or a rate from summed parts."))
if summary.baseline is not None:
    figures.append(lambda: st.metric(
        "Same month of 2019/20", format_value(metric, summary.baseline),
        help="The pre-pandemic baseline the NHS plans against."))
for column, figure in zip(st.columns(3), figures):
    with column:
        figure()

series = engine.series(metric_id, org, end=period)
st.altair_chart(
    trend_chart(metric, series, period), key="trend",
    alt=f"Line chart of {metric.label} for {ws.tree[org].name} by month to {month_label(parse_month(period))}: "
        f"latest {format_value(metric, summary.value)}, target {format_target(metric, summary.target)}.")
st.caption("Blue: actual · red dashed: target · grey dotted: plan · dotted rule: reporting period")

levels = engine.drill_levels(metric_id, org)
if levels:
    st.subheader("Drill down", anchor=False)
    level = url_synced(st.segmented_control, "Break down by", levels, "drill", levels[0], lambda d: f"'{d}'",
                       format_func=lambda d: d.replace("_", " ").capitalize()) or levels[0]
    members = engine.breakdown(metric_id, org, level, summary.value_period or period)
    if members.empty:
        st.info("No breakdown is reported for this month.")
    else:
        selectable = level in ("place", "provider", "site")
        chosen = st.altair_chart(
            breakdown_chart(metric, members, selectable), key=f"breakdown-{org}-{level}",
            on_select="rerun" if selectable else "ignore",
            alt=f"Bar chart of {metric.label} by {level.replace('_', ' ')} for {ws.tree[org].name}.")
        if selectable:
            st.caption("Click a bar to drill into it.")
            picked = (chosen or {}).get("selection", {}).get("pick") or []
            if picked and picked[0].get("code") in ws.tree and picked[0]["code"] != org:
                request_drill(picked[0]["code"])

with st.expander("Definition, targets and source"):
    st.markdown(f"**Definition:** {metric.definition}")
    st.markdown(f"**Unit:** {metric.unit} · **Measure:** {metric.measure.replace('_', ' ')} · "
                f"**Better when:** {metric.improvement} · **Owner:** {metric.owner}")
    for target in metric.targets:
        span = f"{target.valid_from or 'start'} to {target.valid_to or 'now'}"
        st.markdown(f"- Target {format_target(metric, target)} ({target.source}; {span})")
    st.markdown(f"**Extract:** {metric.source.extract}")

st.subheader("Recent months", anchor=False)
recent = [engine.summary(metric_id, org, p) for p in list(series["period"])[-13:]]
st.dataframe(summary_table(recent).drop(columns=["metric_id", "Metric"]).iloc[::-1], hide_index=True, key="recent")
