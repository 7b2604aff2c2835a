"""Many users at once: the dashboard served for real, and N browser sessions opening its pages
over and over for a bounded time. Prints a table like `benchmarks/run.py`; it is not a test and
asserts nothing about the figures.

    python benchmarks/load.py                              # 50 sessions for 60 s, after 1 session for 15 s
    python benchmarks/load.py --small                      # 5 sessions for 10 s, after 1 session for 5 s
    python benchmarks/load.py --sessions 20 --seconds 30
    python benchmarks/load.py --client protocol            # the server alone, without a browser's own work
    python benchmarks/load.py --server-arg=--server.fileWatcherType=none   # a server option tried for one run

The server is `python -m streamlit run app.py` on a free loopback port, on the bundled sample
(no PORTFOLIO_* variables), started here and stopped at the end. The clients are pages of ONE
headless Chromium (Debian's, /usr/bin/chromium, driven by Playwright's async API; no browser is
downloaded), one page (tab) per session, all in one browser context: they share its HTTP cache,
as the tabs of users who have opened the dashboard before hold Streamlit's scripts. (A context
per session makes every session fetch and compile those scripts afresh; on 2 cores that alone
kept any of 50 sessions from finishing a page in 90 s.) Each session opens the overview (`/`)
and the UEC page (`/uec`) in turn, each time as a fresh page load (so a fresh Streamlit session
and a full script run), and times it from the request to the page finished: its heading shown
in the main content and the app marked `data-test-script-state="notRunning"` (the first two
waits of `settle` in tests/browser/conftest.py; drawing the charts in the browser is not included).

Both pages are opened once, unmeasured, before anything is timed, so the workspace is loaded and
the default view's figures are cached. Then one session runs alone (the baseline), then N at
once. Sessions stop starting pages at the deadline; a page under way then is waited for, up to
its timeout, so slow pages are not dropped from the figures.

`--client protocol` replaces the browser with this module's own client for Streamlit's websocket
(`/_stcore/stream`, through the `websockets` package that Streamlit itself depends on, and
Streamlit's protobuf messages): each page open is a new connection that sends the `rerun_script`
message the browser sends first (the page's name, no widget state, no cached messages) and reads
the server's messages until the run has finished. A page is finished when the run ends
successfully and it has drawn a level-1 heading. It asks the server for what a page load asks
for, minus the static files and the browser's own drawing, so it measures the server's share
alone; it is not the browser, so a change in the frontend's protocol could make it drift.

An error is a page that timed out, an uncaught error in the page, an exception Streamlit shows
on it (`[data-testid='stException']`), or a failed navigation.

CPU time is read from /proc at the start and end of each phase: the server's process (utime +
stime, every thread), the clients' (this process and every process under it but the server: the
browser and Playwright's driver) and the whole machine's busy time. The table gives the server's
CPU seconds per finished page, its share of the machine's busy CPU, and what the clients and
anything else on the machine used, in cores busy on average. The browser, Playwright's driver and
the server share the same cores, so on a small machine the clients' own work is part of what is
measured; other work on the machine (a test run, say) shows in the last of those rows, and a
warning is printed when it is more than a quarter of a core.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import table  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PAGES = ["", "uec"]  # the overview, then the UEC portfolio page
HEADING = "[data-testid='stMain'] h1"
NOT_RUNNING = ("document.querySelector('[data-testid=stApp]')"
               " && document.querySelector('[data-testid=stApp]').getAttribute('data-test-script-state')"
               " === 'notRunning'")
EXCEPTION = "[data-testid='stException']"
PAGE_TIMEOUT = 90  # seconds from the request to a finished page; the browser suite allows 60 + 90
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, log: Path, extra: list[str]) -> subprocess.Popen:
    """The dashboard on the bundled sample, once its health check answers; ``extra`` are more
    options for `streamlit run` (none by default)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PORTFOLIO_")}
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", *extra],
            cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
            return server
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                stop_server(server)
                raise RuntimeError(f"the dashboard did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()  # fields 3 onwards of stat(5)


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system, every thread) the process has used so far."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / TICK  # utime and stime: fields 14 and 15 of stat(5)


