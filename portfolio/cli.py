"""Command line: ``python -m portfolio check``, ``values``, ``import``, ``prepare``, ``pack`` and ``schema``."""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import sys
from pathlib import Path

import pandas as pd
import yaml

from portfolio.config.described import FILES, file_schema, json_schema
from portfolio.config.files import shown, unreadable, unwritable
from portfolio.config.loading import load_config
from portfolio.config.months import Month
from portfolio.config.problems import Problem
from portfolio.data.attendances import configured, patient_store, site_codes, warehouse_problems
from portfolio.data.engines import ATTENDANCES_TABLE, EMBEDDED, FACTS_TABLE, engine, shown_url
from portfolio.data.extracts import load_extracts
from portfolio.data.imports.icb import prepare
from portfolio.data.imports.ods import organisations
from portfolio.data.imports.published import UnknownLayout
from portfolio.data.imports.run import import_files
from portfolio.data.sources import Unreachable, check_warehoused, reach
from portfolio.data.warehouse import Load, load
from portfolio.figures.engine import Engine
from portfolio.hints import hints
from portfolio.outputs.pack import board_pack
from portfolio.workspace import default_folders, load_workspace

VALUES_HEADER = ["period", "org_code", "value", "numerator", "denominator", "target", "status"]


def _folders(parser: argparse.ArgumentParser) -> None:
    config, data = default_folders()
    parser.add_argument("--config", type=Path, default=config, help=f"config folder (default {config})")
    parser.add_argument("--data", type=Path, default=data, help=f"extracts folder (default {data})")


