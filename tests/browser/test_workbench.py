"""The workbench in a real browser: the mediator's day and a party's day."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in

NAME = "peace-framework-2025"


def test_the_mediator_runs_nash_amends_and_circulates(server: str, page: Page) -> None:
    log_in(page, server, "mediator")
    page.click(f"a[href='/n/{NAME}']")
    expect(page.locator("#convergence")).to_be_visible()
    page.click("text=Compromise explorer")
    # htmx takes the form once the page's deferred scripts (the charts' too) have run
    page.wait_for_load_state("load")
    page.select_option("#concept", "nash")
    page.click("#run")
    result = page.locator("#explorer-result")
    expect(result).to_contain_text("Nash bargaining solution: optimal")
    expect(page.locator("#utilities .bar")).to_have_count(3)
    expect(page.locator("#package tr")).to_have_count(29)  # a header and 28 points
    # amend: point 7 takes another option, with a reason
    page.click("text=Amend")
    page.select_option("select[name='choose.nato-membership']", "no-consensus")
    page.fill("input[name=reason]", "membership left to a later consensus")
    page.click("#amend button[type=submit]")
    page.wait_for_url(f"{server}/n/{NAME}/drafts/4")
    expect(page.locator("h1")).to_contain_text("Draft v4")
    # circulate it to Ukraine only
    page.check("#circulate input[value=ukraine]")
    page.click("#circulate button[type=submit]")
    expect(page.locator("#circulate")).to_contain_text("Handed to: Ukraine")
    page.goto(f"{server}/n/{NAME}/diff?a=3&b=4")
    expect(page.locator("main")).to_contain_text("1 point changed")
    expect(page.locator(".inserted").first).to_be_visible()


def test_a_party_records_stances_edits_its_preferences_and_is_kept_out_of_the_others(
    server: str, page: Page
) -> None:
    log_in(page, server, "russia")
    page.goto(f"{server}/n/{NAME}/matrix?")
    expect(page.locator("#matrix th")).to_have_count(4)  # #, point, its own column, its answer
    row = page.locator("#row-territory")
    row.locator("select").select_option("conditional")
    row.locator("input[name=note]").fill("only with guarantees")
    row.locator("button").click()  # HTMX swaps the row in place
    expect(page.locator("#row-territory td.conditional")).to_have_count(1)
    # its preferences: a bad value is shown at the field, a good one is saved
    page.goto(f"{server}/n/{NAME}/preferences/russia")
    page.fill("input[name=reservation_value]", "1.7")
    page.click("#preferences button[type=submit]")
    expect(page.locator("#problems")).to_be_visible()
    expect(page.locator(".field-error").first).to_contain_text("1")
    page.fill("input[name=reservation_value]", "0.45")
    page.click("#preferences button[type=submit]")
    expect(page.locator("#saved")).to_be_visible()
    # another party's pages are closed to it
    response = page.goto(f"{server}/n/{NAME}/preferences/ukraine")
    assert response is not None and response.status == 403
    expect(page.locator("main")).to_contain_text("Not allowed")
    response = page.goto(f"{server}/n/{NAME}/explorer")
    assert response is not None and response.status == 403
    response = page.goto(f"{server}/api/negotiations/{NAME}/preferences/ukraine")
    assert response is not None and response.status == 403


def _console_errors(page: Page) -> list[str]:
    """What the browser reports as errors: a script failing, or the Content-Security-Policy refusing
    a script, a style or a request ("Refused to ...")."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


MEDIATOR_PAGES = [
    "/negotiations",
    f"/n/{NAME}",
    f"/n/{NAME}/matrix",
    f"/n/{NAME}/drafts",
    f"/n/{NAME}/drafts/3",
    f"/n/{NAME}/diff?a=1&b=3",
    f"/n/{NAME}/amend",
    f"/n/{NAME}/meetings",
    f"/n/{NAME}/audit",
    "/docs",
]


def test_the_content_security_policy_refuses_nothing_the_pages_use(server: str, page: Page) -> None:
    errors = _console_errors(page)
    log_in(page, server, "mediator")
    for path in MEDIATOR_PAGES:
        response = page.goto(f"{server}{path}")
        assert response is not None and response.ok, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    # the styles come from static/accord.css: the header is drawn in the workbench's blue
    header = page.locator("header").evaluate("element => getComputedStyle(element).backgroundColor")
    assert header == "rgb(31, 58, 90)"
    # the explorer's answer comes by htmx, its bars drawn without inline styles
    page.goto(f"{server}/n/{NAME}/explorer")
    page.select_option("#concept", "egalitarian")
    page.click("#run")
    expect(page.locator("#explorer-result")).to_contain_text("Egalitarian solution (maximin): optimal")
    assert page.locator("#utilities .bar").first.bounding_box()["width"] > 10  # type: ignore[index]
    # a party: its matrix row swapped by htmx, its pages, and a copy taken with the form's button
    page.context.clear_cookies()
    log_in(page, server, "europe")
    page.goto(f"{server}/n/{NAME}/matrix")
    row = page.locator("#row-territory")
    row.locator("select").select_option("accept")
    row.locator("button").click()
    expect(page.locator("#row-territory td.accept")).to_have_count(1)
    for path in (f"/n/{NAME}/preferences/europe", f"/n/{NAME}/shared/europe", f"/n/{NAME}/drafts/3"):
        response = page.goto(f"{server}{path}")
        assert response is not None and response.ok, path
    with page.expect_download() as taken:
        page.click("#copies button[value=md]")
    assert taken.value.suggested_filename.endswith("-v3-europe.md")
    assert not errors, errors
