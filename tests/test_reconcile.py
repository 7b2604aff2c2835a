"""The reconciliation checks: the finance sample adds up, and an extract that does not is named
with its rows, on the command line of the engine and loudly on the finance page."""

import csv
import shutil

import pytest

from portfolio.figures.reconcile import reconcile, rows_text
from portfolio.workspace import load_workspace
from tests.apptest import open_page, start
from tests.conftest import ROOT

EXTRACT = "finance_monthly.csv"


def test_the_finance_sample_reconciles(sample):
    checks = reconcile(sample.engine, sample.config.portfolio("finance"))
    assert [c.name for c in checks] == ["Breakdown lines add up to their totals",
                                        "Organisations add up to the organisation above them",
                                        "Lines add up to the bottom line"]
    for check in checks:
        assert check.compared > 100, check.name  # each check really compared something
        assert check.passed, [m.describe() for m in check.mismatches[:3]]


def _edit(folder, change):
    """Rewrite the finance extract in ``folder``: ``change`` edits the rows (a list of dicts) in place
    and returns the file line number it changed."""
    path = folder / EXTRACT
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    line = change(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return line


def _find(rows, **wanted):
    number, row = next((n, r) for n, r in enumerate(rows) if all(r[k] == v for k, v in wanted.items()))
    return number + 2, row  # the header is line 1


@pytest.fixture
def broken(tmp_path):
    """The finance extract alone (the other portfolios' extracts are missing, which is reported
    and leaves finance working), to be broken by a test."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(ROOT / "sample_data" / EXTRACT, data / EXTRACT)
    return data


def _mismatches(data, check_name, also_failing=()):
    ws = load_workspace(ROOT / "config", data)
    checks = {c.name: c for c in reconcile(ws.engine, ws.config.portfolio("finance"))}
    failed = [name for name, check in checks.items() if not check.passed]
    assert sorted(failed) == sorted([check_name, *also_failing])
    return checks[check_name].mismatches


def test_an_expenditure_line_that_does_not_add_up_is_named_with_its_rows(broken):
    def change(rows):
        line, row = _find(rows, metric_id="fin_non_pay", org_code="RBL", period="2025-06",
                          breakdown="expenditure_line", breakdown_value="Drugs")
        row["value"] = str(float(row["value"]) - 250)
        return line
    line = _edit(broken, change)
    [mismatch] = _mismatches(broken, "Breakdown lines add up to their totals")
    assert (mismatch.extract, mismatch.org_code, mismatch.period, mismatch.series) == (EXTRACT, "RBL", "2025-06", "actual")
    assert mismatch.parts - mismatch.total == pytest.approx(-250)
    assert line in mismatch.lines
    assert EXTRACT in mismatch.describe() and f"{line}" in mismatch.describe() and "Jun-25" in mismatch.describe()


def test_a_system_row_that_is_not_the_sum_of_its_organisations_is_named(broken):
    def change(rows):
        line, row = _find(rows, metric_id="fin_income", org_code="E54000008", period="2024-11", series="plan")
        row["value"] = str(float(row["value"]) + 1000)
        return line
    line = _edit(broken, change)
    # the system's own income no longer equals its trusts', nor its own surplus less its costs
    [mismatch] = _mismatches(broken, "Organisations add up to the organisation above them",
                             also_failing=["Lines add up to the bottom line"])
    assert (mismatch.org_code, mismatch.period, mismatch.series) == ("E54000008", "2024-11", "plan")
    assert mismatch.lines[0] == line and len(mismatch.lines) == 13  # the system row and its 12 bodies' rows
    assert mismatch.total - mismatch.parts == pytest.approx(1000)


def test_a_surplus_that_is_not_income_less_costs_is_named(broken):
    def change(rows):
        line, row = _find(rows, metric_id="fin_surplus_deficit", org_code="RY7", period="2026-09")
        row["value"] = str(float(row["value"]) + 42)
        return line
    _edit(broken, change)
    ws = load_workspace(ROOT / "config", broken)
    checks = {c.name: c for c in reconcile(ws.engine, ws.config.portfolio("finance"))}
    # the trust's own surplus no longer equals its lines, and the system row no longer equals its trusts
    [identity] = checks["Lines add up to the bottom line"].mismatches
    assert (identity.org_code, identity.period) == ("RY7", "2026-09")
    assert "Income + Pay expenditure + Non-pay expenditure + Non-operating items" in identity.what
    [organisations] = checks["Organisations add up to the organisation above them"].mismatches
    assert organisations.total - organisations.parts == pytest.approx(-42)


def test_row_lists_join_runs_and_count_the_rest():
    assert rows_text((7,)) == "row 7"
    assert rows_text((12, 13, 14, 15, 40)) == "rows 12–15, 40"
    assert rows_text(tuple(range(2, 40, 2)), most=3) == "rows 2, 4, 6 and 16 more"


def test_the_finance_page_fails_loudly_and_keeps_working(broken, monkeypatch):
    def change(rows):
        line, row = _find(rows, metric_id="fin_non_pay", org_code="REM", period="2026-10",
                          breakdown="expenditure_line", breakdown_value="Premises")
        row["value"] = "0"
        return line
    line = _edit(broken, change)
    at = start(monkeypatch, ROOT / "config", broken).run()
    at = open_page(at, "finance").run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("do not add up: 1 mismatch" in e for e in errors), errors
    details = "\n".join(t.value for t in at.text)
    assert EXTRACT in details and str(line) in details and "REM" in details and "Oct-26" in details
    at.session_state["view"] = "Financial position"
    at.run()
    assert not at.exception and at.table  # the rest of the page still shows its figures
