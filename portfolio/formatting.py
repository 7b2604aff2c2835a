"""Writing figures the way NHS board papers do: 62.9%, 00:07:51, 8,415, £12.3m, (£4.5m)."""

from __future__ import annotations

import math
from contextvars import ContextVar

from portfolio.config import Metric, SmallNumbers

# The small-number rule in force for this run of the dashboard (set while presenting a meeting in
# public, None otherwise): counts it covers are written as its symbol wherever they are formatted.
SUPPRESSION: ContextVar[SmallNumbers | None] = ContextVar("suppression", default=None)

NO_DATA = "no data"
ARROWS = {"up": "↑", "down": "↓", "no change": "→", "no data": ""}
PROGRESS_WORDS = {
    "improving": "Improving",
    "deteriorating": "Deteriorating",
    "no change": "No change",
    "not judged": "Not judged",
    "no data": "No data",
}
STATUS_SYMBOLS = {"met": "✔ Met", "not met": "✘ Not met", "no target": "No target", "no data": "No data"}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def is_small(metric: Metric, value: float | None, rule: SmallNumbers | None = None) -> bool:
    """A count small enough to identify people under the rule in force (or ``rule``)."""
    rule = rule or SUPPRESSION.get()
    return (rule is not None and metric.unit == "count" and not _missing(value)
            and rule.low <= value <= rule.high)


def hhmmss(seconds: float) -> str:
    total = round(abs(seconds))
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def format_value(metric: Metric, value: float | None, *, style: str | None = None) -> str:
    """The figure as a board paper would print it; "no data" when there is none."""
    if _missing(value):
        return NO_DATA
    if is_small(metric, value):
        return SUPPRESSION.get().symbol
    style = style or metric.style
    decimals = metric.decimals
    if style == "percent":
        return f"{value:.{decimals}f}%"
    if style == "hhmmss":
        return ("-" if value < 0 else "") + hhmmss(value)
    if style == "minutes":
        return f"{value / 60:,.{decimals}f} min"
    if style == "days":
        return f"{value:,.{decimals}f} days"
    if style in ("gbp_m", "gbp_k"):
        amount = f"£{abs(value) / 1000:,.{decimals}f}m" if style == "gbp_m" else f"£{abs(value):,.{decimals}f}k"
        return f"({amount})" if value < 0 else amount  # deficits and costs in brackets
    return f"{value:,.{decimals}f}"


def format_change(metric: Metric, change: float | None) -> str:
    """A signed change: percentages in percentage points, times as ±hh:mm:ss."""
    if _missing(change):
        return NO_DATA
    sign = "+" if change > 0 else ("−" if change < 0 else "")
    if metric.style == "percent":
        return f"{sign}{abs(change):.{metric.decimals}f} pts"
    return sign + format_value(metric, abs(change))


def format_progress(direction: str, progress: str) -> str:
    """The direction of travel with its improvement-coded meaning: "↑ Improving"."""
    arrow = ARROWS.get(direction, "")
    return f"{arrow} {PROGRESS_WORDS[progress]}".strip()


def format_status(status: str) -> str:
    return STATUS_SYMBOLS[status]


def format_target(metric: Metric, target) -> str:
    if target is None:
        return "–"
    return f"{metric.comparison_for(target).replace('>=', '≥').replace('<=', '≤')} {format_value(metric, target.value)}"
