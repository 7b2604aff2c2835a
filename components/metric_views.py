"""A metric's headline figure and the words that say how it is doing."""

from __future__ import annotations

import streamlit as st

from components.icons import icon_markdown
from portfolio.engine import MetricSummary
from portfolio.formatting import format_change, format_progress, format_status, format_target, format_value
from portfolio.periods import month_label, parse_month

def _month(period: str | None) -> str:
    return month_label(parse_month(period)) if period else ""


SPC_WORDS = {
    "common_cause": "Common cause",
    "improvement_high": "Improving (special cause)",
    "improvement_low": "Improving (special cause)",
    "concern_high": "Concern (special cause)",
    "concern_low": "Concern (special cause)",
    "neutral_high": "Special cause, higher",
    "neutral_low": "Special cause, lower",
}
ASSURANCE_WORDS = {"pass": "Will meet target", "fail": "Will miss target", "inconsistent": "Hit and miss"}


def progress_text(summary: MetricSummary) -> str:
    """SPC's reading once there are 15 months; before that, the month-on-month change judged
    against the improvement direction."""
    if summary.judged_by_spc:
        return SPC_WORDS[summary.variation_icon]
    return format_progress(summary.direction, summary.progress)


def change_text(summary: MetricSummary) -> str | None:
    if summary.change is None:
        return None
    text = f"{format_change(summary.metric, summary.change)} vs {_month(summary.previous_period)}"
    # the arrow is drawn by st.metric; the words say whether it is good news
    return f"{text} · {progress_text(summary)}"


def _delta_colour(summary: MetricSummary) -> str:
    if summary.improving:
        return "green"
    return "red" if summary.deteriorating else "gray"


def headline(summary: MetricSummary, icons: bool = True) -> None:
    """One metric as a large figure: value, change with its improvement-coded meaning, target and,
    from 15 months, the two Making Data Count icons (unless the caller shows them itself)."""
    metric = summary.metric
    figure, icons = st.columns([3, 1]) if summary.judged_by_spc and icons else (st.container(), None)
    figure.metric(
        metric.label,
        format_value(metric, summary.value),
        delta=change_text(summary),
        delta_color=_delta_colour(summary),
        delta_arrow={"up": "up", "down": "down"}.get(summary.direction, "off"),
        help=metric.definition,
    )
    earlier = summary.value_period and summary.value_period != summary.period  # an annual figure, say
    late = f" (latest: {_month(summary.value_period)})" if earlier else ""
    assurance = f" · {ASSURANCE_WORDS[summary.assurance_icon]}" if summary.assurance_icon else ""
    figure.caption(f"Target {format_target(metric, summary.target)} · {format_status(summary.status)}{assurance}{late}")
    if icons is not None:
        icons.markdown(f"{icon_markdown('variation', summary.variation_icon)}  \n"
                       f"{icon_markdown('assurance', summary.assurance_icon)}")
