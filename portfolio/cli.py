"""Command line: ``python -m portfolio check`` and ``python -m portfolio values``."""

from __future__ import annotations

import argparse
import csv
import difflib
import sys
from pathlib import Path

from portfolio.engine import Engine
from portfolio.periods import parse_month
from portfolio.workspace import default_folders, load_workspace

VALUES_HEADER = ["period", "org_code", "value", "numerator", "denominator", "target", "status"]


def _folders(parser: argparse.ArgumentParser) -> None:
    config, data = default_folders()
    parser.add_argument("--config", type=Path, default=config, help=f"config folder (default {config})")
    parser.add_argument("--data", type=Path, default=data, help=f"extracts folder (default {data})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m portfolio", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate the config and extracts; exit 1 on any problem")
    _folders(check)
    values = commands.add_parser("values", help="print a metric's computed series as CSV")
    _folders(values)
    values.add_argument("--metric", required=True, help="metric id, as in config/portfolios")
    values.add_argument("--org", help="organisation code (default: the whole system)")
    values.add_argument("--from", dest="start", help="first month, YYYY-MM")
    values.add_argument("--to", dest="end", help="last month, YYYY-MM")
    return parser


def run_check(args) -> int:
    workspace = load_workspace(args.config, args.data)
    problems = workspace.problems
    for problem in problems:
        print(f"{problem.severity}: {problem}")
    loaded = ", ".join(p.id for p in workspace.config.portfolios) or "none"
    rows = sum(r.rows_loaded for r in workspace.extracts)
    print(f"{len(problems)} problem(s); portfolios loaded: {loaded}; extract rows loaded: {rows:,}")
    return 1 if problems else 0


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def run_values(args) -> int:
    workspace = load_workspace(args.config, args.data)
    engine: Engine = workspace.engine
    metrics = workspace.config.metrics
    if args.metric not in metrics:
        close = difflib.get_close_matches(args.metric, list(metrics), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; run 'python -m portfolio check' to list problems"
        return _fail(f"unknown metric '{args.metric}'{hint}")
    org = args.org or workspace.tree.root
    if org not in workspace.tree:
        return _fail(f"unknown organisation '{org}'; codes are listed in {args.config / 'organisations.yaml'}")
    try:
        start = args.start and str(parse_month(args.start))
        end = args.end and str(parse_month(args.end))
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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return {"check": run_check, "values": run_values}[args.command](args)
