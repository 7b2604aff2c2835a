"""Importing NHS England publications as published: small fixtures of our own in each layout, and,
when they are present beside the repository, the real files in ../shared/nhs_data, whose own
published figures the derived ones must equal."""

import csv

import pytest

from portfolio.cli import main as cli
from portfolio.config.schema import OrganisationsFile
from portfolio.data.imports.ods import organisations
from portfolio.data.imports.published import Imported, number, read_table
from portfolio.data.imports.run import import_files
from portfolio.workspace import load_workspace
from tests.apptest import open_page, start
from tests.conftest import FIXTURES

NHS = FIXTURES / "nhs"


def _rows(result: Imported, metric: str, org: str) -> dict:
    return next(row for key, row in result.rows.items() if key[0] == metric and key[2] == org)


def test_published_numbers_are_read_as_published():
    assert number('17,712') == 17712 and number("80.00%") == 80.0 and number("-") == 0
    assert number("") is None and number("  ") is None  # blank is missing, never zero
    assert number(" 73.5 ") == 73.5


def test_the_native_ae_file(tmp_path):
    result = import_files("ae", [NHS / "MSitAE_2025-05.csv"])
    assert {key[1] for key in result.rows} == {"2025-05"}
    assert {key[2] for key in result.rows} == {"RXA", "RXB", "NTV0B"}  # the TOTAL row is dropped
    attendances = _rows(result, "ae_attendances_all", "RXA")["value"]
    assert attendances == 1000 + 400 + 100  # booked appointments included
    four_hours = _rows(result, "ae_4hr_all", "RXA")
    over = 300 + 10 + 20
    assert (four_hours["numerator"], four_hours["denominator"]) == (attendances - over, attendances)
    type1 = _rows(result, "ae_4hr_type1", "RXA")
    assert (type1["numerator"], type1["denominator"]) == (1100 - 320, 1100)
    assert _rows(result, "ae_12hr_dta", "RXA")["value"] == 12
    assert _rows(result, "ae_emergency_admissions", "RXB")["value"] == 125
    assert not [k for k in result.rows if k[0] == "ae_4hr_type1" and k[2] == "NTV0B"]  # no type 1: no rate


def test_a_later_vintage_replaces_the_month_and_says_so():
    result = import_files("ae", [NHS / "Monthly-AE-May-2025-revised.csv", NHS / "MSitAE_2025-05.csv"])
    assert _rows(result, "ae_attendances_type1", "RXB")["value"] == 520  # the revised figure wins
    assert any("Monthly-AE-May-2025-revised.csv replaces MSitAE_2025-05.csv" in note for note in result.notes)
    assert {key[2] for key in result.rows} == {"RXA", "RXB", "NTV0B"}  # "Total " dropped; empty columns ignored


def test_the_ae_by_provider_sheet_agrees_with_its_own_percentage():
    result = import_files("ae", [NHS / "May-2025-AE.csv"])
    row = _rows(result, "ae_4hr_all", "RXA")
    assert row["denominator"] == 1500 and round(row["numerator"] / row["denominator"] * 100, 2) == 78.00
    assert _rows(result, "ae_4hr_type1", "RXA")["denominator"] == 1100


def test_a_file_that_is_not_ae_is_skipped_with_its_reason(tmp_path):
    other = tmp_path / "notes.csv"
    other.write_text("Region,Provider Code\nY62,RXA\n")
    result = import_files("ae", [other, NHS / "MSitAE_2025-05.csv"])
    assert result.notes[0].startswith("skipped notes.csv: its header is not a ae layout")
    assert result.rows


