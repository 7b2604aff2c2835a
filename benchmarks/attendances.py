"""The patient-level A&E deep dive at scale: ``measure(folder, rows)`` generates ``rows`` synthetic
attendances (``generate_attendances.py``, not timed), then times building the store from the CSV and
each interaction on the built store. Each figure is the median of several runs, beside its target
and a naive baseline: reading the CSV with pandas and computing the same aggregate in pandas,
what a dashboard without the store would pay on every rerun.

    python benchmarks/attendances.py [--rows 5000000] [--work DIR]

The interactions are the page's queries, uncached; the change of site filter is the whole page
rerun in AppTest, for a site not shown before (so nothing is cached for it).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate_attendances import read_sites, write_attendances  # noqa: E402
from benchmarks.timing import environment, timed  # noqa: E402
from portfolio.data import attendances  # noqa: E402
from portfolio.data.storage import store_folder  # noqa: E402

FILE = "ae_attendances.csv"  # the name config/settings.yaml gives the patient-level extract
RUNS = 5
SLOW_RUNS = 3  # for the figures that take seconds: the build, and every naive baseline
INTERACTION = 0.5
BUILD = 60.0
NAME = "patient-level A&E deep dive"


def _median(action, runs: int) -> float:
    return statistics.median(timed(action) for _ in range(runs))


def _rows_in(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1


# --- the naive dashboard: pandas over the CSV -----------------------------------------------------


def _parsed(frame: pd.DataFrame) -> pd.DataFrame:
    arrival = pd.to_datetime(frame["arrival"], format="%Y-%m-%d %H:%M")
    departure = pd.to_datetime(frame["departure"], format="%Y-%m-%d %H:%M")
    return frame.assign(arrival=arrival, minutes=np.ceil((departure - arrival).dt.total_seconds() / 60))


def _in_month(frame: pd.DataFrame, month: str) -> pd.DataFrame:
    year, number = map(int, month.split("-"))
    return frame[(frame["arrival"].dt.year == year) & (frame["arrival"].dt.month == number)]


def _naive_headline(frame, month, site=None):
    rows = _in_month(_parsed(_at(frame, site)), month)
    return (len(rows), (rows["minutes"] <= 240).sum(), (rows["minutes"] > 720).sum(),
            (rows["admitted"] == "Y").sum())


def _naive_distribution(frame, month, site=None):
    rows = _in_month(_parsed(_at(frame, site)), month)
    return np.minimum(np.maximum(np.ceil(rows["minutes"] / 30) - 1, 0), 48).value_counts()


def _naive_heatmap(frame, month, site=None):
    rows = _in_month(_parsed(_at(frame, site)), month)
    return rows.groupby([rows["arrival"].dt.day_of_week, rows["arrival"].dt.hour]).size()


def _naive_twelve_hours(frame, month, site=None):
    rows = _parsed(_at(frame, site))
    first = (pd.Period(month, freq="M") - 11).start_time
    recent = rows[rows["arrival"] >= first]
    by_month = recent.groupby(recent["arrival"].dt.to_period("M"))["minutes"].apply(lambda m: (m > 720).sum())
    latest = _in_month(rows, month)
    return by_month, latest.groupby("site_code")["minutes"].apply(lambda m: (m > 720).sum())


def _naive_deprivation(frame, month, site=None):
    rows = _in_month(_parsed(_at(frame, site)), month)
    return rows.groupby("imd_decile", dropna=False).agg(
        attendances=("minutes", "size"), within=("minutes", lambda m: (m <= 240).sum()),
        over=("minutes", lambda m: (m > 720).sum()), admitted=("admitted", lambda a: (a == "Y").sum()))


def _naive_page(frame, month, site):
    for figure in NAIVE.values():
        figure(frame, month, site)


def _at(frame: pd.DataFrame, site: str | None) -> pd.DataFrame:
    return frame if site is None else frame[frame["site_code"] == site]


# --- the page, in AppTest --------------------------------------------------------------------------


def _site_changes(data: Path, sites: list[str]) -> float:
    """The page rerun after a change of the organisation filter to a site not shown before."""
    from streamlit.testing.v1 import AppTest

    from tests.apptest import open_page

    with environment(PORTFOLIO_CONFIG=str(ROOT / "config"), PORTFOLIO_DATA=str(data)):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.run()
        open_page(at, "attendances").run()
        unseen = iter(sites)

        def change() -> None:
            at.session_state["org"] = next(unseen)
            at.run()
            assert not at.exception, [e.value for e in at.exception]
            assert at.metric, "the page drew no figures"

        return _median(change, min(RUNS, len(sites)))


def prepared(folder: Path, rows: int) -> tuple[Path, list[str]]:
    """``folder``/data with ``rows`` generated attendances (generated unless that many are there
    already) and the sample's other extracts, for the page; the attendances' CSV, and every site."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    source = data / FILE
    if not source.exists() or _rows_in(source) != rows:
        write_attendances(source, rows)
    for tidy in (ROOT / "sample_data").glob("*.csv"):  # the rest of the dashboard, for the page
        if tidy.name != FILE:
            shutil.copy(tidy, data / tidy.name)
    sites, _ = read_sites(ROOT / "config")
    return source, sites


