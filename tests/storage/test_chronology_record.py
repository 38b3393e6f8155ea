"""The chronology in the record (migration 0007): people, sources, statements, events, meetings as they
happened with their history, papers with content; stored and loaded whole, exported and imported
back unchanged, and covered by the state digest (a change outside accord shows in `audit verify`)."""

from __future__ import annotations

import base64
import copy
import hashlib
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from accord.domain import EventKind, MeetingChannel, MeetingStatus, StanceKind, StatementChannel
from accord.errors import ScenarioError
from accord.scenario import load, loads
from accord.services import audit, negotiations
from accord.services.drafts import load as load_stored
from accord.storage.database import Database
from accord.storage.tables import event_traces, meeting_changes, paper_files, people
from tests.conftest import SMALL
from tests.storage.conftest import ACTOR

FILE_BYTES = b"%PDF-1.4 the annex as handed over\n"


def chronology() -> dict[str, Any]:
    """The small scenario with every part of the chronology filled in."""
    doc = copy.deepcopy(SMALL)
    doc["sources"] = [
        {
            "id": "harbour-gazette-0112",
            "outlet": "Harbour Gazette",
            "title": "Talks postponed",
            "url": "https://gazette.example/talks-postponed",
            "date": "2025-01-12",
            "quote": "The delegations did not travel.",
        },
        {"id": "readout", "outlet": "Envoy's office", "note": "read-out, not published"},
    ]
    doc["people"] = [
        {
            "id": "mara-lind",
            "name": "Mara Lind",
            "party": "north",
            "role": "chief negotiator",
            "lead": True,
            "aliases": ["Mara Lindh"],
            "note": "private: prefers mornings",
            "sources": ["readout"],
        },
        {"id": "oren-vale", "name": "Oren Vale", "party": "south", "role": "spokesman"},
        {"id": "ida-sorn", "name": "Ida Sorn", "role": "journalist"},
    ]
    doc["meetings"][0]["sources"] = ["harbour-gazette-0112"]
    doc["meetings"].append(
        {
            "id": "round-2",
            "date": "2025-01-20",
            "start": "2025-01-20T17:00",
            "duration": "3h30m",
            "channel": "in-person",
            "place": "Valletta",
            "participants": ["envoy", "north"],
            "people": ["mara-lind", {"person": "oren-vale", "note": "joined for the second half"}],
            "leads": {"north": "mara-lind"},
            "status": "held",
            "outcome": "Annex handed over",
            "sources": ["readout"],
            "history": [
                {
                    "at": "2025-01-15T09:00:00+00:00",
                    "by": "desk",
                    "changes": {
                        "status": {"from": "planned", "to": "held"},
                        "place": {"from": None, "to": "Valletta"},
                    },
                    "reason": "held as planned",
                    "sources": ["readout"],
                }
            ],
        }
    )
    doc["meetings"].append({"id": "round-3", "status": "planned", "date_approx": "in the coming days"})
    doc["papers"].append(
        {
            "id": "annex",
            "title": "Harbour annex",
            "file": {
                "name": "annex.pdf",
                "media_type": "application/pdf",
                "sha256": hashlib.sha256(FILE_BYTES).hexdigest(),
                "size": len(FILE_BYTES),
                "data": base64.b64encode(FILE_BYTES).decode(),
            },
            "recipients": ["north"],
            "recipient_people": ["mara-lind"],
            "meeting": "round-2",
            "related_drafts": [1, 2],
            "sources": ["readout"],
        }
    )
    doc["papers"].append(
        {"id": "handed-over", "count": "several", "text": "Maps of the harbour", "meeting": "round-2"}
    )
    doc["statements"] = [
        {
            "id": "vale-0121",
            "by": "oren-vale",
            "date": "2025-01-21",
            "quote": "Parts of the text are acceptable, parts are not.",
            "summary": "South studies the text",
            "channel": "press",
            "points": ["ceasefire"],
            "stance": "studying",
            "draft": 2,
            "sources": ["harbour-gazette-0112"],
        }
    ]
    doc["stances"].append(
        {
            "draft": 2,
            "party": "south",
            "point": "harbour",
            "stance": "studying",
            "as_of": "2025-01-21",
            "evidence": "vale-0121",
            "sources": ["harbour-gazette-0112"],
        }
    )
    doc["events"] = [
        {
            "id": "leak-1",
            "kind": "leak",
            "date": "2025-01-22",
            "summary": "Draft 2 published by the Gazette",
            "draft": 2,
            "surfaced": "Harbour Gazette website",
            "sources": ["harbour-gazette-0112"],
            "traces": [
                {"at": "2025-01-22T10:00:00+00:00", "by": "desk", "result": {"recipient": "south", "copy": 3}}
            ],
        },
        {
            "id": "postponed",
            "kind": "postponement",
            "date_approx": "late January",
            "summary": "Round 3 put off",
        },
    ]
    doc["drafts"][1]["sources"] = ["readout"]
    return doc


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "chronology.yaml"
    path.write_text(yaml.safe_dump(chronology(), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def stored(database: Database, scenario: Path) -> Database:
    negotiations.import_scenario(database, scenario, actor=ACTOR)
    return database


def test_the_chronology_loads_from_a_scenario_file(scenario: Path) -> None:
    negotiation = load(scenario)
    lead = negotiation.person("Mara Lindh")  # by an alias
    assert lead.id == "mara-lind" and lead.lead and negotiation.people_of("north") == (lead,)
    assert negotiation.person("ida-sorn").party is None
    held = negotiation.meeting("round-2")
    assert held.start is not None and held.start.hour == 17 and held.duration is not None
    assert held.duration.total_seconds() == 3.5 * 3600 and held.channel is MeetingChannel.IN_PERSON
    assert held.people[1].note == "joined for the second half" and held.leads == {"north": "mara-lind"}
    assert held.history[0].changes["status"] == ("planned", "held")
    planned = negotiation.meeting("round-3")
    assert planned.date is None and planned.place is None and planned.when == "in the coming days"
    assert planned.status is MeetingStatus.PLANNED
    annex = negotiation.paper("annex")
    assert annex.file is not None and annex.file.data == FILE_BYTES and annex.meeting == "round-2"
    assert negotiation.paper("handed-over").count is None and negotiation.paper("handed-over").title is None
    statement = negotiation.statement("vale-0121")
    assert statement.stance is StanceKind.STUDYING and statement.channel is StatementChannel.PRESS
    adopted = negotiation.stances_evidenced_by("vale-0121")
    assert [s.point for s in adopted] == ["harbour"] and adopted[0].as_of is not None
    leak = negotiation.event("leak-1")
    assert leak.kind is EventKind.LEAK and leak.traces[0].result["recipient"] == "south"
    assert negotiation.source("harbour-gazette-0112").url == "https://gazette.example/talks-postponed"


def test_the_chronology_is_stored_and_loaded_whole(stored: Database, scenario: Path) -> None:
    assert load_stored(stored, "harbour-talks").negotiation == load(scenario)


def test_export_writes_the_chronology_and_imports_back_unchanged(stored: Database, tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    negotiations.export_scenario(stored, "harbour-talks", out)
    again = load(out)
    assert again == load_stored(stored, "harbour-talks").negotiation
    annex = again.paper("annex")
    assert annex.file is not None and annex.file.data == FILE_BYTES  # the bytes travel in the file
    negotiations.import_scenario(stored, out, actor=ACTOR, slug="again")
    second = tmp_path / "again.yaml"
    negotiations.export_scenario(stored, "again", second)
    assert second.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
    assert audit.check(stored).ok


@pytest.mark.parametrize(
    "change",
    [
        sa.update(people).values(note="changed"),
        sa.update(meeting_changes).values(reason="rewritten"),
        sa.update(paper_files).values(data=b"other bytes"),
        sa.update(event_traces).values(recorded_by="someone"),
        sa.delete(meeting_changes),
    ],
    ids=["person", "meeting-history", "file-bytes", "trace", "history-deleted"],
)
def test_a_change_to_the_chronology_outside_accord_shows_in_the_audit(stored: Database, change: Any) -> None:
    assert audit.check(stored).ok
    with stored.engine.begin() as connection:
        connection.execute(change)
    problems = [str(p) for p in audit.check(stored).problems]
    assert any("changed outside accord" in p for p in problems), problems


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["sources"][0].update(url="not a url"), "is not a URL"),
        (lambda d: d["meetings"][1].update(duration="three hours"), "is not a duration"),
        (lambda d: d["meetings"][1].update(start="2025-01-21T17:00"), "not on its date"),
        (lambda d: d["meetings"][1]["people"].append("nobody"), "unknown person 'nobody'"),
        (lambda d: d["meetings"][1].update(leads={"north": "oren-vale"}), "belongs to 'south'"),
        (lambda d: d["statements"][0].update(by="nobody"), "unknown person 'nobody'"),
        (lambda d: d["events"][0].update(paper="nothing"), "unknown paper 'nothing'"),
        (lambda d: d["stances"][-1].update(evidence="unsaid"), "unknown statement 'unsaid'"),
        (lambda d: d["papers"][1]["file"].update(size=3), "does not match the file's bytes"),
        (
            lambda d: d["meetings"][2].update(status="held") or d["meetings"][2].pop("date_approx"),
            "a held meeting needs its date",
        ),
        (lambda d: d["drafts"][1].update(sources=["nowhere"]), "unknown source 'nowhere'"),
    ],
)
def test_a_bad_chronology_is_refused_naming_the_field(edit: Any, message: str) -> None:
    doc = chronology()
    edit(doc)
    with pytest.raises(ScenarioError, match=message):
        loads(yaml.safe_dump(doc, sort_keys=False))
