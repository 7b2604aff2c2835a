"""Synthetic patient-level A&E attendances in the layout of ``docs/extracts.md`` ("Patient-level
A&E attendances"), for the sites of an organisations file. Vectorised (numpy and pyarrow), so five
million rows take seconds; generated on demand and never committed.

    python benchmarks/generate_attendances.py OUT.csv [--rows 5000000] [--months 48] [--to 2026-10]

The patterns are plausible, the figures invented: arrivals peak late morning and on Mondays; stays
are longer for older and admitted patients and in more deprived deciles, so 12-hour waits are more
common there; some stays are pulled to just under 4 hours, as the target does to real ones.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261124
AGE_BANDS = np.array(["0-17", "18-64", "65-79", "80+"])
AGE_SHARES = [0.18, 0.52, 0.16, 0.14]
# Cheshire and Merseyside is deprived: more residents in the lower deciles
DECILE_SHARES = np.array([16, 13, 11, 10, 9, 9, 8, 8, 8, 8]) / 100
UNKNOWN_DECILE_SHARE = 0.01  # no postcode, or one outside England: the decile is left blank
TYPE_SHARES = {1: 0.68, 2: 0.02, 3: 0.30}  # at an adult site; a children's hospital has only its type 1 ED
SITE_SIZE = {"RQ617": 1.3, "REM21": 1.1, "RBL14": 1.2, "RBN01": 1.4, "RVY01": 0.8, "RWWWH": 1.0, "RJR05": 0.9,
             "RBT20": 0.9, "RJN71": 0.5, "RBS25": 0.7}
WEEKDAY_FACTOR = np.array([1.18, 1.02, 0.98, 0.97, 0.99, 0.93, 0.93])  # Monday … Sunday
HOUR_SHAPE = np.array([3.0, 2.4, 2.0, 1.7, 1.5, 1.5, 2.0, 3.0, 4.6, 6.0, 6.6, 6.5, 6.2, 6.0, 5.8, 5.6, 5.5, 5.6,
                       5.6, 5.3, 4.8, 4.3, 3.8, 3.3])
ADMISSION = {"0-17": 0.10, "18-64": 0.18, "65-79": 0.38, "80+": 0.52}  # at a type 1 department
STAY_FACTOR = {"0-17": 0.75, "18-64": 1.0, "65-79": 1.2, "80+": 1.35}


def read_sites(config: Path) -> tuple[list[str], list[bool]]:
    """The site codes of ``organisations.yaml``, and which of them are children's hospitals."""
    sites = yaml.safe_load((config / "organisations.yaml").read_text(encoding="utf-8")).get("sites", [])
    return [s["code"] for s in sites], ["children" in s["name"].lower() for s in sites]


def attendances(rows: int, last: str, months: int, sites: list[str], children: list[bool],
                rng: np.random.Generator) -> pa.Table:
    """``rows`` attendances arriving in the ``months`` months to ``last`` (YYYY-MM), in arrival order."""
    first_day = (pd.Period(last, freq="M") - (months - 1)).start_time
    days = pd.date_range(first_day, pd.Period(last, freq="M").end_time.normalize(), freq="D")
    winter = np.where(np.isin(days.month, [12, 1, 2, 3]), 1.06, 1.0)
    day_weight = WEEKDAY_FACTOR[days.day_of_week] * winter
    day = rng.choice(len(days), size=rows, p=day_weight / day_weight.sum())
    weekday = days.day_of_week.to_numpy()[day]
    hour = np.empty(rows, dtype=np.int64)
    draw = rng.random(rows)
    for wd in range(7):
        shape = HOUR_SHAPE.copy()
        if wd == 0:
            shape[8:14] *= 1.2  # Monday morning: the weekend's deferred attendances
        chosen = weekday == wd
        hour[chosen] = np.searchsorted(np.cumsum(shape) / shape.sum(), draw[chosen], side="right")
    arrival = (days.to_numpy()[day].astype("datetime64[m]") + hour * 60 + rng.integers(0, 60, rows))

    size = np.array([SITE_SIZE.get(code, 1.0) for code in sites])
    site = rng.choice(len(sites), size=rows, p=size / size.sum())
    child_site = np.array(children)[site]
    age = np.where(child_site, 0, rng.choice(len(AGE_BANDS), size=rows, p=AGE_SHARES))
    department = np.where(child_site, 1, rng.choice(list(TYPE_SHARES), size=rows, p=list(TYPE_SHARES.values())))
    decile = rng.choice(np.arange(1, 11), size=rows, p=DECILE_SHARES)
    deprivation = 1 + 0.04 * (5.5 - decile)  # above 1 in deciles 1–5, below in 6–10
    decile_text = np.where(rng.random(rows) < UNKNOWN_DECILE_SHARE, "", decile.astype(str))

    type1 = department == 1
    admission = np.array([ADMISSION[band] for band in AGE_BANDS])[age] * (1 + 0.5 * (deprivation - 1))
    admitted = rng.random(rows) < np.where(type1, admission, 0.02)
    median = np.select([~type1 & (department == 2), ~type1, admitted], [100.0, 80.0, 430.0], default=190.0)
    type1_factor = np.array([STAY_FACTOR[band] for band in AGE_BANDS])[age] * deprivation
    median = np.where(type1, median * type1_factor, median)
    sigma = np.select([~type1, admitted], [0.45, 0.75], default=0.55)
    minutes = median * np.exp(sigma * rng.standard_normal(rows))
    near_breach = type1 & ~admitted & (minutes > 200) & (minutes <= 300) & (rng.random(rows) < 0.35)
    minutes = np.where(near_breach, rng.uniform(215, 240, rows), minutes)
    minutes = np.clip(np.rint(minutes), 5, 72 * 60).astype(np.int64)
    departure = arrival + minutes

    order = np.argsort(arrival, kind="stable")
    width = max(8, len(str(rows)))
    ids = pc.binary_join_element_wise("AE", pc.utf8_lpad(pa.array(np.arange(1, rows + 1)).cast(pa.string()), width,
                                                         "0"), "")
    stamp = lambda times: pc.strftime(pa.array(times[order].astype("datetime64[s]")), format="%Y-%m-%d %H:%M")
    return pa.table({
        "attendance_id": ids,
        "site_code": pa.array(np.array(sites)[site][order]),
        "department_type": pa.array(department[order]),
        "arrival": stamp(arrival),
        "departure": stamp(departure),
        "age_band": pa.array(AGE_BANDS[age][order]),
        "imd_decile": pa.array(decile_text[order]),
        "admitted": pa.array(np.where(admitted, "Y", "N")[order]),
    })


def write_attendances(path: Path, rows: int, last: str = "2026-10", months: int = 48, seed: int = SEED,
                      config: Path = ROOT / "config") -> Path:
    sites, children = read_sites(config)
    table = attendances(rows, last, months, sites, children, np.random.default_rng(seed))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:  # a plain header: pyarrow would quote its names
        handle.write((",".join(table.column_names) + "\n").encode())
        pcsv.write_csv(table, handle, pcsv.WriteOptions(include_header=False, quoting_style="none"))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the CSV file to write")
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--months", type=int, default=48, help="how many months of arrivals, ending at --to")
    parser.add_argument("--to", default="2026-10", help="the latest month, YYYY-MM")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--config", type=Path, default=ROOT / "config", help="the config folder whose sites to use")
    args = parser.parse_args(argv)
    path = write_attendances(args.out, args.rows, args.to, args.months, args.seed, args.config)
    print(f"{path}: {args.rows:,} attendances ({path.stat().st_size / 1e6:,.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
