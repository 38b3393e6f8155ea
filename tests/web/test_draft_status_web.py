"""A draft's status on its page (issue 17): the mediator marks a draft agreed or withdrawn (the
statuses `accord draft status` allows), shown in words; a status it may not take is said at the
form; a party's member and an observer are refused by the policy."""

from __future__ import annotations

import html
import re

from accord.services import audit, drafts
from tests.web.conftest import NAME, A, Workbench, log_in

P = f"/n/{NAME}"


def status_of(bench: Workbench, version: int) -> str:
    return drafts.load(bench.database, NAME).negotiation.draft(version).status.value


def test_the_draft_page_offers_the_mediator_the_statuses_the_draft_may_take(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/drafts/3").text
    assert "Status: <strong>circulated</strong>" in page
    assert 'name="status" value="agreed">Mark as agreed' in page
    assert 'name="status" value="withdrawn">Withdraw this draft' in page
    assert 'value="circulated"' not in page, "a circulated draft is not circulated again by status"


def test_the_mediator_marks_a_draft_agreed_and_it_is_final(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    marked = bench.client.post(f"{P}/drafts/3/status", data={"status": "agreed", "csrf_token": csrf})
    assert marked.status_code == 303 and marked.headers["location"].startswith(f"{P}/drafts/3")
    assert status_of(bench, 3) == "agreed"
    assert audit.entries(bench.database)[-1].summary == "draft v3: circulated -> agreed"
    page = bench.client.get(f"{P}/drafts/3").text
    assert "— agreed (final)" in page and "Its status no longer changes." in page
    assert 'id="status-form"' not in page
    again = bench.client.post(f"{P}/drafts/3/status", data={"status": "withdrawn", "csrf_token": csrf})
    assert again.status_code == 422
    said = re.search(r'id="problem-status">([^<]*)<', again.text)
    assert said and "draft v3 is agreed, which is final: its status no longer changes" in html.unescape(
        said.group(1)
    )
    assert status_of(bench, 3) == "agreed"


def test_the_mediator_withdraws_a_draft(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    assert (
        bench.client.post(
            f"{P}/drafts/2/status", data={"status": "withdrawn", "csrf_token": csrf}
        ).status_code
        == 303
    )
    assert status_of(bench, 2) == "withdrawn"
    assert "— withdrawn (final)" in bench.client.get(f"{P}/drafts/2").text


def test_an_unknown_status_is_said_at_the_form(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    refused = bench.client.post(f"{P}/drafts/3/status", data={"status": "signed", "csrf_token": csrf})
    assert refused.status_code == 422 and 'id="problem-status"' in refused.text
    assert "expected one of circulated, withdrawn, agreed" in html.unescape(refused.text)
    assert status_of(bench, 3) == "circulated"


def test_a_party_and_an_observer_may_not_change_a_status(bench: Workbench) -> None:
    for user in (A, "observer"):
        csrf = log_in(bench.client, user)
        page = bench.client.get(f"{P}/drafts/1")
        assert page.status_code == (200 if user == A else 404)
        assert 'id="status-form"' not in page.text
        refused = bench.client.post(f"{P}/drafts/1/status", data={"status": "agreed", "csrf_token": csrf})
        assert refused.status_code == 403
        bench.client.cookies.clear()
    assert status_of(bench, 1) == "circulated"
