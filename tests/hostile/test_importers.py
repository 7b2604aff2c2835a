"""Hostile input to ``python -m portfolio import``: files that are not files, files that are not
text, cells that are not finite numbers, and rows cut short. Each importer must refuse cleanly,
naming the file and what is wrong (exit 2, nothing written), or write exactly the figures it can
stand behind: never a traceback, a hang, an ``inf``, or a missing cell read as 0.

Every file here is built in ``tmp_path`` in the published layouts (modelled on tests/fixtures/nhs);
the real publications in ../shared/nhs_data are only read, when present."""

import csv
import io
import math
import os
import signal
from pathlib import Path

import pytest
import yaml

from portfolio.cli import main as cli
from portfolio.data.imports.run import import_files

TOKENS = ["inf", "Infinity", "1e309", "NaN", "-inf"]  # what a hostile or broken export writes for a number
LEFT_OUT = ("left out with no usable figure (a missing, blank, infinite or not-a-number cell, or a rate over "
            "zero), the first")


@pytest.fixture(autouse=True)
def no_hang():
    """A test that would wait for ever (a named pipe opened) fails instead."""
    def hung(*_):
        raise TimeoutError("the importer hung")
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


# --- the published layouts, in small ---------------------------------------------------------

DEPARTMENTS = ("Type 1", "Type 2", "Other A&E Department")
SHORT_DEPARTMENTS = ("Type 1", "Type 2", "Other Department")
AE_NATIVE = ["Period", "Org Code", "Parent Org", "Org name",
             *(f"A&E attendances {d}" for d in DEPARTMENTS),
             *(f"A&E attendances Booked Appointments {d}" for d in SHORT_DEPARTMENTS),
             *(f"Attendances over 4hrs {d}" for d in SHORT_DEPARTMENTS),
             *(f"Attendances over 4hrs Booked Appointments {d}" for d in SHORT_DEPARTMENTS),
             "Patients who have waited 4-12 hs from DTA to admission",
             "Patients who have waited 12+ hrs from DTA to admission",
             *(f"Emergency admissions via A&E - {d}" for d in ("Type 1", "Type 2", "Other A&E department")),
             "Other emergency admissions"]
AE_RXA = ["MSitAE-MAY-2025", "RXA", "NHS ENGLAND NORTH WEST ", "TEST HOSPITAL A", "1000", "0", "400", "100", "0", "0",
          "300", "0", "10", "20", "0", "0", "50", "12", "250", "0", "0", "80"]
AE_RXB = ["MSitAE-MAY-2025", "RXB", "NHS ENGLAND NORTH WEST ", "TEST HOSPITAL B", "500", "20", "0", "0", "0", "0",
          "100", "0", "0", "0", "0", "0", "10", "0", "120", "5", "0", "30"]
AE_TOTAL = ["MSitAE-MAY-2025", "TOTAL", "TOTAL", "TOTAL", *["0"] * 18]

TYPE1, TYPE2, TYPE3 = ("Type 1 Departments - Major A&E", "Type 2 Departments - Single Specialty",
                       "Type 3 Departments - Other A&E/Minor Injury Unit")
AE_BY_PROVIDER = ["Code", "Region", "Name", TYPE1, TYPE2, TYPE3, "Total attendances", TYPE1, TYPE2, TYPE3,
                  "Total Attendances < 4 hours", TYPE1, TYPE2, TYPE3, "Total Attendances > 4 hours",
                  *(f"Percentage in 4 hours or less ({t})" for t in ("all", "type 1", "type 2", "type 3")),
                  "Emergency Admissions via Type 1 A&E", "Emergency Admissions via Type 2 A&E",
                  "Emergency Admissions via Type 3 and 4 A&E", "Total Emergency Admissions via A&E",
                  "Other Emergency admissions (i.e not via A&E)", "Total Emergency Admissions",
                  "Number of patients spending >4 hours from decision to admit to admission",
                  "Number of patients spending >12 hours from decision to admit to admission"]
BY_PROVIDER_RXA = ["RXA", "NHS England North West ", "Test Hospital A", "1,100", "0", "400", "1,500", "780", "0", "390",
                   "1,170", "320", "0", "10", "330", "78.00%", "70.90%", "-", "97.50%", "250", "0", "0", "250", "80",
                   "330", "62", "12"]
BY_PROVIDER_RXB = ["RXB", "NHS England North West ", "Test Hospital B", "500", "0", "0", "500", "400", "0", "0", "400",
                   "100", "0", "0", "100", "80.00%", "80.00%", "-", "-", "120", "0", "0", "120", "30", "150", "10", "0"]

NHSR = ["period", "org_code", "type", "attendances", "breaches", "admissions"]
NHSR_ROWS = [["2017-03-01", "RXA", "1", "100", "20", "30"], ["2017-03-01", "RXA", "other", "50", "1", "0"],
             ["2017-03-01", "RXB", "1", "90", "9", "25"]]

RTT_TEXT = ["Period", "Provider Parent Org Code", "Provider Parent Name", "Provider Org Code", "Provider Org Name",
            "Commissioner Parent Org Code", "Commissioner Parent Name", "Commissioner Org Code",
            "Commissioner Org Name", "RTT Part Type", "RTT Part Description", "Treatment Function Code",
            "Treatment Function Name"]
RTT_BANDS = [f"Gt {w:02d} To {w + 1:02d} Weeks SUM 1" for w in range(104)] + ["Gt 104 Weeks SUM 1"]
RTT_FULL = [*RTT_TEXT, *RTT_BANDS, "Total", "Patients with unknown clock start date", "Total All"]

