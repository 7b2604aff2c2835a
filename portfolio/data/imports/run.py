"""Importing a set of published files of one kind: each file's layout recognised from its header,
a later vintage of a month replacing an earlier one (and saying so), and a report of what was
read and what was skipped and why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from portfolio.data.imports import ae, cwt, dm01, rtt
from portfolio.data.imports.published import Imported, UnknownLayout, read_table

READERS = {"ae": ae, "rtt": rtt, "dm01": dm01, "cwt": cwt}
REVISED_MARKS = ("revised", "-v2", "_v2", "v2.0")


def vintage_order(files: list[Path]) -> list[Path]:
    """The files in the order given, except that a file marked as a revision comes after the
    others (so that it replaces the first vintage of its month)."""
    return sorted(files, key=lambda f: any(mark in f.name.lower() for mark in REVISED_MARKS))


def import_files(kind: str, files: list[Path],
                 progress: Callable[[int, int, str], None] | None = None) -> Imported:
    """Every file read into one set of tidy rows. ``progress(done, total, name)`` is called as each
    file is finished, for a progress bar."""
    if kind not in READERS:
        raise UnknownLayout(f"cannot import '{kind}' yet: the kinds that can be imported are "
                            f"{', '.join(sorted(READERS))}")
    reader = READERS[kind]
    result = Imported()
    source: dict[tuple, str] = {}  # (month, metrics) → the file they were read from
    ordered = vintage_order(files)
    for done, path in enumerate(ordered, start=1):
        if progress:
            progress(done - 1, len(ordered), path.name)
        try:
            table = read_table(path)
            if not reader.recognises(table):
                raise UnknownLayout(f"its header is not a {kind} layout (first columns: "
                                    f"{', '.join(table.header[:4])})")
            month = Imported()
            period = reader.read(table, month)
        except (UnknownLayout, ValueError, KeyError) as error:
            result.notes.append(f"skipped {path.name}: {error}")
            continue
        metrics = frozenset(key[0] for key in month.rows)  # one publication: a month of these metrics
        if (period, metrics) in source:
            result.drop(period, metrics)
            result.notes.append(f"{period}: {path.name} replaces {source[period, metrics]} (a later vintage of the month)")
        source[period, metrics] = path.name
        result.rows.update(month.rows)
        result.notes.append(f"read {path.name}: {period}, {len(month.rows):,} rows{left_out(month)}")
    if progress:
        progress(len(ordered), len(ordered), "")
    return result


def left_out(month: Imported) -> str:
    """The rows of a file left out for want of a figure, and the first of them, for the file's note."""
    if not month.left_out:
        return ""
    metric, period, org, _, member = month.left_out[0]
    return (f"; {len(month.left_out):,} left out with no usable figure (a missing, blank, infinite or not-a-number "
            f"cell, or a rate over zero), the first {metric} for {org}{' ' + member if member else ''} in {period}")
