"""The bundled sample: regenerated exactly by its script, valid, and internally consistent."""

import filecmp
import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import ROOT

EXTRACTS = sorted(p.name for p in (ROOT / "sample_data").glob("*.csv"))


def test_the_generator_reproduces_the_bundled_sample(tmp_path):
    subprocess.run([sys.executable, "scripts/make_sample_data.py", "--out", str(tmp_path)], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == EXTRACTS
    for name in EXTRACTS:
        assert filecmp.cmp(tmp_path / name, ROOT / "sample_data" / name, shallow=False), name


def test_sample_loads_without_problems(sample):
    assert [str(p) for p in sample.problems] == []
    assert all(r.rows_loaded == r.rows_read for r in sample.extracts)
    assert sample.synthetic


def test_sample_covers_april_2019_to_the_latest_month(sample):
    periods = sample.engine.periods
    assert periods[0] == "2019-04" and periods[-1] == "2026-10"


@pytest.mark.parametrize("column", ["value", "numerator"])
def test_breakdown_rows_add_up_to_their_totals(sample, column):
    facts = sample.store._embedded.cursor().execute("SELECT * FROM facts").df()
    keys = ["extract", "metric_id", "period", "org_code", "series"]
    single = facts[(facts["breakdown"] != "") & (facts["breakdown2"] == "")]  # cross-table cells: tested below
    parts = single.groupby(keys + ["breakdown"])[column].sum(min_count=1).reset_index()
    totals = facts[facts["breakdown"] == ""].set_index(keys)[column]
    joined = parts.join(totals.rename(f"{column}_total"), on=keys).dropna()
    assert len(joined) > 1000
    mismatched = joined[(joined[column] - joined[f"{column}_total"]).abs() > 0.01]
    assert mismatched.empty, mismatched.head()


def test_figures_sit_in_the_ranges_the_board_papers_report(sample):
    engine, system = sample.engine, sample.tree.root
    ae = [engine.summary("ae_4hr_all", system, p).value for p in ("2023-01", "2024-06", "2026-09")]
    assert all(60 <= v <= 80 for v in ae)
    assert 50 <= engine.summary("rtt_18w_pct", system, "2023-03").value <= 65
    assert engine.summary("rtt_52w", system, "2022-06").value > 1000
    assert engine.summary("rtt_65w", system, "2024-03").value < engine.summary("rtt_65w", system, "2023-04").value
    assert pd.isna(engine.summary("nctr_pct", system, "2019-06").value or float("nan"))  # collected from 2021


def test_cross_table_cells_add_up_both_ways(sample):
    facts = sample.store._embedded.cursor().execute("SELECT * FROM facts").df()
    cells = facts[facts["breakdown2"] != ""]
    assert len(cells) > 1000
    keys = ["metric_id", "period", "org_code", "series"]
    # each member's cells add up to the member's row …
    by_member = cells.groupby(keys + ["breakdown", "breakdown_value"])["value"].sum()
    members = facts[(facts["breakdown"] != "") & (facts["breakdown2"] == "")].set_index(
        keys + ["breakdown", "breakdown_value"])["value"]
    assert (by_member - members.reindex(by_member.index)).abs().max() < 0.01
    # … and each band's cells to the band's row
    by_band = cells.groupby(keys + ["breakdown2", "breakdown2_value"])["value"].sum()
    by_band.index = by_band.index.set_names(keys + ["breakdown", "breakdown_value"])
    assert (by_band - members.reindex(by_band.index)).abs().max() < 0.01
