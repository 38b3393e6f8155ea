"""The amend page (issue 17): version n+1 from any version, not only the newest, with a reason per
amendment (as an amendments file has); a problem shown at its point's row, with what was typed kept."""

from __future__ import annotations

import html
import re

from accord.services import audit, drafts
from tests.web.conftest import NAME, A, Workbench, log_in

P = f"/n/{NAME}"


def problem_at(page: str, field: str) -> str:
    found = re.search(rf'id="problem-{re.escape(field)}">([^<]*)<', page)
    assert found, f"no problem shown at {field}"
    return html.unescape(found.group(1))


def test_the_amend_page_starts_from_a_chosen_older_version(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    newest = bench.client.get(f"{P}/amend").text
    assert "Amend draft v3" in newest and '<option value="1" ' in newest
    older = bench.client.get(f"{P}/amend?base=1").text
    assert "Amend draft v1" in older and 'name="base" value="1"' in older
    assert "Create v4" in older, "the new text takes the next number whatever it starts from"
    assert 'name="reason.army-size"' in older and 'name="add.reason"' in older


def test_each_amendment_keeps_its_own_reason_and_the_new_draft_amends_the_chosen_version(
    bench: Workbench,
) -> None:
    csrf = log_in(bench.client, "mediator")
    form = {
        "csrf_token": csrf,
        "base": "1",
        "choose.army-size": "cap-800k",
        "reason.army-size": "the E3 counter-proposal",
        "drop.jets-poland": "on",
        "reason.jets-poland": "left to a bilateral track",
        "add.id": "monitoring",
        "add.title": "Monitoring",
        "add.text": "Observers monitor the ceasefire",
        "add.reason": "asked for by both sides",
    }
    created = bench.client.post(f"{P}/drafts", data=form)
    assert created.status_code == 303, created.text
    assert created.headers["location"] == f"{P}/drafts/4"
    made = drafts.load(bench.database, NAME).negotiation.draft(4)
    assert made.parent == 1
    assert made.choices["army-size"].option == "cap-800k" and "jets-poland" not in made.choices
    entry = audit.entries(bench.database)[-1]
    reasons = {a["point"]: a["reason"] for a in entry.details["amendments"]}
    assert reasons == {
        "army-size": "the E3 counter-proposal",
        "jets-poland": "left to a bilateral track",
        "monitoring": "asked for by both sides",
    }


def test_a_reason_for_all_fills_only_the_changes_left_without_one(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    form = {
        "csrf_token": csrf,
        "base": "3",
        "choose.army-size": "cap-600k",
        "reason.army-size": "its own reason",
        "text.reconstruction": "A jointly run fund",
        "reason": "the Geneva round",
    }
    assert bench.client.post(f"{P}/drafts", data=form).status_code == 303
    reasons = {a["point"]: a["reason"] for a in audit.entries(bench.database)[-1].details["amendments"]}
    assert reasons == {"army-size": "its own reason", "reconstruction": "the Geneva round"}


def test_problems_are_shown_at_their_rows_and_the_form_keeps_what_was_typed(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    before = len(drafts.load(bench.database, NAME).negotiation.drafts)
    form = {
        "csrf_token": csrf,
        "base": "1",
        "choose.army-size": "cap-800k",  # no reason, none for all
        "text.reconstruction": "A fund KEPT-TEXT-71",
        "drop.reconstruction": "on",  # two changes to one point
        "reason.sovereignty": "a reason without a change",
        "add.title": "Monitoring",
        "add.text": "Observers",
        "add.reason": "asked for",
        "label": "KEPT-LABEL",
    }
    refused = bench.client.post(f"{P}/drafts", data=form)
    assert refused.status_code == 422
    page = refused.text
    assert "no reason" in problem_at(page, "reason.army-size")
    assert "one change per point" in problem_at(page, "choose.reconstruction")
    assert "no change" in problem_at(page, "reason.sovereignty")
    assert "Amend draft v1" in page, "the form still starts from the chosen version"
    assert '<option value="cap-800k" selected' in page
    assert 'value="A fund KEPT-TEXT-71"' in page and 'value="KEPT-LABEL"' in page
    assert 'value="a reason without a change"' in page and 'value="asked for"' in page
    assert len(drafts.load(bench.database, NAME).negotiation.drafts) == before

    fixed = {
        "csrf_token": csrf,
        "base": "1",
        "add.id": "army-size",  # taken
        "add.title": "Monitoring",
        "add.text": "Observers",
        "add.reason": "asked for",
    }
    refused = bench.client.post(f"{P}/drafts", data=fixed)
    assert refused.status_code == 422 and "exists already" in problem_at(refused.text, "add.id")
    unknown = {"csrf_token": csrf, "base": "1", "choose.army-size": "cap-1m", "reason.army-size": "r"}
    refused = bench.client.post(f"{P}/drafts", data=unknown)
    assert refused.status_code == 422 and "no option 'cap-1m'" in problem_at(refused.text, "choose.army-size")


def test_a_text_over_its_limit_is_shown_at_its_row_and_not_repeated(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    form = {"csrf_token": csrf, "base": "3", "choose.army-size": "cap-600k", "reason.army-size": "r" * 2_001}
    refused = bench.client.post(f"{P}/drafts", data=form)
    assert refused.status_code == 422
    assert "longer than 2,000 characters" in problem_at(refused.text, "reason.army-size")
    assert "rrrr" not in refused.text


def test_a_party_and_an_observer_may_not_amend(bench: Workbench) -> None:
    for user in (A, "observer"):
        csrf = log_in(bench.client, user)
        assert bench.client.get(f"{P}/amend?base=1").status_code == 403
        form = {"csrf_token": csrf, "base": "1", "choose.army-size": "cap-800k", "reason.army-size": "r"}
        assert bench.client.post(f"{P}/drafts", data=form).status_code == 403
        bench.client.cookies.clear()
