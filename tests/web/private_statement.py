"""Statements and an event planted in a workbench, each carrying unique markers, so that a test can
search every answer for them (issue 13, item 11): a private statement of one of party A's people (the
mediator's and A's), the mediator's note on a public statement, and a leak event (the mediator's)."""

from __future__ import annotations

import datetime as dt

from accord.domain import EventKind, StanceKind, StatementChannel
from accord.services import events, people, statements
from accord.storage.database import Database
from tests.web.conftest import NAME, A

SPEAKER = "varya-speaker"
PRIVATE, ADOPT_PAGE, ADOPT_API = "private-word", "adopt-by-page", "adopt-by-api"
PRIVATE_WORDS = {
    "quote": "private-words-of-russia-PS93",
    "summary": "what-russia-said-in-confidence-LK27",
}
MEDIATOR_ONLY = {
    "note": "mediator-note-on-a-statement-NB45",
    "event": "leak-event-summary-EV62",
    "surfaced": "surfaced-where-only-the-mediator-knows-SW18",
}


def statement_secrets() -> list[str]:
    """What party A's seat and the mediator read, and nobody else."""
    return list(PRIVATE_WORDS.values())


def mediator_secrets() -> list[str]:
    return list(MEDIATOR_ONLY.values())


def plant_statements(database: Database) -> None:
    """A person of A says something in private, and twice in public about point 7 of draft 3 with a
    stance (adoptable: once by the page, once by the API), the mediator noting it; a leak is recorded."""
    people.add_person(database, NAME, name="Varya Speaker", party=A, actor="mediator", key=SPEAKER)
    statements.add_statement(
        database,
        NAME,
        actor="mediator",
        by=SPEAKER,
        date=dt.date(2025, 12, 5),
        quote=PRIVATE_WORDS["quote"],
        summary=PRIVATE_WORDS["summary"],
        channel=StatementChannel.PRIVATE,
        key=PRIVATE,
    )
    for key in (ADOPT_PAGE, ADOPT_API):
        statements.add_statement(
            database,
            NAME,
            actor="mediator",
            by=SPEAKER,
            date=dt.date(2025, 12, 6),
            quote="We cannot accept point 7 as drafted.",
            points=["7"],
            stance=StanceKind.REJECT,
            draft=3,
            note=MEDIATOR_ONLY["note"],
            key=key,
        )
    events.add_event(
        database,
        NAME,
        actor="mediator",
        kind=EventKind.LEAK,
        date=dt.date(2025, 12, 7),
        summary=MEDIATOR_ONLY["event"],
        draft=3,
        surfaced=MEDIATOR_ONLY["surfaced"],
        key="planted-leak",
    )
