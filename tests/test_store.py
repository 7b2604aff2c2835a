"""The columnar store on disk: an extract is validated once into Parquet, read from there on the
next start, and rebuilt when the extract or what its checks depend on changes."""

import os

import pytest

from portfolio.data import extracts
from portfolio.data.storage import built, stamp, store_folder
from portfolio.workspace import load_workspace

BAD_ROW = "attendances,2023-13,A,,,,1,,,,\n"


def _store_files(folder):
    return sorted(p.name for p in (folder / "data" / ".store").glob("*.parquet"))


def _never_read(*args, **kwargs):
    raise AssertionError("the extract was read again although its store file is current")


def test_a_second_start_reads_the_store_not_the_extracts(fixture_copy, monkeypatch):
    first = load_workspace(fixture_copy / "config", fixture_copy / "data")
    monkeypatch.setattr(extracts, "read_extract", _never_read)
    again = load_workspace(fixture_copy / "config", fixture_copy / "data")
    assert again.store.row_count() == first.store.row_count() > 0
    assert [(r.file, r.rows_read, r.rows_loaded, r.first_period, r.last_period) for r in again.extracts] == \
        [(r.file, r.rows_read, r.rows_loaded, r.first_period, r.last_period) for r in first.extracts]


def test_problems_found_when_the_store_was_built_are_reported_on_every_start(fixture_copy, monkeypatch):
    with open(fixture_copy / "data" / "demo.csv", "a") as handle:
        handle.write(BAD_ROW)
    first = load_workspace(fixture_copy / "config", fixture_copy / "data")
    monkeypatch.setattr(extracts, "read_extract", _never_read)
    again = load_workspace(fixture_copy / "config", fixture_copy / "data")
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]
    assert any("'2023-13' is not a month" in p.message and p.line for p in again.problems)


def test_a_changed_extract_is_read_again_and_its_old_store_file_removed(fixture_copy):
    load_workspace(fixture_copy / "config", fixture_copy / "data")
    before = _store_files(fixture_copy)
    path = fixture_copy / "data" / "demo.csv"
    text = path.read_text()
    changed = text.replace("1100", "1200", 1)
    assert changed != text and len(changed) == len(text)
    stat = path.stat()
    path.write_text(changed)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and time: only the content differs
    workspace = load_workspace(fixture_copy / "config", fixture_copy / "data")
    after = _store_files(fixture_copy)
    assert len(after) == len(before) and after != before
    assert workspace.store.rows("demo.csv", "attendances")["value"].isin([1200]).any()


def test_a_config_change_that_alters_the_checks_rebuilds_the_store(fixture_copy):
    load_workspace(fixture_copy / "config", fixture_copy / "data")
    organisations = fixture_copy / "config" / "organisations.yaml"
    text = organisations.read_text()
    organisations.write_text(text.replace("code: A1", "code: A9", 1))
    workspace = load_workspace(fixture_copy / "config", fixture_copy / "data")
    assert any("unknown organisation 'A1'" in p.message for p in workspace.problems)


def test_built_writes_once_and_keeps_one_file_per_source(tmp_path):
    source = tmp_path / "extract.csv"
    source.write_text("a\n1\n")
    calls = []

    def build(target):
        calls.append(target)
        target.write_bytes(b"built")

    first, made = built(source, tmp_path, "facts", build)
    assert made and first.read_bytes() == b"built"
    assert built(source, tmp_path, "facts", build) == (first, False)
    source.write_text("a\n2\n")
    second, made = built(source, tmp_path, "facts", build)
    assert made and second != first and not first.exists()
    assert len(calls) == 2 and not list(tmp_path.glob("*.partial"))


def test_a_failed_build_leaves_nothing_behind(tmp_path):
    source = tmp_path / "extract.csv"
    source.write_text("a\n1\n")

    def broken(target):
        target.write_bytes(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        built(source, tmp_path, "facts", broken)
    assert [p.name for p in tmp_path.iterdir()] == ["extract.csv"]


def test_the_stamp_follows_the_content_and_what_else_the_build_depends_on(tmp_path):
    source = tmp_path / "extract.csv"
    source.write_text("a\n1\n")
    assert stamp(source) == stamp(source) != stamp(source, "another config")
    source.write_text("a\n2\n")
    assert stamp(source) != stamp(source, "another config")


def test_the_store_folder_is_configurable_and_falls_back_when_the_data_folder_is_read_only(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTFOLIO_STORE", str(tmp_path / "elsewhere"))
    assert store_folder(tmp_path / "data") == tmp_path / "elsewhere"
    monkeypatch.delenv("PORTFOLIO_STORE")
    assert store_folder(tmp_path / "data") == tmp_path / "data" / ".store"
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data folder's store would go")
    fallback = store_folder(blocked)
    assert fallback.is_dir() and not fallback.is_relative_to(blocked)


def test_a_damaged_store_file_is_built_again(fixture_copy):
    first = load_workspace(fixture_copy / "config", fixture_copy / "data")
    for stored in (fixture_copy / "data" / ".store").glob("demo.csv.*.parquet"):
        stored.write_bytes(b"PAR1 cut short")
    again = load_workspace(fixture_copy / "config", fixture_copy / "data")
    assert again.store.row_count() == first.store.row_count()


def test_a_store_folder_that_cannot_be_written_is_not_used(tmp_path, monkeypatch):
    monkeypatch.delenv("PORTFOLIO_STORE", raising=False)
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    folder = store_folder(tmp_path / "data")
    assert not folder.is_relative_to(tmp_path / "data")


def test_an_embedded_engine_gives_each_thread_its_own_cursor_on_the_same_tables():
    import threading

    from portfolio.data.engines import DuckDBEngine, engine

    database = DuckDBEngine(":memory:", "CREATE TABLE t AS SELECT 42 AS answer")
    mine = database.cursor()
    assert database.cursor() is mine  # the same thread: the same cursor
    seen = {}

    def other_thread():
        cursor = database.cursor()
        seen["cursor"], seen["answer"] = cursor, cursor.execute("SELECT answer FROM t").fetchone()[0]

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert seen["cursor"] is not mine and seen["answer"] == 42
    assert engine("duckdb://") is engine("duckdb://")  # one engine for each URL, for the whole process
