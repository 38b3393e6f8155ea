"""Accessibility (issue 17 item 5): axe-core, run in Debian's Chromium on every page of the workbench as
the flagship's mediator and as a party's member, finds no violation of impact serious or critical;
every table names its headers (th with a scope); and from the top of the draft page and the stances
page the Tab key reaches every control in order, its focus drawn as a visible ring.

The pages come from the app's own routes: every GET route outside the JSON API is opened with the
flagship's sample parameters, so a new page is checked without being listed here. A route that is no
page of its own (a download, a fragment htmx swaps into a page, a redirect) is named in NOT_PAGES with
the reason; a route with a parameter that has no sample fails until SAMPLES has one.

axe-core's script comes inside the axe-playwright-python package (axe.min.js, MPL-2.0) and is injected
into the page by Playwright: nothing is fetched, and the page's Content-Security-Policy stays as served.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from fastapi.routing import APIRoute
from playwright.sync_api import Browser, Page, expect

from accord.storage.database import open_database
from accord.web.app import create_app
from tests.browser.conftest import log_in
from tests.web.charted import COMPARED

NAME = "peace-framework-2025"
FEW = 300  # the briefing's robustness samples: its markup is the same whatever their number
SERIOUS = ("serious", "critical")

# a sample of the flagship for each path parameter of a page
SAMPLES = {"name": NAME, "version": "3", "party": "russia", "paper": "us-28-points"}
# a page's query string: parameters it requires, or a state worth checking beyond its empty form
QUERIES = {
    "/n/{name}/diff": "a=1&b=3",
    "/n/{name}/stances/on-behalf": "party=russia&point=7&draft=3",
    "/n/{name}/estimates/{party}": "samples=300",
    "/n/{name}/compare": COMPARED,
}
# GET routes that are no page of their own, and why
NOT_PAGES = {
    "/": "a redirect to /negotiations or the log-in page",
    "/openapi.json": "the API's schema (JSON); its page /docs is checked",
    "/n/{name}/explorer/result": "a fragment htmx swaps into the explorer: checked there after a run",
    "/n/{name}/frontier.png": "a picture, shown in the explorer with its text alternative",
    "/n/{name}/explorer/frontier": "a fragment htmx swaps into the explorer: checked there when drawn",
    "/n/{name}/stances/over-drafts": "a fragment htmx swaps into the stances page: checked there when drawn",
    "/static/vega.js": "a script (Vega, Vega-Lite and vega-embed), served from the package",
    "/n/{name}/papers/{paper}/content": "a paper's file, downloaded",
    "/n/{name}/briefing/download": "the briefing's document: checked in its frame on the briefing page",
    "/n/{name}/export": "a scenario file, downloaded",
    "/n/{name}/jobs/{job}": "a job's page needs a job: checked in the later states after one",
    "/n/{name}/jobs/{job}/progress": "a fragment htmx swaps into a run's page: checked there",
    "/n/{name}/jobs/{job}/result": "a job's result needs a job: checked in the later states after one",
    "/n/{name}/jobs/{job}/acceptance.png": "a picture, shown in a run's result with its text alternative",
}

axe = Axe()


def _get_routes(routes: list[Any], found: list[str]) -> None:
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:  # a router included with include_router
            _get_routes(list(included.routes), found)
        elif isinstance(route, APIRoute) and "GET" in (route.methods or ()):
            found.append(route.path)


def page_routes() -> list[str]:
    """The app's GET routes that are pages: outside the JSON API and NOT_PAGES."""
    found: list[str] = []
    _get_routes(list(create_app(open_database("sqlite://")).routes), found)
    return [r for r in found if not r.startswith("/api/") and r not in NOT_PAGES]


def address(route: str) -> str:
    missing = set(re.findall(r"{(\w+)}", route)) - set(SAMPLES)
    assert not missing, f"{route}: no sample for {sorted(missing)}: add one to SAMPLES"
    path = route.format(**SAMPLES)
    return f"{path}?{QUERIES[route]}" if route in QUERIES else path


