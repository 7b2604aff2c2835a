"""How a metric is judged (portfolio.figures.judgement), as tables of cases: the month's change chip, the
Making Data Count escalation, the icon matrix, suppression, and one status rule for every view."""

from dataclasses import replace

import pytest

from portfolio.config.schema import Metric, SmallNumbers, Target
from portfolio.figures.framework import framework, theme_counts
from portfolio.figures.judgement import (CONCERN, CONCERN_AND_FAIL, FAIL, MATRIX_CELLS, SHORT_AND_WORSE, counts,
                                         exception_reason, exceptions, icon_matrix, month_on_month, outside_the_matrix,
                                         scoring, status, year_to_date_withheld)
from portfolio.figures.summaries import MetricSummary
from portfolio.figures.suppression import SUPPRESSION
from portfolio.outputs.formatting import against_plan, change, format_change, format_value, format_variance


def metric(improvement="increase", unit="percent", **extra) -> Metric:
    fields = {"percent": {"measure": "mean", "compute": "ratio", "scale": 100}, "count": {"measure": "monthly_total"},
              "duration": {"measure": "mean", "compute": "ratio"}, "gbp": {"measure": "monthly_total"}}[unit]
    return Metric(id="m", label="A metric", category="C", definition="d", unit=unit, improvement=improvement,
                  source={"extract": "x.csv"}, owner="o", **{**fields, **extra})


def summary(m: Metric, value, previous, target=None, variation=None, assurance=None, tolerance=0.005) -> MetricSummary:
    direction, progress = ("no data", "no data") if value is None else month_on_month(m, value, previous, tolerance)
    target = Target(value=target, source="s") if target is not None else None
    return MetricSummary(m, "SYS", "2026-10", available=True, value_period="2026-10" if value is not None else None,
                         value=value, previous_period="2026-09" if previous is not None else None, previous=previous,
                         change=None if value is None or previous is None else value - previous,
                         direction=direction, progress=progress, target=target, status=status(m, value, target),
                         variation_icon=variation, assurance_icon=assurance)


# --- the month's change chip: every improvement direction × change sign ---------------------------

@pytest.mark.parametrize("improvement, value, previous, tone, arrow, text", [
    ("increase", 76.9, 75.9, "better", "up", "+1.0 pts, better than Sep-26"),
    ("increase", 75.9, 76.9, "worse", "down", "−1.0 pts, worse than Sep-26"),
    ("increase", 76.9, 76.9, "no change", "off", "No change from Sep-26"),
    ("increase", 76.92, 76.9, "no change", "off", "0.0 pts, about the same as Sep-26"),  # within the tolerance
    ("decrease", 17.4, 16.9, "worse", "up", "+0.5 pts, worse than Sep-26"),
    ("decrease", 16.9, 17.4, "better", "down", "−0.5 pts, better than Sep-26"),
    ("decrease", 17.4, 17.4, "no change", "off", "No change from Sep-26"),
    ("neutral", 51.0, 50.0, "not judged", "up", "+1.0 pts, higher than Sep-26"),
    ("neutral", 49.0, 50.0, "not judged", "down", "−1.0 pts, lower than Sep-26"),
    ("neutral", 50.0, 50.0, "no change", "off", "No change from Sep-26"),
    ("increase", 75.9, None, "no data", "off", ""),  # no month before: no chip
    ("decrease", None, 75.9, "no data", "off", ""),  # no figure this month
])
def test_the_chip_says_only_what_the_month_did(improvement, value, previous, tone, arrow, text):
    found = change(summary(metric(improvement), value, previous))
    assert (found.tone, found.arrow, found.text) == (tone, arrow, text)


@pytest.mark.parametrize("unit, value, previous, text", [
    ("duration", 2391, 2256, "+00:02:15, worse than Sep-26"),  # a mean response time, lower is better
    ("count", 3636, 3160, "+476, worse than Sep-26"),
    ("gbp", -5500, -4700, "−£0.8m, worse than Sep-26"),  # a deeper deficit, where higher is better
])
def test_the_chip_is_in_the_metric_unit(unit, value, previous, text):
    improvement = "increase" if unit == "gbp" else "decrease"
    assert change(summary(metric(improvement, unit), value, previous)).text == text


def test_the_chip_never_reads_spc_variation():
    # special cause improvement over the months, and a worse month: the chip says the month was worse
    worse = summary(metric("increase"), 75.9, 76.9, target=78, variation="improvement_high", assurance="fail")
    assert change(worse).tone == "worse" and "improv" not in change(worse).text.lower()


@pytest.mark.parametrize("improvement, value, previous, short", [
    ("increase", 2, 1, "↑ Better"), ("increase", 1, 2, "↓ Worse"), ("decrease", 1, 2, "↓ Better"),
    ("neutral", 2, 1, "↑ Higher"), ("neutral", 1, 2, "↓ Lower"), ("increase", 1, 1, "→ Same"), ("increase", 1, None, "–"),
])
def test_the_scorecard_progress_word(improvement, value, previous, short):
    assert change(summary(metric(improvement, "count"), value, previous)).short == short


# --- exceptions as Making Data Count escalates them -------------------------------------------------

