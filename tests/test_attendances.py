"""Patient-level A&E attendances: the store built from the CSV (bad rows reported and left out,
rebuilt only when the file changes), its figures against pandas on the same rows, and the page."""

import os
import shutil

import numpy as np
import pandas as pd
import pytest
import yaml

from portfolio.config.loading import load_config
from portfolio.config.organisations import OrgTree
from portfolio.data import attendances
from portfolio.data.attendances import configured, sites_within, store_for
from portfolio.hints import hints
from portfolio.workspace import load_workspace
from tests.apptest import metrics, no_errors, open_page, start
from tests.conftest import FIXTURE_CONFIG, FIXTURES, ROOT

FIXTURE = FIXTURES / "attendances" / "ae_attendances.csv"
SAMPLE = ROOT / "sample_data" / "ae_attendances.csv"
FIXTURE_SITES = ("A1", "A2")


def pandas_rows(path) -> pd.DataFrame:
    """The extract worked out with pandas alone, to check the store's figures against."""
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    arrival = pd.to_datetime(rows["arrival"], format="ISO8601")
    departure = pd.to_datetime(rows["departure"], format="ISO8601")
    return pd.DataFrame({
        "site_code": rows["site_code"], "department_type": rows["department_type"].astype(int),
        "minutes": np.ceil((departure - arrival).dt.total_seconds() / 60), "month": arrival.dt.strftime("%Y-%m"),
        "hour": arrival.dt.hour, "weekday": arrival.dt.day_of_week + 1,
        "imd_decile": pd.to_numeric(rows["imd_decile"]).astype("float64"),
        "admitted": rows["admitted"].str.upper() == "Y"})


def chosen(rows, months, sites=None, department_type=None, imd_decile=None) -> pd.DataFrame:
    first, last = (months, months) if isinstance(months, str) else months
    keep = rows["month"].between(first, last)
    if sites is not None:
        keep &= rows["site_code"].isin([sites] if isinstance(sites, str) else sites)
    if department_type is not None:
        keep &= rows["department_type"] == department_type
    if imd_decile is not None:
        keep &= rows["imd_decile"] == imd_decile
    return rows[keep]


def expected_counts(rows: pd.DataFrame) -> dict:
    attendances_ = len(rows)
    within, over, admitted = (rows["minutes"] <= 240).sum(), (rows["minutes"] > 720).sum(), rows["admitted"].sum()
    return {"attendances": attendances_, "within_4h": within, "over_12h": over, "admitted": admitted,
            "pct_within_4h": 100 * within / attendances_, "pct_over_12h": 100 * over / attendances_,
            "pct_admitted": 100 * admitted / attendances_}


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory):
    path, _ = store_for(FIXTURE, tmp_path_factory.mktemp("store"), FIXTURE_SITES)
    return str(path)


@pytest.fixture(scope="module")
def rows():
    return pandas_rows(FIXTURE)


# --- the store ---------------------------------------------------------------------------------


def test_every_good_row_is_stored(fixture_store, rows):
    report = attendances.read_report(fixture_store)
    assert (report.rows_read, report.rows_loaded, report.problems) == (len(rows), len(rows), [])
    assert attendances.months_held(fixture_store) == ["2023-05", "2023-06"]


BAD_ROWS = [  # a line appended to the fixture, the column named, and words of the message
    ("B01,A1,1,2023-06-10 10:00,2023-06-10 09:00,18-64,1,N", "departure",
     "departure 2023-06-10 09:00 is before arrival 2023-06-10 10:00"),
    ("B02,ZZ9,1,2023-06-10 10:00,2023-06-10 11:00,18-64,1,N", "site_code", "'ZZ9' is not a site"),
    ("B03,A1,1,2023-06-10 10:00,2023-06-10 11:00,18-64,11,N", "imd_decile", "'11' is not a deprivation decile"),
    ("B04,A1,1,2023-06-10 10:00,2023-06-10 11:00,18-64,two,N", "imd_decile", "from 1 (most deprived) to 10"),
    ("B05,A1,4,2023-06-10 10:00,2023-06-10 11:00,18-64,1,N", "department_type", "write 1, 2 or 3"),
    ("B06,A1,1,10/06/2023 10:00,2023-06-10 11:00,18-64,1,N", "arrival", "write it as YYYY-MM-DD HH:MM"),
    ("B07,A1,1,2023-06-10 10:00,,18-64,1,N", "departure", "'' is not a date and time"),
    ("B08,A1,1,2023-06-10 10:00,2023-06-10 11:00,90+,1,N", "age_band", "write one of 0-17, 18-64, 65-79, 80+"),
    ("B09,A1,1,2023-06-10 10:00,2023-06-10 11:00,18-64,1,Maybe", "admitted", "'Maybe' is not Y or N"),
    ("B10,A1,1,2023-06-10 10:00,2023-06-10 11:00,18-64,1", "–", "has 7 values"),
    (",A1,1,2023-06-10 10:00,2023-06-10 11:00,18-64,1,N", "attendance_id", "is blank"),
    ("F001,A1,1,2023-06-10 10:00,2023-06-10 11:00,18-64,1,N", "attendance_id", "'F001' is used again (first on line 2)"),
]


