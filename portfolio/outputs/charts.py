"""Altair charts fed with pre-aggregated rows only, drawn the same way everywhere: a title and a
unit on every chart; counts and money from zero, any other axis cut only with the cut said on the
axis; no two series in one colour (more than six become small multiples, each organisation in
blue over the others in grey); organisations by their full names; and a key that lists only what
is drawn."""

from __future__ import annotations

import math
from collections.abc import Iterable

import altair as alt
import pandas as pd

from portfolio.config.months import Month
from portfolio.config.schema import Metric
from portfolio.figures.suppression import is_small, mask
from portfolio.outputs.formatting import axis_unit, format_value

NHS_BLUE = "#005EB8"
TARGET_RED = "#D5281B"
PLAN_GREY = "#768692"
CONTEXT_GREY = "#cfd6db"  # the range of every organisation behind the one a small multiple is about
TEXT = "#212B32"
# six NHS identity colours that stay apart, red (targets) and grey (plans) kept out; more series
# than this are drawn as small multiples instead of sharing a colour
SERIES_COLOURS = ["#005EB8", "#ED8B00", "#00A499", "#AE2573", "#330072", "#78BE20"]
POINT_COLOURS = {  # Making Data Count palette (NHSRplotthedots 0.2.2)
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
KEY_WORDS = {"common_cause": "grey: common cause", "special_cause_improvement": "blue: special cause improvement",
             "special_cause_concern": "orange: special cause concern",
             "special_cause_neutral_high": "purple: special cause, neither better nor worse",
             "special_cause_neutral_low": "purple: special cause, neither better nor worse"}
MONTHS_AXIS = alt.Axis(format="%b-%y", labelAngle=0, tickCount=8, title=None)


def drawable(metric: Metric, values: pd.Series, members: bool = False) -> pd.Series:
    """``values`` with the small counts hidden while presenting in public taken out, so no chart
    draws them; with ``members`` (the parts of one total) the complementary one goes too."""
    if members:
        return pd.Series(mask(metric, list(values)), index=values.index, dtype="float64")
    return values.where([not is_small(metric, v) for v in values])


def titled(text: str, subtitle: str | list[str] | None = None) -> alt.TitleParams:
    return alt.TitleParams(text, subtitle=subtitle if subtitle else alt.Undefined, anchor="start", fontSize=16,
                           subtitleFontSize=13, subtitleColor="#4c6272", color=TEXT, offset=10)


def _nice_step(span: float) -> float:
    raw = span / 5
    power = 10 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= raw)


def value_axis(metric: Metric, values: Iterable[float], title: str | None = None, zero: bool | None = None,
               **axis) -> dict:
    """The value axis, as keyword arguments for ``alt.Y`` or ``alt.X``: titled with the unit; from
    zero for counts and money, which add up; otherwise around the figures, and then the title says
    where the cut axis starts."""
    factor, unit = axis_unit(metric)
    shown = [v for v in values if v is not None and not pd.isna(v)]
    from_zero = metric.unit in ("count", "gbp") if zero is None else zero
    name = title or unit
    if from_zero or not shown:
        return {"title": name, "scale": alt.Scale(zero=True), "axis": alt.Axis(**axis)}
    low, high = min(shown), max(shown)
    step = _nice_step((high - low) or abs(high) or 1.0)
    start, end = math.floor((low - step / 2) / step) * step, math.ceil((high + step / 2) / step) * step
    if metric.style == "percent" and high <= 100:
        end = min(end, 100)
    if low >= 0 >= start:
        start = 0
    cut = f" (axis from {start:g})" if start > 0 else ""
    return {"title": name + cut, "scale": alt.Scale(domain=[start, end], zero=False, nice=False),
            "axis": alt.Axis(**axis)}


# --- SPC ----------------------------------------------------------------------------------------


