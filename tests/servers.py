"""Real database servers for the tests, started and stopped by the suite itself.

`postgres_url` is a throwaway PostgreSQL cluster (Debian's `postgresql`: initdb and pg_ctl) in a
temporary folder, listening on a free port on 127.0.0.1 only (started by tests/clusters.py, which
the benchmarks use too); `spark` is a local Spark session (pyspark on Debian's Java 17). Both are
session-scoped: under pytest-xdist each worker that needs one starts its own, on its own port.

Where the packages are missing the tests that need them are skipped, with the reason, except when
PORTFOLIO_REAL_SERVERS=required (set by .ci/run) or CI is set: there they fail.
scripts/install-test-packages.sh installs the Debian packages; requirements-dev.txt the Python ones.
"""
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.clusters import ServerFailed, Unavailable, java_home, postgres_cluster

INSTALL_HINT = "run scripts/install-test-packages.sh and pip install -r requirements-dev.txt"


def servers_required() -> bool:
    """Whether a missing server fails the run (CI) rather than skipping its tests."""
    return os.environ.get("PORTFOLIO_REAL_SERVERS") == "required" or bool(os.environ.get("CI"))


def unavailable(reason: str):
    """Skip the tests that need a server, or fail them where the servers are required."""
    message = f"{reason}: {INSTALL_HINT}"
    if servers_required():
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_url():
    """postgresql://portfolio@127.0.0.1:PORT/portfolio: an empty database on a throwaway cluster
    (tests/clusters.py)."""
    try:
        with postgres_cluster() as url:
            yield url
    except Unavailable as error:
        unavailable(str(error))
    except ServerFailed as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def spark():
    """A local Spark session on two threads, UI off, quiet, its warehouse in a temporary folder."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        unavailable("pyspark is not installed")
    try:
        os.environ["JAVA_HOME"] = str(java_home())
    except Unavailable as error:
        unavailable(str(error))
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"  # loopback only, and no warning about the host's name
    folder = Path(tempfile.mkdtemp(prefix="portfolio-spark-"))
    session = (
        SparkSession.builder.master("local[2]")
        .appName("portfolio-tests")
        .config("spark.driver.memory", "512m")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(folder / "warehouse"))
        .config("spark.local.dir", str(folder / "local"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={folder / 'derby'}")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
        shutil.rmtree(folder, ignore_errors=True)