def test_bad_rows_are_reported_by_line_and_left_out(tmp_path):
    source = tmp_path / "ae.csv"
    # a blank line first: line numbers count it, as an editor does
    source.write_text(FIXTURE.read_text() + "\n" + "\n".join(line for line, _, _ in BAD_ROWS) + "\n")
    store, _ = store_for(source, tmp_path / "store", FIXTURE_SITES)
    report = attendances.read_report(store)
    good = len(pandas_rows(FIXTURE))
    assert (report.rows_read, report.rows_loaded) == (good + len(BAD_ROWS), good)
    first_bad_line = good + 3  # the header, the good rows, then the blank line
    by_line = {p.line: p for p in report.problems}
    for number, (_, column, words) in enumerate(BAD_ROWS):
        problem = by_line[first_bad_line + number]
        assert problem.file == "ae.csv" and problem.location == f"row {first_bad_line + number}, column {column}"
        assert words in problem.message, str(problem)
    assert str(by_line[first_bad_line]).startswith(f"ae.csv:{first_bad_line} (row {first_bad_line}, column departure)")
    # the good rows' figures are unchanged
    assert attendances.counts(str(store), ("2023-05", "2023-06")).iloc[0]["attendances"] == good


def test_a_bad_rows_values_are_quoted_by_column_and_cut_short():
    header = ["admitted", *attendances.COLUMNS[:-1]]
    text = 'Y,B01,"A1",1,2023-06-10 10:00,2023-06-10 09:00,18-64,' + "9" * 50
    row = attendances._row(header, text, "B01", None)
    assert (row["admitted"], row["site_code"], row["count"], row["first"]) == ("Y", "A1", 8, None)
    assert row["imd_decile"] == "9" * 37 + "…"
    short = attendances._row(header, "B02,A1", "B02", 3)  # not a value for each column: none quoted
    assert (short["site_code"], short["count"], short["first"], short["attendance_id"]) == ("", 2, 3, "B02")


def test_records_go_to_duckdb_in_chunks_of_bounded_rows_keeping_their_lines(monkeypatch):
    monkeypatch.setattr(attendances, "CHUNK_ROWS", 2)
    header = list(reversed(attendances.COLUMNS))
    found = [(1, "header", 8), (2, "a,b,c,d,e,f,g,h", 8), (4, 'i,j,k,l,m,n,o,"p"', 8), (5, "c,d", 2)]
    chunks = list(attendances._chunks(found, header))
    assert [chunk.num_rows for chunk in chunks] == [2, 1]
    first, second = chunks[0].to_pydict(), chunks[1].to_pydict()
    assert (first["line"], first["admitted"], first["attendance_id"]) == ([2, 4], ["a", "i"], ["h", "p"])
    assert (second["line"], second["value_count"], second["site_code"]) == ([5], [2], [""])  # not one a column
    assert [chunk.num_rows for chunk in attendances._chunks(found[:1], header)] == [0]  # no rows: one empty table


