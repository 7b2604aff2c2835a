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

import duckdb
import numpy as np

from portfolio.data.imports.published import Imported, Table, UnknownLayout, month_from_words, number

BAND = re.compile(r"^Gt (\d+) (?:To (\d+) )?Weeks SUM 1$")
TOTAL_FUNCTION = "C_999"
WEEKS_BANDS = {"0-18 weeks": (0, 18), "18-52 weeks": (18, 52), "52-65 weeks": (52, 65), "65-78 weeks": (65, 78),
               "78-104 weeks": (78, 104), "104+ weeks": (104, 10_000)}
OVER = {"rtt_52w": 52, "rtt_65w": 65, "rtt_78w": 78, "rtt_104w": 104}
TEXT = {"Period": "period", "Provider Org Code": "provider", "Commissioner Parent Org Code": "commissioner",
        "RTT Part Type": "part", "Treatment Function Code": "function", "Treatment Function Name": "name"}
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
        if row.get("Provider Code", "").strip() == "":
            continue
        # this sheet writes "-" for none, so a blank (or infinite) band is unknown: nan
        counts = np.array([number(row.get(name)) for name, _ in bands], dtype="float64")
        _add(into, period, row["Provider Code"].strip(), "Part_2", row["Treatment Function Code"].strip(),
             row.get("Treatment Function", "").strip(), counts, starts, number(row["Total number of incomplete pathways"]))
    return period


def _full_extract(table: Table, into: Imported) -> str:
    """The full extract (about 180,000 rows × 121 columns at national size) is read and summed by
    DuckDB, once for providers and once for commissioning ICBs; Python sees only the sums."""
    position = {name: i for i, name in enumerate(table.header)}
    bands = [(name, int(m.group(1))) for name in table.header if (m := BAND.match(name))]
    starts = np.array([low for _, low in bands])
    column = [f"c{i}" for i in range(len(table.header))]
    numbers = [position[name] for name, _ in bands] + [position["Total All"]]
    text = ", ".join(f"trim({column[position[name]]}) AS {alias}" for name, alias in TEXT.items())
    # a row without its Total All was cut short (or left blank): its owner's sums cannot be known, so
    # they are NaN, left out like any figure that is not a finite number
    whole = f"COUNT(n{len(numbers) - 1}) = COUNT(*)"
    sums = ", ".join(f"CASE WHEN {whole} THEN SUM(n{i}) ELSE 'NaN'::DOUBLE END" for i in range(len(numbers)))
    read = ("FROM read_csv(?, header = false, skip = 1, columns = {columns}, auto_detect = false, null_padding = true, "
            "encoding = ?, quote = '\"', delim = ',')")
    parameters = [str(table.path), "utf-8" if table.encoding == "utf-8" else "latin-1"]
    with duckdb.connect() as connection:
        try:  # the published files hold plain digits: DuckDB reads them as numbers itself, twice as fast
            plain = {name: "DOUBLE" if i in numbers else "VARCHAR" for i, name in enumerate(column)}
            figures = ", ".join(f"{column[i]} AS n{n}" for n, i in enumerate(numbers))
            connection.execute(f"CREATE TEMP TABLE extract AS SELECT {text}, {figures} {read.format(columns=plain)}",
                               parameters)
        except duckdb.Error:  # "1,234" or "-" somewhere: every cell read as text and converted as ``number`` does
            as_text = {name: "VARCHAR" for name in column}
            figures = ", ".join(f"{_figure(column[i])} AS n{n}" for n, i in enumerate(numbers))
            try:
                connection.execute(f"CREATE TEMP TABLE extract AS SELECT {text}, {figures} "
                                   f"{read.format(columns=as_text)}", parameters)
            except duckdb.Error as error:
                raise UnknownLayout(f"is not a readable CSV file: {_csv_problem(error)}") from None
        first = connection.execute("SELECT period FROM extract LIMIT 1").fetchone()
        period = month_from_words(first[0]) if first else None
        if period is None:
            raise UnknownLayout("no month in its Period column (expected such as RTT-April-2026)")
        for owner in ("provider", "commissioner"):
            rows = connection.execute(f"""
                SELECT {owner}, part, function, name, {sums} FROM extract
                WHERE {owner} <> '' GROUP BY ALL ORDER BY ALL""").fetchall()
            for org, part, function, name, *counts in rows:
                # the extract leaves a band with nobody in it blank, so a band blank throughout holds none;
                # an infinite or not-a-number cell makes its sum so (DuckDB adds them up as IEEE does)
                bands = np.array([0.0 if count is None else count for count in counts[:-1]], dtype="float64")
                _add(into, period, org, part, function, name, bands, starts, counts[-1])
    return period


