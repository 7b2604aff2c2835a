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
from dataclasses import dataclass
from typing import TYPE_CHECKING

from portfolio.config.months import Month
from portfolio.config.schema import Metric, Target
from portfolio.figures.judgement import BETTER, NO_CHANGE, NOT_JUDGED, WORSE, rounds_to_nothing
from portfolio.figures.suppression import SUPPRESSION, is_small

if TYPE_CHECKING:
    from portfolio.figures.workspace import Workspace

NO_DATA = "no data"
MINUS = "−"  # a true minus sign, as printed
MET, MISS = "✔", "✘"  # a figure's mark against its target: never colour alone
STATUS_SYMBOLS = {"met": f"{MET} Met", "not met": f"{MISS} Not met", "no target": "No target", "no data": "No data"}
# what a chart's axis measures, by display style (a count's noun comes from the metric: format.unit_label)
AXIS_UNITS = {"percent": (1.0, "%"), "hhmmss": (60.0, "minutes"), "minutes": (60.0, "minutes"),
              "days": (1.0, "days"), "gbp_m": (1000.0, "£m"), "gbp_k": (1.0, "£k")}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


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
    parts = [f"Period: {Month(period).fy_label}",  # the one reporter by its short name: space forces it
             f"Organisation: {ws.tree[org].name}" + (f" (figures: {ws.tree.label(reported_by)})" if reported_by else "")]
    parts.append(data_words(ws.data_as_at(extracts), ws.synthetic))
    return " · ".join(part for part in parts if part)


def data_words(as_at, synthetic: bool) -> str:
    """"Data as at 12 Nov 2026", or "Synthetic sample data as at 12 Nov 2026"."""
    date = f" as at {as_at:%d %b %Y}" if as_at else ""
    return f"Synthetic sample data{date}" if synthetic else (f"Data{date}" if date else "")


@dataclass(frozen=True)
class Change:
    """What the month did, as a chip says it ("−1.0 pts, worse than Sep-26") and as a table cell
    says it in a word ("↓ Worse")."""

    tone: str  # better, worse, no change, not judged, no data (no chip), hidden (small numbers)
    text: str
    arrow: str  # up, down or off
    short: str = "–"


def change(summary) -> Change:
    """The month's change in the metric's unit and what it means given the improvement direction.
    Never SPC: variation has its own icon and words. A change is never hidden as a small count,
    but it is withheld when either figure it is worked out from is hidden (or subtraction would
    reveal it). A cost held as a negative figure, where neither way is better, is said by its size:
    "£4.9m less than Sep-26"."""
    if summary.value is None or summary.previous is None:
        return Change(NO_DATA, "", "off")
    metric = summary.metric
    if is_small(metric, summary.value) or is_small(metric, summary.previous):
        return Change("hidden", "change not shown: small numbers", "off")
    month = Month(summary.previous_period).label
    amount = format_change(metric, summary.change)
    arrow = summary.direction if summary.direction in ("up", "down") else "off"
    mark = {"up": "↑", "down": "↓"}.get(arrow, "→")
    if summary.progress == NO_CHANGE:
        text = f"No change from {month}" if summary.change == 0 else f"{amount}, about the same as {month}"
        return Change(NO_CHANGE, text, "off", "→ Same")
    if summary.progress != NOT_JUDGED:
        return Change(summary.progress, f"{amount}, {summary.progress} than {month}", arrow,
                      f"{mark} {summary.progress.capitalize()}")
    if summary.value < 0 and summary.previous < 0:  # a cost: its size went down or up
        smaller = abs(summary.value) < abs(summary.previous)
        size = format_value(metric, abs(summary.change), suppress=False)
        arrow = "down" if smaller else "up"
        return Change(NOT_JUDGED, f"{size} {'less' if smaller else 'more'} than {month}", arrow,
                      "↓ Less" if smaller else "↑ More")
    higher = summary.direction == "up"
    return Change(NOT_JUDGED, f"{amount}, {'higher' if higher else 'lower'} than {month}", arrow,
                  f"{mark} {'Higher' if higher else 'Lower'}")


def against_plan(metric, actual: float | None, variance: float | None) -> Change:
    """Actual against plan as a chip: "+49, worse than plan", coloured by the improvement direction;
    withheld when the actual is a hidden count (the plan beside it would give it away)."""
    if variance is None:
        return Change(NO_DATA, "", "off")
    if is_small(metric, actual):
        return Change("hidden", "against plan: not shown (small numbers)", "off")
    amount = format_variance(metric, variance)
    if rounds_to_nothing(metric, variance):
        return Change(NO_CHANGE, "on plan", "off", "→ On plan")
    arrow = "up" if variance > 0 else "down"
    if metric.improvement == "neutral":
        return Change(NOT_JUDGED, f"{amount} against plan", arrow)
    better = (variance > 0) == (metric.improvement == "increase")
    return Change(BETTER if better else WORSE, f"{amount}, {'better' if better else 'worse'} than plan", arrow)