def test_the_file_is_read_as_every_csv_file_is_quotes_encodings_and_control_characters(tmp_path):
    source = tmp_path / "ae.csv"
    text = FIXTURE.read_bytes() + b'Q01,"A1",1,"2023-06-10 10:00",2023-06-10 11:00,18-64,,N\r\n'
    source.write_bytes(text + "Q02,A1,1,2023-06-10 10:00,2023-06-10 11:00,18-64,,N\x00\n".encode("cp1252")
                       + "Q03,A1,1,2023-06-10 10:00,2023-06-10 11:00,18-64,,£\n".encode("cp1252"))
    report = attendances.read_report(store_for(source, tmp_path / "store", FIXTURE_SITES)[0])
    good = len(pandas_rows(FIXTURE))
    assert (report.rows_read, report.rows_loaded) == (good + 3, good + 2)
    assert [(p.line, p.message) for p in report.problems] == [
        (good + 3, f"control characters (such as NUL) were read as spaces on lines {good + 3}: check how the file "
                   "was written"),
        (good + 4, "'£' is not Y or N")]


def test_a_record_is_split_as_a_csv_reader_does_and_a_line_it_cannot_split_at_its_commas():
    assert attendances._values("B01,A1,1") == ["B01", "A1", "1"]
    assert attendances._values('B01,"A1,2",1') == ["B01", "A1,2", "1"]
    assert attendances._values('B01,"A1,1') == ["B01", "A1", "1"]  # a quote never closed


def test_a_file_without_a_required_column_loads_nothing_and_says_which(tmp_path):
    source = tmp_path / "ae.csv"
    frame = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False).drop(columns="imd_decile")
    frame.to_csv(source, index=False)
    report = attendances.read_report(store_for(source, tmp_path, FIXTURE_SITES)[0])
    assert report.rows_loaded == 0
    assert "has no imd_decile column" in report.problems[0].message and report.problems[0].line == 1


def test_windows_line_ends_a_byte_order_mark_and_column_order_are_read(tmp_path, rows):
    frame = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)
    frame = frame[list(reversed(frame.columns))].assign(extra="x")
    source = tmp_path / "ae.csv"
    source.write_bytes(b"\xef\xbb\xbf" + frame.to_csv(index=False, lineterminator="\r\n").encode())
    store, _ = store_for(source, tmp_path, FIXTURE_SITES)
    report = attendances.read_report(store)
    assert report.rows_loaded == len(rows)
    assert [p.message for p in report.problems] == ["unknown columns ignored: extra"]
    assert attendances.counts(str(store), ("2023-05", "2023-06")).iloc[0]["over_12h"] == (rows["minutes"] > 720).sum()


def test_the_store_is_rebuilt_when_the_file_changes_and_only_then(tmp_path):
    source, folder = tmp_path / "ae.csv", tmp_path / "store"
    shutil.copy(FIXTURE, source)
    first, built_now = store_for(source, folder, FIXTURE_SITES)
    assert built_now
    assert store_for(source, folder, FIXTURE_SITES) == (first, False)  # unchanged: reused
    os.utime(source, (1, 1))  # touched, same content: the page looks again (its key is size and time) and reuses it
    assert store_for(source, folder, FIXTURE_SITES) == (first, False)
    before = attendances.read_report(first).rows_loaded
    with open(source, "a") as handle:
        handle.write("F099,A1,1,2023-06-20 10:00,2023-06-20 23:00,18-64,1,Y\n")
    second, built_now = store_for(source, folder, FIXTURE_SITES)
    assert built_now and second != first and not first.exists()  # modified: rebuilt, the old store removed
    assert attendances.read_report(second).rows_loaded == before + 1
    assert store_for(source, folder, ("A1",))[1]  # the sites its checks used changed: rebuilt


# --- figures against pandas --------------------------------------------------------------------

CHOICES = [
    {"months": "2023-06"},
    {"months": ("2023-05", "2023-06")},
    {"months": "2023-06", "sites": "A1"},
    {"months": "2023-06", "sites": ("A1", "A2"), "department_type": 1},
    {"months": ("2023-05", "2023-06"), "imd_decile": 1},
    {"months": "2023-06", "sites": "A2", "department_type": 3},
]


@pytest.mark.parametrize("choice", CHOICES, ids=str)
def test_headline_counts_equal_pandas(fixture_store, rows, choice):
    found = attendances.counts(fixture_store, **choice).iloc[0].to_dict()
    assert found == pytest.approx(expected_counts(chosen(rows, **choice)))


