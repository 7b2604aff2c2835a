"""Reading the config folder: each YAML file read safely (size, shape and aliases bounded, every
key's line kept), validated against the schema, its references checked, and all of it gathered in
a ``Config``. A file with a problem is left out on its own, said with its file, key path and line;
nothing in a file ever raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml
from pydantic import BaseModel, ValidationError

from portfolio.config.files import unreadable
from portfolio.config.problems import Document, Problem, validation_problems
from portfolio.config.references import (meeting_references, organisation_codes, organisation_references,
                                         portfolio_clashes, portfolio_references, settings_references,
                                         unknown_target_organisations)
from portfolio.config.schema import Meeting, Metric, OrganisationsFile, Portfolio, Settings

MAX_YAML_BYTES = 5_000_000  # a config file is a few kilobytes; one far larger is refused, not read
MAX_YAML_VALUES = 200_000  # values once aliases are expanded
MAX_YAML_DEPTH = 64


# libyaml's safe loader when PyYAML was built with it (several times quicker), else the pure-Python one
class _SafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML's safe loader, whose dates say which value is not a real date (the stock one raises a
    bare ValueError for 2023-02-30, a month 13 or an hour 25)."""


class _NotADate(yaml.constructor.ConstructorError):
    """A value written as a date that is not one (30 February, a month 13, an hour 25)."""


def _timestamp(loader: _SafeLoader, node: yaml.ScalarNode):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as error:
        raise _NotADate(None, None, f"'{node.value}' is not a real date or time ({error}): write a date as "
                                    "YYYY-MM-DD", node.start_mark) from None


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


class _Refused(Exception):
    """A YAML document the dashboard will not read, with the line that shows why."""

    def __init__(self, message: str, node: yaml.Node):
        super().__init__(message)
        self.line = node.start_mark.line + 1


def _check_shape(root: yaml.Node) -> None:
    """Refuse, before anything is built from it, a document whose aliases refer to themselves,
    expand to more than ``MAX_YAML_VALUES`` values (a "billion laughs" file of a few hundred
    bytes), or nest deeper than ``MAX_YAML_DEPTH``; and a mapping that repeats a key (the second
    would silently win). Walked with a stack, not recursion, so no document is too deep to walk."""
    size, depth, state = {}, {}, {}  # by node id; state: 1 while its children are walked, 2 once done
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            kids = _children(node)
            size[key] = 1 + sum(size[id(kid)] for kid in kids)
            depth[key] = 1 + max((depth[id(kid)] for kid in kids), default=0)
            if size[key] > MAX_YAML_VALUES:
                raise _Refused(f"its aliases (*name) expand to more than {MAX_YAML_VALUES:,} values; write the "
                               "values out, or use fewer aliases", node)
            if depth[key] > MAX_YAML_DEPTH:
                raise _Refused(f"is nested more than {MAX_YAML_DEPTH} levels deep", node)
            state[key] = 2
            continue
        if state.get(key) == 2:
            continue
        if state.get(key) == 1:  # reached again from inside itself
            raise _Refused("an alias refers to the value it is part of (*name inside the value marked &name)", node)
        state[key] = 1
        if isinstance(node, yaml.MappingNode):
            seen = {}
            for name, _ in node.value:
                if isinstance(name, yaml.ScalarNode) and name.value in seen:
                    raise _Refused(f"the key '{name.value}' appears twice in one mapping (lines {seen[name.value]} "
                                   f"and {name.start_mark.line + 1}): keep one", name)
                if isinstance(name, yaml.ScalarNode):
                    seen[name.value] = name.start_mark.line + 1
        stack.append((node, True))
        stack += [(kid, False) for kid in reversed(_children(node)) if state.get(id(kid)) != 2]


def _key_lines(root: yaml.Node) -> dict[tuple, int]:
    """Map each key path in a YAML document to its 1-based line. A node reached again through an
    alias (``*anchor``) is not walked again: its lines are those of its first place."""
    lines, seen, stack = {}, set(), [(root, ())]
    while stack:
        node, path = stack.pop()
        lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, key.value)
                lines[child] = key.start_mark.line + 1
                stack.append((value, child))
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, (*path, index)) for index, item in enumerate(node.value)]
    return lines


def _text(path: Path, name: str) -> tuple[str | None, list[Problem]]:
    """A file's text, or why it is not read: not a regular file, too large, not UTF-8."""
    refused = unreadable(path)
    if refused:
        return None, [Problem(name, refused)]
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_YAML_BYTES + 1)
        if len(raw) > MAX_YAML_BYTES:
            return None, [Problem(name, f"is larger than {MAX_YAML_BYTES // 1_000_000} MB: a configuration file is "
                                        "a few kilobytes, so it is not read")]
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        return None, [Problem(name, f"is not UTF-8 text ({error.reason}); save it as UTF-8")]
    except OSError as error:
        return None, [Problem(name, f"cannot be read: {error.strerror}")]


def read_yaml(path: Path, name: str) -> tuple[Document | None, list[Problem]]:
    """Read a YAML file safely: its data with the line of each key path, or the problems that stop
    it being read; never an exception, whatever the file holds."""
    text, problems = _text(path, name)
    if text is None:
        return None, problems
    try:
        loader = _SafeLoader(text)
        try:  # one parse: the nodes give each key's line, and the same nodes give the data
            node = loader.get_single_node()
            if node is not None:
                _check_shape(node)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except _Refused as refusal:
        return None, [Problem(name, f"is not read: {refusal}", line=refusal.line)]
    except _NotADate as error:
        return None, [Problem(name, error.problem, line=error.problem_mark.line + 1)]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        return None, [Problem(name, f"is not valid YAML: {reason}; check the indentation and quoting there",
                              line=mark.line + 1 if mark else None)]
    except RecursionError:  # the pure-Python parser, where libyaml is missing, nests by recursion
        return None, [Problem(name, f"is nested more than {MAX_YAML_DEPTH} levels deep")]
    if node is None:
        return None, [Problem(name, "is empty")]
    return Document(name, data, _key_lines(node)), []


