"""Reading and validating CSV extracts in the tidy layout described in ``docs/extracts.md``.

A bad row is reported (file, row, column, what to fix) and left out; the good rows load.
Nothing is coerced silently: a blank number stays missing, a malformed one is an error.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from portfolio.config import Config, ExtractInfo, Metric
from portfolio.problems import Problem
from portfolio.storage import built, store_folder, stored_report

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
MAX_LISTED = 25  # per check and file; the rest are counted in one line


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


def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 as Excel writes it."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def safe_path(data_dir: Path, name: str) -> Path | None:
    """The file inside ``data_dir``, or None if the name (or a link) leads outside it."""
    root = data_dir.resolve()
    path = (root / name).resolve()
    return path if path.is_relative_to(root) else None


class _RowChecker:
    """Collects row problems for one file and marks the rows to drop."""

    def __init__(self, file: str, frame: pd.DataFrame):
        self.file = file
        self.frame = frame
        self.bad = pd.Series(False, index=frame.index)
        self.problems: list[Problem] = []

    def flag(self, mask: pd.Series, column: str, message) -> None:
        mask = mask & ~self.bad
        rows = self.frame.index[mask]
        for row in rows[:MAX_LISTED]:
            text = message(self.frame.loc[row]) if callable(message) else message
            self.problems.append(Problem(self.file, text, location=f"row {row}, column {column}", line=int(row)))
        if len(rows) > MAX_LISTED:
            self.problems.append(
                Problem(self.file, f"{len(rows) - MAX_LISTED} more rows have the same problem in column {column}",
                        location=f"column {column}")
            )
        self.bad |= mask


def read_extract(path: Path, name: str, metrics: list[Metric], org_codes: set[str],
                 info: ExtractInfo | None, closed: dict[str, tuple[str, str | None]] | None = None,
                 set_aside: frozenset[str] = frozenset()) -> tuple[pd.DataFrame, ExtractReport]:
    """Read one extract; return its valid rows (typed) and a report of what was found. Rows for
    the metric keys in ``set_aside`` (a portfolio whose file could not be loaded) are left out with
    one warning, not a problem each."""
    report = ExtractReport(file=name, info=info)
    empty = pd.DataFrame(columns=["extract", *KEY, *NUMBERS, "status", "note", "line"])
    try:
        text, report.encoding = decode(path.read_bytes())
    except OSError as error:
        report.problems.append(Problem(name, f"cannot be read: {error.strerror}"))
        return empty, report
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        report.problems.append(Problem(name, f"is not a readable CSV file: {str(error).strip()}"))
        return empty, report

    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        report.problems.append(Problem(
            name, f"has no {', '.join(missing)} column; the header must include {', '.join(REQUIRED)} "
            "(see docs/extracts.md)", location="header", line=1))
        return empty, report
    unknown = [c for c in frame.columns if c not in REQUIRED + OPTIONAL]
    if unknown:
        report.problems.append(Problem(name, f"unknown columns ignored: {', '.join(unknown)}", location="header",
                                       line=1, severity="warning"))
    for column in OPTIONAL:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame[list(REQUIRED + OPTIONAL)].apply(lambda c: c.str.strip())
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # file line numbers: the header is line 1
    report.rows_read = len(frame)

    aside = frame["metric_id"].isin(set_aside)
    if aside.any():
        report.problems.append(Problem(name, f"{aside.sum():,} rows are for metrics of a portfolio that could not be "
                                             "loaded: they are set aside until its file is fixed", severity="warning"))
        frame = frame[~aside]
    check = _RowChecker(name, frame)
    by_key = {}
    for metric in metrics:
        by_key.setdefault(metric.source_key, metric)

    check.flag(frame["metric_id"] == "", "metric_id", "metric_id is blank")
    check.flag(~frame["metric_id"].isin(list(by_key)), "metric_id",
               lambda r: f"unknown metric '{r.metric_id}': no metric in config/portfolios takes it from {name}")
    months = _months(frame["period"])
    check.flag(months.isna(), "period", lambda r: f"'{r.period}' is not a month: write YYYY-MM, for example 2023-04")
    check.flag(~frame["org_code"].isin(list(org_codes)), "org_code",
               lambda r: f"unknown organisation '{r.org_code}': add it to config/organisations.yaml or correct the code")
    for code, (last, successor) in (closed or {}).items():
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

    numbers = {}
    for column in NUMBERS:
        numbers[column] = pd.to_numeric(frame[column].where(frame[column] != ""), errors="coerce")
        check.flag((frame[column] != "") & numbers[column].isna(), column,
                   lambda r, c=column: f"'{r[c]}' is not a number: write plain digits such as 1234.5 "
                   "(no thousands separators, % signs or text)")

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

    series = frame["series"].replace("", "actual")
    key_frame = frame.assign(series=series)[list(KEY)]
    good = ~check.bad
    duplicated = key_frame[good].duplicated(keep="first")
    first_row = key_frame[good].reset_index().groupby(list(KEY), sort=False)["index"].transform("first")
    first_row.index = key_frame[good].index
    check.flag(duplicated.reindex(frame.index, fill_value=False), "metric_id",
               lambda r: f"duplicate of row {first_row.get(r.name)}: same metric, period, organisation, breakdown and series")

    keep = ~check.bad
    facts = pd.DataFrame({
        "extract": name,
        "metric_id": frame["metric_id"],
        "period": months.dt.strftime("%Y-%m"),
        "org_code": frame["org_code"],
        "breakdown": frame["breakdown"],
        "breakdown_value": frame["breakdown_value"],
        "breakdown2": frame["breakdown2"],
        "breakdown2_value": frame["breakdown2_value"],
        "series": series,
        "value": value.astype("float64"),
        "numerator": numerator.astype("float64"),
        "denominator": denominator.astype("float64"),
        "status": frame["status"].replace("", "validated"),
        "note": frame["note"],
        "line": frame.index.to_series(index=frame.index).astype("int64"),  # named when a figure does not add up
    })[keep]
    report.problems += check.problems
    report.rows_loaded = len(facts)
    actual = facts.loc[facts["series"] == "actual", "period"]
    if len(actual):  # the months with actual figures (plans and forecasts may run further)
        report.first_period, report.last_period = actual.min(), actual.max()
    return facts.reset_index(drop=True), report


def _months(text: pd.Series) -> pd.Series:
    """Parse YYYY-MM or YYYY-MM-DD into month starts; anything else becomes NaT."""
    short = pd.to_datetime(text.where(text.str.len() == 7), format="%Y-%m", errors="coerce")
    long = pd.to_datetime(text.where(text.str.len() == 10), format="%Y-%m-%d", errors="coerce")
    return short.fillna(long).dt.to_period("M").dt.to_timestamp()


def load_extracts(config: Config, data_dir: Path, store: Path | None = None) -> tuple[list[Path], list[ExtractReport]]:
    """Every extract that a metric names, validated into the columnar store (one Parquet file each,
    in ``store``, by default the data folder's); a current store file is read instead of its CSV.
    Returns the store files and a report per extract."""
    store = store or store_folder(data_dir)
    org_codes = _org_codes(config)
    closed = _closed(config)
    set_aside = frozenset(config.set_aside - {m.source_key for m in config.metrics.values()})
    by_file: dict[str, list[Metric]] = {}
    for metric in config.metrics.values():
        by_file.setdefault(metric.source.extract, []).append(metric)
    files, reports = [], []
    for name in sorted(set(by_file) | set(config.settings.extracts)):
        info = config.settings.extracts.get(name)
        path = safe_path(data_dir, name)
        if path is None:
            report = ExtractReport(file=name, info=info)
            report.problems.append(Problem(name, "leads outside the data folder and was not read"))
        elif not path.exists():
            report = ExtractReport(file=name, info=info)
            users = ", ".join(m.id for m in by_file.get(name, [])[:5]) or "no metric"
            report.problems.append(Problem(name, f"is missing from the data folder {data_dir} (needed by {users})"))
        else:
            metrics = by_file.get(name, [])

            def build(target: Path, path=path, name=name, metrics=metrics) -> None:
                facts, report = read_extract(path, name, metrics, org_codes, None, closed, set_aside)
                _write_facts(facts, report, target)

            stamp = _validation_stamp(metrics, org_codes, closed, set_aside)
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


# bump when a change to read_extract changes what a stored extract holds, so old store files are rebuilt
STORE_VERSION = "1"


def _validation_stamp(metrics: list[Metric], org_codes: set[str], closed: dict, set_aside: frozenset[str]) -> str:
    """What a stored extract's checks depended on, besides the file itself: the metrics that read it
    (their keys, kinds and units), the organisations that exist and the ones that closed, and the
    keys set aside."""
    keys = sorted((m.source_key, m.compute, m.unit) for m in metrics)
    return repr((STORE_VERSION, keys, sorted(org_codes), sorted(closed.items()), sorted(set_aside)))


def _write_facts(facts: pd.DataFrame, report: ExtractReport, target: Path) -> None:
    """The valid rows as Parquet, with the report (counts and problems) in the file's metadata."""
    table = pa.Table.from_pandas(facts, schema=FACT_SCHEMA, preserve_index=False)
    summary = {k: v for k, v in asdict(report).items() if k != "info"}
    table = table.replace_schema_metadata({"report": json.dumps(summary)})
    pq.write_table(table, target)


def _read_report(stored: Path, info: ExtractInfo | None) -> ExtractReport:
    return ExtractReport(**stored_report(stored), info=info)


def _closed(config: Config) -> dict[str, tuple[str, str | None]]:
    providers = config.organisations.providers if config.organisations else []
    return {p.code: (p.closed, p.successor) for p in providers if p.closed}


def _org_codes(config: Config) -> set[str]:
    orgs = config.organisations
    if orgs is None:
        return set()
    return {orgs.system.code} | {o.code for o in (*orgs.places, *orgs.providers, *orgs.sites)}

