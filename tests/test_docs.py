"""Every configuration field is documented (docs/configuration.md) with its type and default, and
every documented field exists; so is the extract layout. The README's warehouse commands parse, and
the documented secrets give URLs an engine takes."""

import re
import shlex
import tomllib

import pytest

from portfolio.cli import build_parser
from portfolio.config import schema as schema
from portfolio.config.described import default_words, type_words
from portfolio.data.engines import connection_url, engine_from_url
from portfolio.data.extracts import OPTIONAL, REQUIRED
from tests.conftest import ROOT

SECTIONS = {
    "Portfolio": schema.Portfolio, "Metric": schema.Metric, "Target": schema.Target,
    "Trajectory": schema.Trajectory, "Baseline": schema.Baseline, "Source": schema.Source,
    "Format": schema.Format, "Rebase": schema.Rebase, "Chart": schema.ChartSpec, "View": schema.ViewSpec,
    "Organisations": schema.OrganisationsFile, "System": schema.System,
    "Place": schema.Place, "Provider": schema.Provider, "Site": schema.Site, "Settings": schema.Settings,
    "Extract": schema.ExtractInfo, "Reconcile": schema.Reconcile, "Identity": schema.Identity,
    "Share": schema.Share, "KVI": schema.KVI, "Milestone": schema.Milestone, "Small numbers": schema.SmallNumbers,
    "Meetings": schema.Meeting, "Slide": schema.Slide,
    **{f"{'KVI' if kind == 'kvi' else kind.capitalize()} view": view for kind, view in schema.VIEW_KINDS.items()},
}
ROW = re.compile(r"^\| `([^`]+)` \| ([^|]+) \| ([^|]+) \| .+ \|$", re.M)


def _section(text: str, title: str) -> str:
    match = re.search(rf"^#+ {title}\n(.*?)(?=^#+ |\Z)", text, re.M | re.S)
    assert match, f"docs/configuration.md has no section '{title}'"
    return match.group(1)


def _every_model() -> set[type]:
    return {value for value in vars(schema).values()
            if isinstance(value, type) and issubclass(value, schema.Strict) and value is not schema.Strict}


def _fields(model: type) -> dict:
    """The keys a section documents: a kind of view's own (title, kind and tab are under View)."""
    inherited = schema.ViewSpec.model_fields if model in schema.VIEW_KINDS.values() else {}
    return {field.alias or name: field for name, field in model.model_fields.items() if name not in inherited}


def test_every_schema_model_has_a_section():
    assert set(SECTIONS.values()) == _every_model()


@pytest.mark.parametrize("title", SECTIONS)
def test_every_field_is_documented_with_its_type_and_default(title):
    section = _section((ROOT / "docs" / "configuration.md").read_text(), title)
    documented = {key: (kind, default) for key, kind, default in ROW.findall(section)}
    fields = _fields(SECTIONS[title])
    assert set(fields) - set(documented) == set(), f"{title}: keys of the schema not documented"
    assert set(documented) - set(fields) == set(), f"{title}: documented keys that are not in the schema"
    for key, field in fields.items():
        assert documented[key] == (type_words(field), default_words(field)), f"{title}: '{key}'"


def test_every_extract_column_is_documented():
    text = (ROOT / "docs" / "extracts.md").read_text()
    for column in REQUIRED + OPTIONAL:
        assert f"| `{column}` |" in text, f"extract column '{column}' is not documented in docs/extracts.md"


def test_readme_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"## Quick start.*?```sh\n(.*?)```", readme, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    assert "streamlit run app.py" in commands[0] and "pytest" in commands[1]
    assert commands[1] in (ROOT / ".ci" / "run").read_text()


def _blocks(text: str, title: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", _section(text, title), re.S)


def test_readme_warehouse_commands_parse_with_the_command_line_parser():
    readme = (ROOT / "README.md").read_text()
    commands = [line for block in _blocks(readme, "Running on a warehouse", "sh") for line in block.splitlines()
                if "-m portfolio " in line]
    assert {shlex.split(line)[3] for line in commands} == {"load", "check", "values"}
    for line in commands:
        words = shlex.split(line)
        assert words[:3] == ["python3", "-m", "portfolio"], line
        build_parser().parse_args(words[3:])  # exits (fails the test) on an option the parser does not take


@pytest.mark.parametrize("document, title", [("README.md", "Running on a warehouse"),
                                             ("docs/configuration.md", "Names and URLs")])
def test_documented_secrets_name_a_url_an_engine_takes(document, title, tmp_path, monkeypatch):
    blocks = _blocks((ROOT / document).read_text(), title, "toml")
    assert blocks
    for block in blocks:
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(block)
        for name in tomllib.loads(block)["connections"]:
            monkeypatch.delenv(f"PORTFOLIO_CONNECTION_{name.upper()}", raising=False)  # the file's URL, not the machine's
            engine_from_url(connection_url(name, [secrets]))  # raises on a URL no engine takes