PROVIDER_BANDS = [f">{w}-{w + 1}" for w in range(104)] + ["104 plus"]
RTT_PROVIDER = ["Region Code", "Provider Code", "Provider Name", "Treatment Function Code", "Treatment Function",
                *PROVIDER_BANDS, "Total number of incomplete pathways", "Total within 18 weeks", "% within 18 weeks",
                "Average (median) waiting time (in weeks)", "92nd percentile waiting time (in weeks)",
                "Total 52 plus weeks", "Total 78 plus weeks", "Total 65 plus weeks", "% 52 plus weeks"]
WAITS = {2: "40", 10: "30", 20: "20", 60: "8", 80: "2"}  # patients by week waited: 100 in all

DM01 = ["\ufeffRegional Team Code", "Regional Team Name", "Provider Code", "Provider Name", "Diagnostic ID",
        "Diagnostic Test Name", " Total Waiting List ", " Number waiting 6+ Weeks ", " Number waiting 13+ Weeks ",
        " Percentage waiting 6+ weeks ", *(f" {w:02d} <{w + 1:02d} weeks " for w in range(13)), " 13+ weeks ", "",
        " Planned tests / procedures ", " Unscheduled tests / procedures ",
        " Waiting list tests / procedures (excluding planned) "]


def _dm01_row(test_id: str, test: str, waiting: str, over_6: str, over_13: str, planned: str) -> list[str]:
    return ["Y62", "North West Commissioning Region", "RXA", "Test Hospital, Wirral", test_id, test, waiting, over_6,
            over_13, "5.00%", *["0"] * 13, over_13, "", planned, "20", "1,200"]


DM01_ROWS = [_dm01_row("1", "Magnetic Resonance Imaging", "1,000", "50", "5", "10"),
             _dm01_row("2", "Computed Tomography", "500", "-", "-", "5"),
             _dm01_row("16", "Total", "1,500", "50", "5", "15")]

CWT_HEADER = ["", "ODS CODE (1)", "ACCOUNTABLE PROVIDER (4) (5)", "CARE SETTING (2)", "CANCER TYPE", "TOTAL",
              "WITHIN 62 DAYS", "AFTER 62 DAYS", "TREATED WITHIN 62 DAYS", ""]
CWT_ROWS = [["62-DAY (URGENT GP REFERRAL TO TREATMENT) WAIT FOR FIRST TREATMENT: ALL CANCERS", *[""] * 9],
            ["42856", *[""] * 9], ["BASIS: PROVIDER BASED", *[""] * 9], [""] * 10,
            ["PART A: ADMITTED CARE", *[""] * 9], CWT_HEADER,
            ["", "RXA", "TEST HOSPITAL", "ADMITTED", "ALL CANCERS", "10", "8.5", "1.5", "85.00%", ""],
            ["PART C:ALL CARE", *[""] * 9], CWT_HEADER,
            ["", "RXA", "TEST HOSPITAL", "ALL CARE", "ALL CANCERS", "40", "32.5", "7.5", "81.25%", ""],
            ["", "RXA", "TEST HOSPITAL", "ALL CARE", "LUNG", "8", "6", "2", "75.00%", ""],
            ["", "RXB", "TEST HOSPITAL B", "ALL CARE", "ALL CANCERS", "20", "15", "5", "75.00%", ""],
            [""] * 10, ["", "", "ALL ENGLISH PROVIDERS", "ALL CARE", "ALL CANCERS", "68", "53.5", "14.5", "78.68%", ""]]
CWT_NAME = "201705-11.-62-Day-Wait-for-first-treatment-All-Cancers-Provider-Data.csv"


def _etr_row(code: str, name: str, icb: str, postcode: str, closed: str = "") -> list[str]:
    return [code, name, "Y62", icb, "1 TEST ROAD", "", "", "WIRRAL", "", postcode, "19910401", closed, *[""] * 15]


ETR = [_etr_row("RXA", "TEST HOSPITAL NHS FOUNDATION TRUST", "QYG", "CH49 5PE"),
       _etr_row("RXB", "TEST COMMUNITY HEALTH AND CARE NHS TRUST", "QYG", "L35 5DR"),
       _etr_row("RXC", "CLOSED TEST HOSPITAL NHS TRUST", "QYG", "PR8 6PN", "20230630")]
ICB_LOOKUP = [["ICB24CD", "ICB24CDH", "ICB24NM", "ObjectId"],
              ["E54000008", "QYG", "NHS Cheshire and Merseyside Integrated Care Board", "1"]]
HOSPITAL = ["OrganisationID", "OrganisationCode", "OrganisationType", "SubType", "Sector", "OrganisationStatus",
            "IsPimsManaged", "OrganisationName", "Address1", "Address2", "Address3", "City", "County", "Postcode",
            "Latitude", "Longitude", "ParentODSCode", "ParentName", "Phone", "Email", "Website", "Fax"]


def _hospital_row(code: str, lat: str, lon: str) -> list[str]:
    return ["1", code, "Hospital", "Hospital", "NHS Sector", "Visible", "True", f"Site {code}", "", "", "", "Wirral",
            "Merseyside", "CH49 5PE", lat, lon, "RXA", "Test Hospital", "", "", "", ""]


def _csv_text(rows: list[list[str]], newline: str = "\r\n", delimiter: str = ",", quoting=csv.QUOTE_MINIMAL) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline, delimiter=delimiter, quoting=quoting).writerows(rows)
    return buffer.getvalue()


def _write(path: Path, rows: list[list[str]], newline: str = "\r\n", delimiter: str = ",",
           encoding: str = "utf-8") -> Path:
    path.write_bytes(_csv_text(rows, newline, delimiter).encode(encoding))
    return path


def ae_native(folder: Path, rxa: list[str] = AE_RXA) -> Path:
    return _write(folder / "MSitAE_2025-05.csv", [AE_NATIVE, rxa, AE_RXB, AE_TOTAL])


def ae_by_provider(folder: Path, rxa: list[str] = BY_PROVIDER_RXA) -> Path:
    return _write(folder / "May-2025-AE.csv", [AE_BY_PROVIDER, rxa, BY_PROVIDER_RXB])