def interactions(store: str) -> list[tuple[str, Callable[[], object]]]:
    """The page's queries for its latest month (and the 12 months to it), uncached, on ``store``:
    a store file's path, or the URL of a warehouse that holds the attendances."""
    held = attendances.months_held(store)
    month, first = held[-1], held[-12]
    return [
        ("headline counts, a month", lambda: attendances.counts(store, month)),
        ("time-in-department distribution, a month", lambda: attendances.time_in_department(store, month)),
        ("hour × weekday heatmap, a month", lambda: attendances.arrivals_by_hour(store, month)),
        ("12-hour counts by month (12 months) and by site",
         lambda: (attendances.counts(store, (first, month), by="month"),
                  attendances.counts(store, month, by="site_code"))),
        ("by deprivation decile, a month", lambda: attendances.counts(store, month, by="imd_decile")),
    ]


# what a dashboard without the store computes for each of the interactions, from the CSV read by pandas
NAIVE = {"headline counts, a month": _naive_headline,
         "time-in-department distribution, a month": _naive_distribution,
         "hour × weekday heatmap, a month": _naive_heatmap,
         "12-hour counts by month (12 months) and by site": _naive_twelve_hours,
         "by deprivation decile, a month": _naive_deprivation}


def measure(folder: Path, rows: int) -> list[tuple[str, float, float, float | None]]:
    """(figure, measured seconds, target seconds, naive baseline seconds) for building the store
    from ``rows`` attendances and for each interaction on it."""
    source, sites = prepared(folder, rows)
    store_dir = store_folder(source.parent)

    def first_import() -> None:
        for older in store_dir.glob(f"{FILE}.attendances.*"):
            older.unlink()
        attendances.store_for(source, store_dir, sites)

    build = _median(first_import, SLOW_RUNS)
    store = str(attendances.store_for(source, store_dir, sites)[0])
    month = attendances.months_held(store)[-1]

    read = _median(lambda: pd.read_csv(source), SLOW_RUNS)
    frame = pd.read_csv(source)
    naive = lambda figure, *args: read + _median(lambda: figure(frame, month, *args), SLOW_RUNS)  # noqa: E731
    results = [(f"{NAME}: first import, {rows:,} attendances", build, BUILD, read)]
    results += [(f"{NAME}: {name}", _median(query, RUNS), INTERACTION, naive(NAIVE[name]))
                for name, query in interactions(store)]
    results.append((f"{NAME}: change of site filter, whole page (AppTest)", _site_changes(source.parent, sites),
                    INTERACTION, naive(_naive_page, sites[0])))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--work", type=Path, help="where to generate the files (default: a temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        rows = measure(args.work or Path(scratch), args.rows)
    print(f"{'figure':<78} {'measured':>9} {'target':>7} {'naive':>8} {'ratio':>7}")
    for name, measured, target, baseline in rows:
        ratio = f"{baseline / measured:7.0f}" if baseline else "      –"
        print(f"{name:<78} {measured:9.3f} {target:7.2f} {(baseline or 0):8.2f} {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
