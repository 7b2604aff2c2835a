"""NHS financial-year periods.

A reporting period is a calendar month, held as a ``pandas.Period`` with monthly frequency
or written as ``YYYY-MM``. The NHS financial year runs April to March: April is M1, March M12,
and April 2022 to March 2023 is "2022/23".
"""

from __future__ import annotations

import re

import pandas as pd

_YEAR_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_MONTH_LABEL = re.compile(r"^([A-Za-z]{3})-(\d{2})$")


def parse_month(text: str) -> pd.Period:
    """Parse ``YYYY-MM`` (or a month label such as ``Apr-22``) into a monthly period.

    Raises ``ValueError`` with a message that says what is expected.
    """
    text = str(text).strip()
    if _YEAR_MONTH.match(text):
        return pd.Period(text, freq="M")
    label = _MONTH_LABEL.match(text)
    if label:
        try:
            return pd.Period(pd.to_datetime(f"01-{label.group(1)}-{label.group(2)}", format="%d-%b-%y"), freq="M")
        except ValueError:
            pass
    raise ValueError(f"'{text}' is not a month: write it as YYYY-MM, for example 2023-04")


def month_key(period: pd.Period) -> str:
    """``2022-04`` — the form used in URLs, YAML and the command line."""
    return f"{period.year:04d}-{period.month:02d}"


def month_label(period: pd.Period | str) -> str:
    """``Apr-22`` — the form NHS board papers use — for a period or a ``YYYY-MM`` key."""
    return (parse_month(period) if isinstance(period, str) else period).strftime("%b-%y")


def fy_start_year(period: pd.Period) -> int:
    return period.year if period.month >= 4 else period.year - 1


def financial_year(period: pd.Period) -> str:
    """``2022/23`` for any month from April 2022 to March 2023."""
    start = fy_start_year(period)
    return f"{start}/{(start + 1) % 100:02d}"


def fy_month_number(period: pd.Period) -> int:
    """1 for April (M1) … 12 for March (M12)."""
    return (period.month - 4) % 12 + 1


def fy_month_label(period: pd.Period) -> str:
    """``2022/23 M1 (Apr-22)``"""
    return f"{financial_year(period)} M{fy_month_number(period)} ({month_label(period)})"


def fy_first_month(period: pd.Period) -> pd.Period:
    return pd.Period(year=fy_start_year(period), month=4, freq="M")


def fy_to_date(period: pd.Period) -> list[pd.Period]:
    """The months of the financial year up to and including ``period``."""
    first = fy_first_month(period)
    return list(pd.period_range(first, period, freq="M"))


def fy_months(fy: str) -> list[pd.Period]:
    """All twelve months of a financial year written ``2019/20``."""
    match = re.match(r"^(\d{4})/(\d{2})$", fy)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"'{fy}' is not a financial year: write it as 2019/20")
    start = pd.Period(year=int(match.group(1)), month=4, freq="M")
    return list(pd.period_range(start, periods=12, freq="M"))


def same_month_in_year(period: pd.Period, fy: str) -> pd.Period:
    """The month of financial year ``fy`` that has the same position (M1–M12) as ``period``."""
    return fy_months(fy)[fy_month_number(period) - 1]
