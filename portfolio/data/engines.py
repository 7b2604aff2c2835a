"""The engines that hold the facts and run the queries: DuckDB embedded in the dashboard (the
default, over the Parquet store beside the extracts), a PostgreSQL database standing for an ICB's
SQL warehouse, and Apache Spark, each run through its own driver.

Every engine takes the same compiled queries (``portfolio.data.queries``) with named parameters,
and answers with the same pandas types. An engine is named by a URL:

- ``duckdb:///path/to/file.duckdb`` (or ``duckdb://`` for an in-memory one);
- ``postgresql://user@host:5432/database`` (the password, if any, from the secrets, never YAML);
- ``spark://local[2]`` (Spark on this machine) or ``spark://host:7077`` (a cluster's master), with
  ``?warehouse=FOLDER``: where its tables are kept as Parquet (default ``spark-warehouse``).
"""

from __future__ import annotations

import functools
import os
import re
import threading
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

import duckdb
import ibis
import pandas as pd

from portfolio.data.queries import Shape, bound, compiled, schema_of, typed

FACTS_TABLE = "portfolio_facts"  # a warehouse's tables, named so as not to clash with the warehouse's own
ATTENDANCES_TABLE = "portfolio_attendances"
LOADS_TABLE = "portfolio_loads"  # what was loaded, from which version of which file, and when
SPARK_WAREHOUSE = "spark-warehouse"  # Spark's own default name for the folder of its tables
EMBEDDED = "embedded"  # the source of an extract read from its CSV file into the dashboard's own DuckDB
SCHEMES = ("postgresql", "postgres", "spark", "duckdb")


class UnknownEngine(ValueError):
    """A URL that names no engine the dashboard can use."""


class Engine:
    """An engine's driver: it runs a compiled query with the call's values."""

    dialect: str
    url: str
    MARKER: str  # how the driver marks a named parameter ({} is its name)

    def frame(self, shape: Shape, tables: tuple[tuple[str, str, ibis.Schema], ...],
              values: Mapping[str, Any]) -> pd.DataFrame:
        """The answer to ``shape`` over ``tables`` with the parameters' ``values``, typed the same
        on every engine."""
        sql, order = self.statement(shape, tables)
        return typed(self._run(sql, bound(values, order)), schema_of(shape, tables))

    def statement(self, shape: Shape, tables: tuple[tuple[str, str, ibis.Schema], ...]) -> tuple[str, tuple[str, ...]]:
        """The SQL of ``shape`` with this driver's markers for its parameters, and their names."""
        sql, order = compiled(shape, self.dialect, tables)
        if self.dialect == "postgres":
            sql = sql.replace("%", "%%")  # psycopg reads % as the start of a marker
        for name in order:
            sql = sql.replace(f"__param_{name}__", self.MARKER.format(name))
        return sql, order

    def _run(self, sql: str, values: dict[str, Any]) -> pd.DataFrame:
        raise NotImplementedError

    def has_table(self, name: str) -> bool:
        raise NotImplementedError


class DuckDBEngine(Engine):
    """DuckDB in this process, with a cursor for each thread that asks (a DuckDB connection is not
    shared across threads, and each Streamlit session runs in a thread of its own)."""

    dialect = "duckdb"
    MARKER = "${}"

    def __init__(self, path: str = ":memory:", *setup: str):
        self.url = f"duckdb:///{path}" if path != ":memory:" else "duckdb://"
        self._connection = duckdb.connect(path)
        for statement in setup:
            self._connection.execute(statement)
        self._local = threading.local()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        if not hasattr(self._local, "cursor"):
            self._local.cursor = self._connection.cursor()
        return self._local.cursor

    def _run(self, sql: str, values: dict[str, Any]) -> pd.DataFrame:
        return self.cursor().execute(sql, values or None).df()

    def has_table(self, name: str) -> bool:
        return bool(self.cursor().execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
                                          [name]).fetchone()[0])


class PostgresEngine(Engine):
    """A PostgreSQL database through psycopg, a connection for each thread, each query its own
    transaction (read only: the dashboard never writes to a warehouse it reads)."""

    dialect = "postgres"
    MARKER = "%({})s"

    def __init__(self, url: str):
        self.url = url
        self._local = threading.local()

    def connection(self):
        import psycopg  # a warehouse driver is needed only by those who use one

        if getattr(self._local, "connection", None) is None or self._local.connection.closed:
            self._local.connection = psycopg.connect(self.url, autocommit=True)
        return self._local.connection

    def _run(self, sql: str, values: dict[str, Any]) -> pd.DataFrame:
        with self.connection().cursor() as cursor:
            cursor.execute(sql, values)
            return pd.DataFrame.from_records(cursor.fetchall(), columns=[column.name for column in cursor.description])

    def has_table(self, name: str) -> bool:
        with self.connection().cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
            return cursor.fetchone()[0]


