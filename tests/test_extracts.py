"""Extract validation: bad rows are reported by file, row and column and left out; good rows load."""

import pytest

from portfolio.workspace import load_workspace

HEADER = "metric_id,period,org_code,breakdown,breakdown_value,series,value,numerator,denominator,status,note\n"
GOOD = "attendances,2023-04,A,,,,1100,,,validated,\n"


def _load(fixture_copy, body: bytes | str, header: str = HEADER):
    data = (header + body) if isinstance(body, str) else header.encode() + body
    path = fixture_copy / "data" / "demo.csv"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    workspace = load_workspace(fixture_copy / "config", fixture_copy / "data")
    report = next(r for r in workspace.extracts if r.file == "demo.csv")
    return workspace, report


BAD_ROWS = [
    ("unknown metric", "attendence,2023-04,A,,,,1,,,,\n", "metric_id", "unknown metric 'attendence'"),
    ("unknown organisation", "attendances,2023-04,ZZZ,,,,1,,,,\n", "org_code", "unknown organisation 'ZZZ'"),
    ("month 13", "attendances,2023-13,A,,,,1,,,,\n", "period", "'2023-13' is not a month"),
    ("day-first date", "attendances,01/04/2023,A,,,,1,,,,\n", "period", "is not a month"),
    ("text in a number", "attendances,2023-04,A,,,,lots,,,,\n", "value", "'lots' is not a number"),
    ("thousands separator", 'attendances,2023-04,A,,,,"1,100",,,,\n', "value", "'1,100' is not a number"),
    ("negative count", "attendances,2023-04,A,,,,-5,,,,\n", "value", "a count cannot be negative"),
    ("percentage as a fraction over 100", "four_hour,2023-04,A1,,,,,120,100,,\n", "numerator", "exceeds the denominator"),
    ("zero denominator", "four_hour,2023-04,A1,,,,,0,0,,\n", "denominator", "the denominator is 0"),
    ("negative denominator", "four_hour,2023-04,A1,,,,,5,-10,,\n", "denominator", "cannot be negative"),
    ("ratio without parts", "four_hour,2023-04,A1,,,,76.5,,,,\n", "numerator", "give both numerator and denominator"),
    ("value metric without a value", "attendances,2023-04,A,,,,,,,,\n", "value", "needs a value"),
    ("unknown series", "spend,2023-04,A,,,budget,-5,,,,\n", "series", "'budget' is not a series"),
    ("unknown status", "attendances,2023-04,A,,,,1,,,final,\n", "status", "'final' is not a status"),
    ("half a breakdown", "waiting_list,2023-04,A,weeks_band,,,1,,,,\n", "breakdown", "go together"),
]


@pytest.mark.parametrize("row, column, message", [c[1:] for c in BAD_ROWS], ids=[c[0] for c in BAD_ROWS])
def test_bad_row_is_reported_and_skipped_while_good_rows_load(fixture_copy, row, column, message):
    _, report = _load(fixture_copy, GOOD + row)
    assert report.rows_read == 2 and report.rows_loaded == 1
    problem = next(p for p in report.problems if message in p.message)
    assert problem.file == "demo.csv" and problem.line == 3 and problem.location == f"row 3, column {column}"
    assert str(problem).startswith("demo.csv:3 (row 3, column")


def test_duplicate_key_names_the_first_row(fixture_copy):
    _, report = _load(fixture_copy, GOOD + "attendances,2023-05,A,,,,1,,,,\n" + GOOD)
    assert report.rows_loaded == 2
    assert [p.message for p in report.problems] == [
        "duplicate of row 2: same metric, period, organisation, breakdown and series"]
    assert report.problems[0].line == 4


def test_same_key_in_another_series_is_not_a_duplicate(fixture_copy):
    _, report = _load(fixture_copy, "spend,2023-04,A,,,actual,-5,,,,\nspend,2023-04,A,,,plan,-6,,,,\n")
    assert report.problems == [] and report.rows_loaded == 2


def test_blank_number_is_missing_not_zero(demo):
    # fixture: provider C has no four_hour row for 2023-06; the system figure uses A1, A2 and B only
    june = demo.engine.series("four_hour", "SYS", start="2023-06", end="2023-06").iloc[0]
    assert (june["numerator"], june["denominator"]) == (855, 1000)
    assert demo.engine.summary("four_hour", "C", "2023-06").status == "no data"


