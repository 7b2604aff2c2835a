"""Measured performance, each figure beside its target and a naive baseline measured in the same
run: `python benchmarks/run.py` (the full run, by hand: it generates about 1.7 GB of synthetic
publications and patient-level attendances first, kept in --work for the next run) or
`python benchmarks/run.py --small` (under a minute; CI runs it so the harness cannot rot).
Prints a table, then the patient-level figures on each engine side by side (DuckDB, Spark local,
PostgreSQL: ``benchmarks/engines.py``); it is not a test and asserts nothing about the figures.

Server time is measured with Streamlit's AppTest (the script run, without a browser). Peak memory
is each process's own, read from the operating system.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import engines  # noqa: E402
from benchmarks.attendances import measure as patient_level  # noqa: E402
from benchmarks.generate import generate  # noqa: E402
from benchmarks.timing import environment, timed  # noqa: E402
from portfolio.data.imports.icb import TEMPLATE  # noqa: E402
from portfolio.data.storage import STORE_FOLDER  # noqa: E402

PAGES = ["", "uec", "elective", "finance", "social_value", "deep-dive"]
ELECTIVE = "nhs_england"  # the imported statistics' page, with the RTT metrics


def _median(times: list[float]) -> float:
    return statistics.median(times)


def dashboard(pages: list[str], warm_runs: int) -> list[tuple]:
    """First render, warm rerun and a drill-down for pages of the sample, with AppTest."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.apptest import open_page

    rows = []
    # what a dashboard without a store pays on every rerun: reading the extracts again
    naive = _median([timed(lambda: [pd.read_csv(p, dtype=str) for p in (ROOT / "sample_data").glob("*.csv")])
                     for _ in range(3)])
    for page in pages:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.run()  # registers the pages; then every cache is emptied, so the page is drawn from nothing
        st.cache_data.clear()
        st.cache_resource.clear()
        first = timed((open_page(at, page) if page else at).run)
        warm = _median([timed(at.run) for _ in range(warm_runs)])
        name = page or "overview"
        rows.append((f"first render: {name}", first, 2.0, None))
        rows.append((f"warm rerun: {name}", warm, 0.3, naive))
        if page == "uec":  # a provider not shown before, each time: nothing cached for it yet
            providers = iter(["REM", "RBL", "RBN", "RWW", "RJR", "RBT", "RJN", "RXA", "RW4", "RY7"])

            def drill():
                at.session_state["org"] = next(providers)
                at.run()
            rows.append(("drill-down selection: uec", _median([timed(drill) for _ in range(warm_runs)]), 0.2, naive))
    return rows


def meeting(warm_runs: int) -> list[tuple]:
    """A meeting's metric slide (drawn, then from the cache, as a presenter steps back to it) and
    the board pack of the sample meeting, built as the page and `python -m portfolio pack` do."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from portfolio.outputs.meetings import METRIC, running_order
    from portfolio.outputs.pack import board_pack
    from portfolio.workspace import load_workspace

    ws = load_workspace(ROOT / "config", ROOT / "sample_data")
    meeting = ws.config.meetings["board-2026-11"]
    steps = running_order(ws.config, ws.engine, meeting)
    number = next(n for n, step in enumerate(steps, start=1) if step.kind == METRIC)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for key, value in steps[0].params(meeting, number, ws.tree.root).items():
        at.query_params[key] = value
    at.run()
    st.cache_data.clear()  # the slide drawn from nothing: its SPC chart rendered to SVG
    first = timed(at.run)
    warm = _median([timed(at.run) for _ in range(warm_runs)])
    pack = timed(lambda: board_pack(ws, meeting))
    return [("meeting slide, first draw (a metric's SPC chart)", first, 2.0, None),
            ("meeting slide, warm (stepping back to it)", warm, 0.3, None),
            (f"board pack of the sample meeting ({len(steps)} slides), PDF and workbook", pack, 30.0, None)]


IMPORT = """
import json, sys, time
sys.path.insert(0, {root!r})
from benchmarks.run import peak_mb
from pathlib import Path
from portfolio.data.imports.run import import_files
started = time.perf_counter()
for kind, files in (("rtt", {rtt!r}), ("ae", {ae!r})):
    import_files(kind, [Path(p) for p in files]).write(Path({out!r}) / f"{{kind}}.csv")
