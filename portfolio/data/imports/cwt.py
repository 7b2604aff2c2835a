"""NHS England's cancer waiting times, provider CSV of the 2017 layout: a title line (the
standard), an Excel serial date (the month), notes, then three blocks (admitted, non-admitted,
all care), each with its own header row. Only the all-care block is read, so nothing is counted
twice; counts may be fractions, as breaches shared between providers are split.

Each standard gives one metric, its share treated within the standard's days
(``numerator`` within, ``denominator`` all treated): ``cancer_62d_gp_pct`` (62 days from an urgent
GP referral), ``cancer_31d_first_pct`` (31 days to first treatment) and
``cancer_31d_subsequent_<treatment>_pct`` (31 days to a second or later treatment), broken down
by ``tumour_site`` where a row names one rather than all cancers.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from portfolio.data.imports.published import Imported, Table, UnknownLayout, is_total, number

ALL = {"ALL CANCERS"}


def recognises(table: Table) -> bool:
    title = table.header[0].upper() if table.header else ""
    return "WAIT FOR" in title and "DAY" in title


def standard(title: str) -> tuple[str, int]:
    """The metric and its days from the file's title line."""
    title = title.upper()
    found = re.search(r"(\d+)-DAY", title)
    if found is None:
        raise UnknownLayout(f"no standard in its title '{title}' (such as 62-DAY)")
    days = int(found.group(1))
    if "SUBSEQUENT" in title:
        treatment = title.rsplit(":", 1)[-1].replace("TREATMENTS", "").strip().lower().replace(" ", "_")
        return f"cancer_31d_subsequent_{treatment}_pct", days
    if days == 62:
        return "cancer_62d_gp_pct" if "GP" in title else "cancer_62d_pct", days
    return "cancer_31d_first_pct", days


def excel_month(serial: str) -> str:
    """An Excel serial day number (42917) as its month, YYYY-MM."""
    day = date(1899, 12, 30) + timedelta(days=int(float(serial)))
    return f"{day.year:04d}-{day.month:02d}"


def read(table: Table, into: Imported) -> str:
    metric, days = standard(table.header[0])
    try:
        period = excel_month(table.cells[0][0])
    except (ValueError, IndexError, OverflowError):  # "inf" or a date past the year 9999 too
        raise UnknownLayout("no Excel serial date on its second line, where the month should be") from None
    header, in_all_care = None, False
    for cells in table.cells:
        first = (cells[0] or (cells[1] if len(cells) > 1 else "")).strip().upper()
        if first.startswith("PART "):
            in_all_care = "ALL CARE" in first
            continue
        if len(cells) > 1 and cells[1].strip().upper().startswith("ODS CODE"):
            header = [c.strip().upper() for c in cells]
            continue
        if not in_all_care or header is None:
            continue
        row = dict(zip(header, cells))
        code = row.get("ODS CODE (1)", "").strip()
        if not code or is_total(code, cells[2] if len(cells) > 2 else ""):
            continue
        kind = (row.get("CANCER TYPE") or "").strip()  # a later treatment's file names its type, not a site
        breakdown, member = ("", "") if not kind or kind.upper() in ALL else ("tumour_site", kind.title())
        total, within = number(row.get("TOTAL")), number(row.get(f"WITHIN {days} DAYS"))
        if total != 0:  # nobody treated: no share (a missing total is left out, and counted, by ``into``)
            into.add(metric, period, code, numerator=within, denominator=total, breakdown=breakdown, member=member)
    if header is None:
        raise UnknownLayout("no header row starting with 'ODS CODE'")
    return period
