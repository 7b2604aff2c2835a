"""Validating CSV extracts in the tidy layout described in ``docs/extracts.md`` (their lines, header
and records read by ``portfolio.data.csvfile``) into the columnar store.

A bad row is reported (file, row, column, what to fix) and left out; the good rows load.
Nothing is coerced silently: a blank number stays missing, a malformed one is an error.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from portfolio.config.files import file_kind, impossible_name, shown
from portfolio.config.loading import Config
from portfolio.config.problems import Problem
from portfolio.config.schema import ExtractInfo, Metric
from portfolio.data.csvfile import (MAX_LISTED, Record, header_names, header_problem, missing_columns, read_records,
                                    row_problems, unknown_columns)
from portfolio.data.storage import built, store_folder, stored_report

REQUIRED = ("metric_id", "period", "org_code")
OPTIONAL = ("breakdown", "breakdown_value", "series", "value", "numerator", "denominator", "status", "note",
            "breakdown2", "breakdown2_value")
NUMBERS = ("value", "numerator", "denominator")
KEY = ("metric_id", "period", "org_code", "breakdown", "breakdown_value", "breakdown2", "breakdown2_value", "series")
SERIES = ("actual", "plan", "forecast")
STATUSES = ("validated", "provisional", "estimate")
FACT_SCHEMA = pa.schema([("extract", pa.string()), *((column, pa.string()) for column in KEY),
                         *((column, pa.float64()) for column in NUMBERS), ("status", pa.string()),
                         ("note", pa.string()), ("line", pa.int64())])
LARGEST = 1e15  # above any NHS figure (in pounds, a quadrillion), and far below where a sum overflows
YEARS = (1990, 2099)  # the months an extract may hold


@dataclass
class ExtractReport:
    file: str
    info: ExtractInfo | None
    rows_read: int = 0
    rows_loaded: int = 0
    first_period: str | None = None
    last_period: str | None = None
    encoding: str | None = None
    problems: list[Problem] = field(default_factory=list)
    stored: Path | None = None  # the store file the good rows were written to


def safe_path(data_dir: Path, name: str) -> Path | None:
    """The file inside ``data_dir``, or None if the name (or a link) leads outside it, or is not a
    name a file can have (a NUL character, a part longer than 255 bytes)."""
    if impossible_name(Path(name)):
        return None
    root = data_dir.resolve()
    path = (root / name).resolve()
    return path if path.is_relative_to(root) else None


def unreadable(path: Path, largest_mb: int) -> str | None:
    """Why an extract is not read: it is not a regular file (a folder, a pipe that would keep the
    reader waiting, a device), or it is larger than the settings allow (read whole, an extract takes
    many times its size in memory). None for a file that is read, or one that is missing (said by
    the caller)."""
    kind = file_kind(path)
    if kind not in (None, "a file"):
        return f"is {kind}, not a file, so it is not read"
    size = path.stat().st_size if kind else 0
    if size > largest_mb * 1_000_000:
        return (f"is {size / 1_000_000:,.0f} MB, larger than the {largest_mb:,} MB an extract may be "
                "(max_extract_mb in settings.yaml), so it is not read: split it by year, or raise the limit if the "
                "server has the memory (about 12 times the file's size while it is first read)")
    return None


class _RowChecker:
    """Collects row problems for one file and marks the rows to drop. A row is named by its line
    in the file, or by ``where`` (row → words, such as its key, for rows read from a warehouse)."""

    def __init__(self, file: str, frame: pd.DataFrame, where: Callable[[int], str] | None = None):
        self.file = file
        self.frame = frame
        self.where = where
        self.bad = pd.Series(False, index=frame.index)
        self.problems: list[Problem] = []

    def name_of(self, row: int) -> str:
        return self.where(row) if self.where else f"row {row}"

    def flag(self, mask: pd.Series, column: str, message) -> None:
        """Report the rows of ``mask`` not already reported (``message`` is the words, or makes
        them from the row), and mark them to drop."""
        mask = mask & ~self.bad
        rows = self.frame.index[mask]
        found = [(int(row), message(self.frame.loc[row]) if callable(message) else message)
                 for row in rows[:MAX_LISTED]]
        if self.where is None:
            self.problems += row_problems(self.file, column, found, len(rows))
        else:
            self.problems += [Problem(self.file, words, location=f"{self.where(row)}, column {column}")
                              for row, words in found]
            if len(rows) > MAX_LISTED:
                self.problems.append(Problem(self.file, f"{len(rows) - MAX_LISTED} more rows have the same problem "
                                                        f"in column {column}", location=f"column {column}"))
        self.bad |= mask


def read_extract(path: Path, name: str, metrics: list[Metric], org_codes: set[str],
                 info: ExtractInfo | None, closed: dict[str, tuple[str, str | None]] | None = None,
                 set_aside: frozenset[str] = frozenset(), extracted: date | None = None
                 ) -> tuple[pd.DataFrame, ExtractReport]:
    """Read one extract; return its valid rows (typed) and a report of what was found. Rows for
    the metric keys in ``set_aside`` (a portfolio whose file could not be loaded) are left out with
    one warning, not a problem each; an actual figure for a month after ``extracted`` (the
    extract's data-as-at date) is refused."""
    report = ExtractReport(file=name, info=info)
    frame = _rows(path, name, report)
    if frame is None:
        return pd.DataFrame(columns=FACT_SCHEMA.names), report
    return checked_rows(frame, report, metrics, org_codes, closed, set_aside, extracted), report


def checked_rows(frame: pd.DataFrame, report: ExtractReport, metrics: list[Metric], org_codes: set[str],
                 closed: dict[str, tuple[str, str | None]] | None = None, set_aside: frozenset[str] = frozenset(),
                 extracted: date | None = None, where: Callable[[int], str] | None = None) -> pd.DataFrame:
    """The good rows of ``frame`` (an extract's rows as text, every column of the layout, indexed by
    line, or by position with ``where`` naming each row), typed as the store holds them; each bad
    row's problem, and the rows and months loaded, in ``report``."""
    name = report.file
    aside = frame["metric_id"].isin(set_aside)
    if aside.any():
        report.problems.append(Problem(name, f"{aside.sum():,} rows are for metrics of a portfolio that could not be "
                                             "loaded: they are set aside until its file is fixed", severity="warning"))
        frame = frame[~aside]
    by_key = {}
    for metric in metrics:
        by_key.setdefault(metric.source_key, metric)
    check = _RowChecker(name, frame, where)
    months = _check_labels(check, frame, by_key, org_codes, closed or {})
    numbers = _check_numbers(check, frame, by_key)
    series = frame["series"].replace("", "actual")
    if extracted is not None:  # an actual figure cannot be for a month after the data were extracted
        check.flag((series == "actual") & (months.dt.strftime("%Y-%m") > f"{extracted:%Y-%m}"), "period",
                   lambda r: f"an actual figure for {r.period}, after the data were extracted ({extracted:%d %b %Y}): "
                   "correct the month, or mark the row's series plan or forecast")
    _check_duplicates(check, frame.assign(series=series)[list(KEY)])
    facts = _facts(name, frame, months, series, numbers)[~check.bad]
    report.problems += check.problems
    report.rows_loaded = len(facts)
    actual = facts.loc[facts["series"] == "actual", "period"]
    if len(actual):  # the months with actual figures (plans and forecasts may run further)
        report.first_period, report.last_period = actual.min(), actual.max()
    return facts.reset_index(drop=True)


def _rows(path: Path, name: str, report: ExtractReport) -> pd.DataFrame | None:
    """The extract's rows with as many values as its header, as text, indexed by their line in the
    file, with every column of the layout (blank when the file has none); the rows_read, encoding
    and the problems of the reading in ``report``. None when no row can be read."""
    read = read_records(path, name, report.problems)
    if read is None:
        return None
    found, report.encoding = read
    first = next((n for n, (_, _, count) in enumerate(found) if count is not None), None)
    if first is None:
        report.problems.append(Problem(name, "is empty: it has no header row", line=1))
        return None
    columns = header_names(found[first][1])
    refused = header_problem(name, columns, line=found[first][0])
    if refused:
        report.problems.append(refused)
        return None
    rows = found[first + 1:]
    report.problems += _record_problems(name, rows, len(columns))
    good = [(line, record) for line, record, count in rows if count == len(columns)]
    # the good records, parsed by pandas' own reader (quick), each keeping its line in the file
    frame = pd.read_csv(io.StringIO("\n".join(record for _, record in good)), header=None, names=columns, dtype=str,
                        keep_default_na=False, skipinitialspace=True) if good else pd.DataFrame(columns=columns)
    frame.index = pd.Index([line for line, _ in good])
    missing = missing_columns(name, columns, REQUIRED, REQUIRED + OPTIONAL)
    if missing:
        report.problems.append(missing)
        return None
    report.problems += filter(None, [unknown_columns(name, columns, REQUIRED + OPTIONAL)])
    for column in OPTIONAL:
        if column not in frame.columns:
            frame[column] = ""
    report.rows_read = len(rows)
    return frame[list(REQUIRED + OPTIONAL)].apply(lambda c: c.str.strip())


def _record_problems(name: str, rows: list[Record], width: int) -> list[Problem]:
    """A problem for each record that is not a row of ``width`` values: left out."""
    problems = []
    for line, _, count in rows:
        if count is None:
            problems.append(Problem(name, "a quote (\") is opened and never closed on this row, so it was left out: "
                                          "close the quote, or remove it", location=f"row {line}", line=line))
        elif count != width:
            problems.append(Problem(
                name, f"has {count} values where the header has {width}, so it was left out: a value with a "
                "comma in it (£1,234) needs quotes around it", location=f"row {line}", line=line))
    return problems


def _check_labels(check: _RowChecker, frame: pd.DataFrame, by_key: dict[str, Metric], org_codes: set[str],
                  closed: dict[str, tuple[str, str | None]]) -> pd.Series:
    """Flag rows whose metric, month, organisation, series, status or breakdowns are not ones the
    dashboard knows; return the months (month starts, NaT where not a month)."""
    name = check.file
    check.flag(frame["metric_id"] == "", "metric_id", "metric_id is blank")
    check.flag(~frame["metric_id"].isin(list(by_key)), "metric_id",
               lambda r: f"unknown metric '{r.metric_id}': no metric in config/portfolios takes it from {name}")
    months = _months(frame["period"])
    check.flag(months.isna(), "period", lambda r: f"'{r.period}' is not a month: write YYYY-MM, for example 2023-04")
    check.flag(months.notna() & ~months.dt.year.between(*YEARS), "period",
               lambda r: f"'{r.period}' is outside {YEARS[0]} to {YEARS[1]}: check the year")
    check.flag(~frame["org_code"].isin(list(org_codes)), "org_code",
               lambda r: f"unknown organisation '{r.org_code}': add it to config/organisations.yaml or correct the code")
    for code, (last, successor) in closed.items():
        instead = f"file them under its successor {successor}" if successor else "remove them"
        check.flag((frame["org_code"] == code) & (frame["period"].str[:7] > last),
                   "org_code", lambda r, c=code, d=last, i=instead: f"{c} closed after {d}: these figures are "
                   f"for a later month; {i}")
    check.flag(~frame["series"].isin(("",) + SERIES), "series",
               lambda r: f"'{r.series}' is not a series: use {', '.join(SERIES)} (blank means actual)")
    check.flag(~frame["status"].isin(("",) + STATUSES), "status",
               lambda r: f"'{r.status}' is not a status: use {' or '.join(STATUSES)}, or leave it blank")
    check.flag((frame["breakdown"] == "") != (frame["breakdown_value"] == ""), "breakdown",
               "breakdown and breakdown_value go together: fill both, or leave both blank for the total row")
    check.flag((frame["breakdown2"] == "") != (frame["breakdown2_value"] == ""), "breakdown2",
               "breakdown2 and breakdown2_value go together: fill both, or leave both blank")
    check.flag((frame["breakdown2"] != "") & (frame["breakdown"] == ""), "breakdown2",
               "breakdown2 divides a breakdown member: fill breakdown and breakdown_value too")
    return months


def _check_numbers(check: _RowChecker, frame: pd.DataFrame, by_key: dict[str, Metric]) -> dict[str, pd.Series]:
    """Flag rows whose value, numerator or denominator is not a figure the metric can have; return
    the three as numbers (NaN where blank)."""
    numbers = {}
    for column in NUMBERS:
        numbers[column] = pd.to_numeric(frame[column].where(frame[column] != ""), errors="coerce")
        check.flag((frame[column] != "") & numbers[column].isna(), column,
                   lambda r, c=column: f"'{r[c]}' is not a number: write plain digits such as 1234.5 "
                   "(no thousands separators, % signs or text)")
        # inf, Infinity and 1e309 parse as numbers; so do figures whose sum would overflow
        check.flag(numbers[column].notna() & ~(numbers[column].abs() <= LARGEST), column,
                   lambda r, c=column: f"'{r[c]}' is not a figure the dashboard can add up: write a finite number "
                   f"below {LARGEST:.0e}")
    is_ratio = frame["metric_id"].isin([k for k, m in by_key.items() if m.compute == "ratio"])
    unit = frame["metric_id"].map({k: m.unit for k, m in by_key.items()}).fillna("")
    value, numerator, denominator = numbers["value"], numbers["numerator"], numbers["denominator"]
    check.flag(is_ratio & (numerator.isna() | denominator.isna()), "numerator",
               lambda r: f"metric '{r.metric_id}' is a ratio: give both numerator and denominator")
    check.flag(~is_ratio & value.isna(), "value",
               lambda r: f"metric '{r.metric_id}' needs a value; leave the row out if there is no figure")
    check.flag(is_ratio & (denominator == 0), "denominator", "the denominator is 0, so no rate can be computed")
    for column in ("numerator", "denominator"):
        check.flag(numbers[column] < 0, column, f"{column} cannot be negative")
    check.flag((unit == "count") & (value < 0), "value", lambda r: f"a count cannot be negative (got {r.value})")
    check.flag((unit == "percent") & ~is_ratio & ((value < 0) | (value > 100)), "value",
               lambda r: f"a percentage must lie between 0 and 100 (got {r.value}); write 65.7, not 0.657")
    check.flag((unit == "percent") & is_ratio & (numerator > denominator), "numerator",
               lambda r: f"the numerator ({r.numerator}) exceeds the denominator ({r.denominator}) of a percentage")
    return numbers


def _check_duplicates(check: _RowChecker, key_frame: pd.DataFrame) -> None:
    """Flag each good row whose key (metric, period, organisation, breakdowns and series) an
    earlier good row has, naming that row."""
    good = ~check.bad
    duplicated = key_frame[good].duplicated(keep="first")
    first_row = key_frame[good].reset_index().groupby(list(KEY), sort=False)["index"].transform("first")
    first_row.index = key_frame[good].index
    check.flag(duplicated.reindex(key_frame.index, fill_value=False), "metric_id",
               lambda r: f"duplicate of {check.name_of(first_row.get(r.name))}: same metric, period, organisation, "
               "breakdown and series")


def _facts(name: str, frame: pd.DataFrame, months: pd.Series, series: pd.Series,
           numbers: dict[str, pd.Series]) -> pd.DataFrame:
    """Every row in the layout of the store (``FACT_SCHEMA``): months as YYYY-MM, blanks filled."""
    return pd.DataFrame({
        "extract": name,
        "metric_id": frame["metric_id"],
        "period": months.dt.strftime("%Y-%m"),
        "org_code": frame["org_code"],
        "breakdown": frame["breakdown"],
        "breakdown_value": frame["breakdown_value"],
        "breakdown2": frame["breakdown2"],
        "breakdown2_value": frame["breakdown2_value"],
        "series": series,
        "value": numbers["value"].astype("float64"),
        "numerator": numbers["numerator"].astype("float64"),
        "denominator": numbers["denominator"].astype("float64"),
        "status": frame["status"].replace("", "validated"),
        "note": frame["note"],
        "line": frame.index.to_series(index=frame.index).astype("int64"),  # named when a figure does not add up
    })


def _months(text: pd.Series) -> pd.Series:
    """Parse YYYY-MM or YYYY-MM-DD into month starts; anything else becomes NaT."""
    short = pd.to_datetime(text.where(text.str.len() == 7), format="%Y-%m", errors="coerce")
    long = pd.to_datetime(text.where(text.str.len() == 10), format="%Y-%m-%d", errors="coerce")
    return short.fillna(long).dt.to_period("M").dt.to_timestamp()


def extract_names(config: Config) -> list[str]:
    """Every extract a metric names or the settings describe, in order."""
    return sorted({m.source.extract for m in config.metrics.values()} | set(config.settings.extracts))


def load_extracts(config: Config, data_dir: Path, store: Path | None = None,
                  elsewhere: frozenset[str] = frozenset()) -> tuple[list[Path], list[ExtractReport]]:
    """Every extract that a metric names, validated into the columnar store (one Parquet file each,
    in ``store``, by default the data folder's), except those read ``elsewhere`` (a warehouse); a
    current store file is read instead of its CSV. Returns the store files and a report per extract."""
    store = store or store_folder(data_dir)
    org_codes = _org_codes(config)
    closed = _closed(config)
    set_aside = frozenset(config.set_aside - {m.source_key for m in config.metrics.values()})
    by_file: dict[str, list[Metric]] = {}
    for metric in config.metrics.values():
        by_file.setdefault(metric.source.extract, []).append(metric)
    files, reports = [], []
    for name in [name for name in extract_names(config) if name not in elsewhere]:
        info = config.settings.extracts.get(name)
        extracted = info.data_as_at if info else None
        path = safe_path(data_dir, name)
        refused = unreadable(path, config.settings.max_extract_mb) if path is not None else None
        if path is None:
            report = ExtractReport(file=name, info=info)
            report.problems.append(Problem(shown(name), "leads outside the data folder, or is not a file name, "
                                                              "and was not read"))
        elif not path.exists():
            report = ExtractReport(file=name, info=info)
            users = ", ".join(m.id for m in by_file.get(name, [])[:5]) or "no metric"
            report.problems.append(Problem(name, f"is missing from the data folder {data_dir} (needed by {users})"))
        elif refused:
            report = ExtractReport(file=name, info=info)
            report.problems.append(Problem(name, refused))
        else:
            metrics = by_file.get(name, [])

            def build(target: Path, path=path, name=name, metrics=metrics, extracted=extracted) -> None:
                facts, report = read_extract(path, name, metrics, org_codes, None, closed, set_aside, extracted)
                _write_facts(facts, report, target)

            stamp = _validation_stamp(metrics, org_codes, closed, set_aside, extracted)
            stored, _ = built(path, store, "facts", build, name, stamp)
            try:
                report = _read_report(stored, info)
            except (OSError, ValueError, KeyError):  # a damaged store file (a disk that filled up): built again
                stored.unlink(missing_ok=True)
                stored, _ = built(path, store, "facts", build, name, stamp)
                report = _read_report(stored, info)
            files.append(stored)
        if info is None:
            report.problems.append(Problem(
                "settings.yaml", f"extracts: no entry for {name}; add its title, publisher, data_as_at and refresh_days",
                location=f"extracts.{name}", severity="warning"))
        reports.append(report)
    return files, reports


def check_stored(config: Config, name: str, stored: pd.DataFrame, label: str) -> list[Problem]:
    """The problems of an extract's rows stored elsewhere (a warehouse's ``stored``, in the store's
    layout), by the rules its file is checked by, each row named by its key (and its line in the
    file, when it has one); ``label`` names where the rows are."""
    text = pd.DataFrame({column: stored[column].fillna("").astype(str) for column in REQUIRED + OPTIONAL
                         if column not in NUMBERS})
    for column in NUMBERS:
        text[column] = [repr(float(value)) if pd.notna(value) else "" for value in stored[column]]
    text["series"] = text["series"].replace("actual", "")  # blank is actual, as in a file
    text = text[list(REQUIRED + OPTIONAL)].reset_index(drop=True)

    def where(row: int) -> str:
        found = stored.iloc[row]
        words = ", ".join(f"{column} {found[column]}" for column in KEY if found[column] not in ("", None))
        return words + (f" (line {int(found['line'])} of the file)" if pd.notna(found["line"]) else "")

    metrics = [m for m in config.metrics.values() if m.source.extract == name]
    info = config.settings.extracts.get(name)
    report = ExtractReport(file=label, info=info)
    set_aside = frozenset(config.set_aside - {m.source_key for m in config.metrics.values()})
    checked_rows(text, report, metrics, _org_codes(config), _closed(config), set_aside,
                 info.data_as_at if info else None, where)
    return report.problems


# bump when a change to read_extract changes what a stored extract holds, so old store files are rebuilt
STORE_VERSION = "2"


def _validation_stamp(metrics: list[Metric], org_codes: set[str], closed: dict, set_aside: frozenset[str],
                      extracted: date | None) -> str:
    """What a stored extract's checks depended on, besides the file itself: the metrics that read it
    (their keys, kinds and units), the organisations that exist and the ones that closed, the keys
    set aside and the date the data were extracted."""
    keys = sorted((m.source_key, m.compute, m.unit) for m in metrics)
    return repr((STORE_VERSION, keys, sorted(org_codes), sorted(closed.items()), sorted(set_aside), extracted))


def _write_facts(facts: pd.DataFrame, report: ExtractReport, target: Path) -> None:
    """The valid rows as Parquet, with the report (counts and problems) in the file's metadata."""
    table = pa.Table.from_pandas(facts, schema=FACT_SCHEMA, preserve_index=False)
    summary = {k: v for k, v in asdict(report).items() if k not in ("info", "stored")}
    table = table.replace_schema_metadata({"report": json.dumps(summary)})
    pq.write_table(table, target)


def _read_report(stored: Path, info: ExtractInfo | None) -> ExtractReport:
    return ExtractReport(**stored_report(stored), info=info, stored=stored)


def _closed(config: Config) -> dict[str, tuple[str, str | None]]:
    """Each closed provider, and each site of one (a site closes with its provider): its last month
    and the provider that took its figures over."""
    providers = config.organisations.providers if config.organisations else []
    closed = {p.code: (p.closed, p.successor) for p in providers if p.closed}
    sites = config.organisations.sites if config.organisations else []
    return closed | {s.code: closed[s.provider] for s in sites if s.provider in closed}


def _org_codes(config: Config) -> set[str]:
    orgs = config.organisations
    if orgs is None:
        return set()
    return {orgs.system.code} | {o.code for o in (*orgs.places, *orgs.providers, *orgs.sites)}

