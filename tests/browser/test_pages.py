"""Every page in a real browser: it renders, draws its charts, reads well at 1280×720, and has no
serious accessibility violations in the dashboard's own content."""

from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe

from components.metric_views import SPC_WORDS
from portfolio.config import load_config
from portfolio.formatting import PROGRESS_WORDS
from tests.browser.conftest import screenshot, settle
from tests.conftest import ROOT

CONFIG = load_config(ROOT / "config")
FIRST_METRIC = CONFIG.portfolios[0].headline_metrics[0]
PAGES = ([("overview", "")] + [(p.id, p.id) for p in CONFIG.portfolios]
         + [("deep-dive", f"deep-dive?metric={FIRST_METRIC.id}"), ("about", "about"), ("meetings", "meetings"),
            ("attendances", "attendances")])
# the finance and social value tabs in the browser too (the elective views are swept in AppTest)
OWN_TABS = [(f"{p}-{tab.lower().replace(' ', '-').replace('&', 'and')}", f"{p}?view={quote(tab)}")
                for p in ("finance", "social_value")
                for tab in dict.fromkeys(v.tab_title for v in CONFIG.portfolio(p).views)]
# Streamlit's own chrome (navigation, header, sidebar) is outside our control, so axe scans only
# the main content the dashboard draws.
AXE_CONTEXT = {"include": [["[data-testid='stMain']"]],
               "exclude": [["[data-testid='stSidebar']"], ["[data-testid='stHeader']"], ["[data-testid='stTopNav']"]]}
# Network noise, not code: the browser's own failed loads (there is no network here).
IGNORED_CONSOLE = ("Failed to load resource",)


def _deck_fetch(message: str) -> bool:
    """deck.gl's loader now and then reports a fetch that failed (there is no network here) while
    the map itself draws; seen once in several runs of the suite, on the local spend map."""
    return message.startswith("Error: Failed to fetch") and "DeckGlJsonChart" in message


def visit(page, dashboard, path: str) -> None:
    page.errors.clear()
    page.goto(f"{dashboard}/{path}")
    settle(page)


@pytest.mark.parametrize("name, path", PAGES + OWN_TABS, ids=[name for name, _ in PAGES + OWN_TABS])
def test_page_renders_cleanly(page, dashboard, name, path):
    visit(page, dashboard, path)
    main = page.locator("[data-testid='stMain']")
    assert main.locator("[data-testid='stException']").count() == 0
    assert main.locator("[data-testid='stAlertContentError']").count() == 0
    errors = [e for e in page.errors if not e.startswith(IGNORED_CONSOLE) and not _deck_fetch(e)]
    assert errors == []
    for chart in main.locator("[data-testid='stVegaLiteChart']").all():
        assert chart.locator("svg, canvas").count() > 0, "a chart was not drawn"
        assert chart.get_attribute("aria-label"), "a chart has no alt text"
    widths = page.evaluate("(() => { const m = document.querySelector('[data-testid=stMain]');"
                           " return [m.scrollWidth, m.clientWidth, document.documentElement.scrollWidth,"
                           " window.innerWidth]; })()")
    assert widths[0] <= widths[1] and widths[2] <= widths[3], f"horizontal scroll at 1280×720: {widths}"
    screenshot(page, name)


@pytest.mark.parametrize("name, path", PAGES + OWN_TABS, ids=[name for name, _ in PAGES + OWN_TABS])
def test_no_serious_accessibility_violations(page, dashboard, name, path):
    visit(page, dashboard, path)
    results = Axe().run(page, context=AXE_CONTEXT)
    serious = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_status_is_never_shown_by_colour_alone(page, dashboard):
    visit(page, dashboard, "")
    words = list(SPC_WORDS.values()) + list(PROGRESS_WORDS.values())
    deltas = page.locator("[data-testid='stMetricDelta']").all_inner_texts()
    assert deltas and all(any(word in d for word in words) for d in deltas)
    icons = page.locator("[data-testid='stMain'] img").all()
    assert icons and all(icon.get_attribute("alt") for icon in icons), "an icon has no text alternative"
    captions = " ".join(page.locator("[data-testid='stCaptionContainer']").all_inner_texts())
    assert "✘ Not met" in captions or "✔ Met" in captions


def test_click_through_overview_to_portfolio_to_deep_dive(page, dashboard):
    visit(page, dashboard, "")
    portfolio = CONFIG.portfolios[0]
    page.get_by_role("link", name="Open portfolio").first.click()
    page.wait_for_url(f"**/{portfolio.id}?**")
    settle(page)
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == portfolio.title
    focus = next(m for m in portfolio.metrics if m.is_focus(page.url.split("period=")[1][:7]))
    page.get_by_role("link", name=f"Deep dive: {focus.label}").first.click()
    page.wait_for_url("**/deep-dive?**")
    settle(page)
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == focus.label


def test_scorecard_row_opens_its_deep_dive(page, dashboard):
    portfolio = CONFIG.portfolios[0]
    visit(page, dashboard, f"{portfolio.id}?view=Scorecard")
    grid = page.locator("[data-testid='stDataFrame']").first.bounding_box()
    page.mouse.click(grid["x"] + 18, grid["y"] + 35 + 17)  # the selection box of the first row, under the header
    page.wait_for_url("**/deep-dive?**")
    settle(page)
    first = next(m for m in portfolio.metrics if m.category == portfolio.categories[0])
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == first.label


@pytest.mark.parametrize("name, path", PAGES, ids=[name for name, _ in PAGES])
def test_full_hd_screenshot(browser, dashboard, name, path):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(f"{dashboard}/{path}")
    settle(page)
    screenshot(page, name)
    context.close()
