"""A meeting's slides, made for a shared screen: each one HTML block that fits 1280×720 and
1920×1080 with no scrolling, at presenter type (text 24 px, headline figures 52 px, chart axis
labels 16 px). Four kinds, from ``portfolio.outputs.meetings``: the system summary (icon matrix and the
first exceptions) and the exceptions that run on from it; a portfolio's headlines beside its
narrative; a metric's headline, icons and SPC chart beside its narrative; and a page of a
standards or heat table. The period, organisation and data-as-at are printed on every slide.
Every piece of text from the config, the commentary or the extracts is escaped; the chart is SVG
drawn on the server by vl-convert from the same builder as the pages."""

from __future__ import annotations

from html import escape

import altair as alt
import vl_convert

from components.html_table import kept_together, table_html
from components.portfolio_views import TABLE_PARTS
from components.tiles import exceptions_html, matrix_html
from portfolio.config.commentary import (Commentary, metric_commentary, portfolio_commentary, slide_narrative,
                                         written_for)
from portfolio.config.months import Month
from portfolio.config.schema import Meeting
from portfolio.figures.judgement import ASSURANCE_GROUPS, BETTER, ESCALATIONS, WORSE, exceptions
from portfolio.figures.summaries import MetricSummary
from portfolio.figures.workspace import Workspace
from portfolio.outputs.charts import spc_chart
from portfolio.outputs.formatting import change, data_words, format_status, format_target, format_value
from portfolio.outputs.icons import data_uri, icon_svg, icon_words, shown_icons
from portfolio.outputs.meetings import EXCEPTIONS, METRIC, PORTFOLIO, SUMMARY, TABLE, Step

CHART_SIZE = (610, 300)  # the SVG's own size, in pixels: the metric slide's left column at 1280×720
CHANGE_TONES = {BETTER: "better", WORSE: "worse"}


def slide_html(ws: Workspace, meeting: Meeting, org: str, step: Step, number: int, total: int) -> str:
    """The whole slide: its title, its body for its kind, and the footer that says what it shows."""
    period = meeting.period
    body = {SUMMARY: _summary, EXCEPTIONS: _summary, PORTFOLIO: _portfolio, METRIC: _metric,
            TABLE: _table}[step.kind](ws, org, period, step)
    extracts = ({ws.config.metrics[step.metric].source.extract} if step.metric else
                {m.source.extract for m in ws.config.portfolio(step.portfolio).metrics} if step.portfolio else None)
    # one line at 1280 pixels: the period, the organisation and the data's date (the presenter bar
    # says whether small counts are hidden), then any extract behind the slide that is out of date
    footer = [Month(period).fy_label, ws.tree[org].name, data_words(ws.data_as_at(extracts), ws.synthetic)]
    footer += [f"{r.info.title} is out of date" for r in ws.stale_extracts() if extracts is None or r.file in extracts]
    return (f'<section class="pp-slide pp-slide-{step.kind}" aria-label="Slide {number} of {total}">'
            f"<h1>{escape(step.heading)}</h1>{body}"
            f'<p class="pp-slide-footer">{escape(" · ".join(footer))}</p></section>')


def _summary(ws: Workspace, org: str, period: str, step: Step) -> str:
    """The summary: the icon matrix and how many metrics are escalated, and why; the exceptions
    themselves follow on slides of their own."""
    portfolios = ws.config.portfolios
    every = {p.id: ws.engine.portfolio_summaries(p.id, org, period) for p in portfolios}
    if step.kind == EXCEPTIONS:
        return f'<div class="pp-slide-body">{exceptions_html(portfolios, every, step.rows)}</div>'
    found = exceptions([s for p in portfolios for s in every[p.id]])
    reasons = [f"{count} {reason[0].lower() + reason[1:]}" for reason in ESCALATIONS
               if (count := sum(why == reason for _, why in found))]
    escalated = (f"Exceptions: {len(found)} metric{'s' if len(found) != 1 else ''} escalated: " + "; ".join(reasons)
                 if found else "No metric shows special cause concern or will consistently miss its target.")
    key = " · ".join(f"{letter}: {ASSURANCE_GROUPS[group].lower()}" for letter, group in
                     (("P", "pass"), ("?", "inconsistent"), ("F", "fail")))
    return (f'<div class="pp-slide-body">{matrix_html(portfolios, every, compact=True)}'
            f'<p class="pp-slide-note">Assurance icons: {escape(key)}</p>'
            f"<p>{escape(escalated)}.</p></div>")


def _picture(svg: str, words: str, css: str = "") -> str:
    """An SVG as an image with its words: the page's HTML sanitiser keeps images, not inline SVG."""
    return f'<img src="{data_uri(svg)}" alt="{escape(words)}"{f" class={css!r}" if css else ""}>'


def _icons(summary: MetricSummary, size: int) -> str:
    return "".join(_picture(icon_svg(kind, icon, size), icon_words(kind, icon), "pp-icon")
                   for kind, icon in shown_icons(summary))


