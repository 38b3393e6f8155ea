"""Pictures of the workbench's main pages for the README: `accord serve --demo` on a fresh database,
Debian's Chromium at 1280 px, the flagship as its mediator; written to docs/screenshots/.

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
NAME = "peace-framework-2025"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
REPORT = (ROOT / "docs" / "ingest.md").read_text(encoding="utf-8").split("```text\n", 1)[1].split("```", 1)[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _charts_drawn(page: Page) -> None:
    """Wait until vega-embed has drawn every interactive chart of the page (charts.js marks each)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.vl-chart')].every(c => c.classList.contains('vl-drawn'))",
        timeout=120_000,
    )


def _shoot(page: Page, name: str) -> None:
    _charts_drawn(page)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
    print(f"wrote docs/screenshots/{name}.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "accord",
                "serve",
                "--demo",
                "--port",
                str(port),
                "--db",
                f"{folder}/a.db",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{url}/login", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("the demo server did not start")
                time.sleep(0.2)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
                page = browser.new_page(viewport={"width": 1280, "height": 860})
                page.goto(f"{url}/login")
                page.fill("input[name=username]", "mediator")
                page.fill("input[name=password]", "mediator-demo-password")
                page.click("button[type=submit]")
                page.wait_for_url(f"{url}/negotiations")
                for path, name in (
                    (f"/n/{NAME}", "overview"),
                    (f"/n/{NAME}/matrix", "stances"),
                    (f"/n/{NAME}/drafts/3", "draft"),
                    (f"/n/{NAME}/timeline", "timeline"),
                ):
                    page.goto(url + path)
                    _shoot(page, name)
                page.goto(f"{url}/n/{NAME}/explorer")
                page.select_option("#concept", "nash")
                page.click("#run")
                page.wait_for_selector("#package", timeout=120_000)
                page.wait_for_selector("#frontier .vl-chart", timeout=120_000)
                _shoot(page, "explorer")
                page.locator("#frontier").screenshot(path=str(OUT / "frontier.png"))
                print("wrote docs/screenshots/frontier.png")
                page.goto(f"{url}/n/{NAME}/ingest")
                page.fill("textarea[name=text]", REPORT)
                page.click("main form button[type=submit]")
                page.wait_for_load_state()
                _shoot(page, "ingest-review")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
