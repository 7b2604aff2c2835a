"""Checks that a portfolio's figures add up, naming the extract and rows when they do not.

Three checks, over the rows as the extracts give them (before the engine adds anything up):
- **lines**: a total row equals the sum of its breakdown rows (non-pay = its expenditure lines);
- **organisations**: a row reported for an organisation (the system, a provider) equals the sum
  of the rows reported below it, where both are reported;
- **identities**, declared in the portfolio's ``reconcile:``: a total equals the signed sum of
  other metrics (surplus = income + pay + non-pay + non-operating items).
Only metrics summed as values are checked; rates are recomputed from their parts anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from portfolio.config.months import Month
from portfolio.config.schema import Metric, Portfolio, key_words
from portfolio.figures.engine import Engine

KEY = ["org_code", "period", "series"]


@dataclass(frozen=True)
class Mismatch:
    extract: str
    what: str  # what should add up, in words
    org_code: str
    period: str
    series: str
    total: float  # the figure reported as the total
    parts: float  # the sum of its parts
    lines: tuple[int, ...]  # the extract rows involved (file line numbers)

    def describe(self, unit: str = "") -> str:
        return (f"{self.extract} {rows_text(self.lines)}: {self.what} for {self.org_code}, "
                f"{Month(self.period).label} ({self.series}) add up to {self.parts:,.1f}{unit}, "
                f"but the total is {self.total:,.1f}{unit} (a difference of {self.parts - self.total:,.1f}{unit})")


@dataclass
class Check:
    name: str
    compared: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.mismatches


def rows_text(lines: tuple[int, ...], most: int = 8) -> str:
    """``rows 12–15, 40`` with runs joined, and the rest counted."""
    runs: list[list[int]] = []
    for line in sorted(set(lines)):
        if runs and line == runs[-1][-1] + 1:
            runs[-1].append(line)
        else:
            runs.append([line])
    shown = [f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs[:most]]
    more = f" and {len(runs) - most} more" if len(runs) > most else ""
    return f"row{'s' if len(lines) > 1 else ''} {', '.join(shown)}{more}"


def reconcile(engine: Engine, portfolio: Portfolio) -> list[Check]:
    """Every check for the portfolio's summed metrics (and its declared identities)."""
    tolerance = portfolio.reconcile.tolerance if portfolio.reconcile else 0.5
    summed = [m for m in portfolio.metrics if m.compute == "value" and m.additive]
    rows = {m.id: _rows(engine, m) for m in summed}
    checks = [_lines(summed, rows, tolerance), _organisations(engine, summed, rows, tolerance)]
    if portfolio.reconcile and portfolio.reconcile.identities:
        checks.append(_identities(engine, portfolio, rows, tolerance))
    return checks


def _rows(engine: Engine, metric: Metric) -> pd.DataFrame:
    return engine.store.rows(metric.source.extract, metric.source_key, metric.source.filters)


def _lines(metrics: list[Metric], rows: dict[str, pd.DataFrame], tolerance: float) -> Check:
    check = Check("Breakdown lines add up to their totals")
    for metric in metrics:
        frame = rows[metric.id]
        parts = frame[frame["breakdown"] != ""]
        if parts.empty or "breakdown" in metric.source.filters:
            continue
        summed = parts.groupby([*KEY, "breakdown"], as_index=False).agg(
            parts=("value", "sum"), part_lines=("line", tuple))
        totals = frame[frame["breakdown"] == ""][[*KEY, "value", "line"]]
        joined = summed.merge(totals, on=KEY)
        check.compared += len(joined)
        for row in joined[(joined["parts"] - joined["value"]).abs() > tolerance].itertuples():
            check.mismatches.append(Mismatch(
                metric.source.extract, f"{metric.label} by {key_words(row.breakdown)}", row.org_code,
                row.period, row.series, row.value, row.parts, (row.line, *row.part_lines)))
    return check


def _organisations(engine: Engine, metrics: list[Metric], rows: dict[str, pd.DataFrame], tolerance: float) -> Check:
    """Where an organisation and organisations below it both report, the first equals the sum of
    the highest of the others (a provider's own sites, not its sites and the provider twice)."""
    check = Check("Organisations add up to the organisation above them")
    tree = engine.tree
    parents = [code for code in tree.nodes if tree.children(code)]
    for metric in metrics:
        frame = rows[metric.id]
        frame = frame[frame["breakdown"] == ""]
        for (period, series), group in frame.groupby(["period", "series"]):
            reported = dict(zip(group["org_code"], zip(group["value"], group["line"])))
            for parent in parents:
                if parent not in reported:
                    continue
                units = [u for child in tree.children(parent) for u in tree.reporting_units(child.code, set(reported))]
                if not units:
                    continue
                check.compared += 1
                total, line = reported[parent]
                parts = sum(reported[u][0] for u in units)
                if abs(parts - total) > tolerance:
                    check.mismatches.append(Mismatch(
                        metric.source.extract, f"{metric.label}: the organisations within", parent, period, series,
                        total, parts, (line, *(reported[u][1] for u in units))))
    return check


def _identities(engine: Engine, portfolio: Portfolio, rows: dict[str, pd.DataFrame], tolerance: float) -> Check:
    check = Check("Lines add up to the bottom line")
    for identity in portfolio.reconcile.identities:
        total_metric = portfolio.metric(identity.total)
        frame = _totals(engine, portfolio, identity.total, rows).rename(columns={"value": "total", "line": "total_line"})
        parts = []
        for metric_id, sign in zip(identity.metric_ids, identity.signs):
            part = _totals(engine, portfolio, metric_id, rows)
            parts.append(part.assign(value=part["value"] * sign))
        summed = pd.concat(parts).groupby(KEY, as_index=False).agg(parts=("value", "sum"), part_lines=("line", tuple))
        joined = frame.merge(summed, on=KEY)  # a part not reported for an organisation counts as nothing
        check.compared += len(joined)
        words = " + ".join(portfolio.metric(m).label if s > 0 else f"− {portfolio.metric(m).label}"
                           for m, s in zip(identity.metric_ids, identity.signs)).replace("+ −", "−")
        for row in joined[(joined["parts"] - joined["total"]).abs() > tolerance].itertuples():
            check.mismatches.append(Mismatch(
                total_metric.source.extract, f"{words} (against {total_metric.label})", row.org_code, row.period,
                row.series, row.total, row.parts, (row.total_line, *row.part_lines)))
    return check


def _totals(engine: Engine, portfolio: Portfolio, metric_id: str, rows: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frame = rows.get(metric_id)
    if frame is None:
        frame = _rows(engine, portfolio.metric(metric_id))
    return frame[frame["breakdown"] == ""][[*KEY, "value", "line"]]