def _figure(summary: MetricSummary) -> str:
    """A headline: the figure with its icons (and its month, where it is not the reporting month:
    an annual figure), the target and status, and the month's change."""
    metric = summary.metric
    value = format_value(metric, summary.value, apart_from=summary.target.value if summary.target else None)
    chip = change(summary)
    target = f"Target {format_target(metric, summary.target)} · " if summary.target else ""
    chip_line = (f'<p class="pp-slide-change {CHANGE_TONES.get(chip.tone, "")}">{kept_together(chip.text)}</p>'
                 if chip.text else "")
    late = (f'<span class="pp-slide-note pp-slide-when">{kept_together(Month(summary.value_period).label)}</span>'
            if summary.value_period and summary.value_period != summary.period else "")
    return (f'<div class="pp-slide-figure"><p class="pp-slide-value">{escape(value)}{_icons(summary, 44)}{late}</p>'
            f'<p>{kept_together(target + format_status(summary.status))}</p>{chip_line}</div>')


def _narrative(ws: Workspace, note: Commentary | None, org: str, period: str) -> str:
    if note is None:
        return (f'<div class="pp-slide-narrative"><p class="pp-slide-note">No narrative has been written for '
                f"{escape(Month(period).label)}.</p></div>")
    parts = "".join(
        (f"<h2>{escape(heading)}</h2>" if heading else "") + "".join(f"<p>{escape(line)}</p>" for line in lines)
        for heading, lines in slide_narrative(note))
    whose = written_for(note, org, ws.tree)
    said = "" if whose.startswith("Written for") else f'<p class="pp-slide-note">{escape(whose)}</p>'
    return f'<div class="pp-slide-narrative">{said}{parts}</div>'


def _portfolio(ws: Workspace, org: str, period: str, step: Step) -> str:
    portfolio = ws.config.portfolio(step.portfolio)
    by_id = {s.metric.id: s for s in ws.engine.portfolio_summaries(portfolio.id, org, period)}
    shown = [by_id[m.id] for m in portfolio.headline_metrics if by_id[m.id].available]
    tiles = "".join(f'<div class="pp-slide-tile"><h2>{escape(s.metric.label)}</h2>{_figure(s)}</div>' for s in shown)
    if not shown:
        tiles = '<p class="pp-slide-note">None of its headline metrics is reported for this organisation.</p>'
    note = portfolio_commentary(ws.config.folder, portfolio.id, period, org)
    return (f'<div class="pp-slide-body pp-slide-columns"><div class="pp-slide-tiles">{tiles}</div>'
            f"{_narrative(ws, note, org, period)}</div>")


def _metric(ws: Workspace, org: str, period: str, step: Step) -> str:
    metric = ws.config.metrics[step.metric]
    summary = ws.engine.summary(metric.id, org, period)
    note = metric_commentary(ws.config.folder, metric.id, period, org)
    if not summary.available:
        return f'<p class="pp-slide-note">{escape(metric.label)} is not reported for {escape(ws.tree[org].name)}.</p>'
    icons = " · ".join(icon_words(kind, icon) for kind, icon in shown_icons(summary))
    icons = f'<p class="pp-slide-note">{escape(icons)}</p>' if icons else ""
    return (f'<div class="pp-slide-body"><div>{_figure(summary)}{icons}</div><div class="pp-slide-columns">'
            f'<div class="pp-slide-chart">{_chart(ws, metric.id, org, period)}</div>'
            f"{_narrative(ws, note, org, period)}</div></div>")


def _chart(ws: Workspace, metric_id: str, org: str, period: str) -> str:
    """The SPC chart of the display window as SVG at presenter sizes, and its key; a line saying
    why where there are too few months."""
    metric = ws.config.metrics[metric_id]
    spc = ws.engine.spc(metric_id, org, period)
    if spc is None:
        return '<p class="pp-slide-note">Too few months for an SPC chart.</p>'
    series = ws.engine.series(metric_id, org, end=period)
    chart, key = spc_chart(metric, spc.points, series[series["value"].notna()], period)
    width, height = CHART_SIZE
    # the slide's title names the metric: the chart is titled with what its subtitle says (unit,
    # months, where the limits come from), at the axes' size
    spec = (chart.properties(width=width, height=height, autosize={"type": "fit", "contains": "padding"},
                             title=alt.TitleParams(chart.title.subtitle, anchor="start", fontSize=16,
                                                   fontWeight="normal", color="#4c6272"))
            .configure_axis(labelFontSize=16, titleFontSize=16).to_dict())
    words = f"SPC chart of {metric.label}, {ws.tree[org].name}, {Month(period).label} and the months before"
    return (f"<figure>{_picture(vl_convert.vegalite_to_svg(spec), words, 'pp-slide-spc')}"
            f"<figcaption>{escape(key)}</figcaption></figure>")


def _table(ws: Workspace, org: str, period: str, step: Step) -> str:
    view = next(v for v in ws.config.portfolio(step.portfolio).views if v.title == step.view)
    parts = TABLE_PARTS[view.kind](ws, view, org, period)
    if parts is None:
        return f'<p class="pp-slide-note">{escape(view.title)}: nothing is reported for this organisation.</p>'
    columns, rows = parts.part(step.rows, step.columns)
    return (f'<div class="pp-slide-body">{table_html(columns, [(None, rows)], parts.caption)}'
            f'<p class="pp-slide-note">{escape(parts.key)}</p></div>')
