"""A portfolio's own views, as its definition declares them under `views:`, each a tab of the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import altair as alt
import pandas as pd
import streamlit as st

from components import exported
from components.filters import quoted, url_synced
from components.framework_views import comparison_view, framework_view, kvi_view, map_view, milestones_view
from components.html_table import Cell, html_table
from components.marks import marked_cell
from components.metric_views import chip_delta
from components.position_views import position_view, statement_view, waterfall_view
from components.state import interactive, link, presenting
from portfolio.config.months import Month
from portfolio.config.schema import (ORG_LEVELS, DistributionView, HeatmapView, Portfolio, StandardsView,
                                     TrajectoryView, ViewSpec, key_words)
from portfolio.figures.judgement import status
from portfolio.figures.views import heat_table, months_to_target, natural_order, standards_columns, standards_table
from portfolio.figures.workspace import Workspace
from portfolio.outputs.charts import MONTHS_AXIS, SERIES_COLOURS, drawable, plan_chart, titled, value_axis
from portfolio.outputs.formatting import against_plan, axis_unit, format_percent, format_target, format_value
from portfolio.outputs.links import DEEP_DIVE

VIEW_KEY = "view"  # the URL parameter of the tab shown: ?view=Scorecard
TAB_STRIP_PIXELS = 1150  # the width the tab strip has on a 1280-pixel screen, less a margin


def _width(text: str) -> float:
    """About how wide a tab's label is drawn, in pixels: capitals and digits are wider than the rest."""
    return sum(11.0 if c.isupper() else 8.5 if c.isdigit() else 4.5 if c.isspace() else 7.2 for c in text)


def fits_tab_strip(titles: list[str]) -> bool:
    """Whether the tabs fit side by side at 1280 pixels, each with the gap after it."""
    return sum(_width(title) + 20 for title in titles) <= TAB_STRIP_PIXELS


def view_tabs(titles: list[str]) -> list[tuple[object, bool]]:
    """A container for each view and whether it is the one open: tabs where they fit on the screen,
    else one "View" choice, so no tab is ever cut off. Either way the URL says which is shown."""
    asked = st.query_params.get(VIEW_KEY)
    if asked is not None and asked not in titles:  # a link's view this page does not have: said, then the first
        st.warning(f"The link asks for the view {quoted(asked)}, which this page does not have; showing "
                   f"{titles[0]} instead.", icon=":material/link_off:")
        st.query_params[VIEW_KEY] = titles[0]
    if fits_tab_strip(titles) and not presenting():
        tabs = [(tab, tab.open) for tab in st.tabs(titles, key=VIEW_KEY, bind="query-params", on_change="rerun")]
    else:  # while presenting, the view alone: a tab strip does nothing in front of the board
        chosen = url_synced(st.selectbox, "View", titles, VIEW_KEY, titles[0], lambda t: f"the view {t}",
                            shown=not presenting())
        tabs = [(st.container(), title == chosen) for title in titles]
    exported.titled_part(next((title for title, (_, is_open) in zip(titles, tabs) if is_open), titles[0]))
    return tabs


def portfolio_view(ws: Workspace, portfolio: Portfolio, view: ViewSpec, org: str, period: str) -> None:
    renderer = RENDERERS[view.kind]
    if not renderer.titled and view.title != view.tab_title:
        with st.container(gap="xsmall"):  # a compact heading right over its table, so the table starts high
            st.markdown(f"**{view.title}**")
            renderer.draw(ws, portfolio, view, org, period)
    else:
        renderer.draw(ws, portfolio, view, org, period)


@dataclass(frozen=True)
class TableParts:
    """A standards or heat table ready to draw, whole on a page or a slide's rows at a time."""
    columns: list
    rows: list[list[Cell]]
    caption: str
    key: str  # what the marks mean, and anything left out
    kept: int  # the leading columns a slide of part of the table keeps (names, target, the selected organisation)

    def part(self, rows: tuple[int, int], columns: tuple[int, int]) -> tuple[list, list[list[Cell]]]:
        """The headings and rows of a slide showing ``rows`` and the figures ``columns`` (both
        [first, last), the columns counted after the kept ones)."""
        chosen = list(range(self.kept)) + [self.kept + c for c in range(*columns)]
        return [self.columns[c] for c in chosen], [[row[c] for c in chosen] for row in self.rows[slice(*rows)]]


def _standards(ws: Workspace, portfolio: Portfolio, view: StandardsView, org: str, period: str) -> None:
    _draw_table(standards_parts(ws, view, org, period))


def _draw_table(parts: TableParts | None) -> None:
    if parts is None:
        return
    html_table(parts.columns, [(None, parts.rows)], caption=parts.caption)
    st.caption(parts.key + (" · choose a figure to open its deep dive" if interactive() else ""))


