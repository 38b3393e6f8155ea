"""The error page says what went wrong in words: a heading a person reads (not found, not allowed,
could not be done), the message, never accord's class names or a framework's; after a form, that
nothing was saved and how to get back to what was typed; a link back to the negotiation."""

from __future__ import annotations

import re

from tests.web.conftest import NAME, Workbench, log_in

P = f"/n/{NAME}"
CLASS_NAMES = re.compile(r"\b(?:[A-Z][a-z]+)+(?:Error|Denied|Request)\b")


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_a_draft_not_on_record_is_not_found_in_words(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    answer = bench.client.get(f"{P}/drafts/99")
    assert answer.status_code == 404
    assert "<h1>Not found</h1>" in answer.text and "no draft version 99" in answer.text
    assert not CLASS_NAMES.search(answer.text), CLASS_NAMES.findall(answer.text)
    assert f'href="{P}"' in answer.text and "Nothing was saved" not in answer.text


def test_a_value_the_address_cannot_take_is_said_without_the_framework_s_words(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    answer = bench.client.get(f"{P}/matrix?draft=zero")
    assert answer.status_code == 422
    assert (
        "<h1>That could not be done</h1>" in answer.text and "draft: expected a whole number" in answer.text
    )
    assert not CLASS_NAMES.search(answer.text), CLASS_NAMES.findall(answer.text)


def test_a_refused_form_says_nothing_was_saved_and_how_to_get_back_to_it(bench: Workbench) -> None:
    csrf = _csrf(log_in_page(bench))
    answer = bench.client.post(f"{P}/people", data={"name": "", "role": "envoy", "csrf_token": csrf})
    assert answer.status_code == 422
    assert "a person needs a name" in answer.text
    assert "Nothing was saved. Go back with your browser's Back button" in answer.text
    assert not CLASS_NAMES.search(answer.text), CLASS_NAMES.findall(answer.text)


def test_a_party_s_seat_is_not_allowed_the_mediator_s_page_and_is_told_so_in_words(bench: Workbench) -> None:
    log_in(bench.client, "russia")
    answer = bench.client.get(f"{P}/explorer")
    assert answer.status_code == 403 and "<h1>Not allowed</h1>" in answer.text
    assert not CLASS_NAMES.search(answer.text), CLASS_NAMES.findall(answer.text)


def test_circulating_to_nobody_is_said_at_the_circulate_form(bench: Workbench) -> None:
    csrf = _csrf(log_in_page(bench))
    answer = bench.client.post(f"{P}/drafts/3/circulate", data={"csrf_token": csrf})
    assert answer.status_code == 422
    problem = re.search(r'id="problem-to">([^<]*)<', answer.text)
    assert problem and problem.group(1) == "parties: choose at least one party to hand the draft to"
    assert 'id="circulate"' in answer.text, "the draft's page, with its form"


def log_in_page(bench: Workbench) -> str:
    log_in(bench.client, "mediator")
    return bench.client.get(f"{P}/drafts/3").text


def test_a_limit_or_a_choice_the_address_breaks_is_said_in_words_not_as_a_pattern(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    below = bench.client.get(f"{P}/matrix?draft=0")
    assert below.status_code == 422 and "draft: expected at least 1" in below.text
    unknown = bench.client.get(f"{P}/export?format=abc")
    assert unknown.status_code == 422 and "format: expected one of scenario, genius" in unknown.text
    for said in (below.text, unknown.text):
        assert "should" not in said and "^(" not in said, "pydantic's words, or a regular expression"


def test_the_way_back_to_the_negotiation_is_offered_to_a_seat_that_may_read_it(bench: Workbench) -> None:
    log_in(bench.client, "russia")
    refused = bench.client.get(f"{P}/explorer")  # not allowed this page, but seated at the negotiation
    assert refused.status_code == 403
    assert f'<a href="{P}">Back to the negotiation</a>' in refused.text
    missing = bench.client.get(f"{P}/drafts/99")
    assert missing.status_code == 404 and f'<a href="{P}">Back to the negotiation</a>' in missing.text


def test_a_viewer_without_a_seat_is_pointed_to_the_negotiations_not_into_the_one_refused(
    bench: Workbench,
) -> None:
    from accord.services import accounts
    from accord.services.demo import demo_password

    accounts.add_user(bench.database, "outsider", "Outsider", demo_password("outsider"), actor="tests")
    log_in(bench.client, "outsider")
    for path in (P, f"{P}/drafts/3", f"{P}/matrix?draft=zero", "/n/no-such-negotiation/matrix"):
        answer = bench.client.get(path)
        assert answer.status_code in (403, 404, 422), path
        assert "Back to the negotiation<" not in answer.text and f'href="{P}"' not in answer.text, path
        assert '<a href="/negotiations">Back to the negotiations</a>' in answer.text, path
        assert not CLASS_NAMES.search(answer.text), CLASS_NAMES.findall(answer.text)
