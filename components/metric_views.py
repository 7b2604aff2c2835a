"""A metric's headline figure: the value, a chip saying only what the month did (better or worse,
in the metric's unit), the target and its status, and, from 15 months, the two Making Data Count
icons with their own words."""

from __future__ import annotations

import streamlit as st

from portfolio.config.months import Month
from portfolio.figures.judgement import BETTER, WORSE
from portfolio.figures.summaries import MetricSummary
from portfolio.outputs.formatting import Change, change, format_status, format_target, format_value
from portfolio.outputs.icons import icon_markdown, icon_words, shown_icons

CHIP_COLOURS = {BETTER: "green", WORSE: "red"}  # anything else is grey: no change, not judged
MEASURE_WORDS = {"monthly_total": "In the month", "snapshot": "At the month end", "year_to_date": "Year to date"}


def chip_delta(chip: Change) -> dict[str, str | None]:
    """A chip as ``st.metric``'s delta: its words, green when better, red when worse, else grey."""
    return {"delta": chip.text or None, "delta_color": CHIP_COLOURS.get(chip.tone, "gray"),
            "delta_arrow": chip.arrow if chip.arrow in ("up", "down") else "off"}


def icon_line(summary: MetricSummary) -> str | None:
    """The two icons, small, each followed by its words; None with too few months for SPC."""
    parts = [f"{icon_markdown(kind, icon, 28)} {icon_words(kind, icon)}" for kind, icon in shown_icons(summary)]
    return " · ".join(parts) or None


def headline(summary: MetricSummary, with_icons: bool = True) -> None:
    """One metric as a large figure, its month's change, its target and status, and its icons
    (unless the caller shows them itself)."""
    metric = summary.metric
    chip = change(summary)
    st.metric(
        metric.label,
        format_value(metric, summary.value, apart_from=summary.target.value if summary.target else None),
        **chip_delta(chip),
        help=metric.definition,
    )
    earlier = summary.value_period and summary.value_period != summary.period  # an annual figure, say
    late = f" · latest figure: {Month(summary.value_period).label}" if earlier else ""
    target = f"Target {format_target(metric, summary.target)} · " if summary.target else ""
    basis = MEASURE_WORDS.get(metric.measure)  # "In the month": beside a year-to-date table, say which it is
    st.caption(f"{basis + ' · ' if basis else ''}{target}{format_status(summary.status)}{late}")
    if with_icons and (line := icon_line(summary)):
        st.caption(line)
