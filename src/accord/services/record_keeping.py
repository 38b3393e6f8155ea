"""The workbench's record keeping, for a viewer: people and delegations, sources, and meetings as they
happened (recorded in full, then changed). The same use cases as `accord person`, `accord source` and
`accord meeting add/update` (accord.services.people, .sources, .meetings), each asking the policy
first, so the command line and the workbench follow one rule: every seat reads the people it may see
(names and roles: a person's private note is the mediator's), only the mediator writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from accord.domain import Meeting, MeetingStatus
from accord.domain.people import Person
from accord.domain.record import MeetingChannel
from accord.domain.sources import Source
from accord.security.policy import Action, Viewer, require
from accord.services import meetings as meeting_service
from accord.services import people as people_service
from accord.services import sources as source_service
from accord.services.meetings import Attending
from accord.services.sources import NO_CITATION, Citation
from accord.services.text_limits import check_texts
from accord.services.workbench import view
from accord.storage.database import Database

NOBODY = Attending()  # no one named beyond the parties


def _actor(viewer: Viewer) -> str:
    assert viewer.username is not None  # require() let no anonymous viewer through
    return viewer.username


def people(database: Database, viewer: Viewer, slug: str) -> tuple[Person, ...]:
    """The people the seat sees (policy.visible: a party's seat never reads a private note)."""
    return in_order(view(database, viewer, slug).negotiation.people)


def in_order(found: Sequence[Person]) -> tuple[Person, ...]:
    """People by party (those of no party last), each party's lead first, then by name."""
    return tuple(sorted(found, key=lambda p: (p.party or "~", not p.lead, p.name.lower())))


def sources(database: Database, viewer: Viewer, slug: str) -> tuple[Source, ...]:
    """The sources the seat sees: the mediator all of them, a party's seat those of what it sees."""
    return view(database, viewer, slug).negotiation.sources


def _citation_texts(citation: Citation) -> list[tuple[str, str | None, str]]:
    return [
        ("source outlet", citation.outlet, "name"),
        ("source title", citation.title, "title"),
        ("source url", citation.url, "title"),
        ("source quote", citation.quote, "note"),
        ("source note", citation.note, "note"),
    ]


def _meeting_texts(
    place: str | None,
    reason: str | None,
    outcome: str | None,
    date_approx: str | None,
    participants: Sequence[str],
    attending: Attending,
    citation: Citation,
) -> list[tuple[str, str | None, str]]:
    """A meeting's free texts, each with its field and kind of limit (accord.services.text_limits)."""
    return (
        [
            ("place", place, "title"),
            ("reason", reason, "note"),
            ("outcome", outcome, "outcome"),
            ("date_approx", date_approx, "title"),
        ]
        + [(f"participants[{i}]", p, "name") for i, p in enumerate(participants)]
        + [(f"people[{i}]", p, "name") for i, p in enumerate(attending.people)]
        + _citation_texts(citation)
    )


def add_person(
    database: Database,
    viewer: Viewer,
    slug: str,
    *,
    name: str,
    party: str | None = None,
    role: str | None = None,
    lead: bool = False,
    aliases: Sequence[str] = (),
    note: str | None = None,
    key: str | None = None,
) -> Person:
    require(viewer, Action.RECORD_PERSON, slug)
    check_texts(
        [("name", name, "name"), ("role", role, "title"), ("note", note, "note")]
        + [(f"aliases[{i}]", a, "name") for i, a in enumerate(aliases)]
    )
    return people_service.add_person(
        database,
        slug,
        name=name,
        actor=_actor(viewer),
        party=party,
        role=role,
        lead=lead,
        aliases=aliases,
        key=key,
        note=note,
    )


def update_person(
    database: Database,
    viewer: Viewer,
    slug: str,
    key: str,
    *,
    name: str | None = None,
    party: str | None = None,
    no_party: bool = False,
    role: str | None = None,
    lead: bool | None = None,
    add_aliases: Sequence[str] = (),
    note: str | None = None,
) -> Person:
    require(viewer, Action.RECORD_PERSON, slug)
    check_texts(
        [("name", name, "name"), ("role", role, "title"), ("note", note, "note")]
        + [(f"aliases[{i}]", a, "name") for i, a in enumerate(add_aliases)]
    )
    return people_service.update_person(
        database,
        slug,
        key,
        actor=_actor(viewer),
        name=name,
        party=party,
        no_party=no_party,
        role=role,
        lead=lead,
        add_aliases=add_aliases,
        note=note,
    )


def add_source(database: Database, viewer: Viewer, slug: str, citation: Citation) -> Source:
    require(viewer, Action.RECORD_SOURCE, slug)
    check_texts(_citation_texts(citation))
    return source_service.add_source(database, slug, citation, actor=_actor(viewer))


def add_meeting(
    database: Database,
    viewer: Viewer,
    slug: str,
    *,
    date: dt.date | None = None,
    place: str | None = None,
    participants: Sequence[str] = (),
    status: MeetingStatus = MeetingStatus.HELD,
    reason: str | None = None,
    outcome: str | None = None,
    drafts: Sequence[int] = (),
    papers: Sequence[str] = (),
    start: dt.datetime | None = None,
    duration: dt.timedelta | None = None,
    channel: MeetingChannel | None = None,
    date_approx: str | None = None,
    attending: Attending = NOBODY,
    citation: Citation = NO_CITATION,
) -> Meeting:
    """A meeting recorded in full (time, duration, channel, people, leads, sources), as `accord meeting
    add` records it."""
    require(viewer, Action.ADD_MEETING, slug)
    check_texts(
        _meeting_texts(place, reason, outcome, date_approx, participants, attending, citation)
        + [(f"papers[{i}]", p, "title") for i, p in enumerate(papers)]
    )
    return meeting_service.add_meeting(
        database,
        slug,
        date=date,
        place=place,
        participants=participants,
        status=status,
        reason=reason,
        outcome=outcome,
        drafts=drafts,
        papers=papers,
        start=start,
        duration=duration,
        channel=channel,
        date_approx=date_approx,
        attending=attending,
        citation=citation,
        actor=_actor(viewer),
    )


def update_meeting(
    database: Database,
    viewer: Viewer,
    slug: str,
    key: str,
    *,
    status: MeetingStatus | None = None,
    reason: str | None = None,
    date: dt.date | None = None,
    start: dt.datetime | None = None,
    duration: dt.timedelta | None = None,
    channel: MeetingChannel | None = None,
    place: str | None = None,
    date_approx: str | None = None,
    outcome: str | None = None,
    participants: Sequence[str] = (),
    attending: Attending = NOBODY,
    drafts: Sequence[int] = (),
    citation: Citation = NO_CITATION,
) -> Meeting:
    """Change a recorded meeting (status, time, place, people, outcome...): one audited write whose
    history keeps every changed field before and after, as `accord meeting update`."""
    require(viewer, Action.UPDATE_MEETING, slug)
    check_texts(_meeting_texts(place, reason, outcome, date_approx, participants, attending, citation))
    return meeting_service.update_meeting(
        database,
        slug,
        key,
        actor=_actor(viewer),
        status=status,
        reason=reason,
        date=date,
        start=start,
        duration=duration,
        channel=channel,
        place=place,
        date_approx=date_approx,
        outcome=outcome,
        participants=participants,
        attending=attending,
        drafts=drafts,
        citation=citation,
    )
