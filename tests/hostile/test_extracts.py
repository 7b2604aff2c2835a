"""Hostile CSV extracts: each bad row is named at its real line and left out, and every good row of
the file still loads; a file the dashboard will not read is refused with a message, never a hang
or a traceback. Built on the small fixture (tests/fixtures), whose extract has 38 good rows."""

import os
import shutil

import pytest

from portfolio.config.loading import load_config
from portfolio.data.extracts import _closed, _org_codes, load_extracts, read_extract
from tests.conftest import FIXTURE_CONFIG, FIXTURE_DATA

CONFIG = load_config(FIXTURE_CONFIG)
METRICS = [m for m in CONFIG.metrics.values() if m.source.extract == "demo.csv"]
EXTRACTED = CONFIG.settings.extracts["demo.csv"].data_as_at  # 10 Jul 2023
GOOD = (FIXTURE_DATA / "demo.csv").read_text(encoding="utf-8").splitlines()
HEADER, ROWS = GOOD[0], GOOD[1:]
ROW = "four_hour,2023-01,A1,,,,,90,100,validated,"  # a good row for a month the fixture does not have


def _read(tmp_path, text: str | bytes):
    path = tmp_path / "demo.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return read_extract(path, "demo.csv", METRICS, _org_codes(CONFIG), None, _closed(CONFIG), extracted=EXTRACTED)


def _with(bad: list[str], at: int = 20) -> str:
    """The fixture's rows with ``bad`` lines put in after its ``at``-th row (so good rows follow them)."""
    return "\n".join([HEADER, *ROWS[:at], *bad, *ROWS[at:]]) + "\n"


BAD_ROWS = [  # (name, the bad line, what the problem says)
    ("unquoted comma in a note", ROW + "cost £1,234 over", "has 12 values where the header has 11"),
    ("two unquoted commas", ROW + "a,b,c", "has 13 values where the header has 11"),
    ("a value left out", "four_hour,2023-01,A1,,,,90,100,validated,", "has 10 values where the header has 11"),
    ("a quote never closed", ROW + '"never closed', "a quote (\") is opened and never closed"),
    ("a quote never closed mid-row", 'four_hour,2023-01,"A1,,,,,90,100,validated,', "never closed"),
    ("infinity", "attendances,2023-06,A1,,,,inf,,,validated,", "'inf' is not a figure the dashboard can add up"),
    ("Infinity spelt out", "attendances,2023-06,A1,,,,Infinity,,,validated,", "'Infinity' is not a figure"),
    ("minus infinity", "attendances,2023-06,A1,,,,-inf,,,validated,", "'-inf' is not a figure"),
    ("an overflowing number", "attendances,2023-06,A1,,,,1e309,,,validated,", "'1e309' is not a figure"),
    ("a number whose sum overflows", "attendances,2023-06,A1,,,,1e308,,,validated,", "'1e308' is not a figure"),
    ("a huge numerator", "four_hour,2023-06,A1,,,,,1e20,1e21,validated,", "'1e20' is not a figure"),
    ("nan", "attendances,2023-06,A1,,,,nan,,,validated,", "'nan' is not a number"),
    ("NaN", "attendances,2023-06,A1,,,,NaN,,,validated,", "'NaN' is not a number"),
    ("a thousands separator", 'attendances,2023-06,A1,,,,"1,234",,,validated,', "'1,234' is not a number"),
    ("a percent sign", "attendances,2023-06,A1,,,,95%,,,validated,", "'95%' is not a number"),
    ("year 1", "attendances,0001-01,A1,,,,5,,,validated,", "'0001-01' is outside 1990 to 2099"),
    ("year 9999", "attendances,9999-12,A1,,,,5,,,validated,", "'9999-12' is outside 1990 to 2099"),
    ("year 1989", "attendances,1989-12,A1,,,,5,,,validated,", "'1989-12' is outside 1990 to 2099"),
    ("year 2100", "attendances,2100-01,A1,,,,5,,,validated,", "'2100-01' is outside 1990 to 2099"),
    ("month 13", "attendances,2023-13,A1,,,,5,,,validated,", "'2023-13' is not a month"),
    ("month 0", "attendances,2023-00,A1,,,,5,,,validated,", "'2023-00' is not a month"),
    ("30 February", "attendances,2023-02-30,A1,,,,5,,,validated,", "'2023-02-30' is not a month"),
    ("a word for a month", "attendances,June,A1,,,,5,,,validated,", "'June' is not a month"),
    ("an actual figure after the data were extracted", "attendances,2023-08,A1,,,,5,,,validated,",
     "an actual figure for 2023-08, after the data were extracted (10 Jul 2023)"),
    ("an actual figure years ahead", "attendances,2099-01,A1,,,,5,,,validated,", "an actual figure for 2099-01"),
    ("an unknown organisation", "attendances,2023-06,ZZZ,,,,5,,,validated,", "unknown organisation 'ZZZ'"),
    ("an organisation with a NUL", "attendances,2023-06,A\x001,,,,5,,,validated,", "unknown organisation 'A 1'"),
    ("an unknown metric", "nope,2023-06,A1,,,,5,,,validated,", "unknown metric 'nope'"),
    ("a control character in a metric", "attend\x07ances,2023-06,A1,,,,5,,,validated,", "unknown metric 'attend ances'"),
    ("a negative count", "attendances,2023-06,A1,,,,-5,,,validated,", "a count cannot be negative"),
    ("a numerator above its denominator", "four_hour,2023-06,A1,,,,,101,100,validated,", "exceeds the denominator"),
    ("a zero denominator", "four_hour,2023-06,A1,,,,,0,0,validated,", "the denominator is 0"),
    ("an unknown series", "attendances,2023-06,A1,,,budget,5,,,validated,", "'budget' is not a series"),
    ("an unknown status", "attendances,2023-06,A1,,,,5,,,final,", "'final' is not a status"),
    ("a formula for a value", "attendances,2023-06,A1,,,,=1+1,,,validated,", "'=1+1' is not a number"),
    ("a breakdown with no member", "attendances,2023-06,A1,weeks_band,,,5,,,validated,", "go together"),
    ("a duplicate of a good row", ROWS[0], "duplicate of row 2"),
]