def _spc_frame(metric: Metric, window: pd.DataFrame, series: pd.DataFrame, factor: float) -> pd.DataFrame:
    """The window's points as the chart draws them, in the axis unit, with its targets and plans."""
    plans = series.set_index("period")["plan"]
    targets = series.set_index("period")["target"]
    return pd.DataFrame({
        "month": pd.to_datetime(window["date"]),
        "segment": window["segment"],
        "value": drawable(metric, window["value"]) / factor,
        "mean": window["mean"] / factor,
        "lpl": window["lpl"] / factor,
        "upl": window["upl"] / factor,
        "target": window["date"].map(targets).astype("float64") / factor,
        "plan": window["date"].map(plans).astype("float64") / factor,
        "point_type": window["point_type"],
        "rule": window["special_cause_type"],
        "shown": [format_value(metric, v) for v in window["value"]],
        "limits": [f"{format_value(metric, lo, suppress=False)} to {format_value(metric, hi, suppress=False)}"
                   for lo, hi in zip(window["lpl"], window["upl"])],
    })


def _rebase_marks(frame: pd.DataFrame, inside: list[str], reasons: dict[str, str | None]) -> list:
    """A rule at each rebase in the window and its reason beside it: to the right of it in the first
    half of the window, to the left in the second (so that no label runs past the chart's edge), a
    line lower than the one before."""
    months = list(frame["month"].dt.strftime("%Y-%m"))
    marks = pd.DataFrame({"month": pd.to_datetime(inside),
                          "label": [f"New limits: {reasons[m] or Month(m).label}" for m in inside],
                          "left": [months.index(m) > len(months) / 2 for m in inside],
                          "row": [14 * (n % 2) for n in range(len(inside))]})
    rules = alt.Chart(marks).mark_rule(color="#425563", strokeDash=[6, 3]).encode(x="month:T")
    return [rules] + [alt.Chart(marks.iloc[[n]]).mark_text(align="right" if mark.left else "left", baseline="top",
                                                           dx=-4 if mark.left else 4, color=TEXT, fontSize=12)
                      .encode(x="month:T", y=alt.value(mark.row), text="label:N")
                      for n, mark in enumerate(marks.itertuples())]


def _limits_basis(points: pd.DataFrame, frame: pd.DataFrame, segment_starts: pd.Series,
                  reasons: dict[str, str | None]) -> str:
    """Where the limits drawn first come from: "limits from Apr-24 (new pathway)"."""
    start = segment_starts.get(frame["segment"].iloc[0]) if len(frame) else None
    if start and start in reasons:
        return f"limits from {Month(start).label}" + (f" ({reasons[start]})" if reasons[start] else "")
    return f"limits from {Month(points['date'].iloc[0]).label}"


def _target_and_plan(frame: pd.DataFrame, base: alt.Chart, x: alt.X) -> tuple[list, list[str]]:
    """The target (a red dashed step) and the plan (grey dots), each where the window has one."""
    layers, key = [], []
    if frame["target"].notna().any():
        layers.append(base.mark_line(color=TARGET_RED, strokeDash=[8, 4], interpolate="step-after", strokeWidth=2)
                      .encode(y="target:Q"))
        key.append("red dashed: target")
    if frame["plan"].notna().any():
        layers.append(alt.Chart(frame[frame["plan"].notna()]).mark_line(
            color=PLAN_GREY, strokeDash=[2, 2], strokeWidth=2, point=alt.OverlayMarkDef(color=PLAN_GREY, size=20))
            .encode(x=x, y="plan:Q"))
        key.append("grey dotted: plan")
    return layers, key


