"""Use cases on meetings (as they happened, or as planned) and the papers handed over at them.

A meeting is recorded once (`add`) and changed after (`update`): each change is an audited write
that keeps every changed field before and after in the meeting's history, so nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from accord.domain import Attendee, Meeting, MeetingChange, MeetingChannel, MeetingStatus, Negotiation, Paper
from accord.domain.record import LONGEST_MEETING, transition_problem
from accord.errors import DomainError, NotFoundError
from accord.scenario.yaml_format import meeting_document
from accord.services.record_keys import checked_key, new_key
from accord.services.sources import NO_CITATION, Citation, check_citation, cite
from accord.storage.database import Database
from accord.storage.unit_of_work import Writing, reading, writing

_NEEDS_REASON = (MeetingStatus.POSTPONED, MeetingStatus.CANCELLED)


@dataclass(frozen=True)
class Attending:
    """Who was at a meeting, as given on the command line: people by key, name or alias, the note
    on how some took part ("joined for the second half"), and who led each side."""

    people: Sequence[str] = ()
    notes: Mapping[str, str] = field(default_factory=dict)
    leads: Sequence[str] = ()


def schedule(
    date: dt.date | None,
    start: dt.datetime | None,
    duration: dt.timedelta | None,
    end: dt.datetime | None,
) -> tuple[dt.date | None, dt.datetime | None, dt.timedelta | None]:
    """The day, start and duration from what was given (an end gives the duration); DomainError
    naming the option for a start on another day than the date, or an end not after the start."""
    if start is not None and date is not None and start.date() != date:
        raise DomainError(f"--start: {start:%Y-%m-%d %H:%M} is not on --date {date.isoformat()}")
    if end is not None:
        if start is None:
            raise DomainError("--end: needs the --start it ends")
        if end.tzinfo is None and start.tzinfo is not None:
            end = end.replace(tzinfo=start.tzinfo)
        if end <= start:
            raise DomainError(f"--end: {end:%Y-%m-%d %H:%M} is not after the start {start:%Y-%m-%d %H:%M}")
        if duration is not None and duration != end - start:
            raise DomainError("--end: disagrees with --duration; give one of them")
        duration = end - start
        if duration > LONGEST_MEETING:
            raise DomainError(
                f"--end: {end:%Y-%m-%d %H:%M} is more than 31 days after the start; a meeting is shorter"
            )
    if duration is not None and duration <= dt.timedelta(0):
        raise DomainError("--duration: expected a positive length such as 3h or 90m")
    if duration is not None and duration > LONGEST_MEETING:
        raise DomainError("--duration: longer than a meeting can be; expected at most 744h (31 days)")
    return date or (start.date() if start else None), start, duration


def _person(negotiation: Negotiation, name: str, option: str) -> str:
    try:
        return negotiation.person(name).id
    except NotFoundError as error:
        raise NotFoundError(f"{option}: {error}") from None


def _party(negotiation: Negotiation, party: str, option: str) -> str:
    try:
        return negotiation.party(party).id
    except NotFoundError as error:
        raise NotFoundError(f"{option}: {error}") from None


def _attendance(
    negotiation: Negotiation, attending: Attending, present: tuple[Attendee, ...], leads: Mapping[str, str]
) -> tuple[tuple[Attendee, ...], dict[str, str]]:
    """People present and leads per side, with what ``attending`` adds (a lead or a noted person
    is present too)."""
    notes = dict((a.person, a.note) for a in present)
    for name in attending.people:
        notes.setdefault(_person(negotiation, name, "--with-person"), None)
    for name, note in attending.notes.items():
        notes[_person(negotiation, name, "--person-note")] = note or None
    chosen = dict(leads)
    sides: set[str] = set()
    for name in attending.leads:
        person = negotiation.person(_person(negotiation, name, "--lead"))
        if person.party is None:
            raise DomainError(f"--lead: {person.name} belongs to no party, so leads no side")
        if person.party in sides:
            raise DomainError(f"--lead: two leads given for {person.party}; expected one per side")
        sides.add(person.party)
        chosen[person.party] = person.id
        notes.setdefault(person.id, None)
    return tuple(Attendee(p, n) for p, n in notes.items()), chosen


def _check_place(status: MeetingStatus, channel: MeetingChannel | None, place: str | None) -> None:
    in_person = channel in (None, MeetingChannel.IN_PERSON)
    if status is MeetingStatus.HELD and in_person and not (place and place.strip()):
        raise DomainError("--place: a meeting held in person needs its place (a call or video needs none)")


def _check_date(status: MeetingStatus, date: dt.date | None, date_approx: str | None) -> None:
    if status is MeetingStatus.HELD and date is None and not date_approx:
        raise DomainError("--date: a held meeting needs its date (or --start, or --date-approx)")


def add_meeting(
    database: Database,
    slug: str | None,
    *,
    actor: str,
    date: dt.date | None = None,
    place: str | None = None,
    participants: Sequence[str] = (),
    status: MeetingStatus = MeetingStatus.HELD,
    reason: str | None = None,
    outcome: str | None = None,
    drafts: Sequence[int] = (),
    papers: Sequence[str] = (),
    key: str | None = None,
    expected_revision: int | None = None,
    start: dt.datetime | None = None,
    duration: dt.timedelta | None = None,
    end: dt.datetime | None = None,
    channel: MeetingChannel | None = None,
    date_approx: str | None = None,
    attending: Attending = Attending(),
    citation: Citation = NO_CITATION,
) -> Meeting:
    """A meeting (held, or planned with an uncertain date and no place yet, postponed, cancelled),
    linked to draft versions; each paper title becomes a paper handed to the participants. A
    person's party takes part with them; the citation's sources are stored with it."""
    if status in _NEEDS_REASON and not (reason and reason.strip()):
        raise DomainError(f"a {status.value} meeting needs a --reason")
    date, start, duration = schedule(date, start, duration, end)
    with writing(database, actor) as uow:
        return add_meeting_in(
            uow,
            slug or uow.repository.default_slug(),
            date=date,
            place=place,
            participants=participants,
            status=status,
            reason=reason,
            outcome=outcome,
            drafts=drafts,
            papers=papers,
            key=key,
            expected_revision=expected_revision,
            start=start,
            duration=duration,
            channel=channel,
            date_approx=date_approx,
            attending=attending,
            citation=citation,
        )


def add_meeting_in(
    uow: Writing,
    name: str,
    *,
    date: dt.date | None = None,
    place: str | None = None,
    participants: Sequence[str] = (),
    status: MeetingStatus = MeetingStatus.HELD,
    reason: str | None = None,
    outcome: str | None = None,
    drafts: Sequence[int] = (),
    papers: Sequence[str] = (),
    key: str | None = None,
    expected_revision: int | None = None,
    start: dt.datetime | None = None,
    duration: dt.timedelta | None = None,
    channel: MeetingChannel | None = None,
    date_approx: str | None = None,
    attending: Attending = Attending(),
    citation: Citation = NO_CITATION,
) -> Meeting:
    """:func:`add_meeting` inside an open unit of work (a batch of writes in one transaction, such as
    `accord ingest apply`): checked, written and audited the same way."""
    if status in _NEEDS_REASON and not (reason and reason.strip()):
        raise DomainError(f"a {status.value} meeting needs a --reason")
    date, start, duration = schedule(date, start, duration, None)
    date_approx = date_approx.strip() or None if date_approx else None
    place = place.strip() or None if place else None
    _check_date(status, date, date_approx)
    _check_place(status, channel, place)
    negotiation = uow.repository.load(name, stances=False).negotiation
    parties = [_party(negotiation, p, "--with") for p in participants]
    for version in drafts:
        negotiation.draft(version)
    present, leads = _attendance(negotiation, attending, (), {})
    for attendee in present:
        party = negotiation.person(attendee.person).party
        if party is not None and party not in parties:
            parties.append(party)
    check_citation(negotiation, citation)
    meeting_id = checked_key(key, "meeting", {m.id for m in negotiation.meetings}) if key else None
    meeting_id = meeting_id or new_key("meeting", {m.id for m in negotiation.meetings}, place, date=date)
    handed: list[Paper] = []
    taken = {p.id for p in negotiation.papers}
    for title in papers:
        paper = Paper(
            id=new_key("paper", taken | {p.id for p in handed}, title, date=None if title else date),
            title=title,
            recipients=tuple(p for p in parties if negotiation.party(p).role.value != "mediator"),
            draft=drafts[0] if len(drafts) == 1 else None,
            date=date,
            meeting=meeting_id,
        )
        taken.add(paper.id)
        handed.append(paper)
    before = uow.repository.state_digest(name)
    uow.repository.claim(name, expected_revision)
    meeting = Meeting(
        id=meeting_id,
        date=date,
        place=place,
        participants=tuple(dict.fromkeys(parties)),
        papers=tuple(p.id for p in handed),
        drafts=tuple(drafts),
        status=status,
        reason=reason,
        outcome=outcome,
        start=start,
        duration=duration,
        channel=channel,
        date_approx=date_approx,
        people=present,
        leads=leads,
        sources=cite(uow, name, negotiation, citation),
    )
    for paper in handed:
        uow.repository.add_paper(name, paper)
    uow.repository.add_meeting(name, meeting)
    uow.record(
        "meeting.add",
        name,
        f"meeting {meeting_id} on {meeting.when}{f' at {place}' if place else ''}: {status.value}",
        before,
        {
            "meeting": meeting_id,
            "status": status.value,
            "papers": [p.id for p in handed],
            "sources": list(meeting.sources),
        },
    )
    return meeting


_UNSET: Any = object()


def update_meeting(
    database: Database,
    slug: str | None,
    key: str,
    *,
    actor: str,
    status: MeetingStatus | None = None,
    reason: str | None = None,
    date: dt.date | None = None,
    start: dt.datetime | None = None,
    duration: dt.timedelta | None = None,
    end: dt.datetime | None = None,
    channel: MeetingChannel | None = None,
    place: str | None = None,
    date_approx: str | None = None,
    outcome: str | None = None,
    participants: Sequence[str] = (),
    attending: Attending = Attending(),
    drafts: Sequence[int] = (),
    citation: Citation = NO_CITATION,
    expected_revision: int | None = None,
) -> Meeting:
    """Change a recorded meeting: its status (planned → held, postponed or cancelled with a reason;
    postponed → planned again when re-scheduled; never held → planned), its time and place, who took
    part and led, its outcome, the drafts discussed, its sources. One audited write; the meeting's
    history keeps each changed field before and after."""
    with writing(database, actor) as uow:
        name = slug or uow.repository.default_slug()
        negotiation = uow.repository.load(name, stances=False).negotiation
        try:
            meeting = negotiation.meeting(key)
        except NotFoundError as error:
            raise NotFoundError(f"meeting: {error}") from None
        new_status = status or meeting.status
        problem = transition_problem(meeting.status, new_status)
        if problem:
            raise DomainError(f"--status: {problem}")
        if (
            new_status in _NEEDS_REASON
            and new_status is not meeting.status
            and not (reason and reason.strip())
        ):
            raise DomainError(f"--reason: a meeting {new_status.value} needs its reason")
        new_start = start if start is not None else meeting.start
        new_date = date if date is not None else meeting.date
        if start is not None and date is None:
            new_date = start.date()
        if date is not None and start is None and meeting.start is not None and meeting.start.date() != date:
            new_start = None  # a new day: the old start time no longer holds
        new_date, new_start, new_duration = schedule(
            new_date,
            new_start,
            duration if duration is not None else (None if end else meeting.duration),
            end,
        )
        if new_status in _NEEDS_REASON or new_status is meeting.status:
            new_reason = reason.strip() if reason and reason.strip() else meeting.reason
        else:
            new_reason = reason.strip() if reason and reason.strip() else None  # re-scheduled or held
        parties = list(meeting.participants)
        for party in participants:
            found = _party(negotiation, party, "--with")
            if found not in parties:
                parties.append(found)
        present, leads = _attendance(negotiation, attending, meeting.people, meeting.leads)
        for attendee in present:
            side = negotiation.person(attendee.person).party
            if side is not None and side not in parties:
                parties.append(side)
        for version in drafts:
            negotiation.draft(version)
        check_citation(negotiation, citation)
        changed = replace(
            meeting,
            status=new_status,
            reason=new_reason,
            date=new_date,
            start=new_start,
            duration=new_duration,
            channel=channel or meeting.channel,
            place=place.strip() or None if place is not None else meeting.place,
            date_approx=date_approx.strip() or None if date_approx is not None else meeting.date_approx,
            outcome=outcome if outcome is not None else meeting.outcome,
            participants=tuple(parties),
            people=present,
            leads=leads,
            drafts=tuple(dict.fromkeys([*meeting.drafts, *drafts])),
        )
        if new_date is not None and date_approx is None and meeting.date is None:
            changed = replace(changed, date_approx=None)  # a date now known replaces the approximation
        _check_date(changed.status, changed.date, changed.date_approx)
        _check_place(changed.status, changed.channel, changed.place)
        before = uow.repository.state_digest(name)
        uow.repository.claim(name, expected_revision)
        cited = cite(uow, name, negotiation, citation)
        changed = replace(changed, sources=tuple(dict.fromkeys([*meeting.sources, *cited])))
        fields = _changes(meeting, changed)
        if not fields:
            raise DomainError(f"nothing to change in meeting {key}: give --status, --start, --place, …")
        change = MeetingChange(uow.now, actor, fields, reason.strip() if reason else None, cited)
        changed = replace(changed, history=(*meeting.history, change))
        uow.repository.update_meeting(name, changed, change)
        uow.record(
            "meeting.update",
            name,
            f"meeting {key}: {', '.join(fields)} changed"
            + (f" ({meeting.status.value} → {changed.status.value})" if "status" in fields else ""),
            before,
            {"meeting": key, "changes": {f: list(pair) for f, pair in fields.items()}},
        )
    return changed


def _changes(before: Meeting, after: Meeting) -> dict[str, tuple[Any, Any]]:
    """Each field that differs, before and after, as the scenario format writes it."""
    old, new = meeting_document(before), meeting_document(after)
    names = [k for k in dict.fromkeys([*old, *new]) if k not in ("id", "history")]
    return {k: (old.get(k), new.get(k)) for k in names if old.get(k) != new.get(k)}


def get_meeting(database: Database, slug: str | None, key: str) -> tuple[Meeting, Negotiation]:
    """One meeting, with the negotiation it belongs to (for its people's, papers' and sources' names)."""
    with reading(database) as uow:
        negotiation = uow.repository.load(slug or uow.repository.default_slug(), stances=False).negotiation
    try:
        return negotiation.meeting(key), negotiation
    except NotFoundError as error:
        raise NotFoundError(f"meeting: {error}") from None


def list_meetings(database: Database, slug: str | None) -> tuple[tuple[Meeting, ...], tuple[Paper, ...]]:
    with reading(database) as uow:
        negotiation = uow.repository.load(slug or uow.repository.default_slug()).negotiation
    return tuple(sorted(negotiation.meetings, key=lambda m: m.sort_key)), negotiation.papers


def list_meetings_of(database: Database, slug: str | None) -> tuple[tuple[Meeting, ...], Negotiation]:
    """Every meeting by date (undated ones last), with the negotiation (for papers, people, sources)."""
    with reading(database) as uow:
        negotiation = uow.repository.load(slug or uow.repository.default_slug(), stances=False).negotiation
    return tuple(sorted(negotiation.meetings, key=lambda m: m.sort_key)), negotiation
