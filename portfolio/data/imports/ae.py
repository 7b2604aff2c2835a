"""NHS England's monthly A&E attendances and emergency admissions.

Two layouts are recognised from their header: the native "Monthly A&E CSV" (a column per
department type, booked appointments separately, a Period column such as ``MSitAE-APRIL-2025``)
and the "A&E by provider" sheet saved as CSV (department columns repeated, type 1 including
booked appointments, the month only in the file name). Both give the same metrics:

- ``ae_attendances_all``, ``ae_attendances_type1``: attendances, booked appointments included;
- ``ae_4hr_all``, ``ae_4hr_type1``: the share within 4 hours, 100 × (1 − over 4 hours ÷
  attendances), booked appointments included as in NHS England's published headline;
- ``ae_12hr_dta``: patients waiting 12 hours or more from decision to admit to admission;
- ``ae_emergency_admissions``: emergency admissions via A&E (all department types).
"""

from __future__ import annotations

from portfolio.data.imports.published import (Imported, Table, UnknownLayout, is_total, known_sum, less,
                                              month_from_words, number)

NATIVE = "A&E attendances Type 1"
BY_PROVIDER = "Percentage in 4 hours or less (all)"


TIDY = {"period", "org_code", "type", "attendances", "breaches", "admissions"}  # NHSRdatasets' ae_attendances


def recognises(table: Table) -> bool:
    return NATIVE in table.header or BY_PROVIDER in table.header or TIDY <= set(table.header)


def read(table: Table, into: Imported) -> str:
    """Add the file's figures to ``into``; return the (latest) month they are for."""
    if NATIVE in table.header:
        return _native(table, into)
    if TIDY <= set(table.header):
        return _tidy(table, into)
    if BY_PROVIDER in table.header:
        return _by_provider(table, into)
    raise UnknownLayout(f"not an A&E file (no '{NATIVE}' or '{BY_PROVIDER}' column)")


def _native(table: Table, into: Imported) -> str:
    period = None
    # attendances name the third type "Other A&E Department"; the other columns "Other Department"
    kinds = {"Type 1": "Type 1", "Type 2": "Type 2", "Other A&E Department": "Other Department"}
    for row, line in zip(table.rows, table.line_numbers):
        code = row.get("Org Code", "").strip()
        if not code or is_total(code, row.get("Parent Org", ""), row.get("Org name", "")):
            continue
        period = period or month_from_words(row.get("Period", ""))
        if period is None:
            raise UnknownLayout(f"row {line}: no month in Period '{row.get('Period', '')}'")
        cell = lambda name: number(row.get(name))  # a cell missing from a short row is missing, never 0
        arrivals = {k: known_sum(cell(f"A&E attendances {k}"), cell(f"A&E attendances Booked Appointments {short}"))
                    for k, short in kinds.items()}
        over = {k: known_sum(cell(f"Attendances over 4hrs {short}"),
                             cell(f"Attendances over 4hrs Booked Appointments {short}")) for k, short in kinds.items()}
        admissions = known_sum(*(cell(f"Emergency admissions via A&E - {k}") for k in
                                 ("Type 1", "Type 2", "Other A&E department")))
        _add(into, period, code, known_sum(*arrivals.values()), known_sum(*over.values()), arrivals["Type 1"],
             over["Type 1"], admissions)
        into.add("ae_12hr_dta", period, code, value=cell("Patients who have waited 12+ hrs from DTA to admission"))
    if period is None:
        raise UnknownLayout("no organisation rows")
    return period


def _by_provider(table: Table, into: Imported) -> str:
    period = month_from_words(table.path.stem)
    if period is None:
        raise UnknownLayout("the 'A&E by provider' sheet has no month in it; name the file "
                            "after its month, as published (April-2025-AE.csv)")
    type1_name = table.header[3]  # "Type 1 Departments - Major A&E" (mangled in one month): three times over
    for index, row in enumerate(table.rows):
        code = row.get("Code", "").strip()
        if not code or is_total(code, row.get("Name", "")):
            continue
        attendances, type1 = number(row["Total attendances"]), number(table.at(index, type1_name, 0))
        over, over_type1 = number(row["Total Attendances > 4 hours"]), number(table.at(index, type1_name, 2))
        _add(into, period, code, attendances, over, type1, over_type1,
             number(row.get("Total Emergency Admissions via A&E")))
        into.add("ae_12hr_dta", period, code,
                 value=number(row.get("Number of patients spending >12 hours from decision to admit to admission")))
    return period


def _add(into: Imported, period: str, org: str, attendances, over, type1, over_type1, admissions):
    """The figures both layouts and the tidy series give (a missing one is left out by ``into``)."""
    into.add("ae_attendances_all", period, org, value=attendances)
    into.add("ae_attendances_type1", period, org, value=type1)
    # no share when nobody attended; a missing count is left out, and counted, by ``into``
    if attendances != 0:
        into.add("ae_4hr_all", period, org, numerator=less(attendances, over), denominator=attendances)
    if type1 != 0:
        into.add("ae_4hr_type1", period, org, numerator=less(type1, over_type1), denominator=type1)
    into.add("ae_emergency_admissions", period, org, value=admissions)


def _tidy(table: Table, into: Imported) -> str:
    """The tidy NHSRdatasets series (many months: a row per month × organisation × department type,
    with attendances, breaches and admissions; no booked appointments or 12-hour waits)."""
    totals: dict[tuple[str, str], dict[str, float | None]] = {}
    for row in table.rows:
        period, org = row["period"][:7], row["org_code"].strip()
        if not org:
            continue
        figures = totals.setdefault((period, org), {"all": 0.0, "over": 0.0, "type1": 0.0, "over1": 0.0,
                                                     "admissions": 0.0})
        attendances, breaches = number(row["attendances"]), number(row["breaches"])
        figures["all"] = known_sum(figures["all"], attendances)
        figures["over"] = known_sum(figures["over"], breaches)
        figures["admissions"] = known_sum(figures["admissions"], number(row["admissions"]))
        if row["type"].strip() == "1":
            figures["type1"] = known_sum(figures["type1"], attendances)
            figures["over1"] = known_sum(figures["over1"], breaches)
    for (period, org), f in totals.items():
        _add(into, period, org, f["all"], f["over"], f["type1"], f["over1"], f["admissions"])
    if not totals:
        raise UnknownLayout("no rows")
    return max(period for period, _ in totals)
