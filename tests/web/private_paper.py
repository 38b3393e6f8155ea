"""Private papers planted in a workbench: handed to one party only, at a meeting both parties attended,
each carrying unique markers in its title, note and content, so that a test can search every answer
for them (issue 13, item 11: a paper and its content are the mediator's and its recipients')."""

from __future__ import annotations

import datetime as dt

from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import meetings, papers, people
from accord.storage.database import Database
from tests.web.conftest import NAME, A, B

ANNEX, MEMO, JOINT = "private-annex", "private-memo", "joint-talks"
PAPER_SECRETS = {
    "title": "Annex on the plant handover KX58",
    "note": "handed over in confidence RT36",
    "file": "annex-content-QW71",  # inside the binary file
    "text": "memo-text-of-russia-HB24",  # the memo's text content
}
ANNEX_BYTES = b"%PDF-1.7\n\x00\x01" + PAPER_SECRETS["file"].encode() + b"\xfe\xff end"


def paper_secrets() -> list[str]:
    return list(PAPER_SECRETS.values())


def plant_private_papers(database: Database) -> None:
    """A meeting of parties A and B; at it, a file handed to A's aide (A by implication) and a text
    handed to A: nothing of either is B's, or an observer's."""
    mediator = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
    people.add_person(database, NAME, name="Marker Aide", party=A, actor="mediator")
    meetings.add_meeting(
        database,
        NAME,
        actor="mediator",
        date=dt.date(2025, 12, 2),
        place="Geneva",
        participants=[A, B],
        key=JOINT,
    )
    papers.add_paper(
        database,
        NAME,
        actor="mediator",
        viewer=mediator,
        title=PAPER_SECRETS["title"],
        note=PAPER_SECRETS["note"],
        file=papers.attachment("annex.pdf", ANNEX_BYTES),
        handed=papers.Handed(people=["Marker Aide"], meeting=JOINT),
        key=ANNEX,
    )
    papers.add_paper(
        database,
        NAME,
        actor="mediator",
        viewer=mediator,
        title="Memo",
        text=PAPER_SECRETS["text"],
        handed=papers.Handed(parties=[A], meeting=JOINT),
        key=MEMO,
    )
