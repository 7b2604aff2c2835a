"""Patient-level A&E attendances: one CSV row per attendance (layout in ``docs/extracts.md``),
read as every CSV file is (``portfolio.data.csvfile``), handed to DuckDB in chunks, validated there
into a Parquet store beside the data, and added up there.

The store is built once per version of the CSV (``portfolio.data.storage.built``) and every figure is a
SQL ``GROUP BY`` over it, so five million attendances are never loaded into pandas: each query
returns a small frame (at most 168 rows). Rates are computed from the counts of the group shown,
never averaged. The query functions take small hashable arguments only (the store's path as text,
months, site codes, department type, deprivation decile), so callers can cache them on those.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Collection, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from operator import itemgetter
from pathlib import Path

import duckdb
import ibis
import pandas as pd
import pyarrow as pa

from portfolio.config.loading import Config
from portfolio.config.organisations import OrgTree
from portfolio.config.problems import Problem
from portfolio.config.schema import ExtractInfo, Settings
from portfolio.data.csvfile import (MAX_LISTED, LineTooLong, Record, TextLines, missing_columns, read_header, records,
                                    row_problems, unknown_columns, values)
from portfolio.data.engines import ATTENDANCES_TABLE, EMBEDDED, DuckDBEngine, Engine, engine, is_url
from portfolio.data.extracts import safe_path
from portfolio.data.queries import TEXT, TEXTS, WHOLE, shape
from portfolio.data.storage import built, store_folder, stored_report

COLUMNS = ("attendance_id", "site_code", "department_type", "arrival", "departure", "age_band", "imd_decile",
           "admitted")
DEPARTMENT_TYPES = {1: "Type 1: emergency department", 2: "Type 2: single-specialty department",
                    3: "Type 3: urgent treatment centre, minor injuries unit or walk-in centre"}
AGE_BANDS = ("0-17", "18-64", "65-79", "80+")
DECILES = range(1, 11)  # 1 = most deprived … 10 = least deprived
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # ISO weekdays 1 … 7
FOUR_HOURS = 240  # minutes: within 4 hours is at most 240
TWELVE_HOURS = 720  # minutes: 12 hours from arrival is more than 720
BAND_MINUTES = 30
LAST_BAND = 24 * 60 // BAND_MINUTES  # the band of stays over 24 hours
TIME_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
GROUPINGS = ("month", "site_code", "imd_decile")
# bump when a change to the build changes what the store holds, so older store files are rebuilt
STORE_VERSION = "1"
# what the figures need: the identifier is used only to find an attendance listed twice
STORE_TABLE = """CREATE TEMP TABLE store (
    site_code VARCHAR, department_type UTINYINT, arrival TIMESTAMP, departure TIMESTAMP,
    minutes INTEGER, month VARCHAR, hour UTINYINT, weekday UTINYINT, age_band VARCHAR, imd_decile UTINYINT,
    admitted BOOLEAN)"""

Months = str | tuple[str, str]  # one month, YYYY-MM, or the first and last of a range
Sites = str | tuple[str, ...] | None  # one site code, several, or None for every site


@dataclass(frozen=True)
class PatientExtract:
    """The configured extract: its file name, what it is, its path (None when the name leads
    outside the data folder) and where its rows are read from (``embedded``: its file)."""

    name: str
    info: ExtractInfo
    path: Path | None
    source: str = EMBEDDED


@dataclass
class StoreReport:
    file: str
    rows_read: int = 0
    rows_loaded: int = 0
    problems: list[Problem] = field(default_factory=list)
    stored: Path | None = None  # the store file the good rows were written to


def configured(settings: Settings, data_dir: Path, source: str | None = None) -> PatientExtract | None:
    """The patient-level extract named in settings.yaml (``patient_level:``), or None; read from
    ``source`` (a warehouse) when given, else from the source the settings name."""
    if not settings.patient_level:
        return None
    name, info = next(iter(settings.patient_level.items()))
    return PatientExtract(name, info, safe_path(Path(data_dir), name), source or info.source)


def sites_within(tree: OrgTree, org: str) -> tuple[str, ...] | None:
    """The sites whose attendances make up ``org``'s figures: None (every site) for the system."""
    if org == tree.root:
        return None
    if tree[org].level == "site":
        return (org,)
    return tuple(sorted(o.code for o in tree.within(org, "site")))