def test_utf8_with_byte_order_mark(fixture_copy):
    _, report = _load(fixture_copy, GOOD.replace(",validated,", ",validated,£ and é"), header="\ufeff" + HEADER)
    assert report.problems == [] and report.rows_loaded == 1 and report.encoding == "utf-8"


def test_cp1252_pound_sign(fixture_copy):
    workspace, report = _load(fixture_copy, "attendances,2023-04,A,,,,1100,,,validated,cost £5k\n".encode("cp1252"))
    assert report.problems == [] and report.encoding == "cp1252"
    assert workspace.engine.summary("attendances", "A", "2023-04").note == "cost £5k"


def test_crlf_and_padded_values(fixture_copy):
    _, report = _load(fixture_copy, "attendances, 2023-04 ,A,,,,1100,,,,\r\n".replace("\n", ""), HEADER.replace("\n", "\r\n"))
    assert report.problems == [] and report.rows_loaded == 1


def test_missing_required_column_rejects_the_file(fixture_copy):
    _, report = _load(fixture_copy, "attendances,A,1\n", header="metric_id,org_code,value\n")
    assert report.rows_loaded == 0
    assert "has no period column" in report.problems[0].message and report.problems[0].line == 1


def test_unknown_column_is_a_warning(fixture_copy):
    _, report = _load(fixture_copy, GOOD.rstrip("\n") + ",x\n", header=HEADER.rstrip("\n") + ",comment\n")
    assert report.rows_loaded == 1
    assert report.problems[0].severity == "warning" and "comment" in report.problems[0].message


def test_many_bad_rows_are_summarised(fixture_copy):
    _, report = _load(fixture_copy, "".join(f"nope,2023-04,A,,,,{i},,,,\n" for i in range(40)))
    assert len(report.problems) == 26
    assert report.problems[-1].message == "15 more rows have the same problem in column metric_id"


def test_missing_extract_file_is_reported(fixture_copy):
    (fixture_copy / "data" / "demo.csv").unlink()
    workspace = load_workspace(fixture_copy / "config", fixture_copy / "data")
    problem = next(p for r in workspace.extracts for p in r.problems)
    assert problem.file == "demo.csv" and "is missing from the data folder" in problem.message


def test_a_link_out_of_the_data_folder_is_not_followed(fixture_copy, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text(HEADER + GOOD)
    (fixture_copy / "data" / "demo.csv").unlink()
    (fixture_copy / "data" / "demo.csv").symlink_to(outside)
    workspace = load_workspace(fixture_copy / "config", fixture_copy / "data")
    report = next(r for r in workspace.extracts if r.file == "demo.csv")
    assert report.rows_loaded == 0 and "outside the data folder" in report.problems[0].message


def test_rows_for_a_merged_trust_after_it_closed_are_refused(fixture_copy):
    path = fixture_copy / "config" / "organisations.yaml"
    path.write_text(path.read_text().replace("type: acute, place: P2}", "type: acute, place: P2, closed: 2023-04, successor: B}"))
    workspace, report = _load(fixture_copy, "attendances,2023-04,C,,,,100,,,,\nattendances,2023-05,C,,,,95,,,,\n"
                                            "attendances,2023-05,B,,,,390,,,,\n")
    assert report.rows_loaded == 2
    assert report.problems[0].message == "C closed after 2023-04: these figures are for a later month; file them under its successor B"
    # after the merger the system is complete without C: not flagged as partial
    assert workspace.engine.summary("attendances", "SYS", "2023-05").data_status == "validated"


@pytest.mark.parametrize("row, message", [
    ("waiting_list,2023-04,A,,,,5,,,,,weeks_band,52+ weeks\n", "breakdown2 divides a breakdown member"),
    ("waiting_list,2023-04,A,treatment_function,Urology,,5,,,,,weeks_band,\n", "breakdown2 and breakdown2_value go together"),
])
def test_a_second_breakdown_needs_a_first_and_both_halves(fixture_copy, row, message):
    header = HEADER.rstrip("\n") + ",breakdown2,breakdown2_value\n"
    _, report = _load(fixture_copy, GOOD.rstrip("\n") + ",,\n" + row, header=header)
    assert report.rows_loaded == 1
    assert any(message in p.message for p in report.problems), [str(p) for p in report.problems]
