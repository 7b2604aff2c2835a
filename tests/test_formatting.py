"""One number formatter for every table, tile, chart label and export (portfolio.outputs.formatting)."""

import pytest

from portfolio.config.schema import Metric, Target
from portfolio.outputs.formatting import (axis_unit, format_change, format_count, format_percent, format_points,
                                          format_target, format_value, format_variance)


def metric(unit: str, **extra) -> Metric:
    measure = {"measure": "mean", "compute": "ratio", **({"scale": 100} if unit == "percent" else {})} \
        if unit in ("percent", "duration") else {"measure": "monthly_total"}
    return Metric(id="m", label="A metric", category="C", definition="d", unit=unit, improvement="increase",
                  source={"extract": "x.csv"}, owner="o", **{**measure, **extra})


@pytest.mark.parametrize("unit, extra, value, text", [
    ("count", {}, 34245092, "34,245,092"),  # thousands separators everywhere
    ("count", {}, -1234, "−1,234"),
    ("percent", {}, 82.0, "82.0%"),
    ("percent", {"format": {"decimals": 0}}, 82.4, "82%"),
    ("duration", {}, 2391, "00:39:51"),
    ("gbp", {}, -5500, "(£5.5m)"),  # deficits in brackets
    ("gbp", {}, -40, "£0.0m"),  # rounds to nothing: never "(£0.0m)"
    ("gbp", {}, 1234567, "£1,234.6m"),
    ("gbp", {"format": {"style": "gbp_k"}}, 1773.4, "£1,773k"),
    ("count", {"format": {"decimals": 1}}, -0.04, "0.0"),  # never "−0.0"
])
def test_values(unit, extra, value, text):
    assert format_value(metric(unit, **extra), value) == text


@pytest.mark.parametrize("unit, change, text", [
    ("percent", -1.0, "−1.0 pts"), ("percent", 0.04, "0.0 pts"), ("count", 476, "+476"), ("count", -1169, "−1,169"),
    ("duration", 135, "+00:02:15"), ("gbp", -800, "−£0.8m"), ("gbp", 20, "£0.0m"),
])
def test_changes_are_signed_in_the_metric_unit(unit, change, text):
    assert format_change(metric(unit), change) == text


@pytest.mark.parametrize("unit, variance, text", [
    ("percent", -3.6, "−3.6 pts"),  # points, never "−3.6 %"
    ("gbp", -1200, "(£1.2m)"),  # money as a finance table prints it
    ("count", 12, "+12"), ("count", None, "–"),
])
def test_variances(unit, variance, text):
    assert format_variance(metric(unit), variance) == text


def test_worked_out_percentages_shares_and_counts():
    assert format_percent(82) == "82.0%" and format_percent(None) == "–"
    assert format_points(1.24) == "+1.2 pts" and format_points(-0.01) == "0.0 pts"
    assert format_count(74639.0) == "74,639" and format_count(float("nan")) == "–"


def test_targets_keep_their_comparison():
    assert format_target(metric("percent"), Target(value=78, source="s")) == "≥ 78.0%"
    assert format_target(metric("percent"), None) == "–"


@pytest.mark.parametrize("unit, extra, expected", [
    ("percent", {}, (1.0, "%")), ("duration", {}, (60.0, "minutes")), ("gbp", {}, (1000.0, "£m")),
    ("gbp", {"format": {"style": "gbp_k"}}, (1.0, "£k")),  # a £k metric is charted in £k, as its tables show it
    ("count", {}, (1.0, "number")), ("count", {"format": {"unit_label": "patients"}}, (1.0, "patients")),
])
def test_every_chart_axis_says_its_unit(unit, extra, expected):
    assert axis_unit(metric(unit, **extra)) == expected