# --- building the store ------------------------------------------------------------------------

# Each check: the column it reports, and what to say, given the row's values as text (and, for a
# repeated identifier, the line it was first used on). A row is reported for the first check it
# fails, in this order, and left out.
CHECKS = {
    "values": ("–", lambda row: f"has {row['count']} values, not one for each column of the header: check for a "
                                "comma inside a value, or a value left out"),
    "attendance_id": ("attendance_id", lambda row: "is blank: give every attendance its own identifier"),
    "site_code": ("site_code", lambda row: f"'{row['site_code']}' is not a site in organisations.yaml: use the code "
                                           "of one of its sites"),
    "department_type": ("department_type", lambda row: f"'{row['department_type']}' is not an A&E department "
                                                       "type: write 1, 2 or 3"),
    "arrival": ("arrival", lambda row: f"'{row['arrival']}' is not a date and time: write it as YYYY-MM-DD HH:MM"),
    "departure": ("departure", lambda row: f"'{row['departure']}' is not a date and time: write it as "
                                           "YYYY-MM-DD HH:MM"),
    "order": ("departure", lambda row: f"departure {row['departure']} is before arrival {row['arrival']}: check "
                                       "both times (a stay past midnight ends on the next day's date)"),
    "age_band": ("age_band", lambda row: f"'{row['age_band']}' is not an age band: write one of "
                                         f"{', '.join(AGE_BANDS)}"),
    "imd_decile": ("imd_decile", lambda row: f"'{row['imd_decile']}' is not a deprivation decile: write a whole "
                                             "number from 1 (most deprived) to 10 (least deprived), or leave it "
                                             "blank when not known"),
    "admitted": ("admitted", lambda row: f"'{row['admitted']}' is not Y or N"),
    "duplicate": ("attendance_id", lambda row: f"'{row['attendance_id']}' is used again (first on line "
                                               f"{row['first']}): each attendance must have its own identifier"),
    # only for rows already in a warehouse, whose other columns were worked out there
    "worked_out": ("minutes", lambda row: "minutes, month, hour or weekday do not match the arrival and departure: "
                                          "work them out as docs/configuration.md says, or load the file with "
                                          "python -m portfolio load"),
}


def _shown(value: str) -> str:
    """A value from the file, cut short to quote in a message."""
    return value if len(value) <= 40 else value[:37] + "…"


def _values(text: str) -> list[str]:
    """A record's values as a CSV reader splits them; a line it cannot split (a quote never closed)
    is split at every comma, its quotes dropped, as this file's lines always were."""
    if '"' not in text:  # the usual case, and quick
        return text.split(",")
    found = values(text) if text.count('"') % 2 == 0 else None
    return found if found is not None else text.replace('"', "").split(",")


def _row(header: list[str], text: str | None, attendance_id: str | None, first: int | None) -> dict:
    """A bad row's values as text, cut short, by column (blank when the row does not have one value
    for each column of the header), with how many values it has and, for an identifier used
    before, the line of its first use: what the messages of ``CHECKS`` quote."""
    split = _values(text) if text is not None else []
    row = {name: _shown(split[header.index(name)].strip()) if len(split) == len(header) else "" for name in COLUMNS}
    return row | {"count": len(split), "first": first, "attendance_id": _shown(attendance_id or "")}


LONGEST_LINE = 16_000_000  # bytes; a longer line stops the reading (a shorter one that is not a row is named)
CHUNK_ROWS = 50_000  # the rows handed to DuckDB at a time, so memory stays bounded however long the file


