"""The patient-level figures on each engine, side by side: the deep dive's queries
(``interactions`` in ``benchmarks/attendances.py``) on DuckDB over the embedded store file, on a
local Spark (``spark://local[2]?warehouse=FOLDER``) and on PostgreSQL (a throwaway cluster on a
loopback port, started here by ``tests/clusters.py``), each warehouse first loaded with the
validated store file as ``python -m portfolio load`` loads it (``portfolio.data.warehouse.load``).

    python benchmarks/engines.py [--small] [--work DIR]

Each engine is measured in a process of its own, one after another, so that one engine's memory
and threads (Spark's JVM) do not weigh on the next. An engine whose packages are not installed
is skipped, and the reason printed. Generating the attendances and building the store file from
their CSV are not timed here (``benchmarks/attendances.py`` times the build).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.attendances import FILE, interactions, prepared  # noqa: E402
from benchmarks.timing import environment, timed  # noqa: E402
from portfolio.data import attendances  # noqa: E402
from portfolio.data.engines import ATTENDANCES_TABLE, LOADS_TABLE, engine  # noqa: E402
from portfolio.data.storage import store_folder  # noqa: E402
from portfolio.data.warehouse import Load, load  # noqa: E402
from tests.clusters import Unavailable, java_home, postgres_cluster  # noqa: E402

# (engine, attendances): the sizes, PostgreSQL's beside DuckDB's on the same count; and Spark on the
# smaller count too, to show how much of its time is the same whatever the rows
COLUMNS = [("duckdb", 5_000_000), ("spark", 5_000_000), ("duckdb", 1_000_000), ("postgresql", 1_000_000),
           ("spark", 1_000_000)]
SMALL_COLUMNS = [("duckdb", 50_000), ("spark", 50_000), ("postgresql", 50_000)]
RUNS, SMALL_RUNS = 5, 1
NAMES = {"duckdb": "DuckDB, embedded", "spark": "Spark local[2]", "postgresql": "PostgreSQL"}
START = "first answer (Spark: its JVM and session started; PostgreSQL: connected)"
LOAD = "load of the store file into the engine (python -m portfolio load)"


@contextmanager
def _warehouse(kind: str, folder: Path):
    """The URL of a new, empty warehouse of ``kind`` for the block (None for the embedded store;
    Spark's tables in ``folder``); Unavailable where its packages are missing."""
    if kind == "duckdb":
        yield None
    elif kind == "postgresql":
        with postgres_cluster() as url:
            yield url
    else:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise Unavailable("pyspark is not installed") from None
        shutil.rmtree(folder, ignore_errors=True)
        with environment(JAVA_HOME=str(java_home()), SPARK_LOCAL_IP="127.0.0.1"):
            try:
                yield f"spark://local[2]?warehouse={folder}"
            finally:
                if SparkSession.getActiveSession() is not None:
                    SparkSession.getActiveSession().stop()
                shutil.rmtree(folder, ignore_errors=True)


def figures(kind: str, stored: Path, runs: int, warehouse: Path) -> list[tuple[str, float]]:
    """(figure, seconds) on one engine: for a warehouse, its start and the load, each timed once;
    then each interaction, the median of ``runs``."""
    found = []
    with _warehouse(kind, warehouse) as url:
        if url is not None:
            target = engine(url)
            found.append((START, timed(lambda: target.has_table(LOADS_TABLE))))
            found.append((LOAD, timed(lambda: load(target, Load(FILE, ATTENDANCES_TABLE, stored)))))
        for name, query in interactions(url or str(stored)):
            found.append((name, statistics.median(timed(query) for _ in range(runs))))
    return found


def _store(folder: Path, rows: int) -> Path:
    """The validated store file of ``rows`` generated attendances in ``folder`` (made unless there)."""
    source, sites = prepared(folder, rows)
    return attendances.store_for(source, store_folder(source.parent), sites)[0]


def _measured(kind: str, stored: Path, runs: int, warehouse: Path) -> dict:
    """One engine's figures, or why it was skipped, from a process of its own."""
    # run as a module: run as a file, its folder would come first on sys.path, and benchmarks/profile.py
    # would then be found by pyspark as the standard library's profile module
    done = subprocess.run([sys.executable, "-m", "benchmarks.engines", "--engine", kind, "--stored", str(stored), "--runs", str(runs),
                           "--warehouse", str(warehouse)], capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise RuntimeError(f"{NAMES[kind]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def measure(work: Path, columns: list[tuple[str, int]], runs: int) -> str:
    """The side-by-side table of ``columns`` (engine, attendances). The largest count's files are
    kept in ``work``/attendances, where the deep dive (``benchmarks/attendances.py``) keeps its own;
    another count's in ``work``/attendances-COUNT."""
    largest = max(rows for _, rows in columns)
    stores = {rows: _store(work / ("attendances" if rows == largest else f"attendances-{rows}"), rows)
              for rows in sorted({rows for _, rows in columns}, reverse=True)}
    results = [(kind, rows, _measured(kind, stores[rows], runs, work / "spark-warehouse")) for kind, rows in columns]
    return table(results, runs)


def table(results: list[tuple[str, int, dict]], runs: int) -> str:
    heads = [(NAMES[kind], f"{rows:,} rows") for kind, rows, _ in results]
    names = list(dict.fromkeys(name for *_, found in results for name, _ in found.get("figures", [])))
    names.sort(key=lambda name: [START, LOAD, name].index(name))  # a warehouse's start and load first
    width = max(len(name) for name in [*names, START])
    lines = [f"Patient-level figures on each engine, seconds (each interaction the median of {runs} run(s); the "
             "start and the load timed once)",
             f"{'':<{width}}" + "".join(f" {head:>18}" for head, _ in heads),
             f"{'figure':<{width}}" + "".join(f" {rows:>18}" for _, rows in heads)]
    for name in names:
        cells = [dict(found.get("figures", [])).get(name) for *_, found in results]
        lines.append(f"{name:<{width}}" + "".join(f" {'–' if cell is None else f'{cell:.3f}':>18}" for cell in cells))
    lines += [f"{NAMES[kind]}, {rows:,} rows: skipped, {found['skipped']}"
              for kind, rows, found in results if "skipped" in found]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="50,000 attendances on each engine, each query once")
    parser.add_argument("--work", type=Path, help="where to generate the files (default: a temporary folder)")
    parser.add_argument("--engine", choices=sorted(NAMES), help=argparse.SUPPRESS)  # one engine, in its own process
    parser.add_argument("--stored", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=RUNS, help=argparse.SUPPRESS)
    parser.add_argument("--warehouse", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.engine:
        try:
            print(json.dumps({"figures": figures(args.engine, args.stored, args.runs, args.warehouse)}))
        except Unavailable as error:
            print(json.dumps({"skipped": str(error)}))
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        print(measure(args.work or Path(scratch), SMALL_COLUMNS if args.small else COLUMNS,
                      SMALL_RUNS if args.small else RUNS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