def _csv_problem(error: duckdb.Error) -> str:
    """DuckDB's long CSV error told in one line: where it is and what is wrong there."""
    text = str(error)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    reason = next((part.strip() for part in text.splitlines()
                   if part.strip().endswith(".") and not part.startswith(("Original Line", "*"))), "")
    where = f"line {line.group(1)}" if line else "a line"
    return f"{where}: {reason or 'it cannot be split into columns'} Fix that line and import the file again"


def _figure(column: str) -> str:
    """A published cell as a number in SQL, as ``number`` reads it: thousands commas dropped, "-"
    is 0, blank is missing. Most cells are still plain digits, so those are cast directly."""
    cleaned = f"replace(trim({column}), ',', '')"
    return (f"COALESCE(TRY_CAST({column} AS DOUBLE), "
            f"CASE WHEN {cleaned} = '-' THEN 0 ELSE TRY_CAST(NULLIF({cleaned}, '') AS DOUBLE) END)")


def _add(into: Imported, period: str, org: str, part: str, function: str, name: str, counts: np.ndarray,
         starts: np.ndarray, total_all: float | None):
    """One owner's (a provider's or a commissioning ICB's) row of one part and treatment function:
    ``counts`` by weekly band, each band starting at ``starts`` weeks. A band that is not a finite
    number is unknown, and so is every figure added up from it: ``into`` leaves those out."""
    total = function == TOTAL_FUNCTION
    breakdown, member = ("", "") if total else ("treatment_function", name)
    if part in PARTS:
        into.add(PARTS[part], period, org, value=total_all, breakdown=breakdown, member=member)
        return
    if part != "Part_2":
        return
    known = float(counts.sum())
    into.add("rtt_waiting_list", period, org, value=total_all, breakdown=breakdown, member=member)
    if known:
        into.add("rtt_18w_pct", period, org, numerator=float(counts[starts < 18].sum()), denominator=known,
                 breakdown=breakdown, member=member)
    for metric, weeks in OVER.items():
        into.add(metric, period, org, value=float(counts[starts >= weeks].sum()), breakdown=breakdown, member=member)
    if total:
        for band, (low, high) in WEEKS_BANDS.items():
            into.add("rtt_waiting_list", period, org, value=float(counts[(starts >= low) & (starts < high)].sum()),
                     breakdown="weeks_band", member=band)
        if known:
            into.add("rtt_median_wait", period, org, value=centile(counts, starts, 0.5))
            into.add("rtt_92nd_centile_wait", period, org, value=centile(counts, starts, 0.92))


def centile(counts: np.ndarray, starts: np.ndarray, share: float) -> float | None:
    """Weeks waited at ``share`` of the list, read off weekly bands by straight-line interpolation
    within the band it falls in (NHS England's method for its published medians); None when a band
    is unknown or below zero, as then no place on the list can be found."""
    if not (np.isfinite(counts).all() and (counts >= 0).all() and counts.sum() > 0):
        return None
    cumulative = np.cumsum(counts)
    target = share * cumulative[-1]
    band = int(np.searchsorted(cumulative, target))
    before = cumulative[band - 1] if band else 0.0
    within = (target - before) / counts[band] if counts[band] else 0.0
    return round(float(starts[band] + within), 2)
