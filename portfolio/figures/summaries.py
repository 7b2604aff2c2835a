"""The figures worked out from one metric's series: pure functions, no store and no cache.

``Engine`` fetches and adds up a metric's rows for an organisation (``Engine.series``); everything
a tile or a table then shows is read off that series here: the value and the month before, the
change and progress (``judgement.month_on_month``), the financial year to date, the baseline, the
target in force and status (``judgement.status``), and the SPC icons. Whether a metric is an
exception is ``judgement.exception_reason`` of the summary.

A *valued* series is the months that have a value, indexed by period (YYYY-MM), in date order,
with the columns of ``Engine.series``: value, numerator, denominator, orgs_reporting,
orgs_expected, provisional, estimate, note and plan.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from portfolio.config.months import Month, fy_months
from portfolio.config.schema import Metric, Target
from portfolio.figures.judgement import month_on_month, status
from portfolio.figures.spc import SPCResult, analyse, icons

MIN_SPC_POINTS = 15  # Making Data Count shows SPC icons from 15 points
LOOKBACK_MONTHS = {"monthly": 0, "quarterly": 2, "annual": 11}  # how old a value may be and still be shown


@dataclass(frozen=True)
class MetricSummary:
    """One metric for one organisation and reporting period, with everything a tile or table shows."""

    metric: Metric
    org_code: str
    period: str  # the reporting period asked for (YYYY-MM)
    available: bool  # whether the metric is reported for this organisation at all
    value_period: str | None = None  # the month the value is for (earlier than period for annual metrics)
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    previous_period: str | None = None
    previous: float | None = None
    change: float | None = None
    direction: str = "no data"  # up, down, no change, no data
    progress: str = "no data"  # better, worse, no change, not judged, no data (see portfolio.figures.judgement)
    fytd: float | None = None
    fytd_months: int = 0
    target: Target | None = None
    variance_to_target: float | None = None
    status: str = "no data"  # met, not met, no target, no data
    plan: float | None = None
    variance_to_plan: float | None = None
    baseline: float | None = None
    baseline_period: str | None = None
    data_status: str | None = None  # validated, provisional, estimate, or "partial: 6 of 7 organisations"
    note: str | None = None
    points: int = 0  # months with data up to the reporting period
    variation_icon: str | None = None  # Making Data Count icons, from SPC over those months
    assurance_icon: str | None = None

    @property
    def judged_by_spc(self) -> bool:
        """SPC icons are shown once there are enough points (15, as Making Data Count)."""
        return self.variation_icon is not None

    @property
    def percent_of_baseline(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline * 100


def number(value) -> float | None:
    """A figure as a float, or None where it is missing."""
    return None if value is None or pd.isna(value) else float(value)


def metric_values(metric: Metric, sums: pd.DataFrame) -> pd.Series:
    """The metric's value from summed parts: a ratio of sums (missing where the denominator is
    0), or a sum of values."""
    if metric.is_ratio:
        denominator = sums["denominator"].where(sums["denominator"] != 0)
        return sums["numerator"] / denominator * metric.scale
    return sums["value"].astype("float64")


# --- one metric's summary ------------------------------------------------------------------------

def summarise(metric: Metric, org_code: str, period: str, valued: pd.DataFrame, tolerance: float) -> MetricSummary:
    """The summary of ``period`` from the metric's valued series for ``org_code``: the latest value
    to the period (no older than the metric's frequency allows), against the month before it, its
    target, plan, year to date and baseline. ``tolerance`` is the share of the previous value
    within which a change is no change."""
    rows = to_period(valued, period)
    earliest = Month(period) - LOOKBACK_MONTHS[metric.frequency]
    if rows.empty or rows.index[-1] < earliest:
        return MetricSummary(metric, org_code, period, available=True, target=metric.target_for(period, org_code),
                             status="no data")
    value_period, row = rows.index[-1], rows.iloc[-1]
    month = Month(value_period)
    value = float(row["value"])
    previous_period = rows.index[-2] if len(rows) > 1 else None
    previous = float(rows["value"].iloc[-2]) if previous_period else None
    direction, progress = month_on_month(metric, value, previous, tolerance)
    target = metric.target_for(value_period, org_code)
    fytd, fytd_months = year_to_date(metric, rows, month)
    plan = number(row["plan"])
    baseline, baseline_period = baseline_figure(metric, rows, month)
    return MetricSummary(
        metric, org_code, period, available=True,
        value_period=value_period, value=value,
        numerator=number(row["numerator"]), denominator=number(row["denominator"]),
        previous_period=previous_period, previous=previous,
        change=None if previous is None else value - previous,
        direction=direction, progress=progress,
        fytd=fytd, fytd_months=fytd_months,
        target=target,
        variance_to_target=None if target is None else value - target.value,
        status=status(metric, value, target),
        plan=plan, variance_to_plan=None if plan is None else value - plan,
        baseline=baseline, baseline_period=baseline_period,
        data_status=data_status(row),
        note=row["note"] if isinstance(row["note"], str) and row["note"] else None,
        points=len(rows),
        **spc_icons(metric, rows, target),
    )


def to_period(valued: pd.DataFrame, period: str) -> pd.DataFrame:
    """The months of a valued series up to and including ``period``."""
    return valued.iloc[:int(valued.index.searchsorted(period, side="right"))]


def data_status(row: pd.Series) -> str:
    """A month's data status: partial (fewer organisations reported than expected), else an
    estimate, provisional or validated."""
    if row["orgs_reporting"] < row["orgs_expected"]:
        return f"partial: {int(row['orgs_reporting'])} of {int(row['orgs_expected'])} organisations"
    return "estimate" if row["estimate"] else "provisional" if row["provisional"] else "validated"


def year_to_date(metric: Metric, rows: pd.DataFrame, month: Month) -> tuple[float | None, int]:
    """Financial year to date at ``month``, and how many months it has: a sum of monthly totals, a
    ratio of summed parts, or the latest year-to-date figure. Snapshots and statistics have no
    year-to-date figure. ``rows`` is a valued series."""
    year = rows.loc[rows.index.isin(month.fy_to_date())]
    if year.empty or metric.measure in ("snapshot", "statistic"):
        return None, len(year)
    if metric.measure == "year_to_date":
        return float(year.iloc[-1]["value"]), len(year)
    if metric.is_ratio:
        denominator = year["denominator"].sum()
        return (float(year["numerator"].sum() / denominator * metric.scale) if denominator else None), len(year)
    return float(year["value"].sum()), len(year)


def baseline_figure(metric: Metric, rows: pd.DataFrame, month: Month) -> tuple[float | None, str | None]:
    """The metric's baseline for ``month`` and what it is for: the same month of the baseline year,
    the baseline year as a whole, or a fixed figure. ``rows`` is a valued series reaching back to
    the baseline year."""
    baseline = metric.baseline
    if baseline is None:
        return None, None
    if baseline.method == "value":
        return baseline.value, baseline.year
    if baseline.method == "same_month":
        same = month.same_month_in(baseline.year)
        return (float(rows.loc[same, "value"]), same) if same in rows.index else (None, None)
    return year_figure(metric, rows, baseline.year)


def year_figure(metric: Metric, rows: pd.DataFrame, fy: str) -> tuple[float | None, str | None]:
    """A typical month of financial year ``fy``: a rate from the year's summed parts, or the mean
    of its monthly values. ``rows`` is a series indexed by period."""
    year = rows.loc[rows.index.isin(fy_months(fy))]
    if year.empty:
        return None, None
    if metric.is_ratio:
        return float(year["numerator"].sum() / year["denominator"].sum() * metric.scale), fy
    return float(year["value"].mean()), fy


# --- SPC over a series -------------------------------------------------------------------------------

def every_month(metric: Metric, valued: pd.Series) -> tuple[list[str], np.ndarray, list[int]]:
    """A valued series as SPC reads it: every month from the first to the last, a missing month a
    gap (NaN) rather than a join; its values; and the positions of the metric's rebases among
    those months (past the first)."""
    first = Month(valued.index[0])
    months = first.through(valued.index[-1])
    values = np.full(len(months), np.nan)
    values[[Month(m) - first for m in valued.index]] = valued.to_numpy(dtype="float64")
    rebases = [Month(m) - first for m in metric.rebase_months]
    return months, values, [r for r in rebases if 0 < r < len(values)]


def spc_icons(metric: Metric, rows: pd.DataFrame, target: Target | None) -> dict:
    """The SPC icons of the latest month of a valued series (from 15 months with data), as
    ``variation_icon`` and ``assurance_icon``; none for fewer months."""
    if len(rows) < MIN_SPC_POINTS:
        return {}
    _, values, rebases = every_month(metric, rows["value"])
    variation, assurance = icons(values, improvement=metric.improvement,
                                 target=None if target is None else target.value, rebase_at=rebases)
    latest = values[max(rebases, default=0):]
    if np.nanmin(latest) == np.nanmax(latest):
        # a segment with no variation (104-week waits at zero for years) has no process limits, and
        # the package then reads the target as "hit and miss": say nothing rather than that
        assurance = None
    return {"variation_icon": variation, "assurance_icon": assurance}


def spc_analysis(metric: Metric, rows: pd.DataFrame, target: Target | None) -> SPCResult:
    """SPC over a valued series, each point dated by its month, a missing month a gap."""
    months, values, rebases = every_month(metric, rows["value"])
    return analyse(values, months, improvement=metric.improvement,
                   target=None if target is None else target.value, rebase_at=rebases)
