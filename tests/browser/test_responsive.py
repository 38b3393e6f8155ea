"""Responsive enough for a laptop and a tablet (issue 17 item 7): the mediator's main pages of the
flagship, at 1280 and at 1024 px wide, never scroll sideways, keep each main table (and the briefing's
frame) inside the window, and cut nothing off."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in

NAME = "peace-framework-2025"
FEW = 300  # the briefing's robustness samples: its layout is the same whatever their number

# page (after /n/NAME) -> its main tables
PAGES: dict[str, tuple[str, ...]] = {
    "": ("#convergence",),
    "/drafts": ("#drafts",),
    "/drafts/3": ("#draft-text",),
    "/matrix": ("#matrix",),
    "/matrix?draft=1": ("#matrix",),
    "/stances/history": ("#stance-history",),
    "/adjusted-winner?a=russia&b=ukraine": ("#allocation",),
    "/explorer": ("#utilities", "#package"),  # with Nash's package found
    "/timeline": ("#timeline",),
    "/people": ("#people", "#sources-table"),
    "/people?edit=us-envoys": ("#people", "#edit-person"),
    "/meetings": ("#meetings",),
    "/papers": ("#papers",),
    "/statements": ("#statements",),
    "/events": ("#events",),
    "/audit": ("#audit",),
    "/amend": ("#amend table",),
    "/preferences/russia": ("main table",),
    f"/briefing?for=mediator&format=html&samples={FEW}": ("#briefing",),  # the briefing's frame
}

# what sticks out of the window, or is cut off inside its box (a form field scrolls its own text)
OVERFLOW = """() => {
  const width = window.innerWidth;
  const found = [];
  for (const element of document.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const name = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '');
    if (box.left < -0.5 || box.right > width + 0.5) {
      found.push(`${name} spans ${Math.round(box.left)}-${Math.round(box.right)} px`);
      continue;
    }
    if (['INPUT', 'SELECT', 'TEXTAREA', 'OPTION'].includes(element.tagName)) continue;
    const overflow = getComputedStyle(element).overflowX;
    if (overflow !== 'visible' && element.scrollWidth > element.clientWidth + 1) {
      found.push(`${name} cuts off or scrolls ${element.scrollWidth - element.clientWidth} px (${overflow})`);
    }
  }
  return found.slice(0, 5);
}"""


@pytest.fixture(params=(1280, 1024), ids=("1280px", "1024px"))
def wide(request: pytest.FixtureRequest, browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": request.param, "height": 800})
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    log_in(opened, server, "mediator")
    yield opened
    context.close()


def _show(page: Page, server: str, path: str) -> None:
    page.goto(f"{server}/n/{NAME}{path}")
    if path == "/explorer":
        page.select_option("#concept", "nash")
        page.click("#run")
        expect(page.locator("#package")).to_be_visible()
    if path.startswith("/briefing"):
        expect(page.frame_locator("#briefing").locator("h1")).to_contain_text("Briefing", timeout=120_000)


def _problems(page: Page, path: str, tables: tuple[str, ...]) -> list[str]:
    width = page.viewport_size["width"] if page.viewport_size else 0
    problems: list[str] = []
    scrolled: Any = page.evaluate("() => document.scrollingElement.scrollWidth")
    if scrolled > width:
        problems.append(f"{path or '/'}: the page is {scrolled} px wide in a {width} px window")
    for selector in tables:
        table = page.locator(selector).first
        expect(table).to_be_visible()
        box = table.bounding_box()
        assert box is not None
        if box["x"] < 0 or box["x"] + box["width"] > width + 0.5:
            problems.append(
                f"{path or '/'}: {selector} spans {box['x']:.0f}-{box['x'] + box['width']:.0f} px "
                f"in a {width} px window"
            )
    problems += [f"{path or '/'}: {p}" for p in page.evaluate(OVERFLOW)]
    if path.startswith("/briefing"):  # the briefing's own document, in its frame
        handle = page.locator("#briefing").element_handle()
        frame = handle.content_frame() if handle else None
        assert frame is not None
        inside, frame_width = frame.evaluate("() => [document.scrollingElement.scrollWidth, innerWidth]")
        if inside > frame_width:
            problems.append(f"the briefing is {inside} px wide in its {frame_width} px frame")
    return problems


LONG_URL = "https://example.org/" + "anaddresswithnoplacetobreakatall" * 8


def test_the_main_pages_fit_the_window_and_cut_nothing_off(wide: Page, server: str) -> None:
    # a source whose address has no place to break, listed on the people page
    wide.goto(f"{server}/n/{NAME}/people")
    wide.fill("#add-source input[name=outlet]", "A long-winded wire")
    wide.fill("#add-source input[name=url]", LONG_URL)
    wide.click("#add-source button[type=submit]")
    expect(wide.locator("#sources-table")).to_contain_text("A long-winded wire")
    problems: list[str] = []
    for path, tables in PAGES.items():
        _show(wide, server, path)
        problems += _problems(wide, path, tables)
    assert not problems, "\n".join(problems)
