"""NHS England's monthly diagnostics waiting times (DM01), provider file, as published in a
spreadsheet and saved as CSV: one row per provider × test (test 16 is their total), or one row
per provider (the provider-total sheet). The month is only in the file name.

- ``dm01_waiting_list``: patients waiting for a test, by ``diagnostic_test``;
- ``dm01_6wk_pct``: the share waiting under 6 weeks, 100 × (waiting list − waiting 6+ weeks) ÷
  waiting list (the published "percentage waiting 6+ weeks" is 100 less this);
- ``dm01_6wk``, ``dm01_13wk``: patients waiting 6 and 13 weeks or more;
- ``dm01_activity``: tests done in the month (waiting list, planned and unscheduled).
"""

from __future__ import annotations

from portfolio.data.imports.published import (Imported, Table, UnknownLayout, is_total, known_sum, less,
                                              month_from_words, number)

TOTAL_TEST = "Total"
ACTIVITY = ("Planned tests / procedures", "Unscheduled tests / procedures",
            "Waiting list tests / procedures (excluding planned)")


def recognises(table: Table) -> bool:
    return {"Provider Code", "Total Waiting List", "Number waiting 6+ Weeks"} <= set(table.header)


def read(table: Table, into: Imported) -> str:
    period = month_from_words(table.path.stem)
    if period is None:
        raise UnknownLayout("a DM01 file has no month in it; keep the month in the file name, as published "
                            "(Monthly-Diagnostics-Web-File-Provider-March-2025)")
    by_test = "Diagnostic Test Name" in table.header
    has_activity = set(ACTIVITY) <= set(table.header)
    for row in table.rows:
        code = row.get("Provider Code", "").strip()
        if not code or is_total(code, row.get("Provider Name", "")):
            continue
        test = row.get("Diagnostic Test Name", TOTAL_TEST).strip() if by_test else TOTAL_TEST
        breakdown, member = ("", "") if test == TOTAL_TEST else ("diagnostic_test", test)
        waiting, over_6 = number(row["Total Waiting List"]), number(row["Number waiting 6+ Weeks"])
        into.add("dm01_waiting_list", period, code, value=waiting, breakdown=breakdown, member=member)
        into.add("dm01_6wk", period, code, value=over_6, breakdown=breakdown, member=member)
        into.add("dm01_13wk", period, code, value=number(row.get("Number waiting 13+ Weeks")), breakdown=breakdown,
                 member=member)
        if waiting != 0:  # nobody waiting: no share (a missing list is left out, and counted, by ``into``)
            into.add("dm01_6wk_pct", period, code, numerator=less(waiting, over_6), denominator=waiting,
                     breakdown=breakdown, member=member)
        if has_activity:
            into.add("dm01_activity", period, code, value=known_sum(*(number(row[name]) for name in ACTIVITY)),
                     breakdown=breakdown, member=member)
    return period
