"""Every page and every tab in a real browser at 1280×720: it renders, draws its charts, reads well
on a shared screen (its first figure high up, nothing sideways, no tab strip cut off, no file or
config wording), and has no serious accessibility violations in the dashboard's own content."""

import csv as csv_module
import re
import shutil
import subprocess
from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pypdf import PdfReader

from portfolio.config.loading import load_config
from tests.browser.conftest import SCREENSHOTS, screenshot, settle
from tests.conftest import NOT_FOR_A_BOARD, ROOT

CONFIG = load_config(ROOT / "config")
FIRST_METRIC = CONFIG.portfolios[0].headline_metrics[0]
PAGES = [("overview", ""), ("deep-dive", f"deep-dive?metric={FIRST_METRIC.id}"), ("about", "about"),
         ("meetings", "meetings"), ("attendances", "attendances")]
TABS = [(f"{p.id}-{re.sub(r'[^a-z0-9]+', '-', tab.lower().replace('&', 'and'))}", f"{p.id}?view={quote(tab)}")
        for p in CONFIG.portfolios for tab in p.tabs]
EVERY_VIEW = PAGES + TABS
# what counts as a figure: a headline number, a table, a chart or a map
FIGURES = ("[data-testid='stMetric'], [data-testid='stTable'], [data-testid='stDataFrame'], "
           "[data-testid='stVegaLiteChart'], [data-testid='stDeckGlJsonChart'], [data-testid='stHtml'] table")
FIRST_FIGURE_BY = 300  # px from the top of a 1280×720 screen
# Streamlit's own chrome (navigation, header, sidebar) is outside our control, so axe scans only
# the main content the dashboard draws.
AXE_CONTEXT = {"include": [["[data-testid='stMain']"]],
               "exclude": [["[data-testid='stSidebar']"], ["[data-testid='stHeader']"], ["[data-testid='stTopNav']"]]}
# Network noise, not code: the browser's own failed loads (there is no network here).
IGNORED_CONSOLE = ("Failed to load resource",)
CHIP_WORDS = ("better than", "worse than", "about the same as", "higher than", "lower than", "No change from")


def visit(page, dashboard, path: str) -> None:
    page.errors.clear()
    page.goto(f"{dashboard}/{path}")
    settle(page)


def first_figure_top(page) -> float | None:
    """The top of the highest figure drawn in the main content, waiting a little for one: a table
    can be in the page with no height for a moment after the run ends, while its width is measured
    (seen once in CI on the About page)."""
    try:
        found = page.wait_for_function(f"""(() => {{
            const tops = Array.from(document.querySelector('[data-testid=stMain]').querySelectorAll("{FIGURES}"))
                .map(e => e.getBoundingClientRect()).filter(r => r.height > 0).map(r => r.top);
            return tops.length ? {{top: Math.min(...tops)}} : null; }})()""", timeout=10_000)
    except PlaywrightTimeout:
        return None
    return found.json_value()["top"]


@pytest.mark.parametrize("name, path", EVERY_VIEW, ids=[name for name, _ in EVERY_VIEW])
def test_every_page_and_tab_reads_well_at_1280x720(page, dashboard, name, path):
    visit(page, dashboard, path)
    main = page.locator("[data-testid='stMain']")
    assert main.locator("[data-testid='stException']").count() == 0
    assert main.locator("[data-testid='stAlertContentError']").count() == 0
    assert [e for e in page.errors if not e.startswith(IGNORED_CONSOLE)] == []
    for chart in main.locator("[data-testid='stVegaLiteChart']").all():
        assert chart.locator("svg, canvas").count() > 0, "a chart was not drawn"
        assert chart.get_attribute("aria-label"), "a chart has no alt text"
    widths = page.evaluate("(() => { const m = document.querySelector('[data-testid=stMain]');"
                           " return [m.scrollWidth, m.clientWidth, document.documentElement.scrollWidth,"
                           " window.innerWidth]; })()")
    assert widths[0] <= widths[1] and widths[2] <= widths[3], f"horizontal scroll at 1280×720: {widths}"
    top = first_figure_top(page)
    assert top is not None and top <= FIRST_FIGURE_BY, f"the first figure starts at y = {top}"
    strips = page.evaluate("Array.from(document.querySelectorAll('[data-baseweb=tab-list]'))"
                           ".map(t => [t.scrollWidth, t.clientWidth])")
    assert all(scroll <= client for scroll, client in strips), f"a tab strip overflows: {strips}"
    words = NOT_FOR_A_BOARD.findall(page.inner_text("body"))
    assert words == [], f"developer wording on a board screen: {words}"
    results = Axe().run(page, context=AXE_CONTEXT)
    serious = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    screenshot(page, name)