print(json.dumps({{"seconds": time.perf_counter() - started,
                   "peak_mb": peak_mb()}}))
"""

# a new process each: the store built on a first start, then a restart that finds it
START = """
import json, sys, time
sys.path.insert(0, {root!r})
from benchmarks.run import peak_mb
import streamlit, altair, pydeck  # the modules a server has loaded before any page is asked for
from streamlit.testing.v1 import AppTest
from tests.apptest import open_page
started = time.perf_counter()
if {page!r}:
    at = AppTest.from_file({app!r}, default_timeout=600)
    at.run()
    open_page(at, {page!r}).run()
    assert not at.exception, [e.value for e in at.exception]
else:
    from portfolio.workspace import load_workspace
    load_workspace()
print(json.dumps({{"seconds": time.perf_counter() - started,
                   "peak_mb": peak_mb()}}))
"""


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not carried over from the
    process that started it)."""
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024


def _subprocess(code: str, env: dict | None = None) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.splitlines()[-1])


def at_scale(folder: Path, months: int, rtt_rows: int, warm_runs: int) -> list[tuple]:
    """Published files imported, a dashboard over them (every synthetic trust, so the store holds
    the whole country's figures), started twice, and its elective page."""
    rtt, ae = generate(folder / "published", months, rtt_rows)
    naive = timed(lambda: [pd.read_csv(p, dtype=str) for p in rtt + ae])
    imported = _subprocess(IMPORT.format(root=str(ROOT), rtt=[str(p) for p in rtt], ae=[str(p) for p in ae],
                                         out=str(folder)))
    config, data = dashboard_over(folder)
    folders = {"PORTFOLIO_CONFIG": str(config), "PORTFOLIO_DATA": str(data)}
    env = {**os.environ, **folders}
    shutil.rmtree(data / STORE_FOLDER, ignore_errors=True)
    first_start = _subprocess(START.format(root=str(ROOT), app=str(ROOT / "app.py"), page=""), env)
    restart = _subprocess(START.format(root=str(ROOT), app=str(ROOT / "app.py"), page=ELECTIVE), env)
    tidy = [data / "rtt.csv", data / "ae.csv"]
    naive_rerun = _median([timed(lambda: [pd.read_csv(p, dtype=str) for p in tidy]) for _ in range(3)])
    warm, points = _warm_page(folders, ELECTIVE, warm_runs)
    label = f"{months} months of RTT ({rtt_rows:,} rows × 121 columns) and A&E"
    return [(f"first import: {label}", imported["seconds"], 60.0, naive),
            ("  then the store built on the dashboard's first start", first_start["seconds"], None, None),
            ("  first import in all (the two above)", imported["seconds"] + first_start["seconds"], 60.0, naive),
            ("peak memory of the import (MB)", imported["peak_mb"], 1536.0, None),
            ("peak memory of the first start (MB)", first_start["peak_mb"], 1536.0, None),
            ("dashboard restart on the imported store: elective page drawn", restart["seconds"], 2.0, None),
            ("peak memory of the dashboard (MB)", restart["peak_mb"], 1536.0, None),
            (f"elective page warm on {months} months of imported RTT", warm, 0.5, naive_rerun),
            ("points in the elective page's largest chart", points, 10_000, None)]


