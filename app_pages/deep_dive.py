"""Deep dive: one metric for one organisation (or one member of a breakdown): its figures, its SPC
chart over a display window, against target and plan, its commentary, drill-down, map and data.
``?metric=ID&org=CODE`` reproduces the view; ``&part=dimension:member`` narrows it to one
specialty, test or site of care."""

import streamlit as st

from components import exported
from components.banners import header_columns, title_block
from portfolio.outputs.charts import breakdown_chart, breakdown_key, spc_chart
from components.deep_dive import about_metric, data_table, figures, trajectory_line
from components.filters import quoted, url_synced
from components.maps import map_key, status_map
from components.state import interactive, on_select, presenting, request_drill, selected_org, selected_period, workspace
from portfolio.config.commentary import metric_commentary, written_for
from portfolio.figures.engine import ORG_LEVELS
from portfolio.outputs.formatting import format_target, format_value
from portfolio.config.schema import key_words
from portfolio.figures.judgement import status
from portfolio.config.months import fy_to_date, month_key, month_label, parse_month

ws = workspace()
engine, metrics = ws.engine, ws.config.metrics
period, org = selected_period(), selected_org()
# the metric is chosen in the title band, its title written beside it; while presenting, the link's
title_place, control_place = header_columns() if interactive() else (st.container(), st.container())
with control_place:
    metric_id = url_synced(
        st.selectbox, "Metric", list(metrics), "metric", next(iter(metrics)),
        lambda i: metrics[i].label if i in metrics else f"the metric {i}",
        format_func=lambda i: metrics[i].label, shown=interactive(),
        label_visibility="collapsed")
metric = metrics[metric_id]

# one member of a breakdown (a specialty, a test …), carried in the URL as part=dimension:member
part = None
if asked := st.query_params.get("part"):
    dimension, _, member = asked.partition(":")
    if dimension in metric.drill and dimension not in ORG_LEVELS and engine.available(metric_id, org) and \
            engine.summary(metric_id, org, period, part=(dimension, member)).available:
        part = (dimension, member)
    else:
        st.warning(f"{metric.label} has no figures for {quoted(asked)} here; showing all of it instead.")
        del st.query_params["part"]

title = metric.label + (f": {part[1]}" if part else "")
with title_place:
    title_block(ws, title, period, org, {metric.source.extract})

summary = engine.summary(metric_id, org, period, part=part)
if not summary.available:
    st.caption(f"{metric.label} is not reported for {ws.tree[org].name}. Choose another organisation above.")
    st.stop()


def clear_part() -> None:
    del st.query_params["part"]


if part:
    st.button(f"All {key_words(part[0])}s", key="crumb-part", on_click=clear_part,
              icon=":material/close:", help="Show the whole metric again")

spc = engine.spc(metric_id, org, period, part=part)
series = engine.series(metric_id, org, end=period, part=part)
series = series[series["value"].notna()]
year = [month_key(m) for m in fy_to_date(parse_month(summary.value_period or period))]
figures(summary, list(series.loc[series["period"].isin(year), "value"]))
if spc is not None:
    chart, key = spc_chart(metric, spc.points, series, period, title=f"{title}, {ws.tree[org].name}")
    exported.chart(
        chart, key="spc",
        alt=f"Statistical process control chart of {title} for {ws.tree[org].name}, the last "
            f"{metric.spc_months} months to {month_label(period)}: latest "
            f"{format_value(metric, summary.value)}, target {format_target(metric, summary.target)}.")
    st.caption(key)
trajectory_line(summary)
if note := metric_commentary(ws.config.folder, metric_id, period, org):
    st.subheader("Commentary", anchor=False)
    st.caption(written_for(note, org, ws.tree))
    st.markdown(note.text)  # Markdown only: any HTML in the file is shown as text, never run

levels = engine.drill_levels(metric_id, org, part=part) if interactive() else []  # a slide: figures and chart
if levels:
    st.subheader("Drill down", anchor=False)
    level = url_synced(st.segmented_control, "Break down by", levels, "drill", levels[0],
                       lambda d: f"the breakdown by {key_words(d)}",
                       format_func=lambda d: key_words(d).capitalize()) or levels[0]
    shown_month = summary.value_period or period  # the latest figure's month: earlier for an annual metric
    members = engine.breakdown(metric_id, org, level, shown_month, part=part)
    if members.empty:
        st.caption("No breakdown is reported for this month.")
    else:
        words = key_words(level)
        chosen = exported.chart(
            breakdown_chart(metric, members, selectable=interactive(),
                            title=f"{title} by {words}, {month_label(shown_month)}",
                            target=summary.target and summary.target.value),
            key=f"breakdown-{org}-{level}", on_select=on_select(),
            alt=f"Chart of {title} by {words} for {ws.tree[org].name}, worst first.")
        st.caption(breakdown_key(metric, summary.target.value if summary.target else None, interactive()))
        picked = (chosen if interactive() else {}).get("selection", {}).get("pick") or []
        code = picked[0].get("code") if picked else None
        if code and level in ORG_LEVELS and code in ws.tree and code != org:
            request_drill(code)
        elif code and level not in ORG_LEVELS:
            st.query_params["part"] = f"{level}:{code}"
            st.rerun()
        if level in ("provider", "site"):
            statuses = {m.code: status(metric, m.value, summary.target) for m in members.itertuples()}
            deck = status_map(ws.tree, metric, members, statuses)
            if deck is not None:
                st.pydeck_chart(deck, height=420, key=f"map-{org}-{level}",
                                alt=f"Map of {level}s coloured by {title} against target: blue meets it, "
                                    "orange does not, grey has no target.")
                st.caption(map_key(statuses.values()))

if not presenting():
    st.subheader("Every month", anchor=False)
    data_table(metric, org, series, spc, file_name=f"{metric_id}-{org}{'-' + part[1] if part else ''}-{period}.csv")
    about_metric(metric)
