"""Queries written once, as ibis expressions, and compiled once per engine into SQL with named
parameters, which each engine's own driver then runs with the values of the call.

ibis compiles an expression to DuckDB's, PostgreSQL's or Spark's SQL through sqlglot. Compiling
costs more than running a small query (measured on the sample: building and compiling a sum took
8 ms, running it 0.7 ms), and the dashboard asks the same few shapes of query again and again with
other organisations and months. So an expression is compiled once for each shape and engine, with
a stand-in value for each parameter, and the stand-ins are then swapped for the driver's
placeholders: the SQL is ibis's, the values are bound by the driver (never pasted into the text).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import pandas as pd
import sqlglot.expressions as sge

TEXT, TEXTS, WHOLE = dt.string, dt.Array(dt.string), dt.int64  # the kinds of parameter the queries take
# ibis's compilers by the name each engine's driver goes by
DIALECTS = {"duckdb": "duckdb", "postgres": "postgres", "spark": "pyspark"}


@dataclass(frozen=True)
class Shape:
    """One shape of query: ``build`` makes its expression from the named tables (ibis tables of
    their schemas), the parameters (``parameters``: name → type) and the ``options`` (name →
    value: whatever else the shape depends on, such as the columns grouped by)."""

    build: Callable[..., ibis.Table]
    options: tuple[tuple[str, Hashable], ...]
    parameters: tuple[tuple[str, dt.DataType], ...]

    def expression(self, tables: tuple[tuple[str, str, ibis.Schema], ...]) -> tuple[ibis.Table, dict]:
        """The expression over ``tables`` (role, name, schema), and its parameters by name."""
        parameters = {name: ibis.param(kind) for name, kind in self.parameters}
        named = {role: ibis.table(schema, name=name) for role, name, schema in tables}
        return self.build(**named, **parameters, **dict(self.options)), parameters


def _stand_in(index: int, kind: dt.DataType) -> Any:
    """A value no real parameter has, recognisable in the compiled SQL."""
    if kind.is_string():
        return f"\x00stand-in {index}\x00"
    if kind.is_array():
        return [_stand_in(index, kind.value_type)]
    return -7_000_000_000 - index  # a whole number far outside any figure's range


def _placeholder_of(node: sge.Expression, stand_ins: dict[str, str]) -> sge.Expression:
    """``node`` with a stand-in literal (or a one-element array of one) replaced by a named marker."""
    if isinstance(node, sge.Array) and len(node.expressions) == 1:
        inner = node.expressions[0]
        if isinstance(inner, sge.Literal) and inner.this in stand_ins:
            return sge.var(stand_ins[inner.this])
    if isinstance(node, sge.Literal) and node.this in stand_ins:
        return sge.var(stand_ins[node.this])
    if isinstance(node, sge.Neg) and isinstance(node.this, sge.Literal) and f"-{node.this.this}" in stand_ins:
        return sge.var(stand_ins[f"-{node.this.this}"])
    return node


@functools.lru_cache(maxsize=512)
def compiled(shape: Shape, dialect: str, tables: tuple[tuple[str, str, ibis.Schema], ...]) -> tuple[str, tuple[str, ...]]:
    """The SQL of ``shape`` in ``dialect`` over ``tables`` (the role the expression knows a table
    by, its name in the engine, its schema), with each parameter as a marker ``__param_NAME__``,
    and the names of the parameters in the order they appear."""
    from ibis.backends.sql import compilers  # imported here: it registers every engine's compiler

    if dialect == "pyspark":
        ibis.pyspark  # noqa: B018  (loading the backend registers the options its compiler reads)
    expression, parameters = shape.expression(tables)
    values = {parameters[name].op(): _stand_in(index, kind) for index, (name, kind) in enumerate(shape.parameters)}
    stand_ins = {str(_first(value)): f"__param_{name}__" for name, value in zip(parameters, values.values())}
    compiler = {"duckdb": compilers.DuckDBCompiler, "postgres": compilers.PostgresCompiler,
                "pyspark": compilers.PySparkCompiler}[dialect]()
    tree = compiler.to_sqlglot(expression, params={parameters[name]: value for name, value in
                                                   zip(parameters, values.values())})
    tree = tree.transform(lambda node: _placeholder_of(node, stand_ins))
    return tree.sql(compiler.dialect), tuple(parameters)


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) else value


def typed(frame: pd.DataFrame, schema: ibis.Schema) -> pd.DataFrame:
    """The same pandas types whichever engine answered: text as Python strings (None where
    missing), whole numbers as int64, figures as float64, flags as bool (a flag over no rows is
    False)."""
    kinds = {}
    for name, kind in schema.items():
        if kind.is_string():
            frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
        elif kind.is_floating() or kind.is_decimal():
            kinds[name] = "float64"
        elif kind.is_integer():
            kinds[name] = "int64" if not frame[name].isna().any() else "float64"
        elif kind.is_boolean():
            frame[name] = frame[name].astype("boolean").fillna(False)
            kinds[name] = "bool"
    return frame.astype(kinds)


@functools.lru_cache(maxsize=512)
def schema_of(shape: Shape, tables: tuple[tuple[str, str, ibis.Schema], ...]) -> ibis.Schema:
    return shape.expression(tables)[0].schema()


def shape(build: Callable[..., ibis.Table], options: Mapping[str, Hashable] | None = None,
          **parameters: dt.DataType) -> Shape:
    return Shape(build, tuple((options or {}).items()), tuple(parameters.items()))


def bound(values: Mapping[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    """The parameters' values by name, lists as lists (a driver binds a tuple as a row, not an array)."""
    return {name: list(values[name]) if isinstance(values[name], (tuple, set, frozenset)) else values[name]
            for name in order}
