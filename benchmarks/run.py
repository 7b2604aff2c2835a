"""Measured performance, each figure beside its target and a naive baseline measured in the same
run: `python benchmarks/run.py` (the full run, by hand: it generates about 2 GB of synthetic
publications first) or `python benchmarks/run.py --small` (a couple of minutes; CI runs it so the
harness cannot rot). Prints a table; it is not a test and asserts nothing about the figures.

Server time is measured with Streamlit's AppTest (the script run, without a browser). Peak memory
is the import's own process, read from the operating system.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402

PAGES = ["", "uec", "elective", "finance", "social_value", "deep-dive"]
NOT_BUILT = "not built yet (#11)"


def _median(times: list[float]) -> float:
    return statistics.median(times)


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def dashboard(pages: list[str], warm_runs: int) -> list[tuple]:
    """First render, warm rerun and a drill-down for pages of the sample, with AppTest."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.apptest import open_page

    rows = []
    # what a dashboard without a store pays on every rerun: reading the extracts again
    naive = _median([_timed(lambda: [pd.read_csv(p, dtype=str) for p in (ROOT / "sample_data").glob("*.csv")])
                     for _ in range(3)])
    for page in pages:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        first = _timed(at.run)
        if page:
            first += _timed(lambda: open_page(at, page).run())
        warm = _median([_timed(at.run) for _ in range(warm_runs)])
        name = page or "overview"
        rows.append((f"first render: {name}", first, 2.0, None))
        rows.append((f"warm rerun: {name}", warm, 0.3, naive))
        if page == "uec":  # a provider not shown before, each time: nothing cached for it yet
            providers = iter(["REM", "RBL", "RBN", "RWW", "RJR", "RBT", "RJN", "RXA", "RW4", "RY7"])

            def drill():
                at.session_state["org"] = next(providers)
                at.run()
            rows.append(("drill-down selection: uec", _median([_timed(drill) for _ in range(warm_runs)]), 0.2, naive))
    return rows


IMPORT = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from portfolio.imports.run import import_files
started = time.perf_counter()
rtt = import_files("rtt", [Path(p) for p in {rtt!r}])
ae = import_files("ae", [Path(p) for p in {ae!r}])
rtt.write(Path({out!r}) / "rtt.csv"); ae.write(Path({out!r}) / "ae.csv")
print(json.dumps({{"seconds": time.perf_counter() - started,
                   "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def imports(folder: Path, months: int, rtt_rows: int) -> list[tuple]:
    rtt, ae = generate(folder / "published", months, rtt_rows)
    naive = _timed(lambda: [pd.read_csv(p, dtype=str) for p in rtt + ae])
    code = IMPORT.format(root=str(ROOT), rtt=[str(p) for p in rtt], ae=[str(p) for p in ae], out=str(folder))
    result = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                       check=True).stdout.splitlines()[-1])
    label = f"{months} months of RTT ({rtt_rows:,} rows × 121 columns each) and A&E"
    return [(f"first import: {label}", result["seconds"], 60.0, naive),
            ("peak memory of that import (MB)", result["peak_mb"], 1536.0, None)]


def not_built() -> list[tuple]:
    return [(name, None, target, None) for name, target in (
        ("dashboard restart on the imported store", 2.0),
        ("elective page warm on 24 months of imported RTT", 0.5),
        ("patient-level A&E deep dive (5 million attendances), each interaction", 0.5))]


def table(rows: list[tuple]) -> str:
    lines = [f"{'figure':<78} {'measured':>10} {'target':>8} {'naive':>8} {'ratio':>7}  met"]
    for name, measured, target, naive in rows:
        shown = NOT_BUILT if measured is None else f"{measured:10.3f}"
        ratio = f"{naive / measured:7.1f}" if naive and measured else "      –"
        met = "–" if measured is None else ("yes" if measured <= target else "NO")
        lines.append(f"{name:<78} {shown:>10} {target:8.2f} {(f'{naive:8.3f}' if naive else '       –')} {ratio}  {met}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="a small run, for CI: two pages, two months")
    parser.add_argument("--work", type=Path, help="where to generate the synthetic files (default: a temporary folder)")
    args = parser.parse_args(argv)
    pages, warm_runs = (["", "uec"], 3) if args.small else (PAGES, 7)
    months, rtt_rows = (2, 5_000) if args.small else (24, 180_000)
    with tempfile.TemporaryDirectory() as scratch:
        work = args.work or Path(scratch)
        rows = dashboard(pages, warm_runs) + imports(work, months, rtt_rows) + not_built()
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
