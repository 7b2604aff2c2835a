"""Altair charts fed with pre-aggregated rows only."""

from __future__ import annotations

import altair as alt
import pandas as pd

from portfolio.config import Metric
from portfolio.formatting import format_value, is_small
from portfolio.suppression import mask

NHS_BLUE = "#005EB8"
TARGET_RED = "#D5281B"
PLAN_GREY = "#768692"
# NHS identity colours, without red (kept for targets) or grey (kept for plans)
SERIES_COLOURS = ["#005EB8", "#41B6E6", "#00A499", "#AE2573", "#ED8B00", "#330072", "#78BE20", "#FFB81C",
                  "#003087", "#006747"]


def drawable(metric: Metric, values: pd.Series, members: bool = False) -> pd.Series:
    """``values`` with the small counts hidden while presenting in public taken out, so no chart
    draws them; with ``members`` (the parts of one total) the complementary one goes too."""
    if members:
        return pd.Series(mask(metric, list(values)), index=values.index, dtype="float64")
    return values.where([not is_small(metric, v) for v in values])


def chart_units(metric: Metric) -> tuple[float, str]:
    """Divide stored values by this to plot them, and the axis title that goes with it."""
    if metric.unit == "duration":
        return 60.0, "minutes"
    if metric.unit == "gbp":
        return 1000.0, "£m"
    return 1.0, {"percent": "%", "days": "days"}.get(metric.unit, None)


POINT_COLOURS = {  # Making Data Count palette (NHSRplotthedots)
    "common_cause": "#a6a6a6",
    "special_cause_improvement": "#00b0f0",
    "special_cause_concern": "#e46c0a",
    "special_cause_neutral_high": "#490092",
    "special_cause_neutral_low": "#490092",
}
POINT_WORDS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: higher (neutral)",
    "special_cause_neutral_low": "Special cause: lower (neutral)",
}


def spc_chart(metric: Metric, points: pd.DataFrame, series: pd.DataFrame, period: str) -> alt.LayerChart:
    """A Making Data Count XmR chart: grey line, mean, dashed process limits (broken at rebases),
    special-cause points in the MDC colours, the target and the plan.

    ``points`` is ``SPCResult.points`` (dates are YYYY-MM); ``series`` is the engine's series, for
    targets and plans.
    """
    factor, axis_title = chart_units(metric)
    plans = series.set_index("period")["plan"]
    targets = series.set_index("period")["target"]
    frame = pd.DataFrame({
        "month": pd.to_datetime(points["date"]),
        "segment": points["segment"],
        "value": drawable(metric, points["value"]) / factor,
        "mean": points["mean"] / factor,
        "lpl": points["lpl"] / factor,
        "upl": points["upl"] / factor,
        "target": points["date"].map(targets).astype("float64") / factor,
        "plan": points["date"].map(plans).astype("float64") / factor,
        "point_type": points["point_type"],
        "rule": points["special_cause_type"],
        "shown": [format_value(metric, v) for v in points["value"]],
        "limits": [f"{format_value(metric, lo)} to {format_value(metric, hi)}"
                   for lo, hi in zip(points["lpl"], points["upl"])],
    })
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%b-%y", labelAngle=0, tickCount=8))
    y_scale = alt.Scale(zero=metric.unit in ("count", "gbp"))
    tooltip = [alt.Tooltip("month:T", title="Month", format="%b-%y"), alt.Tooltip("shown:N", title=metric.label),
               alt.Tooltip("limits:N", title="Process limits"), alt.Tooltip("rule:N", title="Rule")]
    base = alt.Chart(frame).encode(x=x)
    line = base.mark_line(color="#a6a6a6", strokeWidth=2).encode(
        y=alt.Y("value:Q", title=axis_title, scale=y_scale))
    dots = base.mark_circle(size=55, opacity=1).encode(
        y="value:Q",
        color=alt.Color("point_type:N", legend=None,
                        scale=alt.Scale(domain=list(POINT_COLOURS), range=list(POINT_COLOURS.values()))),
        tooltip=tooltip)
    # detail=segment breaks the centre line and limits at each rebase
    mean = base.mark_line(color="#425563", strokeWidth=1.5).encode(y="mean:Q", detail="segment:N")
    limits = [base.mark_line(color="#425563", strokeDash=[4, 3], strokeWidth=1).encode(y=f"{limit}:Q",
                                                                                          detail="segment:N")
              for limit in ("lpl", "upl")]
    layers = [line, mean, *limits]
    if frame["target"].notna().any():
        layers.append(base.mark_line(color="#D5281B", strokeDash=[8, 4], interpolate="step-after",
                                     strokeWidth=2).encode(y="target:Q"))
    if frame["plan"].notna().any():
        layers.append(alt.Chart(frame[frame["plan"].notna()]).mark_line(
            color="#768692", strokeDash=[2, 2], strokeWidth=2, point=True).encode(x=x, y="plan:Q"))
    layers.append(dots)
    marker = pd.DataFrame({"month": [pd.Timestamp(period)]})
    layers.append(alt.Chart(marker).mark_rule(color="#425563", strokeDash=[1, 3]).encode(x="month:T"))
    return alt.layer(*layers).properties(height=340)