def ae_nhsr(folder: Path, rows: list[list[str]] = NHSR_ROWS) -> Path:
    return _write(folder / "ae_attendances.csv", [NHSR, *rows], newline="\n")


def _rtt_row(provider: str, commissioner: str, part: str, function: str, waits: dict[int, str], total: str) -> list[str]:
    bands = [waits.get(week, "") for week in range(105)]
    return ["RTT-May-2025", "QYG", "NHS CHESHIRE AND MERSEYSIDE INTEGRATED CARE BOARD", provider,
            f"TEST HOSPITAL {provider}", commissioner, "NHS CHESHIRE AND MERSEYSIDE INTEGRATED CARE BOARD" if commissioner
            else "", "27D", "NHS CHESHIRE AND MERSEYSIDE ICB - 27D", part, "Incomplete Pathways", function,
            "Total" if function == "C_999" else "Trauma and Orthopaedic Service", *bands, "", "", total]


def rtt_full(folder: Path, waits: dict[int, str] = WAITS, total: str = "100") -> Path:
    return _write(folder / "20250611-RTT-May-2025-full-extract.csv", [
        RTT_FULL, _rtt_row("RXA", "QYG", "Part_2", "C_999", waits, total),
        _rtt_row("RXA", "QYG", "Part_2", "C_110", {2: "10", 60: "8"}, "18"),
        _rtt_row("RXA", "QYG", "Part_3", "C_999", {}, "55"),
        _rtt_row("RXB", "", "Part_2", "C_999", {5: "50"}, "50")])


def rtt_provider(folder: Path, waits: dict[int, str] = WAITS, total: str = "100", cut: int | None = None) -> Path:
    rxa = ["Y62", "RXA", "Test Hospital A", "C_999", "Total", *(waits.get(w, "-") for w in range(105)), total,
           "70", "70.00%", "12.5", "61.9", "10", "2", "2", "10.00%"]
    rxb = ["Y62", "RXB", "Test Hospital B", "C_999", "Total", *("50" if w == 5 else "-" for w in range(105)), "50",
           "50", "100.00%", "5.5", "5.9", "-", "-", "-", "0.00%"]
    return _write(folder / "Incomplete-Provider-May25-XLSX-9M-00000.csv", [RTT_PROVIDER, rxa[:cut], rxb],
                  newline="\n", encoding="utf-8-sig")


def dm01(folder: Path, rows: list[list[str]] = DM01_ROWS) -> Path:
    return _write(folder / "Monthly-Diagnostics-Web-File-Provider-May-2025_TEST1.csv", [DM01, *rows])


def cwt(folder: Path, rows: list[list[str]] = CWT_ROWS) -> Path:
    return _write(folder / CWT_NAME, rows)


def etr(folder: Path, text: str | None = None) -> Path:
    path = folder / "etr.csv"
    path.write_text(ETR_TEXT if text is None else text, newline="")
    return path


def icb_lookup(folder: Path) -> Path:
    return _write(folder / "icb_names_codes_dec_2024.csv", ICB_LOOKUP, newline="\n")


VALID = {"ae": ae_native, "rtt": rtt_full, "dm01": dm01, "cwt": cwt, "ods": etr}


# --- running the command --------------------------------------------------------------------


def imported(capsys, kind: str, files: list, out: Path) -> tuple[int, str, str]:
    """The import command's exit code, standard output and standard error."""
    code = cli(["import", kind, *map(str, files), "--out", str(out), *(["--icb", "QYG"] if kind == "ods" else [])])
    printed = capsys.readouterr()
    return code, printed.out, printed.err


def written(out: Path) -> dict[tuple, tuple]:
    """The extract's figures by (metric, org, breakdown value); every one a finite number or blank."""
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for column in ("value", "numerator", "denominator"):
            assert row[column] == "" or math.isfinite(float(row[column])), row
    return {(r["metric_id"], r["org_code"], r["breakdown_value"]): (r["value"], r["numerator"], r["denominator"])
            for r in rows}


def read_note(name: str, period: str, rows: int, gone: list[tuple]) -> str:
    """The note the importer prints for a file, its rows left out counted and the first named."""
    if not gone:
        return f"read {name}: {period}, {rows:,} rows"
    metric, org, member = gone[0]
    return (f"read {name}: {period}, {rows:,} rows; {len(gone):,} {LEFT_OUT} {metric} for {org}"
            f"{' ' + member if member else ''} in {period}")


def assert_only_gone(capsys, tmp_path, kind: str, clean: Path, hostile: Path, period: str, gone: list[tuple]):
    """The hostile file imports to exactly the clean file's figures less ``gone``, and says so."""
    assert imported(capsys, kind, [clean], tmp_path / "clean.csv")[0] == 0
    expected = written(tmp_path / "clean.csv")
    assert set(gone) <= set(expected)
    for key in gone:
        del expected[key]
    code, out, _ = imported(capsys, kind, [hostile], tmp_path / "hostile.csv")
    assert code == 0
    assert written(tmp_path / "hostile.csv") == expected
    assert out.splitlines()[0] == read_note(hostile.name, period, len(expected), gone)


def _with(row: list[str], header: list[str], column: str, token: str, occurrence: int = 0) -> list[str]:
    """The row with the ``occurrence``-th cell under ``column`` replaced by ``token``."""
    position = [i for i, name in enumerate(header) if name == column][occurrence]
    return [token if i == position else cell for i, cell in enumerate(row)]


# --- 5. paths that are not files: refused by name, before anything is opened -----------------


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "downloads").mkdir()
    return tmp_path / "downloads"


def _pipe(tmp_path: Path) -> Path:
    os.mkfifo(tmp_path / "feed.csv")
    return tmp_path / "feed.csv"