@pytest.mark.parametrize("by", ["month", "site_code", "imd_decile"])
def test_counts_by_group_equal_pandas_and_rates_come_from_counts(fixture_store, rows, by):
    found = attendances.counts(fixture_store, ("2023-05", "2023-06"), by=by)
    groups = rows.groupby(by, dropna=False)
    assert len(found) == groups.ngroups
    for _, row in found.iterrows():
        key = row[by]
        expected = expected_counts(rows[rows[by].isna()] if pd.isna(key) else rows[rows[by] == key])
        assert row.drop(by).to_dict() == pytest.approx(expected), key
    # the total's rate is the total's counts, not the mean of the groups' rates
    total = attendances.counts(fixture_store, ("2023-05", "2023-06")).iloc[0]
    assert total["pct_over_12h"] == pytest.approx(100 * found["over_12h"].sum() / found["attendances"].sum())
    assert total["pct_over_12h"] != pytest.approx(found["pct_over_12h"].mean())


def test_a_blank_decile_is_counted_and_shown_last(fixture_store, rows):
    by_decile = attendances.counts(fixture_store, "2023-06", by="imd_decile")
    assert pd.isna(by_decile["imd_decile"].iloc[-1]) and by_decile["attendances"].iloc[-1] == 1
    assert by_decile["attendances"].sum() == len(chosen(rows, "2023-06"))


@pytest.mark.parametrize("choice", CHOICES, ids=str)
def test_time_in_department_bands_equal_pandas(fixture_store, rows, choice):
    bands = attendances.time_in_department(fixture_store, **choice)
    minutes = chosen(rows, **choice)["minutes"]
    assert len(bands) == 49 and list(bands["label"][[0, 7, 8, 47, 48]]) == \
        ["0h00–0h30", "3h30–4h00", "4h00–4h30", "23h30–24h00", "24h+"]
    band = np.minimum(np.maximum(np.ceil(minutes / 30) - 1, 0), 48)
    assert list(bands["attendances"]) == [int((band == b).sum()) for b in range(49)]
    # the bands to 4 hours hold exactly the attendances within 4 hours
    assert bands["cumulative_percent"][7] == pytest.approx(100 * (minutes <= 240).mean())


def test_band_edges(fixture_store):
    bands = attendances.time_in_department(fixture_store, "2023-06", sites="A1").set_index("label")["attendances"]
    # a band includes its upper end: F001 stayed 240 minutes, F002 241, F003 720 and F004 721
    assert (bands["3h30–4h00"], bands["4h00–4h30"], bands["11h30–12h00"], bands["12h00–12h30"]) == (1, 1, 1, 1)
    within = attendances.counts(fixture_store, "2023-06", sites="A1").iloc[0]
    assert bands.iloc[:8].sum() == within["within_4h"]
    f2 = attendances.time_in_department(fixture_store, "2023-06", sites="A2").set_index("label")["attendances"]
    assert f2["0h00–0h30"] == 1 and f2["23h30–24h00"] == 1 and f2["24h+"] == 1  # F005 0 min, F007 1440, F008 1441


@pytest.mark.parametrize("choice", CHOICES, ids=str)
def test_arrivals_by_hour_and_weekday_equal_pandas(fixture_store, rows, choice):
    cells = attendances.arrivals_by_hour(fixture_store, **choice)
    assert len(cells) == 168 and list(cells["day"][::24]) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    expected = chosen(rows, **choice).groupby(["weekday", "hour"]).size()
    found = cells.set_index(["weekday", "hour"])["attendances"]
    assert found[found > 0].to_dict() == expected.to_dict()


def test_a_part_minute_counts_and_iso_times_are_read(fixture_store):
    # F010 arrived 03:25:00 (written with a T) and left 04:00:30: 35.5 minutes, counted as 36
    cells = attendances.time_in_department(fixture_store, "2023-06", sites="A1", department_type=2)
    assert cells.loc[cells["attendances"] > 0, "label"].tolist() == ["0h30–1h00"]


def test_an_unknown_grouping_is_refused(fixture_store):
    with pytest.raises(ValueError, match="choose one of month, site_code, imd_decile"):
        attendances.counts(fixture_store, "2023-06", by="age_band; DROP TABLE x")


# --- settings and organisations -----------------------------------------------------------------


