"""The people page's change form (issue 17: `accord person update` on the workbench): the mediator
opens a person's form from the table, changes what differs, adds spellings; a problem is shown at its
field and the form keeps what was typed; a party's member has no form and is refused."""

from __future__ import annotations

import html
import re

from accord.services import audit, people
from tests.web.conftest import NAME, A, Workbench, log_in

P = f"/n/{NAME}"
ENVOYS = "us-envoys"


def problem_at(page: str, field: str) -> str:
    found = re.search(rf'id="problem-{field}">([^<]*)<', page)
    assert found, f"no problem shown at {field}"
    return html.unescape(found.group(1))


def value_of(page: str, field: str) -> str:
    found = re.search(rf'name="{field}"[^>]*value="([^"]*)"', page)
    assert found, f"no input {field}"
    return html.unescape(found.group(1))


def person(bench: Workbench, key: str) -> people.Person:
    (found,) = [p for p in people.list_people(bench.database, NAME) if p.id == key]
    return found


def form(csrf: str, **changes: str) -> dict[str, str]:
    """The change form as the page fills it for the US envoys, with ``changes`` typed over it."""
    filled = {
        "person_name": "US envoys",
        "party": "united-states",
        "role": "negotiators holding the pen on the text",
        "aliases": "",
        "note": "Not named in the sources summarised for this example.",
        "csrf_token": csrf,
    }
    return {**filled, **changes}


def test_each_person_has_a_change_link_that_opens_a_form_filled_with_the_details(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    listed = bench.client.get(f"{P}/people").text
    assert f'href="{P}/people?edit={ENVOYS}#edit-person"' in listed
    assert 'id="edit-person"' not in listed
    page = bench.client.get(f"{P}/people?edit={ENVOYS}").text
    assert f'action="{P}/people/{ENVOYS}"' in page
    assert value_of(page, "person_name") == "US envoys"
    assert value_of(page, "role") == "negotiators holding the pen on the text"
    assert '<option value="united-states" selected>' in page
    assert bench.client.get(f"{P}/people?edit=nobody-at-all").status_code == 404


def test_the_mediator_changes_a_person_and_the_log_keeps_the_change(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    response = bench.client.post(
        f"{P}/people/{ENVOYS}",
        data=form(csrf, role="special envoys", lead="1", aliases="the envoys; US team"),
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"{P}/people#person-{ENVOYS}"
    changed = person(bench, ENVOYS)
    assert (changed.role, changed.lead, changed.aliases) == (
        "special envoys",
        True,
        ("the envoys", "US team"),
    )
    assert changed.note == "Not named in the sources summarised for this example.", "the note kept"
    last = audit.entries(bench.database)[-1]
    assert last.action == "person.update"
    assert "note" not in last.summary, "a note not retyped is not changed"


def test_no_party_from_the_form_takes_the_person_out_of_the_delegation(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    response = bench.client.post(f"{P}/people/{ENVOYS}", data=form(csrf, party=""))
    assert response.status_code == 303, response.text
    assert person(bench, ENVOYS).party is None


def test_a_second_lead_is_refused_at_the_lead_box_and_what_was_typed_is_kept(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    people.add_person(
        bench.database, NAME, name="Dan Lead", party="united-states", lead=True, actor="mediator"
    )
    before = len(audit.entries(bench.database))
    response = bench.client.post(f"{P}/people/{ENVOYS}", data=form(csrf, role="typed role KX", lead="1"))
    assert response.status_code == 422
    assert "leads united-states's delegation already" in problem_at(response.text, "lead")
    assert "untick dan-lead's lead box first" in problem_at(response.text, "lead")
    assert value_of(response.text, "role") == "typed role KX"
    assert 'name="lead" value="1" checked' in response.text
    assert len(audit.entries(bench.database)) == before and person(bench, ENVOYS).role != "typed role KX"


def test_an_empty_name_a_long_role_and_an_unknown_party_are_said_at_their_fields(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    response = bench.client.post(f"{P}/people/{ENVOYS}", data=form(csrf, person_name="", role="r" * 600))
    assert response.status_code == 422
    assert "needs a name" in problem_at(response.text, "person_name")
    assert "longer than 500 characters" in problem_at(response.text, "role")
    assert "r" * 600 not in response.text, "an over-long text is refused, not repeated"
    unknown = bench.client.post(f"{P}/people/{ENVOYS}", data=form(csrf, party="atlantis", role="kept KQ"))
    assert unknown.status_code == 422
    assert "atlantis" in problem_at(unknown.text, "party")
    assert value_of(unknown.text, "role") == "kept KQ"
    assert person(bench, ENVOYS).party == "united-states"


def test_a_form_that_changes_nothing_says_so(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    response = bench.client.post(f"{P}/people/{ENVOYS}", data=form(csrf))
    assert response.status_code == 422
    assert "nothing to change for US envoys" in html.unescape(response.text)


def test_a_party_has_no_change_form_and_is_refused(bench: Workbench) -> None:
    csrf = log_in(bench.client, A)
    page = bench.client.get(f"{P}/people?edit={ENVOYS}").text
    assert 'id="edit-person"' not in page and "?edit=" not in page
    refused = bench.client.post(f"{P}/people/{ENVOYS}", data=form(csrf, role="by a party"))
    assert refused.status_code == 403
    assert person(bench, ENVOYS).role == "negotiators holding the pen on the text"
