"""NHS reporting months, in one form from parsing to labels.

A ``Month`` is a calendar month written ``YYYY-MM``: the form of the YAML, the extracts, the store,
URLs and the command line. Being that string, it is its own cache key and sorts in time order;
adding or taking away a number of months gives another ``Month``. The NHS financial year runs April
to March: April is M1, March M12, and April 2022 to March 2023 is "2022/23".
"""

from __future__ import annotations

import re
from datetime import date

_YEAR_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_MONTH_LABEL = re.compile(r"^([A-Za-z]{3})-(\d{2})$")
_FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class Month(str):
    """``Month("2022-04")`` or ``Month("Apr-22")``; raises ``ValueError`` saying what is expected."""

    __slots__ = ()

    def __new__(cls, text: object) -> Month:
        if isinstance(text, Month):
            return text
        written = str(text).strip()
        year_month = _YEAR_MONTH.match(written)
        label = _MONTH_LABEL.match(written)
        if year_month:
            return cls.of(int(year_month.group(1)), int(year_month.group(2)))
        if label and label.group(1).title() in _NAMES:
            short = int(label.group(2))  # a two-digit year as strptime reads it: 69–99 are the 1900s
            return cls.of(short + (1900 if short >= 69 else 2000), _NAMES.index(label.group(1).title()) + 1)
        raise ValueError(f"'{written}' is not a month: write it as YYYY-MM, for example 2023-04")

    @classmethod
    def of(cls, year: int, month: int) -> Month:
        return str.__new__(cls, f"{year:04d}-{month:02d}")

    @classmethod
    def containing(cls, day: date) -> Month:
        return cls.of(day.year, day.month)

    @property
    def year(self) -> int:
        return int(self[:4])

    @property
    def month(self) -> int:
        return int(self[5:])

    @property
    def index(self) -> int:
        """Months since January of year 0: the difference of two is the number of months between."""
        return self.year * 12 + self.month - 1

    def __add__(self, months: int) -> Month:  # type: ignore[override]
        if not isinstance(months, int):
            return NotImplemented
        year, month = divmod(self.index + months, 12)
        return Month.of(year, month + 1)

    def __sub__(self, other: int | str) -> Month | int:
        """``month - 11`` is eleven months earlier; ``month - other`` the number of months between."""
        if isinstance(other, int):
            return self + -other
        return self.index - Month(other).index

    def through(self, last: str) -> list[Month]:
        """Every month from this one to ``last``, both included (none if ``last`` is earlier)."""
        return [self + n for n in range(Month(last) - self + 1)]

    @property
    def label(self) -> str:
        """``Apr-22``: the form NHS board papers use."""
        return f"{_NAMES[self.month - 1]}-{self.year % 100:02d}"

    @property
    def financial_year(self) -> str:
        """``2022/23`` for any month from April 2022 to March 2023."""
        start = self.year if self.month >= 4 else self.year - 1
        return f"{start}/{(start + 1) % 100:02d}"

    @property
    def fy_number(self) -> int:
        """1 for April (M1) … 12 for March (M12)."""
        return (self.month - 4) % 12 + 1

    @property
    def fy_label(self) -> str:
        """``2022/23 M1 (Apr-22)``"""
        return f"{self.financial_year} M{self.fy_number} ({self.label})"

    @property
    def fy_first(self) -> Month:
        """April of this month's financial year."""
        return self - (self.fy_number - 1)

    def fy_to_date(self) -> list[Month]:
        """The months of the financial year up to and including this one."""
        return self.fy_first.through(self)

    def same_month_in(self, fy: str) -> Month:
        """The month of financial year ``fy`` at this month's position (M1–M12)."""
        return fy_months(fy)[self.fy_number - 1]


def fy_months(fy: str) -> list[Month]:
    """All twelve months of a financial year written ``2019/20``."""
    match = _FINANCIAL_YEAR.match(fy)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"'{fy}' is not a financial year: write it as 2019/20")
    first = Month.of(int(match.group(1)), 4)
    return first.through(first + 11)
