"""Small-number suppression for meetings in public: counts that could identify people (1 to 7 by
default) are hidden, and so is the next smallest member of a breakdown whose total is shown, so
that the hidden one cannot be worked out by subtraction."""

from __future__ import annotations

import math

from portfolio.config import Metric, SmallNumbers
from portfolio.formatting import SUPPRESSION, is_small


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
