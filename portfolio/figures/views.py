"""View models for a portfolio's own views (standards table, waiting-list shape, trajectory
tracker, heat table): the figures, with no Streamlit in them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from portfolio.config.organisations import OrgTree
from portfolio.config.schema import HeatmapView, Metric, StandardsView, ViewSpec
from portfolio.figures.engine import Engine


@dataclass(frozen=True)
class StandardsRow:
    metric: Metric
    cells: dict[str, tuple[float | None, str]]  # organisation code → (value, status) in the period


def standards_columns(engine: Engine, tree: OrgTree, view: StandardsView, org: str) -> list[str]:
    """The organisations a standards view shows: the selected one, then those within it at the
    view's level (the view's own list where it names them) that report any of its metrics, so an
    ambulance trust is not a column of a cancer table."""
    within = [o.code for o in tree.within(org, view.by)]
    chosen = [c for c in view.organisations if c in within] if view.organisations else within
    return [org] + [c for c in chosen if any(engine.available(m, c) for m in view.metrics)]


@dataclass(frozen=True)
class HeatTable:
    codes: list[str]  # the organisations down
    members: list[str]  # the breakdown's members across
    values: dict[tuple[str, str], float]  # (code, member) → the figure


def heat_table(engine: Engine, view: HeatmapView, org: str, period: str) -> HeatTable:
    """A heat table view's figures: each organisation at the view's level × each member."""
    cross = engine.cross_breakdown(view.metric, org, view.by, view.dimension, period)
    return HeatTable(list(dict.fromkeys(cross["code"])), sorted(set(cross["member"])),
                     {(code, member): value for code, member, value in zip(cross["code"], cross["member"], cross["value"])})


def table_shape(engine: Engine, tree: OrgTree, view: ViewSpec, org: str, period: str) -> tuple[int, int]:
    """A standards or heat table view's rows, and its columns of figures that a slide shares out
    (a standards table's organisations after the selected one, whose column every slide keeps; a
    heat table's members)."""
    if isinstance(view, StandardsView):
        return len(view.metrics), len(standards_columns(engine, tree, view, org)) - 1
    table = heat_table(engine, view, org, period)
    return len(table.codes), len(table.members)


def standards_table(engine: Engine, metric_ids: list[str], columns: list[str], period: str) -> list[StandardsRow]:
    """Each metric for each organisation in ``columns`` (the selected one first), in ``period``."""
    rows = []
    for metric_id in metric_ids:
        cells = {}
        for code in columns:  # one month only: the month's row of the series, with its status
            month = engine.series(metric_id, code, start=period, end=period)
            found = not month.empty and pd.notna(month["value"].iloc[0])
            cells[code] = (float(month["value"].iloc[0]), month["status"].iloc[0]) if found else (None, "no data")
        rows.append(StandardsRow(engine.metric(metric_id), cells))
    return rows


def months_to_target(values: list[float], target: float, improvement: str, window: int = 3) -> float | None:
    """Months until ``target`` is reached at the average monthly change of the last ``window``
    months: 0 when it is already met, None when the latest months move away from it (or do not move)."""
    if len(values) < 2 or improvement == "neutral":
        return None
    latest = values[-1]
    met = latest >= target if improvement == "increase" else latest <= target
    if met:
        return 0.0
    span = min(window, len(values) - 1)
    rate = (latest - values[-1 - span]) / span
    if rate == 0 or (target - latest) / rate < 0:
        return None
    return math.ceil((target - latest) / rate)


def natural_order(members: list[str]) -> list[str]:
    """Bands in the order people read them: "0-18 weeks", "18-52 weeks" … "104+ weeks"."""
    def key(member: str):
        number = re.match(r"\D*(\d+(?:\.\d+)?)", member)
        return (0, float(number.group(1)), member) if number else (1, 0.0, member)
    return sorted(set(members), key=key)
