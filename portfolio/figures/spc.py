"""NHS "Making Data Count" XmR statistical process control (SPC).

A pure numpy/pandas reproduction of the R package NHSRplotthedots 0.2.2 (``ptd_spc()``), which
implements NHS England's Making Data Count rules: process limits from the mean moving range, the
four special-cause rules (a point beyond a limit, a trend of seven, two of three close to a limit,
a run of seven on one side of the mean) with the package's precedence, point colours, and the
variation and assurance icons. tests/test_spc.py checks the results against the package's own.

    from portfolio.figures.spc import analyse
    result = analyse(values, dates=None, *, improvement="increase", target=None,
                     rebase_at=(), fix_after_n_points=None, screen_outliers=True)

Method, per segment (a segment is the run of points between rebases, in date order):

* ``mean`` is the mean of the baseline values (every value, or the first ``fix_after_n_points``
  points of the segment), ignoring missing values.
* Moving ranges ``|y_i - y_(i-1)|`` are taken between neighbouring baseline points; any range
  that touches a missing value is missing, and no range crosses a rebase.
* With ``screen_outliers`` (the default) a moving range is kept only if it is strictly below
  ``3.267`` x the first mean moving range (one pass; the mean is not recalculated).
* ``lpl``/``upl`` = mean -/+ 2.66 x mR-bar; ``near_lpl``/``near_upl`` = mean -/+ 2*(2.66/3) x mR-bar.
* Rules, evaluated within the segment on every point (including points after the fix):
  a point strictly beyond a limit; a trend of 7 points (6 strict moves, ties break it); two of
  three consecutive points strictly beyond a 2-sigma line but not beyond a limit, all three
  strictly on the same side of the mean (only the close points are flagged); 7 points in a row
  strictly on one side of the mean (a point exactly on the mean breaks the run).  Precedence:
  limit > trend > 2-in-3 > run.  A point shared by two trends takes the direction of the step to
  the next point (so a peak shared by a rising and falling trend is "Decreasing", and a tie
  between two trends is labelled "Decreasing", as the package does).
* A segment with no usable moving range has NaN limits (a single point; or a constant series
  with screening on, where every range of 0 is screened out since 0 < 0 is false): nothing is
  outside or close to a limit, but runs and trends are still tested.  No minimum number of
  points is imposed; ``short_segment_warning`` flags segments of 12 or fewer points.

``result.points`` columns (one row per input value, in input order):

=============================  ==========================================================
``date``                       the ``dates`` value given, or the 0-based position
``value``                      the value as float (NaN where missing)
``segment``                    0-based rebase segment, counted in date order
``in_baseline``                True for points used for the mean and limits (fix window)
``moving_range``               |value - previous value| within the segment's baseline
                               (NaN for the first point, next to a gap, or after the fix)
``moving_range_screened_out``  True where a moving range exists but was screened out
``mean``                       centre line of the segment
``mean_moving_range``          final mR-bar of the segment (after screening)
``lpl`` / ``upl``              lower / upper process limits
``near_lpl`` / ``near_upl``    the "2-sigma" lines used by the 2-in-3 rule
``outside_limits``             strictly beyond a limit (False where limits are NaN)
``relative_to_mean``           sign(value - mean): 1.0, -1.0, 0.0 (on the mean), NaN if missing
``close_to_limits``            strictly beyond a 2-sigma line and not beyond a limit
``special_cause_type``         winning rule label, or ``Common Cause``
``special_cause_flag``         ``special_cause_type != "Common Cause"``
``point_type``                 ``common_cause``, ``special_cause_improvement``,
                               ``special_cause_concern``, ``special_cause_neutral_high`` or
                               ``special_cause_neutral_low``
``short_segment_warning``      the point's segment has 12 or fewer points
``target``                     the target (NaN without one)
=============================  ==========================================================

``result.segments`` has one row per segment: ``segment, start, end, n, mean,
mean_moving_range, lpl, upl, short_segment_warning, variation_type`` (the point type at the
segment's latest date).

Choices where the R package gives no usable answer (recorded in ``result.warnings``):

* A trend window that contains a missing value and whose other steps all go the same way stops
  R with "missing value where TRUE/FALSE needed"; here the window simply does not qualify.
* A rebase date that matches no point is ignored, as the package does; so is an integer
  position outside ``0..len(values)-1``.
"""

