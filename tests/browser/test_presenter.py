"""Presenter mode in a real browser: a meeting's running order stepped through with the → key, each
slide screenshotted at 1280×720, with the period printed, large headline figures and no filters."""

import re

from portfolio.config import load_config
from portfolio.meetings import running_order
from portfolio.workspace import load_workspace
from tests.browser.conftest import screenshot, settle
from tests.conftest import NOT_FOR_A_BOARD, ROOT

WORKSPACE = load_workspace(ROOT / "config", ROOT / "sample_data")
MEETING = load_config(ROOT / "config").meetings["board-2026-11"]
STEPS = running_order(WORKSPACE.config, WORKSPACE.engine, MEETING)


def _slide_number(page) -> int:
    text = page.get_by_text(re.compile(r"Slide \d+ of \d+")).first.inner_text()
    return int(re.search(r"Slide (\d+) of", text).group(1))


def test_stepping_through_a_meeting_by_keyboard(page, dashboard):
    page.goto(f"{dashboard}/?present=1&meeting={MEETING.id}&slide=1")
    settle(page)
    for number, step in enumerate(STEPS, start=1):
        assert _slide_number(page) == number, step.title
        main = page.locator("[data-testid='stMain']")
        assert main.get_by_text("Period: 2026/27 M7 (Oct-26)").count() >= 1  # the frozen period, printed
        assert main.get_by_text("Synthetic sample data").count() >= 1
        assert page.locator("[data-testid='stSelectbox']").filter(has_text="Reporting period").count() == 0
        assert page.locator("[data-testid='stTopNav'], [data-testid='stHeader']").filter(visible=True).count() == 0
        sizes = page.evaluate("Array.from(document.querySelectorAll('[data-testid=stMetricValue]'))"
                              ".map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert sizes and min(sizes) >= 28, (step.title, sizes)
        assert main.locator("[data-testid='stException']").count() == 0
        assert NOT_FOR_A_BOARD.findall(page.inner_text("body")) == [], step.title
        screenshot(page, f"presenter-slide-{number:02d}")
        if number < len(STEPS):
            page.evaluate("document.activeElement && document.activeElement.blur()")  # no widget has the focus
            page.keyboard.press("ArrowRight")
            page.wait_for_function(f"document.body.innerText.includes('Slide {number + 1} of')", timeout=60_000)
            settle(page)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"document.body.innerText.includes('Slide {len(STEPS) - 1} of')", timeout=60_000)
    settle(page)
    assert _slide_number(page) == len(STEPS) - 1


def test_a_stray_click_does_not_drill_away(page, dashboard):
    page.goto(f"{dashboard}/uec?present=1&meeting={MEETING.id}&slide=2")
    settle(page)
    assert page.get_by_text("Open portfolio").count() == 0 and page.get_by_text("Drill into").count() == 0
    assert page.get_by_role("link", name=re.compile("Deep dive")).count() == 0
