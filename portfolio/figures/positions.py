"""View models for plan-against-actual views: the financial position by organisation, the income
and expenditure statement, the waterfall from plan to outturn and the cumulative trajectory.
Figures only, no Streamlit.

A money figure is read the way finance reports read it: a monthly total (or a rate of monthly
totals) over the financial year to date; a snapshot, such as a forecast outturn reported in a
month, at the month itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from portfolio.config.months import Month
from portfolio.config.schema import ORG_LEVELS, Metric, Target
from portfolio.figures.engine import Engine
from portfolio.figures.judgement import status
from portfolio.figures.summaries import metric_values

BASIS = {"monthly_total": "ytd", "mean": "ytd", "year_to_date": "ytd", "snapshot": "month", "statistic": "month"}
SERIES_LABELS = {"actual": "Actual", "plan": "Plan", "forecast": "Forecast"}


def basis_of(metric: Metric) -> str:
    return BASIS[metric.measure]


def basis_words(metric: Metric, period: str) -> str:
    """"year to date to M7" or "as reported at M7": what a figure in a table covers."""
    month = f"M{Month(period).fy_number}"
    return f"year to date to {month}" if basis_of(metric) == "ytd" else f"as reported at {month}"


def bases_note(metrics: list[Metric], period: str) -> str:
    """What the figures cover: "Year to date to M7", or, where they differ, "Surplus: year to date
    to M7 · FOT, Risk: as reported at M7"."""
    groups: dict[str, list[str]] = {}
    for metric in metrics:
        groups.setdefault(basis_words(metric, period), []).append(metric.heading)
    if len(groups) == 1:
        words = next(iter(groups))
        return words[0].upper() + words[1:]
    return " · ".join(f"{', '.join(names)}: {words}" for words, names in groups.items())


@dataclass(frozen=True)
class Position:
    """One metric for one organisation: actual, plan and the year's plan, with its target."""

    metric: Metric
    code: str
    actual: float | None
    plan: float | None
    year_plan: float | None
    target: Target | None
    status: str  # met, not met, no target, no data

    @property
    def variance(self) -> float | None:
        """Actual less plan: with costs held as negatives, a positive variance is always better
        for a figure where more is better."""
        return None if self.actual is None or self.plan is None else self.actual - self.plan

    @property
    def underspend(self) -> float | None:
        """Plan less actual, for spending against an allocation (capital): positive is an underspend."""
        return None if self.variance is None else -self.variance

    @property
    def percent_of_plan(self) -> float | None:
        if self.actual is None or not self.plan or self.plan < 0:
            return None
        return self.actual / self.plan * 100

    @property
    def adverse(self) -> bool:
        """Worse than plan in the metric's improvement direction."""
        if self.variance is None or self.metric.improvement == "neutral":
            return False
        return self.variance < 0 if self.metric.improvement == "increase" else self.variance > 0


def positions(engine: Engine, metric_ids: list[str], org: str, by: str, period: str
              ) -> dict[str, dict[str, Position]]:
    """Row → metric id → position. The first row is ``org`` itself. ``by`` an organisation level:
    then each organisation at that level within it that reports any of the metrics, in the order
    of organisations.yaml, keyed by code. ``by`` a breakdown (scheme category): each of its
    members within ``org``, in alphabetical order, keyed by name."""
    if by in ORG_LEVELS:
        members = [o.code for o in engine.tree.within(org, by)]
    else:
        members = sorted({m for metric_id in metric_ids
                          for m in engine.breakdown(metric_id, org, by, period, basis=basis_of(engine.metric(metric_id)))["member"]})
    table: dict[str, dict[str, Position]] = {code: {} for code in [org, *members]}
    for metric_id in metric_ids:
        metric = engine.metric(metric_id)
        basis = basis_of(metric)
        figures = {org: {"actual": engine.figure(metric_id, org, period, "actual", basis),
                         "plan": engine.figure(metric_id, org, period, "plan", basis),
                         "year": engine.figure(metric_id, org, period, "plan", "year")}}
        for series, b, name in (("actual", basis, "actual"), ("plan", basis, "plan"), ("plan", "year", "year")):
            found = engine.breakdown(metric_id, org, by, period, series=series, basis=b)
            for code, value in zip(found["code"], found["value"]):
                figures.setdefault(code, {})[name] = None if pd.isna(value) else float(value)
        for code, found in figures.items():
            if code not in table:
                continue
            actual = found.get("actual")
            target = metric.target_for(period, code)
            table[code][metric_id] = Position(
                metric, code, actual, found.get("plan"), found.get("year"), target,
                status(metric, actual, target))
    return {code: row for code, row in table.items() if code == org or row}


