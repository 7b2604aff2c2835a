"""The metric engine: every figure the dashboard shows, for any metric × organisation × period.

Figures for an organisation are computed from the sums of numerators, denominators and values
of the organisations that report within it (see ``OrgTree.reporting_units``); a rate is always
recomputed from those sums, never averaged. Missing data stays missing ("no data"), never zero.

The engine fetches and adds up; what a summary or an SPC chart reads off a metric's series is
worked out by the pure functions of ``portfolio.figures.summaries``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from portfolio.config.loading import Config
from portfolio.config.months import Month
from portfolio.config.organisations import OrgTree
from portfolio.config.schema import ORG_LEVELS, Metric
from portfolio.data.store import FactStore
from portfolio.figures.judgement import status
from portfolio.figures.spc import SPCResult
from portfolio.figures.summaries import MetricSummary, metric_values, number, spc_analysis, summarise, to_period

BREAKDOWN_COLUMNS = ["member", "code", "value", "numerator", "denominator"]
Part = tuple[str, str | None] | None  # (breakdown dimension, member), or None for the total
BASES = ("month", "ytd", "year")  # a figure for the month, the financial year to date, or the whole year
SERIES_COLUMNS = ["period", "value", "numerator", "denominator", "orgs_reporting", "orgs_expected",
                  "provisional", "estimate", "note", "target", "status", "plan"]
CACHE_SIZE = 4096  # entries: a metric's series for an organisation, its spans, a trajectory


class FigureCache:
    """A bounded cache, least recently used out first, of what one engine has worked out; safe to
    share between Streamlit's threads. Each entry is a function of its key alone (the data never
    change under a loaded engine), so the cache changes how soon a figure comes, never what it is."""

    def __init__(self, size: int):
        self._size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def find(self, key: Hashable) -> Any | None:
        with self._lock:
            if key not in self._entries:
                return None
            self._entries.move_to_end(key)
            return self._entries[key]

    def keep(self, key: Hashable, value: Any) -> Any:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The entry for ``key``, made (outside the lock) and kept when it is not there."""
        found = self.find(key)
        return found if found is not None else self.keep(key, make())


@dataclass(frozen=True)
class _Worked:
    """A metric's whole series for an organisation, and the months of it that have a value
    (indexed by period: what ``summaries`` reads)."""

    whole: pd.DataFrame
    valued: pd.DataFrame

    @classmethod
    def of(cls, whole: pd.DataFrame) -> _Worked:
        return cls(whole, whole[whole["value"].notna()].set_index("period"))


NOT_REPORTED = _Worked.of(pd.DataFrame(columns=SERIES_COLUMNS))  # one for every metric an organisation does not report


