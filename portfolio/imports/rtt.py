"""NHS England's consultant-led Referral to Treatment "Full CSV data file" (one month; one row per
provider × commissioner × part × treatment function, with 105 weekly bands).

Figures are added up across commissioners for each provider, and across providers for each
commissioning ICB (rows whose commissioner has no parent, the commissioning hubs, count for their
provider only). ``C_999`` is the total of the treatment functions: it gives the totals, and the
other functions give the ``treatment_function`` breakdown, so nothing is counted twice.

- ``rtt_waiting_list``: incomplete pathways (Part 2), by treatment function and by weeks band;
- ``rtt_18w_pct``: incomplete pathways within 18 weeks over those with a known clock start;
- ``rtt_52w``, ``rtt_65w``, ``rtt_78w``, ``rtt_104w``: incomplete pathways over that many weeks;
- ``rtt_median_wait``, ``rtt_92nd_centile_wait``: weeks, read off the weekly bands (a provider's
  or ICB's own, never added up);
- ``rtt_clock_stops_admitted`` (Part 1A), ``rtt_clock_stops_non_admitted`` (Part 1B),
  ``rtt_clock_starts`` (Part 3, new RTT periods).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from portfolio.imports.published import Imported, Table, UnknownLayout, month_from_words, number

BAND = re.compile(r"^Gt (\d+) (?:To (\d+) )?Weeks SUM 1$")
TOTAL_FUNCTION = "C_999"
WEEKS_BANDS = {"0-18 weeks": (0, 18), "18-52 weeks": (18, 52), "52-65 weeks": (52, 65), "65-78 weeks": (65, 78),
               "78-104 weeks": (78, 104), "104+ weeks": (104, 10_000)}
OVER = {"rtt_52w": 52, "rtt_65w": 65, "rtt_78w": 78, "rtt_104w": 104}
PARTS = {"Part_1A": "rtt_clock_stops_admitted", "Part_1B": "rtt_clock_stops_non_admitted", "Part_3": "rtt_clock_starts"}


PROVIDER_BAND = re.compile(r"^>(\d+)-(\d+)$")


def recognises(table: Table) -> bool:
    return {"RTT Part Type", "Treatment Function Code", "Total All"} <= set(table.header) or \
        {"Provider Code", "Treatment Function Code", "Total number of incomplete pathways"} <= set(table.header)


def read(table: Table, into: Imported) -> str:
    if "Total number of incomplete pathways" in table.header:
        return _provider_incomplete(table, into)
    return _full_extract(table, into)


def _provider_incomplete(table: Table, into: Imported) -> str:
    """The published "Incomplete Provider" sheet saved as CSV: one row per provider × function, the
    month only in the file name; its own totals and percentages are left for checking."""
    period = month_from_words(table.path.stem)
    if period is None:
        raise UnknownLayout("the incomplete-pathways sheet has no month in it; keep the month in the file name "
                            "(Incomplete-Provider-Mar25)")
    bands = [(name, int(m.group(1))) for name in table.header if (m := PROVIDER_BAND.match(name))]
    bands.append(("104 plus", 104))
    starts = np.array([low for _, low in bands])
    for row in table.rows:
        counts = np.array([number(row.get(name)) for name, _ in bands], dtype="float64")  # None → nan
        if row.get("Provider Code", "").strip() == "" or np.isnan(counts).all():
            continue
        _add(into, period, row["Provider Code"].strip(), "Part_2", row["Treatment Function Code"].strip(),
             row["Treatment Function"].strip(), counts, starts, number(row["Total number of incomplete pathways"]))
    return period


def _full_extract(table: Table, into: Imported) -> str:
    frame = pd.DataFrame(table.cells, columns=table.header)
    period = month_from_words(frame["Period"].iloc[0]) if len(frame) else None
    if period is None:
        raise UnknownLayout("no month in its Period column (expected such as RTT-April-2026)")
    bands = [(name, int(m.group(1))) for name in table.header if (m := BAND.match(name))]
    band_names = [name for name, _ in bands]
    starts = np.array([low for _, low in bands])
    numbers = frame[band_names + ["Total All"]].apply(lambda c: pd.to_numeric(
        c.str.replace(",", "").str.strip().replace({"": None, "-": "0"}), errors="coerce"))
    keys = ["RTT Part Type", "Treatment Function Code", "Treatment Function Name"]
    frame = pd.concat([frame[["Provider Org Code", "Commissioner Parent Org Code", *keys]].apply(lambda c: c.str.strip()),
                       numbers], axis=1)
    for owner in ("Provider Org Code", "Commissioner Parent Org Code"):
        summed = frame[frame[owner] != ""].groupby([owner, *keys], as_index=False).sum(min_count=1, numeric_only=True)
        counts = summed[band_names].to_numpy(dtype="float64")
        for i, (org, part, function, name, total_all) in enumerate(
                summed[[owner, *keys, "Total All"]].itertuples(index=False, name=None)):
            _add(into, period, org, part, function, name, counts[i], starts, total_all)
    return period


def _add(into: Imported, period: str, org: str, part: str, function: str, name: str, counts: np.ndarray,
         starts: np.ndarray, total_all: float | None):
    """One owner's (a provider's or a commissioning ICB's) row of one part and treatment function:
    ``counts`` by weekly band, each band starting at ``starts`` weeks."""
    total = function == TOTAL_FUNCTION
    breakdown, member = ("", "") if total else ("treatment_function", name)
    if part in PARTS:
        into.add(PARTS[part], period, org, value=total_all, breakdown=breakdown, member=member)
        return
    if part != "Part_2":
        return
    known = np.nansum(counts)
    into.add("rtt_waiting_list", period, org, value=total_all, breakdown=breakdown, member=member)
    if known:
        into.add("rtt_18w_pct", period, org, numerator=float(np.nansum(counts[starts < 18])), denominator=float(known),
                 breakdown=breakdown, member=member)
    for metric, weeks in OVER.items():
        into.add(metric, period, org, value=float(np.nansum(counts[starts >= weeks])), breakdown=breakdown, member=member)
    if total:
        for band, (low, high) in WEEKS_BANDS.items():
            into.add("rtt_waiting_list", period, org, value=float(np.nansum(counts[(starts >= low) & (starts < high)])),
                     breakdown="weeks_band", member=band)
        if known:
            into.add("rtt_median_wait", period, org, value=centile(counts, starts, 0.5))
            into.add("rtt_92nd_centile_wait", period, org, value=centile(counts, starts, 0.92))


def centile(counts: np.ndarray, starts: np.ndarray, share: float) -> float:
    """Weeks waited at ``share`` of the list, read off weekly bands by straight-line interpolation
    within the band it falls in (NHS England's method for its published medians)."""
    counts = np.nan_to_num(counts)
    cumulative = np.cumsum(counts)
    target = share * cumulative[-1]
    band = int(np.searchsorted(cumulative, target))
    before = cumulative[band - 1] if band else 0.0
    within = (target - before) / counts[band] if counts[band] else 0.0
    return round(float(starts[band] + within), 2)
