"""Views of a framework portfolio (social value): the themes → sub-themes → metrics tree, the KVI
scorecard, spend by place on a map, a breakdown against the population served, and the
milestone tracker. Every name on them comes from the portfolio's YAML and the extracts."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pydeck as pdk
import streamlit as st

from components import exported
from components.cache import cached, portfolio_summaries
from components.html_table import Cell, html_table
from components.maps import CHARACTERS, NO_BASEMAP
from components.marks import marked_cell, status_style
from components.state import link
from portfolio.config.commentary import portfolio_commentary, sections, written_for
from portfolio.config.months import Month
from portfolio.config.schema import Portfolio, ViewSpec, key_words
from portfolio.figures.framework import (BASIS_WORDS, Figure, framework, kvi_rows, milestones_at, representation,
                                         shares, theme_counts)
from portfolio.figures.judgement import COUNT_WORDS, status
from portfolio.figures.positions import basis_of
from portfolio.figures.views import natural_order
from portfolio.figures.workspace import Workspace
from portfolio.outputs.charts import NHS_BLUE, PLAN_GREY, drawable, titled
from portfolio.outputs.formatting import format_percent, format_points, format_status, format_target, format_value
from portfolio.outputs.icons import sparkline_svg
from portfolio.outputs.links import DEEP_DIVE

ALL_THEMES = "All themes"
MILESTONE_WORDS = {"achieved": "✔ Achieved", "due": "Due", "overdue": "✘ Overdue"}


@cached(max_entries=64)
def cached_framework(ws: Workspace, portfolio_id: str, org: str, period: str):
    summaries = portfolio_summaries(ws, portfolio_id, org, period)
    return framework(ws.engine, ws.config.portfolio(portfolio_id), org, period, summaries)


def framework_view(ws: Workspace, portfolio: Portfolio, view: ViewSpec, org: str, period: str) -> None:
    """The themes as a tree: a summary line per theme, then each chosen theme's narrative of
    actions and its metrics by sub-theme. Choosing a theme drills into it."""
    tree = cached_framework(ws, portfolio.id, org, period)
    if not tree:
        st.caption(f"{portfolio.title} is not reported for {ws.tree[org].name}.")
        return
    summary = pd.DataFrame([{"Theme": theme, **{COUNT_WORDS[k]: v for k, v in theme_counts(rows).items()}}
                            for theme, rows in tree.items()])
    exported.table(summary.set_index("Theme"), f"{view.title}: scoring by theme")
    chosen = st.pills("Theme", [ALL_THEMES, *tree], default=ALL_THEMES, key=f"theme-{portfolio.id}",
                      help="Choose a theme to see only its sub-themes, metrics and actions") or ALL_THEMES
    note = portfolio_commentary(ws.config.folder, portfolio.id, period, org)
    narratives = sections(note.text) if note else {}
    written = written_for(note, org, ws.tree) if note else None
    for theme in tree if chosen == ALL_THEMES else [chosen]:
        _theme(theme, tree[theme], narratives.get(theme), written)


def _latest(row) -> Cell:
    """The month's figure marked against target; with none this month, the latest before it, unjudged."""
    metric, summary = row.summary.metric, row.summary
    if summary.value is None and row.latest:
        return Cell(f"– ({Month(row.latest[0]).label}: {format_value(metric, row.latest[1])})")
    return marked_cell(metric, summary.value, summary.status, summary.target)


def _theme(theme: str, rows, narrative: str | None, written: str | None) -> None:
    st.subheader(theme, anchor=False)
    with st.container(border=True):
        if narrative:
            st.caption(f"Actions · {written}")
            st.markdown(narrative)  # Markdown only, never HTML
        else:
            st.caption("No narrative of actions has been written for this theme yet.")
    body = []
    for row in rows:
        metric = row.summary.metric
        trend = list(drawable(metric, pd.Series(row.trend, dtype="float64")).dropna())
        body.append([Cell(metric.label, link=link(DEEP_DIVE, metric=metric.id)),
                     Cell(row.subtheme or "–"),
                     _latest(row),
                     Cell(Month(row.summary.value_period).label if row.summary.value_period else "–"),
                     Cell(format_target(metric, row.summary.target), note=row.summary.target.label)
                     if row.summary.target else Cell(row.target_text),
                     Cell("" if len(trend) > 1 else "–",
                          picture=(sparkline_svg(trend, f"{metric.label}: the last 12 months"),
                                   f"{metric.label}: the last 12 months") if len(trend) > 1 else None)])
    html_table(["Metric", "Sub-theme", "Latest", "Month", "Target", "Last 12 months"], [(None, body)],
               caption=f"{theme}: each metric's latest figure, target and trend")


