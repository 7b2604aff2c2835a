"""Real database servers for the tests, started and stopped by the suite itself.

`postgres_url` is a throwaway PostgreSQL cluster (Debian's `postgresql`: initdb and pg_ctl) in a
temporary folder, listening on a free port on 127.0.0.1 only; `spark` is a local Spark session
(pyspark on Debian's Java 17). Both are session-scoped: under pytest-xdist each worker that needs
one starts its own, on its own port.

Where the packages are missing the tests that need them are skipped, with the reason, except when
PORTFOLIO_REAL_SERVERS=required (set by .ci/run) or CI is set: there they fail.
scripts/install-test-packages.sh installs the Debian packages; requirements-dev.txt the Python ones.
"""
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

INSTALL_HINT = "run scripts/install-test-packages.sh and pip install -r requirements-dev.txt"
DATABASE = "portfolio"
# initdb refuses to run as root: there the cluster belongs to the account Debian's package creates
CLUSTER_ACCOUNT_WHEN_ROOT = "postgres"
START_ATTEMPTS = 3  # another worker may take the free port between our finding it and starting


def servers_required() -> bool:
    """Whether a missing server fails the run (CI) rather than skipping its tests."""
    return os.environ.get("PORTFOLIO_REAL_SERVERS") == "required" or bool(os.environ.get("CI"))


def unavailable(reason: str):
    """Skip the tests that need a server, or fail them where the servers are required."""
    message = f"{reason}: {INSTALL_HINT}"
    if servers_required():
        pytest.fail(message)
    pytest.skip(message)


def version(path: Path | str) -> tuple[int, ...]:
    """The numbers in the name of a versioned folder of /usr/lib: /usr/lib/postgresql/15/... → (15,),
    /usr/lib/jvm/java-17-openjdk-amd64/... → (17, 64)."""
    return tuple(int(number) for number in re.findall(r"\d+", Path(path).parts[4]))


def newest(pattern: str) -> Path | None:
    """The path matching pattern whose versioned folder has the highest version, or None."""
    found = sorted(glob.glob(pattern), key=version)
    return Path(found[-1]) if found else None


def postgres_bin() -> Path | None:
    """The folder of initdb and pg_ctl: Debian keeps them off PATH, in /usr/lib/postgresql/<version>/bin."""
    initdb = newest("/usr/lib/postgresql/*/bin/initdb")
    if initdb is None and shutil.which("initdb"):
        initdb = Path(shutil.which("initdb"))
    if initdb is None or not (initdb.parent / "pg_ctl").exists():
        return None
    return initdb.parent


def free_port() -> int:
    """A port nobody listens on at this moment, on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_cluster_owner(command: list[str]) -> list[str]:
    """The command run as the account that owns the cluster: ourselves, or Debian's postgres when root."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", CLUSTER_ACCOUNT_WHEN_ROOT, "--", *command]


def cluster_folder() -> Path:
    """A new temporary folder the cluster's owner can write to."""
    folder = Path(tempfile.mkdtemp(prefix="portfolio-postgres-"))
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam(CLUSTER_ACCOUNT_WHEN_ROOT)
        except KeyError:
            shutil.rmtree(folder)
            unavailable(f"running as root, and there is no '{CLUSTER_ACCOUNT_WHEN_ROOT}' account to own the cluster")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    return folder


def run(command: list[str], what: str):
    """Run a server command; its output becomes the failure's message when it fails."""
    done = subprocess.run(as_cluster_owner(command), capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"{what} failed:\n{done.stdout}{done.stderr}")


def start_cluster(bin_dir: Path, data: Path, log: Path) -> int:
    """pg_ctl start on a free loopback port, trying another if a second worker took it first; the port."""
    for _ in range(START_ATTEMPTS):
        port = free_port()
        # the unix socket lives in the cluster's folder; durability is of no use to a throwaway cluster
        options = f"-h 127.0.0.1 -p {port} -k {data.parent} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        started = subprocess.run(as_cluster_owner([str(bin_dir / "pg_ctl"), "start", "-w", "-D", str(data),
                                                   "-l", str(log), "-o", options]), capture_output=True, text=True)
        if started.returncode == 0:
            return port
    pytest.fail(f"PostgreSQL did not start:\n{log.read_text(errors='replace') if log.exists() else started.stderr}")


@pytest.fixture(scope="session")
def postgres_url():
    """postgresql://portfolio@127.0.0.1:PORT/portfolio: an empty database on a throwaway cluster."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        unavailable("PostgreSQL's initdb and pg_ctl are not installed (Debian package postgresql)")
    try:
        import psycopg
    except ImportError:
        unavailable("the PostgreSQL driver psycopg is not installed")
    folder = cluster_folder()
    data = folder / "data"
    run([str(bin_dir / "initdb"), "-D", str(data), f"--username={DATABASE}", "--auth=trust",
         "--encoding=UTF8", "--locale=C", "--no-sync"], "initdb")
    port = start_cluster(bin_dir, data, folder / "server.log")
    try:
        with psycopg.connect(f"postgresql://{DATABASE}@127.0.0.1:{port}/postgres", autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {DATABASE}")
        yield f"postgresql://{DATABASE}@127.0.0.1:{port}/{DATABASE}"
    finally:
        run([str(bin_dir / "pg_ctl"), "stop", "-w", "-m", "fast", "-D", str(data)], "pg_ctl stop")
        shutil.rmtree(folder, ignore_errors=True)


def java_home() -> Path | None:
    """Java 17 or newer for Spark: JAVA_HOME when set, else Debian's newest OpenJDK of 17 and up."""
    if os.environ.get("JAVA_HOME"):
        return Path(os.environ["JAVA_HOME"])
    java = newest("/usr/lib/jvm/java-*-openjdk-*/bin/java")
    if java is None or version(java)[0] < 17:
        return None
    return java.parent.parent


@pytest.fixture(scope="session")
def spark():
    """A local Spark session on two threads, UI off, quiet, its warehouse in a temporary folder."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        unavailable("pyspark is not installed")
    home = java_home()
    if home is None or not (home / "bin" / "java").exists():
        unavailable("Java 17 is not installed (Debian package openjdk-17-jre-headless), or JAVA_HOME names no Java")
    os.environ["JAVA_HOME"] = str(home)
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
