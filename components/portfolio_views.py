"""A portfolio's own views, as its definition declares them under `views:`, each a tab of the page."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from components.charts import SERIES_COLOURS, drawable, plan_chart, titled, value_axis
from components.marks import MISS, cell_style, marked
from components.filters import url_synced
from components.framework_views import comparison_view, framework_view, kvi_view, map_view, milestones_view
from components.position_views import position_view, statement_view, waterfall_view
from components.state import DEEP_DIVE, interactive, on_select, view_params
from portfolio.config import Portfolio, ViewSpec
from portfolio.engine import ORG_LEVELS
from portfolio.formatting import axis_unit, format_percent, format_target, format_value, format_variance
from portfolio.judgement import status
from portfolio.periods import month_key, month_label, parse_month
from portfolio.views import months_to_target, natural_order, standards_table
from portfolio.workspace import Workspace

VIEW_KEY = "view"  # the URL parameter of the tab shown: ?view=Scorecard
TAB_STRIP_PIXELS = 1150  # the width the tab strip has on a 1280-pixel screen, less a margin


def fits_tab_strip(titles: list[str]) -> bool:
    """Whether the tabs fit side by side at 1280 pixels (about 7.5 pixels a character, and the gap)."""
    return sum(7.5 * len(title) + 20 for title in titles) <= TAB_STRIP_PIXELS


def view_tabs(titles: list[str]) -> list[tuple[object, bool]]:
    """A container for each view and whether it is the one open: tabs where they fit on the screen,
    else one "View" choice, so no tab is ever cut off. Either way the URL says which is shown."""
    if fits_tab_strip(titles):
        return [(tab, tab.open) for tab in st.tabs(titles, key=VIEW_KEY, bind="query-params", on_change="rerun")]
    chosen = url_synced(st.selectbox, "View", titles, VIEW_KEY, titles[0], lambda t: f"the view '{t}'")
    return [(st.container(), title == chosen) for title in titles]


PORTFOLIO_VIEWS = {"framework": framework_view, "kvi": kvi_view, "map": map_view, "comparison": comparison_view,
                   "milestones": milestones_view}


# views whose chart carries the view's title; the others are headed by it, unless their tab is
TITLED_KINDS = {"trajectory", "distribution", "comparison", "waterfall"}


def portfolio_view(ws: Workspace, portfolio: Portfolio, view: ViewSpec, org: str, period: str) -> None:
    if view.kind not in TITLED_KINDS and view.title != view.tab_title:
        with st.container(gap="xsmall"):  # a compact heading right over its table, so the table starts high
            st.markdown(f"**{view.title}**")
            _draw(ws, portfolio, view, org, period)
    else:
        _draw(ws, portfolio, view, org, period)


def _draw(ws: Workspace, portfolio: Portfolio, view: ViewSpec, org: str, period: str) -> None:
    if view.kind in PORTFOLIO_VIEWS:  # views that draw on the portfolio as a whole
        PORTFOLIO_VIEWS[view.kind](ws, portfolio, view, org, period)
        return
    {"standards": _standards, "distribution": _distribution, "trajectory": _trajectory,
     "heatmap": _heatmap, "position": position_view, "statement": statement_view,
     "waterfall": waterfall_view}[view.kind](ws, view, org, period)


def _standards(ws: Workspace, view: ViewSpec, org: str, period: str) -> None:
    """Metric | target | the selected organisation | each main provider, in the reporting month."""
    within = [o.code for o in ws.tree.within(org, view.by)]
    columns = [org] + ([c for c in view.organisations if c in within] if view.organisations else within)
    # an organisation that reports none of these metrics (an ambulance trust in a cancer table) is left out
    columns = [org] + [c for c in columns[1:] if any(ws.engine.available(m, c) for m in view.metrics)]
    rows = standards_table(ws.engine, view.metrics, columns, period)
    names = [ws.tree.label(code) for code in columns]  # short names across: the full name on hover
    table = pd.DataFrame([{
        "Standard": row.metric.label,
        "Target": format_target(row.metric, row.metric.target_for(period)),
        **{name: marked(row.metric, *row.cells[code]) for name, code in zip(names, columns)},
    } for row in rows])
    event = st.dataframe(
        table.style.map(cell_style, subset=names), hide_index=True, key=f"standards-{org}-{view.title}",
        on_select=on_select(), selection_mode="single-cell", lazy=False, height=35 * (len(table) + 1) + 3,
        column_config={"Standard": st.column_config.TextColumn(width=300),
                       **{name: st.column_config.TextColumn(help=ws.tree[code].name) for name, code in zip(names, columns)}},
        alt=f"{view.title}: each standard for {ws.tree[org].name} and its providers in "
            f"{month_label(parse_month(period))}")
    st.caption(f"{month_label(parse_month(period))} · ✔ meets target · {MISS} and red: below target · "
               "– no figure this month" + (" · choose a cell to open its deep dive" if interactive() else ""))
    cells = event.selection.cells if interactive() else []
    if cells:
        row, column = cells[0]
        if column in names:
            st.switch_page(DEEP_DIVE, query_params={**view_params(metric=rows[row].metric.id),
                                                    "org": columns[names.index(column)]})


def _distribution(ws: Workspace, view: ViewSpec, org: str, period: str) -> None:
    """The shape of the metric across a breakdown (weeks waited, say), month by month."""
    engine, metric = ws.engine, ws.config.metrics[view.metric]
    start = month_key(parse_month(period) - (view.months - 1))
    figure = st.container()  # the chart first; the choice of one specialty under it
    part = _choose_member(ws, view, org, period)
    frame = engine.breakdown_series(view.metric, org, view.dimension, start=start, end=period, part=part)
    words = view.dimension.replace("_", " ")
    if frame.empty:
        figure.caption(f"{metric.label} is not broken down by {words} for {ws.tree[org].name}.")
        return
    order = natural_order(list(frame["member"]))
    factor, unit = axis_unit(metric)
    data = frame.assign(month=pd.to_datetime(frame["period"]), plotted=drawable(metric, frame["value"]) / factor,
                        shown=[format_value(metric, v) for v in frame["value"]],
                        rank=frame["member"].map({m: i for i, m in enumerate(order)}))
    colours = SERIES_COLOURS if len(order) <= len(SERIES_COLOURS) else alt.Undefined
    chart = alt.Chart(data).mark_area().encode(
        x=alt.X("month:T", title=None, axis=alt.Axis(format="%b-%y", labelAngle=0, tickCount=8)),
        y=alt.Y("plotted:Q", stack=True, **value_axis(metric, [], zero=True)),
        color=alt.Color("member:N", sort=order, title=None,
                        scale=alt.Scale(range=colours) if colours is not alt.Undefined else alt.Scale(scheme="blues"),
                        legend=alt.Legend(orient="bottom", columns=6)),
        order=alt.Order("rank:Q", sort="descending"),
        tooltip=[alt.Tooltip("member:N", title=words.capitalize()),
                 alt.Tooltip("month:T", title="Month", format="%b-%y"), alt.Tooltip("shown:N", title=metric.label)],
    ).properties(height=320, title=titled(view.title + (f": {part[1]}" if part else ""),
                                          f"{unit}, stacked by {words} · {ws.tree[org].name} · {view.months} months "
                                          f"to {month_label(parse_month(period))}"))
    latest = frame[frame["period"] == frame["period"].max()].set_index("member").reindex(order)
    total = latest["value"].sum()
    latest["value"] = drawable(metric, latest["value"], members=True)  # the bands of one total
    with figure:
        st.altair_chart(chart, alt=f"Stacked area chart of {metric.label} for {ws.tree[org].name} by {words}, "
                                   f"{view.months} months to {month_label(parse_month(period))}.")
        st.table(pd.DataFrame({
            words.capitalize(): order,
            month_label(parse_month(frame["period"].max())): [format_value(metric, v) if pd.notna(v) else "–"
                                                               for v in latest["value"]],
            "Share": [format_percent(v / total * 100) if total and pd.notna(v) else "–" for v in latest["value"]],
        }), hide_index=True)


def _choose_member(ws: Workspace, view: ViewSpec, org: str, period: str) -> tuple[str, str] | None:
    """Where the metric has another breakdown (specialty, say), a choice of one of its members."""
    metric = ws.config.metrics[view.metric]
    other = next((d for d in metric.drill if d not in ORG_LEVELS and d != view.dimension), None)
    if other is None:
        return None
    members = list(ws.engine.breakdown(view.metric, org, other, period)["member"])
    if not members:
        return None
    chosen = st.selectbox(other.replace("_", " ").capitalize(), ["All", *sorted(members)], key=f"within-{view.title}",
                          help=f"Show the shape for one {other.replace('_', ' ')}")
    return None if chosen == "All" else (other, chosen)


def _trajectory(ws: Workspace, view: ViewSpec, org: str, period: str) -> None:
    """Plan against actual, then the latest figures and how long the target is at the current rate."""
    engine, metric = ws.engine, ws.config.metrics[view.metric]
    start = month_key(parse_month(period) - (view.months - 1))
    series = engine.series(view.metric, org, start=start, end=period)
    series = series[series["value"].notna()]
    if series.empty:
        st.caption(f"{view.title}: {metric.label} is not reported for {ws.tree[org].name}.")
        return
    st.altair_chart(plan_chart(metric, series, period, title=view.title, place=ws.tree[org].name),
                    alt=f"Line chart of {metric.label} for {ws.tree[org].name} against plan and target.")
    summary = engine.summary(view.metric, org, series["period"].iloc[-1])  # the latest month with a figure
    target = summary.target or (metric.targets[-1] if metric.targets else None)
    columns = st.columns(3)
    columns[0].metric(f"Actual, {month_label(parse_month(summary.value_period))}", format_value(metric, summary.value))
    if summary.plan is not None:
        columns[1].metric("Plan", format_value(metric, summary.plan),
                          delta=f"{format_variance(metric, summary.variance_to_plan)} against plan", delta_color="off")
    if target is not None:
        months = months_to_target(list(series["value"]), target.value, metric.improvement)
        columns[2].metric(f"Months to target ({format_target(metric, target)})",
                          "met" if months == 0 else ("not at the current rate" if months is None else f"{months:g}"),
                          help="At the average monthly change of the last three months.")
    notes = [*([] if summary.plan is not None else ["No plan is set for this organisation."]),
             *([metric.target_pending] if target is None and metric.target_pending else [])]
    if notes:
        st.caption(" ".join(notes))


def _heatmap(ws: Workspace, view: ViewSpec, org: str, period: str) -> None:
    """Organisations down, breakdown members across (providers × diagnostic tests, say)."""
    engine, metric = ws.engine, ws.config.metrics[view.metric]
    cross = engine.cross_breakdown(view.metric, org, view.by, view.dimension, period)
    words = view.dimension.replace("_", " ")
    if cross.empty:
        st.caption(f"{metric.label} is not reported by {view.by} and {words} here.")
        return
    target = metric.target_for(period)
    text = [marked(metric, v, status(metric, v, target)) for v in cross["value"]]
    table = cross.assign(text=text).pivot(index="organisation", columns="member", values="text").fillna("–")
    table.index.name = view.by.capitalize()
    st.dataframe(table.style.map(cell_style), key=f"heat-{org}-{view.title}", lazy=False,
                 height=35 * (len(table) + 1) + 3,
                 alt=f"{view.title}: {metric.label} by {view.by} and {words}")
    st.caption(f"{metric.label}, {month_label(parse_month(period))} · target {format_target(metric, target)} · "
               f"✔ meets it · {MISS} and red: below it · – not reported")