def standards_parts(ws: Workspace, view: StandardsView, org: str, period: str) -> TableParts:
    """Metric | target | the selected organisation | each main provider, in the reporting month;
    each figure opens its deep dive for that organisation."""
    within = [o.code for o in ws.tree.within(org, view.by)]
    columns = standards_columns(ws.engine, ws.tree, view, org)
    rows = standards_table(ws.engine, view.metrics, columns, period)
    header = ["Standard", "Target",  # short names across, as space forces: the full name on hover
              *(Cell(ws.tree.label(code), help=ws.tree[code].name) for code in columns)]
    body = [[Cell(row.metric.label, link=link(DEEP_DIVE, metric=row.metric.id)),
             Cell(format_target(row.metric, row.metric.target_for(period, org)), keep=True),
             *(marked_cell(row.metric, *row.cells[code], row.metric.target_for(period, code),
                           link=link(DEEP_DIVE, metric=row.metric.id, org=code) if row.cells[code][0] is not None
                           else None) for code in columns)]
            for row in rows]
    left_out = len([c for c in within if ws.tree[c].level == view.by]) - (len(columns) - 1)
    return TableParts(header, body, f"{view.title}, {Month(period).label}", kept=3, key=
                      "✔ meets target · ✘ and red: below target · – no figure this month"
                      + (f" · the main providers only: {ws.tree[org].name}'s figures include every organisation "
                         "within it" if view.organisations and left_out > 0 else ""))


def _distribution(ws: Workspace, portfolio: Portfolio, view: DistributionView, org: str, period: str) -> None:
    """The shape of the metric across a breakdown (weeks waited, say), month by month."""
    engine, metric = ws.engine, ws.config.metrics[view.metric]
    start = Month(period) - (view.months - 1)
    figure = st.container()  # the chart first; the choice of one specialty under it
    part = _choose_member(ws, view, org, period)
    frame = engine.breakdown_series(view.metric, org, view.dimension, start=start, end=period, part=part)
    words = key_words(view.dimension)
    if frame.empty:
        figure.caption(f"{metric.label} is not broken down by {words} for {ws.tree[org].name}.")
        return
    order = natural_order(list(frame["member"]))
    factor, unit = axis_unit(metric)
    data = frame.assign(month=pd.to_datetime(frame["period"]), plotted=drawable(metric, frame["value"]) / factor,
                        shown=[format_value(metric, v) for v in frame["value"]],
                        rank=frame["member"].map({m: i for i, m in enumerate(order)}))
    # each its own colour while they last; more than that, shades of one
    colours = alt.Scale(range=SERIES_COLOURS) if len(order) <= len(SERIES_COLOURS) else alt.Scale(scheme="blues")
    chart = alt.Chart(data).mark_area().encode(
        x=alt.X("month:T", axis=MONTHS_AXIS),
        y=alt.Y("plotted:Q", stack=True, **value_axis(metric, [], zero=True)),
        color=alt.Color("member:N", sort=order, title=None,
                        scale=colours, legend=alt.Legend(orient="bottom", columns=6)),
        order=alt.Order("rank:Q", sort="descending"),
        tooltip=[alt.Tooltip("member:N", title=words.capitalize()),
                 alt.Tooltip("month:T", title="Month", format="%b-%y"), alt.Tooltip("shown:N", title=metric.label)],
    ).properties(height=320, title=titled(view.title + (f": {part[1]}" if part else ""),
                                          f"{unit}, stacked by {words} · {ws.tree[org].name} · {view.months} months "
                                          f"to {Month(period).label}"))
    latest = frame[frame["period"] == frame["period"].max()].set_index("member").reindex(order)
    total = latest["value"].sum()
    latest["value"] = drawable(metric, latest["value"], members=True)  # the bands of one total
    with figure:
        exported.chart(chart, alt=f"Stacked area chart of {metric.label} for {ws.tree[org].name} by {words}, "
                                   f"{view.months} months to {Month(period).label}.")
        exported.table(pd.DataFrame({
            words.capitalize(): order,
            Month(frame["period"].max()).label: [format_value(metric, v) if pd.notna(v) else "–"
                                                               for v in latest["value"]],
            "Share": [format_percent(v / total * 100) if total and pd.notna(v) else "–" for v in latest["value"]],
        }), view.title, hide_index=True)


def _choose_member(ws: Workspace, view: DistributionView, org: str, period: str) -> tuple[str, str] | None:
    """Where the metric has another breakdown (specialty, say), a choice of one of its members."""
    metric = ws.config.metrics[view.metric]
    other = next((d for d in metric.drill if d not in ORG_LEVELS and d != view.dimension), None)
    if other is None:
        return None
    members = list(ws.engine.breakdown(view.metric, org, other, period)["member"])
    if not members:
        return None
    chosen = st.selectbox(key_words(other).capitalize(), ["All", *sorted(members)], key=f"within-{view.title}",
                          help=f"Show the shape for one {key_words(other)}")
    return None if chosen == "All" else (other, chosen)


