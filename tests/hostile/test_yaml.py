"""Hostile configuration files: each is refused with a problem naming the file (and its line and
key where there is one) and what to fix, quickly and in bounded memory; the files that are fine
still load. Built on a copy of the small fixture (tests/fixtures/config) with a meeting added."""

import os
import shutil
import time

import pytest

from portfolio.config.loading import MAX_YAML_DEPTH, load_config
from tests.conftest import FIXTURE_CONFIG

MEETING = "id: m\ntitle: M\ndate: 2023-07-20\nperiod: 2023-06\nslides:\n  - {show: overview}\n"


@pytest.fixture
def config_dir(tmp_path):
    shutil.copytree(FIXTURE_CONFIG, tmp_path / "config")
    (tmp_path / "config/meetings").mkdir()
    (tmp_path / "config/meetings/m.yaml").write_text(MEETING)
    return tmp_path / "config"


def _edited(config_dir, file: str, old: str, new: str):
    """The config loaded with ``old`` replaced by ``new`` in ``file``, and that file's problems."""
    path = config_dir / file
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    return _problems(config_dir, file)


def _problems(config_dir, file: str) -> list:
    started = time.monotonic()
    config = load_config(config_dir)
    assert time.monotonic() - started < 10
    return config, [p for p in config.problems if p.file == file]


MEETING_FILES = [  # (name, the meeting file's text, what the problem says, its line)
    ("30 February", MEETING.replace("2023-07-20", "2023-02-30"), "'2023-02-30' is not a real date", 3),
    ("month 13", MEETING.replace("2023-07-20", "2023-13-01"), "'2023-13-01' is not a real date", 3),
    ("month 0", MEETING.replace("2023-07-20", "2023-00-10"), "'2023-00-10' is not a real date", 3),
    ("hour 25", MEETING.replace("2023-07-20", "2023-07-20 25:00:00"), "is not a real date or time", 3),
    ("a recursive alias", MEETING.replace("slides:\n  - {show: overview}\n", "slides: &a [*a]\n"),
     "an alias refers to the value it is part of", 5),
    ("a recursive alias in a mapping", MEETING + "x: &b {y: *b}\n", "an alias refers to the value it is part of", 7),
    ("an alias bomb", MEETING + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]\n" for n in range(1, 9)), "expand to more than 200,000", 12),
    ("deep nesting", MEETING + "x: " + "[" * 5000 + "]" * 5000 + "\n", f"nested more than {MAX_YAML_DEPTH}", None),
    ("deep mappings", MEETING + "x: " + "{a: " * 100 + "1" + "}" * 100 + "\n", f"nested more than {MAX_YAML_DEPTH}",
     None),
    ("a repeated key", MEETING + "id: other\n", "the key 'id' appears twice in one mapping (lines 1 and 7)", 7),
    ("a repeated key in a slide", MEETING.replace("{show: overview}", "{show: overview, show: focus}"),
     "the key 'show' appears twice", 6),
    ("a Python object", MEETING + "x: !!python/object/apply:os.system ['echo hi']\n", "is not valid YAML", 7),
    ("a Python name", MEETING + "x: !!python/name:os.system\n", "is not valid YAML", 7),
    ("an unknown tag", MEETING + "x: !secret value\n", "is not valid YAML", 7),
    ("a tab for indentation", MEETING.replace("  - {show", "\t- {show"), "is not valid YAML", 6),
    ("an unclosed bracket", MEETING.replace("{show: overview}", "{show: overview"), "is not valid YAML", None),
    ("a period with no month", MEETING.replace("2023-06", "2023-6"), "write a month as YYYY-MM", 4),
    ("a period in year 1", MEETING.replace("2023-06", "0001-01"), "from 1990-01 to 2099-12", 4),
    ("a period in 9999", MEETING.replace("2023-06", "9999-12"), "from 1990-01 to 2099-12", 4),
    ("a title of line breaks", MEETING.replace("title: M", "title: \"\\n\\n\""), "is blank: write some words", 2),
    ("a title too long", MEETING.replace("title: M", "title: " + "M" * 500), "at most 100 characters", 2),
    ("an unknown key", MEETING + "colour: red\n", "unknown key 'colour'", 7),
    ("a list for a mapping", "- id: m\n", "must be a mapping", 1),
    ("only a comment", "# nothing yet\n", "is empty", None),
    ("an empty file", "", "is empty", None),
]


@pytest.mark.parametrize("name, text, says, line", MEETING_FILES, ids=[c[0] for c in MEETING_FILES])
def test_a_hostile_meeting_file_is_named_and_the_rest_loads(config_dir, name, text, says, line):
    (config_dir / "meetings/m.yaml").write_text(text)
    config, problems = _problems(config_dir, "meetings/m.yaml")
    assert any(says in p.message and (line is None or p.line == line) for p in problems), [str(p) for p in problems]
    assert "m" not in config.meetings and [p.id for p in config.portfolios] == ["demo"]


