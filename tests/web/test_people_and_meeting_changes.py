"""The workbench records people, sources and meetings as they happened, and changes a meeting, as the
command line does (issue 13: web parity for items 1, 2 and 6): the mediator writes; every seat reads
names and roles, never a person's private note; bad input is refused at its field, nothing written."""

from __future__ import annotations

from typing import Any

from accord.services import audit
from tests.web.conftest import NAME, A, B, Workbench, api_token, hidden_csrf, log_in

P = f"/n/{NAME}"
API = f"/api/negotiations/{NAME}"
NOTE = "private-note-on-the-envoy-TR62"


def _bearer(bench: Workbench, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(bench.client, user)}"}


def _mediator(bench: Workbench) -> dict[str, str]:
    return _bearer(bench, "mediator")


def test_the_mediator_records_a_delegation_and_each_seat_reads_names_and_roles_only(bench: Workbench) -> None:
    head = _mediator(bench)
    made = bench.client.post(
        f"{API}/people",
        json={
            "name": "Steve Envoy",
            "party": "united-states",
            "role": "special envoy",
            "lead": False,
            "aliases": ["S. Envoy"],
            "note": NOTE,
        },
        headers=head,
    )
    assert made.status_code == 201, made.text
    assert made.json()["id"] and made.json()["note"] == NOTE
    changed = bench.client.patch(
        f"{API}/people/{made.json()['id']}", json={"role": "US special envoy"}, headers=head
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["role"] == "US special envoy"
    assert audit.entries(bench.database)[-1].action == "person.update"

    seen = bench.client.get(f"{API}/people", headers=_bearer(bench, A))
    assert seen.status_code == 200
    (envoy,) = [p for p in seen.json() if p["name"] == "Steve Envoy"]
    assert envoy["role"] == "US special envoy" and envoy["note"] is None
    log_in(bench.client, A)
    page = bench.client.get(f"{P}/people")
    assert page.status_code == 200 and "Steve Envoy" in page.text and NOTE not in page.text
    assert 'id="add-person"' not in page.text  # no form for a party


def test_a_party_may_not_record_people_sources_or_change_meetings(bench: Workbench) -> None:
    head = _bearer(bench, B)
    assert bench.client.post(f"{API}/people", json={"name": "X"}, headers=head).status_code == 403
    assert bench.client.post(f"{API}/sources", json={"outlet": "X"}, headers=head).status_code == 403
    meetings = bench.client.get(f"{API}/meetings", headers=head).json()
    assert meetings, "the flagship has meetings Ukraine took part in"
    refused = bench.client.patch(
        f"{API}/meetings/{meetings[0]['id']}", json={"outcome": "rewritten"}, headers=head
    )
    assert refused.status_code == 403
    csrf = log_in(bench.client, B)
    form = bench.client.post(f"{P}/people", data={"person_name": "X", "csrf_token": csrf})
    assert form.status_code == 403


def test_a_meeting_as_it_happened_then_changed_keeps_its_history(bench: Workbench) -> None:
    head = _mediator(bench)
    envoy = bench.client.post(
        f"{API}/people", json={"name": "Steve Envoy", "party": "united-states"}, headers=head
    ).json()
    planned: dict[str, Any] = {
        "status": "planned",
        "date_approx": "in the coming days",
        "participants": ["ukraine"],
        "people": [{"person": envoy["id"]}],
        "source": {"outlet": "Example Wire", "url": "https://example.org/a"},
    }
    made = bench.client.post(f"{API}/meetings", json=planned, headers=head)
    assert made.status_code == 201, made.text
    meeting = made.json()
    assert meeting["date"] is None and meeting["place"] is None and meeting["when"] == "in the coming days"
    assert set(meeting["participants"]) == {"ukraine", "united-states"}  # the envoy's party takes part
    assert len(meeting["sources"]) == 1

    postponed = bench.client.patch(
        f"{API}/meetings/{meeting['id']}",
        json={"status": "postponed", "reason": "delegation delayed"},
        headers=head,
    )
    assert postponed.status_code == 200, postponed.text
    held = bench.client.patch(
        f"{API}/meetings/{meeting['id']}",
        json={
            "status": "held",
            "start": "2025-12-04 17:00",
            "duration": "3h",
            "place": "Miami",
            "channel": "in-person",
        },
        headers=head,
    )
    assert held.status_code == 200, held.text
    data = held.json()
    assert (
        data["status"] == "held" and data["start"] == "2025-12-04T17:00" and data["duration_minutes"] == 180
    )
    assert data["history"][0]["changes"]["status"] == {"before": "planned", "after": "postponed"}
    assert data["history"][1]["changes"]["status"] == {"before": "postponed", "after": "held"}

    # a held meeting never becomes planned again; nothing is written
    before = len(audit.entries(bench.database))
    back = bench.client.patch(f"{API}/meetings/{meeting['id']}", json={"status": "planned"}, headers=head)
    assert back.status_code == 422 and "held meeting cannot become planned" in back.text
    assert len(audit.entries(bench.database)) == before

    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/meetings")
    assert page.status_code == 200
    assert "2 changes since first recorded" in page.text and "3h" in page.text and "Steve Envoy" in page.text


def test_the_meetings_form_records_a_change_and_refuses_a_bad_duration_at_its_field(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/meetings").text
    csrf = hidden_csrf(page)
    made = bench.client.post(
        f"{P}/meetings",
        data={"csrf_token": csrf, "status": "planned", "date_approx": "next week", "participants": "russia"},
    )
    assert made.status_code == 303, made.text
    key = bench.client.get(f"{API}/meetings").json()[-1]["id"]
    before = len(audit.entries(bench.database))
    bad = bench.client.post(f"{P}/meetings/{key}", data={"csrf_token": csrf, "duration": "three hours"})
    assert bad.status_code == 422 and "duration" in bad.text and "not a duration" in bad.text
    assert len(audit.entries(bench.database)) == before
    bad_url = bench.client.post(
        f"{P}/meetings/{key}", data={"csrf_token": csrf, "outcome": "x", "source_url": "not a url"}
    )
    assert bad_url.status_code == 422 and "url" in bad_url.text.lower()
    assert len(audit.entries(bench.database)) == before
    done = bench.client.post(
        f"{P}/meetings/{key}",
        data={"csrf_token": csrf, "status": "postponed", "reason": "the envoy fell ill"},
    )
    assert done.status_code == 303, done.text
    assert audit.entries(bench.database)[-1].action == "meeting.update"


def test_the_mediator_records_a_source_and_a_party_sees_only_those_of_what_it_sees(bench: Workbench) -> None:
    head = _mediator(bench)
    made = bench.client.post(
        f"{API}/sources", json={"outlet": "Kept Wire QB17", "title": "Unpublished"}, headers=head
    )
    assert made.status_code == 201, made.text
    assert made.json()["id"] in {s["id"] for s in bench.client.get(f"{API}/sources", headers=head).json()}
    # cited by nothing a party sees: not the party's business
    seen = bench.client.get(f"{API}/sources", headers=_bearer(bench, A)).json()
    assert "Kept Wire QB17" not in str(seen)
    bad = bench.client.post(f"{API}/sources", json={"url": "ftp://x"}, headers=head)
    assert bad.status_code == 422


def test_a_second_person_of_a_name_and_party_needs_an_id_of_its_own(bench: Workbench) -> None:
    token = {"Authorization": f"Bearer {api_token(bench.client, 'mediator')}"}
    api = f"/api/negotiations/{NAME}/people"
    first = bench.client.post(api, json={"name": "Cora Vance", "party": "russia"}, headers=token)
    assert first.status_code == 201, first.text
    again = bench.client.post(api, json={"name": "Cora Vance", "party": "russia"}, headers=token)
    assert again.status_code == 422 and "Cora Vance of that party is recorded already" in again.text
    own = bench.client.post(
        api, json={"name": "Cora Vance", "party": "russia", "id": "cora-2"}, headers=token
    )
    assert own.status_code == 201 and own.json()["id"] == "cora-2"
    other = bench.client.post(api, json={"name": "Cora Vance", "party": "ukraine"}, headers=token)
    assert other.status_code == 201, "the same name in another party is another person"


def test_a_meetings_history_names_no_draft_the_seat_never_received(bench: Workbench) -> None:
    # draft 2 (the E3 counter-proposal) went to the United States and Ukraine, never to Russia (A)
    head = _mediator(bench)
    attended = bench.client.get(f"{API}/meetings", headers=_bearer(bench, A)).json()
    assert attended, "the flagship has meetings Russia took part in"
    key = attended[0]["id"]
    changed = bench.client.patch(
        f"{API}/meetings/{key}", json={"drafts": [2], "reason": "texts tabled"}, headers=head
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["history"][-1]["changes"]["drafts"]["after"] == [2]  # the mediator's own

    meetings = bench.client.get(f"{API}/meetings", headers=_bearer(bench, A)).json()
    (seen,) = [m for m in meetings if m["id"] == key]
    assert seen["drafts"] == []
    assert all("drafts" not in change["changes"] for change in seen["history"]), seen["history"]
    log_in(bench.client, A)
    page = bench.client.get(f"{P}/meetings")
    history = page.text[page.text.index(f'id="meeting-{key}"') :].split("</details>")[0]
    assert page.status_code == 200 and "drafts" not in history and "[2]" not in history, history


def test_the_meetings_page_names_each_meetings_sources_in_words(bench: Workbench) -> None:
    import html
    import re

    from accord.reports.stance_words import source_words
    from accord.security.policy import Seat, SeatRole, Viewer
    from accord.services import workbench

    mediator = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
    seen = workbench.view(bench.database, mediator, NAME).negotiation
    cited = [m for m in seen.meetings if m.sources]
    assert cited, "the flagship cites sources for its meetings"
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/meetings").text
    for meeting in cited:
        row = re.search(rf'<tr id="meeting-{meeting.id}">(.*?)</tr>', page, re.S)
        assert row, meeting.id
        cell = html.unescape(re.findall(r"<td>(.*?)</td>", row.group(1), re.S)[-1])
        assert cell == "; ".join(source_words(seen.source(k)) for k in meeting.sources)
        assert not any(k in cell for k in meeting.sources if k != source_words(seen.source(k)))