def breakdown_chart(metric: Metric, frame: pd.DataFrame, selectable: bool, target: float | None = None) -> alt.Chart:
    """One mark per member (place, provider, site, specialty …), worst at the top: bars for counts
    and money, which add up, and dots for rates and times, whose axis need not start at zero."""
    factor, axis_title = chart_units(metric)
    values = drawable(metric, frame["value"], members=True)
    data = frame.assign(plotted=values / factor, shown=[format_value(metric, v) if pd.notna(v) else "*"
                                                        for v in values])
    additive = metric.unit in ("count", "gbp") and metric.compute == "value"
    x = alt.X("plotted:Q", title=axis_title, axis=alt.Axis(tickCount=6), scale=alt.Scale(zero=additive))
    y = alt.Y("member:N", title=None, sort=None, axis=alt.Axis(labelLimit=260))
    tooltip = [alt.Tooltip("member:N", title="Name"), alt.Tooltip("shown:N", title=metric.label)]
    base = alt.Chart(data).encode(x=x, y=y, tooltip=tooltip)
    marks = base.mark_bar(color=NHS_BLUE) if additive else base.mark_circle(color=NHS_BLUE, size=180, opacity=1)
    labels = base.mark_text(align="left", dx=8, color="#212B32").encode(text="shown:N")
    if selectable:
        pick = alt.selection_point(name="pick", fields=["code"], on="click")
        marks = marks.add_params(pick).encode(opacity=alt.condition(pick, alt.value(1.0), alt.value(0.6)))
    layers = [marks, labels]
    if target is not None:
        rule = pd.DataFrame({"target": [target / factor]})
        layers.append(alt.Chart(rule).mark_rule(color=TARGET_RED, strokeDash=[6, 4], strokeWidth=2).encode(x="target:Q"))
    return alt.layer(*layers).properties(height=max(120, 34 * len(data)))


def member_trend_chart(metric: Metric, frame: pd.DataFrame, targets: pd.Series, plans: pd.Series) -> alt.LayerChart:
    """A line per place, provider or site over recent months, with the target and the system plan.

    ``frame`` has period, member and value; ``targets`` and ``plans`` are indexed by period."""
    factor, axis_title = chart_units(metric)
    data = frame.assign(month=pd.to_datetime(frame["period"]), plotted=drawable(metric, frame["value"]) / factor,
                        shown=[format_value(metric, v) for v in frame["value"]])
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%b-%y", labelAngle=0, tickCount=8))
    lines = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=25)).encode(
        x=x, y=alt.Y("plotted:Q", title=axis_title, scale=alt.Scale(zero=metric.unit in ("count", "gbp"))),
        color=alt.Color("member:N", title=None, scale=alt.Scale(range=SERIES_COLOURS),
                        legend=alt.Legend(orient="bottom", columns=4, labelLimit=220)),
        tooltip=[alt.Tooltip("member:N", title="Name"), alt.Tooltip("month:T", title="Month", format="%b-%y"),
                 alt.Tooltip("shown:N", title=metric.label)])
    layers = [lines]
    for values, colour, dash, mark in ((targets, TARGET_RED, [8, 4], "step-after"), (plans, PLAN_GREY, [2, 2], "linear")):
        values = values.dropna()
        if not values.empty:
            guide = pd.DataFrame({"month": pd.to_datetime(values.index), "plotted": values.to_numpy() / factor})
            layers.append(alt.Chart(guide).mark_line(color=colour, strokeDash=dash, strokeWidth=2, interpolate=mark)
                          .encode(x=x, y="plotted:Q"))
    return alt.layer(*layers).properties(height=320)


def plan_chart(metric: Metric, series: pd.DataFrame, period: str) -> alt.LayerChart:
    """Actual by month against the plan (trajectory) and the target, the reporting month marked."""
    factor, axis_title = chart_units(metric)
    frame = series.assign(month=pd.to_datetime(series["period"]), actual=drawable(metric, series["value"]) / factor,
                          target_line=series["target"] / factor, plan_line=series["plan"] / factor,
                          shown=[format_value(metric, v) for v in series["value"]])
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%b-%y", labelAngle=0, tickCount=8))
    layers = [alt.Chart(frame).mark_line(color=NHS_BLUE, strokeWidth=3, point=alt.OverlayMarkDef(size=30)).encode(
        x=x, y=alt.Y("actual:Q", title=axis_title, scale=alt.Scale(zero=metric.unit in ("count", "gbp"))),
        tooltip=[alt.Tooltip("month:T", title="Month", format="%b-%y"), alt.Tooltip("shown:N", title=metric.label)])]
    for column, colour, dash in (("plan_line", PLAN_GREY, [2, 2]), ("target_line", TARGET_RED, [6, 4])):
        if frame[column].notna().any():
            layers.append(alt.Chart(frame[frame[column].notna()]).mark_line(
                color=colour, strokeDash=dash, strokeWidth=2, interpolate="step-after" if column == "target_line"
                else "linear").encode(x=x, y=f"{column}:Q"))
    layers.append(alt.Chart(pd.DataFrame({"month": [pd.Timestamp(period)]})).mark_rule(
        color="#425563", strokeDash=[1, 3]).encode(x="month:T"))
    return alt.layer(*layers).properties(height=320)
