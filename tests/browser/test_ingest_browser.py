"""Reading a report into the record in a real browser (issue 16 item 8): the mediator pastes a wire
report, reviews the proposals, drops one, applies, and sees the entries written."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in

NAME = "peace-framework-2025"
# a wire report about the flagship example, written for this test
REPORT = """GENEVA, Nov 24 (Example Wire) - Ukrainian and US delegations met for six hours in Geneva on \
Sunday to work through the US draft framework.

Ukraine's foreign minister said giving up territory was "a non-starter" for Kyiv.

The Kremlin said it was studying the text on security guarantees.
"""


def test_the_mediator_pastes_a_report_drops_a_proposal_and_applies_the_rest(server: str, page: Page) -> None:
    log_in(page, server, "mediator")
    page.goto(f"{server}/n/{NAME}/timeline")
    page.click("#read-a-report")
    page.wait_for_url(f"{server}/n/{NAME}/ingest")
    page.get_by_label("The report's text").fill(REPORT)
    page.get_by_label("Outlet").fill("Example Wire")
    page.click("button:text('Read the report')")
    expect(page.locator("h1")).to_have_text("Review what the report proposes", timeout=60_000)
    expect(page.locator("#report")).to_contain_text("Dated 24 November 2025 (from its dateline)")
    kremlin = page.locator("fieldset[data-kind=stance]", has_text="Russian Federation is studying")
    expect(kremlin.locator("blockquote.evidence")).to_contain_text("studying the text on security guarantees")
    ukraine = page.locator("fieldset[data-kind=stance]", has_text="Stance: Ukraine rejects")
    expect(ukraine.get_by_label("Accept: write this stance to the record")).to_be_checked()
    kremlin.get_by_label("Accept: write this stance to the record").uncheck()
    page.click("button:text('Apply the accepted proposals')")
    expect(page.locator("h1")).to_have_text("Written to the record")
    written = page.locator("#written li")
    expect(written.filter(has_text="Stance: Ukraine rejects")).to_have_count(1)
    expect(written.filter(has_text="Russian Federation is studying")).to_have_count(0)
    expect(page.locator("#dropped")).to_contain_text("Russian Federation is studying")
    # the written stance where the workbench shows it
    written.filter(has_text="Stance: Ukraine rejects").locator("a").click()
    page.wait_for_url(f"{server}/n/{NAME}/matrix#row-*")