def _chunks(found: Iterable[Record], header: list[str]) -> Iterator[pa.Table]:
    """The data records (after the header on line 1) in tables of at most ``CHUNK_ROWS`` rows: each
    row's line, its text, how many values it has and, as text, the value of each of ``COLUMNS``
    (blank when it does not have one value for each column of the header). At least one table,
    empty when the file has no rows."""
    width, pick, blank = len(header), itemgetter(*(header.index(name) for name in COLUMNS)), ("",) * len(COLUMNS)
    lines, texts, counts, picked = [], [], [], []  # picked: the values of COLUMNS, row after row, in one list
    for line, text, _ in found:
        if line == 1:
            continue
        split = _values(text)
        lines.append(line)
        texts.append(text)
        counts.append(len(split))
        picked += pick(split) if len(split) == width else blank
        if len(lines) == CHUNK_ROWS:
            yield _table(lines, texts, counts, picked)
            lines, texts, counts, picked = [], [], [], []
    yield _table(lines, texts, counts, picked)


def _table(lines: list[int], texts: list[str], counts: list[int], picked: list[str]) -> pa.Table:
    step = len(COLUMNS)
    return pa.table({"line": pa.array(lines, pa.int64()), "text": pa.array(texts, pa.string()),
                     "value_count": pa.array(counts, pa.int32()),
                     **{name: pa.array(picked[index::step], pa.string()) for index, name in enumerate(COLUMNS)}})


# The values of a chunk, typed. Raw DuckDB SQL rather than ibis: reading a time written in any of
# several formats (try_strptime with a list of them) has no ibis expression. The build runs here only.
TYPED = f"""
    CREATE OR REPLACE TEMP VIEW typed AS
    SELECT line, text, value_count, trim(attendance_id) AS attendance_id, trim(site_code) AS site_code,
           try_cast(trim(department_type) AS UTINYINT) AS department_type,
           try_strptime(trim(arrival), {TIME_FORMATS}) AS arrival, try_strptime(trim(departure), {TIME_FORMATS})
           AS departure, trim(age_band) AS age_band, trim(imd_decile) AS imd_decile_text,
           try_cast(trim(imd_decile) AS UTINYINT) AS imd_decile, upper(trim(admitted)) AS admitted_text
    FROM chunk"""
TYPED_SCHEMA = ibis.schema({"line": "int64", "text": "string", "value_count": "int32", "attendance_id": "string",
                            "site_code": "string", "department_type": "int16", "arrival": "timestamp",
                            "departure": "timestamp", "age_band": "string", "imd_decile_text": "string",
                            "imd_decile": "int16", "admitted_text": "string"})


def _first_problem(rows: ibis.Table, sites, bands, width: int | None) -> ibis.Value:
    """The first check of ``CHECKS`` a row fails, or NULL: for a file's typed rows (``width``: the
    header's), or for rows already in a warehouse (``width`` None: typed there, with the columns
    worked out from the times, which are checked too)."""
    from_file = width is not None
    decile = rows.imd_decile.isnull() | ~rows.imd_decile.between(1, 10)
    checks = [
        (rows.value_count != width, "values") if from_file else None,
        (rows.attendance_id == "", "attendance_id") if from_file else None,
        (rows.site_code.isnull() | ~sites.contains(rows.site_code), "site_code"),
        (rows.department_type.isnull() | ~rows.department_type.isin([1, 2, 3]), "department_type"),
        (rows.arrival.isnull(), "arrival"),
        (rows.departure.isnull(), "departure"),
        (rows.departure < rows.arrival, "order"),
        (rows.age_band.isnull() | ~bands.contains(rows.age_band), "age_band"),
        ((rows.imd_decile_text != "") & decile if from_file else rows.imd_decile.notnull() & decile, "imd_decile"),
        (~rows.admitted_text.isin(["Y", "N"]) if from_file else rows.admitted.isnull(), "admitted"),
        (None if from_file else _worked_out_differs(rows), "worked_out"),
    ]
    return ibis.cases(*[(condition, name) for condition, name in filter(None, checks) if condition is not None],
                      else_=ibis.null("string"))