NOT_FILES = {  # what the path is → (how to make it, what the refusal says after the name)
    "folder": (_folder, "is a folder, not a file"),
    "named pipe": (_pipe, "is a named pipe, not a file"),
    "device": (lambda tmp_path: Path("/dev/null"), "is a device, not a file"),
    "NUL in name": (lambda tmp_path: tmp_path / "ae\0.csv", "has a NUL byte in its name"),
    "long name": (lambda tmp_path: tmp_path / ("x" * 256 + ".csv"), "has a part of its name longer than 255 bytes"),
    "missing": (lambda tmp_path: tmp_path / "MSitAE_2025-06.csv", "does not exist"),
    "link to a pipe": (lambda tmp_path: _link(tmp_path, _pipe(tmp_path)), "is a named pipe, not a file"),
}


def _link(tmp_path: Path, target: Path) -> Path:
    (tmp_path / "latest.csv").symlink_to(target)
    return tmp_path / "latest.csv"


def _shown(path: Path) -> str:
    return str(path).replace("\0", "\\0").replace("x" * 256 + ".csv", "x" * 40 + "…")


@pytest.mark.parametrize("kind", sorted(VALID))
@pytest.mark.parametrize("what", sorted(NOT_FILES))
def test_a_path_that_is_not_a_file_is_refused_by_name(capsys, tmp_path, kind, what):
    make, refusal = NOT_FILES[what]
    good, bad = VALID[kind](tmp_path), make(tmp_path)
    out = tmp_path / "out.csv"
    assert imported(capsys, kind, [good, bad], out) == (2, "", f"error: {_shown(bad)} {refusal}\n")
    assert not out.exists()


def test_a_pipe_among_the_files_of_a_folder_is_skipped_not_waited_on(tmp_path):
    result = import_files("ae", [_pipe(tmp_path), ae_native(tmp_path)])
    assert result.notes[:2] == ["skipped feed.csv: is a named pipe, not a file",
                                "read MSitAE_2025-05.csv: 2025-05, 12 rows"]


# --- 2. --out that cannot be written: refused before anything is read -------------------------


OUTS = {"folder": (_folder, "is a folder"), "named pipe": (_pipe, "is a named pipe"),
        "device": (lambda tmp_path: Path("/dev/null"), "is a device"),
        "NUL in name": (lambda tmp_path: tmp_path / "out\0.csv", "has a NUL byte in its name")}