from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

__all__ = [
    "analyse",
    "SPCResult",
    "LIMIT",
    "LIMIT_CLOSE",
    "SCREEN_FACTOR",
    "SHORT_SEGMENT_THRESHOLD",
    "POINT_TYPES",
    "SPECIAL_CAUSE_TYPES",
    "VARIATION_ICONS",
    "ASSURANCE_ICONS",
]

LIMIT = 2.66  # 3 / d2 (d2 = 1.128), rounded as in the package
LIMIT_CLOSE = 2 * (LIMIT / 3)  # 1.7733..., the "2-sigma" line
SCREEN_FACTOR = 3.267  # D4 for n = 2
RUN_LENGTH = 7
TREND_LENGTH = 7
SHORT_SEGMENT_THRESHOLD = 13  # a segment with fewer points than this gets the warning
MIN_FIX_AFTER_N_POINTS = 12

IMPROVEMENT_DIRECTIONS = {"increase": 1, "decrease": -1, "neutral": 0}

COMMON_CAUSE = "Common Cause"
ABOVE_UCL = "Above UCL"
BELOW_LCL = "Below LCL"
TREND_UP = "7 Point Trend (Increasing)"
TREND_DOWN = "7 Point Trend (Decreasing)"
TWO_IN_THREE_ABOVE = "2 in 3 Above CL"
TWO_IN_THREE_BELOW = "2 in 3 Below CL"
RUN_ABOVE = "7 Points Above CL"
RUN_BELOW = "7 Points Below CL"

SPECIAL_CAUSE_TYPES = (
    ABOVE_UCL,
    BELOW_LCL,
    TREND_UP,
    TREND_DOWN,
    TWO_IN_THREE_ABOVE,
    TWO_IN_THREE_BELOW,
    RUN_ABOVE,
    RUN_BELOW,
    COMMON_CAUSE,
)
_HIGH_TYPES = frozenset({ABOVE_UCL, TREND_UP, TWO_IN_THREE_ABOVE, RUN_ABOVE})
_LOW_TYPES = frozenset({BELOW_LCL, TREND_DOWN, TWO_IN_THREE_BELOW, RUN_BELOW})

POINT_TYPES = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
VARIATION_ICONS = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
ASSURANCE_ICONS = ("pass", "fail", "inconsistent")

SHORT_SEGMENT_MESSAGE = (
    "Some segments have 12 or fewer points: their limits are trial limits, "
    "which will be revised with each additional point."
)


@dataclass(frozen=True)
class SPCResult:
    """The outcome of :func:`analyse` (see the module docstring for the columns)."""

    points: pd.DataFrame
    segments: pd.DataFrame
    variation_icon: str
    assurance_icon: str | None
    short_segment_warning: bool
    improvement: str
    target: float | None
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# input handling


def _as_values(values: Iterable[Any]) -> np.ndarray:
    if isinstance(values, (str, bytes)):
        raise ValueError("values must be a sequence of numbers, not a string")
    out = []
    for i, v in enumerate(list(values)):
        if v is None or v is pd.NA or v is pd.NaT:
            out.append(math.nan)
        elif isinstance(v, (bool, np.bool_)) or not isinstance(v, (numbers.Real, np.number)):
            raise ValueError(f"values must be numbers (or None/NaN for missing); item {i} is {v!r}")
        else:
            out.append(float(v))
    return np.asarray(out, dtype=float)


def _is_position(item: Any) -> bool:
    return isinstance(item, (numbers.Integral, np.integer)) and not isinstance(item, (bool, np.bool_))


def _is_number(item: Any) -> bool:
    return isinstance(item, (numbers.Real, np.number)) and not isinstance(item, (bool, np.bool_))


