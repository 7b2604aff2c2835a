"""The charts a portfolio's definition asks for, drawn for the organisations within the selected one."""

from __future__ import annotations

import streamlit as st

from components import exported
from components.routes import page
from components.state import interactive, on_select, request_drill, view_params
from portfolio.config.months import Month
from portfolio.config.schema import ORG_LEVELS, ChartSpec, Portfolio, key_words
from portfolio.figures.workspace import Workspace
from portfolio.outputs.charts import breakdown_chart, breakdown_key, member_trend_chart
from portfolio.outputs.links import DEEP_DIVE


def portfolio_charts(ws: Workspace, portfolio: Portfolio, org: str, period: str) -> None:
    for number, spec in enumerate(portfolio.charts):
        if spec.kind == "trend":
            _trend(ws, spec, org, period)
        else:
            _latest(ws, spec, org, period, key=f"chart-{number}-{org}")


def _trend(ws: Workspace, spec: ChartSpec, org: str, period: str) -> None:
    engine, metric = ws.engine, ws.config.metrics[spec.metric]
    start = Month(period) - (spec.months - 1)
    lines = (engine.member_series(spec.metric, org, spec.by, start=start, end=period) if spec.by in ORG_LEVELS
             else engine.breakdown_series(spec.metric, org, spec.by, start=start, end=period))
    if lines.empty:
        st.caption(f"{spec.title}: {metric.label} is not reported by {key_words(spec.by)} within {ws.tree[org].name}.")
        return
    whole = engine.series(spec.metric, org, start=start, end=period).set_index("period")
    exported.chart(member_trend_chart(metric, lines, whole["target"], whole["plan"],
                                       title=f"{spec.title}, {spec.months} months to {Month(period).label}"),
                    alt=f"Line chart of {metric.label} for each {key_words(spec.by)} within {ws.tree[org].name} over "
                        f"{spec.months} months, with the target.")


def _latest(ws: Workspace, spec: ChartSpec, org: str, period: str, key: str) -> None:
    engine, metric = ws.engine, ws.config.metrics[spec.metric]
    members = engine.breakdown(spec.metric, org, spec.by, period)
    if members.empty:
        st.caption(f"{spec.title}: {metric.label} is not reported by {key_words(spec.by)} within {ws.tree[org].name} "
                   "this month.")
        return
    target = metric.target_for(period)
    chosen = exported.chart(
        breakdown_chart(metric, members, selectable=interactive(), title=f"{spec.title}, {Month(period).label}",
                        target=target.value if target else None), key=key, on_select=on_select(),
        alt=f"Chart of {metric.label} for each {key_words(spec.by)} within {ws.tree[org].name}, worst first.")
    st.caption(breakdown_key(metric, target.value if target else None, interactive()))
    picked = (chosen if interactive() else {}).get("selection", {}).get("pick") or []
    code = picked[0].get("code") if picked else None
    if code and spec.by in ORG_LEVELS and code in ws.tree and code != org:
        request_drill(code)
    elif code and spec.by not in ORG_LEVELS:  # a specialty, a test …: its own deep dive
        st.switch_page(page(DEEP_DIVE), query_params=view_params(metric=spec.metric, part=f"{spec.by}:{code}"))
