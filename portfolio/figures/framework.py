"""View models for a framework portfolio (social value): the themes → sub-themes → metrics tree,
the key value indicator scorecard with each indicator's own period basis, the milestone tracker,
a breakdown's share of the total by place, and a breakdown compared with a reference population.
Figures only, no Streamlit; nothing here names a metric: everything comes from the YAML."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from portfolio.config.months import Month
from portfolio.config.schema import Metric, Milestone, Portfolio, Target
from portfolio.figures.engine import Engine
from portfolio.figures.judgement import MET, NO_DATA, NO_TARGET, NOT_MET, counts, status
from portfolio.figures.summaries import MetricSummary

BASIS_WORDS = {"month": "Month", "ytd": "Year to date", "annual": "Annual", "rolling_3_month": "Rolling 3 months",
               "cohort": "Cohort"}
NO_TARGET_TEXT = "No target"


# --- the framework tree ----------------------------------------------------------------------

@dataclass(frozen=True)
class FrameworkRow:
    theme: str
    subtheme: str
    summary: MetricSummary  # the reporting month's, as on every other view
    trend: list[float]  # the last 12 months' values, oldest first (missing months left out)
    latest: tuple[str, float] | None = None  # with no figure this month: the latest of the last 12 (month, value)

    @property
    def target_text(self) -> str:
        """Why no target is in force: "Baseline year 2022/23: no target yet" (a target in force is
        written by the view, as every target is)."""
        return self.summary.metric.target_pending or NO_TARGET_TEXT


def framework(engine: Engine, portfolio: Portfolio, org: str, period: str,
              summaries: list[MetricSummary]) -> dict[str, list[FrameworkRow]]:
    """Theme (the portfolio's categories, in order) → its metrics, by sub-theme in the order listed.
    Each metric is judged on the reporting month's summary, as the front sheet judges it; a metric
    with no figure this month (no contracts awarded) keeps its latest figure beside, unjudged."""
    start = Month(period) - 11
    tree: dict[str, list[FrameworkRow]] = {theme: [] for theme in portfolio.categories}
    for summary in summaries:
        if not summary.available:
            continue
        metric = summary.metric
        year = engine.series(metric.id, org, start=start, end=period)
        year = year[year["value"].notna()]
        latest = None
        if summary.value is None and not year.empty:
            latest = (year["period"].iloc[-1], float(year["value"].iloc[-1]))
        tree[metric.category].append(FrameworkRow(metric.category, metric.subcategory or "", summary,
                                                  [float(v) for v in year["value"]], latest))
    for theme, rows in tree.items():  # sub-themes together, in the order they first appear
        order = list(dict.fromkeys(row.subtheme for row in rows))
        rows.sort(key=lambda row: order.index(row.subtheme))
    return {theme: rows for theme, rows in tree.items() if rows}


def theme_counts(rows: list[FrameworkRow]) -> dict[str, int]:
    """A theme's counts, as the front sheet counts its category: metrics, meeting and missing target,
    with no target, and with no figure this month (the four add up to the metrics)."""
    found = counts([row.summary for row in rows])
    return {key: found[key] for key in ("metrics", MET, NOT_MET, NO_TARGET, NO_DATA)}


# --- key value indicators --------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    value: float | None
    covers: str  # "2022/23 to Sep-22", "Jun-22 to Aug-22, a month on average", "Mar-22"
    notes: tuple[str, ...] = ()  # the extract's provenance notes, such as "from 2021 Annual Report"
    estimate: bool = False
    months: int = 0  # how many months with figures it combines


@dataclass(frozen=True)
class KVIRow:
    metric: Metric
    target: Target | None
    previous: Figure
    current: Figure
    status: str  # met, not met, no target, no data: the current figure (else the previous) against target


def kvi_rows(engine: Engine, portfolio: Portfolio, org: str, period: str) -> list[KVIRow]:
    """Each metric with a ``kvi:``, in the order of its code: the previous financial year's figure
    and the current one, each worked out on the indicator's own basis."""
    rows = []
    for metric in sorted((m for m in portfolio.metrics if m.kvi), key=lambda m: m.kvi.code):
        if not engine.available(metric.id, org):
            continue
        current, previous = _kvi_figures(engine, metric, org, period)
        target, judged = metric.target_for(period, org), current
        if target is None or current.value is None:  # a pledge for last year ("during 2021/22") is judged on it
            last_year = Month(period).fy_first - 1
            target, judged = metric.target_for(last_year, org) or target, previous
        judged_value = None if judged.value is None else _per_target(metric, judged)
        rows.append(KVIRow(metric, target, previous, current, status(metric, judged_value, target)))
    return rows


def _kvi_figures(engine: Engine, metric: Metric, org: str, period: str) -> tuple[Figure, Figure]:
    month = Month(period)
    first = month.fy_first
    last_year_end = first - 1
    series = engine.series(metric.id, org, end=period)
    series = series[series["value"].notna()]
    basis = metric.kvi.basis
    if basis == "month":
        return (_figure(metric, series, period, period, "last"),
                _figure(metric, series, month - 12, month - 12, "last"))
    if basis == "ytd":
        return (_figure(metric, series, first, period, "total"),
                _figure(metric, series, first - 12, last_year_end, "total"))
    if basis == "rolling_3_month":
        return (_figure(metric, series, month - 2, period, "average"),
                _figure(metric, series, last_year_end - 2, last_year_end, "average"))
    # annual and cohort figures: the latest report in the last twelve months, and the one before it
    latest = _figure(metric, series, month - 11, period, "last")
    before_end = month - 12
    return latest, _figure(metric, series, month - 23, before_end, "last")


def _figure(metric: Metric, series: pd.DataFrame, start: str, end: str, how: str) -> Figure:
    """The months ``start``–``end`` of a series combined: the last reported, the total (a rate from
    summed parts; a snapshot's last month) or the average month."""
    rows = series[(series["period"] >= start) & (series["period"] <= end)]
    if rows.empty:
        return Figure(None, _covers(start, end, how))
    if how == "last" or metric.measure in ("snapshot", "statistic", "year_to_date"):
        rows = rows.tail(1)
        value = float(rows["value"].iloc[0])
        start = end = rows["period"].iloc[0]
    elif metric.is_ratio:
        value = float(rows["numerator"].sum() / rows["denominator"].sum() * metric.scale)
    else:
        value = float(rows["value"].sum()) / (len(rows) if how == "average" else 1)
    notes = tuple(dict.fromkeys(n for n in rows["note"] if isinstance(n, str) and n))
    return Figure(value, _covers(start, end, "last" if start == end else how), notes, bool(rows["estimate"].any()),
                  len(rows))


def _covers(start: str, end: str, how: str) -> str:
    first, last = Month(start), Month(end)
    if how == "last" or start == end:
        return last.label
    if how == "average":
        return f"{first.label} to {last.label}, a month on average"
    if last.fy_first == start and last.month == 3:
        return last.financial_year
    return f"{last.financial_year} to {last.label}"


def _per_target(metric: Metric, figure: Figure) -> float:
    """A year-to-date total of monthly counts is judged per month, as its target is set per month."""
    if metric.measure != "monthly_total" or metric.kvi.basis != "ytd" or metric.is_ratio:
        return figure.value
    return figure.value / figure.months


# --- milestones --------------------------------------------------------------------------------

@dataclass(frozen=True)
class MilestoneStatus:
    milestone: Milestone
    status: str  # achieved, due (not yet due), overdue

    @property
    def date(self) -> str:
        return self.milestone.achieved if self.status == "achieved" else self.milestone.due


def milestones_at(portfolio: Portfolio, period: str) -> list[MilestoneStatus]:
    """Each milestone as it stood at the end of ``period``: an achievement after it is not yet known."""
    found = []
    for milestone in portfolio.milestones:
        if milestone.achieved and milestone.achieved <= period:
            state = "achieved"
        else:
            state = "overdue" if milestone.due < period else "due"
        found.append(MilestoneStatus(milestone, state))
    return sorted(found, key=lambda m: m.date)


# --- breakdowns: by place, and against a reference population -------------------------------

def shares(engine: Engine, metric_id: str, org: str, dimension: str, period: str, basis: str) -> pd.DataFrame:
    """Each member of ``dimension`` with its value and its share of the total: member, value, share."""
    found = engine.breakdown(metric_id, org, dimension, period, basis=basis)
    if found.empty:
        return pd.DataFrame(columns=["member", "value", "share"])
    total = found["value"].sum()
    frame = found[["member", "value"]].assign(share=found["value"] / total * 100 if total else None)
    return frame.sort_values("value", ascending=False).reset_index(drop=True)


def representation(engine: Engine, metric_id: str, reference_id: str, org: str, dimension: str,
                   period: str) -> pd.DataFrame:
    """Each member's share of the metric (staff) beside its share of the reference (the population
    served), each at the latest report to ``period``: member, share, reference_share, gap."""
    own = _latest_shares(engine, metric_id, org, dimension, period)
    other = _latest_shares(engine, reference_id, org, dimension, period)
    if own.empty or other.empty:
        return pd.DataFrame(columns=["member", "share", "reference_share", "gap"])
    frame = own.merge(other, on="member", how="outer", suffixes=("", "_reference")).rename(
        columns={"share_reference": "reference_share"})
    return frame.assign(gap=frame["share"] - frame["reference_share"])[["member", "share", "reference_share", "gap"]]


def _latest_shares(engine: Engine, metric_id: str, org: str, dimension: str, period: str) -> pd.DataFrame:
    frame = engine.breakdown_series(metric_id, org, dimension, end=period)
    if frame.empty:
        return pd.DataFrame(columns=["member", "share"])
    latest = frame[frame["period"] == frame["period"].max()]
    total = latest["value"].sum()
    return pd.DataFrame({"member": latest["member"], "share": latest["value"] / total * 100})
