"""Interactive pictures in Debian's Chromium (issue 17 item 2): the explorer's frontier drawn by
vega-embed under the site's Content-Security-Policy (no eval, no inline style, nothing from another
host); hovering a package reads it in words, clicking it opens its comparison with the latest draft."""

from __future__ import annotations

import re

from playwright.sync_api import ConsoleMessage, Page, Request, expect

from tests.browser.conftest import log_in
from tests.web.charted import FLAGSHIP

NAME = "peace-framework-2025"


def test_hovering_a_frontier_package_reads_it_and_clicking_compares_it_with_the_draft(
    page: Page, server: str
) -> None:
    complaints: list[str] = []
    elsewhere: list[str] = []

    def heard(message: ConsoleMessage) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            complaints.append(message.text)

    def asked(request: Request) -> None:
        if not request.url.startswith(server) and not request.url.startswith("data:"):
            elsewhere.append(request.url)

    page.on("console", heard)
    page.on("pageerror", lambda error: complaints.append(str(error)))
    page.on("request", asked)
    log_in(page, server, "mediator")
    page.goto(f"{server}/n/{NAME}/explorer")
    chart = page.locator("#frontier-chart-1.vl-drawn svg")
    expect(chart).to_be_visible(timeout=60_000)
    # three parties: the two shown are chosen in lists vega-embed draws, labelled
    expect(page.locator("#frontier-chart-1 .vega-bindings select")).to_have_count(2)
    expect(page.locator("#frontier-chart-2.vl-drawn svg")).to_be_visible()  # every party at once

    # the marked packages are drawn last, on top: the last is the latest draft
    symbols = page.locator("#frontier-chart-1 .mark-symbol.role-mark path")
    assert symbols.count() > 10
    symbols.last.hover(force=True)
    tooltip = page.locator("#vg-tooltip-element.visible")
    expect(tooltip).to_be_visible()
    words = tooltip.inner_text()
    assert re.search(r"package\s+draft \d+", words), words
    assert "Russian Federation (utility)" in words
    first = FLAGSHIP.points[0]
    assert f"1. {first.title}" in words
    assert any(option.text in words for option in first.options), words  # the option's words

    # a frontier package (one in the middle of the cloud: the first lies under the concepts' marks)
    symbols.nth(symbols.count() // 3).hover(force=True)
    expect(tooltip).to_contain_text(re.compile(r"package\s*package \d+"))
    expect(tooltip).to_contain_text(f"1. {first.title}")

    # clicking the package compares it with the latest draft (the draft itself offers no such link:
    # it would compare the draft with itself)
    symbols.nth(symbols.count() // 3).click(force=True)
    page.wait_for_url(re.compile(rf"{re.escape(server)}/n/{NAME}/compare\?.+"))
    expect(page.locator("h1")).to_have_text("A package beside the latest draft")
    expect(page.locator("#compare-summary")).to_contain_text(re.compile(r"differ on \d+ of"))
    assert not complaints, complaints
    assert not elsewhere, elsewhere


def test_hovering_the_estimate_chart_reads_a_point_s_weight_before_and_after_the_evidence(
    page: Page, server: str
) -> None:
    complaints: list[str] = []
    page.on("console", lambda m: complaints.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: complaints.append(str(error)))
    log_in(page, server, "mediator")
    page.goto(f"{server}/n/{NAME}/estimates/russia?samples=200")
    expect(page.locator("#weights-chart.vl-drawn svg")).to_be_visible(timeout=60_000)
    marks = page.locator("#weights-chart .mark-symbol.role-mark path")
    assert marks.count() == 2 * len(FLAGSHIP.points)  # a prior and a posterior mark per point
    marks.first.hover(force=True)
    tooltip = page.locator("#vg-tooltip-element.visible")
    expect(tooltip).to_be_visible()
    first = FLAGSHIP.points[0]
    expect(tooltip).to_contain_text(f"1. {first.title}")
    expect(tooltip).to_contain_text("90% interval")
    expect(tooltip).to_contain_text(re.compile(r"(prior|posterior) \("))
    assert not complaints, complaints
