"""The fact store: validated extract rows in an embedded columnar engine (DuckDB).

Every figure the dashboard shows is a sum of numerators, denominators or values over a set of
organisations, grouped by period (and, for drill-downs, by organisation or breakdown member).
That aggregation runs inside DuckDB, so the same interface can later sit over Parquet files or a
warehouse without the metric engine changing.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb
import pandas as pd

from portfolio.data.extracts import FACT_SCHEMA

DUCKDB_TYPES = {"string": "VARCHAR", "double": "DOUBLE", "int64": "BIGINT"}
# what every sum reports beside the figures: whether any row is provisional or an estimate, and the notes
FLAGS = ("BOOL_OR(status = 'provisional') AS provisional, BOOL_OR(status = 'estimate') AS estimate, "
         "STRING_AGG(NULLIF(note, ''), '; ') AS note")
GROUPABLE = ("period", "org_code", "breakdown_value", "breakdown2_value")


class Database:
    """An in-memory DuckDB database and a cursor on it for each thread that asks: a DuckDB connection
    is not shared across threads, and each Streamlit session runs in a thread of its own."""

    def __init__(self, *setup: str):
        self._connection = duckdb.connect(":memory:")
        for statement in setup:
            self._connection.execute(statement)
        self._local = threading.local()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        if not hasattr(self._local, "cursor"):
            self._local.cursor = self._connection.cursor()
        return self._local.cursor


@functools.cache
def files_database() -> Database:
    """The one database the figures read Parquet store files through (the patient-level store's),
    holding no tables; each file's metadata is cached once read."""
    return Database("SET parquet_metadata_cache = true")


class FactStore:
    def __init__(self, files: list[Path]):
        """The facts of the extracts' store files (Parquet, one per extract) in an in-memory table."""
        self._database = Database()
        columns = ", ".join(f"{column.name} {DUCKDB_TYPES[str(column.type)]}" for column in FACT_SCHEMA)
        self._cursor().execute(f"CREATE TABLE facts ({columns})")
        if files:
            self._cursor().execute(
                "INSERT INTO facts SELECT * FROM read_parquet(?) ORDER BY extract, metric_id, org_code, period",
                [[str(f) for f in files]])
        self._coverage = self._read_coverage()

    def _read_coverage(self) -> dict[tuple, list]:
        """Which organisations report each metric, series and breakdown cell, and over which months:
        one pass over the facts, grouped by what ``spans`` can be asked to filter on."""
        coverage: dict[tuple, list] = {}
        rows = self._cursor().execute(
            """SELECT extract, metric_id, series, breakdown, breakdown_value, breakdown2, status, org_code,
                      MIN(period), MAX(period)
               FROM facts GROUP BY ALL""").fetchall()
        for extract, key, series, breakdown, member, breakdown2, status, org_code, first, last in rows:
            cells = {"breakdown_value": member, "breakdown2": breakdown2, "status": status}
            coverage.setdefault((extract, key, series, breakdown), []).append((cells, org_code, first, last))
        return coverage

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        return self._database.cursor()

    def _where(self, extract: str, key: str, filters: Mapping[str, str], series: str,
               breakdown: str) -> tuple[str, list]:
        conditions = {"breakdown": breakdown, "breakdown2": "", "series": series, **filters}
        clauses = ["extract = ?", "metric_id = ?"] + [f"{column} = ?" for column in conditions]
        return " AND ".join(clauses), [extract, key, *conditions.values()]

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
        where, params = self._where(extract, key, filters, series, breakdown)
        where += " AND list_contains(?::VARCHAR[], org_code)"
        params.append(list(org_codes))
        if start:
            where += " AND period >= ?"
            params.append(start)
        if end:
            where += " AND period <= ?"
            params.append(end)
        groups = ", ".join(by)
        parts = "SUM(numerator)::DOUBLE AS numerator, SUM(denominator)::DOUBLE AS denominator"
        if share:
            parts = ("SUM(value) FILTER (WHERE list_contains(?::VARCHAR[], breakdown_value))::DOUBLE AS numerator, "
                     "SUM(value)::DOUBLE AS denominator")
            params = [list(share), *params]
        query = f"""
            SELECT {groups + ',' if by else ''}
                   SUM(value)::DOUBLE AS value, {parts},
                   {"COUNT(DISTINCT org_code)" if share else "COUNT(*)"} AS orgs_reporting,  -- one row each, but a share reads its members
                   {FLAGS}
            FROM facts WHERE {where}
            {f'GROUP BY {groups} ORDER BY {groups}' if by else ''}"""
        return self._cursor().execute(query, params).df()

    def sums_of_many(self, extract: str, wanted: list[tuple[str, str, str]]) -> pd.DataFrame:
        """``sums`` by period of the total rows for many metrics at once, each over its own
        organisations: ``wanted`` holds (metric key, series, org code) triples. One query instead
        of one per metric and series; grouped by key, series and period."""
        keys, series, org_codes = (list(column) for column in zip(*wanted)) if wanted else ([], [], [])
        query = f"""
            SELECT metric_id, series, period,
                   SUM(value)::DOUBLE AS value, SUM(numerator)::DOUBLE AS numerator,
                   SUM(denominator)::DOUBLE AS denominator, COUNT(*) AS orgs_reporting,
                   {FLAGS}
            FROM facts
            JOIN (SELECT UNNEST(?::VARCHAR[]) AS metric_id, UNNEST(?::VARCHAR[]) AS series,
                         UNNEST(?::VARCHAR[]) AS org_code) USING (metric_id, series, org_code)
            WHERE extract = ? AND breakdown = '' AND breakdown2 = ''
            GROUP BY metric_id, series, period ORDER BY metric_id, series, period"""
        return self._cursor().execute(query, [keys, series, org_codes, extract]).df()

    def rows(self, extract: str, key: str, filters: Mapping[str, str] = {}) -> pd.DataFrame:
        """Every stored row of one metric (all series, the total and every breakdown member, not the
        cells of a second breakdown), with its line in the extract: for checking that figures add up."""
        conditions = {"breakdown2": "", **filters}
        where = " AND ".join(["extract = ?", "metric_id = ?"] + [f"{column} = ?" for column in conditions])
        cursor = self._cursor().execute(
            f"""SELECT org_code, period, series, breakdown, breakdown_value, value, numerator, denominator, line
                FROM facts WHERE {where} ORDER BY line""", [extract, key, *conditions.values()])
        frame = pd.DataFrame.from_records(cursor.fetchall(), columns=[d[0] for d in cursor.description])
        return frame.astype({"value": "float64", "numerator": "float64", "denominator": "float64"})

    def periods(self) -> list[str]:
        rows = self._cursor().execute("SELECT DISTINCT period FROM facts WHERE series = 'actual' ORDER BY period")
        return [row[0] for row in rows.fetchall()]

    def row_count(self) -> int:
        return self._cursor().execute("SELECT COUNT(*) FROM facts").fetchone()[0]