def kvi_view(ws: Workspace, portfolio: Portfolio, view: ViewSpec, org: str, period: str) -> None:
    """Each key value indicator: its pledge, target, last year's and this year's figure on its own
    basis (year to date, annual, rolling three months, cohort), status and provenance."""
    rows = kvi_rows(ws.engine, portfolio, org, period)
    if not rows:
        st.caption(f"No key value indicators are reported for {ws.tree[org].name}.")
        return
    table = pd.DataFrame([{
        "KVI": row.metric.kvi.code,
        "Indicator": row.metric.kvi.text,
        "Target": (row.target.label or format_target(row.metric, row.target)) if row.target else "–",
        "Basis": BASIS_WORDS[row.metric.kvi.basis],
        "Previous year": _figure_text(row.metric, row.previous),
        "This year": _figure_text(row.metric, row.current),
        "Status": format_status(row.status),
        "Source and flags": "; ".join(_flags(row.previous) + _flags(row.current)) or "–",
    } for row in rows])
    exported.table(table.set_index("KVI").style.map(status_style, subset=["Status"]), view.title)
    st.caption(f"As at {Month(period).label} · each figure on its indicator's own basis, with the "
               "months it covers · status: this year's figure against the target in force (last year's where the "
               "pledge was for last year)")


def _figure_text(metric, figure: Figure) -> str:
    if figure.value is None:
        return "–"
    return f"{format_value(metric, figure.value)} ({figure.covers}){' (estimate)' if figure.estimate else ''}"


def _flags(figure: Figure) -> list[str]:
    return [*figure.notes, *(["estimate"] if figure.estimate and not figure.notes else [])]


def map_view(ws: Workspace, portfolio: Portfolio, view: ViewSpec, org: str, period: str) -> None:
    """A breakdown by place (spend by the supplier's place) on a map with no basemap, and as a table
    with each place's share; places the portfolio counts as local are marked."""
    metric = ws.config.metrics[view.metric]
    basis = basis_of(metric)
    frame = shares(ws.engine, view.metric, org, view.dimension, period, basis)
    if frame.empty:
        st.caption(f"{metric.label} is not reported by {key_words(view.dimension)} for {ws.tree[org].name}.")
        return
    share_metric = next((other for other in portfolio.metrics  # a share of the same rows: what counts as local
                         if other.share and other.source_key == metric.source_key
                         and other.share.dimension == view.dimension), None)
    local = set(share_metric.share.members) if share_metric else set()
    places = {o.name: o for o in ws.tree.nodes.values() if o.level == "place"}
    located = frame[frame["member"].isin(places)]
    left, right = st.columns([3, 2])
    with left:
        deck = _place_map(metric, located, places, local)
        if deck is not None:
            st.pydeck_chart(deck, height=420)
            st.caption("Circle area: spend · dark blue: local in the trust's definition · no map tiles are loaded")
    with right:
        exported.table(pd.DataFrame({
            "Place": frame["member"],
            "Local": ["✔" if m in local else "" for m in frame["member"]],
            metric.heading: [format_value(metric, v) for v in frame["value"]],
            "Share": [format_percent(s) for s in frame["share"]],
        }).set_index("Place"), view.title)
        if share_metric:
            share = frame.loc[frame["member"].isin(local), "share"].sum()
            target = share_metric.target_for(period, org)
            judged = "" if target is None else (
                f" {format_status(status(share_metric, share, target)).lower()}: target "
                f"{format_target(share_metric, target)}")
            st.markdown(f"**Local ({', '.join(sorted(local))}): {format_percent(share)}** of {metric.label.lower()}, "
                        f"{'year to date' if basis == 'ytd' else Month(period).label}{judged}.")


def _place_map(metric, frame: pd.DataFrame, places: dict, local: set[str]) -> pdk.Deck | None:
    rows = [{"lat": places[m].lat, "lon": places[m].lon, "name": m, "value": v,
             "label": f"{m}: {format_value(metric, v)}",
             "colour": [0, 48, 135] if m in local else [65, 182, 230]}
            for m, v in zip(frame["member"], frame["value"]) if places[m].lat is not None]
    if not rows:
        return None
    data = pd.DataFrame(rows)
    biggest = data["value"].max() or 1
    data["radius"] = (data["value"].clip(lower=0) / biggest) ** 0.5 * 4500 + 700  # area in proportion to value
    view = pdk.ViewState(latitude=(data["lat"].min() + data["lat"].max()) / 2,
                         longitude=(data["lon"].min() + data["lon"].max()) / 2, zoom=8.1)
    circles = pdk.Layer("ScatterplotLayer", data=data, id="places", get_position="[lon, lat]", get_radius="radius",
                        get_fill_color="colour", get_line_color=[11, 12, 12], line_width_min_pixels=1, stroked=True,
                        opacity=0.75, pickable=True)
    labels = pdk.Layer("TextLayer", data=data, id="place-labels", get_position="[lon, lat]", get_text="label",
                       get_size=13, get_color=[11, 12, 12], get_text_anchor="'middle'", get_alignment_baseline="'top'",
                       get_pixel_offset=[0, 12], font_family="'Arial'", background=True,
                       get_background_color=[255, 255, 255, 210], character_set=CHARACTERS)
    return pdk.Deck(layers=[circles, labels], initial_view_state=view, map_style=NO_BASEMAP, tooltip={"text": "{label}"})


