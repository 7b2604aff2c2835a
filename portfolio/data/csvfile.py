"""Reading a CSV file the dashboard is given, the tidy extracts and the patient-level file alike:
its text (whatever program saved it), its header, and its records, each with the line it starts
on in the file; and the problems found, worded the same way for every file.

A file is read whole as text here (an extract is bounded by ``max_extract_mb``). The patient-level
file, millions of rows, is read line by line by DuckDB instead (``attendances.LINES``); it shares
the header and the wording of its problems from here.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from portfolio.config.problems import Problem

MAX_LISTED = 25  # per check and file; the rest are counted in one line
MAX_RECORD_LINES = 20  # a quoted note may run over lines; a quote left open is given up after this many
STRAY = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # control characters other than tab and the line break


def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 as Excel writes it."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def decode_lines(raw: bytes) -> tuple[str, str, list[int]]:
    """The file's text, its encoding, and the lines (from 1) read as Windows-1252 in a file whose
    other lines are UTF-8 ("mixed"): each line is decoded on its own, so one line saved by another
    program does not turn every other line's "£" or "é" into nonsense."""
    try:
        return raw.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError:
        pass
    lines, windows, utf8 = [], [], False
    for number, line in enumerate(raw.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        try:
            lines.append(line.decode("utf-8"))
            utf8 = utf8 or not line.isascii()
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
            windows.append(number)
    return ("\n".join(lines), "mixed", windows) if utf8 else ("\n".join(lines), "cp1252", [])


def listed(numbers: list[int], most: int = 10) -> str:
    """Line numbers for a message: the first ``most``, then how many more."""
    shown = ", ".join(map(str, numbers[:most]))
    return shown + (f" and {len(numbers) - most} more" if len(numbers) > most else "")


def without_stray_characters(text: str) -> tuple[str, list[int]]:
    """The text with each control character (a NUL, a carriage return inside a line) made a space,
    and the lines that had one. A file whose only line breaks are carriage returns (an old Mac's)
    has them read as line breaks."""
    text = text.replace("\r\n", "\n").removesuffix("\r")
    if "\n" not in text:
        text = text.replace("\r", "\n")
    if not STRAY.search(text):
        return text, []
    lines = text.split("\n")
    found = [number for number, line in enumerate(lines, start=1) if STRAY.search(line)]
    return "\n".join(STRAY.sub(" ", line) if STRAY.search(line) else line for line in lines), found


def read_text(path: Path, name: str, problems: list[Problem]) -> tuple[str, str] | None:
    """The file's text, with its line breaks made plain and its control characters spaces, and its
    encoding; what was done to it is added to ``problems`` as warnings. None (after saying why)
    when the file cannot be read."""
    try:
        text, encoding, cp1252_lines = decode_lines(path.read_bytes())
    except OSError as error:
        problems.append(Problem(name, f"cannot be read: {error.strerror}"))
        return None
    if cp1252_lines:
        problems.append(Problem(
            name, f"{len(cp1252_lines)} line{'s are' if len(cp1252_lines) > 1 else ' is'} not UTF-8 (read as Windows-1252, "
            f"as Excel saves it) in a file that is otherwise UTF-8: lines {listed(cp1252_lines)}; save the whole file "
            "as UTF-8 and check the accented letters and £ signs on them", line=cp1252_lines[0], severity="warning"))
    text, stray = without_stray_characters(text)
    if stray:
        problems.append(Problem(
            name, f"control characters (such as NUL) were read as spaces on lines {listed(stray)}: check how the "
            "file was written", line=stray[0], severity="warning"))
    return text, encoding


def records(text: str) -> Iterator[tuple[int, str, int | None]]:
    """(line, text, number of values) for each record of CSV text, the line being where it starts
    in the file. A record whose quote is never closed has None values and only its own line is
    skipped, so one bad row cannot swallow the rows after it (as a CSV reader does, reading to the
    end of the file for the closing quote)."""
    lines = text.split("\n")
    if '"' not in text:  # no quoting anywhere: each line is a record (the usual case, and quick)
        yield from ((number, line, line.count(",") + 1) for number, line in enumerate(lines, start=1) if line.strip())
        return
    index = 0
    while index < len(lines):
        start, record = index, lines[index].removesuffix("\r")
        index += 1
        while record.count('"') % 2 and index < len(lines) and index - start < MAX_RECORD_LINES:
            record += "\n" + lines[index].removesuffix("\r")
            index += 1
        if record.count('"') % 2:
            index = start + 1
            yield start + 1, record, None
        elif record.strip():
            try:
                yield start + 1, record, len(next(csv.reader([record])))
            except csv.Error:  # a line break outside quotes (a quote in the middle of a value)
                index = start + 1
                yield start + 1, record, None


def header_names(record: str) -> list[str]:
    """The column names of a header record, trimmed and in lower case (capitals do not make a
    different column)."""
    return [name.strip().lower() for name in next(csv.reader([record]), [])]


def read_header(path: Path) -> list[str]:
    """The column names on the file's first line."""
    with open(path, "rb") as handle:
        line = handle.readline()
    return header_names(decode(line)[0].rstrip("\r\n"))


def header_problem(file: str, columns: list[str], line: int) -> Problem | None:
    """Why the header (on ``line``) cannot be read: a column with no name, or a name given twice."""
    unnamed = [number for number, column in enumerate(columns, start=1) if not column]
    twice = sorted({column for column in columns if column and columns.count(column) > 1})
    if unnamed:
        return Problem(file, f"has a column with no name in its header (column {unnamed[0]}): name it, or remove it",
                       location="header", line=line)
    if twice:
        return Problem(file, f"names the column {', '.join(twice)} more than once in its header (capitals do not "
                             "make a different column): keep one", location="header", line=line)
    return None


def missing_columns(file: str, columns: list[str], required: tuple[str, ...],
                    known: tuple[str, ...]) -> Problem | None:
    """A header without a required column: the file is not read. The header must name every known
    column when all are required, and include the required ones when others are optional."""
    missing = [column for column in required if column not in columns]
    if not missing:
        return None
    must = "name" if set(known) == set(required) else "include"
    return Problem(file, f"has no {', '.join(missing)} column; the header must {must} {', '.join(required)} "
                         "(see docs/extracts.md)", location="header", line=1)


def unknown_columns(file: str, columns: list[str], known: tuple[str, ...]) -> Problem | None:
    """A warning naming the header's columns that are not read."""
    unknown = [column for column in columns if column not in known]
    return Problem(file, f"unknown columns ignored: {', '.join(unknown)}", location="header", line=1,
                   severity="warning") if unknown else None


def row_problems(file: str, column: str, found: list[tuple[int, str]], count: int) -> list[Problem]:
    """The problem of each row (line, message) in ``found`` (the first ``MAX_LISTED`` of the
    ``count`` rows that have it), then one line counting the rest."""
    problems = [Problem(file, message, location=f"row {line}, column {column}", line=line)
                for line, message in found[:MAX_LISTED]]
    if count > MAX_LISTED:
        problems.append(Problem(file, f"{count - MAX_LISTED} more rows have the same problem in column {column}",
                                location=f"column {column}"))
    return problems
