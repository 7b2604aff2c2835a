"""The figures read off one metric's series (portfolio.figures.summaries), on small series made by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from portfolio.config.months import Month
from portfolio.config.schema import Metric
from portfolio.figures.spc import analyse
from portfolio.figures.summaries import (MIN_SPC_POINTS, baseline_figure, data_status, every_month, metric_values,
                                         number, spc_analysis, spc_icons, summarise, to_period, year_figure,
                                         year_to_date)


def metric(**fields) -> Metric:
    return Metric.model_validate({
        "id": "m", "label": "M", "category": "C", "definition": "D", "owner": "O", "source": {"extract": "x.csv"},
        "unit": "count", "measure": "monthly_total", "improvement": "increase", **fields})


RATE = {"unit": "percent", "measure": "mean", "compute": "ratio", "scale": 100}


def valued(values: dict[str, float], **columns) -> pd.DataFrame:
    """A valued series: months with a value, indexed by period, with the columns Engine.series gives."""
    months = list(values)
    frame = pd.DataFrame({"value": list(values.values()), "numerator": np.nan, "denominator": np.nan,
                          "orgs_reporting": 1, "orgs_expected": 1, "provisional": False, "estimate": False,
                          "note": None, "plan": np.nan}, index=pd.Index(months, name="period"))
    for column, figures in columns.items():
        frame[column] = figures
    return frame


def test_number_is_none_where_missing():
    assert number(None) is None and number(np.nan) is None and number(pd.NA) is None
    assert number(np.int64(3)) == 3.0 and isinstance(number(np.int64(3)), float)


def test_a_rate_is_a_ratio_of_sums_and_missing_where_nothing_is_counted():
    sums = pd.DataFrame({"value": [1.0, 2.0], "numerator": [30.0, 5.0], "denominator": [40.0, 0.0]})
    rates = metric_values(metric(**RATE), sums)
    assert rates.iloc[0] == 75.0 and math.isnan(rates.iloc[1])
    assert metric_values(metric(), sums).tolist() == [1.0, 2.0]


def test_to_period_keeps_the_months_to_it():
    rows = valued({"2023-04": 1, "2023-06": 2, "2023-07": 3})
    assert list(to_period(rows, "2023-06").index) == ["2023-04", "2023-06"]
    assert list(to_period(rows, "2023-05").index) == ["2023-04"]
    assert to_period(rows, "2023-03").empty


def test_summary_of_the_month_against_the_month_before_and_the_target():
    m = metric(targets=[{"value": 15, "source": "Plan"}])
    summary = summarise(m, "ORG", "2023-05", valued({"2023-04": 10.0, "2023-05": 16.0, "2023-06": 1.0}), 0)
    assert (summary.value_period, summary.value, summary.previous_period, summary.previous) == (
        "2023-05", 16.0, "2023-04", 10.0)
    assert (summary.change, summary.direction, summary.progress) == (6.0, "up", "better")
    assert (summary.target.value, summary.status, summary.variance_to_target) == (15, "met", 1.0)
    assert (summary.fytd, summary.fytd_months, summary.points) == (26.0, 2, 2)
    assert summary.data_status == "validated" and summary.variation_icon is None  # too few months for SPC


def test_a_month_without_data_is_no_data_with_the_target_in_force():
    m = metric(targets=[{"value": 15, "source": "Plan"}])
    summary = summarise(m, "ORG", "2023-06", valued({"2023-04": 10.0}), 0)
    assert summary.available and summary.value is None and summary.status == "no data"
    assert summary.target.value == 15


def test_a_quarterly_value_is_shown_for_two_months_after():
    m = metric(frequency="quarterly")
    rows = valued({"2023-06": 10.0})
    assert summarise(m, "ORG", "2023-08", rows, 0).value == 10.0
    assert summarise(m, "ORG", "2023-09", rows, 0).value is None


def test_a_change_within_the_tolerance_is_no_change():
    summary = summarise(metric(), "ORG", "2023-05", valued({"2023-04": 100.0, "2023-05": 100.4}), 0.005)
    assert (summary.direction, summary.progress) == ("no change", "no change")


def test_data_status_partial_before_estimate_before_provisional():
    def row(reporting, estimate, provisional):
        return pd.Series({"orgs_reporting": reporting, "orgs_expected": 7, "estimate": estimate,
                          "provisional": provisional})
    assert data_status(row(6, True, True)) == "partial: 6 of 7 organisations"
    assert data_status(row(7, True, True)) == "estimate"
    assert data_status(row(7, False, True)) == "provisional"
    assert data_status(row(7, False, False)) == "validated"


def test_year_to_date_of_each_measure():
    rows = valued({"2023-03": 5.0, "2023-04": 10.0, "2023-05": 20.0},
                  numerator=[1.0, 3.0, 1.0], denominator=[2.0, 4.0, 4.0])
    may = Month("2023-05")
    assert year_to_date(metric(), rows, may) == (30.0, 2)  # a sum of the months from April
    assert year_to_date(metric(**RATE), rows, may) == (pytest.approx(4 / 8 * 100), 2)  # a rate of summed parts
    assert year_to_date(metric(measure="year_to_date"), rows, may) == (20.0, 2)  # the latest
    assert year_to_date(metric(measure="snapshot"), rows, may) == (None, 2)
    assert year_to_date(metric(), rows, Month("2024-05")) == (None, 0)


def test_baseline_the_same_month_the_year_or_a_value():
    rows = valued({"2019-05": 8.0, "2019-06": 12.0, "2023-05": 10.0})
    may = Month("2023-05")
    assert baseline_figure(metric(), rows, may) == (8.0, "2019-05")
    assert baseline_figure(metric(), rows, Month("2023-07")) == (None, None)
    assert baseline_figure(metric(baseline={"method": "year_average"}), rows, may) == (10.0, "2019/20")
    assert baseline_figure(metric(baseline={"method": "value", "value": 7}), rows, may) == (7, "2019/20")
    assert baseline_figure(metric(baseline=None), rows, may) == (None, None)


def test_a_typical_month_of_a_year():
    rows = valued({"2019-04": 1.0, "2019-05": 3.0, "2020-04": 100.0}, numerator=[1.0, 1.0, 1.0],
                  denominator=[1.0, 3.0, 1.0])
    assert year_figure(metric(), rows, "2019/20") == (2.0, "2019/20")
    assert year_figure(metric(**RATE), rows, "2019/20") == (50.0, "2019/20")
    assert year_figure(metric(), rows, "2018/19") == (None, None)


def test_every_month_leaves_a_missing_month_as_a_gap():
    months, values, rebases = every_month(metric(rebase=["2023-06", "2023-04", "2024-01"]),
                                          pd.Series([1.0, 3.0, 4.0], index=["2023-04", "2023-06", "2023-07"]))
    assert months == ["2023-04", "2023-05", "2023-06", "2023-07"]
    assert np.array_equal(values, [1.0, np.nan, 3.0, 4.0], equal_nan=True)
    assert rebases == [2]  # the first month and months outside the series start nothing


def test_every_month_across_a_year_end():
    months, _, _ = every_month(metric(), pd.Series([1.0, 2.0], index=["2022-11", "2023-02"]))
    assert months == ["2022-11", "2022-12", "2023-01", "2023-02"]


def series_with_a_shift(months: int = 20) -> pd.DataFrame:
    periods = [str(p) for p in pd.period_range("2022-01", periods=months, freq="M")]
    return valued(dict(zip(periods, [10.0] * 12 + [20.0] * (months - 12))))


def test_spc_icons_from_fifteen_months():
    m = metric(targets=[{"value": 5, "source": "Plan"}])
    rows = series_with_a_shift()
    icons = spc_icons(m, rows, m.targets[0])
    assert icons == {"variation_icon": "improvement_high", "assurance_icon": "pass"}
    assert spc_icons(m, rows.iloc[:MIN_SPC_POINTS - 1], m.targets[0]) == {}


def test_no_assurance_over_a_segment_without_variation():
    m = metric(targets=[{"value": 5, "source": "Plan"}], rebase=["2023-01"])  # where the 20s start
    icons = spc_icons(m, series_with_a_shift(30), m.targets[0])
    assert icons == {"variation_icon": "common_cause", "assurance_icon": None}


def test_spc_analysis_dates_each_point_by_its_month_and_agrees_with_the_icons():
    m = metric(targets=[{"value": 5, "source": "Plan"}], rebase=["2022-06"])
    rows = series_with_a_shift().drop(index="2022-03")
    result = spc_analysis(m, rows, m.targets[0])
    assert list(result.points["date"][:4]) == ["2022-01", "2022-02", "2022-03", "2022-04"]
    assert math.isnan(result.points["value"][2])  # a gap, not a join
    assert list(result.segments["start"]) == ["2022-01", "2022-06"]
    expected = analyse(result.points["value"], list(result.points["date"]), target=5, rebase_at=["2022-06"])
    assert result.points.equals(expected.points)
    icons = spc_icons(m, rows, m.targets[0])
    assert (result.variation_icon, result.assurance_icon) == (icons["variation_icon"], icons["assurance_icon"])
