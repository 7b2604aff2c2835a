"""Where the time of one page goes: a pyinstrument profile of its first render from empty caches,
then of a warm rerun, on the data that PORTFOLIO_CONFIG and PORTFOLIO_DATA name (the sample by
default).

    python benchmarks/profile.py uec            # a portfolio page, by its URL path
    python benchmarks/profile.py "" --org REM   # the overview, for one organisation

AppTest runs the page's script on a thread of its own, so the profiler is started on that thread.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from pyinstrument import Profiler

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def profile_runs(page: str, org: str | None) -> list[str]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.apptest import open_page

    profiles: list[str] = []
    recording = threading.Event()
    run = threading.Thread.run

    def profiled_run(thread: threading.Thread) -> None:
        if not recording.is_set():
            return run(thread)
        profiler = Profiler(interval=0.001)
        profiler.start()
        try:
            run(thread)
        finally:
            profiler.stop()
            profiles.append(profiler.output_text(unicode=True, color=False))

    threading.Thread.run = profiled_run
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.run()  # registers the pages
        st.cache_data.clear()
        st.cache_resource.clear()
        if org:
            at.session_state["org"] = org
        recording.set()
        (open_page(at, page) if page else at).run()
        at.run()
    finally:
        threading.Thread.run = run
    return profiles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", help='the page\'s URL path ("" for the overview)')
    parser.add_argument("--org", help="an organisation code to select first")
    args = parser.parse_args(argv)
    first, warm = profile_runs(args.page, args.org)
    print("# first render, from empty caches\n" + first + "\n# warm rerun\n" + warm)
    return 0


if __name__ == "__main__":
    sys.exit(main())
