"""The fact store: validated extract rows in an engine that adds them up.

Every figure the dashboard shows is a sum of numerators, denominators or values over a set of
organisations, grouped by period (and, for drill-downs, by organisation or breakdown member).
That aggregation runs in the engine that holds the rows: by default DuckDB, embedded in the
dashboard and filled from the Parquet store files; for an extract whose source is a warehouse,
that warehouse's ``portfolio_facts`` table (``portfolio.data.engines``). Each query is written
once, below, as an ibis expression, and runs unchanged on every engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import ibis
import pandas as pd

from portfolio.data.engines import FACTS_TABLE, DuckDBEngine, Engine
from portfolio.data.extracts import FACT_SCHEMA
from portfolio.data.queries import TEXT, TEXTS, shape

FACTS = ibis.schema({column.name: {"string": "string", "double": "float64", "int64": "int64"}[str(column.type)]
                     for column in FACT_SCHEMA})
GROUPABLE = ("period", "org_code", "breakdown_value", "breakdown2_value")
EMBEDDED_TABLE = "facts"


def _flags(facts: ibis.Table, where=None) -> dict:
    """What every sum reports beside the figures: whether any row is provisional or an estimate,
    and the rows' notes, in alphabetical order (the one order every engine can give: Spark cannot
    order a string aggregation)."""
    return {"provisional": (facts.status == "provisional").any(where=where),
            "estimate": (facts.status == "estimate").any(where=where),
            "note": facts.note.nullif("").collect(where=where).sort().join("; ").nullif("")}


def _one_metric(facts: ibis.Table, conditions: tuple[str, ...], extract, key, values: dict) -> ibis.Table:
    """The rows of one metric of one extract, where each column of ``conditions`` equals its parameter."""
    return facts.filter(facts.extract == extract, facts.metric_id == key,
                        *(facts[column] == values[f"is_{column}"] for column in conditions))


def _sums(facts: ibis.Table, *, extract, key, orgs, conditions: tuple[str, ...], by: tuple[str, ...],
          share: bool, start: bool, end: bool, **values) -> ibis.Table:
    """Sums over the organisations ``orgs``; ``start`` and ``end``: whether the months are limited."""
    rows = _one_metric(facts, conditions, extract, key, values)
    rows = rows.filter(orgs.contains(rows.org_code))
    if start:
        rows = rows.filter(rows.period >= values["first_month"])
    if end:
        rows = rows.filter(rows.period <= values["last_month"])
    if share:  # the listed members' share of every member's total; a share reads several rows per organisation
        figures = {"numerator": rows.value.sum(where=values["members"].contains(rows.breakdown_value)),
                   "denominator": rows.value.sum(), "orgs_reporting": rows.org_code.nunique()}
    else:
        figures = {"numerator": rows.numerator.sum(), "denominator": rows.denominator.sum(),
                   "orgs_reporting": rows.count()}
    aggregates = {"value": rows.value.sum(), **figures, **_flags(rows)}
    if not by:
        return rows.aggregate(**aggregates)
    return rows.group_by(*by).aggregate(**aggregates).order_by(*by)


def _sums_of_many(facts: ibis.Table, *, extract, wanted) -> ibis.Table:
    rows = facts.filter(facts.extract == extract, facts.breakdown == "", facts.breakdown2 == "",
                        wanted.contains(facts.metric_id.concat("|", facts.series, "|", facts.org_code)))
    return (rows.group_by("metric_id", "series", "period")
            .aggregate(value=rows.value.sum(), numerator=rows.numerator.sum(), denominator=rows.denominator.sum(),
                       orgs_reporting=rows.count(), **_flags(rows))
            .order_by("metric_id", "series", "period"))


def _rows(facts: ibis.Table, *, extract, key, conditions: tuple[str, ...], **values) -> ibis.Table:
    rows = _one_metric(facts, conditions, extract, key, values)
    return rows.select("org_code", "period", "series", "breakdown", "breakdown_value", "value", "numerator",
                       "denominator", "line").order_by("line")


def _coverage(facts: ibis.Table, *, extracts) -> ibis.Table:
    rows = facts.filter(extracts.contains(facts.extract))
    return (rows.group_by("extract", "metric_id", "series", "breakdown", "breakdown_value", "breakdown2", "status",
                          "org_code")
            .aggregate(first=rows.period.min(), last=rows.period.max()))


def _periods(facts: ibis.Table, *, extracts) -> ibis.Table:
    rows = facts.filter(extracts.contains(facts.extract), facts.series == "actual")
    return rows.select("period").distinct().order_by("period")


def _row_count(facts: ibis.Table, *, extracts) -> ibis.Table:
    return facts.filter(extracts.contains(facts.extract)).aggregate(rows=lambda t: t.count())


COVERAGE = shape(_coverage, extracts=TEXTS)
PERIODS = shape(_periods, extracts=TEXTS)
ROW_COUNT = shape(_row_count, extracts=TEXTS)
SUMS_OF_MANY = shape(_sums_of_many, extract=TEXT, wanted=TEXTS)


class FactStore:
    def __init__(self, files: list[Path], warehoused: Mapping[str, Engine] | None = None):
        """The facts of the extracts' store files (Parquet, one per extract) in an embedded table,
        and those of the extracts in ``warehoused`` (extract → the engine holding its rows) where
        they are."""
        embedded = DuckDBEngine()
        columns = ", ".join(f"{column.name} {_DUCKDB_TYPES[str(column.type)]}" for column in FACT_SCHEMA)
        embedded.cursor().execute(f"CREATE TABLE {EMBEDDED_TABLE} ({columns})")
        if files:
            embedded.cursor().execute(
                f"INSERT INTO {EMBEDDED_TABLE} SELECT * FROM read_parquet(?) "
                "ORDER BY extract, metric_id, org_code, period", [[str(f) for f in files]])
        self._engines: dict[Engine, list[str]] = {embedded: []}  # each engine and the extracts it holds
        self._engine_of: dict[str, Engine] = {}
        for extract, warehouse in (warehoused or {}).items():
            self._engines.setdefault(warehouse, []).append(extract)
            self._engine_of[extract] = warehouse
        self._embedded = embedded
        embedded_extracts = embedded.cursor().execute(f"SELECT DISTINCT extract FROM {EMBEDDED_TABLE}").fetchall()
        self._engines[embedded] = [name for (name,) in embedded_extracts]
        self._coverage = self._read_coverage()

    @property
    def warehoused(self) -> dict[str, Engine]:
        """The extracts read from a warehouse, and its engine."""
        return dict(self._engine_of)

    def _table(self, engine: Engine) -> tuple[tuple[str, str, ibis.Schema], ...]:
        return (("facts", EMBEDDED_TABLE if engine is self._embedded else FACTS_TABLE, FACTS),)

    def _ask(self, engine: Engine, query, **values) -> pd.DataFrame:
        return engine.frame(query, self._table(engine), values)

    def _of(self, extract: str) -> Engine:
        return self._engine_of.get(extract, self._embedded)

    def _read_coverage(self) -> dict[tuple, list]:
        """Which organisations report each metric, series and breakdown cell, and over which months:
        one pass over the facts, grouped by what ``spans`` can be asked to filter on."""
        coverage: dict[tuple, list] = {}
        for engine, extracts in self._engines.items():
            found = self._ask(engine, COVERAGE, extracts=extracts)
            for row in found.itertuples(index=False):
                cells = {"breakdown_value": row.breakdown_value, "breakdown2": row.breakdown2, "status": row.status}
                coverage.setdefault((row.extract, row.metric_id, row.series, row.breakdown), []).append(
                    (cells, row.org_code, row.first, row.last))
        return coverage

    def spans(self, extract: str, key: str, filters: Mapping[str, str] = {}, *,
              series: str = "actual", breakdown: str = "") -> dict[str, tuple[str, str]]:
        """Each reporting organisation's first and last period (read from the coverage table, which
        is small, instead of the facts: the engine asks this for every metric it shows)."""
        wanted = {"breakdown": breakdown, "breakdown2": "", "series": series, **filters}
        group = (extract, key, wanted.pop("series"), wanted.pop("breakdown"))
        spans: dict[str, tuple[str, str]] = {}
        for cells, org_code, first, last in self._coverage.get(group, ()):
            if all(cells.get(column) == value for column, value in wanted.items()):
                known = spans.get(org_code)
                spans[org_code] = (min(first, known[0]), max(last, known[1])) if known else (first, last)
        return spans

    def sums(self, extract: str, key: str, org_codes: Iterable[str], filters: Mapping[str, str] = {}, *,
             series: str = "actual", breakdown: str = "", by: tuple[str, ...] = ("period",),
             start: str | None = None, end: str | None = None, share: tuple[str, ...] | None = None) -> pd.DataFrame:
        """Sums of value, numerator and denominator over ``org_codes``, grouped by ``by``.

        With ``share`` (members of ``breakdown``), the numerator is the sum of those members' values
        and the denominator the sum of every member's: the listed members' share of the total.
        Also returns how many organisations reported, whether any row is provisional or an
        estimate, and the rows' notes. A sum over only missing values stays missing.
        """
        if not set(by) <= set(GROUPABLE):
            raise ValueError(f"cannot group by {by}")
        conditions = {"breakdown": breakdown, "breakdown2": "", "series": series, **filters}
        parameters = {f"is_{column}": TEXT for column in conditions} | {"extract": TEXT, "key": TEXT, "orgs": TEXTS}
        parameters |= {"members": TEXTS} if share else {}
        parameters |= {name: TEXT for name, given in (("first_month", start), ("last_month", end)) if given}
        options = {"conditions": tuple(conditions), "by": tuple(by), "share": bool(share), "start": bool(start),
                   "end": bool(end)}
        query = shape(_sums, options, **parameters)
        values = {f"is_{column}": value for column, value in conditions.items()}
        values |= {"extract": extract, "key": key, "orgs": list(org_codes), "members": share, "first_month": start,
                   "last_month": end}
        return self._ask(self._of(extract), query, **values)

    def sums_of_many(self, extract: str, wanted: list[tuple[str, str, str]]) -> pd.DataFrame:
        """``sums`` by period of the total rows for many metrics at once, each over its own
        organisations: ``wanted`` holds (metric key, series, org code) triples. One query instead
        of one per metric and series; grouped by key, series and period."""
        return self._ask(self._of(extract), SUMS_OF_MANY, extract=extract,
                         wanted=["|".join(triple) for triple in wanted])

    def rows(self, extract: str, key: str, filters: Mapping[str, str] = {}) -> pd.DataFrame:
        """Every stored row of one metric (all series, the total and every breakdown member, not the
        cells of a second breakdown), with its line in the extract: for checking that figures add up."""
        conditions = {"breakdown2": "", **filters}
        parameters = {f"is_{column}": TEXT for column in conditions} | {"extract": TEXT, "key": TEXT}
        query = shape(_rows, {"conditions": tuple(conditions)}, **parameters)
        values = {f"is_{column}": value for column, value in conditions.items()} | {"extract": extract, "key": key}
        return self._ask(self._of(extract), query, **values)

    def periods(self) -> list[str]:
        found = set()
        for engine, extracts in self._engines.items():
            found.update(self._ask(engine, PERIODS, extracts=extracts)["period"])
        return sorted(found)

    def row_count(self) -> int:
        return sum(int(self._ask(engine, ROW_COUNT, extracts=extracts)["rows"].iloc[0])
                   for engine, extracts in self._engines.items())


_DUCKDB_TYPES = {"string": "VARCHAR", "double": "DOUBLE", "int64": "BIGINT"}