def clients_cpu(server_pid: int) -> float:
    """CPU seconds used so far by this process and every process under it but the server (the
    browser, Playwright's driver), counting processes that have ended and were waited for."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(_stat(int(entry.name))[1])
            except (OSError, IndexError, ValueError):
                pass  # ended meanwhile
    tree, grown = {os.getpid()}, True
    while grown:
        grown = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree and pid != server_pid:
                tree.add(pid)
                grown = True
    total = 0.0
    for pid in tree:
        try:
            fields = _stat(pid)
        except OSError:
            continue
        # utime, stime, and cutime, cstime: children already waited for
        total += sum(int(fields[n]) for n in (11, 12, 13, 14)) / TICK
    return total


def machine_busy_cpu() -> float:
    """CPU seconds every core of the machine has spent busy so far: user, nice, system, irq and
    softirq time (not idle, not waiting on I/O, not stolen by the hypervisor)."""
    user, nice, system, _idle, _iowait, irq, softirq = (int(n) for n in Path("/proc/stat").read_text().split()[1:8])
    return (user + nice + system + irq + softirq) / TICK


@dataclass
class Phase:
    sessions: int
    times: list[float] = field(default_factory=list)  # seconds to a finished page, for every finished page
    errors: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0
    server_cpu: float = 0.0
    clients_cpu: float = 0.0
    busy_cpu: float = 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def percentile(self, p: int) -> float | None:
        if len(self.times) < 2:
            return self.times[0] if self.times else None
        return statistics.quantiles(self.times, n=100, method="inclusive")[p - 1]


class Browser:
    """Sessions as pages of one headless Chromium, one browser context each."""

    def __init__(self, base: str):
        self.base = base

    async def __aenter__(self):
        from playwright.async_api import async_playwright

        self.playwright = await async_playwright().start()
        self.browser = await self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.context = await self.browser.new_context(viewport={"width": 1280, "height": 720})
        return self

    async def __aexit__(self, *exc) -> None:
        await self.browser.close()
        await self.playwright.stop()

    async def session(self, number: int, deadline: float, phase: Phase) -> None:
        page = await self.context.new_page()
        try:
            page_errors: list[str] = []
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            await pace(number, deadline, lambda path: self.open(page, path, phase, page_errors))
        finally:
            await page.close()

    async def warm_up(self, phase: Phase) -> None:
        page = await self.context.new_page()
        for path in PAGES:
            await self.open(page, path, phase, [])
        await page.close()

    async def open(self, page, path: str, phase: Phase, page_errors: list[str]) -> None:
        """One page opened and waited for until it has finished; its time, or its error, recorded."""
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        page_errors.clear()
        started = time.perf_counter()
        try:
            await page.goto(f"{self.base}/{path}", wait_until="commit", timeout=PAGE_TIMEOUT * 1000)
            left = lambda: max(1.0, PAGE_TIMEOUT - (time.perf_counter() - started)) * 1000  # noqa: E731
            await page.wait_for_selector(HEADING, timeout=left())
            await page.wait_for_function(NOT_RUNNING, timeout=left())
        except PlaywrightTimeout:
            phase.error("timeout")
            return
        except PlaywrightError as error:
            phase.error(f"navigation: {str(error).splitlines()[0][:60]}")
            return
        elapsed = time.perf_counter() - started
        if await page.locator(EXCEPTION).count():
            phase.error("exception shown on the page")
        elif page_errors:
            phase.error("uncaught error in the page")
        else:
            phase.times.append(elapsed)


class Protocol:
    """Sessions as this module's own websocket client: each page open a new connection, as a page
    load is, asking for the page as the browser's first message does."""

    def __init__(self, base: str):
        self.base = base
        self.stream = base.replace("http://", "ws://") + "/_stcore/stream"

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc) -> None:
        pass

    async def session(self, number: int, deadline: float, phase: Phase) -> None:
        await pace(number, deadline, lambda path: self.open(path, phase))

    async def warm_up(self, phase: Phase) -> None:
        for path in PAGES:
            await self.open(path, phase)

    async def open(self, path: str, phase: Phase) -> None:
        started = time.perf_counter()
        try:
            outcome = await asyncio.wait_for(self._run(path), PAGE_TIMEOUT)
        except asyncio.TimeoutError:
            phase.error("timeout")
            return
        except Exception as error:  # refused, reset, or closed by the server (websockets' ConnectionClosed)
            phase.error(f"connection: {type(error).__name__}")
            return
        if outcome:
            phase.error(outcome)
        else:
            phase.times.append(time.perf_counter() - started)

    async def _run(self, path: str) -> str | None:
        """None when the page has finished with its heading drawn; else what went wrong."""
        import websockets
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        asked = BackMsg()
        asked.rerun_script.page_name = path
        asked.rerun_script.context_info.timezone = "Europe/London"
        asked.rerun_script.context_info.locale = "en-GB"
        asked.rerun_script.context_info.url = f"{self.base}/{path}"
        heading = exception = False
        async with websockets.connect(self.stream, subprotocols=["streamlit"], origin=self.base, max_size=None,
                                      open_timeout=PAGE_TIMEOUT, ping_interval=None) as connection:
            await connection.send(asked.SerializeToString())
            async for data in connection:
                message = ForwardMsg.FromString(data)
                kind = message.WhichOneof("type")
                if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                    element = message.delta.new_element
                    shown = element.WhichOneof("type")
                    heading = heading or (shown == "heading" and element.heading.tag == "h1")
                    exception = exception or shown == "exception"
                elif kind == "script_finished" and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    if message.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                        return "script did not finish"
                    if exception:
                        return "exception shown on the page"
                    return None if heading else "no heading"
        return "connection closed before the page finished"


