"""Reading a CSV file the dashboard is given, the tidy extracts and the patient-level file alike:
its lines (whatever program saved them), its header, and its records, each with the line it starts
on in the file; and the problems found, worded the same way for every file.

A file is read as a stream, one line at a time, so the patient-level file (millions of rows) is
never held whole: ``TextLines`` decodes each line and ``records`` joins the lines of a quoted note
and counts each record's values. An extract (bounded by ``max_extract_mb``) keeps all its
records; the patient-level file hands them to DuckDB in chunks (``attendances``).
"""

from __future__ import annotations

import csv
import re
from collections import deque
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path

from portfolio.config.problems import Problem

MAX_LISTED = 25  # per check and file; the rest are counted in one line
MAX_RECORD_LINES = 20  # a quoted note may run over lines; a quote left open is given up after this many
STRAY = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # control characters other than tab and the line break
BOM = b"\xef\xbb\xbf"
Record = tuple[int, str, int | None]  # (line it starts on, its text, its number of values or None)


def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 as Excel writes it."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def listed(numbers: list[int], most: int = 10) -> str:
    """Line numbers for a message: the first ``most``, then how many more."""
    shown = ", ".join(map(str, numbers[:most]))
    return shown + (f" and {len(numbers) - most} more" if len(numbers) > most else "")


class LineTooLong(Exception):
    """A line longer than a file's limit: nothing of the file is read."""

    def __init__(self, line: int, longest: int):
        super().__init__(f"line {line} is longer than {longest // 1_000_000} MB")
        self.line, self.longest = line, longest


class TextLines:
    """A file's lines as text, (line number, text), read one at a time from its bytes. Each line is
    decoded on its own, UTF-8 else Windows-1252, so one line saved by another program does not
    turn every other line's "£" or "é" into nonsense; a line's carriage return ending is dropped and
    its control characters (a NUL, a carriage return inside it) made spaces. A file whose only line
    breaks are carriage returns (an old Mac's) has them read as line breaks. What was done is known
    once the lines are read: ``encoding`` and ``warnings``. A line longer than ``longest`` bytes
    (when given) raises ``LineTooLong``."""

    def __init__(self, path: Path, longest: int | None = None):
        self.path, self.longest = path, longest
        self.windows: list[int] = []  # the lines read as Windows-1252
        self.stray: list[int] = []  # the lines with a control character
        self.utf8 = False  # a line with more than ASCII read as UTF-8

    @property
    def encoding(self) -> str:
        """utf-8, cp1252 (no line is UTF-8 beyond ASCII), or mixed (some lines of each)."""
        return "utf-8" if not self.windows else "mixed" if self.utf8 else "cp1252"

    def __iter__(self) -> Iterator[tuple[int, str]]:
        longest, stray = self.longest, STRAY.search
        with open(self.path, "rb") as handle:
            for number, raw in enumerate(iter(partial(handle.readline, -1 if longest is None else longest + 1), b""), 1):
                if longest is not None and len(raw) > longest and not raw.endswith(b"\n"):
                    raise LineTooLong(number, longest)
                text = self._decoded(number, raw.removeprefix(BOM) if number == 1 else raw)
                if number == 1 and not raw.endswith(b"\n"):  # the file's only line: split at an old Mac's breaks
                    yield from (self._cleaned(n, part) for n, part in enumerate(text.removesuffix("\r").split("\r"), 1))
                else:
                    text = text.removesuffix("\n").removesuffix("\r")
                    yield (number, text) if not stray(text) else self._cleaned(number, text)

    def _decoded(self, number: int, raw: bytes) -> str:
        """The line's text: UTF-8, else Windows-1252 (the line is noted)."""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.windows.append(number)
            return raw.decode("cp1252", errors="replace")
        self.utf8 = self.utf8 or not raw.isascii()
        return text

    def _cleaned(self, number: int, text: str) -> tuple[int, str]:
        """The line with its control characters made spaces (the line is noted)."""
        if STRAY.search(text):
            self.stray.append(number)
            text = STRAY.sub(" ", text)
        return number, text

    def warnings(self, name: str) -> list[Problem]:
        """What was done to the lines read, as warnings: lines read as Windows-1252 in a file that
        is otherwise UTF-8, and control characters read as spaces."""
        found = []
        if self.encoding == "mixed":
            windows = self.windows
            found.append(Problem(
                name, f"{len(windows)} line{'s are' if len(windows) > 1 else ' is'} not UTF-8 (read as Windows-1252, "
                f"as Excel saves it) in a file that is otherwise UTF-8: lines {listed(windows)}; save the whole file "
                "as UTF-8 and check the accented letters and £ signs on them", line=windows[0], severity="warning"))
        if self.stray:
            found.append(Problem(
                name, f"control characters (such as NUL) were read as spaces on lines {listed(self.stray)}: check how "
                "the file was written", line=self.stray[0], severity="warning"))
        return found


def read_records(path: Path, name: str, problems: list[Problem]) -> tuple[list[Record], str] | None:
    """Every record of the file and its encoding; what was done to its lines is added to
    ``problems`` as warnings. None (after saying why) when the file cannot be read."""
    lines = TextLines(path)
    try:
        found = list(records(lines))
    except OSError as error:
        problems.append(Problem(name, f"cannot be read: {error.strerror}"))
        return None
    problems += lines.warnings(name)
    return found, lines.encoding


def records(lines: Iterable[tuple[int, str]]) -> Iterator[Record]:
    """(line, text, number of values) for each record of numbered lines of CSV, the line being where
    it starts in the file; blank lines are skipped. A record whose quote is never closed has None
    values and only its own line is skipped, so one bad row cannot swallow the rows after it (as a
    CSV reader does, reading to the end of the file for the closing quote)."""
    source, ahead = iter(lines), deque()
    while True:
        first = ahead.popleft() if ahead else next(source, None)
        if first is None:
            return
        number, record = first
        if '"' not in record:  # no quoting: the line is the record (the usual case, and quick)
            if record.strip():
                yield number, record, record.count(",") + 1
            continue
        taken = []  # the lines after the first that the record runs over
        while record.count('"') % 2 and len(taken) < MAX_RECORD_LINES - 1:
            following = ahead.popleft() if ahead else next(source, None)
            if following is None:
                break
            taken.append(following)
            record += "\n" + following[1]
        found = None if record.count('"') % 2 else values(record)
        if found is None:  # only its own line is left out: the lines it took are read again
            ahead.extendleft(reversed(taken))
            yield number, first[1], None
        else:
            yield number, record, len(found)


def values(record: str) -> list[str] | None:
    """The values of one record, as a CSV reader splits them; None when it cannot (a line break
    outside quotes, a quote in the middle of a value)."""
    try:
        return next(csv.reader([record]))
    except csv.Error:
        return None


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
