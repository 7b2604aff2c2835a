"""Small-number suppression for meetings in public: counts that could identify people (1 to 7 by
default) are hidden, and so is the next smallest member of a breakdown whose total is shown, so
that the hidden one cannot be worked out by subtraction."""

from __future__ import annotations

import math
from contextvars import ContextVar

from portfolio.config.schema import Metric, SmallNumbers

# The small-number rule in force for this run of the dashboard (set while presenting a meeting in
# public, None otherwise): counts it covers are written as its symbol wherever they are formatted.
SUPPRESSION: ContextVar[SmallNumbers | None] = ContextVar("suppression", default=None)


def is_small(metric: Metric, value: float | None, rule: SmallNumbers | None = None) -> bool:
    """A count small enough to identify people under the rule in force (or ``rule``)."""
    rule = rule or SUPPRESSION.get()
    known = value is not None and not (isinstance(value, float) and math.isnan(value))
    return rule is not None and metric.unit == "count" and known and rule.low <= value <= rule.high


def hidden(metric: Metric, values: list[float | None], rule: SmallNumbers | None = None) -> set[int]:
    """Positions in ``values`` (the members of one total) to hide: each small count, and when only
    one is small, the next smallest non-zero count as well."""
    rule = rule or SUPPRESSION.get()
    if rule is None or metric.unit != "count":
        return set()
    small = {i for i, v in enumerate(values) if is_small(metric, v, rule)}
    if len(small) == 1:
        others = [(v, i) for i, v in enumerate(values)
                  if i not in small and v is not None and not math.isnan(v) and v > 0]
        if others:
            small.add(min(others)[1])
    return small


def mask(metric: Metric, values: list[float | None], rule: SmallNumbers | None = None) -> list[float | None]:
    """``values`` with the hidden ones taken out (for charts, which must not draw them)."""
    gone = hidden(metric, values, rule)
    return [None if i in gone else v for i, v in enumerate(values)]
