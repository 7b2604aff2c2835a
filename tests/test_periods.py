import pandas as pd
import pytest

from portfolio.config.months import (financial_year, fy_month_label, fy_month_number, fy_months, fy_to_date,
                               month_key, month_label, parse_month, same_month_in_year)


@pytest.mark.parametrize("month, fy, number", [
    ("2022-04", "2022/23", 1), ("2022-12", "2022/23", 9), ("2023-01", "2022/23", 10),
    ("2023-03", "2022/23", 12), ("2023-04", "2023/24", 1), ("1999-03", "1998/99", 12), ("2099-04", "2099/00", 1),
])
def test_financial_year_and_month_number(month, fy, number):
    period = parse_month(month)
    assert financial_year(period) == fy
    assert fy_month_number(period) == number


def test_labels_follow_board_papers():
    period = parse_month("2022-04")
    assert month_label(period) == month_label("2022-04") == "Apr-22"
    assert fy_month_label(period) == "2022/23 M1 (Apr-22)"
    assert month_key(period) == "2022-04"


def test_month_labels_parse_back():
    assert parse_month("Apr-22") == pd.Period("2022-04", freq="M")


@pytest.mark.parametrize("text", ["2022-13", "2022-4", "April 2022", "22-04", "", "2022/23"])
def test_bad_months_are_refused_with_the_expected_form(text):
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month(text)


def test_financial_year_to_date_starts_in_april():
    assert [month_key(m) for m in fy_to_date(parse_month("2023-02"))][0] == "2022-04"
    assert len(fy_to_date(parse_month("2023-02"))) == 11
    assert [month_key(m) for m in fy_to_date(parse_month("2023-04"))] == ["2023-04"]


def test_financial_year_months_and_same_month_baseline():
    months = fy_months("2019/20")
    assert (month_key(months[0]), month_key(months[-1])) == ("2019-04", "2020-03")
    assert month_key(same_month_in_year(parse_month("2024-01"), "2019/20")) == "2020-01"
    with pytest.raises(ValueError, match="2019/20"):
        fy_months("2019/21")