def _worked_out(rows: ibis.Table) -> dict:
    """The columns the figures group and count by, worked out from the arrival and departure."""
    seconds = rows.departure.epoch_seconds() - rows.arrival.epoch_seconds()
    return {"minutes": (seconds / 60).ceil().cast("int32"),  # a part minute counts
            "month": rows.arrival.strftime("%Y-%m"), "hour": rows.arrival.hour().cast("int16"),
            "weekday": (rows.arrival.day_of_week.index() + 1).cast("int16")}  # ISO: Monday is 1


def _worked_out_differs(rows: ibis.Table) -> ibis.Value:
    return ibis.or_(*(rows[name].isnull() | (rows[name] != value) for name, value in _worked_out(rows).items()))


def _checked(typed: ibis.Table, *, sites, bands, width: int) -> ibis.Table:
    """Every row of a chunk with its line, its typed values and the first check it fails
    (``problem``, NULL for a good row; then ``text`` keeps the record, to quote in the report)."""
    problem = _first_problem(typed, sites, bands, width)
    return typed.select("line", problem=problem, text=ibis.ifelse(problem.notnull(), typed.text, ibis.null("string")),
                        attendance_id=typed.attendance_id, site_code=typed.site_code,
                        department_type=typed.department_type, arrival=typed.arrival, departure=typed.departure,
                        age_band=typed.age_band, imd_decile=typed.imd_decile, admitted=typed.admitted_text == "Y")


def _stored(checked: ibis.Table) -> ibis.Table:
    """The good rows as the store holds them, by month first: a month's query then reads only its row groups."""
    good = checked.filter(checked.problem.isnull())
    return good.select("site_code", "department_type", "arrival", "departure", **_worked_out(good), age_band=good.age_band,
                       imd_decile=good.imd_decile, admitted=good.admitted).order_by("month", "site_code", "arrival")


def build_store(source: Path, target: Path, site_codes: Collection[str]) -> None:
    """Validate ``source`` and write its good rows to ``target`` (Parquet, sorted by month, site and
    arrival), with the report (rows read and loaded, each problem) in the file's metadata."""
    report = StoreReport(file=source.name)
    building = DuckDBEngine()
    connection = building.cursor()
    try:
        connection.execute(STORE_TABLE)
        header = read_header(source)
        missing = missing_columns(source.name, header, COLUMNS, COLUMNS)
        if missing:
            report.problems.append(missing)
        else:
            try:
                _load(building, source, header, sorted(site_codes), report)
            except LineTooLong as error:  # said in words, nothing loaded
                report.problems.append(Problem(source.name, f"could not be read ({error}), so none of its rows were "
                                               f"loaded: check the line it names (a line may be at most "
                                               f"{error.longest // 1_000_000} MB)"))
        metadata = json.dumps(asdict(report) | {"stored": None}).replace("'", "''")
        connection.execute(f"COPY store TO '{str(target).replace(chr(39), chr(39) * 2)}' "
                           f"(FORMAT parquet, KV_METADATA {{report: '{metadata}'}})")
    finally:
        connection.close()


CHECKED_SCHEMA = ibis.schema({"line": "int64", "problem": "string", "text": "string", "attendance_id": "string",
                              "site_code": "string", "department_type": "int16", "arrival": "timestamp",
                              "departure": "timestamp", "age_band": "string", "imd_decile": "int16",
                              "admitted": "boolean"})


