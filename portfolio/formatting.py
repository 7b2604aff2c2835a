"""Writing figures the way NHS board papers do, in one place for every table, tile, chart label,
tooltip, map label and export: 62.9%, 00:07:51, 8,415, £12.3m, (£4.5m), +1.2 pts.

* Thousands separators everywhere.
* Money in £m (or £k where a metric says so, and the axis or heading says so too); deficits and
  costs in brackets, and a figure that rounds to nothing is never bracketed ("£0.0m").
* Differences of percentages in percentage points ("−1.0 pts").
* One duration style: hh:mm:ss.
* Decimals set per metric (``format: decimals``); shares and percentages worked out here to one.
* Small counts hidden while presenting in public ("*"), but never a change or a difference.
"""

from __future__ import annotations

import math
from contextvars import ContextVar
from typing import TYPE_CHECKING

from portfolio.config import Metric, SmallNumbers, Target
from portfolio.periods import fy_month_label, parse_month

if TYPE_CHECKING:
    from portfolio.workspace import Workspace

# The small-number rule in force for this run of the dashboard (set while presenting a meeting in
# public, None otherwise): counts it covers are written as its symbol wherever they are formatted.
SUPPRESSION: ContextVar[SmallNumbers | None] = ContextVar("suppression", default=None)

NO_DATA = "no data"
MINUS = "−"  # a true minus sign, as printed
MET, MISS = "✔", "✘"  # a figure's mark against its target: never colour alone
STATUS_SYMBOLS = {"met": f"{MET} Met", "not met": f"{MISS} Not met", "no target": "No target", "no data": "No data"}
# what a chart's axis measures, by display style (a count's noun comes from the metric: format.unit_label)
AXIS_UNITS = {"percent": (1.0, "%"), "hhmmss": (60.0, "minutes"), "minutes": (60.0, "minutes"),
              "days": (1.0, "days"), "gbp_m": (1000.0, "£m"), "gbp_k": (1.0, "£k")}


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


def _rounded(value: float, decimals: int) -> float:
    """The value as it will be printed, so that −0.04 at one decimal is 0.0, never −0.0."""
    shown = round(value, decimals)
    return 0.0 if shown == 0 else shown


def format_value(metric: Metric, value: float | None, *, style: str | None = None, suppress: bool = True,
                 apart_from: float | None = None) -> str:
    """The figure as a board paper would print it; "no data" when there is none. ``suppress``
    off for a figure that is not a count of people (a change, a variance). With ``apart_from`` (its
    target), a figure that differs from it but would print the same is given up to two more
    decimals, so that 3.24% against a target of 3.2% never reads "3.2% ✘ against ≤ 3.2%"."""
    if _missing(value):
        return NO_DATA
    if suppress and is_small(metric, value):
        return SUPPRESSION.get().symbol
    style, decimals = style or metric.style, metric.decimals
    if apart_from is not None and value != apart_from:
        for extra in (0, 1, 2):
            if _written(metric, value, style, decimals + extra) != _written(metric, apart_from, style, decimals + extra):
                break
        decimals += extra
    return _written(metric, value, style, decimals)


def _written(metric: Metric, value: float, style: str, decimals: int) -> str:
    if style == "percent":
        return f"{_rounded(value, decimals):,.{decimals}f}%".replace("-", MINUS)
    if style == "hhmmss":
        return (MINUS if round(value) < 0 else "") + hhmmss(value)
    if style == "minutes":
        return f"{_rounded(value / 60, decimals):,.{decimals}f} min".replace("-", MINUS)
    if style == "days":
        return f"{_rounded(value, decimals):,.{decimals}f} days".replace("-", MINUS)
    if style in ("gbp_m", "gbp_k"):
        amount = _rounded(value / 1000 if style == "gbp_m" else value, decimals)
        text = f"£{abs(amount):,.{decimals}f}{'m' if style == 'gbp_m' else 'k'}"
        return f"({text})" if amount < 0 else text  # deficits and costs in brackets
    return f"{_rounded(value, decimals):,.{decimals}f}".replace("-", MINUS)


def format_change(metric: Metric, change: float | None) -> str:
    """A signed change: percentages in percentage points, times as ±hh:mm:ss, money as ±£1.2m.
    Never hidden as a small count: a change is not a count of people."""
    if _missing(change):
        return NO_DATA
    magnitude = format_value(metric, abs(change), suppress=False)
    if metric.style == "percent":
        magnitude = magnitude.removesuffix("%") + " pts"
    return magnitude if rounds_to_nothing(metric, change) else ("+" if change > 0 else MINUS) + magnitude