def spc_chart(metric: Metric, points: pd.DataFrame, series: pd.DataFrame, period: str,
              title: str | None = None) -> tuple[alt.LayerChart, str]:
    """A Making Data Count XmR chart of the metric's display window (``spc_months``, ending at
    ``period``): grey line, mean, dashed process limits broken at rebases, special-cause points in
    the MDC colours, the target and the plan; each rebase in the window marked with its reason, and
    the subtitle saying where the limits come from. Returns the chart and its key (only what is
    drawn).

    ``points`` is ``SPCResult.points`` over every month (dates are YYYY-MM), so the limits come from
    the whole of each segment; ``series`` is the engine's series, for targets and plans.
    """
    factor, unit = axis_unit(metric)
    first = Month(period) - (metric.spc_months - 1)
    segment_starts = points.groupby("segment")["date"].min()
    window = points[(points["date"] >= first) & (points["date"] <= period)]
    frame = _spc_frame(metric, window, series, factor)
    x = alt.X("month:T", axis=MONTHS_AXIS)
    # an SPC chart is about variation: its axis follows the figures and the limits, a cut said on it
    y = value_axis(metric, pd.concat([frame[c] for c in ("value", "lpl", "upl", "target", "plan")]), zero=False)
    tooltip = [alt.Tooltip("month:T", title="Month", format="%b-%y"), alt.Tooltip("shown:N", title=metric.label),
               alt.Tooltip("limits:N", title="Process limits"), alt.Tooltip("rule:N", title="Rule")]
    base = alt.Chart(frame).encode(x=x)
    layers = [base.mark_line(color="#a6a6a6", strokeWidth=2).encode(y=alt.Y("value:Q", **y)),
              # detail=segment breaks the centre line and limits at each rebase
              base.mark_line(color="#425563", strokeWidth=1.5).encode(y="mean:Q", detail="segment:N"),
              *[base.mark_line(color="#425563", strokeDash=[4, 3], strokeWidth=1).encode(y=f"{limit}:Q",
                                                                                        detail="segment:N")
                for limit in ("lpl", "upl")]]
    lines, key = _target_and_plan(frame, base, x)
    layers += lines
    layers.append(base.mark_circle(size=55, opacity=1).encode(
        y="value:Q", tooltip=tooltip,
        color=alt.Color("point_type:N", legend=None,
                        scale=alt.Scale(domain=list(POINT_COLOURS), range=list(POINT_COLOURS.values())))))
    reasons = {r.month: r.reason for r in metric.rebase}
    inside = [m for m in segment_starts if first < m <= period and m in reasons]
    if inside:
        layers += _rebase_marks(frame, inside, reasons)
        key.append("black dashed upright: limits recalculated")
    subtitle = f"{unit}, the last {len(frame)} months · {_limits_basis(points, frame, segment_starts, reasons)}"
    point_types = [t for t in POINT_COLOURS if t in set(frame["point_type"])]
    key = [KEY_WORDS[t] for t in dict.fromkeys(point_types)] + ["solid line: mean", "dashed lines: process limits"] + key
    if window["short_segment_warning"].any():
        key.append("limits from fewer than 13 months are trial limits")
    chart = alt.layer(*layers).properties(height=320, title=titled(title or metric.label, subtitle))
    return chart, " · ".join(dict.fromkeys(k.capitalize() if n == 0 else k for n, k in enumerate(key)))


# --- one mark per member ------------------------------------------------------------------------


