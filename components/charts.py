"""Altair charts fed with pre-aggregated rows only."""

from __future__ import annotations

import altair as alt
import pandas as pd

from portfolio.config import Metric
from portfolio.formatting import format_value

NHS_BLUE = "#005EB8"
TARGET_RED = "#D5281B"
PLAN_GREY = "#768692"


def chart_units(metric: Metric) -> tuple[float, str]:
    """Divide stored values by this to plot them, and the axis title that goes with it."""
    if metric.unit == "duration":
        return 60.0, "minutes"
    if metric.unit == "gbp":
        return 1000.0, "£m"
    return 1.0, {"percent": "%", "days": "days"}.get(metric.unit, None)


def trend_chart(metric: Metric, series: pd.DataFrame, period: str) -> alt.LayerChart:
    """Value by month with its target and plan, the reporting period marked."""
    factor, axis_title = chart_units(metric)
    frame = series.assign(
        month=pd.to_datetime(series["period"]),
        actual=series["value"] / factor,
        target_line=series["target"] / factor,
        plan_line=series["plan"] / factor,
        shown=[format_value(metric, v) for v in series["value"]],
        target_shown=[format_value(metric, v) if pd.notna(v) else "no target" for v in series["target"]],
    )
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%b-%y", labelAngle=0, tickCount=8))
    tooltip = [alt.Tooltip("month:T", title="Month", format="%b-%y"),
               alt.Tooltip("shown:N", title=metric.label), alt.Tooltip("target_shown:N", title="Target")]
    actual = alt.Chart(frame).mark_line(color=NHS_BLUE, strokeWidth=3, point=alt.OverlayMarkDef(size=30)).encode(
        x=x, y=alt.Y("actual:Q", title=axis_title, scale=alt.Scale(zero=metric.unit in ("count", "gbp"))),
        tooltip=tooltip)
    layers = [actual]
    if frame["target_line"].notna().any():
        layers.append(alt.Chart(frame).mark_line(color=TARGET_RED, strokeDash=[6, 4], interpolate="step-after")
                      .encode(x=x, y="target_line:Q"))
    if frame["plan_line"].notna().any():
        layers.append(alt.Chart(frame[frame["plan_line"].notna()]).mark_line(color=PLAN_GREY, strokeDash=[2, 2])
                      .encode(x=x, y="plan_line:Q"))
    marker = pd.DataFrame({"month": [pd.Timestamp(period)]})
    layers.append(alt.Chart(marker).mark_rule(color="#425563", strokeDash=[1, 3]).encode(x="month:T"))
    return alt.layer(*layers).properties(height=320)


def breakdown_chart(metric: Metric, frame: pd.DataFrame, selectable: bool) -> alt.Chart:
    """A horizontal bar per member (place, provider, site, specialty …), best at the top."""
    factor, axis_title = chart_units(metric)
    data = frame.assign(plotted=frame["value"] / factor, shown=[format_value(metric, v) for v in frame["value"]])
    chart = alt.Chart(data).mark_bar(color=NHS_BLUE).encode(
        x=alt.X("plotted:Q", title=axis_title),
        y=alt.Y("member:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
        tooltip=[alt.Tooltip("member:N", title="Name"), alt.Tooltip("shown:N", title=metric.label)],
    )
    labels = chart.mark_text(align="left", dx=4, color="#212B32").encode(text="shown:N")
    if selectable:
        pick = alt.selection_point(name="pick", fields=["code"], on="click")
        chart = chart.add_params(pick).encode(opacity=alt.condition(pick, alt.value(1.0), alt.value(0.6)))
    return (chart + labels).properties(height=max(120, 34 * len(data)))