class _DateKeys:
    """Turns ``dates`` into sortable keys, and rebase dates into the same keys."""

    def __init__(self, dates: Sequence[Any], n: int):
        dates = list(dates)
        if len(dates) != n:
            raise ValueError(f"dates has {len(dates)} items but values has {n}; they must match")
        for i, d in enumerate(dates):
            if d is None or d is pd.NaT or d is pd.NA or (isinstance(d, float) and math.isnan(d)):
                raise ValueError(f"dates must not be missing (item {i} is {d!r})")
        self.kind: str
        if n and all(isinstance(d, pd.Period) for d in dates):
            freqs = {d.freqstr for d in dates}
            if len(freqs) != 1:
                raise ValueError(f"dates mixes period frequencies: {sorted(freqs)}")
            self.kind = "period"
            self.freq = dates[0].freq
            self.keys = np.array([d.ordinal for d in dates], dtype=np.int64)
        elif n and all(_is_number(d) for d in dates):
            self.kind = "number"
            self.keys = np.array([float(d) for d in dates], dtype=float)
        else:
            self.kind = "datetime"
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)  # "could not infer format"
                    stamps = pd.to_datetime(pd.Index(dates, dtype=object))
            except (ValueError, TypeError) as exc:
                raise ValueError(
                    "dates must be dates, datetimes, pandas Periods, numbers or date strings "
                    f"such as '2023-04-01' ({exc})"
                ) from exc
            if stamps.tz is not None:
                stamps = stamps.tz_convert("UTC").tz_localize(None)
            self.keys = stamps.as_unit("ns").asi8
        order = np.argsort(self.keys, kind="stable")
        sorted_keys = self.keys[order]
        dup = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1])
        if dup.size:
            first = dates[order[dup[0]]]
            raise ValueError(f"duplicate dates found (for example {first!r}); each date must appear once")

    def key(self, item: Any) -> Any:
        """The key of a rebase date, or None when it cannot be read as a date of this kind."""
        try:
            if self.kind == "period":
                return pd.Period(item, freq=self.freq).ordinal
            if self.kind == "number":
                return float(item) if _is_number(item) else None
            stamp = pd.Timestamp(item)
            if stamp is pd.NaT:
                return None
            if stamp.tz is not None:
                stamp = stamp.tz_convert("UTC").tz_localize(None)
            return stamp.as_unit("ns").value
        except (ValueError, TypeError):
            return None


def _rebase_items(rebase_at: Any) -> list[Any]:
    if rebase_at is None:
        return []
    if isinstance(rebase_at, (str, bytes)) or not isinstance(rebase_at, Iterable):
        return [rebase_at]
    return list(rebase_at)


# --------------------------------------------------------------------------------------------
# arithmetic