def breakdown_chart(metric: Metric, frame: pd.DataFrame, selectable: bool, title: str,
                    target: float | None = None) -> alt.Chart:
    """One mark per member (place, provider, site, specialty …), worst at the top: bars for counts
    and money, which add up, from zero; dots for rates and times, on an axis that says where it
    starts. Labels sit outside the bar's end (left of a negative one), never on it."""
    factor, unit = axis_unit(metric)
    values = drawable(metric, frame["value"], members=True)
    data = frame.assign(plotted=values / factor, shown=[format_value(metric, v) if pd.notna(v) else "*" for v in values])
    additive = metric.unit in ("count", "gbp") and metric.compute == "value"
    x = alt.X("plotted:Q", **value_axis(metric, [*data["plotted"], *([target / factor] if target is not None else [])],
                                         zero=additive, tickCount=6))
    y = alt.Y("member:N", title=None, sort=None, axis=alt.Axis(labelLimit=380, labelOverlap=False))
    tooltip = [alt.Tooltip("member:N", title="Name"), alt.Tooltip("shown:N", title=metric.label)]
    base = alt.Chart(data).encode(x=x, y=y, tooltip=tooltip)
    marks = base.mark_bar(color=NHS_BLUE) if additive else base.mark_circle(color=NHS_BLUE, size=180, opacity=1)
    if selectable:
        pick = alt.selection_point(name="pick", fields=["code"], on="click")
        marks = marks.add_params(pick).encode(opacity=alt.condition(pick, alt.value(1.0), alt.value(0.6)))
    # each figure just right of its bar's end, or of zero for a negative bar (away from the names)
    labels = base.transform_calculate(at="max(datum.plotted, 0)").mark_text(align="left", dx=8, color=TEXT).encode(
        x="at:Q", text="shown:N")
    layers = [marks, labels]
    if target is not None:
        rule = pd.DataFrame({"target": [target / factor]})
        layers.append(alt.Chart(rule).mark_rule(color=TARGET_RED, strokeDash=[6, 4], strokeWidth=2).encode(x="target:Q"))
    return alt.layer(*layers).properties(height=max(120, 40 * len(data)), title=titled(title))


def breakdown_key(metric: Metric, target: float | None, choosable: bool) -> str:
    """What a breakdown chart's order and marks mean, for the marks it draws."""
    words = ["Worst first" if metric.improvement != "neutral" else "Largest first"]
    if target is not None:
        words.append("target: zero, along the axis" if target == 0 else "red dashed: target")
    if choosable:
        words.append("choose one to look into it")
    return " · ".join(words)


# --- lines over time ----------------------------------------------------------------------------


def member_trend_chart(metric: Metric, frame: pd.DataFrame, targets: pd.Series, plans: pd.Series,
                       title: str) -> alt.Chart:
    """A line per place, provider or site over recent months, with the target and the plan for the
    whole. Up to six lines share one chart, each its own colour; more become small multiples, one
    organisation in blue over the range of them all in grey.

    ``frame`` has period, member and value (members by full name); ``targets`` and ``plans`` are
    indexed by period."""
    factor, unit = axis_unit(metric)
    data = frame.assign(month=pd.to_datetime(frame["period"]), plotted=drawable(metric, frame["value"]) / factor,
                        shown=[format_value(metric, v) for v in frame["value"]])
    guides = {name: pd.DataFrame({"month": pd.to_datetime(values.dropna().index),
                                  "plotted": values.dropna().to_numpy() / factor})
              for name, values in (("target", targets), ("plan", plans))}
    y = value_axis(metric, [*data["plotted"], *guides["target"]["plotted"], *guides["plan"]["plotted"]])
    x = alt.X("month:T", axis=MONTHS_AXIS)
    tooltip = [alt.Tooltip("member:N", title="Name"), alt.Tooltip("month:T", title="Month", format="%b-%y"),
               alt.Tooltip("shown:N", title=metric.label)]
    key = ["red dashed: target"] * (not guides["target"].empty) + ["grey dotted: plan for the whole"] * (
        not guides["plan"].empty)
    members = list(dict.fromkeys(data["member"]))
    if len(members) <= len(SERIES_COLOURS):
        lines = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=25)).encode(
            x=x, y=alt.Y("plotted:Q", **y), tooltip=tooltip,
            color=alt.Color("member:N", title=None, scale=alt.Scale(domain=members, range=SERIES_COLOURS),
                            legend=alt.Legend(orient="bottom", columns=2, labelLimit=520)))
        return alt.layer(lines, *_guides(guides, x)).properties(height=320, title=titled(title, " · ".join([unit, *key])))
    # small multiples: each panel a row per month (so the points grow with organisations × months,
    # never their square): its own line in blue over the range of them all in grey, with the
    # target and the plan for the whole
    band = data.groupby("month")["plotted"].agg(low="min", high="max").reset_index()
    for name, rows in guides.items():
        band = band.merge(rows.rename(columns={"plotted": name}), on="month", how="left")
    grid = pd.MultiIndex.from_product([members, band["month"]], names=["member", "month"]).to_frame(index=False)
    rows = grid.merge(band, on="month").merge(data[["member", "month", "plotted", "shown"]],
                                              on=["member", "month"], how="left")
    layers = [alt.Chart().mark_area(color=CONTEXT_GREY, opacity=0.8).encode(
                  x=x, y=alt.Y("low:Q", **y), y2="high:Q"),
              *[alt.Chart().mark_line(color=colour, strokeDash=dash, strokeWidth=1.5).encode(x=x, y=f"{name}:Q")
                for name, colour, dash in (("target", TARGET_RED, [6, 3]), ("plan", PLAN_GREY, [2, 2]))
                if not guides[name].empty],
              alt.Chart().mark_line(color=NHS_BLUE, strokeWidth=2.5, point=alt.OverlayMarkDef(size=18)).encode(
                  x=x, y="plotted:Q", tooltip=tooltip)]
    # three across, each wide enough for a trust's full name over it
    return alt.layer(*layers, data=rows).properties(width=330, height=120).facet(
        facet=alt.Facet("member:N", title=None, sort=members,
                        header=alt.Header(labelFontSize=12, labelLimit=340, labelColor=TEXT)),
        columns=3, spacing={"row": 14, "column": 24}).properties(
        title=titled(title, " · ".join([unit, "each in blue, grey the range of them all", *key])))


