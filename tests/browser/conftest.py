"""One dashboard server and one Chromium for the whole browser suite.

Chromium is Debian's (/usr/bin/chromium, installed by scripts/install-test-packages.sh); Playwright
only drives it. Without it the suite is skipped locally and fails in CI.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def dashboard():
    """The dashboard on the bundled sample, served on a free loopback port."""
    port = _free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PORTFOLIO_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"the dashboard did not start:\n{server.stdout.read().decode(errors='replace')}")
            time.sleep(0.5)
    yield url
    server.terminate()
    server.wait(timeout=15)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = "Debian's Chromium is not installed: run scripts/install-test-packages.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def page(browser):
    """One page in one context, reused by every test; console errors are collected on it."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(f"uncaught: {error}"))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    yield page
    context.close()


def settle(page) -> None:
    """Wait until the page has finished running (Streamlit marks its app element with the script
    state), its heading is shown, and every chart is drawn."""
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
    page.wait_for_function(
        "document.querySelector('[data-testid=stApp]').getAttribute('data-test-script-state') === 'notRunning'",
        timeout=90_000)
    page.wait_for_function(
        "Array.from(document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]'))"
        ".every(chart => chart.querySelector('svg, canvas'))", timeout=30_000)
    page.wait_for_timeout(300)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    path = SCREENSHOTS / f"{name}-{size['width']}x{size['height']}.png"
    page.screenshot(path=str(path))
    return path

