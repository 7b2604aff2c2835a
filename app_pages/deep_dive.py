"""Deep dive: one metric for one organisation (or one member of a breakdown): its figures, its SPC
chart over a display window, against target and plan, its commentary, drill-down, map and data.
``?metric=ID&org=CODE`` reproduces the view; ``&part=dimension:member`` narrows it to one
specialty, test or site of care."""

import streamlit as st

from components.banners import header_columns, title_block
from components.cache import workspace
from components.deep_dive import (about_metric, chart_of, choose_metric, chosen_part, commentary, data_table,
                                  drill_down, figures, part_crumb, trajectory_line)
from components.state import interactive, presenting, selected_org, selected_period

ws = workspace()
period, org = selected_period(), selected_org()
# the metric is chosen in the title band, its title written beside it; while presenting, the link's
title_place, control_place = header_columns() if interactive() else (st.container(), st.container())
with control_place:
    metric = choose_metric(ws.config.metrics)
part = chosen_part(ws.engine, metric, org, period)
title = metric.label + (f": {part[1]}" if part else "")
with title_place:
    title_block(ws, title, period, org, {metric.source.extract})

summary = ws.engine.summary(metric.id, org, period, part=part)
if not summary.available:
    st.caption(f"{metric.label} is not reported for {ws.tree[org].name}. Choose another organisation above.")
    st.stop()
if part:
    part_crumb(part)
spc = ws.engine.spc(metric.id, org, period, part=part)
series = ws.engine.series(metric.id, org, end=period, part=part)
series = series[series["value"].notna()]
figures(summary, series)
chart_of(ws, summary, spc, series, title)
trajectory_line(summary)
commentary(ws, metric.id, period, org)
if interactive():  # a slide: figures and chart
    drill_down(ws, summary, part, title)
if not presenting():
    st.subheader("Every month", anchor=False)
    data_table(metric, org, series, spc, file_name=f"{metric.id}-{org}{'-' + part[1] if part else ''}-{period}.csv")
    about_metric(metric)