@pytest.mark.parametrize("variation, assurance, value, previous, reason", [
    ("concern_low", "fail", 70, 71, CONCERN_AND_FAIL),
    ("concern_high", "inconsistent", 70, 71, CONCERN),
    ("concern_low", None, 70, 71, CONCERN),  # no target
    ("concern_low", "pass", 90, 89, CONCERN),
    ("common_cause", "fail", 70, 69, FAIL),  # better this month, but the process will keep missing
    ("improvement_high", "fail", 75.9, 76.9, FAIL),
    ("common_cause", "inconsistent", 70, 71, None),  # hit and miss is not escalated
    ("common_cause", "pass", 90, 91, None),
    ("improvement_high", "pass", 90, 91, None),
    ("common_cause", None, 70, 71, None),
    ("neutral_high", None, 70, 71, None),
    (None, None, 70, 71, SHORT_AND_WORSE),  # too few months: below target and worse
    (None, None, 70, 69, None),  # below target but better
    (None, None, 85, 86, None),  # worse but meeting target
    (None, None, 70, None, None),  # nothing to compare with
    (None, None, None, 70, None),  # no figure this month
])
def test_the_exception_rule(variation, assurance, value, previous, reason):
    found = summary(metric("increase"), value, previous, target=80, variation=variation, assurance=assurance)
    assert exception_reason(found) == reason


def test_exceptions_come_concern_and_fail_first():
    m = metric("increase")
    cases = [summary(m, 70, 71, 80), summary(m, 70, 71, 80, "common_cause", "fail"),
             summary(m, 70, 71, 80, "concern_low", None), summary(m, 70, 71, 80, "concern_low", "fail"),
             summary(m, 90, 91, 80, "common_cause", "pass")]
    assert [reason for _, reason in exceptions(cases)] == [CONCERN_AND_FAIL, CONCERN, FAIL, SHORT_AND_WORSE]


def test_the_icon_matrix_counts_every_judged_metric_once():
    m, neutral = metric("increase"), metric("neutral")
    cases = [summary(m, 70, 71, 80, "concern_low", "fail"), summary(m, 70, 71, 80, "concern_high", "fail"),
             summary(m, 90, 91, None, "improvement_high", None), summary(neutral, 9, 8, None, "neutral_low", None),
             summary(m, 70, 71, 80)]  # too few months: not in the matrix
    cells = icon_matrix(cases)
    assert list(cells) == MATRIX_CELLS
    assert {cell: len(found) for cell, found in cells.items() if found} == {
        ("concern", "fail"): 2, ("improvement", "no_target"): 1, ("neither", "no_target"): 1}
    assert counts(cases) == {"metrics": 5, "met": 0, "not met": 3, "no target": 2, "no data": 0, "improvement": 1,
                             "concern": 2, "exceptions": 3}
    assert outside_the_matrix(cases) == 1


def test_outside_the_matrix_are_the_reported_metrics_with_too_few_months_or_no_figure():
    m = metric("increase")
    no_figure = summary(m, None, 70, 80, "common_cause", "fail")
    not_reported = replace(summary(m, None, None), available=False)  # counted nowhere
    cases = [summary(m, 70, 71, 80), no_figure, not_reported, summary(m, 90, 91, 80, "common_cause", "pass")]
    assert outside_the_matrix(cases) == 2
    assert outside_the_matrix([]) == 0


# --- status, and suppression -------------------------------------------------------------------------

@pytest.mark.parametrize("improvement, comparison, value, target, expected", [
    ("increase", None, 78.0, 78.0, "met"), ("increase", None, 77.9, 78.0, "not met"),
    ("decrease", None, 1800, 1800, "met"), ("decrease", None, 1801, 1800, "not met"),
    ("neutral", "<=", 5, 6, "met"), ("increase", None, 50, None, "no target"), ("increase", None, None, 78, "no data"),
    ("increase", None, float("nan"), 78, "no data"),
])
def test_one_status_rule(improvement, comparison, value, target, expected):
    m = metric(improvement, targets=[{"value": target or 1, "source": "s", "comparison": comparison}]
               if comparison else [])
    chosen = None if target is None else Target(value=target, source="s", comparison=comparison)
    assert status(m, value, chosen) == expected


def test_suppression_hides_counts_never_a_change_or_a_difference():
    m = metric("decrease", "count")
    token = SUPPRESSION.set(SmallNumbers())
    try:
        assert format_value(m, 5) == "*"  # a small count is hidden
        assert format_change(m, 2) == "+2" and format_variance(m, -3) == "−3"  # a change of two is not a count
        assert change(summary(m, 120, 118)).text == "+2, worse than Sep-26"
        # but a change worked out from a hidden count would reveal it by subtraction: withheld
        assert change(summary(m, 5, 100)).tone == "hidden" and "*" not in change(summary(m, 5, 100)).text
        # nor a variance against a plan shown beside a hidden count, nor a year to date beside one
        assert against_plan(m, 5, -5).tone == "hidden" and against_plan(m, 50, -5).text == "−5, better than plan"
        assert year_to_date_withheld(m, [20, 20, 5]) and not year_to_date_withheld(m, [20, 20, 0])
    finally:
        SUPPRESSION.reset(token)


# --- one status for every view: the framework tab and the front sheet agree -------------------------

def test_the_framework_tab_and_the_front_sheet_agree_every_month(sample):
    portfolio = sample.config.portfolio("social_value")
    for org in ("RY7", sample.tree.root):
        for period in sample.engine.periods:
            summaries = sample.engine.portfolio_summaries(portfolio.id, org, period)
            front = {row["Category"]: row for row in scoring(portfolio.categories, summaries)}
            for theme, rows in framework(sample.engine, portfolio, org, period, summaries).items():
                counted = theme_counts(rows)
                expected = front[theme]
                assert (counted["met"], counted["not met"], counted["no target"], counted["no data"]) == (
                    expected["Meeting target"], expected["Not meeting target"], expected["No target"],
                    expected["No figure this month"]), (org, period, theme)
                assert counted["metrics"] == sum(counted[k] for k in ("met", "not met", "no target", "no data"))