def violations(page: Page, where: str) -> list[str]:
    """axe-core's serious and critical findings on the page: rule, help text, and each element."""
    found: list[str] = []
    for v in axe.run(page).response["violations"]:
        if v["impact"] not in SERIOUS:
            continue
        found.append(f"{where}: {v['impact']} {v['id']}: {v['help']}")
        for node in v["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            found.append(f"    {' '.join(node['target'])}: {node['html'][:200]}\n      {summary[:300]}")
    return found


# every table has header cells, and each says whether it heads a column or a row
HEADERS = """() => {
  const found = [];
  document.querySelectorAll('table').forEach((table, n) => {
    const name = table.id ? '#' + table.id : `table ${n + 1}`;
    if (!table.querySelector('th')) found.push(`${name} has no header cell (th)`);
    table.querySelectorAll('th:not([scope])').forEach(
      th => found.push(`${name}: th "${th.textContent.trim()}" has no scope`));
  });
  return found;
}"""


def problems(page: Page, where: str) -> list[str]:
    return violations(page, where) + [f"{where}: {p}" for p in page.evaluate(HEADERS)]


@pytest.fixture
def seat(request: pytest.FixtureRequest, browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    log_in(opened, server, request.param)
    yield opened
    context.close()


def test_the_page_list_comes_from_the_app_and_holds_every_page() -> None:
    routes = page_routes()
    for route in ("/login", "/negotiations", "/n/{name}", "/n/{name}/matrix", "/n/{name}/drafts/{version}"):
        assert route in routes
    assert len(routes) >= 30
    for route in routes:
        address(route)  # every parameter has its sample


@pytest.mark.parametrize("seat", ["mediator", "russia"], indirect=True)
def test_every_page_has_no_serious_accessibility_violation(seat: Page, server: str) -> None:
    """The mediator sees every page; a party's member sees its own, and the refusal of the others."""
    found: list[str] = []
    opened = 0
    for route in page_routes():
        path = address(route)
        if route == "/login":
            continue  # below, signed out
        response = seat.goto(f"{server}{path}")
        assert response is not None, path
        assert response.headers["content-type"].startswith("text/html"), (
            f"{route} answers {response.headers['content-type']}: name it in NOT_PAGES with the reason"
        )
        opened += response.ok
        found += problems(seat, f"{path} ({response.status})")
    assert opened >= 12, f"only {opened} pages opened"
    seat.context.clear_cookies()
    seat.goto(f"{server}/login")
    found += problems(seat, "/login")
    assert not found, "\n".join(found)


def test_pages_in_their_later_states_have_no_serious_accessibility_violation(
    page: Page, browser: Browser, server: str
) -> None:
    """What appears after a click: the explorer's answer, the briefing in its frame, forms with their
    problems shown, jobs and their kept results."""
    log_in(page, server, "mediator")
    found: list[str] = []
    page.goto(f"{server}/n/{NAME}/explorer")
    page.select_option("#concept", "nash")
    page.click("#run")
    expect(page.locator("#package")).to_be_visible()
    expect(page.locator("#frontier-chart-1.vl-drawn svg")).to_be_visible(timeout=60_000)
    found += problems(page, "the explorer after a run, its frontier drawn")
    # the other interactive charts, drawn (vega-embed's SVG and its lists of parties)
    page.goto(f"{server}/n/{NAME}/matrix")
    expect(page.locator("#stances-chart.vl-drawn svg")).to_be_visible(timeout=60_000)
    found += problems(page, "the stances page, the stances over the drafts drawn")
    page.goto(f"{server}/n/{NAME}/timeline")
    expect(page.locator("#timeline-chart.vl-drawn svg")).to_be_visible(timeout=60_000)
    found += problems(page, "the timeline, drawn")
    # a form sent empty: its problems at their fields
    page.goto(f"{server}/n/{NAME}/stances/on-behalf")
    page.click("main form button[type=submit]")
    expect(page.locator("#problems")).to_be_visible()
    found += problems(page, "the on-behalf form with its problems")
    # the briefing in its frame, and the briefing's own document (its policy lets no script run in
    # the frame, so axe reads the same markup in a page of its own)
    page.goto(f"{server}/n/{NAME}/briefing?for=mediator&format=html&samples={FEW}")
    expect(page.frame_locator("#briefing").locator("h1")).to_contain_text("Briefing", timeout=120_000)
    found += problems(page, "the briefing page")
    source = page.locator("#briefing").get_attribute("src")
    assert source is not None
    document = browser.new_context().new_page()
    document.set_content(page.request.get(f"{server}{source}").text())
    found += violations(document, "the briefing's document")
    document.context.close()
    # a robustness run (a job): its page while it runs or when done, and its result
    page.goto(f"{server}/n/{NAME}/robustness")
    page.fill("input[name=samples]", str(FEW))
    page.fill("input[name=resolves]", "0")
    page.click("main form button[type=submit]")
    expect(page.locator("#job-progress")).to_be_visible()
    found += problems(page, "a robustness run's page")
    expect(page.locator("#result-link")).to_be_visible(timeout=120_000)
    found += problems(page, "a robustness run's page when done")
    page.click("#result-link")
    expect(page.locator("#robustness-chart-2.vl-drawn svg")).to_be_visible(timeout=60_000)
    found += problems(page, "a robustness run's result, its charts drawn")
    # an estimate as a job, and its kept result; the seat's jobs listed
    page.goto(f"{server}/n/{NAME}/estimates/russia?samples={FEW}")
    page.fill("#job-samples", str(FEW))
    page.click("#start-job button[type=submit]")
    expect(page.locator("#result-link")).to_be_visible(timeout=120_000)
    found += problems(page, "an estimate job's page when done")
    page.click("#result-link")
    expect(page.locator("#kept")).to_be_visible()
    found += problems(page, "an estimate job's result")
    # a solve as a job (the explorer offers one for a large negotiation; the flagship is small, so the
    # form is sent as the offer's would be) and its kept result
    page.goto(f"{server}/n/{NAME}/estimates/russia?samples={FEW}")  # a page with the session's token
    page.evaluate(
        """(name) => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = `/n/${name}/explorer/jobs`;
      for (const [k, v] of [['concept', 'leximin'],
          ['csrf_token', document.querySelector('input[name=csrf_token]').value]]) {
        const input = document.createElement('input');
        input.type = 'hidden'; input.name = k; input.value = v;
        form.appendChild(input);
      }
      document.body.appendChild(form);
      form.submit();
    }""",
        NAME,
    )
    expect(page.locator("#result-link")).to_be_visible(timeout=120_000)
    page.click("#result-link")
    expect(page.locator("#package")).to_be_visible()
    found += problems(page, "a solve job's kept result")
    page.goto(f"{server}/n/{NAME}/jobs")
    found += problems(page, "the seat's jobs")
    # a scenario file checked: its problems listed at their lines and fields
    page.goto(f"{server}/validate")
    page.fill("#scenario-text", "accord: 1\nnegotiation: {id: x}\npoints: 7\n")
    page.click("#validate button[type=submit]")
    expect(page.locator("#problems")).to_be_visible()
    found += problems(page, "the validate page with its problems")
    assert not found, "\n".join(found)


# the controls the Tab key should reach, in document order (a radio group is one stop)
FOCUSABLE = """() => {
  const chosen = [];
  const groups = new Set();
  const controls = 'a[href], button, input, select, textarea, summary, [tabindex]';
  for (const e of document.querySelectorAll(controls)) {
    if (e.tabIndex < 0 || e.disabled || e.type === 'hidden') continue;
    if (e.closest('details:not([open])') && e.tagName !== 'SUMMARY') continue;
    const box = e.getBoundingClientRect();
    if (getComputedStyle(e).visibility === 'hidden' || (box.width === 0 && box.height === 0)) continue;
    if (e.type === 'radio') {
      if (groups.has(e.name)) continue;
      groups.add(e.name);
    }
    e.dataset.tabStop = String(chosen.length);
    chosen.push(e.outerHTML.slice(0, 120));
  }
  return chosen;
}"""
# the focused element: its stop, and whether its focus is drawn (an outline of 2 px or more)
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  const drawn = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  return {stop: e.dataset.tabStop ?? null, drawn, html: e.outerHTML.slice(0, 120)};
}"""


def tab_through(page: Page) -> tuple[list[str], list[dict[str, Any]]]:
    """Every control in order, and what Tab focused: a date field's parts count as one stop."""
    expected: list[str] = page.evaluate(FOCUSABLE)
    reached: list[dict[str, Any]] = []
    for _ in range(4 * len(expected) + 10):
        page.keyboard.press("Tab")
        now: dict[str, Any] | None = page.evaluate(FOCUSED)
        if now is None or (reached and now["stop"] == "0"):
            break  # past the last control, out of the page
        if not reached or now["stop"] != reached[-1]["stop"]:
            reached.append(now)
        if now["stop"] == str(len(expected) - 1) and len(reached) >= len(expected):
            break
    return expected, reached


@pytest.mark.parametrize(
    ("user", "path"),
    [
        ("mediator", f"/n/{NAME}/drafts/3"),
        ("mediator", f"/n/{NAME}/matrix"),
        ("russia", f"/n/{NAME}/drafts/3"),
        ("russia", f"/n/{NAME}/matrix"),
    ],
)
def test_tab_reaches_every_control_in_order_with_its_focus_drawn(
    page: Page, server: str, user: str, path: str
) -> None:
    log_in(page, server, user)
    page.goto(f"{server}{path}")
    expected, reached = tab_through(page)
    assert len(expected) > 10  # the page's links, forms and buttons
    assert [r["stop"] for r in reached] == [str(n) for n in range(len(expected))], "\n".join(
        f"{r['stop']}: {r['html']}" for r in reached
    )
    hidden = [r["html"] for r in reached if not r["drawn"]]
    assert not hidden, "focus not drawn on:\n" + "\n".join(hidden)
    # the first stop skips the header and the tabs, to the page itself
    page.goto(f"{server}{path}")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    expect(page.locator("a.skip")).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
