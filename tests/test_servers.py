"""The real servers the suite starts (tests/servers.py) are there and usable from ibis: the same
grouped sum over the same fact rows on PostgreSQL and on Spark as on DuckDB.

The only test file that starts Spark, so that one worker pays its start-up, once.
"""
import ibis
import pandas as pd
import pytest

# a few tidy facts; every value is a sum of powers of two, so every engine's sum is exact in any order
FACTS = pd.DataFrame({
    "organisation": ["RBL", "RBL", "REM", "REM", "REM", "RVY"],
    "metric": ["ae_4hr", "ae_4hr", "ae_4hr", "ae_4hr", "beds", "beds"],
    "month": pd.to_datetime(["2026-09-01", "2026-10-01", "2026-09-01", "2026-10-01", "2026-10-01", "2026-10-01"]),
    "value": [0.75, 1.5, 2.25, -0.125, 310.0, 96.5],
})
SCHEMA = ibis.schema({"organisation": "string", "metric": "string", "month": "date", "value": "float64"})


def grouped_sum(con) -> pd.DataFrame:
    """Create the facts table on con through ibis, insert the rows, and sum value by organisation
    and metric, in one order."""
    con.create_table("facts", schema=SCHEMA, overwrite=True)
    con.insert("facts", FACTS.assign(month=FACTS["month"].dt.date))
    facts = con.table("facts")
    summed = facts.group_by("organisation", "metric").aggregate(total=facts.value.sum(), rows=facts.count())
    return summed.order_by("organisation", "metric").to_pandas()


@pytest.fixture(scope="module")
def on_duckdb() -> pd.DataFrame:
    return grouped_sum(ibis.duckdb.connect())


def test_duckdb_sums_the_facts(on_duckdb):
    assert on_duckdb.to_dict("records") == [
        {"organisation": "RBL", "metric": "ae_4hr", "total": 2.25, "rows": 2},
        {"organisation": "REM", "metric": "ae_4hr", "total": 2.125, "rows": 2},
        {"organisation": "REM", "metric": "beds", "total": 310.0, "rows": 1},
        {"organisation": "RVY", "metric": "beds", "total": 96.5, "rows": 1},
    ]


def test_postgres_is_a_real_server_that_sums_as_duckdb_does(postgres_url, on_duckdb):
    con = ibis.connect(postgres_url)
    try:
        assert con.raw_sql("SELECT version()").fetchone()[0].startswith("PostgreSQL ")
        pd.testing.assert_frame_equal(grouped_sum(con), on_duckdb, check_exact=True, check_dtype=False)
    finally:
        con.disconnect()


def test_spark_is_a_real_session_that_sums_as_duckdb_does(spark, on_duckdb):
    assert spark.sparkContext.master == "local[2]"
    con = ibis.pyspark.connect(spark)
    pd.testing.assert_frame_equal(grouped_sum(con), on_duckdb, check_exact=True, check_dtype=False)
