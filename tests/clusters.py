"""Throwaway servers, started and stopped by whoever needs one (the suite's fixtures in
tests/servers.py, and benchmarks/engines.py): plain functions, without pytest.

`postgres_cluster()` is a PostgreSQL cluster (Debian's `postgresql`: initdb and pg_ctl) in a new
temporary folder, listening on a free port on 127.0.0.1 only, run as Debian's `postgres` account
when we are root. `java_home()` finds the Java 17 that a local Spark needs.

A missing package raises `Unavailable`, with the reason; a server command that fails raises
`ServerFailed`, with the command's output.
"""
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DATABASE = "portfolio"
# initdb refuses to run as root: there the cluster belongs to the account Debian's package creates
CLUSTER_ACCOUNT_WHEN_ROOT = "postgres"
START_ATTEMPTS = 3  # another process may take the free port between our finding it and starting


class Unavailable(Exception):
    """A server cannot be started here: a package or an account is missing."""


class ServerFailed(RuntimeError):
    """A server command failed; the message holds its output."""


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
            raise Unavailable(f"running as root, and there is no '{CLUSTER_ACCOUNT_WHEN_ROOT}' account to own the "
                              "cluster") from None
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    return folder


def run(command: list[str], what: str) -> None:
    """Run a server command; its output becomes the error's message when it fails."""
    done = subprocess.run(as_cluster_owner(command), capture_output=True, text=True)
    if done.returncode != 0:
        raise ServerFailed(f"{what} failed:\n{done.stdout}{done.stderr}")


def start_cluster(bin_dir: Path, data: Path, log: Path) -> int:
    """pg_ctl start on a free loopback port, trying another if a second process took it first; the port."""
    for _ in range(START_ATTEMPTS):
        port = free_port()
        # the unix socket lives in the cluster's folder; durability is of no use to a throwaway cluster
        options = f"-h 127.0.0.1 -p {port} -k {data.parent} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        started = subprocess.run(as_cluster_owner([str(bin_dir / "pg_ctl"), "start", "-w", "-D", str(data),
                                                   "-l", str(log), "-o", options]), capture_output=True, text=True)
        if started.returncode == 0:
            return port
    raise ServerFailed(f"PostgreSQL did not start:\n{log.read_text(errors='replace') if log.exists() else started.stderr}")


@contextmanager
def postgres_cluster() -> Iterator[str]:
    """postgresql://portfolio@127.0.0.1:PORT/portfolio: an empty database on a throwaway cluster,
    stopped and removed after the block."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise Unavailable("PostgreSQL's initdb and pg_ctl are not installed (Debian package postgresql)")
    try:
        import psycopg
    except ImportError:
        raise Unavailable("the PostgreSQL driver psycopg is not installed") from None
    folder = cluster_folder()
    data = folder / "data"
    try:
        run([str(bin_dir / "initdb"), "-D", str(data), f"--username={DATABASE}", "--auth=trust",
             "--encoding=UTF8", "--locale=C", "--no-sync"], "initdb")
        port = start_cluster(bin_dir, data, folder / "server.log")
        try:
            with psycopg.connect(f"postgresql://{DATABASE}@127.0.0.1:{port}/postgres", autocommit=True) as admin:
                admin.execute(f"CREATE DATABASE {DATABASE}")
            yield f"postgresql://{DATABASE}@127.0.0.1:{port}/{DATABASE}"
        finally:
            run([str(bin_dir / "pg_ctl"), "stop", "-w", "-m", "fast", "-D", str(data)], "pg_ctl stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def java_home() -> Path:
    """Java 17 or newer for Spark: JAVA_HOME when set, else Debian's newest OpenJDK of 17 and up."""
    if os.environ.get("JAVA_HOME"):
        home = Path(os.environ["JAVA_HOME"])
    else:
        java = newest("/usr/lib/jvm/java-*-openjdk-*/bin/java")
        home = java.parent.parent if java is not None and version(java)[0] >= 17 else None
    if home is None or not (home / "bin" / "java").exists():
        raise Unavailable("Java 17 is not installed (Debian package openjdk-17-jre-headless), or JAVA_HOME names no "
                          "Java")
    return home
