"""The same figures on every engine. The bundled sample is loaded with `python -m portfolio load`
into a real PostgreSQL cluster and a real Spark (both started by tests/servers.py); every metric ×
organisation × month the `values` command prints, and every patient-level figure, is then read
back from each and compared with the embedded DuckDB store's, to 1e-9. The pages render on each
with the same headline numbers.
"""

import pandas as pd
import pytest

from portfolio.cli import main as cli
from portfolio.config.loading import load_config
from portfolio.data import attendances
from portfolio.data.attendances import patient_store
from portfolio.workspace import load_workspace
from tests.apptest import metrics, no_errors, open_page, start
from tests.conftest import ROOT

CONFIG, DATA = ROOT / "config", ROOT / "sample_data"
SHIPPED = load_config(CONFIG)
PAGES = ["", *(portfolio.id for portfolio in SHIPPED.portfolios), "attendances"]


@pytest.fixture(scope="module", params=["postgres", "spark"])
def warehouse(request, tmp_path_factory):
    """The sample loaded into the engine: its URL and the workspace that reads every extract there."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        request.getfixturevalue("spark")  # Java and pyspark are there (else skipped, or failed in CI)
        url = f"spark://local[2]?warehouse={tmp_path_factory.mktemp('lake')}"
    assert cli(["load", "--to", url, "--config", str(CONFIG), "--data", str(DATA)]) == 0
    return url, load_workspace(CONFIG, DATA, url)


def test_every_extract_is_read_from_the_warehouse(warehouse, sample):
    url, held = warehouse
    assert set(held.store.warehoused) == {report.file for report in sample.extracts}
    assert [(r.file, r.rows_loaded, r.first_period, r.last_period) for r in held.extracts] == \
        [(r.file, r.rows_loaded, r.first_period, r.last_period) for r in sample.extracts]
    assert held.store.row_count() == sample.store.row_count()
    assert held.engine.periods == sample.engine.periods
    assert not held.problems


@pytest.mark.parametrize("metric", sorted(SHIPPED.metrics))
def test_every_figure_of_every_organisation_and_month_is_the_same(warehouse, sample, metric):
    _, held = warehouse
    compared = 0
    for org in sample.tree.subtree(sample.tree.root):
        expected = sample.engine.series(metric, org)
        compared += len(expected)
        pd.testing.assert_frame_equal(held.engine.series(metric, org), expected, check_exact=False, rtol=1e-9,
                                      atol=1e-9, obj=f"{metric} of {org}")
    assert compared, f"{metric} has no figure for any organisation: nothing was compared"


def _figures(store: str, months: list[str], site: str, provider_sites: tuple[str, ...]) -> list[pd.DataFrame]:
    """Every patient-level figure the page shows, for a spread of months, sites and choices."""
    last, year = months[-1], (months[0], months[-1])
    found = [pd.DataFrame({"month": attendances.months_held(store)})]
    for sites in (None, site, provider_sites, ()):
        for department_type, decile in ((None, None), (1, None), (None, 1), (3, 10)):
            choice = (sites, department_type, decile)
            found += [attendances.counts(store, last, *choice), attendances.counts(store, year, *choice, by="month"),
                      attendances.time_in_department(store, last, *choice),
                      attendances.arrivals_by_hour(store, last, *choice)]
        found += [attendances.counts(store, last, sites, by=by) for by in ("site_code", "imd_decile")]
    return found


def test_every_patient_level_figure_is_the_same(warehouse, sample):
    url, _ = warehouse
    _, report = patient_store(SHIPPED, DATA)
    embedded = str(report.stored)
    months = attendances.months_held(embedded)
    sites = attendances.site_codes(sample.tree)
    provider_sites = max((attendances.sites_within(sample.tree, org.code) for org in sample.tree.nodes.values()
                          if org.level == "provider"), key=len)
    assert len(provider_sites) > 1
    expected = _figures(embedded, months, sites[0], provider_sites)
    assert expected[1]["attendances"].sum() > 0
    for got, want in zip(_figures(url, months, sites[0], provider_sites), expected, strict=True):
        pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9, atol=1e-9)


def test_check_finds_every_loaded_row_as_good_as_in_its_file(warehouse, capsys):
    url, _ = warehouse
    assert cli(["check", "--source", url]) == 0  # the columns worked out there from the times agree too
    assert capsys.readouterr().out.splitlines()[-1].startswith("0 problem(s)")


@pytest.fixture(scope="module")
def embedded_headlines():
    """The headline figures of each page on the embedded store (run once, outside a monkeypatch)."""
    found = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PORTFOLIO_SOURCE", raising=False)
        for page in PAGES:
            at = start(patch, CONFIG, DATA)
            at.run()
            found[page] = metrics(open_page(at, page).run() if page else at)
    return found


@pytest.mark.parametrize("page", PAGES)
def test_each_page_renders_on_the_warehouse_with_the_same_headlines(warehouse, embedded_headlines, monkeypatch,
                                                                    tmp_path, page):
    url, _ = warehouse
    monkeypatch.setenv("PORTFOLIO_SOURCE", url)
    at = start(monkeypatch, CONFIG, tmp_path)  # no extract in the data folder: every figure is the warehouse's
    at.run()
    if page:
        open_page(at, page).run()
    no_errors(at)
    assert embedded_headlines[page], f"the page '{page}' shows no headline figure to compare"
    assert metrics(at) == embedded_headlines[page]
