"""The workbench's timeline page and its JSON (issue 13, item 9): the same entries as `accord timeline`,
the same filters, and a party's seat sees its own view only (no other party's private statement, no
event, no stance but its own)."""

from __future__ import annotations

import datetime as dt

from accord.domain import Event, EventKind, Person, Source, Statement, StatementChannel
from accord.storage.database import Database
from accord.storage.unit_of_work import writing
from tests.web.conftest import NAME, A, B, Workbench, api_token, log_in

P = f"/n/{NAME}/timeline"
API = f"/api/negotiations/{NAME}/timeline"
PRIVATE_OF_B = "private-words-of-ukraine-TL62"
LEAK = "leak-summary-for-the-mediator-TL19"
PUBLIC = "public-words-of-ukraine-TL44"


def plant_chronology(database: Database) -> None:
    """A person of B, a public and a private statement of theirs, a leak: through the repository (the
    statement and event commands are another item's)."""
    with writing(database, "test-desk") as uow:
        repo = uow.repository
        before = repo.state_digest(NAME)
        repo.add_source(NAME, Source("kyiv-post", outlet="Kyiv Post", url="https://kyivpost.example/a"))
        repo.add_person(NAME, Person("negotiator-b", "Rustem Umerov", party=B, role="negotiator"))
        repo.add_statement(
            NAME,
            Statement(
                "public-b",
                "negotiator-b",
                dt.date(2025, 11, 30),
                PUBLIC,
                channel=StatementChannel.PRESS,
                sources=("kyiv-post",),
            ),
        )
        repo.add_statement(
            NAME,
            Statement(
                "private-b",
                "negotiator-b",
                dt.date(2025, 11, 30),
                PRIVATE_OF_B,
                channel=StatementChannel.PRIVATE,
            ),
        )
        repo.add_event(NAME, Event("leak-1", EventKind.LEAK, dt.date(2025, 11, 20), LEAK, draft=1))
        uow.record("test.plant", NAME, "a chronology planted for the timeline page", before)


def test_the_mediator_sees_every_entry_with_its_sources(bench: Workbench) -> None:
    plant_chronology(bench.database)
    log_in(bench.client, "mediator")
    page = bench.client.get(P)
    assert page.status_code == 200
    assert 'href="/n/peace-framework-2025/timeline"' in page.text  # the nav link
    assert PUBLIC in page.text and PRIVATE_OF_B in page.text and LEAK in page.text
    assert '<a href="https://kyivpost.example/a"' in page.text
    assert "Draft v1" in page.text
    filtered = bench.client.get(P, params={"kind": "statement", "party": B})
    assert PUBLIC in filtered.text and LEAK not in filtered.text and "Draft v1" not in filtered.text


def test_a_party_seat_sees_no_other_partys_private_items(bench: Workbench) -> None:
    plant_chronology(bench.database)
    log_in(bench.client, A)
    page = bench.client.get(P)
    assert page.status_code == 200
    assert PUBLIC in page.text  # a public statement: every seat
    assert PRIVATE_OF_B not in page.text and LEAK not in page.text
    token = api_token(bench.client, A)
    found = bench.client.get(API, headers={"Authorization": f"Bearer {token}"}).json()
    text = str(found)
    assert PUBLIC in text and PRIVATE_OF_B not in text and LEAK not in text
    assert {p for e in found if e["kind"] == "stance" for p in e["parties"]} <= {A}
    # and B's own seat sees its private statement
    token_b = api_token(bench.client, B)
    assert PRIVATE_OF_B in str(bench.client.get(API, headers={"Authorization": f"Bearer {token_b}"}).json())


def test_the_json_lists_entries_in_date_order_with_the_fields_promised(bench: Workbench) -> None:
    plant_chronology(bench.database)
    token = api_token(bench.client, "mediator")
    found = bench.client.get(API, headers={"Authorization": f"Bearer {token}"}).json()
    assert found and all({"date", "kind", "summary", "sources"} <= set(e) for e in found)
    dated = [e["day"] for e in found if e["day"]]
    assert dated == sorted(dated)
    ranged = bench.client.get(
        API, params={"from": "2025-11-20", "to": "2025-11-30"}, headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert ranged and all("2025-11-20" <= e["day"] <= "2025-11-30" for e in ranged)


def test_bad_filters_are_refused_naming_the_field(bench: Workbench) -> None:
    token = api_token(bench.client, "mediator")
    headers = {"Authorization": f"Bearer {token}"}
    for params, words in (
        ({"from": "2025-12-01", "to": "2025-11-01"}, "from: 2025-12-01 is after to 2025-11-01"),
        ({"from": "soon"}, "from: expected a date"),
        ({"kind": "meetings"}, "kind: 'meetings' is not a kind"),
        ({"party": "atlantis"}, "party: no party 'atlantis'"),
    ):
        answer = bench.client.get(API, params=params, headers=headers)
        assert answer.status_code in (404, 422), answer.text
        assert words in answer.json()["message"], answer.text
    log_in(bench.client, "mediator")
    page = bench.client.get(P, params={"from": "soon"})
    assert page.status_code == 422 and "from: expected a date" in page.text
