"""Screenshot every page in headless Chromium, for a person to look at.

    python scripts/screenshots.py [--out artifacts/screenshots] [--size 1280x720] [--query period=2026-09]

Starts the dashboard on a free loopback port, visits the overview, each portfolio page, a deep dive
and About the data, and writes one full-page PNG each. Uses Debian's Chromium (/usr/bin/chromium);
never downloads a browser.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portfolio.workspace import load_workspace  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise RuntimeError("the dashboard did not start within 60 s")


def pages() -> list[tuple[str, str]]:
    workspace = load_workspace()
    first = workspace.config.portfolios[0]
    return ([("overview", "")] + [(p.id, p.id) for p in workspace.config.portfolios]
            + [("deep-dive", f"deep-dive?metric={first.headline_metrics[0].id}"), ("about", "about")])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "screenshots")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--query", default="", help="extra query string, such as period=2026-09&org=RBL")
    parser.add_argument("--full-page", action="store_true",
                        help="capture the whole page (Streamlit scrolls inside the page, so the window is made tall)")
    args = parser.parse_args()
    width, height = map(int, args.size.split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = start_server(port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": width, "height": 4000 if args.full_page else height})
            for name, path in pages():
                joiner = "&" if "?" in path else "?"
                url = f"http://127.0.0.1:{port}/{path}" + (f"{joiner}{args.query}" if args.query else "")
                page.goto(url)
                page.wait_for_selector("[data-testid='stMain'] h1", timeout=60000)
                page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60000)
                page.wait_for_timeout(4000)
                target = args.out / f"{name}-{width}x{height}.png"
                page.screenshot(path=str(target))
                print(target)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