def _load(building: DuckDBEngine, source: Path, header: list[str], site_codes: list[str], report: StoreReport) -> None:
    connection = building.cursor()
    report.problems += filter(None, [unknown_columns(source.name, header, COLUMNS)])
    lines = TextLines(source, LONGEST_LINE)
    checked, _ = building.statement(shape(_checked, {"width": len(header)}, sites=TEXTS, bands=TEXTS),
                                    (("typed", "typed", TYPED_SCHEMA),))
    for number, chunk in enumerate(_chunks(records(lines), header)):
        connection.register("chunk", chunk)
        if not number:
            connection.execute(TYPED)
        connection.execute(f"{'INSERT INTO checked' if number else 'CREATE TEMP TABLE checked AS'} {checked}",
                           {"sites": site_codes, "bands": list(AGE_BANDS)})
        connection.unregister("chunk")
    report.problems += lines.warnings(source.name)
    connection.execute("""
        CREATE TEMP TABLE repeated AS
        SELECT attendance_id, min(line) AS first FROM checked WHERE problem IS NULL
        GROUP BY attendance_id HAVING count(*) > 1;
        UPDATE checked SET problem = 'duplicate' FROM repeated
        WHERE checked.attendance_id = repeated.attendance_id AND line > first AND problem IS NULL""")
    _report_rows(connection, source.name, header, report)
    stored, _ = building.statement(shape(_stored), (("checked", "checked", CHECKED_SCHEMA),))
    connection.execute(f"INSERT INTO store {stored}")
    connection.execute("DROP TABLE checked")


def _report_rows(connection: duckdb.DuckDBPyConnection, file: str, header: list[str], report: StoreReport) -> None:
    """The rows read and loaded, and the problem of each bad row (the first ``MAX_LISTED`` of each
    check, in the order of the checks), into ``report``."""
    counts = dict(connection.execute("SELECT problem, count(*) FROM checked GROUP BY problem").fetchall())
    report.rows_read = sum(counts.values())
    report.rows_loaded = counts.pop(None, 0)
    for problem in [name for name in CHECKS if name in counts]:  # in the order of the checks
        column, message = CHECKS[problem]
        examples = connection.execute("""
            SELECT line, text, attendance_id, first FROM checked LEFT JOIN repeated USING (attendance_id)
            WHERE problem = ? ORDER BY line LIMIT ?""", [problem, MAX_LISTED]).fetchall()
        found = [(line, message(_row(header, text, attendance_id, first)))
                 for line, text, attendance_id, first in examples]
        report.problems += row_problems(file, column, found, counts[problem])


def _in_warehouse(attendances: ibis.Table, *, sites, bands) -> ibis.Table:
    """The first ``MAX_LISTED`` rows failing each check (in order of arrival), with how many fail it."""
    judged = attendances.mutate(problem=_first_problem(attendances, sites, bands, None))
    judged = judged.filter(judged.problem.notnull())
    ranked = judged.mutate(rank=ibis.row_number().over(group_by="problem", order_by=["arrival", "site_code"]))
    counted = judged.group_by("problem").aggregate(failing=judged.count())
    return ranked.filter(ranked["rank"] < MAX_LISTED).join(counted, "problem").order_by("problem", "rank")


def warehouse_problems(url: str, site_codes: Collection[str], label: str) -> list[Problem]:
    """The problems of the attendances already in the warehouse at ``url``, by the rules a file's
    rows are checked by (and their worked-out columns), each row named by its site and arrival."""
    found = engine(url).frame(shape(_in_warehouse, sites=TEXTS, bands=TEXTS),
                              (("attendances", ATTENDANCES_TABLE, SCHEMA),),
                              {"sites": sorted(site_codes), "bands": list(AGE_BANDS)})
    problems = []
    for problem in [name for name in CHECKS if name in set(found["problem"])]:
        column, message = CHECKS[problem]
        rows = found[found["problem"] == problem]
        for row in rows.to_dict("records"):
            shown = {name: "" if pd.isna(row.get(name)) else _shown(str(row[name])) for name in COLUMNS}
            place = f"site {shown['site_code']}, arrival {shown['arrival']}"
            problems.append(Problem(label, message(shown), location=f"{place}, column {column}"))
        if rows["failing"].iloc[0] > MAX_LISTED:
            problems.append(Problem(label, f"{rows['failing'].iloc[0] - MAX_LISTED} more rows have the same problem "
                                           f"in column {column}", location=f"column {column}"))
    return problems


def store_for(source: Path, folder: Path, site_codes: Collection[str]) -> tuple[Path, bool]:
    """The store file for ``source`` (built now unless a current one exists) and whether it was
    built now. It depends on the file's content and on the sites that exist."""
    codes = sorted(site_codes)
    folder.mkdir(parents=True, exist_ok=True)

    def build(target: Path) -> None:
        build_store(source, target, codes)

    return built(source, folder, "attendances", build, STORE_VERSION, ",".join(codes))


