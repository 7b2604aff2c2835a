"""What every NHS England file needs before its figures can be read: its text decoded (UTF-8 with
or without a byte-order mark, else Windows-1252 / Latin-1), its header tidied (space-padded names,
empty trailing columns), and its cells read as numbers the way the publications write them
(quoted thousands, "-" for none, "80.00%"), with a blank kept as missing, never zero."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from portfolio.config.files import unreadable
from portfolio.data.csvfile import decode

TOTAL_WORDS = {"total", "england", "all english providers"}
TIDY_COLUMNS = ["metric_id", "period", "org_code", "breakdown", "breakdown_value", "series", "value",
                "numerator", "denominator", "status", "note", "breakdown2", "breakdown2_value"]
MONTHS = {name: number for number, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}


class UnknownLayout(ValueError):
    """A file whose header matches none of the layouts a reader knows."""


@dataclass
class Table:
    """A published CSV: its tidied header and its rows (each a dict by tidied header name). The rows
    are parsed on first use, so a reader that hands the file to DuckDB never pays for them."""

    path: Path
    header: list[str]
    text: str = field(repr=False)
    encoding: str = "utf-8"
    delimiter: str = ","

    @cached_property
    def _parsed(self) -> tuple[list[dict[str, str]], list[int], list[list[str]]]:
        rows, numbers, cells = [], [], []
        try:
            for number, line in enumerate(csv.reader(io.StringIO(self.text), delimiter=self.delimiter), start=1):
                if number == 1 or not any(cell.strip() for cell in line):
                    continue
                padded = line + [""] * (len(self.header) - len(line))  # a short row's missing cells are blank
                rows.append({name: cell for name, cell in zip(self.header, padded) if name})
                numbers.append(number)
                cells.append(line)
        except csv.Error as error:
            raise UnknownLayout(f"is not a readable CSV file ({error})") from None
        return rows, numbers, cells

    @property
    def rows(self) -> list[dict[str, str]]:
        return self._parsed[0]

    @property
    def line_numbers(self) -> list[int]:
        return self._parsed[1]

    @property
    def cells(self) -> list[list[str]]:
        """The same rows by position, for headers that repeat a name."""
        return self._parsed[2]

    def at(self, row: int, name: str, occurrence: int = 0) -> str:
        """The cell under the ``occurrence``-th column called ``name`` (0 for the first)."""
        positions = [i for i, h in enumerate(self.header) if h == name]
        line = self.cells[row]
        return line[positions[occurrence]] if occurrence < len(positions) and positions[occurrence] < len(line) else ""


class TidyRow:
    """One row of the tidy layout, read and set by column name like a dict (``row["value"]``) but
    held in slots: a national import keeps a few million of them, and a dict each costs four times
    the memory."""

    __slots__ = tuple(TIDY_COLUMNS)

    def __init__(self, metric: str, period: str, org: str, breakdown: str, member: str, value, numerator,
                 denominator):
        self.metric_id, self.period, self.org_code, self.series = metric, period, org, "actual"
        self.breakdown, self.breakdown_value, self.breakdown2, self.breakdown2_value = breakdown, member, "", ""
        self.value, self.numerator, self.denominator = value, numerator, denominator
        self.status = self.note = ""

    def __getitem__(self, column: str):
        return getattr(self, column)

    def __setitem__(self, column: str, value) -> None:
        setattr(self, column, value)

    def items(self):
        return ((column, getattr(self, column)) for column in TIDY_COLUMNS)


@dataclass
class Imported:
    """Tidy rows by (metric, period, org, breakdown, member), what was skipped and why, and the rows
    left out for want of a figure."""

    rows: dict[tuple, TidyRow] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    left_out: list[tuple] = field(default_factory=list)

    def add(self, metric: str, period: str, org: str, *, value=None, numerator=None, denominator=None,
            breakdown: str = "", member: str = ""):
        """Keep the row, unless it has no usable figure: a value, or a numerator over a denominator that
        is not zero. A figure that is not a finite number (a published "inf" or "NaN", or a sum that
        overflowed) is missing. A row left out is counted, never written blank or as 0."""
        key = (metric, period, org, breakdown, member)
        value, numerator, denominator = finite(value), finite(numerator), finite(denominator)
        if value is None and (numerator is None or not denominator):
            self.left_out.append(key)
            return
        self.rows[key] = TidyRow(metric, period, org, breakdown, member, value, numerator, denominator)

    def periods(self) -> set[str]:
        return {key[1] for key in self.rows}

    def drop(self, period: str, metrics: frozenset[str]) -> None:
        """Forget a month of these metrics (an earlier vintage being replaced)."""
        self.rows = {key: row for key, row in self.rows.items() if key[1] != period or key[0] not in metrics}

    def write(self, path: Path) -> int:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=TIDY_COLUMNS, lineterminator="\n")
            writer.writeheader()
            for key in sorted(self.rows):
                writer.writerow({k: _text(v) for k, v in self.rows[key].items()})
        return len(self.rows)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.6g}"
    return str(value)


def finite(figure: float | None) -> float | None:
    """The figure, or None when it is missing or not a finite number."""
    return figure if figure is not None and math.isfinite(figure) else None


def known_sum(*figures: float | None) -> float | None:
    """The figures added up, or None when any is missing: a total is never made from part of its cells."""
    return None if any(f is None for f in figures) else sum(figures)


def less(figure: float | None, taken: float | None) -> float | None:
    """``figure`` − ``taken``, or None when either is missing."""
    return None if figure is None or taken is None else figure - taken


def read_text(path: Path) -> tuple[str, str]:
    """The file's text and its encoding; UnknownLayout, saying what is wrong, for anything but a text
    file (a folder, a pipe, a workbook, UTF-16 text or binary)."""
    problem = unreadable(path)
    if problem:
        raise UnknownLayout(problem)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UnknownLayout(f"cannot be read ({error.strerror})") from None
    if raw[:2] == b"PK":
        raise UnknownLayout("is an Excel workbook, not a CSV file: save the sheet you need as CSV (File → Save As → "
                            "CSV UTF-8) and import that")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise UnknownLayout("is UTF-16 text (Excel's \"Unicode Text\"): save it as CSV UTF-8 and import that")
    if b"\0" in raw:
        raise UnknownLayout("is not a text file (it holds NUL bytes): import the CSV file itself")
    return decode(raw)


def tidy_name(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\ufeff", "")).strip()


def read_table(path: Path, delimiter: str = ",") -> Table:
    """The file's header row (its data rows are read when first asked for); trailing columns with no
    name are left out."""
    text, encoding = read_text(path)
    try:
        first = next(csv.reader(io.StringIO(text[:text.find("\n") + 1 or None]), delimiter=delimiter), None)
    except csv.Error as error:
        raise UnknownLayout(f"is not a readable CSV file ({error})") from None
    if not first:
        raise UnknownLayout("is empty")
    header = [tidy_name(h) for h in first]
    while header and not header[-1]:  # empty trailing columns
        header.pop()
    return Table(path, header, text, encoding, delimiter)


def number(cell: str | None) -> float | None:
    """A published figure: "17,712" → 17712, "-" → 0, "80.00%" → 80.0; blank, "inf" or "NaN" → missing."""
    if cell is None:
        return None
    text = cell.strip().replace(",", "").rstrip("%").strip()
    if text == "":
        return None
    if text == "-":
        return 0.0
    return finite(float(text))


def is_total(*cells: str) -> bool:
    """A total row, however spelled: TOTAL, Total, "Total ", England …"""
    return any(cell.strip().casefold() in TOTAL_WORDS for cell in cells if cell)


def month_from_words(text: str) -> str | None:
    """"MSitAE-APRIL-2025", "RTT-April-2026", "March-2025", "Provider-Mar25" → "2025-04" style months
    (the first month name, whole or as three letters, and the year beside it or the first one)."""
    words = re.findall(r"[A-Za-z]+|\d+", text)
    for i, word in enumerate(words):
        name = word.lower()
        month = MONTHS.get(name) or next((n for full, n in MONTHS.items() if len(name) == 3 and full.startswith(name)),
                                          None)
        if month is None:
            continue
        later = words[i + 1] if i + 1 < len(words) else ""
        if later.isdigit() and len(later) in (2, 4):
            return f"{(2000 + int(later)) if len(later) == 2 else int(later):04d}-{month:02d}"
        year = next((int(w) for w in words if w.isdigit() and len(w) == 4), None)
        if year:
            return f"{year:04d}-{month:02d}"
    return None
