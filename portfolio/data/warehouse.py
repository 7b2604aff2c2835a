"""Loading a warehouse: the validated store files (one per extract, and the patient-level one)
written into the warehouse's tables, so that the dashboard can add them up there.

Each file is one load. A load replaces only its own rows, in one transaction where the engine
has them (PostgreSQL, DuckDB; on Spark, one job that overwrites the file's partition), and is
recorded in ``portfolio_loads`` with the version of the file it came from, so loading the same
file again changes nothing and says so.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from portfolio.data.engines import (ATTENDANCES_TABLE, FACTS_TABLE, LOADS_TABLE, DuckDBEngine, Engine, PostgresEngine,
                                    SparkEngine)
from portfolio.data.queries import TEXT, shape

# each table's columns in the warehouse, with their SQL types (the same names on every engine)
COLUMNS = {
    FACTS_TABLE: {"extract": "VARCHAR", "metric_id": "VARCHAR", "period": "VARCHAR", "org_code": "VARCHAR",
                  "breakdown": "VARCHAR", "breakdown_value": "VARCHAR", "breakdown2": "VARCHAR",
                  "breakdown2_value": "VARCHAR", "series": "VARCHAR", "value": "DOUBLE PRECISION",
                  "numerator": "DOUBLE PRECISION", "denominator": "DOUBLE PRECISION", "status": "VARCHAR",
                  "note": "VARCHAR", "line": "BIGINT"},
    ATTENDANCES_TABLE: {"site_code": "VARCHAR", "department_type": "SMALLINT", "arrival": "TIMESTAMP",
                        "departure": "TIMESTAMP", "minutes": "INTEGER", "month": "VARCHAR", "hour": "SMALLINT",
                        "weekday": "SMALLINT", "age_band": "VARCHAR", "imd_decile": "SMALLINT", "admitted": "BOOLEAN"},
    LOADS_TABLE: {"file": "VARCHAR", "kind": "VARCHAR", "version": "VARCHAR", "rows": "BIGINT",
                  "loaded_at": "VARCHAR"},
}
INDEXES = {FACTS_TABLE: ("extract", "metric_id", "org_code", "period"), ATTENDANCES_TABLE: ("month", "site_code")}
ARROW_TYPES = {"VARCHAR": pa.string(), "DOUBLE PRECISION": pa.float64(), "BIGINT": pa.int64(),
               "SMALLINT": pa.int16(), "INTEGER": pa.int32(), "TIMESTAMP": pa.timestamp("us"), "BOOLEAN": pa.bool_()}
BATCH_ROWS = 100_000  # rows sent at a time, so memory stays bounded however large the file
Progress = Callable[[int, int], None]  # rows written so far, rows in all


@dataclass(frozen=True)
class Load:
    """One file to load: its name (the extract's, or the patient-level file's), the table it goes
    into, and the validated store file whose name carries the version of the source."""

    file: str
    table: str
    stored: Path

    @property
    def version(self) -> str:
        return self.stored.name

    @property
    def kind(self) -> str:
        return "facts" if self.table == FACTS_TABLE else "attendances"


def _batches(load: Load) -> tuple[int, list]:
    """The store file's rows in the warehouse's column types, in batches; and how many rows."""
    source = pq.ParquetFile(load.stored)
    schema = pa.schema([(name, ARROW_TYPES[kind]) for name, kind in COLUMNS[load.table].items()])
    batches = (pa.Table.from_batches([batch]).select(schema.names).cast(schema)
               for batch in source.iter_batches(BATCH_ROWS))
    return source.metadata.num_rows, batches


def _versions(loads: ibis.Table, *, file) -> ibis.Table:
    return loads.filter(loads.file == file).select("version")


LOADS = ibis.schema({"file": "string", "kind": "string", "version": "string", "rows": "int64", "loaded_at": "string"})


def _every_version(loads: ibis.Table) -> ibis.Table:
    return loads.select("file", "version").order_by("file")


def loads_held(target: Engine) -> str:
    """Every file the warehouse holds and its version, in a line: it changes with every load."""
    if not target.has_table(LOADS_TABLE):
        return ""
    found = target.frame(shape(_every_version), (("loads", LOADS_TABLE, LOADS),), {})
    return ";".join(f"{file}={version}" for file, version in zip(found["file"], found["version"]))


def loaded_version(target: Engine, file: str) -> str | None:
    """The version of ``file`` the warehouse holds, or None."""
    if not target.has_table(LOADS_TABLE):
        return None
    found = target.frame(shape(_versions, file=TEXT), (("loads", LOADS_TABLE, LOADS),), {"file": file})
    return found["version"].iloc[-1] if len(found) else None


def load(target: Engine, item: Load, progress: Progress | None = None) -> bool:
    """Write ``item`` into ``target`` unless that version is there already; whether it was written."""
    if loaded_version(target, item.file) == item.version:
        return False
    total, batches = _batches(item)
    record = pa.table({"file": [item.file], "kind": [item.kind], "version": [item.version], "rows": [total],
                       "loaded_at": [datetime.now(timezone.utc).isoformat(timespec="seconds")]})
    writer = {PostgresEngine: _into_postgres, DuckDBEngine: _into_duckdb, SparkEngine: _into_spark}[type(target)]
    writer(target, item, total, batches, record, progress or (lambda done, total: None))
    return True


def _make_room(execute: Callable[..., Any], item: Load, marker: str) -> None:
    """Within the load's transaction: the tables there, and the rows and record of an earlier load
    of the same file gone (an extract's own rows; every attendance). ``marker``: the driver's
    mark for a parameter."""
    for table in (item.table, LOADS_TABLE):
        columns = ", ".join(f"{name} {kind}" for name, kind in COLUMNS[table].items())
        execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
        if table in INDEXES:
            execute(f"CREATE INDEX IF NOT EXISTS {table}_lookup ON {table} ({', '.join(INDEXES[table])})")
    if item.table == FACTS_TABLE:
        execute(f"DELETE FROM {item.table} WHERE extract = {marker}", [item.file])
    else:
        execute(f"DELETE FROM {item.table}")
    execute(f"DELETE FROM {LOADS_TABLE} WHERE file = {marker}", [item.file])


def _into_postgres(target: PostgresEngine, item: Load, total: int, batches, record: pa.Table,
                   progress: Progress) -> None:
    connection = target.connection()
    with connection.transaction(), connection.cursor() as cursor:
        _make_room(cursor.execute, item, "%s")
        done = 0
        for table, rows in ((item.table, batches), (LOADS_TABLE, [record])):
            with cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN (FORMAT csv)") as copy:
                for batch in rows:
                    copy.write(_csv(batch))
                    if table == item.table:
                        done += batch.num_rows
                        progress(done, total)
    connection.execute(f"ANALYZE {item.table}")


def _csv(batch: pa.Table) -> bytes:
    """A batch as CSV for COPY: a missing value unquoted (NULL), an empty text quoted ("")."""
    buffer = io.BytesIO()
    pacsv.write_csv(batch, buffer, pacsv.WriteOptions(include_header=False))
    return buffer.getvalue()


def _into_duckdb(target: DuckDBEngine, item: Load, total: int, batches, record: pa.Table,
                 progress: Progress) -> None:
    cursor = target.cursor()
    cursor.execute("BEGIN TRANSACTION")
    try:
        _make_room(cursor.execute, item, "?")
        done = 0
        for batch in batches:
            cursor.register("batch", batch)
            cursor.execute(f"INSERT INTO {item.table} SELECT * FROM batch")
            cursor.unregister("batch")
            done += batch.num_rows
            progress(done, total)
        cursor.register("record", record)
        cursor.execute(f"INSERT INTO {LOADS_TABLE} SELECT * FROM record")
        cursor.unregister("record")
        cursor.execute("COMMIT")
    except BaseException:
        cursor.execute("ROLLBACK")
        raise


def _into_spark(target: SparkEngine, item: Load, total: int, batches, record: pa.Table,
                progress: Progress) -> None:
    """Spark has no transactions: the file's partition of the table is overwritten by one job
    (dynamic partition overwrite), which either commits whole or leaves the old files."""
    session = target.session()
    session.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")
    rows = session.read.parquet(str(item.stored))
    for name, kind in COLUMNS[item.table].items():
        rows = rows.withColumn(name, rows[name].cast(_SPARK_TYPES[kind]))
    rows = rows.select(*COLUMNS[item.table])
    writer = rows.write.mode("overwrite")
    writer = writer.partitionBy("extract") if item.table == FACTS_TABLE else writer
    writer.parquet(target.folder(item.table))
    progress(total, total)
    session.createDataFrame(record.to_pandas()).write.mode("overwrite").partitionBy("file").parquet(
        target.folder(LOADS_TABLE))
    for table in (item.table, LOADS_TABLE):
        target.refresh(table)


_SPARK_TYPES = {"VARCHAR": "string", "DOUBLE PRECISION": "double", "BIGINT": "bigint", "SMALLINT": "smallint",
                "INTEGER": "int", "TIMESTAMP": "timestamp_ntz", "BOOLEAN": "boolean"}