class Engine:
    def __init__(self, config: Config, store: FactStore, tree: OrgTree, cache_size: int = CACHE_SIZE):
        self.config = config
        self.store = store
        self.tree = tree
        self._cache = FigureCache(cache_size)

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
        """Each organisation reporting the metric (its ``series``, its ``part``), with its first and
        last month."""
        def read() -> dict[str, tuple[str, str]]:
            query = self._query(metric, part)
            query.pop("share", None)
            return self.store.spans(**query, series=series)
        return self._cache.get(("spans", metric.id, series, part), read)

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
        where = self._query(metric, part, within)
        return self.store.sums(where["extract"], where["key"], units, where["filters"], series=series,
                               breakdown=where["breakdown"], share=where.get("share"), **query)

    def series(self, metric_id: str, org_code: str, start: str | None = None, end: str | None = None,
               part: Part = None) -> pd.DataFrame:
        """One row per month with data: value, parts, coverage, status flags, target and plan.
        ``part`` narrows it to one member of a breakdown, such as ("treatment_function", "Urology")."""
        whole = self._worked_out([metric_id], org_code, part)[metric_id].whole
        months = whole["period"]
        keep = (months >= start if start else True) & (months <= end if end else True)
        # callers get their own frame, sharing the cached data until they write to it (copy-on-write)
        return whole[keep].reset_index(drop=True) if start or end else whole.copy(deep=False)

    def series_many(self, metric_ids: list[str], org_code: str, part: Part = None) -> dict[str, pd.DataFrame]:
        """Each metric's whole series for ``org_code``, as ``series`` gives it, by metric id: worked
        out once and kept in this engine's cache, the sums of a portfolio's metrics fetched
        together (see ``_portfolio_sums``)."""
        return {metric_id: worked.whole.copy(deep=False)
                for metric_id, worked in self._worked_out(metric_ids, org_code, part).items()}

    def _worked_out(self, metric_ids: list[str], org_code: str, part: Part) -> dict[str, _Worked]:
        """Each metric's series for ``org_code``, from the cache or worked out and kept there."""
        found = {metric_id: self._cache.find(("series", metric_id, org_code, part)) for metric_id in metric_ids}
        for metric in [self.metric(metric_id) for metric_id, worked in found.items() if worked is None]:
            batched = self._portfolio_sums(metric, org_code) if part is None else {}
            found[metric.id] = self._cache.keep(("series", metric.id, org_code, part),
                                                self._work_out(metric, org_code, part, batched))
        return found

    def _portfolio_sums(self, metric: Metric, org_code: str) -> dict[tuple[str, str], pd.DataFrame]:
        """The sums by period of the actual and plan series of every metric in ``metric``'s
        portfolio for ``org_code``, (metric id, series) → sums, in one store query per extract
        instead of one per metric and series (each query costs about 2 ms however small).

        Always the whole portfolio, whichever of its metrics is asked for first: DuckDB adds up
        decimals in an order that depends on the whole query, so a metric summed in a different
        batch could differ in its last digit, and figures would depend on the order of calls.
        Left to their own queries: a metric read with filters or as a share, and a key that two
        metrics read over different organisations."""
        portfolio = self.config.portfolio_of(metric.id)
        return self._cache.get(("portfolio sums", portfolio.id, org_code),
                               lambda: self._batched_sums(portfolio.metrics, org_code))

    def _batched_sums(self, metrics: list[Metric], org_code: str) -> dict[tuple[str, str], pd.DataFrame]:
        """(metric id, series) → sums by period of ``metrics`` for ``org_code``, as ``_portfolio_sums``."""
        slots: dict[tuple[str, str, str], tuple[tuple[str, ...], list[str]]] = {}
        clashes = set()
        for metric in metrics:
            if metric.source.filters or metric.share:
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
        batched = {}
        for extract, triples in wanted.items():
            sums = self.store.sums_of_many(extract, triples)
            groups = sums.groupby(["metric_id", "series"], sort=False).indices
            sums = sums.drop(columns=["metric_id", "series"])
            for (key, series), positions in groups.items():
                rows = sums.take(positions).reset_index(drop=True)
                batched.update({(metric_id, series): rows for metric_id in slots[(extract, key, series)][1]})
        return batched

    def _work_out(self, metric: Metric, org_code: str, part: Part,
                  batched: dict[tuple[str, str], pd.DataFrame]) -> _Worked:
        """A metric's whole series for ``org_code`` (its sums from ``batched`` where they are there)."""
        units = self.units(metric, org_code, part=part)
        if not units:
            return NOT_REPORTED
        sums = batched.get((metric.id, "actual"))
        if sums is None:
            sums = self._sums(metric, units, part=part)
        periods = sums["period"].tolist()
        values = metric_values(metric, sums).tolist()
        spans = self.spans(metric, part=part)
        targets = [metric.target_for(p, org_code) for p in periods]
        if part is not None:
            plans = pd.Series(dtype="float64")  # a member of a breakdown has no plan of its own
        elif (metric.id, "plan") in batched:
            plans = _by_period(metric, batched[(metric.id, "plan")])
        else:
            plans = self.plan_series(metric, org_code)
        return _Worked.of(pd.DataFrame({  # built in one go: adding columns one at a time costs more than the sums
            "period": sums["period"], "value": pd.Series(values, dtype="float64"),
            "numerator": sums["numerator"], "denominator": sums["denominator"],
            "orgs_reporting": sums["orgs_reporting"],
            "orgs_expected": [self._expected(spans, units, p) for p in periods],
            "provisional": sums["provisional"], "estimate": sums["estimate"], "note": sums["note"],
            "target": [t.value if t else None for t in targets],
            "status": [status(metric, v, t) for v, t in zip(values, targets)],
            "plan": sums["period"].map(plans).astype("float64")}))

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
            return _by_period(metric, self._sums(metric, units, series="plan", start=start, end=end))
        if metric.trajectory and org_code == self.tree.root:
            return self._cache.get(("trajectory", metric.id), lambda: _trajectory(metric)).loc[start:end]
        return pd.Series(dtype="float64")

    def values(self, metric_id: str, org_code: str, series: str = "actual", start: str | None = None,
               end: str | None = None) -> pd.DataFrame:
        """Any series (actual, plan or forecast) month by month: period, value, numerator, denominator."""
        metric = self.metric(metric_id)
        units = self.units(metric, org_code, series=series)
        if not units:
            return pd.DataFrame(columns=["period", "value", "numerator", "denominator"])
        sums = self._sums(metric, units, series=series, start=start, end=end)
        sums["value"] = metric_values(metric, sums)
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
        first = Month(period).fy_first
        if metric.measure == "year_to_date":
            return (period, period) if basis == "ytd" else (first + 11,) * 2
        return first, period if basis == "ytd" else first + 11

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
        return number(metric_values(metric, sums).iloc[0])

    # --- one metric, one organisation, one period -------------------------------------------------

    def summary(self, metric_id: str, org_code: str, period: str, part: Part = None) -> MetricSummary:
        """The metric for ``org_code`` in ``period``: its latest value to the period, against the
        month before, its target, plan, year to date and baseline, and its SPC icons."""
        metric = self.metric(metric_id)
        if not self.units(metric, org_code, part=part):
            return MetricSummary(metric, org_code, period, available=False, status="no data")
        valued = self._worked_out([metric_id], org_code, part)[metric_id].valued
        return summarise(metric, org_code, period, valued, self.config.settings.no_change_tolerance)

    def spc(self, metric_id: str, org_code: str, period: str, part: Part = None) -> SPCResult | None:
        """SPC over every month with data up to ``period``; None when there is nothing to chart."""
        metric = self.metric(metric_id)
        rows = to_period(self._worked_out([metric_id], org_code, part)[metric_id].valued, period)
        if rows.empty:
            return None
        return spc_analysis(metric, rows, metric.target_for(rows.index[-1], org_code))

    # --- portfolios and drill-downs -------------------------------------------------------------

    def portfolio_summaries(self, portfolio_id: str, org_code: str, period: str) -> list[MetricSummary]:
        portfolio = self.config.portfolio(portfolio_id)
        self.series_many([m.id for m in portfolio.metrics], org_code)
        return [self.summary(m.id, org_code, period) for m in portfolio.metrics]

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
        sums["value"] = metric_values(metric, sums)
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
        grouped["value"] = metric_values(metric, grouped)
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
        sums["value"] = metric_values(metric, sums)
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


def _by_period(metric: Metric, sums: pd.DataFrame) -> pd.Series:
    """The metric's values from sums by period, indexed by period."""
    return pd.Series(metric_values(metric, sums).to_numpy(), index=sums["period"], dtype="float64")


def _trajectory(metric: Metric) -> pd.Series:
    """A YAML trajectory month by month: straight lines between the months it gives."""
    points = pd.Series(metric.trajectory.values, dtype="float64").sort_index()
    months = Month(points.index[0]).through(points.index[-1])
    given = [Month(m).index for m in points.index]
    return pd.Series(np.interp([m.index for m in months], given, points.to_numpy()), index=months, dtype="float64")
