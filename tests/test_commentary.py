"""Commentary belongs to the organisation shown, or says plainly it is the system's; a file or
folder never leads outside the config folder, a huge file is never read whole, and check names
every commentary file that cannot be shown as written."""

import os

from portfolio.config.commentary import (MAX_BYTES, commentary_problems, metric_commentary, portfolio_commentary,
                                         written_for)
from portfolio.config.organisations import OrgTree
from portfolio.config.schema import OrganisationsFile

TREE = OrgTree(OrganisationsFile.model_validate({
    "system": {"code": "SYS", "name": "Test system", "short_name": "Test"},
    "providers": [{"code": code, "name": name, "short_name": code, "type": "acute"}
                  for code, name in (("A", "Alpha Hospitals NHS Trust"), ("B", "Beta"))]}))


def _write(path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())


def test_an_organisations_own_commentary_else_the_systems_said_plainly(tmp_path):
    _write(tmp_path / "commentary/portfolios/uec/2026-09.md", "System, September")
    _write(tmp_path / "commentary/portfolios/uec/A/2026-10.md", "Alpha, October")
    own = portfolio_commentary(tmp_path, "uec", "2026-10", "A")
    assert (own.text, own.org, written_for(own, "A", TREE)) == ("Alpha, October", "A", "Written for Oct-26")
    system = portfolio_commentary(tmp_path, "uec", "2026-10", "B")
    assert system.text == "System, September" and system.org is None
    assert written_for(system, "B", TREE) == (
        "System commentary for Test system, written for Sep-26: none has been written for Beta")
    assert written_for(portfolio_commentary(tmp_path, "uec", "2026-10", "SYS"), "SYS", TREE) == "Written for Sep-26"


def test_a_huge_file_is_shortened_never_read_whole(tmp_path):
    _write(tmp_path / "commentary/metrics/m/2026-10.md", "x" * (MAX_BYTES * 5))
    note = metric_commentary(tmp_path, "m", "2026-10")
    assert len(note.text) < MAX_BYTES + 100 and note.text.endswith("*(Shortened: the file is too long to show in full.)*")


def test_nothing_is_read_through_a_link_out_of_the_config_folder(tmp_path):
    outside = tmp_path / "outside"
    _write(outside / "2026-10.md", "SECRET")
    config = tmp_path / "config"
    (config / "commentary/portfolios").mkdir(parents=True)
    os.symlink(outside, config / "commentary/portfolios/finance")  # a whole subject folder
    _write(config / "commentary/portfolios/uec/2026-09.md", "System")
    os.symlink(outside, config / "commentary/portfolios/uec/A")  # an organisation's folder
    os.symlink(outside / "2026-10.md", config / "commentary/portfolios/uec/2026-10.md")  # one month's file
    assert portfolio_commentary(config, "finance", "2026-10") is None
    assert portfolio_commentary(config, "uec", "2026-10", "A").text == "System"  # September's, the system's
    problems = commentary_problems(config, {"portfolios": {"uec", "finance"}, "metrics": set()}, set(TREE.nodes))
    assert "commentary/portfolios/finance leads outside the config folder, so it is not read" in problems
    assert "commentary/portfolios/uec/A leads outside the config folder, so it is not read" in problems
    assert "commentary/portfolios/uec/2026-10.md leads outside the config folder, so it is not read" in problems


def test_check_names_each_file_that_cannot_be_shown_as_written(tmp_path):
    _write(tmp_path / "commentary/metrics/m/2026-10.md", b"caf\xe9 au lait")  # Windows-1252, not UTF-8
    (tmp_path / "commentary/metrics/m/2026-09.md").mkdir()
    _write(tmp_path / "commentary/metrics/m/NOPE/2026-10.md", "for no one")
    _write(tmp_path / "commentary/metrics/gone/2026-10.md", "for no metric")
    _write(tmp_path / "commentary/metrics/m/A/2026-10.md", "y" * (MAX_BYTES + 1))
    problems = commentary_problems(tmp_path, {"metrics": {"m"}, "portfolios": set()}, set(TREE.nodes))
    assert any(p.startswith("commentary/metrics/m/2026-10.md is not UTF-8 text") for p in problems)
    assert "commentary/metrics/m/2026-09.md is a folder, not a file: it is not read" in problems
    assert "commentary/metrics/m/NOPE: no organisation has the code 'NOPE', so it is never shown" in problems
    assert "commentary/metrics/gone: there is no metric 'gone', so it is never shown" in problems
    assert any(p.startswith("commentary/metrics/m/A/2026-10.md is 100,001 bytes: only its first") for p in problems)
    assert len(problems) == 5