def _warm_page(folders: dict[str, str], page: str, runs: int) -> tuple[float, int]:
    """The page's warm rerun, and the most points any chart on its front sheet, its charts or its
    waiting-list view was sent."""
    from streamlit.testing.v1 import AppTest

    from tests.apptest import chart_data, open_page

    with environment(**folders):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.run()
        open_page(at, page).run()
        warm = _median([timed(at.run) for _ in range(runs)])
        points = 0
        for tab in ("Front sheet", "Charts", "Waiting-list shape"):
            at.session_state["view"] = tab
            at.run()
            charts = len(at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart"))
            points = max([points, *(len(chart_data(at, i)) for i in range(charts))])
        return warm, points


def dashboard_over(folder: Path) -> tuple[Path, Path]:
    """A config for the imported extracts: the NHS England portfolio that ``prepare`` writes, over
    every synthetic trust (grouped into four regions), without the commissioners' own rows."""
    config, data = folder / "config", folder / "data"
    (config / "portfolios").mkdir(parents=True, exist_ok=True)
    data.mkdir(exist_ok=True)
    codes = set()
    for name in ("rtt.csv", "ae.csv"):
        rows = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        rows = rows[rows["org_code"].str.startswith("R")]  # the trusts; Q… are commissioning ICBs
        rows.to_csv(data / name, index=False)
        codes |= set(rows["org_code"])
    regions = [f"E4000000{n}" for n in range(1, 5)]
    organisations = {
        "system": {"code": "ENG", "name": "England (synthetic)", "short_name": "England"},
        "places": [{"code": code, "name": f"Region {n}"} for n, code in enumerate(regions, start=1)],
        "providers": [{"code": code, "name": f"Trust {code}", "short_name": code, "type": "acute",
                       "place": regions[n % len(regions)]} for n, code in enumerate(sorted(codes))]}
    (config / "organisations.yaml").write_text(yaml.safe_dump(organisations, sort_keys=False))
    extract = {"publisher": "benchmarks/generate.py", "data_as_at": "2026-04-10", "refresh_days": 35,
               "synthetic": True}
    (config / "settings.yaml").write_text(yaml.safe_dump({"title": "Benchmark", "extracts": {
        "rtt.csv": {"title": "RTT", **extract}, "ae.csv": {"title": "A&E", **extract}}}, sort_keys=False))
    portfolio = yaml.safe_load(TEMPLATE.read_text())  # without diagnostics, which were not generated
    portfolio["metrics"] = [m for m in portfolio["metrics"] if m["source"]["extract"] != "dm01.csv"]
    kept = {m["id"] for m in portfolio["metrics"]}
    portfolio["headline"] = [m for m in portfolio["headline"] if m in kept]
    portfolio["views"] = [v for v in portfolio["views"] if v["metric"] in kept]
    portfolio["categories"] = [c for c in portfolio["categories"] if c != "Diagnostics"]
    (config / "portfolios" / "nhs_england.yaml").write_text(yaml.safe_dump(portfolio, sort_keys=False))
    return config, data


def _number(value, width: int, decimals: int) -> str:
    if value is None:
        return f"{'–':>{width}}"
    return f"{value:{width},}" if isinstance(value, int) else f"{value:{width}.{decimals}f}"


def table(rows: list[tuple]) -> str:
    lines = [f"{'figure':<78} {'measured':>10} {'target':>8} {'naive':>8} {'ratio':>7}  met"]
    for name, measured, target, naive in rows:
        shown = _number(measured, 10, 3)
        ratio = f"{naive / measured:7.1f}" if naive and measured else f"{'–':>7}"
        met = "–" if measured is None or target is None else ("yes" if measured <= target else "NO")
        lines.append(f"{name:<78} {shown:>10} {_number(target, 8, 2)} {_number(naive, 8, 3)} {ratio}  {met}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true",
                        help="a small run, for CI: two pages, two months, 50,000 attendances (on each engine too)")
    parser.add_argument("--work", type=Path, help="where to generate the synthetic files (default: a temporary folder)")
    args = parser.parse_args(argv)
    pages, warm_runs = (["", "uec"], 3) if args.small else (PAGES, 7)
    months, rtt_rows = (2, 5_000) if args.small else (24, 180_000)
    attendances = 50_000 if args.small else 5_000_000
    with tempfile.TemporaryDirectory() as scratch:
        work = args.work or Path(scratch)
        rows = (dashboard(pages, warm_runs) + meeting(warm_runs) + at_scale(work, months, rtt_rows, warm_runs)
                + patient_level(work / "attendances", attendances))
        print(table(rows))
        print()
        print(engines.measure(work, *((engines.SMALL_COLUMNS, engines.SMALL_RUNS) if args.small
                                      else (engines.COLUMNS, engines.RUNS))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
