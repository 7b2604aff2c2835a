"""Loading a warehouse and reading from it, as an analyst would: `python -m portfolio load --to`,
`check --source` and `values --source` against a real PostgreSQL (tests/servers.py), a DuckDB file,
and the connections named in .streamlit/secrets.toml or the environment."""

import shutil
import uuid

import psycopg
import pytest
import yaml

from portfolio.cli import main as cli
from portfolio.data import warehouse
from portfolio.data.engines import UnknownConnection, UnknownEngine, connection_url, engine_from_url, shown_url
from portfolio.workspace import load_workspace
from tests.conftest import ROOT

EXTRACTS = ["elective_monthly.csv", "finance_monthly.csv", "social_value.csv", "uec_monthly.csv"]


@pytest.fixture
def database(postgres_url):
    """A new, empty database on the test cluster, for one test."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture
def sample_copy(tmp_path):
    """A writable copy of the shipped config and the bundled sample (without its store)."""
    shutil.copytree(ROOT / "config", tmp_path / "config")
    shutil.copytree(ROOT / "sample_data", tmp_path / "data", ignore=shutil.ignore_patterns(".store"))
    return tmp_path


def run(capsys, *args) -> tuple[int, str, str]:
    code = cli([str(arg) for arg in args])
    said = capsys.readouterr()
    return code, said.out, said.err


def query(url: str, sql: str, *values) -> list[tuple] | None:
    """The rows of a query; None for a statement that returns none."""
    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(sql, values)
        return cursor.fetchall() if cursor.description else None


def folders(path) -> list:
    return ["--config", path / "config", "--data", path / "data"]


def test_load_writes_every_file_once_and_a_second_load_changes_nothing(capsys, database, sample_copy):
    code, out, err = run(capsys, "load", "--to", database, *folders(sample_copy))
    assert code == 0, out + err
    for name in [*EXTRACTS, "ae_attendances.csv"]:
        assert f"{name}: loaded" in out
    assert "rows" in err and "uec_monthly.csv" in err  # the progress bar, on standard error
    counts = dict(query(database, "SELECT extract, count(*) FROM portfolio_facts GROUP BY extract"))
    workspace = load_workspace(sample_copy / "config", sample_copy / "data")
    assert counts == {report.file: report.rows_loaded for report in workspace.extracts}
    assert query(database, "SELECT count(*) FROM portfolio_attendances")[0][0] == 36_000
    loaded_at = query(database, "SELECT file, loaded_at FROM portfolio_loads ORDER BY file")

    code, out, _ = run(capsys, "load", "--to", database, *folders(sample_copy))
    assert code == 0
    assert out.count("unchanged since it was last loaded, so not loaded again") == 5
    assert query(database, "SELECT file, loaded_at FROM portfolio_loads ORDER BY file") == loaded_at


def test_a_changed_extract_replaces_only_its_own_rows(capsys, database, sample_copy):
    assert run(capsys, "load", "--to", database, *folders(sample_copy))[0] == 0
    before = dict(query(database, "SELECT file, version FROM portfolio_loads"))
    finance = sample_copy / "data/finance_monthly.csv"
    lines = finance.read_text().splitlines(keepends=True)
    finance.write_text("".join(lines[:-10]))  # ten rows fewer
    code, out, _ = run(capsys, "load", "--to", database, *folders(sample_copy))
    assert code == 0
    assert "finance_monthly.csv: loaded" in out and out.count("not loaded again") == 4
    after = dict(query(database, "SELECT file, version FROM portfolio_loads"))
    assert {file for file in after if after[file] != before[file]} == {"finance_monthly.csv"}
    workspace = load_workspace(sample_copy / "config", sample_copy / "data")
    counts = dict(query(database, "SELECT extract, count(*) FROM portfolio_facts GROUP BY extract"))
    assert counts == {report.file: report.rows_loaded for report in workspace.extracts}


def test_a_load_that_fails_part_way_leaves_the_rows_that_were_there(capsys, database, sample_copy, monkeypatch):
    assert run(capsys, "load", "--to", database, *folders(sample_copy))[0] == 0
    before = query(database, "SELECT extract, count(*), round(sum(value)::numeric, 3) FROM portfolio_facts GROUP BY extract ORDER BY 1")
    versions = query(database, "SELECT file, version FROM portfolio_loads ORDER BY file")
    uec = sample_copy / "data/uec_monthly.csv"
    uec.write_text(uec.read_text().replace(",validated,", ",provisional,", 1))
    monkeypatch.setattr(warehouse, "BATCH_ROWS", 1000)
    written = []

    def fail_after_the_first_batch(batch):
        if written:
            raise OSError("the network went away")
        written.append(batch)
        return original(batch)

    original = warehouse._csv
    monkeypatch.setattr(warehouse, "_csv", fail_after_the_first_batch)
    with pytest.raises(OSError):
        cli(["load", "--to", database, *map(str, folders(sample_copy))])
    assert written  # a batch was sent before the failure, and rolled back with the rest
    assert query(database, "SELECT extract, count(*), round(sum(value)::numeric, 3) FROM portfolio_facts GROUP BY extract ORDER BY 1") \
        == before
    assert query(database, "SELECT file, version FROM portfolio_loads ORDER BY file") == versions


def test_values_from_the_warehouse_equal_values_from_the_files(capsys, database):
    assert run(capsys, "load", "--to", database)[0] == 0
    for metric, org in (("ae_4hr_all", None), ("rtt_18w_pct", "RBL"), ("fin_surplus_deficit", None)):
        org_args = ["--org", org] if org else []
        embedded = run(capsys, "values", "--metric", metric, *org_args)
        from_warehouse = run(capsys, "values", "--metric", metric, *org_args, "--source", database)
        assert embedded[0] == from_warehouse[0] == 0
        assert len(embedded[1].splitlines()) > 12
        assert from_warehouse[1] == embedded[1]


def test_check_source_names_a_bad_row_by_its_key_with_the_files_words(capsys, database):
    assert run(capsys, "load", "--to", database)[0] == 0
    code, out, _ = run(capsys, "check", "--source", database)
    assert code == 0, out
    query(database, "UPDATE portfolio_facts SET org_code = 'ZZZ' WHERE extract = 'uec_monthly.csv' AND line = 5")
    query(database, "UPDATE portfolio_facts SET value = -3 WHERE extract = 'uec_monthly.csv' AND line = 7")
    code, out, _ = run(capsys, "check", "--source", database)
    assert code == 1
    place = f"uec_monthly.csv in the warehouse '{database}'"
    assert (f"error: {place} (metric_id nhs111_calls, period 2019-07, org_code ZZZ, series actual (line 5 of the "
            "file), column org_code): unknown organisation 'ZZZ': add it to config/organisations.yaml or correct the "
            "code") in out
    assert (f"error: {place} (metric_id nhs111_calls, period 2019-09, org_code RX7, series actual (line 7 of the "
            "file), column value): a count cannot be negative (got -3.0)") in out
    assert out.splitlines()[-1].startswith("2 problem(s)")


def test_a_warehouse_that_cannot_be_reached_is_said_plainly(capsys, postgres_url):
    port = postgres_url.split(":")[2].split("/")[0]
    refused = postgres_url.replace(f":{port}/", ":1/")
    code, _, err = run(capsys, "load", "--to", refused)
    assert code == 2
    assert err.startswith(f"error: --to {refused}: could not connect to {refused} (connection failed:")
    code, out, _ = run(capsys, "check", "--source", refused)
    assert code == 1
    assert (f"error: uec_monthly.csv: is to be read from the warehouse '{refused}', but could not connect to "
            f"{refused}") in out
    code, out, err = run(capsys, "values", "--metric", "ae_4hr_all", "--source", "nowhere")
    assert (code, out) == (2, "")
    assert err.startswith("error: uec_monthly.csv: is to be read from the warehouse 'nowhere', but there is no "
                          "connection 'nowhere'")
    code, _, err = run(capsys, "load", "--to", "nowhere")
    assert code == 2
    assert "there is no connection 'nowhere': add [connections.nowhere] with url = " in err


def test_an_extract_can_be_read_from_a_warehouse_named_in_the_settings(capsys, database, sample_copy, monkeypatch):
    assert run(capsys, "load", "--to", database, *folders(sample_copy))[0] == 0
    settings_file = sample_copy / "config/settings.yaml"
    settings = yaml.safe_load(settings_file.read_text())
    settings["extracts"]["finance_monthly.csv"]["source"] = "ledger"
    settings_file.write_text(yaml.safe_dump(settings, sort_keys=False))
    (sample_copy / "data/finance_monthly.csv").unlink()  # only the warehouse has it now
    monkeypatch.setenv("PORTFOLIO_CONNECTION_LEDGER", database)
    mixed = load_workspace(sample_copy / "config", sample_copy / "data")
    assert list(mixed.store.warehoused) == ["finance_monthly.csv"]
    assert not mixed.problems
    embedded = load_workspace(ROOT / "config", ROOT / "sample_data")
    for metric in ("fin_surplus_deficit", "ae_4hr_all"):
        assert mixed.engine.series(metric, mixed.tree.root).equals(embedded.engine.series(metric, embedded.tree.root))
    monkeypatch.delenv("PORTFOLIO_CONNECTION_LEDGER")
    code, out, _ = run(capsys, "check", *folders(sample_copy))
    assert code == 1
    assert ("error: finance_monthly.csv (extracts.finance_monthly.csv.source): is to be read from the warehouse "
            "'ledger', but there is no connection 'ledger': add [connections.ledger]") in out


def test_a_duckdb_file_is_a_warehouse_too(capsys, tmp_path):
    url = f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    assert run(capsys, "load", "--to", url)[0] == 0
    embedded = run(capsys, "values", "--metric", "ae_4hr_all")
    assert run(capsys, "values", "--metric", "ae_4hr_all", "--source", url) == embedded


# --- naming a connection ----------------------------------------------------------------------------


def test_a_url_is_taken_as_it_is_and_a_name_from_the_environment(monkeypatch):
    assert connection_url("postgresql://me@db:5432/x", files=[]) == "postgresql://me@db:5432/x"
    assert connection_url("spark://local[2]", files=[]) == "spark://local[2]"
    monkeypatch.setenv("PORTFOLIO_CONNECTION_ICB_WAREHOUSE", "postgresql://env@db/x")
    assert connection_url("icb-warehouse", files=[]) == "postgresql://env@db/x"


def test_a_name_from_the_secrets_the_projects_file_winning(tmp_path):
    users, projects = tmp_path / "user.toml", tmp_path / "project.toml"
    users.write_text('[connections.wh]\nurl = "postgresql://user@a/x"\n[connections.lake]\nurl = "spark://m:7077"\n')
    projects.write_text('[connections.wh]\ndialect = "postgresql"\nhost = "db.icb.nhs.uk"\nport = 5432\n'
                        'database = "perf"\nusername = "dash"\npassword = "p@ss:word/1"\n')
    assert connection_url("wh", files=[users, projects]) == "postgresql://dash:p%40ss%3Aword%2F1@db.icb.nhs.uk:5432/perf"
    assert connection_url("lake", files=[users, projects]) == "spark://m:7077"
    assert shown_url(connection_url("wh", files=[users, projects])) == "postgresql://dash:***@db.icb.nhs.uk:5432/perf"


def test_an_unknown_name_or_a_broken_secrets_file_says_what_to_write(tmp_path):
    with pytest.raises(UnknownConnection, match=r"there is no connection 'wh': add \[connections.wh\] with url = "
                                                r".* to .streamlit/secrets.toml, or set PORTFOLIO_CONNECTION_WH"):
        connection_url("wh", files=[tmp_path / "absent.toml"])
    broken = tmp_path / "secrets.toml"
    broken.write_text("[connections.wh\nurl = 'x'")
    with pytest.raises(UnknownConnection, match=r"secrets.toml could not be read as TOML .*: fix it"):
        connection_url("wh", files=[broken])
    with pytest.raises(UnknownEngine, match=r"'mysql://x' is not an engine the dashboard can use"):
        engine_from_url("mysql://x")


def test_spark_urls_name_the_master_and_the_warehouse_folder():
    local = engine_from_url("spark://local[2]")
    assert (local.master, local.warehouse) == ("local[2]", "spark-warehouse")
    cluster = engine_from_url("spark://spark-master:7077?warehouse=/lake/portfolio")
    assert (cluster.master, cluster.warehouse) == ("spark://spark-master:7077", "/lake/portfolio")


def test_check_source_checks_the_attendances_in_the_warehouse_too(capsys, database):
    assert run(capsys, "load", "--to", database)[0] == 0
    first = "(SELECT ctid FROM portfolio_attendances ORDER BY arrival, site_code LIMIT 1 OFFSET {})"
    query(database, f"UPDATE portfolio_attendances SET site_code = 'XX1' WHERE ctid = {first.format(0)}")
    query(database, f"UPDATE portfolio_attendances SET age_band = '90+' WHERE ctid = {first.format(1)}")
    query(database, f"UPDATE portfolio_attendances SET minutes = minutes + 1 WHERE ctid = {first.format(2)}")
    query(database, f"UPDATE portfolio_attendances SET month = '2026-01' WHERE ctid = {first.format(3)}")
    arrivals = [row[0] for row in query(database, "SELECT to_char(arrival, 'YYYY-MM-DD HH24:MI:SS') FROM "
                                                  "portfolio_attendances ORDER BY arrival, site_code LIMIT 4")]
    code, out, _ = run(capsys, "check", "--source", database)
    assert code == 1
    place = f"ae_attendances.csv in the warehouse '{database}'"
    errors = [line for line in out.splitlines() if line.startswith("error: ")]
    assert errors[0] == (f"error: {place} (site XX1, arrival {arrivals[0]}, column site_code): 'XX1' is not a site in "
                         "organisations.yaml: use the code of one of its sites")
    assert errors[1].startswith(f"error: {place} (site ") and errors[1].endswith(
        f"arrival {arrivals[1]}, column age_band): '90+' is not an age band: write one of 0-17, 18-64, 65-79, 80+")
    assert [error.split("arrival ")[1].split(",")[0] for error in errors[2:]] == arrivals[2:]
    assert all("minutes, month, hour or weekday do not match the arrival and departure" in e for e in errors[2:])
    assert out.splitlines()[-1].startswith("4 problem(s)")


def test_the_dashboard_reads_the_warehouse_again_after_a_load(capsys, database, sample_copy, monkeypatch):
    from components.cache import _warehouse_now
    from tests.apptest import metrics, no_errors, start

    assert run(capsys, "load", "--to", database, *folders(sample_copy))[0] == 0
    monkeypatch.setenv("PORTFOLIO_SOURCE", database)
    (sample_copy / "empty").mkdir()  # the dashboard's data folder: no file of it changes
    at = start(monkeypatch, sample_copy / "config", sample_copy / "empty")
    at.run()
    before = metrics(at)
    uec = sample_copy / "data/uec_monthly.csv"
    uec.write_text(uec.read_text().replace("ae_4hr_all,2026-10,RBL14,,,actual,,10403,13746,",
                                           "ae_4hr_all,2026-10,RBL14,,,actual,,3403,13746,"))
    assert run(capsys, "load", "--to", database, *folders(sample_copy))[0] == 0
    at.run()
    assert metrics(at) == before  # asked again only once a minute
    _warehouse_now.clear()  # a minute later
    at.run()
    no_errors(at)
    changed = {label: (value, metrics(at)[label]) for label, value in before.items() if metrics(at)[label] != value}
    assert changed == {"A&E 4-hour performance (all types)": ("75.9%", "68.8%")}, changed


def test_an_unreachable_warehouse_shows_a_banner_and_never_its_password(capsys, monkeypatch, sample_copy):
    from tests.apptest import start

    refused = "postgresql://dash:s3cret@127.0.0.1:1/perf"
    code, out, _ = run(capsys, "check", "--source", refused)
    assert code == 1 and "s3cret" not in out
    assert "could not connect to postgresql://dash:***@127.0.0.1:1/perf" in out
    settings_file = sample_copy / "config/settings.yaml"
    settings = yaml.safe_load(settings_file.read_text())
    settings["extracts"]["finance_monthly.csv"]["source"] = "ledger"
    settings_file.write_text(yaml.safe_dump(settings, sort_keys=False))
    monkeypatch.setenv("PORTFOLIO_CONNECTION_LEDGER", refused)
    at = start(monkeypatch, sample_copy / "config", sample_copy / "data")
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "**System finance monthly extract (in-month £000s, actual, plan and forecast)** could not be read, so its "
        "figures are not shown. *About the data* says why."]
    shown = " ".join(str(e.value) for e in [*at.error, *at.warning, *at.caption, *at.markdown])
    assert "s3cret" not in shown and "127.0.0.1" not in shown
