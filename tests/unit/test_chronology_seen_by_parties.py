"""What a party's seat sees of the chronology (the schema's safe default until the policy's full
rules for issue 13 item 11): names and roles of every person but no private note, public statements
and private ones of its own people, no events, and only the sources of what it sees."""

from __future__ import annotations

from typing import Any

import yaml

from accord.scenario import loads
from accord.security.policy import Seat, SeatRole, Viewer, visible
from tests.storage.test_chronology_record import chronology


def _doc() -> dict[str, Any]:
    doc = chronology()
    del doc["statements"][0]["draft"]  # about no draft (one about a draft a party never saw is hidden)
    return doc


def _seen(role: SeatRole, party: str | None):  # type: ignore[no-untyped-def]
    negotiation = loads(yaml.safe_dump(_doc(), sort_keys=False))
    viewer = Viewer("someone", "Someone", {"harbour-talks": Seat(role, party)})
    return negotiation, visible(viewer, "harbour-talks", negotiation)


def test_a_party_sees_names_and_roles_but_no_private_note() -> None:
    full, seen = _seen(SeatRole.MEMBER, "south")
    assert full.person("mara-lind").note is not None
    assert [(p.id, p.name, p.role) for p in seen.people] == [(p.id, p.name, p.role) for p in full.people]
    assert all(p.note is None for p in seen.people)


def test_a_party_sees_public_statements_no_events_and_only_the_sources_of_what_it_sees() -> None:
    full, seen = _seen(SeatRole.MEMBER, "north")
    assert [s.id for s in seen.statements] == ["vale-0121"]  # public (press)
    assert full.events and seen.events == ()
    cited = {k for s in seen.statements for k in s.sources} | {k for m in seen.meetings for k in m.sources}
    assert {s.id for s in seen.sources} <= cited | {k for p in seen.papers for k in p.sources} | {
        k for d in seen.drafts for k in d.sources
    } | {k for s in seen.stances for k in s.sources}


def test_a_private_statement_is_seen_by_the_speakers_party_only() -> None:
    doc = _doc()
    doc["statements"][0]["channel"] = "private"
    negotiation = loads(yaml.safe_dump(doc, sort_keys=False))
    for party, expected in (("south", ["vale-0121"]), ("north", [])):
        viewer = Viewer("someone", "Someone", {"harbour-talks": Seat(SeatRole.MEMBER, party)})
        assert [s.id for s in visible(viewer, "harbour-talks", negotiation).statements] == expected
    mediator = Viewer("m", "M", {"harbour-talks": Seat(SeatRole.MEDIATOR)})
    assert visible(mediator, "harbour-talks", negotiation) == negotiation
