"""How a metric is judged, decided once for every view:

* **status**: met, not met, no target or no data, against the target in force;
* **the month's change**: better, worse or about the same as the month before, given the
  metric's improvement direction (never mixed with SPC variation);
* **Making Data Count**: the words for the variation and assurance icons, which metrics are
  escalated as exceptions and why, and the summary icon matrix an IPR opens with;
* **counts by category** for a front sheet, a framework theme or a tile.

Pure functions over the engine's ``MetricSummary``; nothing here draws anything.
"""

from __future__ import annotations

import math

from portfolio.config.schema import Metric, Target
from portfolio.figures.suppression import is_small

MET, NOT_MET, NO_TARGET, NO_DATA = "met", "not met", "no target", "no data"
BETTER, WORSE, NO_CHANGE, NOT_JUDGED = "better", "worse", "no change", "not judged"

VARIATION_WORDS = {
    "common_cause": "Common cause variation",
    "improvement_high": "Special cause improvement (higher)",
    "improvement_low": "Special cause improvement (lower)",
    "concern_high": "Special cause concern (higher)",
    "concern_low": "Special cause concern (lower)",
    "neutral_high": "Special cause variation, higher (neither better nor worse)",
    "neutral_low": "Special cause variation, lower (neither better nor worse)",
}
ASSURANCE_WORDS = {
    "pass": "Will consistently meet the target",
    "inconsistent": "Will hit and miss the target",
    "fail": "Will consistently miss the target",
}

# The summary icon matrix: variation down, assurance across
VARIATION_GROUPS = {"improvement": "Improvement", "common_cause": "Common cause", "concern": "Concern",
                    "neither": "Neither"}
ASSURANCE_GROUPS = {"pass": "Pass", "inconsistent": "Hit and miss", "fail": "Fail", "no_target": "No target"}
# every cell of the matrix; "neither" is for neutral metrics, which have no target and so no assurance
MATRIX_CELLS = [(v, a) for v in VARIATION_GROUPS for a in ASSURANCE_GROUPS if v != "neither" or a == "no_target"]

# Why a metric is escalated, most serious first
CONCERN_AND_FAIL = "Special cause concern, and will consistently miss the target"
CONCERN = "Special cause concern"
FAIL = "Will consistently miss the target"
SHORT_AND_WORSE = "Not meeting target and worse than last month (too few months for SPC)"
ESCALATIONS = (CONCERN_AND_FAIL, CONCERN, FAIL, SHORT_AND_WORSE)