@dataclass(frozen=True)
class Step:
    label: str  # short, for an axis
    kind: str  # "total" (a bar from zero) or "change" (a bar from the running total)
    start: float
    end: float
    name: str | None = None  # in full, for a tooltip

    @property
    def amount(self) -> float:
        return self.end - self.start


def waterfall(engine: Engine, metric_id: str, org: str, level: str, period: str) -> list[Step]:
    """From the plan to the actual (or forecast outturn) of ``org``: the plan, each organisation's
    variance, anything not explained by them, then the actual. Empty when either end is missing."""
    table = positions(engine, [metric_id], org, level, period)
    whole = table[org].get(metric_id)
    if whole is None or whole.plan is None or whole.actual is None:
        return []
    steps = [Step("Plan", "total", 0.0, whole.plan)]
    running = whole.plan
    for code, row in table.items():
        position = row.get(metric_id)
        if code == org or position is None or position.variance is None:
            continue
        steps.append(Step(engine.tree.label(code), "change", running, running + position.variance,
                          engine.tree[code].name))
        running += position.variance
    if abs(whole.actual - running) > 0.05:  # reported above the organisations, or not split between them
        steps.append(Step("Not attributed to an organisation", "change", running, whole.actual))
    steps.append(Step("Actual" if basis_of(whole.metric) == "ytd" else "Forecast", "total", 0.0, whole.actual))
    return steps


def cumulative(engine: Engine, metric_id: str, org: str, period: str) -> pd.DataFrame:
    """The financial year month by month: the year to date of the actual (to ``period``), of the
    plan (the whole year) and of the forecast (the months after ``period``, where one exists).
    A snapshot is shown as reported each month. Columns: period, series, value."""
    metric = engine.metric(metric_id)
    first = Month(period).fy_first
    year_start, year_end = first, first + 11
    frames = {
        "actual": engine.values(metric_id, org, "actual", year_start, period),
        "plan": engine.values(metric_id, org, "plan", year_start, year_end),
    }
    next_month = Month(period) + 1
    forecast = engine.values(metric_id, org, "forecast", next_month, year_end)
    if not forecast.empty and forecast["period"].iloc[0] == next_month and not frames["actual"].empty:
        frames["forecast"] = pd.concat([frames["actual"].tail(1), forecast]) if basis_of(metric) == "month" else \
            pd.concat([frames["actual"], forecast])
    rows = []
    for series, frame in frames.items():
        if frame.empty:
            continue
        if basis_of(metric) == "ytd":
            frame = _year_to_date(metric, frame)
        if series == "forecast" and basis_of(metric) == "ytd":  # joined to the last actual month
            frame = frame[frame["period"] >= period]
        rows.append(frame.assign(series=SERIES_LABELS[series])[["period", "series", "value"]])
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["period", "series", "value"])


def _year_to_date(metric: Metric, frame: pd.DataFrame) -> pd.DataFrame:
    """Running sums from April: a rate from the running sums of its parts."""
    running = frame[["value", "numerator", "denominator"]].cumsum()
    running["value"] = metric_values(metric, running) if metric.is_ratio else running["value"]
    return running.assign(period=frame["period"].to_numpy())


def lines(engine: Engine, metric_id: str, org: str, level: str, dimension: str, period: str) -> pd.DataFrame:
    """A line of a statement split by ``dimension`` (non-pay by expenditure line): one row per
    member, one column per organisation (``org`` first, then those at ``level``), year to date."""
    metric = engine.metric(metric_id)
    basis = basis_of(metric)
    own = engine.breakdown(metric_id, org, dimension, period, basis=basis)
    if own.empty:
        return pd.DataFrame()
    table = pd.DataFrame({org: own.set_index("member")["value"]})
    cross = engine.cross_breakdown(metric_id, org, level, dimension, period, basis=basis)
    if not cross.empty:
        wide = cross.pivot(index="member", columns="code", values="value")
        order = [o.code for o in engine.tree.within(org, level) if o.code in wide.columns]
        table = table.join(wide[order])
    return table.sort_values(org, key=abs, ascending=False)  # the largest line first