def _trajectory(ws: Workspace, portfolio: Portfolio, view: TrajectoryView, org: str, period: str) -> None:
    """Plan against actual, then the latest figures and how long the target is at the current rate."""
    engine, metric = ws.engine, ws.config.metrics[view.metric]
    start = Month(period) - (view.months - 1)
    series = engine.series(view.metric, org, start=start, end=period)
    series = series[series["value"].notna()]
    if series.empty:
        st.caption(f"{view.title}: {metric.label} is not reported for {ws.tree[org].name}.")
        return
    exported.chart(plan_chart(metric, series, title=view.title, place=ws.tree[org].name),
                    alt=f"Line chart of {metric.label} for {ws.tree[org].name} against plan and target.")
    summary = engine.summary(view.metric, org, series["period"].iloc[-1])  # the latest month with a figure
    target = summary.target or (metric.targets[-1] if metric.targets else None)
    columns = st.columns(3)
    columns[0].metric(f"Actual, {Month(summary.value_period).label}", format_value(metric, summary.value))
    if summary.plan is not None:
        chip = against_plan(metric, summary.value, summary.variance_to_plan)
        columns[1].metric(f"Plan, {Month(summary.value_period).label}", format_value(metric, summary.plan),
                          **chip_delta(chip))
    if target is not None:
        months = months_to_target(list(series["value"]), target.value, metric.improvement)
        columns[2].metric(f"Months to target ({format_target(metric, target)}) at the current rate",
                          "Met" if months == 0 else ("Not at the current rate" if months is None else f"{months:g}"),
                          help="At the average monthly change of the last three months.")
    notes = [*([] if summary.plan is not None else
               [f"No plan for {Month(summary.value_period).label}."]),
             *([metric.target_pending] if target is None and metric.target_pending else [])]
    if notes:
        st.caption(" ".join(notes))


def _heatmap(ws: Workspace, portfolio: Portfolio, view: HeatmapView, org: str, period: str) -> None:
    if (parts := heat_parts(ws, view, org, period)) is None:
        st.caption(f"{ws.config.metrics[view.metric].label} is not reported by {view.by} and "
                   f"{key_words(view.dimension)} here.")
    _draw_table(parts)


def heat_parts(ws: Workspace, view: HeatmapView, org: str, period: str) -> TableParts | None:
    """Organisations down, breakdown members across (providers × diagnostic tests, say); each
    figure opens that organisation's deep dive of that member. None when nothing is reported."""
    metric = ws.config.metrics[view.metric]
    table = heat_table(ws.engine, view, org, period)
    if not table.codes:
        return None
    body = []
    for code in table.codes:
        target = metric.target_for(period, code)
        body.append([Cell(ws.tree[code].name),
                     *(marked_cell(metric, value, status(metric, value, target), target,
                                   link=link(DEEP_DIVE, metric=metric.id, org=code, part=f"{view.dimension}:{member}"))
                       if (value := table.values.get((code, member))) is not None else Cell("–")
                       for member in table.members)])
    return TableParts([view.by.capitalize(), *table.members], body, f"{view.title}, {Month(period).label}", kept=1,
                      key=f"{metric.label} · target {format_target(metric, metric.target_for(period))} · ✔ meets it · "
                      "✘ and red: below it · – not reported")


Draw = Callable[[Workspace, Portfolio, ViewSpec, str, str], None]  # (ws, portfolio, view, org, period)


@dataclass(frozen=True)
class Renderer:
    """How one kind of view is drawn on its page; a table a meeting shows as slides also gives its parts."""

    draw: Draw
    titled: bool = False  # its chart or table carries the view's title; else a heading gives it, unless its tab does
    parts: Callable[[Workspace, ViewSpec, str, str], TableParts | None] | None = None


# each kind of view (the classes in portfolio/config/schema.py) → how it is drawn
RENDERERS: dict[str, Renderer] = {
    "standards": Renderer(_standards, titled=True, parts=standards_parts),
    "distribution": Renderer(_distribution, titled=True),
    "trajectory": Renderer(_trajectory, titled=True),
    "heatmap": Renderer(_heatmap, titled=True, parts=heat_parts),
    "position": Renderer(position_view),
    "statement": Renderer(statement_view),
    "waterfall": Renderer(waterfall_view, titled=True),
    "framework": Renderer(framework_view),
    "kvi": Renderer(kvi_view),
    "map": Renderer(map_view),
    "comparison": Renderer(comparison_view, titled=True),
    "milestones": Renderer(milestones_view),
}
TABLE_PARTS = {kind: renderer.parts for kind, renderer in RENDERERS.items() if renderer.parts}  # for table slides