@pytest.mark.parametrize("content, says", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "is not UTF-8 text"),
    ("id: m\n".encode("utf-16"), "is not UTF-8 text"),
    (b"id: m\ntitle: \xff\xfe\n", "is not UTF-8 text"),
    (b"id: m\x00\n", "is not valid YAML"),
    (b"x" * 5_000_001, "is larger than 5 MB"),
])
def test_a_meeting_file_that_is_not_yaml_text_is_refused(config_dir, content, says):
    (config_dir / "meetings/m.yaml").write_bytes(content)
    config, problems = _problems(config_dir, "meetings/m.yaml")
    assert any(says in p.message for p in problems), [str(p) for p in problems]
    assert [p.id for p in config.portfolios] == ["demo"]


@pytest.mark.parametrize("make, says", [(lambda path: path.mkdir(), "is a folder, not a file"),
                                        (lambda path: os.mkfifo(path), "is a named pipe, not a file")],
                         ids=["folder", "pipe"])
def test_a_meeting_file_that_is_not_a_regular_file_is_refused_without_waiting(config_dir, make, says):
    make(config_dir / "meetings/x.yaml")  # a pipe would keep a reader waiting for ever
    config, problems = _problems(config_dir, "meetings/x.yaml")
    assert [p.message for p in problems] == [says]


PORTFOLIO_EDITS = [  # (name, text in demo.yaml, its replacement, what the problem says)
    ("a target of nan", "{value: 95,", "{value: .nan,", "Input should be a finite number"),
    ("a target of infinity", "{value: 95,", "{value: .inf,", "Input should be a finite number"),
    ("a target of minus infinity", "{value: 95,", "{value: -.inf,", "Input should be a finite number"),
    ("a scale of 0", "    scale: 100\n", "    scale: 0\n", "greater than 0"),
    ("a negative scale", "    scale: 100\n", "    scale: -100\n", "greater than 0"),
    ("a scale of nan", "    scale: 100\n", "    scale: .nan\n", "finite number"),
    ("a second id", "id: demo\n", "id: demo\nid: renamed\n", "the key 'id' appears twice"),
    ("a date that is not real in a target", "to: 2023-03}", "to: 2023-02-30}", "'2023-02-30' is not a real date"),
    ("a label of only a line break", "    label: 4-hour performance\n", "    label: |\n      \n", "is blank"),
]


@pytest.mark.parametrize("name, old, new, says", PORTFOLIO_EDITS, ids=[c[0] for c in PORTFOLIO_EDITS])
def test_a_hostile_portfolio_is_named_and_left_out_and_the_rest_works(config_dir, name, old, new, says):
    config, problems = _edited(config_dir, "portfolios/demo.yaml", old, new)
    assert any(says in p.message for p in problems), [str(p) for p in problems]
    assert config.portfolios == [] and config.organisations is not None  # left out; the organisations still load


@pytest.mark.parametrize("label, shown", [
    ("\"4-hour\\nperformance\"", "4-hour performance"),
    ("\"4-hour\\tperformance\\r\"", "4-hour performance"),
    ("\"\\x07\\x1b[31m4-hour\"", "[31m4-hour"),
    ("|\n      4-hour performance\n", "4-hour performance"),
])
def test_control_characters_and_line_breaks_in_text_become_spaces(config_dir, label, shown):
    path = config_dir / "portfolios/demo.yaml"
    path.write_text(path.read_text().replace("    label: 4-hour performance\n", f"    label: {label}\n", 1))
    config = load_config(config_dir)
    assert config.metrics["four_hour"].label == shown


SETTINGS_EDITS = [
    ("a data-as-at that is not a date", "data_as_at: 2023-07-10", "data_as_at: 2023-02-30", "is not a real date"),
    ("a refresh of minus days", "refresh_days: 31", "refresh_days: -1", "greater than or equal"),
    ("a default period in year 1", "default_period: latest", "default_period: 0001-01", "write"),
    ("an extract limit of 0", "default_period: latest", "default_period: latest\nmax_extract_mb: 0", "greater than 0"),
]


@pytest.mark.parametrize("name, old, new, says", SETTINGS_EDITS, ids=[c[0] for c in SETTINGS_EDITS])
def test_hostile_settings_are_named(config_dir, name, old, new, says):
    config, problems = _edited(config_dir, "settings.yaml", old, new)
    assert any(says in p.message for p in problems), [str(p) for p in problems]


@pytest.mark.parametrize("providers, says", [
    ("  - {code: A, name: A, type: acute, closed: 2023-01, successor: B}\n"
     "  - {code: B, name: B, type: acute, closed: 2023-02, successor: A}\n", "go round in a circle (A → B → A)"),
    ("  - {code: A, name: A, type: acute, closed: 2023-01, successor: A}\n", "go round in a circle (A → A)"),
    ("  - {code: A, name: A, type: acute, closed: 2023-01, successor: B}\n"
     "  - {code: B, name: B, type: acute, closed: 2023-02, successor: C}\n"
     "  - {code: C, name: C, type: acute, closed: 2023-03, successor: A}\n", "(A → B → C → A)"),
])
def test_successors_that_go_round_in_a_circle_are_refused(config_dir, providers, says):
    (config_dir / "organisations.yaml").write_text("system: {code: SYS, name: S, short_name: S}\nproviders:\n"
                                                   + providers.replace("name: ", "short_name: X, name: "))
    config, problems = _problems(config_dir, "organisations.yaml")
    assert any(says in p.message for p in problems), [str(p) for p in problems]