def rounds_to_nothing(metric: Metric, value: float) -> bool:
    """Whether the figure is printed as nothing at all (0.0 pts, £0.0m, 00:00:00): it gets no sign."""
    if metric.style == "hhmmss":
        return round(value) == 0
    scale = {"gbp_m": 1000, "minutes": 60}.get(metric.style, 1)
    return _rounded(value / scale, metric.decimals) == 0


def format_variance(metric: Metric, variance: float | None) -> str:
    """Actual less plan (or target): money as a finance table prints it, with an adverse or
    negative figure in brackets; anything else as a signed change (points for percentages)."""
    if _missing(variance):
        return "–"
    if metric.style in ("gbp_m", "gbp_k"):
        return format_value(metric, variance, suppress=False)
    return format_change(metric, variance)


def format_percent(value: float | None, decimals: int = 1) -> str:
    """A share or percentage worked out for a view (of plan, of the total): "82.0%"."""
    if _missing(value):
        return "–"
    if 0 < abs(value) < 0.5 * 10 ** -decimals:  # a few patients of many: not nothing
        return f"<{10 ** -decimals:.{decimals}f}%"
    return f"{_rounded(value, decimals):,.{decimals}f}%".replace("-", MINUS)


def format_points(value: float | None, decimals: int = 1) -> str:
    """A difference of two percentages: "+1.2 pts"."""
    if _missing(value):
        return "–"
    shown = _rounded(value, decimals)
    sign = "+" if shown > 0 else (MINUS if shown < 0 else "")
    return f"{sign}{abs(shown):,.{decimals}f} pts"


def format_count(value: float | None) -> str:
    """A count with thousands separators (a numerator, a denominator, a number of rows)."""
    return "–" if _missing(value) else f"{_rounded(value, 0):,.0f}"


def key_words(key: str) -> str:
    """A breakdown or level as a sentence says it: "imd_decile" → "imd decile"."""
    return key.replace("_", " ")


def format_status(status: str) -> str:
    return STATUS_SYMBOLS[status]


def marked(metric: Metric, value: float | None, status: str, show_met: bool = True, target: Target | None = None) -> str:
    """The figure with ✘ when below target (and ✔ when meeting it, unless ``show_met`` is off);
    "–" when there is no figure. With its ``target``, never printed the same as the target it misses."""
    if value is None or value != value:
        return "–"
    marks = {"not met": f" {MISS}", "met": f" {MET}" if show_met else ""}
    return format_value(metric, value, apart_from=target.value if target else None) + marks.get(status, "")


def format_target(metric: Metric, target) -> str:
    if target is None:
        return "–"
    return f"{metric.comparison_for(target).replace('>=', '≥').replace('<=', '≤')} {format_value(metric, target.value, suppress=False)}"


def axis_unit(metric: Metric) -> tuple[float, str]:
    """Divide stored values by this to plot them, and the unit the axis is titled with: "%",
    "minutes", "£m", "£k", "days", or what a count counts ("patients", "weeks")."""
    if metric.style in AXIS_UNITS:
        return AXIS_UNITS[metric.style]
    return 1.0, metric.format.unit_label or {"count": "number", "rate": "rate"}.get(metric.unit, "ratio")


def context_line(ws: Workspace, period: str, org: str, extracts: set[str] | None = None,
                 reported_by: str | None = None) -> str:
    """Period · organisation (and, where one organisation within it reports every figure, whose
    figures they are) · data as at · synthetic or not."""
    parts = [f"Period: {fy_month_label(parse_month(period))}",  # the one reporter by its short name: space forces it
             f"Organisation: {ws.tree[org].name}" + (f" (figures: {ws.tree.label(reported_by)})" if reported_by else "")]
    parts.append(data_words(ws.data_as_at(extracts), ws.synthetic))
    return " · ".join(part for part in parts if part)


def data_words(as_at, synthetic: bool) -> str:
    """"Data as at 12 Nov 2026", or "Synthetic sample data as at 12 Nov 2026"."""
    date = f" as at {as_at:%d %b %Y}" if as_at else ""
    return f"Synthetic sample data{date}" if synthetic else (f"Data{date}" if date else "")