THINK = [0.0]  # seconds a user reads a page before opening the next (--think), on average


async def pace(number: int, deadline: float, open_page) -> None:
    """A session's loop: the overview and the UEC page in turn, until the deadline, reading each
    page for about ``THINK`` seconds (half to one and a half times it) before the next."""
    await asyncio.sleep(random.uniform(0, 1 + THINK[0]))  # not every session in the same instant
    turn = number  # half the sessions start on the overview, half on the UEC page
    while time.monotonic() < deadline:
        await open_page(PAGES[turn % len(PAGES)])
        turn += 1
        await asyncio.sleep(random.uniform(0.5, 1.5) * THINK[0])


async def run_phase(client, server_pid: int, sessions: int, seconds: float) -> Phase:
    phase = Phase(sessions)
    cpu, clients, busy = process_cpu(server_pid), clients_cpu(server_pid), machine_busy_cpu()
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(client.session(n, deadline, phase) for n in range(sessions)))
    phase.wall = time.monotonic() - started
    phase.server_cpu = process_cpu(server_pid) - cpu
    phase.clients_cpu = clients_cpu(server_pid) - clients
    phase.busy_cpu = machine_busy_cpu() - busy
    return phase


async def measure(kind: str, base: str, server_pid: int, sessions: int, seconds: float,
                  alone: float) -> tuple[Phase, Phase]:
    async with (Browser if kind == "browser" else Protocol)(base) as client:
        warm = Phase(1)  # the workspace loaded and the default view cached, unmeasured
        await client.warm_up(warm)
        if warm.errors:
            raise RuntimeError(f"the pages did not open before the run: {warm.errors}")
        one = await run_phase(client, server_pid, 1, alone)
        many = await run_phase(client, server_pid, sessions, seconds)
    return one, many