def test_the_import_and_values_commands(tmp_path, capsys):
    out = tmp_path / "ae.csv"
    assert cli(["import", "ae", str(NHS / "MSitAE_2025-05.csv"), str(NHS / "May-2025-AE.csv"), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "wrote" in printed.out
    assert printed.err.splitlines() == [  # a progress bar, a line per file when not on a terminal
        f"[{'.' * 30}] 0/2 files  reading MSitAE_2025-05.csv",
        f"[{'#' * 15}{'.' * 15}] 1/2 files  reading May-2025-AE.csv",
        f"[{'#' * 30}] 2/2 files"]
    header = next(csv.reader(open(out)))
    assert header[:3] == ["metric_id", "period", "org_code"]  # the layout sample_data uses
    assert cli(["values", "--extract", str(out), "--metric", "ae_4hr_all", "--org", "RXA"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "period,org_code,value,numerator,denominator,target,status"
    assert lines[1].startswith("2025-05,RXA,78,1170,1500")
    assert cli(["import", "rtt_nope", str(NHS / "MSitAE_2025-05.csv"), "--out", str(out)]) == 2


# --- the real publications, when present ------------------------------------------------------


def test_every_real_ae_file_imports(nhs_data):
    files = sorted((nhs_data / "ae").glob("**/*.csv"))
    result = import_files("ae", files)
    skipped = [n for n in result.notes if n.startswith("skipped")]
    assert skipped == []
    assert len({key[1] for key in result.rows}) == 36 + 24  # the tidy 2016–19 series, and April 2024 to March 2026
    assert any("replaces MSitAE_2025-08.csv" in n for n in result.notes)


@pytest.mark.parametrize("native, published", [("msitae_2025-26/MSitAE_2025-04.csv", "April-2025-AE.csv"),
                                               ("msitae_2025-26/MSitAE_2026-03.csv", "March-2026-AE.csv")])
def test_derived_four_hour_performance_equals_the_published_figure(nhs_data, native, published):
    result = import_files("ae", [nhs_data / "ae" / native])
    table = read_table(nhs_data / "ae" / "by_provider_xls_export" / published)
    compared = 0
    for row in table.rows:
        code = row["Code"].strip()
        for metric, column in (("ae_4hr_all", "Percentage in 4 hours or less (all)"),
                               ("ae_4hr_type1", "Percentage in 4 hours or less (type 1)")):
            shown = number(row[column])
            key = (metric, result.periods().pop(), code, "", "")
            if shown is None or key not in result.rows or (shown == 0 and row[column].strip() == "-"):
                continue
            derived = result.rows[key]["numerator"] / result.rows[key]["denominator"] * 100
            # published to one decimal place (written 80.00% in March): equal once rounded alike, and
            # within 0.01 percentage points of the rounding boundary
            assert abs(derived - shown) <= 0.05 + 0.01, (code, metric, derived, shown)
            assert round(derived + 1e-9, 1) == round(shown, 1), (code, metric, derived, shown)
            compared += 1
    assert compared > 300


RTT = NHS / "20250611-RTT-May-2025-full-extract.csv"


def _value(result, metric, org, member=""):
    row = result.rows[(metric, "2025-05", org, "treatment_function" if member else "", member)]
    return row["value"] if row["value"] is not None else (row["numerator"], row["denominator"])


def test_rtt_is_summed_across_commissioners_without_counting_the_total_function_twice():
    result = import_files("rtt", [RTT])
    assert _value(result, "rtt_waiting_list", "RXA") == 110  # two commissioners, the hub's rows included
    assert _value(result, "rtt_waiting_list", "QYG") == 150  # the ICB: its own commissioners only, not the hub
    assert _value(result, "rtt_waiting_list", "RXA", "Trauma and Orthopaedic Service") == 18
    assert _value(result, "rtt_18w_pct", "RXA") == (75, 110)
    assert _value(result, "rtt_52w", "RXA") == 10 and _value(result, "rtt_78w", "RXA") == 2
    bands = {k[4]: r["value"] for k, r in result.rows.items() if k[:4] == ("rtt_waiting_list", "2025-05", "RXA", "weeks_band")}
    assert sum(bands.values()) == 110 and bands["52-65 weeks"] == 8
    assert _value(result, "rtt_clock_starts", "RXA") == 55  # Part 3: the total, its blank bands left blank
    assert _value(result, "rtt_clock_stops_admitted", "RXA") == 15
    assert 0 < _value(result, "rtt_median_wait", "RXA") < 18


def test_an_rtt_extract_that_is_not_valid_csv_is_skipped_naming_the_line(tmp_path):
    lines = RTT.read_text().splitlines()
    broken = tmp_path / "RTT-May-2025-full-extract.csv"
    broken.write_text("\n".join([*lines[:3], '"' + lines[3], *lines[4:]]) + "\n")  # a quote never closed
    result = import_files("rtt", [broken, RTT])
    assert result.notes[0] == ("skipped RTT-May-2025-full-extract.csv: is not a readable CSV file: line 4: Value with "
                               "unterminated quote found. Fix that line and import the file again")
    assert result.rows  # the good file still imports


def test_every_real_rtt_file_imports(nhs_data):
    result = import_files("rtt", sorted((nhs_data / "rtt").glob("*.csv")))
    assert [n for n in result.notes if n.startswith("skipped")] == []
    assert result.periods() == {"2025-03", "2026-04"}
    assert result.rows[("rtt_waiting_list", "2026-04", "QYG", "", "")]["value"] > 100_000


def test_derived_rtt_figures_equal_the_published_ones(nhs_data):
    path = nhs_data / "rtt" / "Incomplete-Provider-Mar25-XLSX-9M-38145.csv"
    result = import_files("rtt", [path])
    compared = 0
    for row in read_table(path).rows:
        code, function = row["Provider Code"].strip(), row["Treatment Function Code"].strip()
        key = lambda metric: (metric, "2025-03", code, "", "")
        if function != "C_999" or key("rtt_18w_pct") not in result.rows:
            continue
        share = result.rows[key("rtt_18w_pct")]
        assert round(share["numerator"] / share["denominator"] * 100 + 1e-9, 1) == number(row["% within 18 weeks"])
        assert result.rows[key("rtt_52w")]["value"] == number(row["Total 52 plus weeks"])
        assert result.rows[key("rtt_waiting_list")]["value"] == number(row["Total number of incomplete pathways"])
        # the median and 92nd centile, read off the bands as NHS England does, to its rounding
        assert abs(result.rows[key("rtt_median_wait")]["value"]
                   - number(row["Average (median) waiting time (in weeks)"])) <= 0.05 + 1e-9
        assert abs(result.rows[key("rtt_92nd_centile_wait")]["value"]
                   - number(row["92nd percentile waiting time (in weeks)"])) <= 0.05 + 1e-9
        compared += 1
    assert compared > 100


def test_dm01_by_test_with_its_total_and_the_month_from_the_file_name():
    result = import_files("dm01", [NHS / "Monthly-Diagnostics-Web-File-Provider-May-2025_TEST1.csv"])
    rows = {(k[0], k[4]): r for k, r in result.rows.items() if k[1] == "2025-05" and k[2] == "RXA"}
    assert rows[("dm01_waiting_list", "")]["value"] == 1500  # test 16, "Total", is the total row
    assert rows[("dm01_waiting_list", "Magnetic Resonance Imaging")]["value"] == 1000
    assert rows[("dm01_6wk", "Computed Tomography")]["value"] == 0  # "-" is none
    share = rows[("dm01_6wk_pct", "")]
    assert (share["numerator"], share["denominator"]) == (1450, 1500)
    assert rows[("dm01_activity", "")]["value"] == 15 + 20 + 2100


def test_derived_diagnostics_figures_equal_the_published_ones(nhs_data):
    for path in sorted((nhs_data / "diagnostics").glob("*.csv")):
        result = import_files("dm01", [path])
        period, compared = result.periods().pop(), 0
        for row in read_table(path).rows:
            test = row.get("Diagnostic Test Name", "Total").strip()
            key = ("dm01_6wk_pct", period, row["Provider Code"].strip(), *(("", "") if test == "Total"
                                                                           else ("diagnostic_test", test)))
            published = number(row["Percentage waiting 6+ weeks"])
            if key in result.rows and published is not None:
                share = result.rows[key]
                assert abs(100 - share["numerator"] / share["denominator"] * 100 - published) <= 0.05 + 1e-9, key
                compared += 1
        assert compared > 300, path.name


def test_cancer_waiting_times_all_care_only_with_the_month_from_the_excel_date():
    result = import_files("cwt", [NHS / "201705-11.-62-Day-Wait-for-first-treatment-All-Cancers-Provider-Data.csv"])
    assert result.periods() == {"2017-05"}
    total = result.rows[("cancer_62d_gp_pct", "2017-05", "RXA", "", "")]
    assert (total["numerator"], total["denominator"]) == (32.5, 40)  # the all-care block; fractions kept
    lung = result.rows[("cancer_62d_gp_pct", "2017-05", "RXA", "tumour_site", "Lung")]
    assert (lung["numerator"], lung["denominator"]) == (6, 8)
    assert len(result.rows) == 2  # the admitted block and the all-providers total are not read


def test_every_real_cancer_file_imports_or_says_why_not(nhs_data):
    result = import_files("cwt", sorted((nhs_data / "cancer").glob("*")))
    skipped = [n for n in result.notes if n.startswith("skipped")]
    assert skipped == ["skipped APRIL-2025-CWT-CRS-PROVIDER-WORKBOOK-PROVISIONAL.xlsx: is an Excel workbook, not a "
                       "CSV file: save the sheet you need as CSV (File → Save As → CSV UTF-8) and import that"]
    metrics = {key[0] for key in result.rows}
    assert metrics == {"cancer_62d_gp_pct", "cancer_31d_first_pct", "cancer_31d_subsequent_radiotherapy_pct"}
    compared = 0
    for path in sorted((nhs_data / "cancer").glob("*.csv")):
        table = read_table(path)
        all_care = False
        for cells in table.cells:
            if cells[0].startswith("PART"):
                all_care = "ALL CARE" in cells[0]
            elif all_care and len(cells) > 8 and cells[1].strip() and cells[8].endswith("%"):
                metric = {"11.": "cancer_62d_gp_pct", "5.-": "cancer_31d_first_pct"}.get(
                    path.name[7:10], "cancer_31d_subsequent_radiotherapy_pct")
                row = result.rows[(metric, "2017-07", cells[1].strip(), "", "")]
                assert abs(row["numerator"] / row["denominator"] * 100 - number(cells[8])) <= 0.005 + 1e-9
                compared += 1
    assert compared > 250


def test_organisations_from_the_ods_files():
    document, notes = organisations("QYG", sorted((NHS / "reference").glob("*")))
    assert document["system"] == {"code": "E54000008", "name": "NHS Cheshire and Merseyside", "short_name": "QYG"}
    codes = [p["code"] for p in document["providers"]]
    assert codes == ["QYG", "RXA", "RXB", "RXC"]  # the ICB's trusts only
    closed = next(p for p in document["providers"] if p["code"] == "RXC")
    assert closed["closed"] == "2023-06"
    assert next(p for p in document["providers"] if p["code"] == "RXB")["type"] == "community"
    assert next(p for p in document["providers"] if p["code"] == "RXA")["postcode"] == "CH49 5PE"
    sites = {s["code"]: s for s in document["sites"]}
    assert set(sites) == {"RXA01", "RXA02"}  # a site with no coordinates is left out
    assert sites["RXA02"]["lon"] == -0.0819  # scientific notation in the hospital file, Latin-1 and "¬"
    OrganisationsFile.model_validate(document)


def test_an_icb_dashboard_prepared_from_the_publications(tmp_path, monkeypatch):
    assert cli(["prepare", "--icb", "QYG", "--from", str(NHS), "--out", str(tmp_path)]) == 0
    ws = load_workspace(tmp_path / "config", tmp_path / "data")
    assert [str(p) for p in ws.problems] == []
    assert ws.engine.summary("ae_4hr_all", "RXA", "2025-05").value == pytest.approx(1170 / 1500 * 100)
    assert ws.engine.summary("rtt_waiting_list", "E54000008", "2025-05").value == 150  # the ICB's own figure
    at = open_page(start(monkeypatch, tmp_path / "config", tmp_path / "data").run(), "nhs_england").run()
    assert not at.exception and at.title[0].value == "NHS England statistics"


def test_the_real_icb_dashboard(nhs_data, tmp_path):
    assert cli(["prepare", "--icb", "QYG", "--from", str(nhs_data), "--out", str(tmp_path)]) == 0
    ws = load_workspace(tmp_path / "config", tmp_path / "data")
    assert [str(p) for p in ws.problems] == []
    assert len(ws.engine.periods) >= 24
    published = next(r for r in read_table(nhs_data / "ae" / "by_provider_xls_export" / "March-2026-AE.csv").rows
                     if r["Code"].strip() == "RBL")
    assert round(ws.engine.summary("ae_4hr_all", "RBL", "2026-03").value, 1) == number(
        published["Percentage in 4 hours or less (all)"])


def test_the_ods_import_writes_organisations_yaml(tmp_path, capsys):
    out = tmp_path / "organisations.yaml"
    assert cli(["import", "ods", *map(str, sorted((NHS / "reference").glob("*"))), "--out", str(out)]) == 2
    assert "needs --icb" in capsys.readouterr().err
    assert cli(["import", "ods", *map(str, sorted((NHS / "reference").glob("*"))), "--icb", "QYG",
                "--out", str(out)]) == 0
    import yaml
    assert OrganisationsFile.model_validate(yaml.safe_load(out.read_text())).system.code == "E54000008"


def test_the_tidy_nhsr_ae_series(tmp_path):
    path = tmp_path / "ae_attendances.csv"
    path.write_text("period,org_code,type,attendances,breaches,admissions\n2017-03-01,RXA,1,100,20,30\n"
                    "2017-03-01,RXA,other,50,1,0\n2017-04-01,RXA,1,90,9,25\n")
    result = import_files("ae", [path])
    assert result.periods() == {"2017-03", "2017-04"}
    row = result.rows[("ae_4hr_all", "2017-03", "RXA", "", "")]
    assert (row["numerator"], row["denominator"]) == (129, 150)
    assert ("ae_12hr_dta", "2017-03", "RXA", "", "") not in result.rows  # not in this series: missing, not 0


KINDS_BY_FOLDER = {"ae": "ae", "rtt": "rtt", "diagnostics": "dm01", "cancer": "cwt", "ambulance": "ae"}


def test_every_real_file_imports_or_fails_with_a_precise_message(nhs_data):
    for folder, kind in KINDS_BY_FOLDER.items():
        for path in sorted((nhs_data / folder).rglob("*.*")):
            result = import_files(kind, [path])
            [note] = [n for n in result.notes if path.name in n]
            if note.startswith("skipped"):
                assert ("is an Excel workbook" in note or f"is not a {kind} layout (first columns:" in note), note
                assert folder in ("cancer", "ambulance"), note  # no ambulance import yet; the workbook needs saving as CSV
            else:
                assert result.rows, path.name
    document, notes = organisations("QYG", sorted((nhs_data / "reference").glob("*")))
    assert notes[0] == "skipped System-Mapping_AE_provider_to_ICB.csv: not a reference file this import knows " \
                       "(etr, eccg, the ONS ICB lookup, Hospital.csv or a postcode lookup)"
    assert len(document["providers"]) > 15 and len(document["sites"]) > 20