def validate(model: type[BaseModel], document: Document) -> tuple[Any, list[Problem]]:
    """Validate the document's data against ``model``: (the instance or None, problems)."""
    if not isinstance(document.data, dict):
        return None, [Problem(document.name, "must be a mapping of keys to values at the top level", line=1)]
    try:
        return model.model_validate(document.data), []
    except ValidationError as error:
        return None, validation_problems(error, model, document)


# --- the loaded configuration -----------------------------------------------------------------


@dataclass
class Config:
    """Everything read from the config folder: what loaded, and every problem found."""

    folder: Path
    portfolios: list[Portfolio] = field(default_factory=list)
    organisations: OrganisationsFile | None = None
    settings: Settings = field(default_factory=Settings)
    problems: list[Problem] = field(default_factory=list)
    disabled: dict[str, str] = field(default_factory=dict)  # portfolio file → why it was left out
    # the portfolio ids and extract metric keys of files left out: their slides and rows are set aside
    disabled_ids: dict[str, str] = field(default_factory=dict)  # portfolio id → its file
    set_aside: set[str] = field(default_factory=set)
    meetings: dict[str, Meeting] = field(default_factory=dict)

    @property
    def metrics(self) -> dict[str, Metric]:
        return {m.id: m for p in self.portfolios for m in p.metrics}

    def portfolio_of(self, metric_id: str) -> Portfolio:
        return next(p for p in self.portfolios if any(m.id == metric_id for m in p.metrics))

    def portfolio(self, portfolio_id: str) -> Portfolio | None:
        return next((p for p in self.portfolios if p.id == portfolio_id), None)


Check = Callable[[Any, Document], list[Problem]]  # what a valid file names elsewhere → the problems


def load_file(folder: Path, relative: str, model: type[BaseModel], check: Check | None = None
              ) -> tuple[Any, Document | None, list[Problem]]:
    """One file read, validated and, once valid, checked with ``check``: the instance (None when
    there is any problem), the document as read (None when it could not be), and the problems."""
    document, problems = read_yaml(folder / relative, relative)
    if document is None:
        return None, None, problems
    instance, problems = validate(model, document)
    if instance is not None and check is not None:
        problems = check(instance, document)
    return (None if problems else instance), document, problems


def load_config(folder: Path | str) -> Config:
    config = Config(folder=Path(folder))
    if (config.folder / "settings.yaml").exists():
        settings, _, problems = load_file(config.folder, "settings.yaml", Settings, settings_references)
        config.problems += problems
        config.settings = settings or Settings()
    else:
        config.problems.append(Problem("settings.yaml", "is missing; defaults are used", severity="warning"))
    config.organisations, _, problems = load_file(config.folder, "organisations.yaml", OrganisationsFile,
                                                  organisation_references)
    config.problems += problems
    _load_portfolios(config)
    _load_meetings(config)
    return config


def _load_portfolios(config: Config) -> None:
    """Each portfolio file in config/portfolios/, in display order; one with a problem is left out
    on its own, and what it would have held set aside."""
    seen_ids: dict[str, str] = {}  # metric id → its file
    seen_portfolios: dict[str, str] = {}  # portfolio id → its file
    codes = organisation_codes(config.organisations)

    def check(portfolio: Portfolio, document: Document) -> list[Problem]:
        return portfolio_references(portfolio, document) or (
            portfolio_clashes(portfolio, document, seen_ids, seen_portfolios)
            + unknown_target_organisations(portfolio, document, codes))

    for path in sorted((config.folder / "portfolios").glob("*.yaml")):
        relative = f"portfolios/{path.name}"
        portfolio, document, problems = load_file(config.folder, relative, Portfolio, check)
        if problems:
            config.problems += problems
            config.disabled[relative] = str(problems[0])
            _note_disabled(config, relative, document.data if document else None)
            continue
        seen_portfolios[portfolio.id] = relative
        seen_ids.update({m.id: relative for m in portfolio.metrics})
        config.portfolios.append(portfolio)
    if not config.portfolios and not config.disabled:
        config.problems.append(Problem("portfolios/", "holds no portfolio files (*.yaml)"))
    config.portfolios.sort(key=lambda p: (p.order, p.title))


def _note_disabled(config: Config, relative: str, data: Any) -> None:
    """What a portfolio file that could not be loaded would have held, as far as it can be read: its
    id, so that a meeting naming it says why it is left out, and its metrics' extract keys, so that
    their rows are set aside with one line instead of each reported as an unknown metric."""
    if not isinstance(data, dict):
        return
    if isinstance(data.get("id"), str):
        config.disabled_ids[data["id"]] = relative
    for metric in data.get("metrics") or []:
        if isinstance(metric, dict):
            source = metric.get("source") if isinstance(metric.get("source"), dict) else {}
            key = source.get("key") or metric.get("id")
            if isinstance(key, str):
                config.set_aside.add(key)


def _load_meetings(config: Config) -> None:
    """Each meeting file in config/meetings/; one that names an unknown portfolio, metric or
    organisation is reported and left out."""
    for path in sorted((config.folder / "meetings").glob("*.yaml")):
        meeting, _, problems = load_file(config.folder, f"meetings/{path.name}", Meeting,
                                         lambda meeting, document: meeting_references(meeting, document, config))
        config.problems += problems
        if meeting is not None:
            config.meetings[meeting.id] = meeting