def _source(parser: argparse.ArgumentParser, flag: str = "--source", required: bool = False) -> None:
    parser.add_argument(flag, required=required, metavar="NAME", help=(
        "a warehouse: the name of a connection in .streamlit/secrets.toml ([connections.NAME]) or a URL "
        "(postgresql://user@host:5432/db, spark://local[2] or spark://host:7077, duckdb:///file.duckdb)"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m portfolio", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate the config and extracts, and say what is not set up yet; "
                                              "exit 1 on any problem")
    _folders(check)
    _source(check)
    values = commands.add_parser("values", help="print a metric's computed series as CSV")
    _folders(values)
    _source(values)
    values.add_argument("--metric", required=True, help="metric id, as in config/portfolios")
    values.add_argument("--org", help="organisation code (default: the whole system)")
    values.add_argument("--from", dest="start", help="first month, YYYY-MM")
    values.add_argument("--to", dest="end", help="last month, YYYY-MM")
    values.add_argument("--extract", type=Path, help="an imported extract to read instead of the configured data "
                                                     "(its rows are summed as counts and ratios)")
    importing = commands.add_parser("import", help="convert NHS England publications into the tidy extract layout")
    importing.add_argument("kind", help="what the files are: ae, rtt, dm01, cwt or ods")
    importing.add_argument("files", nargs="+", type=Path, help="the published files, as downloaded")
    importing.add_argument("--out", type=Path, required=True,
                           help="the tidy CSV to write (for ods: the organisations YAML to write)")
    importing.add_argument("--icb", help="for ods: the ICB whose trusts and sites to write, such as QYG")
    preparing = commands.add_parser("prepare", help="a config and data folder for one ICB from NHS England's files")
    preparing.add_argument("--icb", required=True, help="the ICB's ODS code, such as QYG")
    preparing.add_argument("--from", dest="source", type=Path, required=True,
                           help="a folder holding the publications and the ODS reference files")
    preparing.add_argument("--out", type=Path, required=True, help="the folder to write config/ and data/ into")
    packing = commands.add_parser("pack", help="a meeting's board pack as a PDF (and its tables as a workbook)")
    _folders(packing)
    packing.add_argument("--meeting", required=True, help="the meeting's id, as in config/meetings")
    packing.add_argument("--out", type=Path, required=True, help="the PDF to write")
    packing.add_argument("--xlsx", type=Path, help="also write every table of the pack to this workbook")
    loading = commands.add_parser("load", help="validate the extracts as check does and write their good rows (and "
                                               "the patient-level file's) into a warehouse's tables")
    _folders(loading)
    _source(loading, "--to", required=True)
    schema = commands.add_parser("schema", help="print the JSON Schema of the YAML files in config/, for an editor "
                                                "to check them as they are typed")
    schema.add_argument("--file", choices=list(FILES), help="the schema of one kind of file only: "
                        + ", ".join(f"{kind} ({files})" for kind, (files, _) in FILES.items()))
    return parser


def run_schema(args) -> int:
    print(json.dumps(file_schema(args.file) if args.file else json_schema(), indent=2, ensure_ascii=False))
    return 0


def run_pack(args) -> int:
    """For a board secretary's scheduled run: the same pack as Board meetings gives."""
    workspace = load_workspace(args.config, args.data)
    meeting = workspace.config.meetings.get(args.meeting)
    if meeting is None:
        known = ", ".join(sorted(workspace.config.meetings)) or "none is set up"
        return _fail(f"there is no meeting '{args.meeting}' in {args.config / 'meetings'} (meetings: {known})")
    if not workspace.engine.periods:
        return _fail("no extract rows could be loaded: run 'python -m portfolio check' to see why")
    pack = board_pack(workspace, meeting)
    for path, content in ((args.out, pack.pdf), (args.xlsx, pack.xlsx)):
        if path is not None:
            path.write_bytes(content)
            print(f"wrote {path}")
    return 0


def run_check(args) -> int:
    workspace = load_workspace(args.config, args.data, args.source)
    problems = workspace.problems + check_warehoused(workspace.config, workspace.store.warehoused, args.source)
    problems += _warehoused_attendances(workspace, args.source)
    for problem in problems:
        print(f"{problem.severity}: {problem}")
    for hint in hints(workspace):
        print(f"hint: {hint}")
    loaded = ", ".join(p.id for p in workspace.config.portfolios) or "none"
    rows = sum(r.rows_loaded for r in workspace.extracts)
    print(f"{len(problems)} problem(s); portfolios loaded: {loaded}; extract rows loaded: {rows:,}")
    return 1 if problems else 0


def _warehoused_attendances(workspace, source: str | None) -> list[Problem]:
    """The problems of the patient-level attendances, where they are read from a warehouse."""
    extract = configured(workspace.config.settings, workspace.data_dir, source)
    if extract is None or extract.source == EMBEDDED:
        return []
    shown = shown_url(extract.source)
    label = f"{extract.name} in the warehouse '{shown}'"
    try:
        url = reach(extract.source).url
    except Unreachable as error:
        return [Problem(extract.name, f"is to be read from the warehouse '{shown}', but {error}")]
    if not engine(url).has_table(ATTENDANCES_TABLE):
        return [Problem(label, f"has no rows yet: load them with python -m portfolio load --to {shown}")]
    return warehouse_problems(url, site_codes(workspace.tree), label)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def run_import(args) -> int:
    unusable = unwritable(args.out)  # checked before anything is read, as is every file
    if unusable:
        return _fail(f"--out {unusable}: name the {'organisations YAML' if args.kind == 'ods' else 'CSV'} file to write")
    problem = next((f"{shown(f)} {why}" for f in args.files if (why := unreadable(f))), None)
    if problem:
        return _fail(problem)
    if args.kind == "ods":
        return _import_organisations(args)
    try:
        result = import_files(args.kind, args.files,
                          progress=lambda done, total, name: progress_bar(done, total, name and f"reading {name}"))
    except UnknownLayout as error:
        return _fail(str(error))
    for note in result.notes:
        print(note)
    if not result.rows:
        return _fail("nothing was imported")
    try:
        written = result.write(args.out)
    except OSError as error:
        return _fail(f"cannot write {shown(args.out)} ({error.strerror})")
    print(f"wrote {written:,} rows to {args.out}")
    return 0


def progress_bar(done: int, total: int, name: str, width: int = 30, unit: str = "files") -> None:
    """A bar on standard error, redrawn in place on a terminal (one line per step elsewhere, so a
    log shows how far it got)."""
    filled = width * done // total if total else width
    line = f"[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} {unit}{'  ' + name if name else ''}"
    if sys.stderr.isatty():
        print(f"\r{line:<100}", end="" if done < total else "\n", file=sys.stderr, flush=True)
    else:
        print(line, file=sys.stderr, flush=True)


def _import_organisations(args) -> int:
    if not args.icb:
        return _fail("importing ods needs --icb: the ICB whose trusts to write, such as QYG")
    try:
        document, notes = organisations(args.icb, args.files)
    except UnknownLayout as error:
        return _fail(str(error))
    for note in notes:
        print(note)
    try:
        args.out.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    except OSError as error:
        return _fail(f"cannot write {shown(args.out)} ({error.strerror})")
    print(f"wrote {args.out}: check each trust's type, which ODS does not give")
    return 0


def run_prepare(args) -> int:
    if not args.source.is_dir():
        return _fail(f"no such folder: {args.source}")
    try:
        notes = prepare(args.icb, args.source, args.out)
    except UnknownLayout as error:
        return _fail(str(error))
    for note in notes:
        print(note)
    print(f"run it: PORTFOLIO_CONFIG={args.out / 'config'} PORTFOLIO_DATA={args.out / 'data'} "
          "python3 -m streamlit run app.py")
    return 0


def run_values_from_extract(args) -> int:
    """A metric's series straight from a tidy extract (an imported one): sums per month for the
    organisation, a ratio of sums as a percentage where the rows carry numerators."""
    if not args.extract.is_file():
        return _fail(f"no such extract: {args.extract}")
    frame = pd.read_csv(args.extract, dtype={"period": str, "org_code": str, "breakdown": str}, keep_default_na=False)
    rows = frame[(frame["metric_id"] == args.metric) & (frame["breakdown"] == "")]
    if rows.empty:
        known = sorted(frame["metric_id"].unique())
        return _fail(f"no metric '{args.metric}' in {args.extract.name}; it holds {', '.join(known)}")
    if args.org:
        rows = rows[rows["org_code"] == args.org]
    numbers = rows[["value", "numerator", "denominator"]].apply(pd.to_numeric, errors="coerce")
    summed = numbers.assign(period=rows["period"]).groupby("period").sum(min_count=1)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(VALUES_HEADER)
    for period, row in summed.iterrows():
        if args.start and period < args.start or args.end and period > args.end:
            continue
        value = row["numerator"] / row["denominator"] * 100 if pd.notna(row["denominator"]) else row["value"]
        writer.writerow([period, args.org or "", _plain(value), _plain(row["numerator"]), _plain(row["denominator"]),
                         "", ""])
    return 0


def run_values(args) -> int:
    if args.extract:
        return run_values_from_extract(args)
    workspace = load_workspace(args.config, args.data, args.source)
    engine: Engine = workspace.engine
    metrics = workspace.config.metrics
    if args.metric not in metrics:
        close = difflib.get_close_matches(args.metric, list(metrics), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; run 'python -m portfolio check' to list problems"
        return _fail(f"unknown metric '{args.metric}'{hint}")
    unread = next((r for r in workspace.extracts if r.file == metrics[args.metric].source.extract
                   and not r.rows_loaded and r.problems), None)
    if unread:  # nothing to print but an empty series: say why instead
        return _fail(str(unread.problems[0]))
    org = args.org or workspace.tree.root
    if org not in workspace.tree:
        return _fail(f"unknown organisation '{org}'; codes are listed in {args.config / 'organisations.yaml'}")
    try:
        start = args.start and Month(args.start)
        end = args.end and Month(args.end)
    except ValueError as error:
        return _fail(str(error))
    rows = engine.series(args.metric, org, start=start, end=end)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(VALUES_HEADER)
    for row in rows.itertuples():
        writer.writerow([row.period, org, _plain(row.value), _plain(row.numerator), _plain(row.denominator),
                         _plain(row.target), row.status])
    return 0


def _plain(number) -> str:
    """A number without float noise; blank when missing."""
    if number is None or number != number:
        return ""
    return f"{float(number):.6f}".rstrip("0").rstrip(".")


def run_load(args) -> int:
    """Validate as ``check`` does, then write each file's good rows into the warehouse ``--to``."""
    try:
        target = reach(args.to)
    except Unreachable as error:
        return _fail(f"--to {shown_url(args.to)}: {error}")
    config = load_config(args.config)
    _, reports = load_extracts(config, args.data)
    patient_level, patient_report = patient_store(config, args.data)
    problems = config.problems + [p for r in reports for p in r.problems] + (patient_report.problems if patient_report
                                                                             else [])
    for problem in problems:
        print(f"{problem.severity}: {problem}")
    loads = [Load(r.file, FACTS_TABLE, r.stored) for r in reports if r.stored is not None]
    if patient_report:
        loads.append(Load(patient_level.name, ATTENDANCES_TABLE, patient_report.stored))
    elif patient_level:
        print(f"warning: the patient-level extract {patient_level.name} is not in {args.data}, so it was not loaded")
    for item in loads:
        written = load(target, item, lambda done, total: progress_bar(done, total, item.file, unit="rows"))
        print(f"{item.file}: {'loaded' if written else 'unchanged since it was last loaded, so not loaded again'}")
    print(f"{len(problems)} problem(s); {len(loads)} file(s) in {shown_url(target.url)}")
    return 1 if any(p.severity == "error" for p in problems) else 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return {"check": run_check, "values": run_values, "import": run_import, "prepare": run_prepare,
            "pack": run_pack, "schema": run_schema, "load": run_load}[args.command](args)
