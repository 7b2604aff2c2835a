"""Safe spreadsheet exports and the Making Data Count icons."""

import pandas as pd
import pytest

from portfolio.outputs.exports import neutralise, safe_csv
from portfolio.outputs.icons import ASSURANCE, VARIATION, assurance_svg, icon_markdown, icon_words, variation_svg


@pytest.mark.parametrize("cell, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("Urology", "Urology"), (-4.5, -4.5), (12, 12),
])
def test_formula_like_text_is_neutralised_and_numbers_are_not(cell, expected):
    assert neutralise(cell) == expected


def test_safe_csv():
    frame = pd.DataFrame({"member": ["=cmd|' /C calc'!A0", "ENT"], "value": [-3.0, 4.0]})
    assert safe_csv(frame).splitlines() == ["member,value", "'=cmd|' /C calc'!A0,-3.0", "ENT,4.0"]


@pytest.mark.parametrize("icon", list(VARIATION))
def test_variation_icons_say_what_they_mean(icon):
    svg = variation_svg(icon)
    assert svg.startswith("<svg") and f"<title>{VARIATION[icon][3]}</title>" in svg and VARIATION[icon][0] in svg
    assert icon_markdown("variation", icon).startswith(f"![{VARIATION[icon][3]}](data:image/svg+xml;base64,")


@pytest.mark.parametrize("icon", list(ASSURANCE))
def test_assurance_icons_say_what_they_mean(icon):
    assert f">{ASSURANCE[icon][1]}</text>" in assurance_svg(icon)
    assert icon_words("assurance", icon) == ASSURANCE[icon][2]


def test_no_assurance_without_a_target():
    assert icon_markdown("assurance", None) == ""
    assert icon_words("assurance", None) == "No target, so no assurance icon"
