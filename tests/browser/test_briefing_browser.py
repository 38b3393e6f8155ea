"""The briefing in a real browser (issue 15 item 1): the mediator opens the page from the negotiation's
tabs, makes the briefing, reads its sections in the page's frame, and downloads the PDF."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in

NAME = "peace-framework-2025"
SECTIONS = (
    "The situation",
    "Where each party stands",
    "What blocks a deal",
    "Options",
    "Risks",
    "Next steps",
)
FEW = 300  # robustness samples: the sections are there whatever their number


def test_the_mediator_reads_the_briefing_in_the_page_and_downloads_its_pdf(server: str, page: Page) -> None:
    log_in(page, server, "mediator")
    page.click(f"a[href='/n/{NAME}']")
    page.click("nav.tabs >> text=Briefing")
    page.wait_for_url(f"{server}/n/{NAME}/briefing")
    expect(page.locator("#for option")).to_have_count(4)  # the mediator's and each party's
    page.goto(f"{server}/n/{NAME}/briefing?samples={FEW}")
    page.select_option("#for", "mediator")
    page.select_option("#format", "html")
    page.click("#make")
    expect(page.locator("#downloads")).to_contain_text("for the mediator")
    shown = page.frame_locator("#briefing")
    expect(shown.locator("h1")).to_contain_text("Briefing for the mediator", timeout=120_000)
    headings = shown.locator("section h2")
    expect(headings).to_have_count(len(SECTIONS))
    for n, title in enumerate(SECTIONS):
        expect(headings.nth(n)).to_contain_text(title)
    expect(shown.locator("figure svg").first).to_be_visible()  # a chart, drawn in the frame
    with page.expect_download(timeout=120_000) as downloading:
        page.click("#downloads a:text-is('PDF')")
    download = downloading.value
    assert download.suggested_filename.startswith(f"briefing-{NAME}-mediator-")
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
