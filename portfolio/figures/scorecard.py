"""The portfolio scorecard: one row per metric, one column per month of the financial year to the
reporting period, as in the UEC System Summary Performance dashboard (board papers)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from portfolio.config.months import Month
from portfolio.config.schema import Metric
from portfolio.figures.engine import Engine
from portfolio.figures.summaries import MetricSummary, year_figure

# what a month's figure is, where it is not the month's own total or rate
MEASURE_NOTES = {"snapshot": "At the end of each month", "year_to_date": "Each month's year to date"}
BASELINE_YEAR = "2019/20"


@dataclass(frozen=True)
class ScorecardRow:
    metric: Metric
    summary: MetricSummary
    baseline: float | None  # a typical month of 2019/20
    months: dict[str, tuple[float | None, str]]  # YYYY-MM → (value, status) for each month to the period
    focus: bool

    @property
    def measure_note(self) -> str | None:
        return MEASURE_NOTES.get(self.metric.measure)


def optional_columns(rows: list[ScorecardRow]) -> set[str]:
    """The columns with something in them: "baseline" (2019/20) and "ytd" (year to date). A
    column of dashes alone is left out."""
    found = set()
    if any(r.baseline is not None for r in rows):
        found.add("baseline")
    if any(r.summary.fytd is not None for r in rows):
        found.add("ytd")
    return found


def scorecard(engine: Engine, portfolio_id: str, org_code: str, period: str) -> list[ScorecardRow]:
    """Every metric of the portfolio reported for ``org_code``, in category order."""
    portfolio = engine.config.portfolio(portfolio_id)
    months = Month(period).fy_to_date()
    rows = []
    for category in portfolio.categories:
        for metric in (m for m in portfolio.metrics if m.category == category):
            summary = engine.summary(metric.id, org_code, period)
            if not summary.available:
                continue
            series = engine.series(metric.id, org_code, end=period).set_index("period")  # as the summary's
            baseline, _ = year_figure(metric, series[series["value"].notna()], BASELINE_YEAR)
            rows.append(ScorecardRow(metric, summary, baseline, {m: _cell(series, m) for m in months},
                                     metric.is_focus(period)))
    return rows


def _cell(series: pd.DataFrame, month: str) -> tuple[float | None, str]:
    if month not in series.index or pd.isna(series.at[month, "value"]):
        return None, "no data"
    return float(series.at[month, "value"]), series.at[month, "status"]
