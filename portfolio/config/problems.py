"""A problem found in a configuration file or an extract, worded for the person who must fix it;
where in a YAML file it is (key path and line); and pydantic's validation errors rewritten as
problems."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError

from portfolio.config.schema import CONNECTION_NAME, FINANCIAL_YEAR, VIEW_KINDS, YEAR_MONTH, ViewSpec

VIEW_TAGS = {cls: kind for kind, cls in VIEW_KINDS.items()}  # a view's class → the kind that names it


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    location: str = ""  # a YAML key path ("metrics[2].targets[0].value") or "row 14, column value"
    line: int | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        place = f" ({self.location})" if self.location else ""
        return f"{where}{place}: {self.message}"


@dataclass(frozen=True)
class Document:
    """A YAML file as read: its name as problems give it, its data, and the line of each key path."""

    name: str
    data: Any
    lines: dict[tuple, int]

    def problem(self, loc: tuple, message: str) -> Problem:
        """A problem at the key path ``loc`` (("metrics", 2, "category")), on the line of the key
        itself or, where it is not written (a missing key), of the nearest key around it."""
        return Problem(self.name, message, location=path_text(loc), line=closest_line(self.lines, loc))


def path_text(loc: tuple) -> str:
    """("metrics", 2, "category") → "metrics[2].category"."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def closest_line(lines: dict[tuple, int], loc: tuple) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def validation_problems(error: ValidationError, model: type[BaseModel], document: Document) -> list[Problem]:
    """Each of pydantic's errors as a problem at its key path, in words that say what to write."""
    problems = []
    for item in error.errors():
        loc, owner = walk(model, tuple(item["loc"]))
        loc, message = _reworded(item, loc, owner)
        problems.append(document.problem(loc, message))
    return problems


def walk(model: type[BaseModel], loc: tuple) -> tuple[tuple, type[BaseModel] | None]:
    """Follow pydantic's ``loc`` down from ``model``: the key path as written in the YAML (without
    the kind pydantic adds after a view's index), and the model whose keys the last part is among."""
    path: list = []
    owners, mapping_key = [model], False  # owners: the models the next key may belong to
    owner: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or mapping_key:  # a list's index, or a key of a mapping of file names
            path.append(part)
            mapping_key = False
            continue
        tagged = [m for m in owners if VIEW_TAGS.get(m) == part]
        if tagged and len(owners) > 1:  # the kind that chose the view's class
            owners = tagged
            continue
        owner = owners[0] if len(owners) == 1 else None
        path.append(part)
        field = next((f for m in owners for name, f in m.model_fields.items() if (f.alias or name) == part), None)
        owners = _models_in(field.annotation) if field else []
        mapping_key = field is not None and _is_mapping(field.annotation)
    return tuple(path), owner


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models a field's value may be: itself, or those inside a list, mapping or union of them."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [found for arg in get_args(annotation) for found in _models_in(arg)]


def _is_mapping(annotation: Any) -> bool:
    """A mapping whose keys are the user's own (extract file names, months), not the schema's."""
    return get_origin(annotation) is dict


def _reworded(error: dict, loc: tuple, owner: type[BaseModel] | None) -> tuple[tuple, str]:
    """Where the error is, and what it says, as the person fixing the file needs it."""
    kind = error["type"]
    if kind == "union_tag_not_found":
        return (*loc, "kind"), "'kind' is required and missing"
    if kind == "union_tag_invalid":
        tags = error["ctx"]["expected_tags"]
        return (*loc, "kind"), f"Input should be {' or '.join(tags.rsplit(', ', 1))} (got {error['ctx']['tag']!r})"
    if owner is not None and issubclass(owner, ViewSpec) and kind in ("missing", "too_short"):
        return loc, _view_needs(owner, loc[-1])
    if kind == "extra_forbidden":
        return loc, _unknown_key(owner, loc[-1])
    return loc, _fix_hint(error, loc)


def _view_needs(view: type[ViewSpec], key: str) -> str:
    """"a position view needs 'metrics': the metrics to list": the key's description, where it has one."""
    description = view.model_fields[key].description
    return f"a {VIEW_TAGS[view]} view needs '{key}'" + (f": {description}" if description else "")


def _unknown_key(owner: type[BaseModel] | None, key: str) -> str:
    """"unknown key 'improvment' — did you mean 'improvement'?", else the keys allowed there; for a
    view, which kind it is, and the kinds that do take the key."""
    known = [info.alias or name for name, info in owner.model_fields.items()] if owner else []
    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(sorted(known))}"
    if owner not in VIEW_TAGS:
        return f"unknown key '{key}' — {hint}"
    takers = [kind for kind, cls in VIEW_KINDS.items() if key in cls.model_fields]
    elsewhere = f" ('{key}' is for a {' or '.join(', '.join(takers).rsplit(', ', 1))} view)" if takers else ""
    return f"unknown key '{key}' for a {VIEW_TAGS[owner]} view — {hint}{elsewhere}"


def _fix_hint(error: dict, loc: tuple) -> str:
    kind = error["type"]
    if kind == "missing":
        return f"'{loc[-1]}' is required and missing"
    if kind == "literal_error":
        return f"{error['msg']} (got {error.get('input')!r})"
    if kind == "string_too_short" and error.get("ctx", {}).get("min_length") == 1:
        return "is blank: write some words (spaces or line breaks alone are not enough)"
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        if pattern == YEAR_MONTH:
            return f"got {error.get('input')!r}: write a month as YYYY-MM, from 1990-01 to 2099-12, for example 2023-04"
        if pattern == FINANCIAL_YEAR:
            return f"got {error.get('input')!r}: write a financial year as 2019/20"
        if pattern == CONNECTION_NAME:  # not quoted: it may be a URL with a password in it
            return ("is not a connection's name: write embedded, or a name of letters, digits, _ and - whose URL and "
                    "credentials are under [connections.NAME] in .streamlit/secrets.toml (never in this file)")
        return f"got {error.get('input')!r}: use lower-case letters, digits and underscores, starting with a letter"
    message = error["msg"].removeprefix("Value error, ")
    if "input" in error and kind not in ("value_error", "assertion_error") and not isinstance(error["input"], (dict, list)):
        message += f" (got {error['input']!r})"
    return message