@pytest.mark.parametrize("portfolio", CONFIG.portfolios, ids=[p.id for p in CONFIG.portfolios])
def test_a_whole_year_of_scorecard_fits_the_screen(page, dashboard, portfolio):
    visit(page, dashboard, f"{portfolio.id}?view=Scorecard&period=2026-03")  # M12: twelve months across
    table = page.locator("[data-testid='stHtml'] table").first
    headings = table.locator("thead th").all_inner_texts()
    assert sum(bool(re.fullmatch(r"[A-Z][a-z]{2}-\d{2}", h.strip())) for h in headings) == 12
    assert {"Target", "Progress", "SPC"} <= {h.strip() for h in headings}
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280, f"the scorecard is wider than the screen: {box}"
    assert page.evaluate("(() => { const t = document.querySelector('[data-testid=stHtml] table');"
                         " return t.scrollWidth <= t.parentElement.clientWidth; })()")
    names = table.locator("tbody th[scope=row]").all_inner_texts()
    assert names and not any(n.endswith("…") for n in names)  # names in full, wrapped where needed
    screenshot(page, f"{portfolio.id}-scorecard-m12")


def test_status_is_never_shown_by_colour_alone(page, dashboard):
    visit(page, dashboard, "")
    deltas = page.locator("[data-testid='stMetricDelta']").all_inner_texts()
    assert deltas and all(any(word in d for word in CHIP_WORDS) for d in deltas), deltas
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


def test_a_scorecard_name_opens_its_deep_dive_in_the_same_tab(page, dashboard):
    portfolio = CONFIG.portfolios[0]
    visit(page, dashboard, f"{portfolio.id}?view=Scorecard")
    first = next(m for m in portfolio.metrics if m.category == portfolio.categories[0])
    page.locator("[data-testid='stHtml'] tbody th a").first.click()
    page.wait_for_url("**/deep-dive?**")
    settle(page)
    assert len(page.context.pages) == 1  # no new tab
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == first.label


def test_a_count_in_the_icon_matrix_lists_its_metrics(page, dashboard):
    visit(page, dashboard, "")
    matrix = page.locator("[data-testid='stHtml'] table").first
    link = matrix.locator("tbody a[href*='matrix=']").first
    count, words = int(link.inner_text()), link.evaluate("a => a.parentElement.title")
    link.click()
    page.wait_for_url("**matrix=**")
    settle(page)
    listed = page.locator("[data-testid='stHtml'] table").nth(1)
    assert listed.locator("tbody tr").count() == count, words
    assert page.get_by_role("link", name="Close this list").count() == 1


@pytest.mark.parametrize("name, path", PAGES, ids=[name for name, _ in PAGES])
def test_full_hd_screenshot(browser, dashboard, name, path):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(f"{dashboard}/{path}")
    settle(page)
    screenshot(page, name)
    context.close()


def test_a_view_downloads_as_a_pdf_page_and_each_table_as_a_csv(page, dashboard):
    visit(page, dashboard, "finance?view=Financial%20position")
    page.get_by_role("button", name="Download", exact=True).click()
    with page.expect_download(timeout=60_000) as pdf:
        page.get_by_role("button", name=re.compile(r"This view \(PDF\)")).click()
    reader = PdfReader(pdf.value.path())
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert reader.metadata.title == "Finance: Financial position" and "Period: 2026/27 M7 (Oct-26)" in text
    assert sum(len(p.images) for p in reader.pages) == 1  # the waterfall chart, drawn as on the page
    with page.expect_download(timeout=60_000) as csv:
        page.get_by_role("button", name="Surplus / (deficit) by organisation, year to date and forecast outturn (CSV)").click()
    rows = list(csv_module.reader(open(csv.value.path(), encoding="utf-8")))
    assert rows[0][0] == "Organisation" and rows[1][0] == "Cheshire & Merseyside" and len(rows) > 5
    if shutil.which("pdftoppm"):  # the PDF page as a picture, to look at beside the screenshots
        subprocess.run(["pdftoppm", "-r", "50", "-png", pdf.value.path(),
                        str(SCREENSHOTS / "view-finance-financial-position")], check=True, timeout=60)


def test_no_page_fetches_anything_from_outside_the_dashboard(page, dashboard):
    """The maps draw no basemap: NHS networks may block tile servers, and the page says none is
    loaded. Nothing else (fonts, icons, pictures in commentary) is fetched from elsewhere either."""
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    maps = 0
    for path in ("social_value?view=Local%20spend", "deep-dive?metric=ae_4hr_all", "", "uec"):
        visit(page, dashboard, path)
        page.wait_for_timeout(1500)  # a map asks for its style once it is drawn
        maps += page.locator("[data-testid='stDeckGlJsonChart'] canvas").count()
    assert maps >= 2  # the local spend map and the deep dive's map were drawn
    assert [url for url in fetched if not url.startswith((dashboard, "data:", "blob:"))] == []


def test_a_table_offers_no_download_of_its_own(page, dashboard):
    """Streamlit's own table download would export text a spreadsheet runs as a formula: it is
    off (client.disableDataExport), and the page's Download menu has the table's CSV instead."""
    visit(page, dashboard, "deep-dive?metric=ae_4hr_all")
    table = page.locator("[data-testid='stDataFrame']").first
    table.hover()
    page.wait_for_timeout(300)
    assert table.count() == 1 and page.get_by_role("button", name="Download as CSV").count() == 0
    page.get_by_role("button", name="Download", exact=True).click()
    assert page.get_by_role("button", name=re.compile(r"month by month \(CSV\)")).count() == 1