def read_report(store: Path | str) -> StoreReport:
    return StoreReport(**stored_report(store) | {"stored": Path(store)})


def site_codes(tree: OrgTree) -> tuple[str, ...]:
    """Every site's code: the values site_code may take."""
    return tuple(sorted(code for code, org in tree.nodes.items() if org.level == "site"))


def patient_store(config: Config, data_dir: Path) -> tuple[PatientExtract | None, StoreReport | None]:
    """The configured patient-level extract, and the report of its store file (built now unless a
    current one exists); no report where there is no file to read."""
    extract = configured(config.settings, data_dir)
    if extract is None or extract.path is None or not extract.path.is_file():
        return extract, None
    stored, _ = store_for(extract.path, store_folder(Path(data_dir)), site_codes(OrgTree(config.organisations)))
    return extract, read_report(stored)


# --- figures -----------------------------------------------------------------------------------
# Each figure is written once as an ibis expression (``portfolio.data.queries``) and runs on the
# engine that holds the attendances: DuckDB over the store file, or a warehouse's table.

SCHEMA = ibis.schema({"site_code": "string", "department_type": "int16", "arrival": "timestamp",
                      "departure": "timestamp", "minutes": "int32", "month": "string", "hour": "int16",
                      "weekday": "int16", "age_band": "string", "imd_decile": "int16", "admitted": "boolean"})
_views: dict[str, str] = {}
_views_lock = threading.Lock()


@functools.cache
def _files() -> DuckDBEngine:
    """The engine the store files are read through, holding a view of each; each file's metadata
    is cached once read."""
    return DuckDBEngine(":memory:", "SET parquet_metadata_cache = true")


def _where_held(store: str) -> tuple[Engine, str]:
    """The engine and table of ``store``: a store file (a view of it, made once), or a warehouse's
    URL (its ``portfolio_attendances`` table)."""
    if is_url(store):
        return engine(store), ATTENDANCES_TABLE
    with _views_lock:
        if store not in _views:
            name = f"attendances_{len(_views)}"
            quoted = store.replace("'", "''")
            _files().cursor().execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{quoted}')")
            _views[store] = name
        return _files(), _views[store]


def _ask(store: str, build, options: dict, **values) -> pd.DataFrame:
    held_by, table = _where_held(store)
    kinds = {name: FILTERS.get(name, TEXT) for name in values}
    return held_by.frame(shape(build, options, **kinds), (("attendances", table, SCHEMA),), values)


FILTERS = {"sites": TEXTS, "department_type": WHOLE, "imd_decile": WHOLE}


def _chosen(attendances: ibis.Table, first, last, **filters) -> ibis.Table:
    """The attendances of the months ``first`` to ``last`` and of the filters given."""
    rows = attendances.filter(attendances.month.between(first, last))
    if "sites" in filters:
        rows = rows.filter(filters["sites"].contains(rows.site_code))
    for column in ("department_type", "imd_decile"):
        if column in filters:
            rows = rows.filter(rows[column] == filters[column])
    return rows


def _filters(months: Months, sites: Sites, department_type: int | None, imd_decile: int | None) -> dict:
    first, last = (months, months) if isinstance(months, str) else months
    given = {"first": first, "last": last, "sites": (sites,) if isinstance(sites, str) else sites,
             "department_type": department_type, "imd_decile": imd_decile}
    return {name: value for name, value in given.items() if value is not None}


def _months(attendances: ibis.Table) -> ibis.Table:
    return attendances.select("month").distinct().order_by("month")


def months_held(store: str) -> list[str]:
    """Every month (YYYY-MM) with an attendance in the store, in order."""
    return list(_ask(store, _months, {})["month"])


