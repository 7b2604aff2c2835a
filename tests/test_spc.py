"""Tests for portfolio.figures.spc: NHSRplotthedots 0.2.2 XmR rules (the rules as Making Data Count and the package state them).

The first part reproduces the package's published tests, snapshots and vignette examples; the
second part uses small series built by hand for each rule and edge case.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import time

import numpy as np
import pandas as pd
import pytest

from portfolio.figures.spc import (LIMIT, LIMIT_CLOSE, SPCResult, _assurance_icon, _members, _run_ends, _trend_ends,
                                   _two_in_three, analyse, icons)

# R: set.seed(123); rnorm(24), then rnorm(12, 5), then rnorm(12, -5)  (Mersenne-Twister, Inversion).
# The first 20 are the data of tests/testthat/test-ptd_spc.R and test-ptd_spc_standard.R.
RNORM_24 = [
    -0.5604756465522126, -0.23017748948328, 1.5587083141491243, 0.070508391424576,
    0.1292877351609463, 1.7150649868832817, 0.46091620598920247, -1.265061234606534,
    -0.686852851893526, -0.4456619700999582, 1.224081797439462, 0.3598138270573639,
    0.4007714505940522, 0.1106827159451197, -0.5558411347540749, 1.7869131368030788,
    0.4978504782292395, -1.966617156629638, 0.7013559015636855, -0.4727914077279341,
    -1.067823705986845, -0.2179749146582951, -1.0260044483072395, -0.7288912292911404,
]
RNORM_12_PLUS_5 = [
    4.374960732150743, 3.313306689257586, 5.837787044494524, 5.153373117836515,
    3.8618630629880517, 6.253814921069926, 5.426464221476814, 4.704928517007729,
    5.8951256610450224, 5.878133487533042, 5.821581081637487, 5.688640254100091,
]
RNORM_12_MINUS_5 = [
    -4.446082346462411, -5.061911710576721, -5.305962663739916, -5.380471001012383,
    -5.694706978920513, -5.207917278019599, -6.265396351568265, -2.831044034661487,
    -3.7920380016950093, -6.123108583203349, -5.402884835299076, -5.466655353623219,
]

# NHSRdatasets::ae_attendances, org_code "RJZ", type 1, breaches, 2016-04 .. 2019-03 (36 months).
RJZ_BREACHES = [
    3608, 3515, 3730, 3805, 2572, 4042, 4252, 4568, 5682, 4887, 3754, 4153,
    3277, 3364, 3348, 2805, 3048, 3336, 4147, 4449, 4846, 4931, 5103, 6284,
    4530, 4528, 3716, 4899, 3990, 4992, 4709, 5577, 6113, 6685, 6085, 5908,
]

CC = "Common Cause"


def days_from(start: dt.date, n: int) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range(n)]


def types(result: SPCResult) -> list[str]:
    return result.points["special_cause_type"].tolist()


def ptypes(result: SPCResult) -> list[str]:
    return result.points["point_type"].tolist()


def first(result: SPCResult, column: str) -> float:
    return float(result.points[column].iloc[0])


def alternating(k: int, low: float = 0, high: float = 10) -> list[float]:
    """[low, high] * k: mean (low+high)/2, every moving range high-low, never a signal."""
    return [low, high] * k


# ============================================================================================
# Published examples and tests of NHSRplotthedots 0.2.2
# ============================================================================================


class TestVignetteDeviations:
    """vignettes/deviations.Rmd, reference example 11 in spc_rules.md §2."""

    DATA = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    DATES = days_from(dt.date(2021, 3, 22), 18)

    def test_screened_limits(self):
        r = analyse(self.DATA, self.DATES)
        assert first(r, "mean") == pytest.approx(35 / 18)
        assert first(r, "mean") == pytest.approx(1.944, abs=5e-4)
        # mR0 = 32/17; threshold 3.267 * 1.882 = 6.15 removes the ranges 8 and 9, leaving mR = 1
        screened = r.points.loc[r.points["moving_range_screened_out"], "moving_range"].tolist()
        assert screened == [8.0, 9.0]
        assert first(r, "mean_moving_range") == pytest.approx(1.0)
        assert first(r, "upl") == pytest.approx(4.604, abs=5e-4)
        assert first(r, "lpl") == pytest.approx(-0.716, abs=5e-4)
        assert first(r, "upl") == pytest.approx(35 / 18 + 2.66)
        assert first(r, "near_upl") == pytest.approx(35 / 18 + 2 * 2.66 / 3)

    def test_unscreened_reproduces_excel(self):
        r = analyse(self.DATA, self.DATES, screen_outliers=False)
        assert first(r, "mean") == pytest.approx(35 / 18)
        assert first(r, "mean_moving_range") == pytest.approx(32 / 17)
        assert first(r, "upl") == pytest.approx(6.952, abs=5e-4)
        assert first(r, "lpl") == pytest.approx(-3.063, abs=5e-4)
        assert not r.points["moving_range_screened_out"].any()

    @pytest.mark.parametrize("screen", [True, False])
    def test_point_types(self, screen):
        r = analyse(self.DATA, self.DATES, screen_outliers=screen)
        assert types(r) == [CC] * 4 + ["Above UCL"] + [CC] * 13
        assert ptypes(r)[4] == "special_cause_improvement"
        assert r.variation_icon == "common_cause"
        assert r.assurance_icon is None
        assert r.short_segment_warning is False


class TestStandardSnapshots:
    """tests/testthat/_snaps/ptd_spc_standard.md: set.seed(123); rnorm(20) from 2020-01-02."""

    DATES = days_from(dt.date(2020, 1, 2), 20)

    def test_r1_limits(self):
        r = analyse(RNORM_24[:20], self.DATES)
        assert first(r, "mean") == pytest.approx(0.1416238, abs=5e-8)
        assert first(r, "lpl") == pytest.approx(-3.01138, abs=5e-6)
        assert first(r, "upl") == pytest.approx(3.294627, abs=5e-7)
        assert r.points["relative_to_mean"].tolist()[:15] == [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1]
        assert not r.points["outside_limits"].any()
        assert set(ptypes(r)) == {"common_cause"}
        assert r.points["segment"].tolist() == [0] * 20

    def test_r2_r3_screening_with_an_outlier(self):
        y = list(RNORM_24[:20])
        y[14] = 10  # R: data$y[15] <- 10
        r2 = analyse(y, self.DATES)
        r3 = analyse(y, self.DATES, screen_outliers=False)
        for r in (r2, r3):
            assert first(r, "mean") == pytest.approx(0.6694159, abs=5e-8)
            assert r.points["relative_to_mean"].tolist()[:14] == [-1, -1, 1, -1, -1, 1, -1, -1, -1, -1, 1, -1, -1, -1]
            assert not r.points["outside_limits"].iloc[:8].any()
        assert first(r2, "lpl") == pytest.approx(-2.383666, abs=5e-7)
        assert first(r2, "upl") == pytest.approx(3.722497, abs=5e-7)
        assert first(r3, "lpl") == pytest.approx(-4.596625, abs=5e-7)
        assert first(r3, "upl") == pytest.approx(5.935457, abs=5e-7)
        r1 = analyse(RNORM_24[:20], self.DATES)
        assert len({first(r, "lpl") for r in (r1, r2, r3)}) == 3
        assert len({first(r, "upl") for r in (r1, r2, r3)}) == 3
        assert first(r3, "upl") - first(r3, "lpl") > first(r2, "upl") - first(r2, "lpl")

    def test_fix_after_12_changes_limits(self):
        s0 = analyse(RNORM_24[:20], self.DATES)
        s1 = analyse(RNORM_24[:20], self.DATES, fix_after_n_points=12)
        assert first(s1, "lpl") != first(s0, "lpl")
        assert first(s1, "upl") != first(s0, "upl")

    def test_rebase_sets_segment(self):
        r = analyse(RNORM_24[:20], self.DATES, rebase_at=[self.DATES[10]])
        assert r.points["segment"].tolist() == [0] * 10 + [1] * 10


class TestSummarySnapshots:
    """tests/testthat/_snaps/ptd_spc.md (summary() of the rnorm(20) data)."""

    DATES = days_from(dt.date(2020, 1, 2), 20)

    def test_single_group(self):
        r = analyse(RNORM_24[:20], self.DATES)
        seg = r.segments.iloc[0]
        assert (seg["mean"], seg["lpl"], seg["upl"]) == (
            pytest.approx(0.142, abs=5e-4), pytest.approx(-3.01, abs=5e-3), pytest.approx(3.29, abs=5e-3))
        assert seg["n"] == 20
        assert seg["variation_type"] == "common_cause"
        assert ptypes(r).count("common_cause") == 20

    def test_rebase_date_before_the_data_is_ignored(self):
        # test-ptd_spc.R: rebase = as.Date("2020-01-01"), data from 2020-01-02: one group
        r = analyse(RNORM_24[:20], self.DATES, rebase_at=[dt.date(2020, 1, 1)])
        plain = analyse(RNORM_24[:20], self.DATES)
        assert len(r.segments) == 1
        pd.testing.assert_frame_equal(r.points, plain.points)
        assert r.warnings == ["rebase date datetime.date(2020, 1, 1) matches no point and was ignored"]
        assert plain.warnings == []

    @pytest.mark.parametrize(
        "part, expected",
        [(slice(0, 10), (0.0746, -2.60, 2.75)), (slice(10, 20), (0.209, -3.28, 3.70))],
    )
    def test_facets(self, part, expected):
        r = analyse(RNORM_24[part], self.DATES[part])
        mean, lpl, upl = expected
        assert first(r, "mean") == pytest.approx(mean, abs=5e-5 if mean < 0.1 else 5e-4)
        assert first(r, "lpl") == pytest.approx(lpl, abs=5e-3)
        assert first(r, "upl") == pytest.approx(upl, abs=5e-3)
        assert ptypes(r).count("common_cause") == 10
        assert r.short_segment_warning is True

    def test_target(self):
        r = analyse(RNORM_24[:20], self.DATES, target=0.5)
        assert r.assurance_icon == "inconsistent"
        assert r.points["target"].tolist() == [0.5] * 20


class TestGeomIconExamples:
    """tests/testthat/test-geom_ptd_icon.R s1-s9 (reference examples 06-10)."""

    DATES = days_from(dt.date(2020, 1, 2), 24)

    def test_s1_s2(self):
        s1 = analyse(RNORM_24, self.DATES)
        assert (s1.variation_icon, s1.assurance_icon) == ("common_cause", None)
        s2 = analyse(RNORM_24, self.DATES, target=0.5)
        assert (s2.variation_icon, s2.assurance_icon) == ("common_cause", "inconsistent")

    @pytest.mark.parametrize("facet", [slice(0, 12), slice(12, 24)])
    def test_s3_s4_facets(self, facet):
        s3 = analyse(RNORM_24[facet], self.DATES[facet])
        assert (s3.variation_icon, s3.assurance_icon) == ("common_cause", None)
        s4 = analyse(RNORM_24[facet], self.DATES[facet], target=0.5)
        assert (s4.variation_icon, s4.assurance_icon) == ("common_cause", "inconsistent")

    @pytest.mark.parametrize(
        "improvement, variation, assurance",
        [("increase", "improvement_high", "pass"), ("decrease", "concern_high", "fail")],
    )
    def test_s5_s6_second_half_high(self, improvement, variation, assurance):
        r = analyse(RNORM_24[:12] + RNORM_12_PLUS_5, self.DATES, target=-3, improvement=improvement)
        assert (r.variation_icon, r.assurance_icon) == (variation, assurance)

    @pytest.mark.parametrize(
        "improvement, variation, assurance",
        [
            ("increase", "concern_low", "fail"),
            ("decrease", "improvement_low", "pass"),
            ("neutral", "neutral_low", None),
        ],
    )
    def test_s7_s8_s9_second_half_low(self, improvement, variation, assurance):
        r = analyse(RNORM_24[:12] + RNORM_12_MINUS_5, self.DATES, target=3, improvement=improvement)
        assert (r.variation_icon, r.assurance_icon) == (variation, assurance)


class TestAssuranceTable:
    """tests/testthat/test-ptd_calculate_assurance_type.R: limits (1,3), (5,7), (1,5), target 4."""

    @pytest.mark.parametrize(
        "lpl, upl, increase, decrease",
        [(1, 3, "fail", "pass"), (5, 7, "pass", "fail"), (1, 5, "inconsistent", "inconsistent")],
    )
    def test_table(self, lpl, upl, increase, decrease):
        assert _assurance_icon(4.0, "increase", lpl, upl) == increase
        assert _assurance_icon(4.0, "decrease", lpl, upl) == decrease
        assert _assurance_icon(4.0, "neutral", lpl, upl) is None
        assert _assurance_icon(None, "increase", lpl, upl) is None

    def test_strict_and_nan(self):
        assert _assurance_icon(3.0, "increase", 1, 3) == "inconsistent"
        assert _assurance_icon(1.0, "decrease", 1, 3) == "inconsistent"
        assert _assurance_icon(4.0, "increase", math.nan, math.nan) == "inconsistent"


class TestPointTypeHelpers:
    """tests/testthat/test-ptd_calculate_point_type.R, translated to 0-based window-end flags."""

    @staticmethod
    def flags(arr) -> list[int]:
        return [int(v) for v in arr]

    def test_seven_point_one_side_mean(self):
        assert self.flags(_run_ends(np.array([], dtype=float))) == []
        assert self.flags(_run_ends(np.ones(6))) == [0] * 6
        assert self.flags(_run_ends(np.array([1.0] * 6 + [-1.0]))) == [0] * 7
        assert self.flags(_run_ends(np.array([1.0] * 8 + [-1.0]))) == [0, 0, 0, 0, 0, 0, 1, 1, 0]
        assert self.flags(_run_ends(np.array([-1.0] * 8 + [1.0]))) == [0, 0, 0, 0, 0, 0, 1, 1, 0]
        assert self.flags(_run_ends(np.array([-1.0] + [1.0] * 8 + [-1.0]))) == [0, 0, 0, 0, 0, 0, 0, 1, 1, 0]
        assert self.flags(_run_ends(np.array([1.0] + [-1.0] * 8 + [1.0]))) == [0, 0, 0, 0, 0, 0, 0, 1, 1, 0]
        assert self.flags(_run_ends(np.zeros(8))) == [0] * 8  # on the mean is never a run

    def test_part_of_seven(self):
        assert self.flags(_members(np.zeros(6, dtype=bool), 7)) == [0] * 6
        ends = _run_ends(np.array([1.0] * 8 + [-1.0]))
        assert self.flags(_members(ends, 7)) == [1] * 8 + [0]

    def test_seven_point_trend(self):
        def trend(y):
            ends, undecidable = _trend_ends(np.asarray(y, dtype=float))
            assert undecidable == 0
            return self.flags(ends)

        assert trend([]) == []
        assert trend(range(1, 7)) == [0] * 6
        assert trend([1, 2, 3, 3, 4, 5, 6]) == [0] * 7
        assert trend(range(1, 8)) == [0] * 6 + [1]
        assert trend([2, *range(1, 8), 3]) == [0] * 7 + [1, 0]
        assert trend(range(7, 0, -1)) == [0] * 6 + [1]
        assert trend([2, *range(7, 0, -1), 3]) == [0] * 7 + [1, 0]
        assert self.flags(_members(_trend_ends(np.arange(1.0, 8.0))[0], 7)) == [1] * 7

    @pytest.mark.parametrize(
        "close, expected",
        [
            ([], []),
            ([0, 0, 0], [0, 0, 0]),
            ([1, 0, 1], [1, 0, 1]),
            ([0, 1, 1], [0, 1, 1]),
            ([1, 1, 0], [1, 1, 0]),
            ([0, 0, 1, 0, 1, 0, 0], [0, 0, 1, 0, 1, 0, 0]),
            ([0, 0, 1, 1, 0, 0, 0], [0, 0, 1, 1, 0, 0, 0]),
            ([1, 0, 0, 1], [0, 0, 0, 0]),
            ([1, 0, 0, 1, 1], [0, 0, 0, 1, 1]),
        ],
    )
    def test_two_in_three_same_side(self, close, expected):
        close_arr = np.array(close, dtype=bool)
        assert self.flags(_two_in_three(close_arr, np.ones(len(close)))) == expected

    def test_two_in_three_opposite_sides(self):
        # test-ptd_calculate_point_type.R:174-187 (issue #143)
        assert self.flags(_two_in_three(np.array([1, 1, 0], dtype=bool), np.array([1.0, -1.0, 1.0]))) == [0, 0, 0]
        assert self.flags(_two_in_three(np.array([1, 0, 1], dtype=bool), np.array([1.0, 1.0, -1.0]))) == [0, 0, 0]


def test_two_close_points_on_opposite_sides_do_not_signal():
    # tests/testthat/test-ptd_spc_standard.R:97-114
    data = [1.0, -1.0] * 8
    data[14], data[15] = 5.5, -5.5
    r = analyse(data, days_from(dt.date(2020, 1, 2), 16))
    assert r.points["close_to_limits"].tolist()[-2:] == [True, True]
    assert ptypes(r)[-2:] == ["common_cause", "common_cause"]
    assert set(types(r)) == {CC}


class TestRJZBreaches:
    """Reference example 12 (spc_rules.md §8): RJZ type-1 breaches, lower is better."""

    DATES = [pd.Period("2016-04", freq="M") + i for i in range(36)]

    def result(self):
        return analyse(RJZ_BREACHES, self.DATES, improvement="decrease")

    def test_trend_beats_run(self):
        r = self.result()
        assert first(r, "mean") == pytest.approx(sum(RJZ_BREACHES) / 36)
        # positions 10-18 are a 9-point run below the mean ...
        assert r.points["relative_to_mean"].iloc[10:19].tolist() == [-1.0] * 9
        assert r.points["relative_to_mean"].iloc[[9, 19]].tolist() == [1.0, 1.0]
        # ... but 16-18 also belong to a rising trend, which wins: concern, not improvement
        assert types(r)[16:19] == ["7 Point Trend (Increasing)"] * 3
        assert ptypes(r)[16:19] == ["special_cause_concern"] * 3
        assert types(r)[10:16] == ["7 Points Below CL", "7 Points Below CL", "2 in 3 Below CL",
                                   "2 in 3 Below CL", "2 in 3 Below CL", "Below LCL"]
        assert ptypes(r)[10:16] == ["special_cause_improvement"] * 6

    def test_precedence_and_icon(self):
        r = self.result()
        assert types(r)[22:24] == ["7 Point Trend (Increasing)", "Above UCL"]
        assert types(r)[31:36] == ["7 Points Above CL", "Above UCL", "Above UCL", "Above UCL", "7 Points Above CL"]
        assert r.variation_icon == "concern_high"


# ============================================================================================
# Hand-built series: each rule and edge
# ============================================================================================


class TestBeyondLimits:
    HIGH = alternating(12) + [40]  # mean 6.4; last MR 30 kept; mR = 260/24
    LOW = alternating(12) + [-30]  # mean 3.6; last MR 40 screened out; mR = 10

    def test_limits(self):
        high = analyse(self.HIGH)
        assert first(high, "mean") == pytest.approx(6.4)
        assert first(high, "mean_moving_range") == pytest.approx(260 / 24)
        assert first(high, "upl") == pytest.approx(6.4 + 2.66 * 260 / 24)
        assert first(high, "lpl") == pytest.approx(6.4 - 2.66 * 260 / 24)
        low = analyse(self.LOW)
        assert first(low, "mean") == pytest.approx(3.6)
        assert first(low, "mean_moving_range") == pytest.approx(10.0)
        assert first(low, "lpl") == pytest.approx(-23.0)
        assert first(low, "upl") == pytest.approx(30.2)
        assert low.points["moving_range_screened_out"].tolist() == [False] * 24 + [True]

    @pytest.mark.parametrize(
        "series, improvement, point_type, icon",
        [
            ("HIGH", "increase", "special_cause_improvement", "improvement_high"),
            ("HIGH", "decrease", "special_cause_concern", "concern_high"),
            ("HIGH", "neutral", "special_cause_neutral_high", "neutral_high"),
            ("LOW", "increase", "special_cause_concern", "concern_low"),
            ("LOW", "decrease", "special_cause_improvement", "improvement_low"),
            ("LOW", "neutral", "special_cause_neutral_low", "neutral_low"),
        ],
    )
    def test_types_and_icons(self, series, improvement, point_type, icon):
        r = analyse(getattr(self, series), improvement=improvement)
        label = "Above UCL" if series == "HIGH" else "Below LCL"
        assert types(r) == [CC] * 24 + [label]
        assert ptypes(r) == ["common_cause"] * 24 + [point_type]
        assert r.points["special_cause_flag"].tolist() == [False] * 24 + [True]
        assert r.variation_icon == icon

    def test_a_point_exactly_on_a_limit_is_close_not_outside(self):
        # limits from the first 14 points: mean 5, mR 10; then points exactly on each limit
        base = alternating(7)
        upl, lpl = 5 + 2.66 * 10, 5 - 2.66 * 10
        r = analyse(base + [upl, lpl], fix_after_n_points=14)
        assert (first(r, "upl"), first(r, "lpl")) == (upl, lpl)
        assert r.points["outside_limits"].iloc[-2:].tolist() == [False, False]  # strict
        assert r.points["close_to_limits"].iloc[-2:].tolist() == [True, True]
        assert types(r)[-2:] == [CC, CC]
        nudged = analyse(base + [np.nextafter(upl, 100), np.nextafter(lpl, -100)], fix_after_n_points=14)
        assert types(nudged)[-2:] == ["Above UCL", "Below LCL"]


class TestRuns:
    def test_seven_above(self):
        r = analyse([10, 0] * 5 + [6] * 7)
        assert first(r, "mean") == pytest.approx(92 / 17)
        assert first(r, "mean_moving_range") == pytest.approx((9 * 10 + 6) / 16)
        assert types(r) == [CC] * 10 + ["7 Points Above CL"] * 7
        assert ptypes(r)[10:] == ["special_cause_improvement"] * 7
        assert r.variation_icon == "improvement_high"

    def test_seven_below(self):
        r = analyse(alternating(5) + [4] * 7)
        assert types(r) == [CC] * 10 + ["7 Points Below CL"] * 7
        assert r.variation_icon == "concern_low"
        r = analyse(alternating(5) + [4] * 7, improvement="decrease")
        assert ptypes(r)[10:] == ["special_cause_improvement"] * 7
        assert r.variation_icon == "improvement_low"

    def test_run_of_eight_is_flagged_in_full(self):
        r = analyse(alternating(5) + [6] * 7)  # the 10 before the sixes is above the mean too
        assert types(r) == [CC] * 9 + ["7 Points Above CL"] * 8

    def test_six_is_not_a_run(self):
        r = analyse([10, 0] * 5 + [6] * 6 + [0, 10])
        assert set(types(r)) == {CC}

    def test_point_exactly_on_the_mean_breaks_the_run(self):
        # mean = (50 + 36 + x) / 17 = x  =>  x = 5.375 exactly
        r = analyse([10, 0] * 5 + [6, 6, 6, 5.375, 6, 6, 6])
        assert first(r, "mean") == 5.375
        assert r.points["relative_to_mean"].iloc[13] == 0.0
        assert set(types(r)) == {CC}


class TestTrends:
    RISE = alternating(5) + [2, 4, 6, 8, 10, 12, 14] + alternating(2)

    def test_seven_increasing(self):
        r = analyse(self.RISE)
        assert first(r, "mean") == pytest.approx(6.0)
        assert first(r, "mean_moving_range") == pytest.approx(154 / 20)
        assert types(r) == [CC] * 10 + ["7 Point Trend (Increasing)"] * 7 + [CC] * 4
        assert ptypes(r)[10:17] == ["special_cause_improvement"] * 7
        r = analyse(self.RISE, improvement="decrease")
        assert ptypes(r)[10:17] == ["special_cause_concern"] * 7

    def test_seven_decreasing(self):
        r = analyse([-v for v in self.RISE])
        assert types(r) == [CC] * 10 + ["7 Point Trend (Decreasing)"] * 7 + [CC] * 4
        assert ptypes(r)[10:17] == ["special_cause_concern"] * 7
        r = analyse([-v for v in self.RISE], improvement="neutral")
        assert ptypes(r)[10:17] == ["special_cause_neutral_low"] * 7

    def test_six_points_is_not_a_trend(self):
        r = analyse(alternating(5) + [4, 6, 8, 10, 12, 14] + alternating(2))
        assert set(types(r)) == {CC}

    def test_a_tie_breaks_the_trend(self):
        r = analyse(alternating(5) + [2, 4, 6, 6, 10, 12, 14] + alternating(2))
        assert set(types(r)) == {CC}

    def test_peak_shared_by_two_trends_is_decreasing(self):
        r = analyse(alternating(6) + list(range(1, 8)) + list(range(6, 0, -1)) + [10, 0] * 3)
        assert types(r)[12:25] == ["7 Point Trend (Increasing)"] * 6 + ["7 Point Trend (Decreasing)"] * 7
        assert r.points["value"].iloc[18] == 7
        assert ptypes(r)[18] == "special_cause_concern"

    def test_tie_between_two_trends_is_labelled_decreasing(self):
        # package quirk: the step to the next point is 0, and only +1 reads as "Increasing"
        r = analyse(alternating(6) + list(range(1, 8)) + list(range(7, 14)) + alternating(3))
        assert types(r)[12:26] == (
            ["7 Point Trend (Increasing)"] * 6 + ["7 Point Trend (Decreasing)"] + ["7 Point Trend (Increasing)"] * 7
        )

    def test_trend_may_cross_the_mean(self):
        r = analyse(self.RISE)
        assert r.points["relative_to_mean"].iloc[10:17].tolist() == [-1, -1, 0, 1, 1, 1, 1]


class TestTwoInThree:
    SERIES = alternating(8) + [30, 12, 30] + alternating(4)

    def test_two_close_points_above(self):
        r = analyse(self.SERIES)
        mean, amr = 192 / 27, 306 / 26
        assert first(r, "mean") == pytest.approx(mean)
        assert first(r, "mean_moving_range") == pytest.approx(amr)
        assert first(r, "near_upl") == pytest.approx(mean + 2 * (2.66 / 3) * amr)
        assert first(r, "near_lpl") == pytest.approx(mean - LIMIT_CLOSE * amr)
        assert r.points["close_to_limits"].tolist() == [False] * 16 + [True, False, True] + [False] * 8
        # only the close points are flagged, not the middle one
        assert types(r) == [CC] * 16 + ["2 in 3 Above CL", CC, "2 in 3 Above CL"] + [CC] * 8
        assert ptypes(r)[16] == "special_cause_improvement"

    def test_two_close_points_below(self):
        r = analyse([-v for v in self.SERIES])
        assert types(r) == [CC] * 16 + ["2 in 3 Below CL", CC, "2 in 3 Below CL"] + [CC] * 8
        assert ptypes(r)[16] == "special_cause_concern"
        r = analyse([-v for v in self.SERIES], improvement="decrease")
        assert ptypes(r)[18] == "special_cause_improvement"

    def test_third_point_across_the_mean_stops_it(self):
        r = analyse(alternating(8) + [30, 2, 30] + alternating(4))
        assert r.points["close_to_limits"].iloc[[16, 18]].tolist() == [True, True]
        assert r.points["relative_to_mean"].iloc[17] == -1
        assert set(types(r)) == {CC}

    def test_point_beyond_the_limit_does_not_count_as_close(self):
        # issue #153: 50 is outside the UPL, 30 is between the 2-sigma line and the UPL
        r = analyse(alternating(8) + [50, 30] + alternating(4))
        assert first(r, "mean_moving_range") == pytest.approx(310 / 25)
        assert r.points["outside_limits"].iloc[16] == True  # noqa: E712
        assert r.points["close_to_limits"].iloc[16:18].tolist() == [False, True]
        assert types(r)[16:18] == ["Above UCL", CC]


class TestPrecedence:
    def test_limit_beats_trend(self):
        r = analyse(alternating(8) + [2, 6, 10, 14, 18, 22, 60])
        assert types(r)[16:] == ["7 Point Trend (Increasing)"] * 6 + ["Above UCL"]

    def test_trend_beats_run(self):
        r = analyse([20, 0] * 4 + [1, 2, 3, 4, 5, 6, 7] + [20, 0] * 4, improvement="decrease")
        assert r.points["relative_to_mean"].iloc[7:15].tolist() == [-1.0] * 8  # a run of 8 below
        assert types(r)[7:16] == ["7 Point Trend (Increasing)"] * 9
        assert ptypes(r)[8:15] == ["special_cause_concern"] * 7  # not improvement

    def test_two_in_three_beats_run(self):
        r = analyse(alternating(8) + [12, 12, 12, 12, 28, 12, 28])  # the 10 before them is above too
        assert types(r)[15:23] == (
            ["7 Points Above CL"] * 5 + ["2 in 3 Above CL", "7 Points Above CL", "2 in 3 Above CL"]
        )

    def test_trend_beats_two_in_three(self):
        r = analyse(RJZ_BREACHES, improvement="decrease")
        assert r.points["close_to_limits"].iloc[16:18].tolist() == [True, True]
        assert types(r)[16:18] == ["7 Point Trend (Increasing)"] * 2


class TestMissingValues:
    def test_nan_in_the_middle(self):
        r = analyse([0, 10, 0, None, 10, 0, 10, math.nan, 0, 10, 0, 10])
        p = r.points
        assert first(r, "mean") == pytest.approx(50 / 10)
        # both ranges touching a gap are missing; none bridges it
        assert p["moving_range"].isna().tolist() == [True, False, False, True, True, False, False, True, True,
                                                     False, False, False]
        assert first(r, "mean_moving_range") == pytest.approx(10.0)
        assert math.isnan(p["value"].iloc[3]) and math.isnan(p["relative_to_mean"].iloc[3])
        assert p["outside_limits"].iloc[3] == False  # noqa: E712
        assert types(r)[3] == CC and ptypes(r)[3] == "common_cause"

    def test_nan_breaks_a_run(self):
        run = analyse([10, 0] * 5 + [6] * 7)
        assert types(run)[-7:] == ["7 Points Above CL"] * 7
        gap = analyse([10, 0] * 5 + [6, 6, 6, None, 6, 6, 6, 6])
        assert set(types(gap)) == {CC}

    def test_nan_inside_a_trend_window_does_not_signal_and_warns(self):
        series = alternating(5) + [2, 4, 6, None, 10, 12, 14] + alternating(2)
        r = analyse(series)
        assert set(types(r)) == {CC}
        assert any("seven-point trend window" in w for w in r.warnings)
        # a window whose known steps disagree is simply not a trend, with no warning
        r = analyse(alternating(5) + [2, 4, 6, None, 10, 8, 14] + alternating(2))
        assert not any("trend" in w for w in r.warnings)

    def test_nan_last_point_is_common_cause(self):
        r = analyse(alternating(12) + [40, None])
        assert r.variation_icon == "common_cause"
        assert types(r)[-2:] == ["Above UCL", CC]


class TestDegenerate:
    def test_constant_series_screened(self):
        r = analyse([5] * 15, target=4)
        assert first(r, "mean") == 5
        assert math.isnan(first(r, "mean_moving_range"))
        assert r.points[["lpl", "upl", "near_lpl", "near_upl"]].isna().all().all()
        assert r.points["moving_range_screened_out"].iloc[1:].all()
        assert set(ptypes(r)) == {"common_cause"}
        assert r.assurance_icon == "inconsistent"
        assert r.variation_icon == "common_cause"

    def test_constant_series_unscreened(self):
        r = analyse([5] * 15, screen_outliers=False, target=4)
        assert (first(r, "lpl"), first(r, "mean"), first(r, "upl")) == (5.0, 5.0, 5.0)
        assert not r.points["outside_limits"].any() and not r.points["close_to_limits"].any()
        assert set(ptypes(r)) == {"common_cause"}
        assert r.assurance_icon == "pass"  # 4 < lpl

    def test_constant_segments_still_test_runs(self):
        # all ranges are 0 (one is missing), so the limits are NaN, but the mean is 3
        r = analyse([1] * 7 + [None] + [5] * 7)
        assert math.isnan(first(r, "upl"))
        assert types(r) == ["7 Points Below CL"] * 7 + [CC] + ["7 Points Above CL"] * 7

    def test_one_point(self):
        r = analyse([42])
        assert first(r, "mean") == 42
        assert math.isnan(first(r, "lpl")) and math.isnan(first(r, "upl"))
        assert types(r) == [CC]
        assert r.variation_icon == "common_cause"
        assert r.assurance_icon is None
        assert r.short_segment_warning is True
        assert analyse([42], target=40).assurance_icon == "inconsistent"

    def test_two_points(self):
        r = analyse([1, 3])
        assert first(r, "mean") == 2
        assert first(r, "mean_moving_range") == 2
        assert first(r, "upl") == pytest.approx(2 + 2 * 2.66)
        assert first(r, "lpl") == pytest.approx(2 - 2 * 2.66)
        assert types(r) == [CC, CC]

    def test_short_segment_warning_threshold(self):
        assert analyse(alternating(6)).short_segment_warning is True  # 12 points
        long = analyse(alternating(6) + [0])  # 13 points
        assert long.short_segment_warning is False
        assert long.warnings == []
        r = analyse(alternating(10), rebase_at=[8])  # 8 + 12 points
        assert r.short_segment_warning is True
        assert r.points["short_segment_warning"].tolist() == [True] * 20
        assert r.segments["short_segment_warning"].tolist() == [True, True]
        r = analyse(alternating(13), rebase_at=[13])  # 13 + 13
        assert r.short_segment_warning is False


class TestRebase:
    DATES = [pd.Period("2022-01", freq="M") + i for i in range(28)]
    SERIES = alternating(7) + alternating(7, 100, 110)

    def test_by_position(self):
        r = analyse(self.SERIES, rebase_at=[14])
        self._check(r)

    def test_by_date(self):
        for when in ("2023-03", pd.Period("2023-03", freq="M"), dt.date(2023, 3, 1)):
            r = analyse(self.SERIES, self.DATES, rebase_at=[when])
            self._check(r)
            assert r.segments["start"].tolist() == [self.DATES[0], self.DATES[14]]

    def test_by_date_with_datetimes_and_strings(self):
        stamps = pd.date_range("2022-01-01", periods=28, freq="MS")
        for dates in (list(stamps), [s.strftime("%Y-%m-%d") for s in stamps]):
            self._check(analyse(self.SERIES, dates, rebase_at=["2023-03-01"]))
            self._check(analyse(self.SERIES, dates, rebase_at=pd.Timestamp("2023-03-01")))

    def _check(self, r):
        p = r.points
        assert p["segment"].tolist() == [0] * 14 + [1] * 14
        assert p["mean"].tolist() == [5.0] * 14 + [105.0] * 14
        assert p["mean_moving_range"].tolist() == [10.0] * 28
        assert math.isnan(p["moving_range"].iloc[14])  # no range across the rebase
        assert p["lpl"].iloc[-1] == pytest.approx(105 - 26.6)
        assert set(types(r)) == {CC}
        assert r.segments["n"].tolist() == [14, 14]
        assert r.warnings == []

    def test_without_rebase_the_step_is_special_cause(self):
        r = analyse(self.SERIES)
        # mean 57.5; the range 90 is screened out, so mR = 10 and the limits are 57.5 -/+ 26.6
        assert first(r, "mean_moving_range") == pytest.approx(10.0)
        assert types(r) == ["Below LCL"] * 14 + ["Above UCL"] * 14
        assert r.variation_icon == "improvement_high"

    def test_rules_do_not_span_a_rebase(self):
        rising = list(range(1, 8))
        # one segment: mean 4, mR 1, limits 1.34 .. 6.66
        assert types(analyse(rising)) == ["Below LCL"] + ["7 Point Trend (Increasing)"] * 5 + ["Above UCL"]
        # segments [1, 2, 3] and [4, 5, 6, 7]: no trend, and each point inside its own limits
        r = analyse(rising, rebase_at=[3])
        assert r.points["mean"].tolist() == [2.0] * 3 + [5.5] * 4
        assert types(r) == [CC] * 7

    def test_unmatched_date_is_ignored(self):
        r = analyse(self.SERIES, self.DATES, rebase_at=["2030-01"])
        plain = analyse(self.SERIES, self.DATES)
        pd.testing.assert_frame_equal(r.points, plain.points)
        assert r.warnings == ["rebase date '2030-01' matches no point and was ignored"]

    def test_position_out_of_range_is_ignored(self):
        r = analyse(self.SERIES, rebase_at=[28, -1])
        assert r.points["segment"].tolist() == [0] * 28
        assert len(r.warnings) == 2 and all("outside 0..27" in w for w in r.warnings)

    def test_rebase_on_the_first_point_has_no_effect(self):
        r = analyse(self.SERIES, self.DATES, rebase_at=["2022-01", 0])
        pd.testing.assert_frame_equal(r.points, analyse(self.SERIES, self.DATES).points)

    def test_date_rebase_needs_dates(self):
        with pytest.raises(ValueError, match="pass dates="):
            analyse(self.SERIES, rebase_at=["2023-03"])

    def test_icons_use_the_last_segment(self):
        r = analyse(self.SERIES, rebase_at=[14], target=50)
        # first segment limits (-21.6, 31.6) would say fail; the last (78.4, 131.6) says pass
        assert r.assurance_icon == "pass"
        r = analyse(self.SERIES, rebase_at=[14], target=50, improvement="decrease")
        assert r.assurance_icon == "fail"


class TestFixAfterNPoints:
    SERIES = alternating(6) + [10, 0, 40, -30, 10]

    def test_limits_held_after_n(self):
        r = analyse(self.SERIES, fix_after_n_points=12)
        p = r.points
        assert p["in_baseline"].tolist() == [True] * 12 + [False] * 5
        assert p["mean"].tolist() == [5.0] * 17
        assert p["mean_moving_range"].tolist() == [10.0] * 17
        assert p["moving_range"].iloc[12:].isna().all()
        assert first(r, "upl") == pytest.approx(31.6)
        assert first(r, "lpl") == pytest.approx(-21.6)
        assert types(r) == [CC] * 14 + ["Above UCL", "Below LCL", CC]

    def test_differs_from_unfixed(self):
        r = analyse(self.SERIES)
        assert first(r, "mean") == pytest.approx(90 / 17)
        assert first(r, "upl") != pytest.approx(31.6)

    def test_fix_applies_again_after_a_rebase(self):
        series = self.SERIES + alternating(6, 100, 110) + [500]
        r = analyse(series, fix_after_n_points=12, rebase_at=[17])
        p = r.points
        assert p["mean"].iloc[17:].tolist() == [105.0] * 13
        assert p["in_baseline"].iloc[17:].tolist() == [True] * 12 + [False]
        assert types(r)[-1] == "Above UCL"

    def test_segment_shorter_than_n_uses_every_point(self):
        r = analyse(alternating(5), fix_after_n_points=12)
        assert r.points["in_baseline"].all()
        assert first(r, "mean") == 5

    @pytest.mark.parametrize("bad", [11, 0, -5, 12.5, "12", True])
    def test_invalid(self, bad):
        with pytest.raises(ValueError, match="fix_after_n_points"):
            analyse(self.SERIES, fix_after_n_points=bad)

    def test_twelve_and_integral_float_accepted(self):
        a = analyse(self.SERIES, fix_after_n_points=12)
        b = analyse(self.SERIES, fix_after_n_points=12.0)
        pd.testing.assert_frame_equal(a.points, b.points)


class TestScreening:
    def test_one_big_jump(self):
        series = alternating(10, 10, 12) + [40] + alternating(5, 10, 12)
        on = analyse(series)
        off = analyse(series, screen_outliers=False)
        ranges = [2] * 19 + [28, 30] + [2] * 9
        amr0 = sum(ranges) / 30
        assert first(off, "mean_moving_range") == pytest.approx(amr0)
        assert first(on, "mean_moving_range") == pytest.approx(2.0)  # 28 and 30 >= 3.267 * amr0
        assert first(on, "mean") == first(off, "mean") == pytest.approx((15 * 22 + 40) / 31)
        assert first(on, "upl") == pytest.approx(first(on, "mean") + 2.66 * 2)
        assert first(on, "upl") < first(off, "upl")
        assert on.points["moving_range_screened_out"].sum() == 2
        assert not off.points["moving_range_screened_out"].any()

    def test_screening_is_strict(self):
        # ranges 1, 1, 1, b with b == 3.267 * mean(1, 1, 1, b) exactly in floating point
        b = 13.371077762619372
        assert 3.267 * ((3 + b) / 4) == b
        r = analyse([1, 0, 1, 0, b])
        assert r.points["moving_range"].iloc[-1] == b
        assert r.points["moving_range_screened_out"].tolist() == [False] * 4 + [True]  # not strictly below
        assert first(r, "mean_moving_range") == 1.0
        kept = analyse([1, 0, 1, 0, 13.0])
        assert not kept.points["moving_range_screened_out"].any()
        assert first(kept, "mean_moving_range") == pytest.approx(16 / 4)


class TestAssurance:
    BASE = alternating(7)  # mean 5, mR 10: lpl -21.6, upl 31.6

    @pytest.mark.parametrize(
        "target, improvement, icon",
        [
            (40, "increase", "fail"),
            (-30, "increase", "pass"),
            (5, "increase", "inconsistent"),
            (40, "decrease", "pass"),
            (-30, "decrease", "fail"),
            (5, "decrease", "inconsistent"),
            (40, "neutral", None),
            (None, "increase", None),
            (None, "decrease", None),
            (math.nan, "increase", None),
        ],
    )
    def test_icons(self, target, improvement, icon):
        r = analyse(self.BASE, target=target, improvement=improvement)
        assert r.assurance_icon == icon

    @pytest.mark.parametrize("improvement", ["increase", "decrease"])
    def test_target_on_a_limit_is_inconsistent(self, improvement):
        r = analyse(self.BASE)
        for limit in ("upl", "lpl"):
            target = first(r, limit)
            assert analyse(self.BASE, target=target, improvement=improvement).assurance_icon == "inconsistent"

    def test_target_column(self):
        assert analyse(self.BASE, target=7).points["target"].tolist() == [7.0] * 14
        assert analyse(self.BASE).points["target"].isna().all()


class TestDatesAndOrder:
    def test_unsorted_dates_are_analysed_in_date_order(self):
        values = [2, 4, 6, 8, 10, 12, 14]
        dates = [pd.Period("2024-01", freq="M") + i for i in range(7)]
        perm = [3, 0, 6, 1, 5, 2, 4]
        r = analyse([values[i] for i in perm], [dates[i] for i in perm])
        assert r.points["value"].tolist() == [values[i] for i in perm]  # input order kept
        assert r.points["date"].tolist() == [dates[i] for i in perm]
        # in date order: mean 8, mR 2, limits 8 -/+ 5.32
        in_date_order = ["Below LCL"] + ["7 Point Trend (Increasing)"] * 5 + ["Above UCL"]
        assert types(r) == [in_date_order[i] for i in perm]
        assert analyse([values[i] for i in perm]).points["special_cause_type"].tolist() != types(r)

    def test_variation_icon_comes_from_the_latest_date(self):
        values = alternating(12) + [40]
        dates = days_from(dt.date(2024, 1, 1), 25)
        r = analyse(values[::-1], dates[::-1])
        assert types(r)[0] == "Above UCL"
        assert r.variation_icon == "improvement_high"

    def test_rebase_position_refers_to_input_order(self):
        values = alternating(7) + alternating(7, 100, 110)
        dates = days_from(dt.date(2024, 1, 1), 28)
        r = analyse(values[::-1], dates[::-1], rebase_at=[13])  # input 13 = date index 14
        assert r.points["segment"].tolist() == [1] * 14 + [0] * 14

    def test_no_dates_uses_positions(self):
        r = analyse([1, 2, 3])
        assert r.points["date"].tolist() == [0, 1, 2]
        assert r.segments["start"].tolist() == [0] and r.segments["end"].tolist() == [2]

    def test_duplicate_dates(self):
        with pytest.raises(ValueError, match="duplicate"):
            analyse([1, 2, 3], ["2024-01-01", "2024-01-02", "2024-01-01"])

    def test_length_mismatch(self):
        with pytest.raises(ValueError, match="dates has 2 items but values has 3"):
            analyse([1, 2, 3], ["2024-01-01", "2024-01-02"])

    def test_missing_date(self):
        with pytest.raises(ValueError, match="dates must not be missing"):
            analyse([1, 2], ["2024-01-01", None])

    def test_unreadable_dates(self):
        with pytest.raises(ValueError, match="dates must be"):
            analyse([1, 2], ["soon", "later"])


class TestValidation:
    @pytest.mark.parametrize("bad", ["up", "Increase", "", None, 1])
    def test_improvement(self, bad):
        with pytest.raises(ValueError, match="improvement must be one of 'increase', 'decrease' or 'neutral'"):
            analyse([1, 2, 3], improvement=bad)

    def test_values(self):
        with pytest.raises(ValueError, match="values must be numbers"):
            analyse([1, "2", 3])
        with pytest.raises(ValueError, match="empty"):
            analyse([])

    def test_target(self):
        with pytest.raises(ValueError, match="target must be a number"):
            analyse([1, 2, 3], target="5")

    def test_accepts_numpy_and_pandas(self):
        a = analyse(np.array(alternating(7), dtype=float))
        b = analyse(pd.Series(alternating(7)))
        c = analyse([np.int64(v) for v in alternating(7)])
        pd.testing.assert_frame_equal(a.points, b.points)
        pd.testing.assert_frame_equal(a.points, c.points)


class TestResultShape:
    def test_frozen_dataclass_and_columns(self):
        r = analyse(alternating(7), target=3)
        assert dataclasses.is_dataclass(r) and isinstance(r, SPCResult)
        with pytest.raises(dataclasses.FrozenInstanceError):
            r.variation_icon = "x"  # type: ignore[misc]
        for column in ("date", "value", "mean", "lpl", "upl", "point_type", "special_cause_type", "segment",
                       "moving_range", "near_lpl", "near_upl", "special_cause_flag", "target"):
            assert column in r.points.columns
        assert len(r.points) == 14
        assert r.improvement == "increase" and r.target == 3.0
        assert isinstance(r.warnings, list)
        assert list(r.segments.columns) == ["segment", "start", "end", "n", "mean", "mean_moving_range", "lpl",
                                            "upl", "short_segment_warning", "variation_type"]

    def test_constants(self):
        assert LIMIT == 2.66
        assert LIMIT_CLOSE == 2 * (2.66 / 3)
        assert LIMIT_CLOSE == pytest.approx(1.7733333333)

    def test_speed(self):
        values = (RJZ_BREACHES * 10)[:300]
        start = time.perf_counter()
        analyse(values, rebase_at=[100, 200], target=4000)
        assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("seed", range(40))
def test_icons_are_the_ones_the_full_analysis_gives_the_latest_point(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    values = rng.normal(100, 10, n) + np.where(rng.random(n) < 0.1, rng.normal(0, 60, n), 0)  # some outliers
    values[rng.random(n) < 0.1] = np.nan
    values[-1] = rng.normal(100, 40)
    if rng.random() < 0.5:
        values += np.linspace(0, rng.normal(0, 40), n)  # a drift: trends and runs
    rebase = sorted({int(p) for p in rng.integers(0, n, int(rng.integers(0, 3)))})
    for improvement in ("increase", "decrease", "neutral"):
        target = None if seed % 3 == 0 else float(rng.normal(100, 20))
        full = analyse(values, improvement=improvement, target=target, rebase_at=rebase)
        assert icons(values, improvement=improvement, target=target, rebase_at=rebase) == \
            (full.variation_icon, full.assurance_icon)