def _guides(guides: dict[str, pd.DataFrame], x: alt.X) -> list[alt.Chart]:
    styles = {"target": (TARGET_RED, [8, 4], "step-after"), "plan": (PLAN_GREY, [2, 2], "linear")}
    return [alt.Chart(rows).mark_line(color=styles[name][0], strokeDash=styles[name][1], strokeWidth=2,
                                      interpolate=styles[name][2]).encode(x=x, y="plotted:Q")
            for name, rows in guides.items() if not rows.empty]


def plan_chart(metric: Metric, series: pd.DataFrame, title: str, place: str) -> alt.LayerChart:
    """Actual by month (to the reporting month) against the plan (trajectory) and the target."""
    factor, unit = axis_unit(metric)
    frame = series.assign(month=pd.to_datetime(series["period"]), actual=drawable(metric, series["value"]) / factor,
                          target_line=series["target"] / factor, plan_line=series["plan"] / factor,
                          shown=[format_value(metric, v) for v in series["value"]])
    x = alt.X("month:T", axis=MONTHS_AXIS)
    y = value_axis(metric, pd.concat([frame["actual"], frame["target_line"], frame["plan_line"]]))
    layers = [alt.Chart(frame).mark_line(color=NHS_BLUE, strokeWidth=3, point=alt.OverlayMarkDef(size=30)).encode(
        x=x, y=alt.Y("actual:Q", **y),
        tooltip=[alt.Tooltip("month:T", title="Month", format="%b-%y"), alt.Tooltip("shown:N", title=metric.label)])]
    key = ["blue: actual"]
    for column, colour, dash, words in (("plan_line", PLAN_GREY, [2, 2], "grey dotted: plan"),
                                        ("target_line", TARGET_RED, [6, 4], "red dashed: target")):
        if frame[column].notna().any():
            layers.append(alt.Chart(frame[frame[column].notna()]).mark_line(
                color=colour, strokeDash=dash, strokeWidth=2, interpolate="step-after" if column == "target_line"
                else "linear").encode(x=x, y=f"{column}:Q"))
            key.append(words)
    return alt.layer(*layers).properties(height=300, title=titled(title, " · ".join([unit, place, *key])))