def status(metric: Metric, value: float | None, target: Target | None) -> str:
    """Met, not met, no target or no data: the one rule every view uses."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_DATA
    if target is None:
        return NO_TARGET
    met = value >= target.value if metric.comparison_for(target) == ">=" else value <= target.value
    return MET if met else NOT_MET


def month_on_month(metric: Metric, value: float, previous: float | None, tolerance: float) -> tuple[str, str]:
    """(direction, progress): up, down or no change, and better, worse, no change or not judged
    given the improvement direction. A change too small to print (0.0 pts) is no change, and so is
    one within ``tolerance`` of the previous value (a share of it, 0 by default)."""
    if previous is None:
        return NO_DATA, NO_DATA
    change = value - previous
    if rounds_to_nothing(metric, change) or abs(change) <= tolerance * abs(previous):
        return NO_CHANGE, NO_CHANGE
    direction = "up" if change > 0 else "down"
    if metric.improvement == "neutral":
        return direction, NOT_JUDGED
    return direction, BETTER if (direction == "up") == (metric.improvement == "increase") else WORSE


def rounds_to_nothing(metric: Metric, value: float) -> bool:
    """Whether the figure is printed as nothing at all (0.0 pts, £0.0m, 00:00:00): it gets no sign."""
    if metric.style == "hhmmss":
        return round(value) == 0
    scale = {"gbp_m": 1000, "minutes": 60}.get(metric.style, 1)
    return round(value / scale, metric.decimals) == 0


def year_to_date_withheld(metric, month_values) -> bool:
    """A year to date is withheld when a month in it is a hidden count: the months shown beside it
    would give the hidden one away by subtraction."""
    return any(is_small(metric, value) for value in month_values)


def year_to_date_status(summary) -> str | None:
    """The year so far against the target, where the two compare: a rate or mean over the year (or a
    year-to-date figure) is judged as a month is; a sum of monthly counts is not, so None."""
    if summary.fytd is None or summary.metric.measure not in ("mean", "year_to_date"):
        return None
    return status(summary.metric, summary.fytd, summary.target)


def variation_group(summary) -> str | None:
    """Improvement, common cause, concern or neither; None with too few months for SPC."""
    icon = summary.variation_icon
    if icon is None:
        return None
    return "common_cause" if icon == "common_cause" else {"improvement": "improvement", "concern": "concern",
                                                            "neutral": "neither"}[icon.split("_")[0]]


def assurance_group(summary) -> str | None:
    """Pass, hit and miss, fail or no target; None with too few months for SPC."""
    if summary.variation_icon is None:
        return None
    return summary.assurance_icon or "no_target"


def exception_reason(summary) -> str | None:
    """Why Making Data Count escalates the metric this month, or None. Judged by SPC: special
    cause concern, or a process that will consistently miss its target. With fewer than 15
    months: not meeting target and worse than the month before."""
    if not summary.available or summary.value is None:
        return None
    variation = variation_group(summary)
    if variation is None:
        return SHORT_AND_WORSE if summary.status == NOT_MET and summary.progress == WORSE else None
    concern, fail = variation == "concern", summary.assurance_icon == "fail"
    return CONCERN_AND_FAIL if concern and fail else CONCERN if concern else FAIL if fail else None


def exceptions(summaries) -> list[tuple[object, str]]:
    """(summary, reason) for every escalated metric, concern and fail first."""
    found = [(s, reason) for s in summaries if (reason := exception_reason(s))]
    return sorted(found, key=lambda item: ESCALATIONS.index(item[1]))


def icon_matrix(summaries) -> dict[tuple[str, str], list]:
    """(variation group, assurance group) → the summaries in that cell, for every cell of
    ``MATRIX_CELLS``, in order."""
    cells = {cell: [] for cell in MATRIX_CELLS}
    for summary in summaries:
        if summary.available and summary.value is not None and (variation := variation_group(summary)):
            cells[(variation, assurance_group(summary))].append(summary)
    return cells


def outside_the_matrix(summaries) -> int:
    """How many of the metrics reported for the organisation sit in no cell of ``icon_matrix``: too
    few months for SPC, or no figure this month."""
    placed = sum(len(found) for found in icon_matrix(summaries).values())
    return sum(s.available for s in summaries) - placed


def counts(summaries) -> dict[str, int]:
    """How many of the metrics reported for the organisation meet target, miss it, have no target
    or no figure this month (those four add up to the metrics), show special-cause improvement or
    concern, and are escalated."""
    shown = [s for s in summaries if s.available]
    return {
        "metrics": len(shown),
        MET: sum(s.status == MET for s in shown),
        NOT_MET: sum(s.status == NOT_MET for s in shown),
        NO_TARGET: sum(s.status == NO_TARGET for s in shown),
        NO_DATA: sum(s.status == NO_DATA for s in shown),
        "improvement": sum(variation_group(s) == "improvement" for s in shown),
        "concern": sum(variation_group(s) == "concern" for s in shown),
        "exceptions": sum(exception_reason(s) is not None for s in shown),
    }


COUNT_WORDS = {"metrics": "Metrics", MET: "Meeting target", NOT_MET: "Not meeting target", NO_TARGET: "No target",
               NO_DATA: "No figure this month", "improvement": "Special cause improvement",
               "concern": "Special cause concern", "exceptions": "Exceptions"}


def scoring(categories: list[str], summaries) -> list[dict[str, object]]:
    """The front sheet's scoring: ``counts`` for each category with a figure, then all of them."""
    rows = []
    for category in [*categories, None]:
        chosen = [s for s in summaries if category is None or s.metric.category == category]
        found = counts(chosen)
        if found["metrics"]:
            rows.append({"Category": category or "All metrics", **{COUNT_WORDS[k]: v for k, v in found.items()}})
    return rows
