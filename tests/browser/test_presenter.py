"""Presenter mode in a real browser: every slide of the sample meeting, stepped through with the
keyboard at 1280×720 and opened by its link at 1920×1080, fits the screen with no scrolling, at
presenter type (text 24 px, headline figures 48 px, chart axis labels 16 px as drawn), with the
metric slide's chart wholly on screen, the period and organisation printed, and nothing but
Previous / Next / Exit and the slide counter around it. Each slide is screenshotted."""

import base64
import re

import pytest

from portfolio.config.loading import load_config
from portfolio.outputs.meetings import METRIC, running_order
from portfolio.workspace import load_workspace
from tests.browser.conftest import screenshot, settle
from tests.conftest import NOT_FOR_A_BOARD, ROOT

WORKSPACE = load_workspace(ROOT / "config", ROOT / "sample_data")
MEETING = load_config(ROOT / "config").meetings["board-2026-11"]
STEPS = running_order(WORKSPACE.config, WORKSPACE.engine, MEETING)
FOOTER = "2026/27 M7 (Oct-26) · NHS Cheshire and Merseyside · Synthetic sample data as at"
# every element of the slide with text of its own, and the size it is drawn at
TEXT_SIZES = """Array.from(document.querySelectorAll('.pp-slide *'))
    .filter(e => Array.from(e.childNodes).some(c => c.nodeType === 3 && c.textContent.trim()))
    .map(e => [e.tagName + '.' + e.className, parseFloat(getComputedStyle(e).fontSize)
               * (parseFloat(getComputedStyle(e.closest('.pp-slide')).zoom) || 1)])"""


def _slide_number(page) -> int:
    text = page.get_by_text(re.compile(r"Slide \d+ of \d+")).first.inner_text()
    return int(re.search(r"Slide (\d+) of", text).group(1))


def _axis_label_sizes(page) -> list[float]:
    """The chart's axis labels as drawn: their size in the SVG, scaled as the picture is."""
    picture = page.locator("img.pp-slide-spc")
    source, drawn_width = picture.get_attribute("src"), picture.bounding_box()["width"]
    svg = base64.b64decode(source.split(",", 1)[1]).decode()
    natural_width = float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))
    labels = re.findall(r'role-axis-label.*?</g></g>', svg, re.S)
    sizes = [float(size) for group in labels for size in re.findall(r'font-size="([\d.]+)px"', group)]
    return [size * drawn_width / natural_width for size in sizes]


def _check_fits(page, number: int) -> None:
    step = STEPS[number - 1]
    sizes = page.evaluate("""[document.documentElement.scrollHeight, innerHeight,
        document.querySelector('[data-testid=stMain]').scrollHeight,
        document.querySelector('[data-testid=stMain]').clientHeight,
        document.querySelector('.pp-slide').getBoundingClientRect().bottom]""")
    page_height, viewport, main_height, main_view, bottom = sizes
    assert page_height <= viewport and main_height <= main_view and bottom <= viewport, (step.heading, sizes)
    small = [(where, size) for where, size in page.evaluate(TEXT_SIZES) if size < 24]
    assert small == [], (step.heading, small)
    figures = page.evaluate("Array.from(document.querySelectorAll('.pp-slide-value'))"
                            ".map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert all(size >= 48 for size in figures), (step.heading, figures)
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_text(re.compile(re.escape(FOOTER))).count() == 1, step.heading  # period and organisation
    assert main.locator("[data-testid='stException']").count() == 0
    if step.kind == METRIC and page.locator("img.pp-slide-spc").count():
        box = page.locator("img.pp-slide-spc").bounding_box()
        width, height = page.viewport_size["width"], page.viewport_size["height"]
        assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width and \
            box["y"] + box["height"] <= height, (step.heading, box)
        assert min(_axis_label_sizes(page)) >= 16, step.heading
    # nothing but the slide and its bar: no filters, tabs, downloads, navigation or header
    assert page.locator("[data-testid='stSelectbox'], [data-testid='stTabs'], [data-testid='stDownloadButton'], "
                        "[data-testid='stCheckbox']").count() == 0
    assert page.locator("[data-testid='stTopNav'], [data-testid='stHeader']").filter(visible=True).count() == 0
    visible = [b.inner_text().strip() for b in page.locator("[data-testid='stButton'] button").filter(visible=True).all()]
    # each button's words (Streamlit adds the key it answers to, and the icon's name)
    assert [" ".join(re.findall(r"[A-Z][a-z]+", label)) for label in visible] == ["Previous", "Next", "Exit"], visible
    assert NOT_FOR_A_BOARD.findall(page.inner_text("body")) == [], step.heading


def _press(page, key: str, expected: int) -> None:
    page.evaluate("document.activeElement && document.activeElement.blur()")  # no widget has the focus
    page.keyboard.press(key)
    page.wait_for_function(f"document.body.innerText.includes('Slide {expected} of')", timeout=60_000)
    settle(page)
    assert _slide_number(page) == expected


def test_every_slide_fits_1280x720_stepping_by_keyboard(page, dashboard):
    page.goto(f"{dashboard}/?present=1&meeting={MEETING.id}&slide=1")
    settle(page)
    for number in range(1, len(STEPS) + 1):
        assert _slide_number(page) == number
        _check_fits(page, number)
        screenshot(page, f"presenter-slide-{number:02d}")
        if number < len(STEPS):
            page.locator("[data-testid='stButton'] button").filter(has_text="Next").hover()
            _press(page, "ArrowRight", number + 1)
            # the hover on Next showed no tooltip, and none is left over the slide after the key
            assert page.locator("[role='tooltip']").filter(visible=True).count() == 0
    _press(page, "ArrowLeft", len(STEPS) - 1)
    _press(page, "Home", 1)
    _press(page, "End", len(STEPS))


@pytest.fixture(scope="module")
def large_page(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    yield context.new_page()
    context.close()


def test_every_slide_fits_1920x1080_opened_by_its_link(large_page, dashboard):
    for number, step in enumerate(STEPS, start=1):
        large_page.goto(f"{dashboard}/?" + "&".join(f"{k}={v}" for k, v in step.params(MEETING, number,
                                                                                         "E54000008").items()))
        settle(large_page)
        _check_fits(large_page, number)
        screenshot(large_page, f"presenter-slide-{number:02d}")


def test_a_stray_click_does_not_drill_away(page, dashboard):
    page.goto(f"{dashboard}/uec?present=1&meeting={MEETING.id}&slide=2")
    settle(page)
    page.locator(".pp-slide").click()
    page.wait_for_timeout(300)
    assert _slide_number(page) == 2 and page.locator("[data-testid='stMain'] a").count() == 0  # nothing to drill by


def test_a_link_to_a_slide_the_meeting_lacks_still_fits(page, dashboard):
    page.goto(f"{dashboard}/?present=1&meeting={MEETING.id}&slide=9999")
    settle(page)
    assert _slide_number(page) == len(STEPS)
    assert page.get_by_text(re.compile("the meeting has no slide")).count() == 1
    _check_fits(page, len(STEPS))
