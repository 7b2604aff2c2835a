import os
import re
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from portfolio.workspace import load_workspace
from tests import servers

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_CONFIG = FIXTURES / "config"
FIXTURE_DATA = FIXTURES / "data"
STARTED = time.time()  # this run's screenshots are the files written after it
NHS_DATA = Path(os.environ.get("NHS_DATA", ROOT.parent / "shared" / "nhs_data"))
# wording a board must never see: file paths, config keys and unit codes belong to the analyst
NOT_FOR_A_BOARD = re.compile(r"YAML|config/|\.md\b|series plan|Unit: gbp")

# the real servers the suite starts itself, for the tests that name them
postgres_url = servers.postgres_url
spark = servers.spark


@pytest.fixture(scope="session")
def demo():
    """The small hand-computable workspace in tests/fixtures."""
    return load_workspace(FIXTURE_CONFIG, FIXTURE_DATA)


@pytest.fixture(scope="session")
def sample():
    """The shipped config over the bundled synthetic sample data."""
    return load_workspace(ROOT / "config", ROOT / "sample_data")


@pytest.fixture
def fixture_copy(tmp_path):
    """A writable copy of the fixture config and data, to break or extend."""
    shutil.copytree(FIXTURE_CONFIG, tmp_path / "config")
    shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    return tmp_path


def extract_rows(name: str) -> pd.DataFrame:
    """An extract of the bundled sample as written, its figures as numbers: the tests add it up
    themselves with pandas, to check the dashboard's figures against it."""
    frame = pd.read_csv(ROOT / "sample_data" / name, keep_default_na=False, dtype=str)
    for column in ("value", "numerator", "denominator"):
        frame[column] = pd.to_numeric(frame[column].replace("", None))
    return frame


@pytest.fixture(scope="session")
def finance_rows():
    return extract_rows("finance_monthly.csv")


@pytest.fixture(scope="session")
def social_value_rows():
    return extract_rows("social_value.csv")


@pytest.fixture(scope="session")
def nhs_data():
    """Real NHS England publications, when present beside the repository (never copied into it)."""
    if not NHS_DATA.is_dir():
        pytest.skip(f"NHS England publications not found at {NHS_DATA}")
    return NHS_DATA


def pytest_terminal_summary(terminalreporter):
    """List the screenshots this run took, for a person to look at (CI keeps artifacts/)."""
    from tests.browser.conftest import SCREENSHOTS

    taken = sorted(p for p in SCREENSHOTS.glob("*.png") if p.stat().st_mtime >= STARTED) if SCREENSHOTS.is_dir() else []
    if taken:
        terminalreporter.section("screenshots for visual review")
        for path in taken:
            terminalreporter.write_line(str(path))


@pytest.fixture(scope="module")
def sample_app():
    """The dashboard on the shipped config and the sample, run once for a test module (AppTest)."""
    from tests.apptest import start
    monkeypatch = pytest.MonkeyPatch()
    yield start(monkeypatch, ROOT / "config", ROOT / "sample_data").run()
    monkeypatch.undo()