def _settings(tmp_path, patient_level, extracts=None):
    shutil.copytree(FIXTURE_CONFIG, tmp_path / "config")
    path = tmp_path / "config" / "settings.yaml"
    settings = yaml.safe_load(path.read_text())
    settings["patient_level"] = patient_level
    if extracts:
        settings["extracts"].update(extracts)
    path.write_text(yaml.safe_dump(settings))
    return load_config(tmp_path / "config")


ENTRY = {"title": "A&E attendances", "publisher": "Tests", "data_as_at": "2023-07-10"}


@pytest.mark.parametrize("name", ["../outside.csv", "/etc/attendances.csv", "sub/../../outside.csv"])
def test_a_configured_path_outside_the_data_folder_is_refused(tmp_path, name):
    config = _settings(tmp_path, {name: ENTRY})
    assert any("outside the data folder" in p.message and p.location.startswith("patient_level")
               for p in config.problems), [str(p) for p in config.problems]
    assert configured(config.settings, tmp_path) is None  # settings with an error are not used


def test_a_link_that_leads_outside_the_data_folder_is_refused(tmp_path):
    outside = tmp_path / "outside.csv"
    shutil.copy(FIXTURE, outside)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "ae.csv").symlink_to(outside)
    config = _settings(tmp_path, {"ae.csv": ENTRY})
    assert config.problems == []
    extract = configured(config.settings, tmp_path / "data")
    assert extract.name == "ae.csv" and extract.path is None


def test_settings_take_one_patient_level_file_kept_apart_from_the_tidy_extracts(tmp_path):
    config = _settings(tmp_path / "two", {"a.csv": ENTRY, "b.csv": ENTRY})
    assert any(p.location == "patient_level" for p in config.problems)
    config = _settings(tmp_path / "both", {"demo.csv": ENTRY})
    assert any("also under extracts" in p.message for p in config.problems)
    assert configured(load_config(FIXTURE_CONFIG).settings, tmp_path) is None


def test_an_organisation_is_made_of_the_sites_below_it():
    tree = OrgTree(load_config(ROOT / "config").organisations)
    assert sites_within(tree, tree.root) is None
    assert sites_within(tree, "REM") == ("REM21", "RQ617")
    assert set(sites_within(tree, "E08000012")) == {"REM21", "RQ617", "RBS25"}  # Liverpool
    assert sites_within(tree, "RBL14") == ("RBL14",)
    assert sites_within(tree, "QYG") == ()  # the commissioner runs no A&E


# --- the page ------------------------------------------------------------------------------------


def _fixture_dashboard(monkeypatch, tmp_path, attendances_csv=FIXTURE, name="ae_attendances.csv"):
    """The fixture workspace with a patient-level extract configured."""
    _settings(tmp_path, {name: {**ENTRY, "synthetic": True}})
    shutil.copytree(FIXTURES / "data", tmp_path / "data")
    if attendances_csv is not None:
        shutil.copy(attendances_csv, tmp_path / "data" / name)
    return start(monkeypatch, tmp_path / "config", tmp_path / "data")


def _open(at, **state):
    at.run()
    for key, value in state.items():
        at.session_state[key] = value
    return open_page(at, "attendances").run()


def _warnings(at) -> str:
    return " ".join(w.value for w in at.warning)  # the fixture's extracts are old: out-of-date warnings too


def _shown(counts: dict, month_label: str) -> dict:
    return {f"Attendances, {month_label}": f"{counts['attendances']:,}",
            "Within 4 hours": f"{counts['pct_within_4h']:.1f}%",
            "Over 12 hours from arrival": f"{counts['over_12h']:,}",
            "Admitted": f"{counts['pct_admitted']:.1f}%"}