def comparison_view(ws: Workspace, portfolio: Portfolio, view: ViewSpec, org: str, period: str) -> None:
    """Each member's share of the metric beside its share of the reference (staff against the
    population served), for any breakdown the two share."""
    metric, reference = ws.config.metrics[view.metric], ws.config.metrics[view.reference]
    dimensions = [d for d in metric.drill if d in reference.drill]
    figure = st.container()  # the chart first; the choice of breakdown under it
    dimension = st.segmented_control(
        "Compare by", dimensions, default=view.dimension if view.dimension in dimensions else dimensions[0],
        format_func=_dimension_words,
        key=f"compare-{view.title}") or view.dimension
    with figure:
        _comparison(ws, view, org, period, dimension)


def _comparison(ws: Workspace, view: ViewSpec, org: str, period: str, dimension: str) -> None:
    metric, reference = ws.config.metrics[view.metric], ws.config.metrics[view.reference]
    frame = representation(ws.engine, view.metric, view.reference, org, dimension, period)
    if frame.empty:
        st.caption(f"{metric.label} and {reference.label.lower()} are not both reported for {ws.tree[org].name}.")
        return
    order = natural_order(list(frame["member"]))
    long = pd.concat([frame.assign(group=metric.heading, value=frame["share"]),
                      frame.assign(group=reference.heading, value=frame["reference_share"])])
    long = long.assign(shown=[format_percent(v) for v in long["value"]])
    chart = alt.Chart(long).mark_bar().encode(
        y=alt.Y("member:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X("value:Q", title="% of the total"),
        yOffset=alt.YOffset("group:N", sort=[metric.heading, reference.heading]),
        color=alt.Color("group:N", title=None, sort=[metric.heading, reference.heading],
                        scale=alt.Scale(range=[NHS_BLUE, PLAN_GREY]), legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("member:N", title="Group"), alt.Tooltip("group:N", title="Of"),
                 alt.Tooltip("shown:N", title="Share")],
    ).properties(height=max(200, 44 * len(order)), title=titled(
        view.title, f"% of the total in each {_dimension_words(dimension)} group, latest report to "
                    f"{Month(period).label}"))
    exported.chart(chart, alt=f"Bar chart: the share of {metric.label.lower()} and of the "
                               f"{reference.label.lower()} in each {key_words(dimension)} group.")
    st.caption(f"{metric.label} against {reference.label.lower()} · gap: percentage points above (+) or below (−) "
               "the population")
    rows = frame.set_index("member").reindex(order)
    exported.table(pd.DataFrame({
        _dimension_words(dimension): order,
        metric.heading: [_pct(v) for v in rows["share"]],
        reference.heading: [_pct(v) for v in rows["reference_share"]],
        "Gap": [_pct(v, signed=True) for v in rows["gap"]],
    }), view.title, hide_index=True)


def _dimension_words(dimension: str) -> str:
    """"imd_decile" → "IMD decile"."""
    return key_words(dimension).capitalize().replace("Imd", "IMD")


def _pct(value, signed: bool = False) -> str:
    return format_points(value) if signed else format_percent(value)


def milestones_view(ws: Workspace, portfolio: Portfolio, view: ViewSpec, org: str, period: str) -> None:
    """Each charter, award and submission as it stood in the reporting month."""
    found = milestones_at(portfolio, period)
    if not found:
        st.caption("No milestones are set for this portfolio.")
        return
    table = pd.DataFrame([{
        "Milestone": m.milestone.name,
        "Status": MILESTONE_WORDS[m.status],
        "Date": Month(m.date).label + ("" if m.status == "achieved" else " (due)"),
        "Next step": m.milestone.next_step or "–",
        "Source": m.milestone.source or "–",
    } for m in found])
    exported.table(table.set_index("Milestone").style.map(status_style, subset=["Status"]), view.title)
    st.caption(f"As at {Month(period).label}: a milestone achieved later shows as due")