def rows(one: Phase, many: Phase) -> list[tuple]:
    result = []
    for phase in (one, many):
        label = f"{phase.sessions} session{'s' if phase.sessions > 1 else ''}"
        pages = len(phase.times)
        result += [
            (f"{label}: finished pages (in {phase.wall:.0f} s)", pages, None, None),
            (f"{label}: errors (timeouts, page errors, exceptions shown)", sum(phase.errors.values()), 0, None),
            (f"{label}: p50 seconds to a finished page", phase.percentile(50), None, None),
            (f"{label}: p95 seconds to a finished page", phase.percentile(95), None, None),
            (f"{label}: server CPU seconds per finished page", phase.server_cpu / pages if pages else None, None, None),
            (f"{label}: server CPU, cores busy on average", phase.server_cpu / phase.wall, None, None),
            (f"{label}: server CPU share of the machine's busy CPU",
             phase.server_cpu / phase.busy_cpu if phase.busy_cpu else None, None, None),
            (f"{label}: clients' CPU (this process, browser, driver), cores busy", phase.clients_cpu / phase.wall,
             None, None),
            (f"{label}: anything else on the machine, cores busy",
             max(0.0, phase.busy_cpu - phase.server_cpu - phase.clients_cpu) / phase.wall, None, None),
        ]
    p95_one, p95_many = one.percentile(95), many.percentile(95)
    ratio = p95_many / p95_one if p95_one and p95_many else None
    result.append((f"p95 at {many.sessions} session{'s' if many.sessions > 1 else ''} / p95 at 1 session", ratio,
                   3.0, None))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=50, help="concurrent browser sessions (default 50)")
    parser.add_argument("--seconds", type=float, default=60, help="how long they run (default 60)")
    parser.add_argument("--alone", type=float, default=15, help="how long one session runs first, alone (default 15)")
    parser.add_argument("--small", action="store_true", help="a quick run: 5 sessions for 10 s, after 1 for 5 s")
    parser.add_argument("--client", choices=["browser", "protocol"], default="browser",
                        help="browser pages in one Chromium (default), or the websocket client alone")
    parser.add_argument("--server-arg", action="append", default=[], metavar="OPTION",
                        help="one more option for `streamlit run`, e.g. --server-arg=--runner.postScriptGC=false")
    parser.add_argument("--server-log", type=Path, help="keep the server's output in this file")
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds each user reads a page before opening the next, on average (default 0: "
                             "pages back to back, the server's throughput)")
    args = parser.parse_args(argv)
    THINK[0] = args.think
    if args.small:
        args.sessions, args.seconds, args.alone = 5, 10, 5
    if args.client == "browser" and not Path(CHROMIUM).exists():
        parser.error(f"{CHROMIUM} is not installed: run scripts/install-test-packages.sh")
    with tempfile.TemporaryDirectory() as scratch:
        log = args.server_log or Path(scratch) / "server.log"
        port = free_port()
        server = start_server(port, log, args.server_arg)
        try:
            options = "".join(f" {option}" for option in args.server_arg)
            print(f"server pid {server.pid} on port {port}{options}; {args.client} client; "
                  f"{args.sessions} sessions for {args.seconds:.0f} s after 1 session for {args.alone:.0f} s, "
                  f"reading each page {args.think:g} s; "
                  f"{os.cpu_count()} cores", flush=True)
            one, many = asyncio.run(measure(args.client, f"http://127.0.0.1:{port}", server.pid, args.sessions,
                                            args.seconds, args.alone))
        finally:
            stop_server(server)
    print(table(rows(one, many)))
    for phase in (one, many):
        other = (phase.busy_cpu - phase.server_cpu - phase.clients_cpu) / phase.wall
        if other > 0.25:
            print(f"warning: other processes kept {other:.2f} cores busy while {phase.sessions} session(s) ran; "
                  "the times are not this dashboard's alone")
        if phase.errors:
            print(f"errors with {phase.sessions} session(s): "
                  + "; ".join(f"{kind}: {count}" for kind, count in sorted(phase.errors.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