class SparkEngine(Engine):
    """Spark (a local one or a cluster's master) over tables kept as Parquet in a warehouse folder,
    each seen as a view of its folder."""

    dialect = "pyspark"
    MARKER = ":{}"

    def __init__(self, url: str, master: str, warehouse: str):
        self.url, self.master, self.warehouse = url, master, warehouse
        self._session = None
        self._lock = threading.Lock()

    def session(self):
        with self._lock:
            if self._session is None:
                from pyspark.sql import SparkSession

                # a folder on this machine is made absolute; hdfs://, s3a:// and the like are Spark's to read
                warehouse = self.warehouse if "://" in self.warehouse else str(Path(self.warehouse).resolve())
                self._session = (SparkSession.builder.master(self.master).appName("portfolio")
                                 .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                                 .config("spark.sql.session.timeZone", "UTC")
                                 .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
                                 .config("spark.sql.warehouse.dir", warehouse)
                                 .getOrCreate())
                self._session.sparkContext.setLogLevel("ERROR")
            return self._session

    def folder(self, table: str) -> str:
        return f"{self.warehouse.rstrip('/')}/{table}"

    def refresh(self, table: str) -> None:
        """See the table's folder as it is now: after a load, by this process or another (Spark
        keeps the list of a view's files, which another process's load replaces)."""
        from pyspark.errors import AnalysisException

        try:
            self.session().read.parquet(self.folder(table)).createOrReplaceTempView(table)
        except AnalysisException:  # no such folder: nothing loaded yet
            self.session().catalog.dropTempView(table)

    def _run(self, sql: str, values: dict[str, Any]) -> pd.DataFrame:
        return self.session().sql(sql, args=values or None).toPandas()

    def has_table(self, name: str) -> bool:
        """Whether the table's folder holds a load, seen as it is now (the workspace asks this as it loads)."""
        self.refresh(name)
        return self.session().catalog.tableExists(name)


def engine_from_url(url: str) -> Engine:
    """A new engine for ``url``: see the module's docstring for the kinds."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme == "duckdb":
        return DuckDBEngine(url.removeprefix("duckdb:///").removeprefix("duckdb://") or ":memory:")
    if scheme in ("postgresql", "postgres"):
        return PostgresEngine(url)
    if scheme == "spark":  # not urlsplit: it reads local[2] as an IPv6 address
        host, _, query = url.split("://", 1)[1].partition("?")
        warehouse = parse_qs(query).get("warehouse", [SPARK_WAREHOUSE])[0]
        master = host if host.startswith("local") else f"spark://{host}"
        return SparkEngine(url, master, warehouse)
    raise UnknownEngine(f"'{shown_url(url)}' is not an engine the dashboard can use: give a postgresql://, "
                        "spark:// or duckdb:/// URL, or the name of a connection")


@functools.cache
def engine(url: str) -> Engine:
    """The one engine of ``url`` in this process (its connections and its Spark session are shared)."""
    return engine_from_url(url)


def shown_url(url: str) -> str:
    """The URL without its password, fit to print."""
    return re.sub(r"^([a-z]+://[^:/@]*):[^@/]*@", r"\1:***@", url, flags=re.IGNORECASE)


class UnknownConnection(ValueError):
    """A connection name that no secrets file nor the environment gives a URL for."""


def secrets_files() -> list[Path]:
    """Where Streamlit reads secrets from, in the order it reads them (a later file wins): the
    user's, then the project's (the folder the dashboard or command is run from)."""
    return [Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"]


def is_url(source: str) -> bool:
    return bool(re.match(rf"^({'|'.join(SCHEMES)})://", source, flags=re.IGNORECASE))


def connection_url(source: str, files: list[Path] | None = None) -> str:
    """The URL of ``source``: a URL as it is; a connection's name looked up in the environment
    (``PORTFOLIO_CONNECTION_NAME``) or in the secrets' ``[connections.NAME]`` (``url``, or
    Streamlit's SQL connection keys: dialect, host, port, database, username, password)."""
    if is_url(source):
        return source
    variable = "PORTFOLIO_CONNECTION_" + re.sub(r"\W", "_", source).upper()
    if os.environ.get(variable):
        return os.environ[variable]
    settings: dict = {}
    for path in files if files is not None else secrets_files():
        if path.is_file():
            try:
                # a later file's [connections.NAME] replaces an earlier one's whole
                settings = tomllib.loads(path.read_text(encoding="utf-8")).get("connections", {}).get(source, settings)
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, AttributeError) as error:
                raise UnknownConnection(f"{path} could not be read as TOML ({error}): fix it so that "
                                        f"[connections.{source}] can be found") from error
    if settings.get("url"):
        return str(settings["url"])
    if settings.get("dialect") and settings.get("host"):
        return _url_from_parts(settings)
    raise UnknownConnection(
        f"there is no connection '{source}': add [connections.{source}] with url = \"postgresql://user@host:5432/db\" "
        f"(or spark://…) to .streamlit/secrets.toml, or set {variable} to its URL")


def _url_from_parts(settings: Mapping[str, Any]) -> str:
    """Streamlit's SQL connection keys as one URL; the password percent-encoded."""
    dialect = str(settings["dialect"]).split("+")[0]
    user = quote(str(settings.get("username", "")), safe="")
    password = f":{quote(str(settings['password']), safe='')}" if settings.get("password") else ""
    login = f"{user}{password}@" if user else ""
    port = f":{settings['port']}" if settings.get("port") else ""
    return f"{dialect}://{login}{settings['host']}{port}/{settings.get('database', '')}"