def _counts(attendances: ibis.Table, *, by: str | None, first, last, **filters) -> ibis.Table:
    rows = _chosen(attendances, first, last, **filters)
    # a count of no rows is 0 (Spark's filtered count of no rows is NULL)
    figures = {"attendances": rows.count(), "within_4h": rows.count(where=rows.minutes <= FOUR_HOURS).fill_null(0),
               "over_12h": rows.count(where=rows.minutes > TWELVE_HOURS).fill_null(0),
               "admitted": rows.count(where=rows.admitted).fill_null(0)}
    if by is None:
        return rows.aggregate(**figures)
    return rows.group_by(by).aggregate(**figures).order_by(ibis.asc(by, nulls_first=False))


def counts(store: str, months: Months, sites: Sites = None, department_type: int | None = None,
           imd_decile: int | None = None, by: str | None = None) -> pd.DataFrame:
    """Attendances, those within 4 hours, those over 12 hours from arrival and those admitted, with
    each as a percentage of the attendances: in total (one row), or by ``by`` (month, site_code or
    imd_decile; a blank decile is NaN, last)."""
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"counts by '{by}': choose one of {', '.join(GROUPINGS)}")
    frame = _ask(store, _counts, {"by": by}, **_filters(months, sites, department_type, imd_decile))
    if by == "imd_decile":
        frame["imd_decile"] = frame["imd_decile"].astype("float64")  # a decile not known: NaN, not pandas.NA
    for column in ("within_4h", "over_12h", "admitted"):
        frame[f"pct_{column}"] = (100 * frame[column] / frame["attendances"]).where(frame["attendances"] > 0)
    return frame


def _bands(attendances: ibis.Table, *, first, last, **filters) -> ibis.Table:
    rows = _chosen(attendances, first, last, **filters)
    band = ibis.least(ibis.greatest((rows.minutes / BAND_MINUTES).ceil() - 1, 0), LAST_BAND).cast("int32")
    return rows.group_by(band=band).aggregate(attendances=rows.count())


def time_in_department(store: str, months: Months, sites: Sites = None, department_type: int | None = None,
                       imd_decile: int | None = None) -> pd.DataFrame:
    """Attendances by time in department in 30-minute bands up to 24 hours, then "24h+": one row
    per band (from_minutes, label, attendances, percent, cumulative_percent). A band includes its
    upper end, so the bands up to 4h add up to the attendances within 4 hours."""
    found = _ask(store, _bands, {}, **_filters(months, sites, department_type, imd_decile))
    bands = found.set_index("band")["attendances"].reindex(range(LAST_BAND + 1), fill_value=0)
    total = bands.sum()
    return pd.DataFrame({
        "from_minutes": bands.index * BAND_MINUTES,
        "label": [_band_label(band) for band in bands.index],
        "attendances": bands.to_numpy(),
        "percent": (100 * bands / total).to_numpy() if total else float("nan"),
        "cumulative_percent": (100 * bands.cumsum() / total).to_numpy() if total else float("nan"),
    })


def _band_label(band: int) -> str:
    if band == LAST_BAND:
        return "24h+"
    start, end = band * BAND_MINUTES, (band + 1) * BAND_MINUTES
    return f"{start // 60}h{start % 60:02d}–{end // 60}h{end % 60:02d}"


def _by_hour(attendances: ibis.Table, *, first, last, **filters) -> ibis.Table:
    rows = _chosen(attendances, first, last, **filters)
    return rows.group_by("weekday", "hour").aggregate(attendances=rows.count())


def arrivals_by_hour(store: str, months: Months, sites: Sites = None, department_type: int | None = None,
                     imd_decile: int | None = None) -> pd.DataFrame:
    """Attendances by hour of arrival (0–23) and ISO weekday (1 = Monday … 7): all 168 cells."""
    found = _ask(store, _by_hour, {}, **_filters(months, sites, department_type, imd_decile))
    grid = pd.MultiIndex.from_product([range(1, 8), range(24)], names=["weekday", "hour"])
    cells = found.set_index(["weekday", "hour"])["attendances"].reindex(grid, fill_value=0).reset_index()
    cells["day"] = [WEEKDAYS[day - 1] for day in cells["weekday"]]
    return cells
