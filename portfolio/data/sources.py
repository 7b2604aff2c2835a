"""Which engine holds each extract's rows: the dashboard's own store (``embedded``, the default),
or a warehouse named in settings.yaml (``source:``) or on the command line (``--source``), whose
``portfolio_facts`` table ``python -m portfolio load`` filled."""

from __future__ import annotations

import ibis

from portfolio.config.loading import Config
from portfolio.config.problems import Problem
from portfolio.data.engines import (EMBEDDED, FACTS_TABLE, Engine, UnknownConnection, UnknownEngine, connection_url,
                                    engine, shown_url)
from portfolio.data.extracts import ExtractReport, check_stored, extract_names
from portfolio.data.queries import TEXT, shape
from portfolio.data.store import FACTS


def source_of(config: Config, name: str, override: str | None = None) -> str:
    """The source of the extract ``name``: ``override`` (a connection's name or a URL) when given,
    else its settings' ``source:``, else embedded."""
    info = config.settings.extracts.get(name) or config.settings.patient_level.get(name)
    return override or (info.source if info else EMBEDDED)


def reach(source: str) -> Engine:
    """The engine of a connection's name or URL; raises ``Unreachable`` saying why not."""
    try:
        found = engine(connection_url(source))
        found.has_table(FACTS_TABLE)  # connects now, so that a wrong host or password is said here
        return found
    except (UnknownConnection, UnknownEngine) as error:
        raise Unreachable(str(error)) from error
    except Exception as error:  # the driver's own: a refused connection, a wrong password, no Java
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise Unreachable(f"could not connect to {shown_url(connection_url(source))} ({first_line})") from error


class Unreachable(Exception):
    """A warehouse that cannot be used, and why (fit to print)."""


def _summary(facts: ibis.Table, *, extract) -> ibis.Table:
    rows = facts.filter(facts.extract == extract)
    actual = rows.series == "actual"
    return rows.aggregate(rows=rows.count(), first=rows.period.min(where=actual), last=rows.period.max(where=actual))


SUMMARY = shape(_summary, extract=TEXT)


def warehoused(config: Config, override: str | None = None) -> tuple[dict[str, Engine], list[ExtractReport]]:
    """The extracts read from a warehouse: each one's engine, and a report of what it holds (or of
    why it cannot be read: the rest of the dashboard keeps working)."""
    engines, reports = {}, []
    for name in extract_names(config):
        source = source_of(config, name, override)
        if source == EMBEDDED:
            continue
        report = ExtractReport(file=name, info=config.settings.extracts.get(name))
        reports.append(report)
        try:
            held_by = reach(source)
        except Unreachable as error:
            report.problems.append(Problem(name, f"is to be read from the warehouse '{shown_url(source)}', but {error}",
                                           location=f"extracts.{name}.source" if not override else ""))
            continue
        summary = held_by.frame(SUMMARY, (("facts", FACTS_TABLE, FACTS),), {"extract": name}) \
            if held_by.has_table(FACTS_TABLE) else None
        if summary is None or not summary["rows"].iloc[0]:
            report.problems.append(Problem(name, f"has no rows in the warehouse '{shown_url(source)}' yet: load them "
                                                 f"with python -m portfolio load --to {shown_url(source)}"))
            continue
        report.rows_read = report.rows_loaded = int(summary["rows"].iloc[0])
        report.first_period, report.last_period = summary["first"].iloc[0], summary["last"].iloc[0]
        engines[name] = held_by
    return engines, reports


def _all_rows(facts: ibis.Table, *, extract) -> ibis.Table:
    return facts.filter(facts.extract == extract).order_by("line", "metric_id", "org_code", "period", "series")


ALL_ROWS = shape(_all_rows, extract=TEXT)


def check_warehoused(config: Config, engines: dict[str, Engine], override: str | None = None) -> list[Problem]:
    """The problems of the rows each warehoused extract holds there, by the rules its file would
    be checked by (what ``check`` says of a warehouse the dashboard reads)."""
    problems = []
    for name, held_by in engines.items():
        stored = held_by.frame(ALL_ROWS, (("facts", FACTS_TABLE, FACTS),), {"extract": name})
        problems += check_stored(config, name, stored, f"{name} in the warehouse '{shown_url(source_of(config, name, override))}'")
    return problems
