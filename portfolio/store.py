"""The fact store: validated extract rows in an embedded columnar engine (DuckDB).

Every figure the dashboard shows is a sum of numerators, denominators or values over a set of
organisations, grouped by period (and, for drill-downs, by organisation or breakdown member).
That aggregation runs inside DuckDB, so the same interface can later sit over Parquet files or a
warehouse without the metric engine changing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping

import duckdb
import pandas as pd

GROUPABLE = ("period", "org_code", "breakdown_value", "breakdown2_value")


class FactStore:
    def __init__(self, facts: pd.DataFrame):
        self._connection = duckdb.connect(":memory:")
        self._connection.register("incoming", facts)
        self._connection.execute(
            "CREATE TABLE facts AS SELECT * FROM incoming ORDER BY extract, metric_id, org_code, period"
        )
        self._connection.unregister("incoming")
        self._local = threading.local()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        # DuckDB connections are not shared across threads; each Streamlit thread gets a cursor.
        if not hasattr(self._local, "cursor"):
            self._local.cursor = self._connection.cursor()
        return self._local.cursor

    def _where(self, extract: str, key: str, filters: Mapping[str, str], series: str,
               breakdown: str) -> tuple[str, list]:
        conditions = {"breakdown": breakdown, "breakdown2": "", "series": series, **filters}
        clauses = ["extract = ?", "metric_id = ?"] + [f"{column} = ?" for column in conditions]
        return " AND ".join(clauses), [extract, key, *conditions.values()]

    def spans(self, extract: str, key: str, filters: Mapping[str, str] = {}, *,
              series: str = "actual", breakdown: str = "") -> dict[str, tuple[str, str]]:
        """Each reporting organisation's first and last period."""
        where, params = self._where(extract, key, filters, series, breakdown)
        rows = self._cursor().execute(
            f"SELECT org_code, MIN(period), MAX(period) FROM facts WHERE {where} GROUP BY org_code", params
        ).fetchall()
        return {code: (first, last) for code, first, last in rows}

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
        parts = "SUM(numerator) AS numerator, SUM(denominator) AS denominator"
        if share:
            parts = ("SUM(value) FILTER (WHERE list_contains(?::VARCHAR[], breakdown_value)) AS numerator, "
                     "SUM(value) AS denominator")
            params = [list(share), *params]
        query = f"""
            SELECT {groups + ',' if by else ''}
                   SUM(value) AS value, {parts},
                   {"COUNT(DISTINCT org_code)" if share else "COUNT(*)"} AS orgs_reporting,  -- one row each, but a share reads its members
                   BOOL_OR(status = 'provisional') AS provisional,
                   BOOL_OR(status = 'estimate') AS estimate,
                   STRING_AGG(NULLIF(note, ''), '; ') AS note
            FROM facts WHERE {where}
            {f'GROUP BY {groups} ORDER BY {groups}' if by else ''}"""
        cursor = self._cursor().execute(query, params)
        columns = [d[0] for d in cursor.description]
        # building the frame from tuples is several times quicker than DuckDB's .df() for small results
        frame = pd.DataFrame.from_records(cursor.fetchall(), columns=columns)
        return frame.astype({"value": "float64", "numerator": "float64", "denominator": "float64"})

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
