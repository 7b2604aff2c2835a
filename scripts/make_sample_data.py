"""Write the synthetic sample extracts that the dashboard ships with.

Reads the portfolio files (``config/portfolios/*.yaml``) to learn which extract each metric
belongs to, and ``config/organisations.yaml`` for the organisation codes, then writes one tidy
CSV per extract in the layout of ``docs/extracts.md``. Every figure is made up. Each series is
shaped from a trend (straight lines between anchor months), a winter pressure curve, the
covid-19 dip of spring 2020 and autocorrelated noise, drawn from a seeded generator, so the same
command always writes the same files.

    python scripts/make_sample_data.py [--out sample_data] [--to 2026-10] [--config config]

Rules the figures keep: counts are whole numbers and never negative; a rate is written as a
numerator and a denominator with the value blank; breakdown rows add up to their total row; a
month with no data is an absent row, never a zero; a provider with sites reports site rows, not
both, for metrics that drill to site.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import yaml
from make_attendances_sample import write_sample as write_attendances_sample

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["metric_id", "period", "org_code", "breakdown", "breakdown_value", "series",
           "value", "numerator", "denominator", "status", "note", "breakdown2", "breakdown2_value"]
SEED = 20261112
FIRST_MONTH = "2019-04"
PROVISIONAL_MONTHS = 2

# Metrics whose collection started after April 2019: earlier months are absent, not zero.
FIRST_REPORTED = {
    "nctr_pct": "2021-04",
    "ucr_2hr_pct": "2021-04",
    "vw_capacity": "2022-04",
    "vw_occupancy": "2022-04",
    "cancer_fds_28d_pct": "2021-04",
    "value_weighted_activity_pct": "2020-04",
}

# The covid-19 fall in activity, as a share of normal activity lost.
COVID_DIP = {"2020-02": 0.0, "2020-04": 0.5, "2020-05": 0.38, "2020-07": 0.15, "2020-09": 0.05,
             "2020-11": 0.1, "2021-01": 0.2, "2021-03": 0.05, "2021-06": 0.0}

# Relative size of each trust (a typical acute trust is 1) and how much better (+) or worse (-)
# than the system it performs. Providers not listed get the defaults.
SIZE = {"REM": 1.9, "RBL": 1.0, "RBN": 1.5, "RWW": 0.95, "RJR": 0.8, "RBT": 0.8, "RJN": 0.45,
        "RBS": 0.45, "RBQ": 0.18, "REP": 0.3, "REN": 0.05, "RET": 0.3,
        "RW4": 1.2, "RXA": 0.6, "RY2": 0.5, "RY7": 0.45}
EDGE = {"REM": -0.04, "RBL": 0.0, "RBN": 0.02, "RWW": -0.02, "RJR": -0.01, "RBT": 0.03, "RJN": 0.05,
        "RBS": 0.04, "RBQ": 0.05, "REP": 0.01, "REN": 0.06, "RET": 0.02}
DEFAULT_SIZE = 0.5


# --- reading the configuration ----------------------------------------------------------------


def read_portfolios(folder: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Map each metric's source key to its extract file, and to its drill dimensions."""
    routes, drills = {}, {}
    for path in sorted(folder.glob("*.yaml")):
        portfolio = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for metric in portfolio.get("metrics", []):
            source = metric.get("source", {})
            key = source.get("key") or metric["id"]
            routes[key] = source["extract"]
            drills[key] = metric.get("drill", [])
    return routes, drills


class Organisations:
    """The codes in organisations.yaml that the sample needs."""

    def __init__(self, path: Path):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.system = data["system"]["code"]
        self.place_names = [place["name"] for place in data.get("places", [])]
        self.providers = data.get("providers", [])
        # a merged trust: its last month, and the trust that reports its activity after that
        self.successors = {p["code"]: (pd.Period(str(p["closed"]), freq="M"), p["successor"])
                           for p in self.providers if p.get("successor")}
        self.sites: dict[str, list[str]] = defaultdict(list)
        for site in data.get("sites", []):
            self.sites[site["provider"]].append(site["code"])

    def of_type(self, *kinds: str) -> list[str]:
        return [p["code"] for p in self.providers if p["type"] in kinds]

    def kind(self, code: str) -> str:
        return next(p["type"] for p in self.providers if p["code"] == code)


# --- shapes and noise shared by every portfolio -------------------------------------------------


class Timeline:
    """The months a series covers, and the shapes that series are built from."""

    def __init__(self, first: str, last: pd.Period | str):
        self.periods = pd.period_range(first, last, freq="M")
        self.months = self.periods.month.to_numpy()
        self.days = self.periods.days_in_month.to_numpy()
        self.fy_month = (self.months - 4) % 12  # 0 for April … 11 for March
        self.fy_start = self.periods.year.to_numpy() - (self.months < 4)
        self._ordinals = np.array([p.ordinal for p in self.periods])

    def __len__(self) -> int:
        return len(self.periods)

    def curve(self, anchors: dict[str, float]) -> np.ndarray:
        """Straight lines between anchor months, held level beyond the first and last."""
        months = [pd.Period(month, freq="M").ordinal for month in anchors]
        return np.interp(self._ordinals, months, list(anchors.values()))

    @property
    def winter(self) -> np.ndarray:
        """Winter pressure: 1 in January, 0 in July."""
        return (1 + np.cos(2 * np.pi * (self.months - 1) / 12)) / 2

    @property
    def covid(self) -> np.ndarray:
        """Activity as a share of normal: 0.5 in April 2020, 1 outside the pandemic."""
        return 1 - self.curve(COVID_DIP)

    def season(self, factors: dict[int, float]) -> np.ndarray:
        """A factor per calendar month (1 where none is given)."""
        return np.array([factors.get(month, 1.0) for month in self.months])


def wander(rng: np.random.Generator, n: int, sd: float, persistence: float = 0.7) -> np.ndarray:
    """Autocorrelated noise around zero (an AR(1) series), so series drift in runs as real ones do."""
    shocks = rng.normal(0.0, sd * np.sqrt(1 - persistence**2), n)
    out = np.empty(n)
    out[0] = rng.normal(0.0, sd)
    for i in range(1, n):
        out[i] = persistence * out[i - 1] + shocks[i]
    return out


def counts(x: np.ndarray) -> np.ndarray:
    """Round to whole, non-negative numbers."""
    return np.rint(np.clip(x, 0, None)).astype(np.int64)


def achieved(rng: np.random.Generator, n: np.ndarray, share: np.ndarray | float) -> np.ndarray:
    """How many of ``n`` meet a standard met with probability ``share``."""
    return rng.binomial(n, np.clip(share, 0.005, 0.995))


def normalise(weights: np.ndarray) -> np.ndarray:
    return weights / weights.sum()


def split(rng: np.random.Generator, totals: np.ndarray, mix: dict[str, float]) -> dict[str, np.ndarray]:
    """Split whole-number totals between the members of ``mix``; the parts add up exactly."""
    drawn = rng.multinomial(totals, normalise(np.array(list(mix.values()), dtype=float)))
    return {name: drawn[:, j] for j, name in enumerate(mix)}


def split_money(totals: np.ndarray, mix: dict[str, float]) -> dict[str, np.ndarray]:
    """Split £000 totals (1 decimal place) by fixed shares; the last line takes the rounding."""
    shares = normalise(np.array(list(mix.values()), dtype=float))
    parts = {name: np.round(totals * share, 1) for name, share in zip(mix, shares)}
    last = list(mix)[-1]
    parts[last] = np.round(totals - sum(parts[name] for name in mix if name != last), 1)
    return parts


def proportions(sizes: dict[str, float]) -> dict[str, float]:
    """Each member's share of the total of ``sizes``."""
    total = sum(sizes.values())
    return {code: size / total for code, size in sizes.items()}


def sizes_of(codes: list[str]) -> dict[str, float]:
    return {code: SIZE.get(code, DEFAULT_SIZE) for code in codes}


def shares_of(codes: list[str]) -> dict[str, float]:
    """Each provider's share of a system total, by size."""
    return proportions(sizes_of(codes))


# --- collecting and writing rows ----------------------------------------------------------------


def number(x) -> str:
    """A plain decimal with at most 2 places; blank for missing."""
    if x is None:
        return ""
    x = round(float(x), 2)
    return str(int(x)) if x.is_integer() else f"{x:.2f}".rstrip("0")


def _plus(written: str, more) -> str:
    """Add a figure to one already written (for a merged trust's rows)."""
    if more is None or (isinstance(more, float) and np.isnan(more)):
        return written
    return number((float(written) if written else 0.0) + float(more))