def _mean(x: np.ndarray) -> float:
    """Mean ignoring NaN, correctly rounded (R accumulates in long double); NaN when empty."""
    x = x[~np.isnan(x)]
    if x.size == 0:
        return math.nan
    if not np.all(np.isfinite(x)):
        return float(np.mean(x))
    # exactly: every double is an integer over a power of two, so the sum is one integer over the
    # largest of them, and Python's int / int rounds correctly (as Fraction's sum did, ten times slower)
    ratios = [v.as_integer_ratio() for v in x.tolist()]
    scale = max(denominator for _, denominator in ratios)
    return sum(numerator * (scale // denominator) for numerator, denominator in ratios) / (scale * x.size)


def _segment_limits(y: np.ndarray, fix_n: int | None, screen: bool) -> dict[str, Any]:
    m = y.size
    in_baseline = np.arange(m) < (fix_n if fix_n is not None else m)
    fix_y = np.where(in_baseline, y, np.nan)
    mean = _mean(fix_y)
    mr = np.full(m, np.nan)
    if m > 1:
        mr[1:] = np.abs(np.diff(fix_y))
    amr0 = _mean(mr)
    if screen:
        with np.errstate(invalid="ignore"):
            keep = mr < SCREEN_FACTOR * amr0  # strict; NaN compares False
        kept = np.where(keep, mr, np.nan)
    else:
        kept = mr
    amr = _mean(kept)
    return {
        "in_baseline": in_baseline,
        "moving_range": mr,
        "screened_out": ~np.isnan(mr) & np.isnan(kept),
        "mean": mean,
        "amr": amr,
        "lpl": mean - LIMIT * amr,
        "upl": mean + LIMIT * amr,
        "nlpl": mean - LIMIT_CLOSE * amr,
        "nupl": mean + LIMIT_CLOSE * amr,
    }


def _positions(ys: np.ndarray, lim: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each point against its segment's limits: outside them, close to them (beyond the near
    limits but inside), and its side of the mean (-1, 0 or 1; NaN when missing)."""
    with np.errstate(invalid="ignore"):
        outside = (ys > lim["upl"]) | (ys < lim["lpl"])
        close = ~outside & ((ys < lim["nlpl"]) | (ys > lim["nupl"]))
        side = np.sign(ys - lim["mean"])
    return outside, close, side


# --------------------------------------------------------------------------------------------
# rules (one segment at a time; every array is in date order)


def _members(window_end: np.ndarray, length: int) -> np.ndarray:
    """Flag every point of a qualifying window, given the flags of the windows' last points."""
    out = np.zeros(window_end.size, dtype=bool)
    for end in np.flatnonzero(window_end):
        out[max(0, end - length + 1) : end + 1] = True
    return out


def _run_ends(rtm: np.ndarray) -> np.ndarray:
    """Window-end flags of 7 points in a row on one side of the mean."""
    ends = np.zeros(rtm.size, dtype=bool)
    if rtm.size >= RUN_LENGTH:
        w = sliding_window_view(rtm, RUN_LENGTH)
        ends[RUN_LENGTH - 1:] = ~np.isnan(w).any(axis=1) & (w[:, 0] != 0) & (w == w[:, :1]).all(axis=1)
    return ends


def _trend_ends(y: np.ndarray) -> tuple[np.ndarray, int]:
    """Window-end flags of 7-point trends, and the number of windows R would stop on (a missing
    step in a window whose other steps all go the same way)."""
    ends = np.zeros(y.size, dtype=bool)
    if y.size < TREND_LENGTH:
        return ends, 0
    steps = sliding_window_view(np.sign(np.diff(y)), TREND_LENGTH - 1)  # row k: the window ending at k + 6
    missing = np.isnan(steps)
    one_way = (np.where(missing, 1, steps) == 1).all(axis=1) | (np.where(missing, -1, steps) == -1).all(axis=1)
    gaps = missing.any(axis=1)
    ends[TREND_LENGTH - 1:] = one_way & ~gaps
    return ends, int((one_way & gaps).sum())


def _two_in_three(close: np.ndarray, rtm: np.ndarray) -> np.ndarray:
    """Points close to a limit, two of three in a row on the same side of the mean."""
    m = close.size
    part = np.zeros(m, dtype=bool)
    if m < 3:
        return part
    sides, near = sliding_window_view(rtm, 3), sliding_window_view(close, 3)  # row s covers s..s+2
    with np.errstate(invalid="ignore"):
        qualifies = ~np.isnan(sides).any(axis=1) & (near.sum(axis=1) >= 2) & (np.abs(sides.sum(axis=1)) == 3)
    for offset in range(3):
        part[offset:m - 2 + offset] |= qualifies
    return part & close


def _special_cause_types(
    y: np.ndarray, rtm: np.ndarray, close: np.ndarray, outside: np.ndarray
) -> tuple[list[str], int]:
    m = y.size
    trend_ends, undecidable = _trend_ends(y)
    trend = _members(trend_ends, TREND_LENGTH)
    two = _two_in_three(close, rtm)
    run = _members(_run_ends(rtm), RUN_LENGTH)

    labels = []
    for i in range(m):
        if outside[i]:
            labels.append(ABOVE_UCL if rtm[i] == 1 else BELOW_LCL)
        elif trend[i]:
            # a point that shares a trend with the next point takes the step to it,
            # otherwise the step from the previous point; a 0 step reads as "Decreasing"
            if i + 1 < m and trend[i + 1]:
                step = np.sign(y[i + 1] - y[i])
            else:
                step = np.sign(y[i] - y[i - 1]) if i > 0 else 0.0
            labels.append(TREND_UP if step == 1 else TREND_DOWN)
        elif two[i]:
            labels.append(TWO_IN_THREE_ABOVE if rtm[i] > 0 else TWO_IN_THREE_BELOW)
        elif run[i]:
            labels.append(RUN_ABOVE if rtm[i] > 0 else RUN_BELOW)
        else:
            labels.append(COMMON_CAUSE)
    return labels, undecidable


def _point_type(label: str, direction: int) -> str:
    v = 1 if label in _HIGH_TYPES else -1 if label in _LOW_TYPES else 0
    if direction == 0:
        return "special_cause_neutral_high" if v > 0 else "special_cause_neutral_low" if v < 0 else "common_cause"
    v *= direction
    return "special_cause_improvement" if v > 0 else "special_cause_concern" if v < 0 else "common_cause"


def _variation_icon(point_type: str, improvement: str) -> str:
    if point_type == "special_cause_improvement":
        return "improvement_high" if improvement == "increase" else "improvement_low"
    if point_type == "special_cause_concern":
        return "concern_low" if improvement == "increase" else "concern_high"
    if point_type == "special_cause_neutral_high":
        return "neutral_high"
    if point_type == "special_cause_neutral_low":
        return "neutral_low"
    return "common_cause"


def _assurance_icon(target: float | None, improvement: str, lpl: float, upl: float) -> str | None:
    if target is None or improvement == "neutral":
        return None
    increasing = improvement == "increase"
    if target > upl:  # strict: NaN limits and a target on a limit fall through
        return "fail" if increasing else "pass"
    if target < lpl:
        return "pass" if increasing else "fail"
    return "inconsistent"


# --------------------------------------------------------------------------------------------
# entry point


def analyse(
    values: Sequence[Any],
    dates: Sequence[Any] | None = None,
    *,
    improvement: str = "increase",
    target: float | None = None,
    rebase_at: Iterable[Any] = (),
    fix_after_n_points: int | None = None,
    screen_outliers: bool = True,
) -> SPCResult:
    """XmR SPC of one series, as NHSRplotthedots 0.2.2 ``ptd_spc()`` computes it.

    ``values``: numbers, None/NaN for missing.  ``dates``: optional, same length (dates,
    datetimes, date strings, pandas Periods or numbers); points are analysed in date order and
    duplicates are an error.  Without dates, input order is the time order.

    ``improvement``: "increase", "decrease" or "neutral".  ``target``: number or None (NaN is
    treated as None).  ``rebase_at``: dates (matched against ``dates``) and/or 0-based integer
    positions into ``values``; the point on a rebase date is the first of a new segment.
    ``fix_after_n_points`` (>= 12): each segment's limits come from its first n points and are
    held after.  ``screen_outliers``: drop moving ranges not strictly below 3.267 x mR-bar.
    """
    direction = _direction(improvement)
    fix_after_n_points = _fix_after(fix_after_n_points)
    target = _target(target)
    y_in = _as_values(values)
    n = y_in.size
    if n == 0:
        raise ValueError("values is empty: SPC needs at least one point")

    notes: list[str] = []
    keys, order, date_col = _time_order(dates, n)
    rebase = _rebase_flags(rebase_at, keys, n, notes)[order]
    segment = np.cumsum(rebase) - int(rebase[0])
    cols, labels, segments, undecidable = _segments(y_in[order], segment, fix_after_n_points, screen_outliers,
                                                    direction, [date_col[i] for i in order])
    inverse = np.empty(n, dtype=np.int64)  # back to input order
    inverse[order] = np.arange(n)
    points = _points(date_col, y_in, segment[inverse], {name: column[inverse] for name, column in cols.items()},
                     labels[inverse], direction, target)

    short_any = bool(cols["short_segment_warning"].any())
    notes += _result_notes(short_any, undecidable)
    last = order[-1]  # the latest date, always in the last segment
    return SPCResult(
        points=points,
        segments=segments,
        variation_icon=_variation_icon(str(points["point_type"].iloc[last]), improvement),
        assurance_icon=_assurance_icon(target, improvement, cols["lpl"][-1], cols["upl"][-1]),
        short_segment_warning=short_any,
        improvement=improvement,
        target=target,
        warnings=notes,
    )


# --------------------------------------------------------------------------------------------
# the steps of analyse


def _result_notes(short_segment: bool, undecidable: int) -> list[str]:
    """The warnings about the result as a whole: trial limits, and trend windows R would stop on."""
    notes = [SHORT_SEGMENT_MESSAGE] if short_segment else []
    if undecidable:
        notes.append(
            f"{undecidable} seven-point trend window(s) contain a missing value with every other "
            "step in the same direction; NHSRplotthedots stops with an error there, here they do not signal"
        )
    return notes


def _direction(improvement: Any) -> int:
    """The improvement direction as 1, -1 or 0, or an error for anything else."""
    if not isinstance(improvement, str) or improvement not in IMPROVEMENT_DIRECTIONS:
        raise ValueError(
            f"improvement must be one of 'increase', 'decrease' or 'neutral', not {improvement!r}"
        )
    return IMPROVEMENT_DIRECTIONS[improvement]


def _fix_after(fix_after_n_points: Any) -> int | None:
    """``fix_after_n_points`` checked (a whole number of at least 12) as an int, or None."""
    if fix_after_n_points is None:
        return None
    if not _is_number(fix_after_n_points) or fix_after_n_points != math.floor(fix_after_n_points):
        raise ValueError(f"fix_after_n_points must be a whole number of at least 12, not {fix_after_n_points!r}")
    if fix_after_n_points < MIN_FIX_AFTER_N_POINTS:
        raise ValueError(
            f"fix_after_n_points must be at least {MIN_FIX_AFTER_N_POINTS} (got {fix_after_n_points})"
        )
    return int(fix_after_n_points)


def _target(target: Any) -> float | None:
    """The target as a float, None for none (or NaN), or an error for anything but a number."""
    if target is None:
        return None
    if not _is_number(target):
        raise ValueError(f"target must be a number or None, not {target!r}")
    return None if math.isnan(float(target)) else float(target)


def _time_order(dates: Sequence[Any] | None, n: int) -> tuple[_DateKeys | None, np.ndarray, list[Any]]:
    """The dates' keys (None without dates), the positions of the points in date order, and each
    point's ``date`` column value (its date, or its position without dates)."""
    if dates is None:
        return None, np.arange(n), list(range(n))
    if isinstance(dates, (str, bytes)):
        raise ValueError("dates must be a sequence, not a string")
    date_list = list(dates)
    keys = _DateKeys(date_list, n)
    return keys, np.argsort(keys.keys, kind="stable"), date_list


def _rebase_flags(rebase_at: Any, keys: _DateKeys | None, n: int, notes: list[str]) -> np.ndarray:
    """True at each point (in input order) that starts a new segment; a rebase that matches no
    point is noted in ``notes`` and ignored."""
    flags = np.zeros(n, dtype=bool)
    for item in _rebase_items(rebase_at):
        if _is_position(item):
            if 0 <= int(item) < n:
                flags[int(item)] = True
            else:
                notes.append(f"rebase position {item!r} is outside 0..{n - 1} and was ignored")
            continue
        if keys is None:
            raise ValueError(
                f"rebase_at item {item!r} is not an integer position; pass dates= to rebase on dates"
            )
        key = keys.key(item)
        hits = np.flatnonzero(keys.keys == key) if key is not None else np.array([], dtype=int)
        if hits.size:
            flags[hits] = True
        else:
            notes.append(f"rebase date {item!r} matches no point and was ignored")
    return flags


# each column of result.points worked out segment by segment → what it starts as (no segment yet)
_SEGMENT_COLUMNS = {
    "in_baseline": False, "moving_range": np.nan, "moving_range_screened_out": False, "mean": np.nan,
    "mean_moving_range": np.nan, "lpl": np.nan, "upl": np.nan, "near_lpl": np.nan, "near_upl": np.nan,
    "outside_limits": False, "relative_to_mean": np.nan, "close_to_limits": False, "short_segment_warning": False,
}
# the limits of _segment_limits → the column they fill
_LIMIT_COLUMNS = {"in_baseline": "in_baseline", "moving_range": "moving_range",
                  "screened_out": "moving_range_screened_out", "mean": "mean", "amr": "mean_moving_range",
                  "lpl": "lpl", "upl": "upl", "nlpl": "near_lpl", "nupl": "near_upl"}


def _segments(y: np.ndarray, segment: np.ndarray, fix_n: int | None, screen: bool, direction: int,
              dates: list[Any]) -> tuple[dict[str, np.ndarray], np.ndarray, pd.DataFrame, int]:
    """Limits, positions and rule labels of every point, one segment at a time, all in date order
    (``dates``: each point's date column value): the columns, the labels, ``result.segments``, and
    the number of trend windows R would stop on."""
    n = y.size
    cols = {name: np.full(n, start, dtype=type(start)) for name, start in _SEGMENT_COLUMNS.items()}
    labels = np.empty(n, dtype=object)
    rows = []
    undecidable_total = 0
    for seg in range(int(segment[-1]) + 1):
        idx = np.flatnonzero(segment == seg)
        ys = y[idx]
        lim = _segment_limits(ys, fix_n, screen)
        outside, close, rtm = _positions(ys, lim)
        seg_labels, undecidable = _special_cause_types(ys, rtm, close, outside)
        undecidable_total += undecidable
        short = idx.size < SHORT_SEGMENT_THRESHOLD
        for name, column in _LIMIT_COLUMNS.items():
            cols[column][idx] = lim[name]
        cols["outside_limits"][idx] = outside
        cols["relative_to_mean"][idx] = rtm
        cols["close_to_limits"][idx] = close
        cols["short_segment_warning"][idx] = short
        labels[idx] = seg_labels
        rows.append({"segment": seg, "start": dates[idx[0]], "end": dates[idx[-1]], "n": int(idx.size),
                     "mean": lim["mean"], "mean_moving_range": lim["amr"], "lpl": lim["lpl"], "upl": lim["upl"],
                     "short_segment_warning": short, "variation_type": _point_type(seg_labels[-1], direction)})
    return cols, labels, pd.DataFrame(rows), undecidable_total


def _points(dates: list[Any], y: np.ndarray, segment: np.ndarray, cols: dict[str, np.ndarray],
            labels: np.ndarray, direction: int, target: float | None) -> pd.DataFrame:
    """``result.points``: every array in input order."""
    point_types = [_point_type(label, direction) for label in labels]
    points = pd.DataFrame(
        {
            "date": dates,
            "value": y,
            "segment": segment.astype(np.int64),
            **{name: column for name, column in cols.items() if name != "short_segment_warning"},
            "special_cause_type": pd.array(labels.tolist(), dtype="str"),
            "special_cause_flag": labels != COMMON_CAUSE,
            "point_type": pd.array(point_types, dtype="str"),
            "short_segment_warning": cols["short_segment_warning"],
            "target": np.full(y.size, np.nan if target is None else target),
        }
    )
    points["special_cause_flag"] = points["special_cause_flag"].astype(bool)
    return points


def icons(values: Sequence[Any], *, improvement: str = "increase", target: float | None = None,
          rebase_at: Iterable[int] = ()) -> tuple[str, str | None]:
    """The variation and assurance icons that :func:`analyse` gives the latest point, working out
    only the latest segment, which is all they depend on (a summary needs the icons of every metric;
    the chart needs the full analysis of one). ``values`` in time order; ``rebase_at`` 0-based
    positions; outliers screened, limits not fixed, as analyse's defaults."""
    direction = IMPROVEMENT_DIRECTIONS[improvement]
    y = _as_values(values)
    if y.size == 0:
        raise ValueError("values is empty: SPC needs at least one point")
    start = max((int(p) for p in rebase_at if 0 < int(p) < y.size), default=0)
    ys = y[start:]
    lim = _segment_limits(ys, None, True)
    outside, close, side = _positions(ys, lim)
    labels, _ = _special_cause_types(ys, side, close, outside)
    return (_variation_icon(_point_type(labels[-1], direction), improvement),
            _assurance_icon(target, improvement, lim["lpl"], lim["upl"]))