def test_the_page_shows_the_sample_figures(monkeypatch):
    at = _open(start(monkeypatch, ROOT / "config", ROOT / "sample_data"))
    no_errors(at)
    assert not at.warning
    sample = pandas_rows(SAMPLE)
    period = at.session_state["period"]
    assert metrics(at) == _shown(expected_counts(chosen(sample, period)), "Oct-26")
    assert at.title[0].value == "A&E attendances (patient level)"
    assert "Synthetic sample data as at 12 Nov 2026" in at.caption[0].value
    assert len(at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")) == 4


@pytest.mark.parametrize("state, choice", [
    ({"org": "REM"}, {"sites": ("REM21", "RQ617")}),
    ({"imd": "1"}, {"imd_decile": 1}),
    ({"ae_type": "3", "org": "RBL14"}, {"department_type": 3, "sites": "RBL14"}),
], ids=["provider", "decile", "type and site"])
def test_a_changed_choice_changes_the_figures(monkeypatch, state, choice):
    at = _open(start(monkeypatch, ROOT / "config", ROOT / "sample_data"))
    before = metrics(at)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    no_errors(at)
    expected = _shown(expected_counts(chosen(pandas_rows(SAMPLE), "2026-10", **choice)), "Oct-26")
    assert metrics(at) == expected != before
    for key, value in state.items():
        assert at.query_params[key] == value  # kept in the link


def test_the_page_on_the_fixture_adds_sites_up_to_their_provider(monkeypatch, tmp_path, rows):
    at = _open(_fixture_dashboard(monkeypatch, tmp_path), org="A")
    no_errors(at)
    assert metrics(at) == _shown(expected_counts(chosen(rows, "2023-06")), "Jun-23")
    at.session_state["org"] = "B"  # a trust with no sites in organisations.yaml
    at.run()
    assert "has no A&E sites" in " ".join(c.value for c in at.caption) and not at.metric


def test_without_a_configured_extract_the_page_says_so_and_check_says_how_to_add_one(monkeypatch):
    at = _open(start(monkeypatch, FIXTURE_CONFIG, FIXTURES / "data"))
    no_errors(at)
    assert "No patient-level A&E extract is set up" in " ".join(c.value for c in at.caption) and not at.metric
    assert any("name its file under 'patient_level:'" in hint
               for hint in hints(load_workspace(FIXTURE_CONFIG, FIXTURES / "data")))


def test_a_missing_file_is_a_warning_not_an_exception(monkeypatch, tmp_path):
    at = _open(_fixture_dashboard(monkeypatch, tmp_path, attendances_csv=None))
    no_errors(at)
    assert "The patient-level A&E extract could not be found" in _warnings(at)
    # where it should be is said to the analyst, by check, not on the page
    assert any("is not in the data folder" in hint for hint in hints(load_workspace(tmp_path / "config", tmp_path / "data")))


def test_bad_rows_are_listed_on_the_page_and_the_rest_shown(monkeypatch, tmp_path, rows):
    source = tmp_path / "bad.csv"
    source.write_text(FIXTURE.read_text() + "B01,A1,1,2023-06-10 10:00,2023-06-10 09:00,18-64,1,N\n")
    at = _open(_fixture_dashboard(monkeypatch, tmp_path, attendances_csv=source))
    no_errors(at)
    assert "1 of the 25 rows of ae_attendances.csv were left out" in _warnings(at)
    listed = at.dataframe[0].value
    assert listed.iloc[0].to_dict() == {"Line": 26, "Column": "departure", "Problem": (
        "departure 2023-06-10 09:00 is before arrival 2023-06-10 10:00: check both times (a stay past midnight "
        "ends on the next day's date)")}
    assert metrics(at)["Attendances, Jun-23"] == f"{len(chosen(rows, '2023-06')):,}"


def test_an_edited_file_is_picked_up_on_the_next_run(monkeypatch, tmp_path, rows):
    at = _open(_fixture_dashboard(monkeypatch, tmp_path))
    assert metrics(at)["Over 12 hours from arrival"] == str((chosen(rows, "2023-06")["minutes"] > 720).sum())
    with open(tmp_path / "data" / "ae_attendances.csv", "a") as handle:
        handle.write("F099,A1,1,2023-06-20 10:00,2023-06-20 23:00,18-64,1,Y\n")
    at.run()
    assert metrics(at)["Over 12 hours from arrival"] == str((chosen(rows, "2023-06")["minutes"] > 720).sum() + 1)


def test_a_period_before_the_extract_says_so(monkeypatch, tmp_path):
    at = _open(_fixture_dashboard(monkeypatch, tmp_path), period="2023-04")
    no_errors(at)
    assert "no attendances before May-23" in at.info[0].value and not at.metric


def test_while_presenting_the_choices_are_fixed(monkeypatch):
    at = start(monkeypatch, ROOT / "config", ROOT / "sample_data")
    at.query_params["present"] = "1"
    at = _open(at)
    no_errors(at)
    assert at.selectbox(key="ae_type").disabled and at.selectbox(key="imd").disabled
