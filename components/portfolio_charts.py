"""The charts a portfolio's YAML asks for, drawn for the organisations within the selected one."""

from __future__ import annotations

import streamlit as st

from components.charts import breakdown_chart, member_trend_chart
from components.state import request_drill
from portfolio.config import ChartSpec, Portfolio
from portfolio.periods import month_key, parse_month
from portfolio.workspace import Workspace


def portfolio_charts(ws: Workspace, portfolio: Portfolio, org: str, period: str) -> None:
    if not portfolio.charts:
        st.info("This portfolio's YAML file asks for no charts (see `charts:` in docs/configuration.md).")
    for number, spec in enumerate(portfolio.charts):
        st.subheader(spec.title, anchor=False)
        if spec.kind == "trend":
            _trend(ws, spec, org, period)
        else:
            _latest(ws, spec, org, period, key=f"chart-{number}-{org}")


def _trend(ws: Workspace, spec: ChartSpec, org: str, period: str) -> None:
    engine, metric = ws.engine, ws.config.metrics[spec.metric]
    start = month_key(parse_month(period) - (spec.months - 1))
    lines = engine.member_series(spec.metric, org, spec.by, start=start, end=period)
    if lines.empty:
        st.info(f"{metric.label} is not reported by {spec.by} within {ws.tree[org].name}.")
        return
    system = engine.series(spec.metric, org, start=start, end=period).set_index("period")
    st.altair_chart(member_trend_chart(metric, lines, system["target"], system["plan"]),
                    alt=f"Line chart of {metric.label} for each {spec.by} within {ws.tree[org].name} over "
                        f"{spec.months} months, with the target.")
    st.caption("Red dashed: target · grey dotted: plan for the whole organisation")


def _latest(ws: Workspace, spec: ChartSpec, org: str, period: str, key: str) -> None:
    engine, metric = ws.engine, ws.config.metrics[spec.metric]
    members = engine.breakdown(spec.metric, org, spec.by, period)
    if members.empty:
        st.info(f"{metric.label} is not reported by {spec.by} within {ws.tree[org].name} this month.")
        return
    target = metric.target_for(period)
    chosen = st.altair_chart(
        breakdown_chart(metric, members, selectable=True, target=target.value if target else None), key=key,
        on_select="rerun", alt=f"Bar chart of {metric.label} for each {spec.by} within {ws.tree[org].name}, worst first.")
    st.caption("Worst first; red dashed: target. Click one to drill into it.")
    picked = (chosen or {}).get("selection", {}).get("pick") or []
    if picked and picked[0].get("code") in ws.tree and picked[0]["code"] != org:
        request_drill(picked[0]["code"])
