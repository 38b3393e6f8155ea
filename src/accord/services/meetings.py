"""Use cases on meetings and the papers handed over at them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from accord.domain import Meeting, MeetingStatus, Paper
from accord.errors import DomainError
from accord.storage.database import Database
from accord.storage.unit_of_work import reading, writing


def add_meeting(
    database: Database,
    slug: str | None,
    *,
    date: dt.date,
    place: str,
    participants: Sequence[str],
    actor: str,
    status: MeetingStatus = MeetingStatus.HELD,
    reason: str | None = None,
    outcome: str | None = None,
    drafts: Sequence[int] = (),
    papers: Sequence[str] = (),
    key: str | None = None,
    expected_revision: int | None = None,
) -> Meeting:
    """A meeting, linked to draft versions; each paper title becomes a paper handed to the participants."""
    if status in (MeetingStatus.POSTPONED, MeetingStatus.CANCELLED) and not (reason and reason.strip()):
        raise DomainError(f"a {status.value} meeting needs a --reason")
    if not place.strip():
        raise DomainError("a meeting needs a place")
    with writing(database, actor) as uow:
        name = slug or uow.repository.default_slug()
        negotiation = uow.repository.load(name, stances=False).negotiation
        for party in participants:
            negotiation.party(party)  # NotFoundError names the stranger
        for version in drafts:
            negotiation.draft(version)
        meeting_id = key or f"m{len(negotiation.meetings) + 1}"
        if any(m.id == meeting_id for m in negotiation.meetings):
            raise DomainError(f"a meeting {meeting_id!r} is recorded already; choose another --id")
        handed: list[Paper] = []
        taken = {p.id for p in negotiation.papers}
        for title in papers:
            number = len(negotiation.papers) + len(handed) + 1
            while f"paper-{number}" in taken:
                number += 1
            paper = Paper(
                id=f"paper-{number}",
                title=title,
                recipients=tuple(p for p in participants if negotiation.party(p).role.value != "mediator"),
                draft=drafts[0] if len(drafts) == 1 else None,
                date=date,
            )
            taken.add(paper.id)
            handed.append(paper)
        meeting = Meeting(
            id=meeting_id,
            date=date,
            place=place,
            participants=tuple(dict.fromkeys(participants)),
            papers=tuple(p.id for p in handed),
            drafts=tuple(drafts),
            status=status,
            reason=reason,
            outcome=outcome,
        )
        before = uow.repository.state_digest(name)
        uow.repository.claim(name, expected_revision)
        for paper in handed:
            uow.repository.add_paper(name, paper)
        uow.repository.add_meeting(name, meeting)
        uow.record(
            "meeting.add",
            name,
            f"meeting {meeting_id} on {date.isoformat()} at {place}: {status.value}",
            before,
            {"meeting": meeting_id, "status": status.value, "papers": [p.id for p in handed]},
        )
    return meeting


def list_meetings(database: Database, slug: str | None) -> tuple[tuple[Meeting, ...], tuple[Paper, ...]]:
    with reading(database) as uow:
        negotiation = uow.repository.load(slug or uow.repository.default_slug()).negotiation
    return tuple(sorted(negotiation.meetings, key=lambda m: m.sort_key)), negotiation.papers