@pytest.mark.parametrize("kind", sorted(VALID))
@pytest.mark.parametrize("what", sorted(OUTS))
def test_an_out_that_is_not_a_file_to_write_is_refused(capsys, tmp_path, kind, what):
    make, refusal = OUTS[what]
    data = tmp_path / "data"
    data.mkdir()
    good, out = VALID[kind](data), make(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    written_as = "organisations YAML" if kind == "ods" else "CSV"
    assert imported(capsys, kind, [good], out) == (2, "", f"error: --out {refusal}: name the {written_as} file to "
                                                          "write\n")
    assert sorted(tmp_path.rglob("*")) == before  # nothing written, the folder left empty


def test_an_out_inside_a_file_is_a_clean_refusal(capsys, tmp_path):
    blocker = tmp_path / "extracts"
    blocker.write_text("not a folder")
    code, _, err = imported(capsys, "ae", [ae_native(tmp_path)], blocker / "ae.csv")
    assert (code, err.splitlines()[-1]) == (2, f"error: cannot write {blocker / 'ae.csv'} (File exists)")


# --- 1. ods fed files that are not CSV text: a named refusal, nothing written -----------------

ETR_TEXT = _csv_text(ETR, quoting=csv.QUOTE_ALL)  # as ODS publishes it: every field quoted
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
CUT_SHORT = "row {row} has {has} of the {of} columns of its first row, so the file looks cut short: download it again"
NOT_TEXT = "is not a text file (it holds NUL bytes): import the CSV file itself"
UTF16 = "is UTF-16 text (Excel's \"Unicode Text\"): save it as CSV UTF-8 and import that"
BAD_REFERENCE_FILES = {  # name → (file name, its bytes, the refusal)
    "cut mid-row": ("etr.csv", ETR_TEXT[:-60].encode(), "etr.csv: " + CUT_SHORT.format(row=3, has=11, of=27)),
    "cut in a quote": ("etr.csv", ETR_TEXT[:ETR_TEXT.rindex("CLOSED") + 6].encode(),
                       "etr.csv: " + CUT_SHORT.format(row=3, has=2, of=27)),
    "empty": ("etr.csv", b"", "etr.csv is empty"),
    "blank lines only": ("etr.csv", b"\r\n\r\n", "etr.csv is empty"),
    "UTF-16": ("etr.csv", ETR_TEXT.encode("utf-16"), f"etr.csv {UTF16}"),
    "UTF-16 big-endian": ("etr.csv", b"\xfe\xff" + ETR_TEXT.encode("utf-16-be"), f"etr.csv {UTF16}"),
    "UTF-16 without a BOM": ("etr.csv", ETR_TEXT.encode("utf-16-le"), f"etr.csv {NOT_TEXT}"),
    "PNG": ("logo.png", PNG, f"logo.png {NOT_TEXT}"),
    "PNG named .csv": ("etr.csv", PNG, f"etr.csv {NOT_TEXT}"),
    "workbook": ("etr.xlsx", b"PK\x03\x04" + bytes(range(1, 200)),
                 "etr.xlsx is an Excel workbook, not a CSV file: save the sheet you need as CSV (File → Save As → "
                 "CSV UTF-8) and import that"),
    "binary without NULs": ("noise.bin", bytes(range(1, 256)),
                            "noise.bin is not a readable CSV file (new-line character seen in unquoted field - do you "
                            "need to open the file in universal-newline mode?)"),
    "hospital file cut short": ("Hospital.csv", _csv_text([HOSPITAL, _hospital_row("RXA01", "53.4", "-3.1")],
                                                          "\n", "¬").encode("latin-1")[:-80],
                                "Hospital.csv: " + CUT_SHORT.format(row=2, has=6, of=22)),
    "ICB lookup cut short": ("icb.csv", _csv_text(ICB_LOOKUP, "\n").encode()[:-40],
                             "icb.csv: " + CUT_SHORT.format(row=2, has=3, of=4)),
}


@pytest.mark.parametrize("case", sorted(BAD_REFERENCE_FILES))
def test_ods_refuses_a_file_that_is_not_whole_csv_text(capsys, tmp_path, case):
    name, content, refusal = BAD_REFERENCE_FILES[case]
    (tmp_path / "reference").mkdir()
    bad = tmp_path / "reference" / name
    bad.write_bytes(content)
    files = [bad] if name == "etr.csv" else [etr(tmp_path), bad]
    out = tmp_path / "organisations.yaml"
    assert imported(capsys, "ods", files, out) == (2, "", f"error: {refusal}\n")
    assert not out.exists()


def test_ods_names_a_file_it_skipped_when_no_trust_is_left(capsys, tmp_path):
    (tmp_path / "mapping.csv").write_text("Code,Name,ICB Code\nRXA,Test,QYG\n")
    out = tmp_path / "organisations.yaml"
    assert imported(capsys, "ods", [tmp_path / "mapping.csv"], out) == (
        2, "", "error: no NHS trust in the ODS files reports to 'QYG' (column 4 of etr.csv); skipped mapping.csv: "
               "not a reference file this import knows (etr, eccg, the ONS ICB lookup, Hospital.csv or a postcode "
               "lookup)\n")
    assert not out.exists()


@pytest.mark.parametrize("lat, lon", [("inf", "-3.1"), ("53.4", "NaN"), ("1e309", "-3.1"), ("abc", "-3.1"),
                                      ("", "-3.1"), ("53.4", "-Infinity")])
def test_a_site_whose_coordinates_are_not_numbers_is_left_out(capsys, tmp_path, lat, lon):
    hospitals = _write(tmp_path / "Hospital.csv", [HOSPITAL, _hospital_row("RXA01", "53.36962890625", "-8.19E-2"),
                                                   _hospital_row("RXA02", lat, lon)],
                       newline="\n", delimiter="¬", encoding="latin-1")
    out = tmp_path / "organisations.yaml"
    code, printed, err = imported(capsys, "ods", [etr(tmp_path), icb_lookup(tmp_path), hospitals], out)
    assert (code, err) == (0, "")
    assert "NHS Cheshire and Merseyside Integrated Care Board: 3 trusts, 1 sites" in printed
    assert yaml.safe_load(out.read_text())["sites"] == [
        {"code": "RXA01", "name": "Site RXA01", "provider": "RXA", "lat": 53.36963, "lon": -0.0819}]


# --- the other kinds fed files that are not CSV text: skipped by name, nothing imported -------

NOT_CSV = {"UTF-16": (lambda text: text.encode("utf-16"), UTF16), "PNG": (lambda text: PNG, NOT_TEXT)}
PUBLICATIONS = {"ae": ae_native, "rtt": rtt_full, "dm01": dm01, "cwt": cwt}


@pytest.mark.parametrize("kind", sorted(PUBLICATIONS))
@pytest.mark.parametrize("encoding", sorted(NOT_CSV))
def test_a_publication_that_is_not_csv_text_is_skipped_and_nothing_written(capsys, tmp_path, kind, encoding):
    path = PUBLICATIONS[kind](tmp_path)
    spoil, reason = NOT_CSV[encoding]
    path.write_bytes(spoil(path.read_text(encoding="utf-8")))
    out = tmp_path / "out.csv"
    code, printed, err = imported(capsys, kind, [path], out)
    assert (code, printed, err.splitlines()[-1]) == (2, f"skipped {path.name}: {reason}\n",
                                                     "error: nothing was imported")
    assert not out.exists()


# --- 3. cells that are not finite numbers: treated as missing, never written ----------------

AE_CLEAN_RXA = [("ae_attendances_all", "RXA", ""), ("ae_attendances_type1", "RXA", ""), ("ae_4hr_all", "RXA", ""),
                ("ae_4hr_type1", "RXA", ""), ("ae_emergency_admissions", "RXA", ""), ("ae_12hr_dta", "RXA", "")]
ALL, TYPE_1, FOUR_HOURS, FOUR_HOURS_TYPE_1, ADMISSIONS, TWELVE_HOURS = AE_CLEAN_RXA
AE_NATIVE_CELLS = {  # the hostile cell → the RXA figures that depend on it, in the order they are made
    "A&E attendances Type 1": [ALL, TYPE_1, FOUR_HOURS, FOUR_HOURS_TYPE_1],
    "A&E attendances Booked Appointments Type 2": [ALL, FOUR_HOURS],
    "Attendances over 4hrs Type 1": [FOUR_HOURS, FOUR_HOURS_TYPE_1],
    "Emergency admissions via A&E - Type 2": [ADMISSIONS],
    "Patients who have waited 12+ hrs from DTA to admission": [TWELVE_HOURS],
}


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize("column", sorted(AE_NATIVE_CELLS))
def test_ae_native_cell_that_is_not_finite_is_missing(capsys, tmp_path, column, token):
    (tmp_path / "hostile").mkdir()
    hostile = ae_native(tmp_path / "hostile", _with(AE_RXA, AE_NATIVE, column, token))
    assert_only_gone(capsys, tmp_path, "ae", ae_native(tmp_path), hostile, "2025-05", AE_NATIVE_CELLS[column])


def test_ae_figures_that_overflow_when_added_are_missing(capsys, tmp_path):
    (tmp_path / "hostile").mkdir()
    huge = _with(_with(AE_RXA, AE_NATIVE, "A&E attendances Type 1", "1e308"), AE_NATIVE,
                 "A&E attendances Booked Appointments Type 1", "1e308")  # each finite; their sum is not
    hostile = ae_native(tmp_path / "hostile", huge)
    assert_only_gone(capsys, tmp_path, "ae", ae_native(tmp_path), hostile, "2025-05",
                     [ALL, TYPE_1, FOUR_HOURS, FOUR_HOURS_TYPE_1])


BY_PROVIDER_CELLS = {("Total attendances", 0): [ALL, FOUR_HOURS], (TYPE1, 0): [TYPE_1, FOUR_HOURS_TYPE_1],
                     (TYPE1, 2): [FOUR_HOURS_TYPE_1], ("Total Emergency Admissions via A&E", 0): [ADMISSIONS]}


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize("cell", sorted(BY_PROVIDER_CELLS))
def test_ae_by_provider_cell_that_is_not_finite_is_missing(capsys, tmp_path, cell, token):
    (tmp_path / "hostile").mkdir()
    column, occurrence = cell
    hostile = ae_by_provider(tmp_path / "hostile", _with(BY_PROVIDER_RXA, AE_BY_PROVIDER, column, token, occurrence))
    gone = [key for key in AE_CLEAN_RXA if key in BY_PROVIDER_CELLS[cell]]
    assert_only_gone(capsys, tmp_path, "ae", ae_by_provider(tmp_path), hostile, "2025-05", gone)


@pytest.mark.parametrize("token", TOKENS)
def test_ae_tidy_series_cell_that_is_not_finite_is_missing(capsys, tmp_path, token):
    (tmp_path / "hostile").mkdir()
    hostile = ae_nhsr(tmp_path / "hostile", [NHSR_ROWS[0], ["2017-03-01", "RXA", "other", token, "1", "0"],
                                             NHSR_ROWS[2]])
    assert_only_gone(capsys, tmp_path, "ae", ae_nhsr(tmp_path), hostile, "2017-03", [ALL, FOUR_HOURS])


RTT_BAND_60 = ["rtt_18w_pct", "rtt_52w", "rtt_waiting_list 52-65 weeks", "rtt_median_wait", "rtt_92nd_centile_wait"]


def _rtt_gone(orgs: tuple[str, ...], metrics: list[str]) -> list[tuple]:
    return [(metric.split(" ")[0], org, metric.partition(" ")[2]) for org in orgs for metric in metrics]


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize("thousands", [False, True], ids=["plain digits", "quoted thousands"])
def test_rtt_full_extract_band_that_is_not_finite_is_missing(capsys, tmp_path, token, thousands):
    """A band of the provider's total: whatever is added up from it goes, for the provider and for
    its commissioning ICB; the bands it does not reach stay. Quoted thousands elsewhere in the file
    make DuckDB read every cell as text, the slower path, which must agree."""
    (tmp_path / "hostile").mkdir()
    waits, total = ({**WAITS, 0: "1,000"}, "1100") if thousands else (WAITS, "100")
    clean = rtt_full(tmp_path, waits, total)
    hostile = rtt_full(tmp_path / "hostile", {**waits, 60: token}, total)
    assert_only_gone(capsys, tmp_path, "rtt", clean, hostile, "2025-05", _rtt_gone(("RXA", "QYG"), RTT_BAND_60))


@pytest.mark.parametrize("token", TOKENS)
def test_rtt_full_extract_total_that_is_not_finite_is_missing(capsys, tmp_path, token):
    (tmp_path / "hostile").mkdir()
    hostile = rtt_full(tmp_path / "hostile", total=token)
    assert_only_gone(capsys, tmp_path, "rtt", rtt_full(tmp_path), hostile, "2025-05",
                     _rtt_gone(("RXA", "QYG"), ["rtt_waiting_list"]))


@pytest.mark.parametrize("token", TOKENS)
def test_rtt_provider_sheet_band_that_is_not_finite_is_missing(capsys, tmp_path, token):
    (tmp_path / "hostile").mkdir()
    hostile = rtt_provider(tmp_path / "hostile", {**WAITS, 60: token})
    assert_only_gone(capsys, tmp_path, "rtt", rtt_provider(tmp_path), hostile, "2025-05",
                     _rtt_gone(("RXA",), RTT_BAND_60))


DM01_TOTAL = [(metric, "RXA", "") for metric in ("dm01_waiting_list", "dm01_6wk", "dm01_13wk", "dm01_6wk_pct",
                                                   "dm01_activity")]
DM01_CELLS = {" Total Waiting List ": [DM01_TOTAL[0], DM01_TOTAL[3]],
              " Number waiting 6+ Weeks ": [DM01_TOTAL[1], DM01_TOTAL[3]],
              " Number waiting 13+ Weeks ": [DM01_TOTAL[2]],
              " Planned tests / procedures ": [DM01_TOTAL[4]]}


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize("column", sorted(DM01_CELLS))
def test_dm01_cell_that_is_not_finite_is_missing(capsys, tmp_path, column, token):
    (tmp_path / "hostile").mkdir()
    hostile = dm01(tmp_path / "hostile", [*DM01_ROWS[:2], _with(DM01_ROWS[2], DM01, column, token)])
    assert_only_gone(capsys, tmp_path, "dm01", dm01(tmp_path), hostile, "2025-05", DM01_CELLS[column])


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize("column", ["TOTAL", "WITHIN 62 DAYS"])
def test_cwt_cell_that_is_not_finite_is_missing(capsys, tmp_path, column, token):
    (tmp_path / "hostile").mkdir()
    rows = [*CWT_ROWS[:9], _with(CWT_ROWS[9], CWT_HEADER, column, token), *CWT_ROWS[10:]]
    assert_only_gone(capsys, tmp_path, "cwt", cwt(tmp_path), cwt(tmp_path / "hostile", rows), "2017-05",
                     [("cancer_62d_gp_pct", "RXA", "")])


@pytest.mark.parametrize("token", TOKENS)
def test_cwt_month_that_is_not_a_finite_date_is_refused(capsys, tmp_path, token):
    path = cwt(tmp_path, [CWT_ROWS[0], [token, *[""] * 9], *CWT_ROWS[2:]])
    code, printed, err = imported(capsys, "cwt", [path], tmp_path / "out.csv")
    assert (code, printed, err.splitlines()[-1]) == (
        2, f"skipped {CWT_NAME}: no Excel serial date on its second line, where the month should be\n",
        "error: nothing was imported")


ZERO_DENOMINATORS = {  # a file where the bottom of a share is 0 → the share that is not written
    "ae native": (lambda folder: ae_native(folder, [*AE_RXA[:4], *["0"] * 18]), "ae",
                  {("ae_4hr_all", "RXA", ""), ("ae_4hr_type1", "RXA", "")}),
    "ae by provider": (lambda folder: ae_by_provider(folder, [*BY_PROVIDER_RXA[:3], *["0"] * 24]), "ae",
                       {("ae_4hr_all", "RXA", ""), ("ae_4hr_type1", "RXA", "")}),
    "rtt": (lambda folder: rtt_full(folder, {w: "0" for w in WAITS}, total="0"), "rtt",
            {("rtt_18w_pct", "RXA", ""), ("rtt_median_wait", "RXA", "")}),
    "dm01": (lambda folder: dm01(folder, [*DM01_ROWS[:2], _dm01_row("16", "Total", "0", "0", "0", "0")]), "dm01",
             {("dm01_6wk_pct", "RXA", "")}),
    "cwt": (lambda folder: cwt(folder, [*CWT_ROWS[:9], [*CWT_ROWS[9][:5], "0", "0", "0", "-", ""], *CWT_ROWS[10:]]),
            "cwt", {("cancer_62d_gp_pct", "RXA", "")}),
}


@pytest.mark.parametrize("case", sorted(ZERO_DENOMINATORS))
def test_a_share_of_nobody_is_left_out_not_written_as_infinite(capsys, tmp_path, case):
    make, kind, absent = ZERO_DENOMINATORS[case]
    code, printed, _ = imported(capsys, kind, [make(tmp_path)], tmp_path / "out.csv")
    figures = written(tmp_path / "out.csv")
    assert code == 0 and "left out" not in printed  # nobody counted is a figure, not a missing one
    assert not absent & set(figures)


# --- 4. short rows: a missing cell stays missing, never 0 ------------------------------------

AE_SHORT = {  # cells kept of RXA's 22 → the figures that can still be made, and those left out
    21: [ALL, TYPE_1, FOUR_HOURS, FOUR_HOURS_TYPE_1, ADMISSIONS, TWELVE_HOURS],
    20: [ALL, TYPE_1, FOUR_HOURS, FOUR_HOURS_TYPE_1, TWELVE_HOURS],
    18: [ALL, TYPE_1, FOUR_HOURS, FOUR_HOURS_TYPE_1, TWELVE_HOURS],
    17: [ALL, TYPE_1, FOUR_HOURS, FOUR_HOURS_TYPE_1],
    14: [ALL, TYPE_1, FOUR_HOURS_TYPE_1],
    13: [ALL, TYPE_1],
    8: [TYPE_1],
    7: [],
    2: [],
}


@pytest.mark.parametrize("cells", sorted(AE_SHORT))
def test_ae_native_short_row_leaves_out_what_it_lacks(capsys, tmp_path, cells):
    (tmp_path / "hostile").mkdir()
    hostile = ae_native(tmp_path / "hostile", AE_RXA[:cells])
    gone = [key for key in AE_CLEAN_RXA if key not in AE_SHORT[cells]]
    assert_only_gone(capsys, tmp_path, "ae", ae_native(tmp_path), hostile, "2025-05", gone)


def test_ae_native_blank_cell_is_missing_not_zero(capsys, tmp_path):
    (tmp_path / "hostile").mkdir()
    hostile = ae_native(tmp_path / "hostile", _with(AE_RXA, AE_NATIVE, "A&E attendances Type 2", " "))
    assert_only_gone(capsys, tmp_path, "ae", ae_native(tmp_path), hostile, "2025-05", [ALL, FOUR_HOURS])


@pytest.mark.parametrize("cells, kept", [(26, [ALL, TYPE_1, FOUR_HOURS, FOUR_HOURS_TYPE_1, ADMISSIONS]),
                                         (14, [ALL, TYPE_1, FOUR_HOURS_TYPE_1]), (7, [ALL, TYPE_1]), (3, [])])
def test_ae_by_provider_short_row_leaves_out_what_it_lacks(capsys, tmp_path, cells, kept):
    (tmp_path / "hostile").mkdir()
    hostile = ae_by_provider(tmp_path / "hostile", BY_PROVIDER_RXA[:cells])
    gone = [key for key in AE_CLEAN_RXA if key not in kept]
    assert_only_gone(capsys, tmp_path, "ae", ae_by_provider(tmp_path), hostile, "2025-05", gone)


@pytest.mark.parametrize("cells, gone", [(5, [ADMISSIONS]), (4, [FOUR_HOURS, ADMISSIONS]),
                                         (3, [ALL, FOUR_HOURS, ADMISSIONS])])
def test_ae_tidy_series_short_row_leaves_out_what_it_lacks(capsys, tmp_path, cells, gone):
    (tmp_path / "hostile").mkdir()
    hostile = ae_nhsr(tmp_path / "hostile", [NHSR_ROWS[0], NHSR_ROWS[1][:cells], NHSR_ROWS[2]])
    assert_only_gone(capsys, tmp_path, "ae", ae_nhsr(tmp_path), hostile, "2017-03", gone)


RTT_PART_2 = ["rtt_waiting_list", "rtt_18w_pct", "rtt_52w", "rtt_65w", "rtt_78w", "rtt_104w",
              *(f"rtt_waiting_list {band} weeks" for band in ("0-18", "18-52", "52-65", "65-78", "78-104", "104+")),
              "rtt_median_wait", "rtt_92nd_centile_wait"]


@pytest.mark.parametrize("cells", [len(RTT_FULL) - 1, len(RTT_TEXT) + 31, len(RTT_TEXT) + 1])
def test_rtt_full_extract_short_row_leaves_out_its_owners_figures(capsys, tmp_path, cells):
    """A row cut short cannot be told from one whose bands are blank (none), but it has lost its
    Total All: nothing added up from it, for the provider or its commissioning ICB, is written."""
    (tmp_path / "hostile").mkdir()
    clean = rtt_full(tmp_path)
    lines = clean.read_text().splitlines(keepends=True)
    cut = _csv_text([next(csv.reader([lines[1]]))[:cells]])
    (tmp_path / "hostile" / clean.name).write_text("".join([lines[0], cut, *lines[2:]]))
    assert_only_gone(capsys, tmp_path, "rtt", clean, tmp_path / "hostile" / clean.name, "2025-05",
                     _rtt_gone(("RXA", "QYG"), RTT_PART_2))


def test_rtt_provider_sheet_short_row_leaves_out_what_it_lacks(capsys, tmp_path):
    """Cut after the band of 30 weeks: only the 0-18 weeks band is whole."""
    (tmp_path / "hostile").mkdir()
    hostile = rtt_provider(tmp_path / "hostile", cut=5 + 31)
    gone = _rtt_gone(("RXA",), ["rtt_waiting_list", "rtt_18w_pct", "rtt_52w", "rtt_65w", "rtt_78w", "rtt_104w",
                                *(f"rtt_waiting_list {band} weeks" for band in ("18-52", "52-65", "65-78", "78-104",
                                                                                "104+")),
                                "rtt_median_wait", "rtt_92nd_centile_wait"])
    assert_only_gone(capsys, tmp_path, "rtt", rtt_provider(tmp_path), hostile, "2025-05", gone)


def test_dm01_short_row_leaves_out_what_it_lacks(capsys, tmp_path):
    (tmp_path / "hostile").mkdir()
    hostile = dm01(tmp_path / "hostile", [*DM01_ROWS[:2], DM01_ROWS[2][:8]])
    assert_only_gone(capsys, tmp_path, "dm01", dm01(tmp_path), hostile, "2025-05", [DM01_TOTAL[2], DM01_TOTAL[4]])


def test_cwt_short_row_leaves_out_what_it_lacks(capsys, tmp_path):
    (tmp_path / "hostile").mkdir()
    rows = [*CWT_ROWS[:9], CWT_ROWS[9][:6], *CWT_ROWS[10:]]
    assert_only_gone(capsys, tmp_path, "cwt", cwt(tmp_path), cwt(tmp_path / "hostile", rows), "2017-05",
                     [("cancer_62d_gp_pct", "RXA", "")])


# --- the real publications, spoiled in one cell, when present --------------------------------


def _spoil(source: Path, folder: Path, org_column: str, org: str, column: str, token: str,
           where: dict[str, str] | None = None) -> Path:
    """A copy of a real file in ``folder`` with one cell of ``org``'s first row (matching ``where``)
    replaced by ``token``; line endings and encoding kept."""
    raw = source.read_bytes()
    bom, text = (b"\xef\xbb\xbf", raw[3:].decode()) if raw.startswith(b"\xef\xbb\xbf") else (b"", raw.decode())
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [name.strip() for name in rows[0]]
    index = next(i for i, row in enumerate(rows) if row[header.index(org_column)].strip() == org
                 and all(row[header.index(k)].strip() == v for k, v in (where or {}).items()))
    rows[index] = _with(rows[index], header, column, token)
    path = folder / source.name
    path.write_bytes(bom + _csv_text(rows, "\r\n" if b"\r\n" in raw[:10_000] else "\n").encode())
    return path


def test_real_ae_file_spoiled_in_one_cell(capsys, tmp_path, nhs_data):
    source = nhs_data / "ae" / "msitae_2025-26" / "MSitAE_2026-03.csv"
    hostile = _spoil(source, tmp_path, "Org Code", "RJE", "A&E attendances Type 1", "Infinity")
    gone = [(metric, "RJE", "") for metric in ("ae_attendances_all", "ae_attendances_type1", "ae_4hr_all",
                                               "ae_4hr_type1")]
    assert_only_gone(capsys, tmp_path, "ae", source, hostile, "2026-03", gone)


def test_real_dm01_file_spoiled_in_one_cell(capsys, tmp_path, nhs_data):
    source = nhs_data / "diagnostics" / "Monthly-Diagnostics-Web-File-Provider-March-2025_SW40K.csv"
    hostile = _spoil(source, tmp_path, "Provider Code", "RJE", "Number waiting 6+ Weeks", "NaN",
                     {"Diagnostic Test Name": "Total"})
    assert_only_gone(capsys, tmp_path, "dm01", source, hostile, "2025-03",
                     [("dm01_6wk", "RJE", ""), ("dm01_6wk_pct", "RJE", "")])


def test_real_rtt_extract_spoiled_in_one_cell(capsys, tmp_path, nhs_data):
    source = nhs_data / "rtt" / "20260430-RTT-April-2026-full-extract_STAFFS-CHESHMERSEY-subset.csv"
    hostile = _spoil(source, tmp_path, "Provider Org Code", "RJE", "Gt 60 To 61 Weeks SUM 1", "1e309",
                     {"RTT Part Type": "Part_2", "Treatment Function Code": "C_999",
                      "Commissioner Parent Org Code": "QNC"})
    assert_only_gone(capsys, tmp_path, "rtt", source, hostile, "2026-04", _rtt_gone(("RJE", "QNC"), RTT_BAND_60))
