"""The shipped organisations against the ODS reference files (read from ../shared/nhs_data when present)."""

import csv

from portfolio.config.loading import load_config
from portfolio.config.organisations import OrgTree
from tests.conftest import ROOT

CONFIG = load_config(ROOT / "config")


def test_hierarchy_system_place_provider_site():
    tree = OrgTree(CONFIG.organisations)
    assert tree.root == "E54000008" and len(tree.within(tree.root, "place")) == 9
    assert [o.code for o in tree.ancestors("RBL14")] == ["RBL", "E08000015", "E54000008"]
    assert tree["RX7"].parent == tree.root  # a regional ambulance service belongs to no one place
    assert set(tree.reporting_units("E08000012", {"REM", "RQ617", "REM21", "RBS"})) == {"REM", "RBS"}


def test_trust_codes_and_names_match_the_ods_trust_file(nhs_data):
    with open(nhs_data / "reference" / "etr.csv", newline="", encoding="latin-1") as handle:
        ods = {row[0]: row for row in csv.reader(handle)}
    for provider in CONFIG.organisations.providers:
        if provider.type == "commissioner":
            continue
        assert provider.code in ods, f"{provider.code} is not an NHS trust code"
        row = ods[provider.code]
        assert row[1].casefold() == provider.name.casefold(), (provider.code, row[1])
        close_month = f"{row[11][:4]}-{row[11][4:6]}" if row[11] else None
        assert close_month == provider.closed, f"{provider.code}: ODS close date {row[11] or 'none'}"
        assert row[3] == ("QOP" if provider.code == "RX7" else "QYG"), provider.code
