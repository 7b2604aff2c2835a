"""The schema described: as JSON Schema, for an editor to check a YAML file as it is typed
(``python -m portfolio schema``), and each field's type and default in the words
docs/configuration.md gives them (a test holds the two together)."""

from __future__ import annotations

import datetime
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic.json_schema import models_json_schema

from portfolio.config.schema import FINANCIAL_YEAR, YEAR_MONTH, Meeting, OrganisationsFile, Portfolio, Settings

# each kind of file in config/ → (the files, its model)
FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "settings": ("settings.yaml", Settings),
    "organisations": ("organisations.yaml", OrganisationsFile),
    "portfolio": ("portfolios/*.yaml", Portfolio),
    "meeting": ("meetings/*.yaml", Meeting),
}
DRAFT = "https://json-schema.org/draft/2020-12/schema"
PATTERN_WORDS = {YEAR_MONTH: "month", FINANCIAL_YEAR: "financial year"}  # any other pattern is an id's
PLURALS = {"text": "text", "true/false": "true/false values", "whole number": "whole numbers"}


def file_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of file (a key of ``FILES``)."""
    files, model = FILES[kind]
    return {"$schema": DRAFT, **model.model_json_schema(), "title": f"config/{files}"}


def json_schema() -> dict[str, Any]:
    """One JSON Schema for every kind of file: each file's model is in ``$defs`` (under its class
    name), and a document is any one of them."""
    refs, schema = models_json_schema([(model, "validation") for _, model in FILES.values()])
    return {"$schema": DRAFT, "title": "The dashboard's configuration files (config/)",
            "description": "; ".join(f"config/{files}: #/$defs/{model.__name__}" for files, model in FILES.values()),
            "anyOf": [refs[(model, "validation")] for _, model in FILES.values()], **schema}


def type_words(field: FieldInfo) -> str:
    """A field's type as docs/configuration.md says it: "month", "list of ids", "true/false"."""
    return _words(field.annotation, field.metadata)


def _words(annotation: Any, metadata: list | tuple = ()) -> str:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return f"`{args[0]}`" if len(args) == 1 else "choice"
    if origin is list:
        return f"list of {_plural(_words(args[0]))}"
    if origin is dict or isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping"
    if args and origin is not None and hasattr(annotation, "__metadata__"):  # Annotated[str, Field(pattern=…)]
        return _words(args[0], annotation.__metadata__)
    if args:  # a union: each of its types, none left out as the default says so
        return " or ".join(dict.fromkeys(_words(arg) for arg in args if arg is not type(None)))
    if annotation is str:
        pattern = _pattern(metadata)
        return PATTERN_WORDS.get(pattern, "id") if pattern else "text"
    return {bool: "true/false", int: "whole number", float: "number", datetime.date: "date"}[annotation]


def _pattern(metadata: list | tuple) -> str | None:
    """The pattern among a text's constraints (a ``Field(pattern=…)`` holds its own), if any."""
    for item in metadata:
        found = _pattern(item.metadata) if isinstance(item, FieldInfo) else getattr(item, "pattern", None)
        if found:
            return found
    return None


def _plural(words: str) -> str:
    return PLURALS.get(words, words if words.endswith("s") or words.startswith("`") else f"{words}s")


def default_words(field: FieldInfo) -> str:
    """A field's default as docs/configuration.md says it: "required", "none", "`24`", "`[plan, actual]`"."""
    if field.is_required():
        return "required"
    value = field.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        return "its keys' defaults"
    if value is None or value == [] or value == {}:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float):
        return f"`{value:g}`"
    if isinstance(value, list):
        return f"`[{', '.join(map(str, value))}]`"
    return f"`{value}`"