@pytest.mark.parametrize("name, bad, says", BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_a_bad_row_is_named_at_its_line_and_the_good_rows_load(tmp_path, name, bad, says):
    facts, report = _read(tmp_path, _with([bad]))
    line = 2 + 20  # the header is line 1; the bad row follows the fixture's 20th row
    named = [p for p in report.problems if p.line == line and says in p.message]
    assert named, [str(p) for p in report.problems]
    assert report.rows_loaded == len(ROWS) and len(facts) == len(ROWS)  # every good row, and only those
    assert set(facts["line"]) == set(range(2, line)) | set(range(line + 1, len(ROWS) + 3))


@pytest.mark.parametrize("count", [2, 5, 30])
def test_many_bad_rows_lose_no_good_one(tmp_path, count):
    bad = [ROW + f"note {n}, with a comma" for n in range(count)]
    facts, report = _read(tmp_path, _with(bad, at=10))
    assert report.rows_loaded == len(ROWS) and report.rows_read == len(ROWS) + count
    assert sorted(p.line for p in report.problems)[:count] == list(range(12, 12 + count))


@pytest.mark.parametrize("note", ['"two\nlines"', '"three\nshort\nlines"', '"a ""quoted"" word\nand more"'])
def test_a_quoted_note_over_several_lines_loads_and_later_lines_are_named_right(tmp_path, note):
    text = _with([ROW + note, "attendances,2023-06,A1,,,,x,,,validated,"], at=20)
    facts, report = _read(tmp_path, text)
    assert report.rows_loaded == len(ROWS) + 1  # the row with the note loads
    assert len(facts[facts["note"].str.contains("\n")]) == 1
    [problem] = report.problems
    assert problem.line == 22 + note.count("\n") + 1 and "'x' is not a number" in problem.message


@pytest.mark.parametrize("blank", ["", " ", "\t", ",,,,,,,,,,"])
def test_blank_lines_do_not_shift_the_lines_named(tmp_path, blank):
    text = _with([blank, blank, "attendances,2023-06,A1,,,,x,,,validated,"], at=5)
    facts, report = _read(tmp_path, text)
    problem = next(p for p in report.problems if "'x' is not a number" in p.message)
    assert problem.line == 2 + 5 + 2 and report.rows_loaded == len(ROWS)


@pytest.mark.parametrize("ending", ["\r\n", "\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_windows_line_endings_and_a_byte_order_mark_read_cleanly(tmp_path, ending, bom):
    facts, report = _read(tmp_path, bom + ending.join(GOOD).encode())
    assert report.problems == [] and report.rows_loaded == len(ROWS)


def test_one_windows_1252_line_in_a_utf8_file_is_named_and_the_rest_read_right(tmp_path):
    before, after = _with([], at=3).split("\n", 4)[:4], _with([], at=3).split("\n", 4)[4]
    text = ("\n".join(before) + "\n").encode("utf-8") + (ROW + "café £9\n").encode("cp1252")
    text += after.encode("utf-8") + (ROW.replace("2023-01", "2023-02") + "naïve £1\n").encode("utf-8")
    facts, report = _read(tmp_path, text)
    [warning] = [p for p in report.problems if "not UTF-8" in p.message]
    assert warning.line == 5 and "lines 5;" in warning.message and warning.severity == "warning"
    assert report.encoding == "mixed"
    assert "naïve £1" in set(facts["note"]) and "café £9" in set(facts["note"])


def test_a_whole_windows_1252_file_is_read_as_excel_saves_it(tmp_path):
    facts, report = _read(tmp_path, _with([ROW + "£5 café"]).encode("cp1252"))
    assert report.encoding == "cp1252" and report.problems == [] and "£5 café" in set(facts["note"])


@pytest.mark.parametrize("header, says", [
    (HEADER.replace("value", "VALUE", 1) + ",value", "names the column value more than once"),
    (HEADER + ",Note", "names the column note more than once"),
    ("metric_id,org_code,value", "has no period column"),
    ("", "has a column with no name in its header (column 4)"),
    ("metric_id,period,org_code,,value", "has a column with no name in its header (column 4)"),
])
def test_a_bad_header_is_refused_with_a_message(tmp_path, header, says):
    facts, report = _read(tmp_path, header + "\n" + "\n".join(ROWS) + "\n")
    assert facts.empty and any(says in p.message for p in report.problems), report.problems


@pytest.mark.parametrize("content", [b"", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), b"\x00" * 1000,
                                     "metric_id,period\n".encode("utf-16")])
def test_a_file_that_is_not_csv_text_is_refused_with_a_message(tmp_path, content):
    facts, report = _read(tmp_path, content)
    assert facts.empty and report.problems and all(p.file == "demo.csv" for p in report.problems)


def _workspace_files(tmp_path, name: str, settings_extra: str = ""):
    shutil.copytree(FIXTURE_CONFIG, tmp_path / "config")
    (tmp_path / "data").mkdir()
    settings = tmp_path / "config/settings.yaml"
    settings.write_text(settings.read_text() + settings_extra)
    portfolio = tmp_path / "config/portfolios/demo.yaml"
    portfolio.write_text(portfolio.read_text().replace("extract: demo.csv", f"extract: {name!r}"))
    return tmp_path / "config", tmp_path / "data"


@pytest.mark.parametrize("make, says", [
    (lambda path: path.mkdir(), "is a folder, not a file, so it is not read"),
    (lambda path: os.mkfifo(path), "is a named pipe, not a file, so it is not read"),  # reading one waits for ever
    (lambda path: path.symlink_to("/dev/zero"), "leads outside the data folder"),
    (lambda path: path.symlink_to("/etc/passwd"), "leads outside the data folder"),
])
def test_an_extract_that_is_not_a_regular_file_is_refused(tmp_path, make, says):
    config_dir, data_dir = _workspace_files(tmp_path, "demo.csv")
    make(data_dir / "demo.csv")
    config = load_config(config_dir)
    files, reports = load_extracts(config, data_dir)
    assert files == [] and any(says in p.message for r in reports for p in r.problems), [r.problems for r in reports]


@pytest.mark.parametrize("name", ["x" * 5000 + ".csv", "../outside.csv", "/etc/passwd", "C:/data/demo.csv"])
def test_an_extract_name_that_cannot_be_a_file_in_the_data_folder_is_refused(tmp_path, name):
    config_dir, data_dir = _workspace_files(tmp_path, name)
    config = load_config(config_dir)
    said = [p.message for p in config.problems] + [p.message for r in load_extracts(config, data_dir)[1]
                                                   for p in r.problems]
    assert any(words in m for m in said for words in (  # refused by the config's check, or by the reader
        "points outside the data folder", "leads outside the data folder, or is not a file name")), said


def test_an_extract_past_the_size_limit_is_refused_without_reading_it(tmp_path):
    config_dir, data_dir = _workspace_files(tmp_path, "demo.csv", "max_extract_mb: 1\n")
    (data_dir / "demo.csv").write_text(HEADER + "\n" + (ROW + "x" * 100 + "\n") * 12_000)
    config = load_config(config_dir)
    files, reports = load_extracts(config, data_dir)
    assert files == []
    assert any("larger than the 1 MB an extract may be (max_extract_mb in settings.yaml)" in p.message
               for r in reports for p in r.problems)


def test_a_closed_providers_sites_close_with_it(tmp_path):
    config_dir, data_dir = _workspace_files(tmp_path, "demo.csv")
    orgs = config_dir / "organisations.yaml"
    orgs.write_text(orgs.read_text().replace("type: acute, place: P1}", "type: acute, place: P1, closed: 2023-04}", 1))
    shutil.copy(FIXTURE_DATA / "demo.csv", data_dir / "demo.csv")
    config = load_config(config_dir)
    assert config.problems == []
    _, [report] = load_extracts(config, data_dir)
    late = [p for p in report.problems if "closed after 2023-04" in p.message]
    assert {p.message.split(" ")[0] for p in late} == {"A", "A1", "A2"}  # the provider, and each of its sites


def test_a_store_folder_linked_out_of_the_data_folder_is_not_written_through(tmp_path, monkeypatch):
    from portfolio.data.storage import store_folder
    monkeypatch.delenv("PORTFOLIO_STORE", raising=False)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data/.store").symlink_to(outside)
    chosen = store_folder(tmp_path / "data")
    assert not chosen.resolve().is_relative_to(outside) and not chosen.resolve().is_relative_to(tmp_path / "data")


def test_check_says_when_the_dashboard_or_a_meeting_is_frozen_on_a_month_with_no_figures(tmp_path):
    from portfolio.workspace import load_workspace
    config_dir, data_dir = _workspace_files(tmp_path, "demo.csv", "")
    shutil.copy(FIXTURE_DATA / "demo.csv", data_dir / "demo.csv")
    settings = config_dir / "settings.yaml"
    settings.write_text(settings.read_text().replace("default_period: latest", "default_period: 2021-01"))
    (config_dir / "meetings").mkdir()
    (config_dir / "meetings/m.yaml").write_text("id: m\ntitle: M\ndate: 2023-07-20\nperiod: 2022-02\n"
                                                "slides: [{show: overview}]\n")
    said = {(p.file, p.message) for p in load_workspace(config_dir, data_dir).problems}
    assert ("settings.yaml", "default_period 2021-01 has no figures in any extract, so the dashboard opens on the "
                             "latest month instead") in said
    assert ("meetings/m.yaml", "period 2022-02 has no figures in any extract: its slides and board pack would show "
                               "none") in said


@pytest.mark.parametrize("length, loaded, says", [
    (10_000_000, 24, "has 1 values, not one for each column of the header"),  # read, named and left out
    (20_000_000, 0, "could not be read (line 4 is longer than 16 MB), so none of its rows were loaded: check the "
                    "line it names (a line may be at most 16 MB)"),
])
def test_a_very_long_line_in_the_patient_level_file_is_named_in_words(tmp_path, length, loaded, says):
    import json

    import pyarrow.parquet as pq

    from portfolio.data.attendances import build_store
    from tests.conftest import FIXTURES
    lines = (FIXTURES / "attendances/ae_attendances.csv").read_text().splitlines()
    (tmp_path / "ae.csv").write_text("\n".join(lines[:3] + ["X" * length] + lines[3:]) + "\n")
    build_store(tmp_path / "ae.csv", tmp_path / "store.parquet", ["A1", "A2"])
    report = json.loads(pq.read_schema(tmp_path / "store.parquet").metadata[b"report"])
    assert report["rows_loaded"] == loaded and any(says in p["message"] for p in report["problems"])
    assert all(len(p["message"]) < 400 for p in report["problems"])  # never the whole line quoted back
