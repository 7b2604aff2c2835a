"""The one Month type: parsing, labels, the NHS financial year and counting months."""

import pytest

from portfolio.config.months import Month, fy_months


@pytest.mark.parametrize("month, fy, number", [
    ("2022-04", "2022/23", 1), ("2022-12", "2022/23", 9), ("2023-01", "2022/23", 10),
    ("2023-03", "2022/23", 12), ("2023-04", "2023/24", 1), ("1999-03", "1998/99", 12), ("2099-04", "2099/00", 1),
])
def test_financial_year_and_month_number(month, fy, number):
    assert Month(month).financial_year == fy
    assert Month(month).fy_number == number


def test_labels_follow_board_papers():
    month = Month("2022-04")
    assert month.label == "Apr-22"
    assert month.fy_label == "2022/23 M1 (Apr-22)"
    assert month == "2022-04" and str(month) == "2022-04"


@pytest.mark.parametrize("label, month", [("Apr-22", "2022-04"), ("dec-99", "1999-12"), ("Jan-68", "2068-01"),
                                          (" Mar-26 ", "2026-03")])
def test_month_labels_parse_back(label, month):
    assert Month(label) == month
    assert Month(Month(label).label) == month


@pytest.mark.parametrize("text", ["2022-13", "2022-4", "April 2022", "22-04", "", "2022/23", "Abc-22", None])
def test_bad_months_are_refused_with_the_expected_form(text):
    with pytest.raises(ValueError, match="YYYY-MM"):
        Month(text)


def test_a_month_is_its_own_key_and_sorts_in_time_order():
    months = [Month("2023-01"), Month("2022-11"), Month("2022-12")]
    assert sorted(months) == ["2022-11", "2022-12", "2023-01"]
    assert {Month("2022-04"): 1}["2022-04"] == 1
    assert Month(Month("2022-04")) is not None and isinstance(Month("2022-04") + 1, Month)


@pytest.mark.parametrize("start, months, end", [("2022-04", 11, "2023-03"), ("2023-01", -1, "2022-12"),
                                                ("2022-12", 1, "2023-01"), ("2020-03", -24, "2018-03")])
def test_counting_months(start, months, end):
    assert Month(start) + months == end
    assert Month(end) - months == start
    assert Month(end) - Month(start) == months


def test_months_through_a_later_month():
    assert Month("2022-11").through("2023-02") == ["2022-11", "2022-12", "2023-01", "2023-02"]
    assert Month("2023-02").through("2022-11") == []


def test_financial_year_to_date_starts_in_april():
    assert Month("2023-02").fy_to_date()[0] == "2022-04"
    assert len(Month("2023-02").fy_to_date()) == 11
    assert Month("2023-04").fy_to_date() == ["2023-04"]
    assert Month("2023-03").fy_first == "2022-04"


def test_financial_year_months_and_same_month_baseline():
    months = fy_months("2019/20")
    assert (months[0], months[-1]) == ("2019-04", "2020-03")
    assert Month("2024-01").same_month_in("2019/20") == "2020-01"
    with pytest.raises(ValueError, match="2019/20"):
        fy_months("2019/21")