class Extracts:
    """Rows for every extract. Each metric goes to the file its portfolio YAML names."""

    def __init__(self, routes: dict[str, str], drills: dict[str, list[str]], last: pd.Period,
                 successors: dict[str, tuple[pd.Period, str]]):
        self.routes, self.drills, self.last, self.successors = routes, drills, last, successors
        self.rows: dict[str, dict[tuple, list[str]]] = defaultdict(dict)
        self.gaps: set[tuple[str, str, pd.Period]] = set()
        self.first = {metric: pd.Period(FIRST_REPORTED.get(metric, FIRST_MONTH), freq="M") for metric in routes}

    def drills_to(self, metric: str, dimension: str) -> bool:
        return dimension in self.drills.get(metric, [])

    def leave_gaps(self, rng: np.random.Generator, metric: str, org: str, periods: pd.PeriodIndex, k: int):
        """Leave ``k`` random months of a metric unreported (absent rows)."""
        candidates = periods[6:-PROVISIONAL_MONTHS - 1]
        for i in rng.choice(len(candidates), size=k, replace=False):
            self.gaps.add((metric, org, candidates[i]))

    def add(self, metric: str, period: pd.Period, org: str, *, value=None, numerator=None, denominator=None,
            breakdown: str = "", item: str = "", series: str = "actual", status: str = "", note: str = ""):
        if metric not in self.routes:
            raise KeyError(f"{metric} is not a metric in the portfolio files")
        if (metric, org, period) in self.gaps or period < self.first[metric]:
            return
        if denominator is not None and denominator == 0:
            return  # nothing to report: a rate needs a denominator
        if series == "actual" and not status:
            status = "provisional" if period > self.last - PROVISIONAL_MONTHS else "validated"
        merged = org in self.successors and period > self.successors[org][0]
        if merged:  # a merged trust's activity is reported by its successor from then on
            org = self.successors[org][1]
        key = (metric, str(period), org, breakdown, item, series)
        rows = self.rows[self.routes[metric]]
        if key in rows and not merged:
            raise ValueError(f"duplicate row {key}")
        if key in rows:
            figures = [_plus(old, new) for old, new in zip(rows[key][6:9], (value, numerator, denominator))]
            rows[key] = [*key, *figures, status, ""]
        else:
            rows[key] = [*key, number(value), number(numerator), number(denominator), status, note]

    def add_series(self, metric: str, org: str, periods: pd.PeriodIndex, *, value=None, numerator=None,
                   denominator=None, **labels):
        """One row per month; each figure is an array over ``periods`` (or None)."""
        for i, period in enumerate(periods):
            self.add(metric, period, org, value=_at(value, i), numerator=_at(numerator, i),
                     denominator=_at(denominator, i), **labels)

    def write(self, folder: Path) -> dict[str, int]:
        folder.mkdir(parents=True, exist_ok=True)
        order = {metric: n for n, metric in enumerate(self.routes)}
        written = {}
        for name, rows in sorted(self.rows.items()):
            # rows without a second breakdown get two empty trailing fields; cross rows follow the
            # plain rows of their first breakdown member
            padded = [row if len(row) == len(COLUMNS) else [*row, "", ""] for row in rows.values()]
            ordered = sorted(padded, key=lambda r: (order[r[0]], r[2], r[3], r[4], r[11], r[12], r[5], r[1]))
            with open(folder / name, "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(COLUMNS)
                writer.writerows(ordered)
            written[name] = len(ordered)
        return written

    def add_cross(self, metric: str, outer: str, inner: str):
        """Rows of ``outer`` × ``inner`` (breakdown2) wherever both breakdowns of a metric are written
        for an organisation, month and series, consistent with both: each outer member's cells add
        up to its row, and each inner member's cells add up to its row. Uses no random draws."""
        rows = self.rows[self.routes[metric]]
        grids: dict[tuple, dict[str, dict[str, list[str]]]] = defaultdict(lambda: {outer: {}, inner: {}})
        for key, row in rows.items():
            if key[0] == metric and key[3] in (outer, inner) and len(row) < len(COLUMNS):
                grids[(key[1], key[2], key[5])][key[3]][key[4]] = row
        for (period, org, series), grid in grids.items():
            if not grid[outer] or not grid[inner]:
                continue
            outer_totals = {name: int(float(row[6])) for name, row in grid[outer].items()}
            inner_totals = {name: int(float(row[6])) for name, row in grid[inner].items()}
            cells = cross_counts(outer_totals, inner_totals)
            if cells is None:
                raise ValueError(f"{metric} {org} {period}: {outer} and {inner} rows add up differently")
            status = next(iter(grid[outer].values()))[9]
            for (a, b), count in cells.items():
                if count > 0:
                    rows[(metric, period, org, outer, a, series, inner, b)] = [
                        metric, period, org, outer, a, series, number(count), "", "", status, "", inner, b]

    def add_totals(self, metrics: tuple[str, ...], system: str):
        """The system's own rows for ``metrics``: the sum of every organisation's total row, as an
        ICS column of a board finance table reports it."""
        for metric in metrics:
            rows = self.rows[self.routes[metric]]
            sums: dict[tuple, float] = defaultdict(float)
            for key, row in list(rows.items()):
                if key[0] == metric and key[3] == "" and len(row) < len(COLUMNS) and key[2] != system:
                    sums[(key[1], key[5], row[9])] += float(row[6])
            for (period, series, status), total in sums.items():
                rows[(metric, period, system, "", "", series)] = [metric, period, system, "", "", series,
                                                                  number(round(total, 1)), "", "", status, ""]

    def unwritten(self) -> list[str]:
        reported = {key[0] for rows in self.rows.values() for key in rows}
        return [metric for metric in self.routes if metric not in reported]


def cross_counts(rows: dict[str, int], cols: dict[str, int]) -> dict[tuple[str, str], int] | None:
    """Whole counts for each row × column cell that add up to both margins: the proportional share
    (row × column ÷ total), floored, then the remaining units to the largest fractional parts
    among cells whose row and column are both still short. None when the margins' totals differ."""
    total = sum(rows.values())
    if total != sum(cols.values()) or min([*rows.values(), *cols.values()], default=0) < 0:
        return None
    if total == 0:
        return {}
    share = {(a, b): rows[a] * cols[b] / total for a in rows for b in cols}
    cells = {cell: int(np.floor(x)) for cell, x in share.items()}
    row_short = {a: rows[a] - sum(cells[a, b] for b in cols) for a in rows}
    col_short = {b: cols[b] - sum(cells[a, b] for a in rows) for b in cols}
    while any(row_short.values()):
        # a row still short always meets a column still short, as both shortfalls add up to the same
        a, b = max((cell for cell in cells if row_short[cell[0]] > 0 and col_short[cell[1]] > 0),
                   key=lambda cell: share[cell] - cells[cell])
        cells[a, b] += 1
        row_short[a] -= 1
        col_short[b] -= 1
    return cells


def _at(values, i):
    return None if values is None else values[i]


def columns(spec: str | tuple[str, str], frame: dict[str, np.ndarray]) -> dict[str, np.ndarray] | None:
    """The CSV figures of one metric: a frame key gives a value, a (numerator, denominator) pair a rate."""
    keys = (spec,) if isinstance(spec, str) else spec
    if any(key not in frame for key in keys):
        return None
    if isinstance(spec, str):
        return {"value": frame[spec]}
    return {"numerator": frame[spec[0]], "denominator": frame[spec[1]]}


def write_figures(x: Extracts, org: str, periods: pd.PeriodIndex, frame: dict[str, np.ndarray],
                  figures: dict[str, str | tuple[str, str]], **labels):
    for metric, spec in figures.items():
        found = columns(spec, frame)
        if found is not None:
            x.add_series(metric, org, periods, **found, **labels)


def add_parts(x: Extracts, metric: str, org: str, periods: pd.PeriodIndex, breakdown: str,
              parts: dict[str, dict[str, np.ndarray]], series: str = "actual"):
    for item, figures in parts.items():
        x.add_series(metric, org, periods, breakdown=breakdown, item=item, series=series, **figures)


def add_total_and_parts(x: Extracts, metric: str, org: str, periods: pd.PeriodIndex, breakdown: str,
                        parts: dict[str, dict[str, np.ndarray]]):
    """Write the total row (the sum of the parts) and a row for each part."""
    figures = next(iter(parts.values()))
    x.add_series(metric, org, periods, **{k: sum(part[k] for part in parts.values()) for k in figures})
    add_parts(x, metric, org, periods, breakdown, parts)


def as_values(parts: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
    return {name: {"value": values} for name, values in parts.items()}


def add_frames(frames) -> dict[str, np.ndarray]:
    frames = list(frames)
    return {key: sum(frame[key] for frame in frames) for key in frames[0]}


# --- urgent and emergency care ------------------------------------------------------------------

# System pressure, 0 (spring 2020) to 1 (December 2022), before winter is added.
UEC_PRESSURE = {"2019-04": 0.3, "2020-02": 0.4, "2020-04": 0.0, "2020-08": 0.25, "2021-07": 0.6,
                "2022-07": 0.75, "2022-12": 1.0, "2023-04": 0.6, "2024-03": 0.5, "2025-03": 0.45,
                "2026-10": 0.4}
AE_DEMAND = {"2019-04": 1.0, "2021-06": 1.02, "2023-04": 1.04, "2026-10": 1.09}
VIRTUAL_WARD_BEDS = {"2022-04": 250, "2022-10": 330, "2023-04": 520, "2023-10": 690, "2024-03": 905,
                     "2025-03": 930, "2026-10": 950}
DISCHARGE_PATHWAYS = {"Pathway 0": 0.77, "Pathway 1": 0.15, "Pathway 2": 0.05, "Pathway 3": 0.03}
# Share of a site's attendances seen at a single-specialty (type 2) A&E, such as an eye casualty;
# sites not listed have none. A share of 0 is a month the unit did not run (no type 2 row).
TYPE2_SHARE = {"RQ617": {"2019-04": 0.026, "2026-10": 0.023},
               "RBL14": {"2021-08": 0.0, "2021-09": 0.011, "2026-10": 0.014}}
UEC_GAPS = [("ae_time_to_assessment", "RJR05"), ("critical_care_occupancy", "RJN"), ("ucr_2hr_pct", "RY2")]

SITE_FIGURES = {
    "handover_over_15": "over_15",
    "handover_over_30": "over_30",
    "handover_over_60": "over_60",
    "handover_hours_lost": "hours_lost",
    "ae_attendances_type1": "type1",
    "ae_attendances_all": "all",
    "ae_4hr_all": ("within_all", "all"),
    "ae_4hr_type1": ("within_type1", "type1"),
    "ae_12hr_arrival": "over_12h",
    "ae_12hr_dta": "dta_12h",
    "ae_time_to_assessment": ("assessment_seconds", "assessed"),
    "ae_time_in_dept_admitted": ("admitted_seconds", "admitted"),
    "ae_time_in_dept_non_admitted": ("discharged_seconds", "discharged"),
}
# The rows by A&E department type of the all-types metrics; type 1 repeats the type 1 metrics.
DEPARTMENT_TYPE_FIGURES = {
    "ae_attendances_all": {"Type 1": "type1", "Type 2": "type2", "Type 3-4": "type3_4"},
    "ae_4hr_all": {"Type 1": ("within_type1", "type1"), "Type 2": ("within_type2", "type2"),
                   "Type 3-4": ("within_type3_4", "type3_4")},
}
HOSPITAL_FIGURES = {
    "utc_attendances": "utc",
    "emergency_admissions": "admissions",
    "ga_bed_occupancy": ("occupied", "available"),
    "critical_care_occupancy": ("cc_occupied", "cc_available"),
    "escalation_beds": ("escalation_days", "days"),
    "stranded_7_plus": "stranded",
    "super_stranded_21_plus": "super_stranded",
    "nctr_pct": ("nctr", "occupied"),
}
AMBULANCE_FIGURES = {
    "nhs111_calls": "calls",
    "nhs111_clinical_input_pct": ("clinical_input", "calls"),
    "nhs111_ed_referrals": "ed_referrals",
    "amb_cat1_mean": ("cat1_seconds", "cat1"),
    "amb_cat1_p90": "cat1_p90",
    "amb_cat2_mean": ("cat2_seconds", "cat2"),
    "amb_cat2_p90": "cat2_p90",
}
COMMUNITY_FIGURES = {
    "vw_capacity": "vw_beds",
    "vw_occupancy": ("vw_occupied", "vw_available"),
    "ucr_2hr_pct": ("ucr_within_2h", "ucr_referrals"),
}


def uec_sample(x: Extracts, orgs: Organisations, last: pd.Period, rng: np.random.Generator):
    tl = Timeline(FIRST_MONTH, last)
    pressure = tl.curve(UEC_PRESSURE) + 0.35 * tl.winter
    for metric, org in UEC_GAPS:
        x.leave_gaps(rng, metric, org, tl.periods, int(rng.integers(2, 4)))
    for code in orgs.of_type("ambulance"):
        write_figures(x, code, tl.periods, ambulance_service(rng, tl, pressure), AMBULANCE_FIGURES)
    for code in orgs.of_type("acute"):
        stress = np.clip(pressure - 2 * EDGE.get(code, 0.0) + wander(rng, len(tl), 0.06), 0, None)
        sites = orgs.sites.get(code) or [code]
        weights = normalise(np.array([1.35] + [1.0] * (len(sites) - 1)))
        frames = {site: emergency_department(rng, tl, SIZE.get(code, DEFAULT_SIZE) * w, stress,
                                             tl.curve(TYPE2_SHARE.get(site, {FIRST_MONTH: 0.0})))
                  for site, w in zip(sites, weights)}
        write_emergency_departments(x, code, tl, frames)
        hospital = hospital_flow(rng, tl, SIZE.get(code, DEFAULT_SIZE), stress, add_frames(frames.values()))
        write_figures(x, code, tl.periods, hospital, HOSPITAL_FIGURES)
        add_total_and_parts(x, "discharges_by_pathway", code, tl.periods, "discharge_pathway",
                            as_values(split(rng, hospital["discharges"], DISCHARGE_PATHWAYS)))
    virtual_ward_beds = tl.curve(VIRTUAL_WARD_BEDS)
    for code, share in shares_of(orgs.of_type("acute", "community")).items():
        write_figures(x, code, tl.periods, virtual_ward(rng, tl, virtual_ward_beds * share), COMMUNITY_FIGURES)
    # Mersey Care and CWP run community services, so they report urgent community response too.
    for code in orgs.of_type("community", "mental_health"):
        write_figures(x, code, tl.periods, urgent_community_response(rng, tl, code), COMMUNITY_FIGURES)


def ambulance_service(rng, tl: Timeline, pressure: np.ndarray) -> dict[str, np.ndarray]:
    """NHS 111 and ambulance response for Cheshire and Merseyside patients."""
    n = len(tl)
    calls = counts(52000 * (1 + 0.12 * tl.winter) * (1 + wander(rng, n, 0.04)))
    cat1 = counts(2300 * (1 + 0.12 * tl.winter) * tl.curve(AE_DEMAND) * (1 + wander(rng, n, 0.03)))
    cat2 = counts(12500 * (1 + 0.15 * tl.winter) * tl.curve(AE_DEMAND) * (1 + wander(rng, n, 0.03)))
    cat1_mean = 440 + 90 * pressure + 8 * wander(rng, n, 1.0)
    cat2_mean = 1450 + 1550 * pressure + 60 * wander(rng, n, 1.0)
    return {
        "calls": calls,
        "clinical_input": achieved(rng, calls, tl.curve({"2019-04": 0.38, "2022-04": 0.48, "2026-10": 0.55})),
        "ed_referrals": achieved(rng, calls, 0.085 + 0.01 * tl.winter),
        "cat1": cat1,
        "cat1_seconds": counts(cat1 * cat1_mean),
        "cat1_p90": counts(cat1_mean * (1.74 + wander(rng, n, 0.03))),
        "cat2": cat2,
        "cat2_seconds": counts(cat2 * cat2_mean),
        "cat2_p90": counts(cat2_mean * (2.15 + wander(rng, n, 0.05))),
    }


def emergency_department(rng, tl: Timeline, size: float, stress: np.ndarray,
                         type2_share: np.ndarray) -> dict[str, np.ndarray]:
    """One emergency department's month: attendances, 4-hour and 12-hour waits, handovers."""
    n = len(tl)
    summer = 1 + 0.04 * (1 - tl.winter)
    type1 = counts(size * 255 * tl.days * tl.curve(AE_DEMAND) * tl.covid * summer * (1 + wander(rng, n, 0.03)))
    other = counts(type1 * 0.5 * (1 + wander(rng, n, 0.05)))  # types 2, 3 and 4
    type2 = np.minimum(rng.binomial(type1 + other, type2_share), other)
    within_type1 = achieved(rng, type1, 0.745 - 0.17 * stress)
    within_type2 = achieved(rng, type2, 0.975 - 0.03 * stress)
    within_type3_4 = achieved(rng, other - type2, 0.985 - 0.015 * stress)
    arrivals = achieved(rng, type1, 0.31)
    over_15 = achieved(rng, arrivals, 0.22 + 0.32 * stress)
    over_30 = achieved(rng, over_15, 0.35 + 0.25 * stress)
    over_60 = achieved(rng, over_30, 0.22 + 0.3 * stress)
    admitted = achieved(rng, type1, 0.27)
    assessed = achieved(rng, type1, 0.96)
    return {
        "type1": type1,
        "other": other,
        "all": type1 + other,
        "type2": type2,
        "type3_4": other - type2,
        "within_type1": within_type1,
        "within_type2": within_type2,
        "within_type3_4": within_type3_4,
        "within_all": within_type1 + within_type2 + within_type3_4,
        "over_15": over_15,
        "over_30": over_30,
        "over_60": over_60,
        "hours_lost": counts(0.22 * over_15 + 0.3 * over_30 + 1.3 * over_60),
        "over_12h": achieved(rng, type1, 0.008 + 0.085 * stress),
        "dta_12h": achieved(rng, admitted, 0.002 + 0.07 * stress**2),
        "assessed": assessed,
        "assessment_seconds": counts(assessed * (780 + 900 * stress)),
        "admitted": admitted,
        "admitted_seconds": counts(admitted * (18000 + 25000 * stress)),
        "discharged": type1 - admitted,
        "discharged_seconds": counts((type1 - admitted) * (10800 + 5400 * stress)),
    }


def write_emergency_departments(x: Extracts, provider: str, tl: Timeline, frames: dict[str, dict]):
    """Site rows for metrics that drill to site; otherwise one provider row (never both). Beside
    each total row, its rows by department type where the metric drills to department type."""
    provider_total = {provider: add_frames(frames.values())}
    for metric, spec in SITE_FIGURES.items():
        for org, frame in (frames if x.drills_to(metric, "site") else provider_total).items():
            x.add_series(metric, org, tl.periods, **columns(spec, frame))
            if x.drills_to(metric, "department_type"):
                write_department_types(x, metric, org, tl.periods, frame)


def write_department_types(x: Extracts, metric: str, org: str, periods: pd.PeriodIndex, frame: dict):
    """A row per department type, leaving out the months a type saw no one (no type 2 unit)."""
    for item, spec in DEPARTMENT_TYPE_FIGURES[metric].items():
        seen = frame[spec if isinstance(spec, str) else spec[1]] > 0
        figures = {key: values[seen] for key, values in columns(spec, frame).items()}
        x.add_series(metric, org, periods[seen], breakdown="department_type", item=item, **figures)


def hospital_flow(rng, tl: Timeline, size: float, stress: np.ndarray, ed: dict) -> dict[str, np.ndarray]:
    """Beds, stranded patients and discharges for one acute trust."""
    n = len(tl)
    available = counts(size * 540 * tl.days * (1 + wander(rng, n, 0.01)))
    occupied = achieved(rng, available, np.minimum(0.885 + 0.075 * stress, 0.985) * (0.6 + 0.4 * tl.covid))
    cc_available = counts(size * 24 * tl.days)
    stranded = counts(occupied / tl.days * (0.40 + 0.1 * stress))
    return {
        "utc": achieved(rng, ed["other"], 0.9),
        "admissions": counts(ed["admitted"] * 1.35),
        "available": available,
        "occupied": occupied,
        "cc_available": cc_available,
        "cc_occupied": achieved(rng, cc_available, 0.74 + 0.1 * stress + 0.3 * (1 - tl.covid)),
        "escalation_days": counts(size * (3 + 20 * stress) * tl.days * (1 + wander(rng, n, 0.1))),
        "days": tl.days,
        "stranded": stranded,
        "super_stranded": achieved(rng, stranded, 0.3 + 0.08 * stress),
        "nctr": achieved(rng, occupied, 0.13 + 0.08 * stress),
        "discharges": counts((ed["admitted"] * 1.35 + size * 900 * tl.covid) * (1 + wander(rng, n, 0.02))),
    }


def virtual_ward(rng, tl: Timeline, beds: np.ndarray) -> dict[str, np.ndarray]:
    vw_beds = counts(beds * (1 + wander(rng, len(tl), 0.03)))
    available = vw_beds * tl.days
    occupancy = tl.curve({"2022-04": 0.6, "2024-03": 0.78, "2026-10": 0.82}) + wander(rng, len(tl), 0.03)
    return {"vw_beds": vw_beds, "vw_available": available, "vw_occupied": achieved(rng, available, occupancy)}


def urgent_community_response(rng, tl: Timeline, code: str) -> dict[str, np.ndarray]:
    n = len(tl)
    referrals = counts(SIZE.get(code, DEFAULT_SIZE) * tl.curve({"2021-04": 300, "2023-04": 480, "2026-10": 620})
                       * (1 + 0.12 * tl.winter) * (1 + wander(rng, n, 0.05)))
    seen = 0.8 + 0.04 * tl.curve({"2021-04": 0.0, "2024-04": 1.0}) - 0.06 * tl.winter + wander(rng, n, 0.03)
    return {"ucr_referrals": referrals, "ucr_within_2h": achieved(rng, referrals, seen)}


# --- elective care, diagnostics and cancer --------------------------------------------------------

RTT_LIST_THOUSANDS = {"2019-04": 232, "2020-02": 248, "2020-05": 214, "2020-12": 246, "2021-06": 282,
                      "2022-04": 318, "2023-04": 352, "2023-09": 372, "2024-09": 362, "2025-09": 346,
                      "2026-10": 331}
RTT_WITHIN_18 = {"2019-04": 0.83, "2020-02": 0.82, "2020-06": 0.48, "2020-09": 0.5, "2021-03": 0.65,
                 "2021-09": 0.66, "2022-04": 0.6, "2023-04": 0.57, "2024-03": 0.58, "2025-03": 0.595,
                 "2026-10": 0.63}
# Share of the waiting list waiting at least 52, 65, 78 and 104 weeks.
RTT_LONG_WAITS = {
    52: {"2019-04": 0.001, "2020-03": 0.002, "2020-06": 0.01, "2020-12": 0.06, "2021-03": 0.09,
         "2021-09": 0.07, "2022-04": 0.06, "2023-04": 0.05, "2024-03": 0.04, "2025-03": 0.026, "2026-10": 0.017},
    65: {"2019-04": 0.0002, "2020-12": 0.0005, "2021-06": 0.03, "2021-09": 0.035, "2022-04": 0.02,
         "2023-04": 0.007, "2023-10": 0.003, "2024-03": 0.0004, "2025-03": 0.0002, "2026-10": 0.0001},
    78: {"2019-04": 0.0001, "2021-03": 0.0003, "2021-09": 0.02, "2022-04": 0.01, "2023-03": 0.0008,
         "2023-06": 0.0004, "2024-03": 0.0001, "2026-10": 0.00003},
    104: {"2019-04": 0.0, "2021-03": 0.0, "2021-06": 0.0005, "2022-01": 0.0025, "2022-06": 0.0006,
          "2022-09": 0.0001, "2023-03": 0.00002, "2024-01": 0.0},
}
# Weeks bands, each with how strongly it leans towards the long-wait specialties.
WEEKS_BANDS = {"0-18 weeks": 0.0, "18-52 weeks": 1.0, "52-65 weeks": 2.0, "65-78 weeks": 2.5,
               "78-104 weeks": 3.0, "104+ weeks": 3.0}
SPECIALTY_MIX = {"Trauma and orthopaedics": 0.14, "Ophthalmology": 0.11, "General surgery": 0.09, "ENT": 0.08,
                 "Gynaecology": 0.08, "Urology": 0.06, "Dermatology": 0.06, "Other": 0.38}
LONG_WAIT_LEAN = np.array([1.6, 0.7, 1.2, 1.4, 1.3, 1.0, 0.8, 0.9])
CLOCK_STOPS_THOUSANDS = {"2019-04": 66, "2020-02": 66, "2020-04": 24, "2020-07": 45, "2021-04": 62,
                         "2022-04": 68, "2023-04": 73, "2026-10": 79}
FOLLOW_UPS_THOUSANDS = {"2019-04": 285, "2020-02": 285, "2020-04": 150, "2020-09": 245, "2021-04": 270,
                        "2023-04": 280, "2026-10": 262}
# Elective spells and first outpatient attendances a month across the system, in thousands (the
# Joint Forward Plan's 2023/24 plan: 363,244 day cases, 54,466 ordinary spells, 1,330,322 firsts).
ADMITTED_AND_FIRST_THOUSANDS = {
    "day_cases": {"2019-04": 27.5, "2020-02": 27.5, "2020-03": 22, "2020-04": 8.5, "2020-07": 17, "2020-10": 23,
                  "2021-01": 18, "2021-04": 25, "2022-04": 27.5, "2023-04": 29.8, "2024-04": 31, "2026-10": 33},
    "ordinary_spells": {"2019-04": 5.5, "2020-02": 5.5, "2020-03": 4.4, "2020-04": 1.6, "2020-07": 3.2, "2020-10": 4.3,
                        "2021-01": 3.0, "2021-04": 4.4, "2022-04": 4.6, "2023-04": 4.6, "2026-10": 4.9},
    "first_attendances": {"2019-04": 104, "2020-02": 104, "2020-03": 84, "2020-04": 45, "2020-07": 72, "2020-10": 92,
                          "2021-01": 84, "2021-04": 98, "2022-04": 104, "2023-04": 110, "2026-10": 118},
}
# Pathways removed from the waiting list without a clock stop (validation), as a share of clock stops.
VALIDATION_REMOVALS = 0.06
ACTIVITY_AGAINST_2019 = {"2020-04": 0.38, "2020-06": 0.6, "2020-09": 0.82, "2021-01": 0.7, "2021-04": 0.88,
                         "2022-04": 0.97, "2023-04": 1.04, "2024-04": 1.08, "2026-10": 1.12}
ELECTIVE_SEASON = {4: 0.95, 8: 0.93, 12: 0.88}
VALUE_WEIGHTED_2019_MONTH = 85000  # £000 of elective activity a month across the system in 2019/20

DM01_LIST_THOUSANDS = {"2019-04": 30, "2020-02": 32, "2020-06": 48, "2021-04": 50, "2022-06": 58,
                       "2023-06": 56, "2024-06": 52, "2026-10": 47}
DM01_WITHIN_6 = {"2019-04": 0.96, "2020-02": 0.95, "2020-04": 0.42, "2020-06": 0.5, "2020-10": 0.7,
                 "2021-04": 0.77, "2022-04": 0.74, "2023-04": 0.83, "2024-03": 0.89, "2025-03": 0.91,
                 "2026-10": 0.93}
DM01_ACTIVITY_THOUSANDS = {"2019-04": 58, "2020-02": 58, "2020-04": 20, "2020-08": 48, "2021-04": 58,
                           "2023-04": 66, "2026-10": 74}
DM01_WAITING_MIX = {"MRI": 0.17, "CT": 0.12, "Non-obstetric ultrasound": 0.36, "Echocardiography": 0.13,
                    "Colonoscopy": 0.11, "Gastroscopy": 0.11}
DM01_ACTIVITY_MIX = {"MRI": 0.16, "CT": 0.30, "Non-obstetric ultrasound": 0.36, "Echocardiography": 0.08,
                     "Colonoscopy": 0.05, "Gastroscopy": 0.05}
DM01_TEST_EDGE = {"MRI": 0.0, "CT": 0.06, "Non-obstetric ultrasound": -0.06, "Echocardiography": -0.04,
                  "Colonoscopy": -0.09, "Gastroscopy": -0.06}

TUMOUR_MIX = {
    "referrals": {"Breast": 0.20, "Lower GI": 0.20, "Skin": 0.20, "Urological": 0.14, "Lung": 0.05, "Other": 0.21},
    "treatments": {"Breast": 0.22, "Lower GI": 0.12, "Skin": 0.15, "Urological": 0.24, "Lung": 0.10, "Other": 0.17},
    "backlog": {"Breast": 0.06, "Lower GI": 0.45, "Skin": 0.07, "Urological": 0.20, "Lung": 0.05, "Other": 0.17},
    # the screening programmes: breast, bowel and cervical
    "screening": {"Breast": 0.58, "Lower GI": 0.32, "Gynaecological": 0.10},
}
TUMOUR_EDGE = {"Breast": 0.08, "Lower GI": -0.12, "Skin": 0.06, "Urological": -0.08, "Lung": -0.03, "Other": 0.0,
               "Gynaecological": -0.04}


class CancerStandard(NamedTuple):
    patients: int  # a month's patients across the system
    met: dict[str, float]  # share of patients seen or treated within the standard (before a trust's EDGE)
    tumour_mix: str | None  # which TUMOUR_MIX splits it by tumour site, if any
    reported_by: str  # which group of trusts reports it: a key of cancer_reporters()
    # which TUMOUR_MIX splits its drawn total by tumour site afterwards, from a stream of its own
    # (so the total keeps the figures it had before it was split), if any
    later_mix: str | None = None


CANCER_STANDARDS = {
    "cancer_2ww_pct": CancerStandard(12500, {"2019-04": 0.89, "2020-04": 0.95, "2020-09": 0.86, "2021-06": 0.78,
                                             "2022-06": 0.62, "2023-04": 0.72, "2024-04": 0.78, "2026-10": 0.82},
                                     None, "diagnosing", "referrals"),
    "cancer_breast_symptomatic_pct": CancerStandard(700, {"2019-04": 0.86, "2020-06": 0.9, "2021-06": 0.6,
                                                          "2022-06": 0.42, "2023-06": 0.62, "2026-10": 0.78},
                                                    None, "diagnosing"),
    "cancer_fds_28d_pct": CancerStandard(12000, {"2021-04": 0.74, "2022-06": 0.64, "2023-04": 0.72, "2024-03": 0.76,
                                                 "2025-03": 0.775, "2026-10": 0.79}, "referrals", "diagnosing"),
    "cancer_31d_first_pct": CancerStandard(1300, {"2019-04": 0.965, "2021-04": 0.93, "2022-06": 0.89,
                                                  "2024-04": 0.92, "2026-10": 0.935}, None, "treating", "treatments"),
    "cancer_62d_standard_pct": CancerStandard(650, {"2019-04": 0.78, "2020-06": 0.72, "2021-06": 0.68, "2022-06": 0.57,
                                                    "2023-04": 0.62, "2024-04": 0.66, "2026-10": 0.71},
                                              "treatments", "treating"),
}
# Standards added later. The three 31-day subsequent-treatment standards and the 62-day screening
# and upgrade standards (ranges as in board packs of 2022: surgery 75-90 %, drug 90-100 %,
# radiotherapy 85-97 %, screening 50-90 %, upgrade 75-90 %).
CANCER_STANDARDS_ADDED = {
    "cancer_31d_surgery_pct": CancerStandard(220, {"2019-04": 0.9, "2020-06": 0.85, "2021-06": 0.82,
                                                   "2022-06": 0.78, "2023-09": 0.8, "2024-04": 0.83,
                                                   "2026-10": 0.86}, None, "diagnosing", "treatments"),
    "cancer_31d_drug_pct": CancerStandard(520, {"2019-04": 0.985, "2021-06": 0.96, "2022-06": 0.92,
                                                "2024-04": 0.95, "2026-10": 0.965}, None, "treating", "treatments"),
    # Clatterbridge, the only radiotherapy provider, runs 6 points above these (its EDGE)
    "cancer_31d_radiotherapy_pct": CancerStandard(800, {"2019-04": 0.905, "2021-06": 0.875, "2022-06": 0.85,
                                                        "2023-04": 0.845, "2024-04": 0.87, "2026-10": 0.885},
                                                  None, "radiotherapy", "treatments"),
    "cancer_62d_screening_pct": CancerStandard(90, {"2019-04": 0.86, "2020-06": 0.7, "2021-06": 0.72,
                                                    "2022-06": 0.62, "2023-04": 0.66, "2024-04": 0.7,
                                                    "2026-10": 0.76}, None, "diagnosing", "screening"),
    "cancer_62d_upgrade_pct": CancerStandard(160, {"2019-04": 0.87, "2021-06": 0.84, "2022-06": 0.78,
                                                   "2023-04": 0.8, "2024-04": 0.82, "2026-10": 0.85},
                                             None, "diagnosing", "treatments"),
}
CANCER_BACKLOG = {"2019-04": 430, "2020-02": 410, "2020-06": 950, "2021-04": 820, "2022-06": 1800,
                  "2023-04": 1100, "2024-04": 920, "2026-10": 760}
CANCER_OVER_104_DAYS = {"2019-04": 60, "2020-06": 180, "2021-04": 150, "2022-06": 320, "2023-04": 160,
                        "2024-04": 100, "2026-10": 75}
CANCER_CENTRE = {"REN": 1.5}  # the Clatterbridge Cancer Centre's size as a treating trust
RADIOTHERAPY = {"REN": 1.0}  # the trusts that give radiotherapy, by size

# Statistics of the waiting list, which cannot be added up: reported by each trust and for the system.
WAITING_STATISTICS = {
    "rtt_median_wait": "median_weeks",
    "rtt_92nd_centile_wait": "centile_92_weeks",
}
RTT_FIGURES = {
    "rtt_65w": "over_65",
    "rtt_78w": "over_78",
    "rtt_104w": "over_104",
    **WAITING_STATISTICS,
    "rtt_clock_starts": "clock_starts",
    "rtt_clock_stops": "clock_stops",
    "elective_ordinary_spells": "ordinary_spells",
    "day_case_spells": "day_cases",
    "outpatient_first_attendances": "first_attendances",
    "outpatient_followups": "follow_ups",
    "value_weighted_activity_pct": ("activity", "activity_2019"),
}
# The weeks at which the waiting list is counted: everyone, then 18, 52, 65, 78 and 104 weeks or more.
WAITING_KNOTS = {0: "waiting", 18: "over_18", 52: "over_52", 65: "over_65", 78: "over_78", 104: "over_104"}


def elective_sample(x: Extracts, orgs: Organisations, last: pd.Period, rng: np.random.Generator):
    tl = Timeline(FIRST_MONTH, last)
    # metrics added after the first sample draw from a stream of their own, so the others keep their figures
    added, by_site = rng.spawn(2)
    waiting_lists = []
    for code, share in shares_of(orgs.of_type("acute", "specialist")).items():
        frame = referral_to_treatment(x, rng, tl, code, share)
        frame.update(elective_activity(added, tl, share, frame))
        write_figures(x, code, tl.periods, frame, RTT_FIGURES)
        waiting_lists.append({key: frame[key] for key in (*WAITING_KNOTS.values(), "within_18")})
    write_figures(x, orgs.system, tl.periods, waiting_statistics(add_frames(waiting_lists)), WAITING_STATISTICS)
    for code, share in shares_of(orgs.of_type("acute")).items():
        diagnostics(x, rng, tl, code, share)
    reporters = cancer_reporters(orgs)
    for standards, stream in ((CANCER_STANDARDS, rng), (CANCER_STANDARDS_ADDED, added)):
        for metric, standard in standards.items():
            for code, share in reporters[standard.reported_by].items():
                cancer_standard(x, stream, by_site, tl, metric, code, share, standard)
    for code, share in reporters["diagnosing"].items():
        cancer_long_waits(x, rng, by_site, tl, code, share)


def cancer_reporters(orgs: Organisations) -> dict[str, dict[str, float]]:
    """Each group of trusts that reports cancer standards, with each trust's share of the system's patients."""
    acute = sizes_of(orgs.of_type("acute"))
    return {"diagnosing": proportions(acute), "treating": proportions({**acute, **CANCER_CENTRE}),
            "radiotherapy": proportions(RADIOTHERAPY)}


def median_wait(within_18: np.ndarray) -> np.ndarray:
    """Median weeks waited, taking waits as exponential with the given share under 18 weeks."""
    return np.round(18 * np.log(2) / -np.log(1 - within_18), 1)


def centile_wait(frame: dict[str, np.ndarray], centile: float) -> np.ndarray:
    """Weeks waited at a centile of the waiting list. The share still waiting is known at each of
    WAITING_KNOTS; between them it falls exponentially (a straight line in its logarithm)."""
    still = np.column_stack([frame[key] for key in WAITING_KNOTS.values()]) / frame["waiting"][:, None]
    # minus the log of the share still waiting rises with the weeks; kept strictly rising for interp
    depth = np.maximum.accumulate(-np.log(np.maximum(still, 1e-6)) + 1e-9 * np.arange(len(WAITING_KNOTS)), axis=1)
    return np.round([np.interp(-np.log(1 - centile), row, list(WAITING_KNOTS)) for row in depth], 1)


def waiting_statistics(frame: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The median and 92nd centile of a waiting list (for a trust, or the sum of trusts' lists)."""
    return {"median_weeks": median_wait(frame["within_18"] / frame["waiting"]),
            "centile_92_weeks": centile_wait(frame, 0.92)}


def monthly_activity(rng, tl: Timeline, share: float, thousands: dict[str, float]) -> np.ndarray:
    """A trust's share of a system's monthly activity (a curve in thousands), with the elective season and noise."""
    return counts(share * 1000 * tl.curve(thousands) * tl.season(ELECTIVE_SEASON) * (1 + wander(rng, len(tl), 0.03)))


def elective_activity(rng, tl: Timeline, share: float, frame: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Clock starts, elective spells and first outpatient attendances for one trust. The waiting list
    grows by the clock starts less the clock stops and the pathways removed by validation."""
    removed = frame["clock_stops"] * (VALIDATION_REMOVALS + wander(rng, len(tl), 0.01))
    growth = np.diff(frame["waiting"], prepend=frame["waiting"][0])
    return {"clock_starts": counts(frame["clock_stops"] + removed + growth),
            **{name: monthly_activity(rng, tl, share, thousands)
               for name, thousands in ADMITTED_AND_FIRST_THOUSANDS.items()}}


def referral_to_treatment(x: Extracts, rng, tl: Timeline, code: str, share: float) -> dict[str, np.ndarray]:
    """The RTT waiting list by weeks band and specialty, plus activity, for one trust."""
    n, edge = len(tl), EDGE.get(code, 0.0)
    waiting = counts(share * 1000 * tl.curve(RTT_LIST_THOUSANDS) * (1 + wander(rng, n, 0.015)))
    longer = {weeks: waiting * np.clip(tl.curve(shape) * (1 - 4 * edge) * (1 + wander(rng, n, 0.1)), 0, None)
              for weeks, shape in RTT_LONG_WAITS.items()}
    over = {104: counts(longer[104])}
    for weeks, shorter_than in ((78, 104), (65, 78), (52, 65)):
        over[weeks] = over[shorter_than] + counts(longer[weeks] - longer[shorter_than])
    within_18 = counts(waiting * np.minimum(tl.curve(RTT_WITHIN_18) + edge + wander(rng, n, 0.01),
                                            1 - over[52] / waiting - 0.02))
    bands = dict(zip(WEEKS_BANDS, [within_18, waiting - within_18 - over[52], over[52] - over[65],
                                   over[65] - over[78], over[78] - over[104], over[104]]))
    by_specialty = specialty_split(rng, bands)
    add_total_and_parts(x, "rtt_waiting_list", code, tl.periods, "weeks_band", as_values(bands))
    add_parts(x, "rtt_waiting_list", code, tl.periods, "treatment_function",
              as_values(add_frames(by_specialty.values())))
    add_total_and_parts(x, "rtt_52w", code, tl.periods, "treatment_function",
                        as_values(add_frames(list(by_specialty.values())[2:])))
    all_waits = add_frames(by_specialty.values())
    add_total_and_parts(x, "rtt_18w_pct", code, tl.periods, "treatment_function",
                        {name: {"numerator": by_specialty["0-18 weeks"][name], "denominator": all_waits[name]}
                         for name in SPECIALTY_MIX})
    # the same month of 2019/20, the timeline's first twelve months
    activity_2019 = counts(share * VALUE_WEIGHTED_2019_MONTH * tl.season(ELECTIVE_SEASON)[:12]
                           * (1 + rng.normal(0, 0.02, 12)))[tl.fy_month]
    waiting_list = {"waiting": waiting, "within_18": within_18, "over_18": waiting - within_18,
                    **{f"over_{weeks}": over[weeks] for weeks in (52, 65, 78, 104)}}
    return {
        **waiting_list,
        **waiting_statistics(waiting_list),
        "clock_stops": monthly_activity(rng, tl, share, CLOCK_STOPS_THOUSANDS),
        "follow_ups": monthly_activity(rng, tl, share, FOLLOW_UPS_THOUSANDS),
        "activity_2019": activity_2019,
        "activity": counts(activity_2019 * tl.curve(ACTIVITY_AGAINST_2019) * (1 + wander(rng, n, 0.025))),
    }


def specialty_split(rng, bands: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
    """Split each weeks band between specialties; long waits lean towards T&O, ENT and gynaecology."""
    base = rng.dirichlet(np.array(list(SPECIALTY_MIX.values())) * 80)
    return {band: split(rng, bands[band], dict(zip(SPECIALTY_MIX, base * LONG_WAIT_LEAN ** lean)))
            for band, lean in WEEKS_BANDS.items()}


def diagnostics(x: Extracts, rng, tl: Timeline, code: str, share: float):
    """DM01 waits and activity for the six main tests at one trust, with a row per test."""
    n = len(tl)
    waiting = counts(share * 1000 * tl.curve(DM01_LIST_THOUSANDS) * (1 + wander(rng, n, 0.03)))
    activity = monthly_activity(rng, tl, share, DM01_ACTIVITY_THOUSANDS)
    waiting_by_test = split(rng, waiting, DM01_WAITING_MIX)
    activity_by_test = split(rng, activity, DM01_ACTIVITY_MIX)
    within_6 = tl.curve(DM01_WITHIN_6) - 0.03 * tl.winter + EDGE.get(code, 0.0) + wander(rng, n, 0.015)
    add_total_and_parts(x, "dm01_6wk_pct", code, tl.periods, "diagnostic_test", {
        test: {"numerator": achieved(rng, waiting_by_test[test], within_6 + edge), "denominator": waiting_by_test[test]}
        for test, edge in DM01_TEST_EDGE.items()})
    add_total_and_parts(x, "dm01_waiting_list", code, tl.periods, "diagnostic_test", as_values(waiting_by_test))
    add_total_and_parts(x, "dm01_activity", code, tl.periods, "diagnostic_test", as_values(activity_by_test))


def split_rate(rng, within: np.ndarray, patients: np.ndarray,
               mix: dict[str, float]) -> dict[str, dict[str, np.ndarray]]:
    """Split a rate's ``within`` of ``patients`` between tumour sites: those within the standard and
    those beyond it each by ``mix``, leaning by TUMOUR_EDGE. The parts add up exactly and no site's
    numerator exceeds its denominator."""
    inside = split(rng, within, {site: w * (0.8 + TUMOUR_EDGE[site]) for site, w in mix.items()})
    outside = split(rng, patients - within, {site: w * (0.2 - TUMOUR_EDGE[site]) for site, w in mix.items()})
    return {site: {"numerator": inside[site], "denominator": inside[site] + outside[site]} for site in mix}


def cancer_standard(x: Extracts, rng, by_site_rng, tl: Timeline, metric: str, code: str, share: float,
                    standard: CancerStandard):
    """One cancer waiting-times standard at one trust, by tumour site where it has a tumour mix
    (drawn with the total) or a later mix (split from the drawn total with ``by_site_rng``)."""
    n = len(tl)
    patients = counts(share * standard.patients * tl.covid * tl.season(ELECTIVE_SEASON) * (1 + wander(rng, n, 0.04)))
    met = tl.curve(standard.met) + EDGE.get(code, 0.0) + wander(rng, n, 0.02)
    if standard.tumour_mix is None:
        within = achieved(rng, patients, met)
        if standard.later_mix is None:
            x.add_series(metric, code, tl.periods, numerator=within, denominator=patients)
        else:
            add_total_and_parts(x, metric, code, tl.periods, "tumour_site",
                                split_rate(by_site_rng, within, patients, TUMOUR_MIX[standard.later_mix]))
        return
    by_site = split(rng, patients, TUMOUR_MIX[standard.tumour_mix])
    add_total_and_parts(x, metric, code, tl.periods, "tumour_site", {
        site: {"numerator": achieved(rng, by_site[site], met + edge), "denominator": by_site[site]}
        for site, edge in TUMOUR_EDGE.items() if site in by_site})


def cancer_long_waits(x: Extracts, rng, by_site_rng, tl: Timeline, code: str, share: float):
    """The 62-day backlog and 104-day waiters at one trust by tumour site; the 104-day waiters are
    split from their drawn total with ``by_site_rng``, as they were drawn before they were split."""
    n = len(tl)
    backlog = counts(share * tl.curve(CANCER_BACKLOG) * (1 + wander(rng, n, 0.08)))
    add_total_and_parts(x, "cancer_62d_backlog", code, tl.periods, "tumour_site",
                        as_values(split(rng, backlog, TUMOUR_MIX["backlog"])))
    over_104 = counts(share * tl.curve(CANCER_OVER_104_DAYS) * (1 + wander(rng, n, 0.15)))
    add_total_and_parts(x, "cancer_104d_waiters", code, tl.periods, "tumour_site",
                        as_values(split(by_site_rng, over_104, TUMOUR_MIX["backlog"])))


# --- finance ------------------------------------------------------------------------------------

FINANCE_FIRST_MONTH = "2022-04"
FINANCE_BODY_TYPES = ("commissioner", "acute", "mental_health", "community")
INCOME_2022_23 = {"QYG": 6200, "REM": 1350, "RBL": 520, "RBN": 760, "RWW": 420, "RJR": 340, "RBT": 400,
                  "RJN": 190, "RW4": 830, "RXA": 260, "RY2": 110, "RY7": 95}  # £m a year
PAY_SHARE = {"commissioner": 0.012, "acute": 0.62, "mental_health": 0.72, "community": 0.70}
BANK_SHARE = {"commissioner": 0.0, "acute": 0.065, "mental_health": 0.08, "community": 0.05}  # of the pay bill
NON_OPERATING_SHARE = 0.012  # trusts' PDC dividend, depreciation and interest, as a share of income
PLANNED_MARGIN = {2022: -0.004, 2023: -0.012, 2024: -0.015, 2025: -0.008, 2026: -0.004}  # trusts, by FY
EFFICIENCY_PLAN = {"commissioner": (0.01, 0.004), "trust": (0.028, 0.012)}  # share of spend: recurrent, non-recurrent
AGENCY_SHARE = {"2022-04": 0.055, "2023-04": 0.048, "2024-04": 0.038, "2025-04": 0.032, "2026-10": 0.029}
AGENCY_EDGE = {"REM": 0.009, "RBN": 0.006, "RJN": 0.004, "QYG": -0.02}  # above (or below) the system's share
EFFICIENCY_DELIVERY = {"2022-04": 0.72, "2024-04": 0.8, "2026-10": 0.88}
SCHEME_CATEGORIES = {
    "commissioner": {"Continuing healthcare": 0.3, "Medicines optimisation": 0.35, "Contracts and procurement": 0.25,
                     "Corporate and running costs": 0.1},
    "trust": {"Workforce": 0.35, "Clinical productivity": 0.25, "Medicines optimisation": 0.1,
              "Contracts and procurement": 0.15, "Estates and facilities": 0.1, "Corporate and running costs": 0.05},
}
NON_PAY_LINES = {
    "commissioner": {"Drugs": 0.12, "Premises": 0.01, "Healthcare purchased": 0.85, "Other": 0.02},
    "acute": {"Drugs": 0.25, "Clinical supplies": 0.25, "Premises": 0.15, "Healthcare purchased": 0.1,
              "Other": 0.25},
    "other": {"Drugs": 0.05, "Clinical supplies": 0.1, "Premises": 0.25, "Healthcare purchased": 0.3,
              "Other": 0.3},
}
CAPITAL_PHASING = normalise(np.arange(1, 13) ** 1.6 * np.r_[np.ones(11), 2.2])  # April … March, year-end rush
FORECAST_FROM_MONTH = 2  # forecast outturn and risk are reported from month 3 (fy_month 2)
MENTAL_HEALTH_SHARE = 0.075  # of the ICB's income spent on mental health
ALLOCATION_GROWTH = {2022: 5.3, 2023: 5.6, 2024: 4.3, 2025: 4.8, 2026: 4.5}  # %; the MHIS targets in finance.yaml
MENTAL_HEALTH_GROWTH_MARGIN = {2022: 0.4, 2023: 0.2, 2024: -0.3, 2025: 0.3, 2026: 0.2}  # percentage points
RUNNING_COSTS = {"allowance": 0.0095, "spent": {2022: 0.975, 2023: 0.99, 2024: 1.012, 2025: 0.985, 2026: 0.98}}
FINANCE_FIGURES = {
    "fin_income": "income",
    "fin_pay": "pay",
    "fin_non_pay": "non_pay",
    "fin_non_operating": "non_operating",
    "fin_surplus_deficit": "surplus",
    "fin_efficiency_recurrent": "efficiency_recurrent",
    "fin_efficiency_non_recurrent": "efficiency_non_recurrent",
    "fin_capital_spend": "capital",
    "fin_substantive_spend": "substantive",
    "fin_bank_spend": "bank",
    "fin_agency_spend": "agency",
    "fin_agency_pct_pay": ("agency", "pay_bill"),
    "fin_running_costs_pct": ("running_costs", "running_cost_allowance"),
}
SYSTEM_TOTALS = ("fin_income", "fin_pay", "fin_non_pay", "fin_non_operating", "fin_surplus_deficit")


def finance_sample(x: Extracts, orgs: Organisations, last: pd.Period, rng: np.random.Generator):
    """In-month £000s: actuals to ``last``, the plan for every month of each financial year, and a
    forecast for the rest of the current year; forecast outturn, risk and the underlying position
    as reported each month; the system's own rows for the income and expenditure lines."""
    year_end = pd.Period(year=last.year + (last.month >= 4), month=3, freq="M")
    tl = Timeline(FINANCE_FIRST_MONTH, year_end)
    to_date = tl.periods <= last
    this_year = to_date & (tl.fy_start == tl.fy_start[to_date][-1])
    for code in orgs.of_type(*FINANCE_BODY_TYPES):
        kind = orgs.kind(code)
        trust = "commissioner" if kind == "commissioner" else "trust"
        plan = settle(finance_plan(rng, tl, code, kind))
        actual = settle(finance_actual(rng, tl, plan, kind))
        forecast = settle({key: plan[key] + (actual[key] - plan[key])[this_year].mean() for key in plan})
        for series, ledger, months in (("actual", actual, to_date), ("plan", plan, np.ones(len(tl), dtype=bool)),
                                       ("forecast", forecast, ~to_date)):
            write_figures(x, code, tl.periods[months], {k: v[months] for k, v in ledger.items()},
                          FINANCE_FIGURES, series=series)
        for series, ledger, months in (("actual", actual, to_date), ("plan", plan, np.ones(len(tl), dtype=bool))):
            for metric in ("fin_efficiency_recurrent", "fin_efficiency_non_recurrent"):
                add_parts(x, metric, code, tl.periods[months], "scheme_category", as_values(split_money(
                    ledger[FINANCE_FIGURES[metric]][months], SCHEME_CATEGORIES[trust])), series=series)
        lines = NON_PAY_LINES.get(kind, NON_PAY_LINES["other"])
        add_parts(x, "fin_non_pay", code, tl.periods[to_date], "expenditure_line",
                  as_values(split_money(actual["non_pay"][to_date], lines)))
        outlook(x, rng, tl, code, plan, actual, to_date)
    x.add_totals(SYSTEM_TOTALS, orgs.system)


def outlook(x: Extracts, rng, tl: Timeline, code: str, plan: dict[str, np.ndarray], actual: dict[str, np.ndarray],
            to_date: np.ndarray):
    """Figures each month-end report gives for the whole year: the forecast outturn (year to date,
    then the plan for the remaining months adjusted by the average variance so far), the
    unmitigated risk to it, and the underlying (recurrent) position."""
    surplus_plan, surplus = plan["surplus"], actual["surplus"]
    year_plan = np.array([surplus_plan[tl.fy_start == year].sum() for year in tl.fy_start])
    outturn = np.zeros(len(tl))
    for i in np.flatnonzero(to_date):
        year = tl.fy_start == tl.fy_start[i]
        done = year & (np.arange(len(tl)) <= i)
        to_come = year & (np.arange(len(tl)) > i)
        outturn[i] = surplus[done].sum() + (surplus_plan[to_come] + (surplus - surplus_plan)[done].mean()).sum()
    one_off = np.array([plan["efficiency_non_recurrent"][tl.fy_start == year].sum() for year in tl.fy_start])
    reported = to_date & (tl.fy_month >= FORECAST_FROM_MONTH)
    periods = tl.periods[reported]
    x.add_series("fin_forecast_outturn", code, periods, value=np.round(outturn[reported], 1))
    x.add_series("fin_forecast_outturn", code, tl.periods, value=np.round(year_plan, 1), series="plan")
    risk = np.abs(plan["income"]) * 12 * 0.006 * (1 - tl.fy_month / 12) * (1 + wander(rng, len(tl), 0.2))
    x.add_series("fin_fot_risk", code, periods, value=np.round(risk[reported], 1))
    underlying = outturn - one_off - np.abs(plan["income"]) * 12 * 0.004
    x.add_series("fin_underlying_position", code, periods, value=np.round(underlying[reported], 1))
    x.add_series("fin_underlying_position", code, tl.periods, value=np.round(year_plan - one_off, 1), series="plan")
    if "mental_health_spend" in plan:  # the ICB: the Mental Health Investment Standard
        base = np.array([plan["income"][tl.fy_start == year - 1].sum() * MENTAL_HEALTH_SHARE
                         if (tl.fy_start == year - 1).any() else np.nan for year in tl.fy_start])
        growth = np.array([ALLOCATION_GROWTH[year] + MENTAL_HEALTH_GROWTH_MARGIN[year] for year in tl.fy_start])
        growth = growth + wander(rng, len(tl), 0.08)
        keep = to_date & ~np.isnan(base)
        x.add_series("fin_mhis_growth_pct", code, tl.periods[keep], numerator=np.round(base * growth / 100, 1)[keep],
                     denominator=np.round(base, 1)[keep])


def finance_plan(rng, tl: Timeline, code: str, kind: str) -> dict[str, np.ndarray]:
    income = INCOME_2022_23.get(code, 100) * 1000 / 12 * 1.055 ** (tl.fy_start - 2022) * tl.season({3: 1.03})
    pay = -income * PAY_SHARE[kind]
    trust = kind != "commissioner"
    own_margin = {year: rng.normal(0, 0.004) for year in PLANNED_MARGIN}  # each body plans its own position
    margin = np.array([PLANNED_MARGIN.get(year, 0.0) + own_margin.get(year, 0.0) for year in tl.fy_start]) * trust
    spend = income - income * margin  # a month's spend
    back_loaded = (tl.fy_month + 4) / 9.5  # April 0.42 … March 1.58 of an even month
    recurrent, non_recurrent = EFFICIENCY_PLAN["trust" if trust else "commissioner"]
    non_operating = -income * NON_OPERATING_SHARE * trust
    plan = {
        "income": income,
        "pay": pay,
        "non_pay": income * margin - income - pay - non_operating,
        "efficiency_recurrent": spend * recurrent * back_loaded,
        "efficiency_non_recurrent": spend * non_recurrent * back_loaded,
        "agency": -pay * (tl.curve(AGENCY_SHARE) + AGENCY_EDGE.get(code, 0.0) - 0.004),
        "bank": -pay * BANK_SHARE[kind],
    }
    if trust:  # the ICB has no non-operating items, and holds no capital allocation of its own in this sample
        plan["non_operating"] = non_operating
        plan["capital"] = income * 12 * 0.045 * CAPITAL_PHASING[tl.fy_month]
    else:
        plan["running_cost_allowance"] = plan["running_costs"] = income * RUNNING_COSTS["allowance"]
        plan["mental_health_spend"] = income * MENTAL_HEALTH_SHARE
    return plan


def finance_actual(rng, tl: Timeline, plan: dict[str, np.ndarray], kind: str) -> dict[str, np.ndarray]:
    n = len(tl)
    shortfall = 0.001 if kind == "commissioner" else 0.003
    income = plan["income"] * (1 + wander(rng, n, 0.008))
    pay = plan["pay"] * (1 + 0.006 + wander(rng, n, 0.006))
    planned_surplus = plan["income"] + plan["pay"] + plan["non_pay"] + plan.get("non_operating", 0)
    surplus = planned_surplus + plan["income"] * (-shortfall + wander(rng, n, shortfall, persistence=0.3))
    non_operating = plan.get("non_operating", np.zeros(n)) * (1 + wander(rng, n, 0.03))
    actual = {
        "income": income,
        "pay": pay,
        "non_pay": surplus - income - pay - non_operating,
        "efficiency_recurrent": plan["efficiency_recurrent"] * tl.curve(EFFICIENCY_DELIVERY)
        * (1 + wander(rng, n, 0.1)),
        "efficiency_non_recurrent": plan["efficiency_non_recurrent"] * 1.15 * (1 + wander(rng, n, 0.15)),
        "agency": plan["agency"] * (1 + 0.004 / tl.curve(AGENCY_SHARE)) + -pay * wander(rng, n, 0.003),
        "bank": -pay * BANK_SHARE[kind] * (1 + wander(rng, n, 0.08)),
    }
    if "non_operating" in plan:
        actual["non_operating"] = non_operating
    if "capital" in plan:
        actual["capital"] = plan["capital"] * (0.8 + 0.5 * (tl.months == 3)) * (1 + wander(rng, n, 0.15))
    if "running_costs" in plan:
        spent = np.array([RUNNING_COSTS["spent"][year] for year in tl.fy_start])
        actual["running_costs"] = plan["running_cost_allowance"] * spent * (1 + wander(rng, n, 0.01))
        actual["running_cost_allowance"] = plan["running_cost_allowance"]
        actual["mental_health_spend"] = plan["mental_health_spend"]
    return actual


def settle(ledger: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Round to £100s (one decimal place of £000s); the surplus is exactly income + pay + non-pay +
    non-operating items, and substantive + bank + agency staff make up the pay bill exactly."""
    rounded = {key: np.round(values, 1) for key, values in ledger.items()}
    rounded["surplus"] = np.round(rounded["income"] + rounded["pay"] + rounded["non_pay"]
                                  + rounded.get("non_operating", 0), 1)
    rounded["pay_bill"] = -rounded["pay"]
    rounded["substantive"] = np.round(rounded["pay_bill"] - rounded["bank"] - rounded["agency"], 1)
    return rounded


# --- social value -------------------------------------------------------------------------------

SOCIAL_VALUE_TRUST = "RY7"
SOCIAL_VALUE_FIRST_MONTH = "2021-04"
# Share of WCHC supply-chain spend with firms in each of its four local places.
LOCAL_SPEND = {
    "Wirral": {"2021-04": 0.105, "2022-09": 0.1188, "2024-04": 0.13, "2026-10": 0.142},
    "Cheshire East": {"2021-04": 0.0045, "2022-09": 0.0054, "2026-10": 0.009},
    "Knowsley": {"2021-04": 0.003, "2022-09": 0.0036, "2026-10": 0.006},
    "St Helens": {"2021-04": 0.0025, "2022-09": 0.0031, "2026-10": 0.005},
}
OTHER_PLACE_SPEND = {"Liverpool": 0.05, "Cheshire West and Chester": 0.012, "Sefton": 0.004, "Halton": 0.003,
                     "Warrington": 0.006}  # C&M places outside WCHC's own, as a share of all spend
OUTSIDE = "Outside Cheshire and Merseyside"
DISABILITY_WTE = {"2022-03": 0.0409, "2023-03": 0.0476, "2024-03": 0.0505, "2026-03": 0.054}
PROVENANCE = {("sv_disability_wte_pct", "2022-03"): "from 2021 Annual Report",
              ("sv_disability_wte_pct", "2023-03"): "from 2022 report"}
SV_WEIGHTING = {"2021-04": 10.0, "2023-04": 11.5, "2024-04": 14.0, "2026-10": 17.5}  # average % in evaluations
MENTORING = {2021: 54, 2022: 48, 2023: 61, 2024: 66, 2025: 70}  # reciprocal mentoring sessions, by cohort year
LOCAL_STAFF_SHARE = {"2022-03": 0.78, "2026-03": 0.81}
IMD_DECILES = ["1 (most deprived)", *map(str, range(2, 10)), "10 (least deprived)"]
# staff, and the population of the four places WCHC serves, by deprivation decile, ethnicity and disability
REPRESENTATION = {
    "imd_decile": {
        "staff": dict(zip(IMD_DECILES, [0.13, 0.1, 0.09, 0.09, 0.1, 0.1, 0.1, 0.1, 0.1, 0.09])),
        "population": dict(zip(IMD_DECILES, [0.2, 0.12, 0.09, 0.08, 0.08, 0.09, 0.09, 0.09, 0.08, 0.08])),
    },
    "ethnicity": {
        "staff": {"White": 0.935, "Asian": 0.025, "Black": 0.012, "Mixed": 0.013, "Other": 0.005, "Not stated": 0.01},
        "population": {"White": 0.945, "Asian": 0.02, "Black": 0.008, "Mixed": 0.017, "Other": 0.005,
                       "Not stated": 0.005},
    },
    "disability": {
        "staff": {"Disabled": 0.052, "Not disabled": 0.828, "Not declared": 0.12},
        "population": {"Disabled": 0.21, "Not disabled": 0.79, "Not declared": 0.0},
    },
}
POPULATION_SERVED = 700_000  # Wirral, Cheshire East, Knowsley and St Helens together, roughly
FLU_UPTAKE = {"2022-03": 0.72, "2023-03": 0.61, "2024-03": 0.55, "2025-03": 0.57, "2026-03": 0.6}
SCHOOL_TERMS = {4: 0.7, 7: 0.5, 8: 0.05, 12: 0.5}
SOCIAL_VALUE_GAPS = {"sv_waste_tonnes": 2, "sv_carbon_tco2e": 1, "sv_careers_sessions": 1}
SOCIAL_VALUE_FIGURES = {
    "sv_contracts_sv_weighting_pct": ("contracts_weighted", "contracts"),
    "sv_contract_sv_weighting_avg": ("weighting_points", "contracts"),
    "sv_work_placements": "placements",
    "sv_volunteer_placements": "volunteers",
    "sv_careers_sessions": "careers_sessions",
    "sv_apprentices_on_programme": "apprentices",
    "sv_apprenticeship_completions": "completions",
    "sv_crisis_response_2hr": "crisis_response",
    "sv_carbon_tco2e": "carbon",
    "sv_waste_tonnes": "waste",
    "sv_water_m3": "water",
    "sv_community_engagement": "engagement",
    "sv_vcf_resources": "vcf",
}
ANNUAL_FIGURES = {
    "sv_disability_wte_pct": ("disabled_wte", "wte"),
    "sv_flu_vaccination_pct": ("vaccinated", "frontline_staff"),
    "sv_local_employees_pct": ("local_staff", "headcount"),
}


def social_value_sample(x: Extracts, orgs: Organisations, last: pd.Period, rng: np.random.Generator):
    """WCHC's social value measures, monthly from April 2021; annual measures in March."""
    tl = Timeline(SOCIAL_VALUE_FIRST_MONTH, last)
    trust, n = SOCIAL_VALUE_TRUST, len(tl)
    for metric, k in SOCIAL_VALUE_GAPS.items():
        x.leave_gaps(rng, metric, trust, tl.periods, k)
    supply_chain_spend(x, rng, tl, orgs.place_names)
    contracts = rng.poisson(0.9, n)
    greener = tl.curve({"2021-04": 1.03, "2022-04": 1.0, "2026-10": 0.88}) * (1 + wander(rng, n, 0.04))
    monthly = {
        "contracts": contracts,
        "contracts_weighted": achieved(rng, contracts, tl.curve({"2021-04": 0.55, "2026-10": 0.8})),
        "weighting_points": np.round(contracts * tl.curve(SV_WEIGHTING) * (1 + wander(rng, n, 0.05)), 1),
        "careers_sessions": rng.poisson(2.6 * tl.season(SCHOOL_TERMS)),
        "apprentices": counts(tl.curve({"2021-04": 18, "2022-09": 21, "2024-04": 32, "2026-10": 40})
                              + wander(rng, n, 1.5)),
        "completions": rng.poisson(tl.curve({"2021-04": 1.0, "2023-04": 1.6, "2026-10": 2.4})),
        "crisis_response": counts(tl.curve({"2021-04": 30, "2022-02": 58, "2022-07": 145, "2023-06": 165,
                                            "2026-10": 190}) * (1 + 0.08 * tl.winter) * (1 + wander(rng, n, 0.06))),
        "carbon": counts(125 * (1 + 0.35 * tl.winter) * greener),
        "waste": counts(21 * greener * (1 + wander(rng, n, 0.05))),
        "water": counts(1450 * greener * (1 + wander(rng, n, 0.05))),
        "engagement": rng.poisson(tl.curve({"2021-04": 3, "2023-04": 6, "2026-10": 8})),
        "vcf": np.round(tl.curve({"2021-04": 1.2, "2026-10": 3.5}) * (1 + wander(rng, n, 0.2)), 2),
        "placements": rng.poisson(tl.curve({"2021-04": 2, "2023-04": 5, "2026-10": 9}) * tl.season(SCHOOL_TERMS)),
        "volunteers": counts(tl.curve({"2021-04": 12, "2022-09": 30, "2026-10": 55}) + wander(rng, n, 2)),
    }
    write_figures(x, trust, tl.periods, monthly, SOCIAL_VALUE_FIGURES)
    march = tl.months == 3
    wte = np.round(1400 * tl.curve({"2021-04": 1.0, "2026-10": 1.08}), 2)
    headcount = counts(1650 * tl.curve({"2021-04": 1.0, "2026-10": 1.08}))
    frontline = counts(1580 * tl.curve({"2021-04": 1.0, "2026-10": 1.06}))
    annual = {
        "wte": wte,
        "disabled_wte": np.round(wte * tl.curve(DISABILITY_WTE), 2),
        "frontline_staff": frontline,
        "vaccinated": achieved(rng, frontline, tl.curve(FLU_UPTAKE)),
        "headcount": headcount,
        "local_staff": achieved(rng, headcount, tl.curve(LOCAL_STAFF_SHARE)),
    }
    for i in np.flatnonzero(march):
        for metric, spec in ANNUAL_FIGURES.items():
            figures = columns(spec, {k: v[i:i + 1] for k, v in annual.items()})
            x.add(metric, tl.periods[i], trust, numerator=figures["numerator"][0], denominator=figures["denominator"][0],
                  note=PROVENANCE.get((metric, str(tl.periods[i])), ""))
    for i in np.flatnonzero(march):
        cohort = tl.fy_start[i]
        if cohort in MENTORING:  # each cohort's sessions, counted at its end: pairs × sessions, an estimate
            x.add("sv_mentoring_sessions", tl.periods[i], trust, value=MENTORING[cohort], status="estimate",
                  note=f"est. {MENTORING[cohort] // 6} pairs x 6 sessions")
    workforce_and_population(x, rng, tl, headcount)


def supply_chain_spend(x: Extracts, rng, tl: Timeline, places: list[str]):
    """Supply-chain spend (£000) by the place of the supplier's postcode: every place of the system,
    and the rest of the country; the total row is their sum."""
    n = len(tl)
    total = np.round(1800 * (1 + wander(rng, n, 0.08)), 1)
    shares = {place: tl.curve(LOCAL_SPEND[place]) for place in places if place in LOCAL_SPEND}
    shares |= {place: np.full(n, OTHER_PLACE_SPEND[place]) for place in places if place in OTHER_PLACE_SPEND}
    by_place = {place: np.round(total * share * (1 + wander(rng, n, 0.05)), 1) for place, share in shares.items()}
    by_place[OUTSIDE] = np.round(total - sum(by_place.values()), 1)
    add_total_and_parts(x, "sv_supply_chain_spend", SOCIAL_VALUE_TRUST, tl.periods, "supplier_place",
                        as_values(by_place))


def workforce_and_population(x: Extracts, rng, tl: Timeline, headcount: np.ndarray):
    """Staff by deprivation decile of home postcode, ethnicity and disability each March, and the
    population of the places served by the same breakdowns (census-based, the same every year)."""
    march = np.flatnonzero(tl.months == 3)
    periods = tl.periods[march]
    staff = headcount[march]
    x.add_series("sv_staff_headcount", SOCIAL_VALUE_TRUST, periods, value=staff)
    x.add_series("sv_population_served", SOCIAL_VALUE_TRUST, periods, value=np.full(len(march), POPULATION_SERVED))
    for dimension, groups in REPRESENTATION.items():
        add_parts(x, "sv_staff_headcount", SOCIAL_VALUE_TRUST, periods, dimension,
                  {k: {"value": v} for k, v in split(rng, staff, groups["staff"]).items()})
        population = {k: {"value": np.full(len(march), round(POPULATION_SERVED * w))}
                      for k, w in groups["population"].items() if w > 0}
        add_parts(x, "sv_population_served", SOCIAL_VALUE_TRUST, periods, dimension, population)


# --- command line -------------------------------------------------------------------------------

PORTFOLIO_SAMPLES = (uec_sample, elective_sample, finance_sample, social_value_sample)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "sample_data", help="folder to write the CSVs to")
    parser.add_argument("--to", default="2026-10", help="the latest month of actuals, YYYY-MM")
    parser.add_argument("--config", type=Path, default=ROOT / "config", help="the config folder to read")
    args = parser.parse_args(argv)

    last = pd.Period(args.to, freq="M")
    routes, drills = read_portfolios(args.config / "portfolios")
    orgs = Organisations(args.config / "organisations.yaml")
    extracts = Extracts(routes, drills, last, orgs.successors)
    for make, rng in zip(PORTFOLIO_SAMPLES, np.random.default_rng(SEED).spawn(len(PORTFOLIO_SAMPLES))):
        make(extracts, orgs, last, rng)
    extracts.add_cross("rtt_waiting_list", "treatment_function", "weeks_band")
    for name, rows in extracts.write(args.out).items():
        print(f"{args.out / name}: {rows} rows")
    print(f"{write_attendances_sample(args.out, args.to, args.config)}: patient-level A&E attendances")
    for metric in extracts.unwritten():
        print(f"warning: no sample rows for metric {metric} (no generator for it)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
