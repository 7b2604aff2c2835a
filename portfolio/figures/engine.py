"""The metric engine: every figure the dashboard shows, for any metric × organisation × period.

Figures for an organisation are computed from the sums of numerators, denominators and values
of the organisations that report within it (see ``OrgTree.reporting_units``); a rate is always
recomputed from those sums, never averaged. Missing data stays missing ("no data"), never zero.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from portfolio.config.loading import Config
from portfolio.config.schema import ORG_LEVELS, Metric, Target
from portfolio.figures.judgement import month_on_month, status
from portfolio.config.organisations import OrgTree
from portfolio.config.months import fy_first_month, fy_months, fy_to_date, month_key, parse_month, same_month_in_year
from portfolio.figures.spc import SPCResult, analyse, icons
from portfolio.data.store import FactStore

MIN_SPC_POINTS = 15  # Making Data Count shows SPC icons from 15 points
LOOKBACK_MONTHS = {"monthly": 0, "quarterly": 2, "annual": 11}
BREAKDOWN_COLUMNS = ["member", "code", "value", "numerator", "denominator"]
Part = tuple[str, str | None] | None  # (breakdown dimension, member), or None for the total
BASES = ("month", "ytd", "year")  # a figure for the month, the financial year to date, or the whole year
SERIES_COLUMNS = ["period", "value", "numerator", "denominator", "orgs_reporting", "orgs_expected",
                  "provisional", "estimate", "note", "target", "status", "plan"]


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


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


class Engine:
    def __init__(self, config: Config, store: FactStore, tree: OrgTree):
        self.config = config
        self.store = store
        self.tree = tree
        self._spans: dict[tuple[str, str], dict[str, tuple[str, str]]] = {}
        self._fetched: dict[tuple[str, tuple[str, ...], str], pd.DataFrame] = {}  # see prefetch
        self._worked_out: set[tuple[str, str]] = set()  # (metric, organisation) whose series is cached

    # --- where a metric is reported ----------------------------------------------------------

    def metric(self, metric_id: str) -> Metric:
        return self.config.metrics[metric_id]

    def _query(self, metric: Metric, part: Part, within: str | None = None) -> dict:
        """The store query for a metric's total rows, or for one member of a breakdown (and, with
        ``within``, that member's cells of a second breakdown)."""
        filters = dict(metric.source.filters)
        if part is not None and part[1] is not None:  # (dimension, None): every member of the dimension
            filters["breakdown_value"] = part[1]
        if within is not None:
            filters["breakdown2"] = within
        query = {"extract": metric.source.extract, "key": metric.source_key, "filters": filters,
                 "breakdown": part[0] if part else metric.source.filters.get("breakdown", "")}
        if metric.share and part is None:  # the members' rows, the listed ones over them all
            query.update(breakdown=metric.share.dimension, share=tuple(metric.share.members))
        return query

    def spans(self, metric: Metric, series: str = "actual", part: Part = None) -> dict[str, tuple[str, str]]:
        key = (metric.id, series, part)
        if key not in self._spans:
            query = self._query(metric, part)
            query.pop("share", None)
            self._spans[key] = self.store.spans(**query, series=series)
        return self._spans[key]

    def units(self, metric: Metric, org_code: str, series: str = "actual", part: Part = None) -> list[str]:
        """The reporting organisations whose figures add up to ``org_code``'s."""
        reported = set(self.spans(metric, series, part))
        if not metric.additive:
            return [org_code] if org_code in reported else []
        return self.tree.reporting_units(org_code, reported)

    def sole_reporter(self, metrics: list[Metric], org_code: str) -> str | None:
        """The one organisation within ``org_code`` whose figures make up every one of ``metrics``
        (a trust's own social value portfolio, seen from the system), or None."""
        reporters = {unit for metric in metrics for unit in self.units(metric, org_code)}
        return next(iter(reporters)) if len(reporters) == 1 and org_code not in reporters else None

    def available(self, metric_id: str, org_code: str) -> bool:
        return bool(self.units(self.metric(metric_id), org_code))

    @cached_property
    def periods(self) -> list[str]:
        return self.store.periods()

    def default_period(self) -> str | None:
        wanted = self.config.settings.default_period
        if wanted != "latest" and wanted in self.periods:
            return wanted
        return self.periods[-1] if self.periods else None

    # --- series ------------------------------------------------------------------------------

    def _sums(self, metric: Metric, units: list[str], series: str = "actual", part: Part = None,
              within: str | None = None, **query) -> pd.DataFrame:
        if part is None and within is None and set(query) <= {"start", "end"} and not any(query.values()):
            fetched = self._fetched.pop((metric.id, tuple(units), series), None)
            if fetched is not None:
                return fetched
        where = self._query(metric, part, within)
        return self.store.sums(where["extract"], where["key"], units, where["filters"], series=series,
                               breakdown=where["breakdown"], share=where.get("share"), **query)

    def compute(self, metric: Metric, sums: pd.DataFrame) -> pd.Series:
        """The metric's value from summed parts: a ratio of sums, or a sum of values."""
        if metric.is_ratio:
            denominator = sums["denominator"].where(sums["denominator"] != 0)
            return sums["numerator"] / denominator * metric.scale
        return sums["value"].astype("float64")

    def series(self, metric_id: str, org_code: str, start: str | None = None, end: str | None = None,
               part: Part = None) -> pd.DataFrame:
        """One row per month with data: value, parts, coverage, status flags, target and plan.
        ``part`` narrows it to one member of a breakdown, such as ("treatment_function", "Urology")."""
        # the data never change under a loaded engine, so each organisation's whole series is worked
        # out once and sliced; callers get their own copy (cheap under pandas copy-on-write)
        whole = self._series(metric_id, org_code, part)
        months = whole["period"]
        keep = (months >= start if start else True) & (months <= end if end else True)
        return whole[keep].reset_index(drop=True) if start or end else whole.copy()

    @lru_cache(maxsize=4096)
    def _series(self, metric_id: str, org_code: str, part: Part) -> pd.DataFrame:
        metric = self.metric(metric_id)
        if part is None:
            self._worked_out.add((metric_id, org_code))
        units = self.units(metric, org_code, part=part)
        if not units:
            return pd.DataFrame(columns=SERIES_COLUMNS)
        sums = self._sums(metric, units, part=part)
        periods = sums["period"].tolist()
        values = self.compute(metric, sums).tolist()
        spans = self.spans(metric, part=part)
        targets = [metric.target_for(p, org_code) for p in periods]
        plans = self.plan_series(metric, org_code) if part is None else pd.Series(dtype="float64")
        return pd.DataFrame({  # built in one go: adding columns one at a time costs more than the sums
            "period": sums["period"], "value": pd.Series(values, dtype="float64"),
            "numerator": sums["numerator"], "denominator": sums["denominator"],
            "orgs_reporting": sums["orgs_reporting"],
            "orgs_expected": [self._expected(spans, units, p) for p in periods],
            "provisional": sums["provisional"], "estimate": sums["estimate"], "note": sums["note"],
            "target": [t.value if t else None for t in targets],
            "status": [status(metric, v, t) for v, t in zip(values, targets)],
            "plan": sums["period"].map(plans).astype("float64")})

    @lru_cache(maxsize=4096)
    def _valued(self, metric_id: str, org_code: str, part: Part) -> tuple[pd.DataFrame, list[str]]:
        """The months of the series that have a value, indexed by period, and those periods."""
        whole = self._series(metric_id, org_code, part)
        valued = whole[whole["value"].notna()].set_index("period")
        return valued, valued.index.tolist()

    def _expected(self, spans: dict[str, tuple[str, str]], units: list[str], period: str) -> int:
        """How many of ``units`` should have reported for ``period``: those that had started and
        were still open, less any silent for over a year before it."""
        year_before = f"{int(period[:4]) - 1:04d}{period[4:]}"  # YYYY-MM a year earlier
        return sum(spans[u][0] <= period and spans[u][1] >= year_before and self.tree.open_in(u, period)
                   for u in units)

    def plan_series(self, metric: Metric, org_code: str, start: str | None = None, end: str | None = None) -> pd.Series:
        """Planned values by month: the extract's plan series, else the YAML trajectory (system only)."""
        units = self.units(metric, org_code, series="plan")
        if units:
            sums = self._sums(metric, units, series="plan", start=start, end=end)
            return pd.Series(self.compute(metric, sums).to_numpy(), index=sums["period"], dtype="float64")
        if metric.trajectory and org_code == self.tree.root:
            return self._trajectory(metric.id).loc[start:end]
        return pd.Series(dtype="float64")

    def values(self, metric_id: str, org_code: str, series: str = "actual", start: str | None = None,
               end: str | None = None) -> pd.DataFrame:
        """Any series (actual, plan or forecast) month by month: period, value, numerator, denominator."""
        metric = self.metric(metric_id)
        units = self.units(metric, org_code, series=series)
        if not units:
            return pd.DataFrame(columns=["period", "value", "numerator", "denominator"])
        sums = self._sums(metric, units, series=series, start=start, end=end)
        sums["value"] = self.compute(metric, sums)
        return sums[["period", "value", "numerator", "denominator"]]

    @staticmethod
    def span(metric: Metric, period: str, basis: str) -> tuple[str, str]:
        """The months a figure covers: the month, the financial year to date or the whole financial
        year. Snapshots and statistics are read at the month itself (a forecast outturn reported in
        a month is already a full-year figure); a year-to-date measure at the month or at M12."""
        if basis not in BASES:
            raise ValueError(f"basis must be one of {', '.join(BASES)}")
        if basis == "month" or metric.measure in ("snapshot", "statistic"):
            return period, period
        first = fy_first_month(parse_month(period))
        if metric.measure == "year_to_date":
            return (period, period) if basis == "ytd" else (month_key(first + 11),) * 2
        return month_key(first), period if basis == "ytd" else month_key(first + 11)

    def figure(self, metric_id: str, org_code: str, period: str, series: str = "actual",
               basis: str = "month") -> float | None:
        """One figure for an organisation: the month's, the year to date's (summed months; a rate
        from summed parts) or the whole year's, of the actual, plan or forecast series."""
        metric = self.metric(metric_id)
        units = self.units(metric, org_code, series=series)
        if not units:
            return None
        start, end = self.span(metric, period, basis)
        sums = self._sums(metric, units, series=series, by=(), start=start, end=end)
        return _number(self.compute(metric, sums).iloc[0])

    @lru_cache(maxsize=256)
    def _trajectory(self, metric_id: str) -> pd.Series:
        """A YAML trajectory month by month: straight lines between the months it gives."""
        points = pd.Series(self.metric(metric_id).trajectory.values, dtype="float64").sort_index()
        months = pd.period_range(points.index[0], points.index[-1], freq="M").strftime("%Y-%m")
        ordinals = [parse_month(m).ordinal for m in points.index]
        every = [parse_month(m).ordinal for m in months]
        return pd.Series(np.interp(every, ordinals, points.to_numpy()), index=months, dtype="float64")

    # --- one metric, one organisation, one period -------------------------------------------------

    def summary(self, metric_id: str, org_code: str, period: str, part: Part = None) -> MetricSummary:
        metric = self.metric(metric_id)
        if not self.units(metric, org_code, part=part):
            return MetricSummary(metric, org_code, period, available=False, status="no data")
        month = parse_month(period)
        # every month with a value to the period: one query serves the SPC, the baseline and the year to date
        valued, months = self._valued(metric_id, org_code, part)
        shown = bisect_right(months, period)
        rows = valued.iloc[:shown]
        earliest = month_key(month - LOOKBACK_MONTHS[metric.frequency])
        if not shown or months[shown - 1] < earliest:
            target = metric.target_for(period, org_code)
            return MetricSummary(metric, org_code, period, available=True, target=target, status="no data")

        value_period = months[shown - 1]
        row = rows.iloc[-1]
        value = float(row["value"])
        previous_period = months[shown - 2] if shown > 1 else None
        previous = float(rows["value"].iloc[-2]) if previous_period else None
        direction, progress = month_on_month(metric, value, previous, self.config.settings.no_change_tolerance)
        target = metric.target_for(value_period, org_code)
        fytd, fytd_months = self._fytd(metric, rows, parse_month(value_period))
        plan = _number(row["plan"])
        baseline, baseline_period = self._baseline(metric, rows, parse_month(value_period))

        coverage = None
        if row["orgs_reporting"] < row["orgs_expected"]:
            coverage = f"partial: {int(row['orgs_reporting'])} of {int(row['orgs_expected'])} organisations"
        return MetricSummary(
            metric, org_code, period, available=True,
            value_period=value_period, value=value,
            numerator=_number(row["numerator"]), denominator=_number(row["denominator"]),
            previous_period=previous_period, previous=previous,
            change=None if previous is None else value - previous,
            direction=direction, progress=progress,
            fytd=fytd, fytd_months=fytd_months,
            target=target,
            variance_to_target=None if target is None else value - target.value,
            status=status(metric, value, target),
            plan=plan, variance_to_plan=None if plan is None else value - plan,
            baseline=baseline, baseline_period=baseline_period,
            data_status=coverage or ("estimate" if row["estimate"] else "provisional" if row["provisional"]
                                     else "validated"),
            note=row["note"] if isinstance(row["note"], str) and row["note"] else None,
            points=len(rows),
            **self._icons(metric, rows, target),
        )

    def _icons(self, metric: Metric, rows: pd.DataFrame, target: Target | None) -> dict:
        """The SPC icons of the latest month: ``rows`` indexed by period, the months with data."""
        if len(rows) < MIN_SPC_POINTS:
            return {}
        # every month from the first to the last, a missing one as a gap (nan) rather than a join
        months = [_month_number(m) for m in rows.index]
        values = np.full(months[-1] - months[0] + 1, np.nan)
        values[np.array(months) - months[0]] = rows["value"].to_numpy(dtype="float64")
        rebase = [_month_number(m) - months[0] for m in metric.rebase_months]
        variation, assurance = icons(values, improvement=metric.improvement,
                                     target=None if target is None else target.value, rebase_at=rebase)
        latest = values[max([r for r in rebase if 0 < r < len(values)], default=0):]
        if np.nanmin(latest) == np.nanmax(latest):
            # a segment with no variation (104-week waits at zero for years) has no process limits, and
            # the package then reads the target as "hit and miss": say nothing rather than that
            assurance = None
        return {"variation_icon": variation, "assurance_icon": assurance}

    def analyse(self, metric: Metric, rows: pd.DataFrame, target: Target | None) -> SPCResult:
        """SPC over a series (period, value), with a missing month as a gap rather than a join."""
        months = pd.period_range(rows["period"].min(), rows["period"].max(), freq="M").strftime("%Y-%m")
        values = rows.set_index("period")["value"].reindex(months)
        rebase = [m for m in metric.rebase_months if m in values.index]
        return analyse(values.to_numpy(dtype="float64"), list(months), improvement=metric.improvement,
                       target=None if target is None else target.value, rebase_at=rebase)

    def spc(self, metric_id: str, org_code: str, period: str, part: Part = None) -> SPCResult | None:
        """SPC over every month with data up to ``period``; None when there is nothing to chart."""
        metric = self.metric(metric_id)
        rows = self.series(metric_id, org_code, end=period, part=part)
        rows = rows[rows["value"].notna()]
        if rows.empty:
            return None
        return self.analyse(metric, rows, metric.target_for(rows["period"].iloc[-1], org_code))

    def _fytd(self, metric: Metric, rows: pd.DataFrame, month: pd.Period) -> tuple[float | None, int]:
        """Financial year to date: a sum of monthly totals, a ratio of summed parts, or the latest
        year-to-date figure. Snapshots and statistics have no year-to-date figure."""
        months = [month_key(m) for m in fy_to_date(month)]
        year = rows.loc[rows.index.isin(months)]
        if year.empty or metric.measure in ("snapshot", "statistic"):
            return None, len(year)
        if metric.measure == "year_to_date":
            return float(year.iloc[-1]["value"]), len(year)
        if metric.is_ratio:
            denominator = year["denominator"].sum()
            return (float(year["numerator"].sum() / denominator * metric.scale) if denominator else None), len(year)
        return float(year["value"].sum()), len(year)

    def _baseline(self, metric: Metric, rows: pd.DataFrame, month: pd.Period) -> tuple[float | None, str | None]:
        """The same month of the baseline year, the baseline year as a whole, or a fixed figure.
        ``rows`` holds the months with data, indexed by period, reaching back to the baseline year."""
        baseline = metric.baseline
        if baseline is None:
            return None, None
        if baseline.method == "value":
            return baseline.value, baseline.year
        if baseline.method == "same_month":
            same = month_key(same_month_in_year(month, baseline.year))
            return (float(rows.loc[same, "value"]), same) if same in rows.index else (None, None)
        return self.year_figure(metric, rows, baseline.year)

    @staticmethod
    def year_figure(metric: Metric, rows: pd.DataFrame, fy: str) -> tuple[float | None, str | None]:
        """A typical month of financial year ``fy``: a rate from the year's summed parts, or the mean
        of its monthly values. ``rows`` is a series indexed by period."""
        year = rows.loc[rows.index.isin([month_key(m) for m in fy_months(fy)])]
        if year.empty:
            return None, None
        if metric.is_ratio:
            return float(year["numerator"].sum() / year["denominator"].sum() * metric.scale), fy
        return float(year["value"].mean()), fy

    # --- portfolios and drill-downs -------------------------------------------------------------

    def portfolio_summaries(self, portfolio_id: str, org_code: str, period: str) -> list[MetricSummary]:
        portfolio = self.config.portfolio(portfolio_id)
        self.prefetch(portfolio.metrics, org_code)
        return [self.summary(m.id, org_code, period) for m in portfolio.metrics]

    def prefetch(self, metrics: list[Metric], org_code: str) -> None:
        """Sum the actual and plan series of many metrics for ``org_code`` in one store query per
        extract, instead of a query per metric and series (each query costs about 2 ms however
        small). ``_sums`` takes each result once. Left to their own queries: a metric read with
        filters or as a share, one already worked out, and a key that two metrics read over
        different organisations."""
        self._fetched.clear()  # results not taken by now were not needed
        slots: dict[tuple[str, str, str], tuple[tuple[str, ...], list[str]]] = {}
        clashes = set()
        for metric in metrics:
            if metric.source.filters or metric.share or (metric.id, org_code) in self._worked_out:
                continue
            for series in ("actual", "plan"):
                units = tuple(self.units(metric, org_code, series=series))
                slot = (metric.source.extract, metric.source_key, series)
                if not units:
                    continue
                if slot in slots and slots[slot][0] != units:
                    clashes.add(slot)
                slots.setdefault(slot, (units, []))[1].append(metric.id)
        wanted: dict[str, list[tuple[str, str, str]]] = {}
        for (extract, key, series), (units, _) in slots.items():
            if (extract, key, series) not in clashes:
                wanted.setdefault(extract, []).extend((key, series, unit) for unit in units)
        for extract, triples in wanted.items():
            sums = self.store.sums_of_many(extract, triples)
            groups = sums.groupby(["metric_id", "series"], sort=False).indices
            sums = sums.drop(columns=["metric_id", "series"])
            for (key, series), positions in groups.items():
                units, metric_ids = slots[(extract, key, series)]
                rows = sums.take(positions).reset_index(drop=True)
                for metric_id in metric_ids:
                    self._fetched[(metric_id, units, series)] = rows

    def breakdown(self, metric_id: str, org_code: str, dimension: str, period: str, part: Part = None,
                  series: str = "actual", basis: str = "month") -> pd.DataFrame:
        """The figure for each member of ``dimension`` within ``org_code`` in ``period``, worst first.

        ``dimension`` is an organisation level (place, provider, site) or a breakdown such as
        ``treatment_function``; ``part`` keeps to one member of another breakdown. ``series`` and
        ``basis`` as for ``figure``. Columns: member, code, value, numerator, denominator.
        """
        metric = self.metric(metric_id)
        start, end = self.span(metric, period, basis)
        if dimension in ORG_LEVELS:
            return self._org_breakdown(metric, org_code, dimension, start, end, part, series)
        every_member = (dimension, None)
        units = self.units(metric, org_code, series=series, part=every_member)
        if not units:
            return pd.DataFrame(columns=BREAKDOWN_COLUMNS)
        sums = self._sums(metric, units, series=series, part=every_member, by=("breakdown_value",), start=start,
                          end=end)
        sums["value"] = self.compute(metric, sums)
        members = sums.rename(columns={"breakdown_value": "member"}).assign(code=sums["breakdown_value"])
        return self._worst_first(metric, members[BREAKDOWN_COLUMNS])

    @staticmethod
    def _worst_first(metric: Metric, members: pd.DataFrame) -> pd.DataFrame:
        """Worst first for the board: lowest first when higher is better, highest first otherwise."""
        return members.sort_values("value", ascending=metric.improvement == "increase", na_position="last")

    def _members(self, metric: Metric, org_code: str, level: str, part: Part,
                 series: str = "actual") -> dict[str, str]:
        """Each reporting organisation under ``org_code`` → the member at ``level`` it adds up to."""
        reported = set(self.spans(metric, series, part))
        member_of = {}
        for member in self.tree.within(org_code, level):
            units = self.tree.reporting_units(member.code, reported) if metric.additive else (
                [member.code] if member.code in reported else [])
            member_of.update({unit: member.code for unit in units})
        return member_of

    def _by_member(self, metric: Metric, member_of: dict[str, str], also: tuple[str, ...], part: Part,
                   start: str | None, end: str | None, series: str = "actual") -> pd.DataFrame:
        """Sums for each reporting organisation added up to the member it belongs to (and grouped by
        ``also``), with the value recomputed from the summed parts: code, *also, value, parts, member."""
        sums = self._sums(metric, list(member_of), series=series, by=("org_code", *also), start=start, end=end,
                          part=part)
        sums["code"] = sums["org_code"].map(member_of)
        grouped = sums.groupby(["code", *also], as_index=False)[["value", "numerator", "denominator"]].sum(
            min_count=1)
        grouped["value"] = self.compute(metric, grouped)
        grouped["member"] = grouped["code"].map(lambda code: self.tree[code].name if code in self.tree else code)
        return grouped

    def _org_breakdown(self, metric: Metric, org_code: str, level: str, start: str, end: str, part: Part,
                       series: str) -> pd.DataFrame:
        member_of = self._members(metric, org_code, level, part, series)
        if not member_of:
            return pd.DataFrame(columns=BREAKDOWN_COLUMNS)
        grouped = self._by_member(metric, member_of, (), part, start, end, series)
        return self._worst_first(metric, grouped[BREAKDOWN_COLUMNS])

    def member_series(self, metric_id: str, org_code: str, level: str, start: str | None = None,
                      end: str | None = None) -> pd.DataFrame:
        """Each place, provider or site within ``org_code``, month by month: period, code, member, value."""
        metric = self.metric(metric_id)
        member_of = self._members(metric, org_code, level, None)
        if not member_of:
            return pd.DataFrame(columns=["period", "code", "member", "value"])
        return self._by_member(metric, member_of, ("period",), None, start, end)[["period", "code", "member", "value"]]

    def breakdown_series(self, metric_id: str, org_code: str, dimension: str, start: str | None = None,
                         end: str | None = None, part: Part = None) -> pd.DataFrame:
        """Each member of a breakdown (a weeks band, a test …) month by month: period, member, value.
        With ``part`` (a specialty, say), the breakdown within that member: its own weeks bands."""
        metric = self.metric(metric_id)
        if part is None:  # the breakdown's own rows
            query_part, within, group = (dimension, None), None, "breakdown_value"
        else:  # the member's cells of a cross-table
            query_part, within, group = part, dimension, "breakdown2_value"
        units = self.units(metric, org_code, part=query_part)
        if not units:
            return pd.DataFrame(columns=["period", "member", "value"])
        sums = self._sums(metric, units, part=query_part, within=within, by=("period", group), start=start, end=end)
        sums["value"] = self.compute(metric, sums)
        return sums.rename(columns={group: "member"})[["period", "member", "value"]]

    def cross_breakdown(self, metric_id: str, org_code: str, level: str, dimension: str, period: str,
                        basis: str = "month") -> pd.DataFrame:
        """The metric for each organisation at ``level`` × each member of ``dimension`` (a provider ×
        diagnostic test table): code, organisation, member, value."""
        metric = self.metric(metric_id)
        every_member = (dimension, None)
        member_of = self._members(metric, org_code, level, every_member)
        if not member_of:
            return pd.DataFrame(columns=["code", "organisation", "member", "value"])
        grouped = self._by_member(metric, member_of, ("breakdown_value",), every_member, *self.span(metric, period, basis))
        return grouped.rename(columns={"member": "organisation", "breakdown_value": "member"})[
            ["code", "organisation", "member", "value"]]

    def drill_levels(self, metric_id: str, org_code: str, part: Part = None) -> list[str]:
        """The metric's drill dimensions that have members below ``org_code`` (within ``part``)."""
        metric = self.metric(metric_id)
        levels = []
        for dimension in metric.drill:
            if dimension in ORG_LEVELS:
                if self._members(metric, org_code, dimension, part):
                    levels.append(dimension)
            elif part is None and self.units(metric, org_code, part=(dimension, None)):
                levels.append(dimension)
        return levels


def _month_number(month: str) -> int:
    """YYYY-MM as a count of months, so that consecutive months differ by one."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1
