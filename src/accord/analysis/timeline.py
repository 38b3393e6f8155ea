"""The chronology of the talks in date order: one timeline of meetings, papers, statements, events,
drafts, circulations and stances, each entry in plain words with the parties it involves and the
sources it rests on (issue 13, item 9).

Pure: it reads a :class:`~accord.domain.Negotiation` (already cut to what the viewer may see, by
accord.security.policy.visible) and two facts the model does not carry, given by the caller: when
each draft was handed to each party (:class:`Circulated`), and when each current stance was recorded
(said in words for a stance with no "as of" date on a draft with no date; never its day).

Dates: an entry's ``day`` orders it. An approximate date keeps its words (``when``, with
``approximate`` set): a meeting "in the coming days", an event "early November", a circulation
known only to follow its draft's date. Entries with no day at all come last: those with words
first, then the undated ones (``undated``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from accord.domain import (
    Draft,
    Event,
    EventKind,
    Meeting,
    MeetingStatus,
    Negotiation,
    Paper,
    Source,
    Stance,
    StanceKind,
    Statement,
    StatementChannel,
)
from accord.domain.drafts import chronological
from accord.domain.record import format_duration
from accord.errors import DomainError, NotFoundError
from accord.wording import possessive, verb


class EntryKind(StrEnum):
    MEETING = "meeting"
    PAPER = "paper"
    STATEMENT = "statement"
    EVENT = "event"
    DRAFT = "draft"
    CIRCULATION = "circulation"
    STANCE = "stance"


# on one day (and at one time): the texts, each followed by its handing over (their ``order`` keeps
# them together); the meeting before what was handed over at it and said after it; the answers last
_KIND_ORDER = {
    EntryKind.DRAFT: 0,
    EntryKind.CIRCULATION: 0,
    EntryKind.MEETING: 1,
    EntryKind.PAPER: 2,
    EntryKind.STATEMENT: 3,
    EntryKind.EVENT: 4,
    EntryKind.STANCE: 5,
}


@dataclass(frozen=True)
class Circulated:
    """A draft handed to a party, on ``date`` when the record says when."""

    draft: int
    party: str
    date: dt.date | None = None


@dataclass(frozen=True)
class Entry:
    """One line of the timeline.

    ``day`` orders it (None: no day known); ``time`` the hour a meeting began; ``when`` the date as
    a person would say it ("2025-12-02 17:00", "in the coming days", "undated"); ``approximate``
    marks a date known only roughly. ``parties`` are the ids of the parties involved,
    ``party_names`` their names; ``ref`` the entry's key in the record (a meeting's id, "v3"...).
    """

    kind: EntryKind
    day: dt.date | None
    when: str
    summary: str
    ref: str
    parties: tuple[str, ...] = ()
    party_names: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    time: dt.time | None = None
    approximate: bool = False
    order: int = 0  # keeps the record's own order among entries of one kind on one day

    @property
    def undated(self) -> bool:
        return self.day is None and not self.approximate

    @property
    def sort_key(self) -> tuple[int, dt.date, dt.time, int, int]:
        tier = 0 if self.day is not None else (1 if self.approximate else 2)
        return (
            tier,
            self.day or dt.date.max,
            self.time or dt.time.min,
            _KIND_ORDER[self.kind],
            self.order,
        )

    def data(self) -> dict[str, Any]:
        """The entry as JSON: ``date`` is the ISO day when one is known, else the approximate date's
        words, else null (``undated``); ``day`` the ISO day or null (what the order goes by)."""
        date: str | None = self.day.isoformat() if self.day is not None else None
        if date is None and self.approximate:
            date = self.when
        return {
            "date": date,
            "day": self.day.isoformat() if self.day is not None else None,
            "time": self.time.strftime("%H:%M") if self.time is not None else None,
            "when": self.when,
            "approximate": self.approximate,
            "undated": self.undated,
            "kind": self.kind.value,
            "summary": self.summary,
            "parties": list(self.parties),
            "party_names": list(self.party_names),
            "ref": self.ref,
            "sources": [source_data(s) for s in self.sources],
        }


def source_data(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "outlet": source.outlet,
        "title": source.title,
        "url": source.url,
        "date": source.date.isoformat() if source.date is not None else None,
    }


# -- building -------------------------------------------------------------------------------------


@dataclass
class _Words:
    """Names for keys: people, parties, points, options, sources."""

    negotiation: Negotiation
    parties: dict[str, str] = field(init=False)
    people: dict[str, tuple[str, str | None]] = field(init=False)

    def __post_init__(self) -> None:
        n = self.negotiation
        self.parties = {p.id: p.name for p in n.parties}
        self.people = {p.id: (p.name, p.party) for p in n.people}

    def party(self, key: str) -> str:
        return self.parties.get(key, key)

    def person(self, key: str) -> str:
        return self.people.get(key, (key, None))[0]

    def party_of(self, person: str) -> str | None:
        return self.people.get(person, (person, None))[1]

    def point(self, key: str) -> str:
        """The point's title ("" for one the viewer does not see: its key is not for them either)."""
        for point in self.negotiation.points:
            if point.id == key:
                return point.title
        return ""

    def paper(self, key: str) -> str:
        for paper in self.negotiation.papers:
            if paper.id == key:
                return f"“{paper.title}”" if paper.title else paper.label
        return "not shown"  # a paper the viewer was not handed

    def sources(self, keys: Iterable[str]) -> tuple[Source, ...]:
        known = {s.id: s for s in self.negotiation.sources}
        return tuple(known[k] for k in dict.fromkeys(keys) if k in known)

    def names(self, parties: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        keys = tuple(dict.fromkeys(p for p in parties if p))
        return keys, tuple(self.party(p) for p in keys)


def _then(text: str, sentence: str) -> str:
    """``text``, then another sentence (one full stop between them, however ``text`` ends)."""
    return f"{text.rstrip().rstrip('.')}. {sentence}"


def _clause(text: str, clause: str) -> str:
    """``text``, then a clause after a semicolon (a full stop ending ``text`` gives way)."""
    return f"{text.rstrip().rstrip('.')}; {clause}"


def _listing(words: Sequence[str]) -> str:
    items = [w for w in words if w]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def build(
    negotiation: Negotiation,
    *,
    circulations: Iterable[Circulated] = (),
    recorded: Mapping[tuple[int, str, str], dt.date] | None = None,
) -> list[Entry]:
    """Every entry of the negotiation's chronology, in date order (see the module's notes).

    ``circulations``: the drafts handed over, with their dates (without them, each draft's
    ``circulated_to`` is used, undated); ``recorded``: the day each current stance was recorded,
    by (draft, party, point), said in words for a stance with no "as of" date on an undated draft.
    """
    words = _Words(negotiation)
    drafts = chronological(negotiation.drafts)
    rank = {d.version: i for i, d in enumerate(drafts)}
    placed = _placed(drafts)
    entries: list[Entry] = []
    entries += [_draft(words, d, placed[d.version], 2 * rank[d.version]) for d in drafts]
    given = list(circulations)
    if not given:
        given = [Circulated(d.version, p) for d in drafts for p in d.circulated_to]
    entries += _circulations(words, given, placed, rank)
    meetings = {m.id: m for m in negotiation.meetings}
    held_at = {paper: m for m in negotiation.meetings for paper in m.papers}
    entries += [_meeting(words, m, i) for i, m in enumerate(negotiation.meetings)]
    entries += [
        _paper(words, p, meetings.get(p.meeting or "") or held_at.get(p.id), i)
        for i, p in enumerate(negotiation.papers)
    ]
    entries += [_statement(words, s, i) for i, s in enumerate(negotiation.statements)]
    entries += [_event(words, e, i) for i, e in enumerate(negotiation.events)]
    entries += _stances(words, negotiation, recorded or {}, rank)
    return sorted(entries, key=lambda e: e.sort_key)


def _placed(drafts: Sequence[Draft]) -> dict[int, tuple[dt.date | None, str | None]]:
    """Each version's day, and for an undated one the words placing it: as
    accord.domain.drafts.chronological orders them, an undated version follows the one numbered just
    below it ("after v1 (2025-01-10)"); one before any dated version has no day."""
    found: dict[int, tuple[dt.date | None, str | None]] = {}
    last: Draft | None = None
    for draft in sorted(drafts, key=lambda d: d.version):
        if draft.date is not None:
            last = draft
            found[draft.version] = (draft.date, None)
        elif last is not None and last.date is not None:
            found[draft.version] = (last.date, f"after v{last.version} ({last.date})")
        else:
            found[draft.version] = (None, None)
    return found


def _draft(words: _Words, draft: Draft, placed: tuple[dt.date | None, str | None], order: int) -> Entry:
    title = f" “{draft.title}”" if draft.title else ""
    label = f" ({draft.label})" if draft.label and draft.label != draft.title else ""
    author = f" by {words.party(draft.author)}" if draft.author else ""
    text = f"Draft v{draft.version}{title}{label}{author}"
    if draft.parent is not None:
        text += f", amending v{draft.parent}"
    text = _clause(text, f"{draft.status.value}")
    if draft.note:
        text = _then(text, f"{draft.note}")
    parties, names = words.names([draft.author] if draft.author in words.parties else [])
    day, after = placed
    return Entry(
        EntryKind.DRAFT,
        day,
        after or (day.isoformat() if day else "undated"),
        text,
        f"v{draft.version}",
        parties,
        names,
        words.sources(draft.sources),
        approximate=after is not None,
        order=order,
    )


def _circulations(
    words: _Words,
    given: Sequence[Circulated],
    placed: Mapping[int, tuple[dt.date | None, str | None]],
    rank: Mapping[int, int],
) -> list[Entry]:
    """One entry per draft and day: "Draft v2 handed to North and South". Without a date of its own,
    a handing over follows its draft's date (approximate: "on or after" it)."""
    groups: dict[tuple[int, dt.date | None], list[str]] = {}
    for c in given:
        if c.draft not in rank:
            continue
        recipients = groups.setdefault((c.draft, c.date), [])
        if c.party not in recipients:
            recipients.append(c.party)
    found = []
    for (version, date), recipients in groups.items():
        day, approximate = date, False
        when = date.isoformat() if date else "undated"
        draft_day, after = placed[version]
        if date is None and draft_day is not None:
            day, approximate = draft_day, True
            when = f"on or after {draft_day}" if after is None else f"{after} or later"
        parties, names = words.names(recipients)
        found.append(
            Entry(
                EntryKind.CIRCULATION,
                day,
                when,
                f"Draft v{version} handed to {_listing(names)}",
                f"v{version}",
                parties,
                names,
                approximate=approximate,
                order=2 * rank[version] + 1,
            )
        )
    return found


def _meeting(words: _Words, meeting: Meeting, order: int) -> Entry:
    status = {
        MeetingStatus.HELD: "Meeting held",
        MeetingStatus.PLANNED: "Meeting planned",
        MeetingStatus.POSTPONED: "Meeting postponed",
        MeetingStatus.CANCELLED: "Meeting cancelled",
    }[meeting.status]
    text = status + (f" in {meeting.place}" if meeting.place else "")
    how = []
    if meeting.channel is not None:
        how.append(meeting.channel.value.replace("-", " "))
    if meeting.start is not None:
        how.append(f"from {meeting.start:%H:%M}")
    if meeting.duration is not None:
        how.append(f"for {format_duration(meeting.duration)}")
    if how:
        text += f" ({', '.join(how)})"
    sides = list(meeting.participants)
    people = []
    leads = {person: party for party, person in meeting.leads.items()}
    for attendee in meeting.people:
        party = words.party_of(attendee.person)
        if party and party not in sides:
            sides.append(party)
        notes = [words.party(party)] if party else []
        if attendee.person in leads:
            notes.append("led")
        if attendee.note:
            notes.append(attendee.note)
        people.append(words.person(attendee.person) + (f" ({'; '.join(notes)})" if notes else ""))
    for party in meeting.leads:
        if party not in sides:
            sides.append(party)
    parties, names = words.names(sides)
    present = {words.party_of(a.person) for a in meeting.people}
    unnamed = [words.party(p) for p in parties if p not in present]  # sides without a person named
    if people:
        text += ": " + ", ".join(people) + (f"; with {_listing(unnamed)}" if unnamed else "")
    elif names:
        text += f": {_listing(names)}"
    for person, party in leads.items():
        if person not in {a.person for a in meeting.people}:
            text = _clause(text, f"{words.person(person)} led for {words.party(party)}")
    if meeting.reason:
        text = _then(text, f"Reason: {meeting.reason}")
    if meeting.outcome:
        text = _then(text, f"Outcome: {meeting.outcome}")
    approximate = meeting.date_approx is not None
    when = meeting.date_approx if meeting.date is None and meeting.date_approx else meeting.when
    if meeting.date is not None and meeting.date_approx:
        when = f"{meeting.when} ({meeting.date_approx})"
    return Entry(
        EntryKind.MEETING,
        meeting.date,
        when,
        text,
        meeting.id,
        parties,
        names,
        words.sources(meeting.sources),
        time=meeting.start.time().replace(tzinfo=None) if meeting.start is not None else None,
        approximate=approximate,
        order=order,
    )


def _paper(words: _Words, paper: Paper, meeting: Meeting | None, order: int) -> Entry:
    label = f"“{paper.title}”" if paper.title else paper.label
    text = f"Paper handed over: {label}" if paper.title else f"Handed over: {label}"
    sides = list(paper.recipients)
    people = []
    for person in paper.recipient_people:
        party = words.party_of(person)
        if party and party not in sides:
            sides.append(party)
        people.append(words.person(person) + (f" ({words.party(party)})" if party else ""))
    parties, names = words.names(sides)
    named = {words.party_of(p) for p in paper.recipient_people}
    to = [*(words.party(p) for p in parties if p not in named), *people]
    if to:
        text += f" to {_listing(to)}"
    if meeting is not None:
        text += f" at the meeting of {meeting.when}" + (f" in {meeting.place}" if meeting.place else "")
    if paper.draft is not None:
        text = _clause(text, f"carries draft v{paper.draft}")
    if paper.related_drafts:
        text = _clause(text, f"bears on {_listing([f'v{v}' for v in paper.related_drafts])}")
    if paper.file is not None:
        text = _clause(text, f"file {paper.file.name} ({paper.file.size} bytes)")
    elif paper.text:
        text = _clause(text, "text recorded")
    if paper.note:
        text = _then(text, f"{paper.note}")
    day = paper.date or (meeting.date if meeting is not None else None)
    approximate = paper.date is None and meeting is not None and meeting.date_approx is not None
    if day is not None:
        when = day.isoformat()
    elif approximate and meeting is not None:
        when = meeting.when
    else:
        when = "undated"
    at_meeting = paper.date is None and meeting is not None and meeting.start is not None
    return Entry(
        EntryKind.PAPER,
        day,
        when,
        text,
        paper.id,
        parties,
        names,
        words.sources(paper.sources),
        # handed over at the meeting: after it began (the meeting sorts first at the same time)
        time=meeting.start.time().replace(tzinfo=None) if at_meeting and meeting and meeting.start else None,
        approximate=approximate,
        order=order,
    )


_CHANNEL = {
    StatementChannel.PRESS: "to the press",
    StatementChannel.INTERVIEW: "in an interview",
    StatementChannel.SOCIAL: "on social media",
    StatementChannel.OFFICIAL: "officially",
    StatementChannel.PRIVATE: "in private",
}
_STANCE = {
    StanceKind.ACCEPT: "accepts",
    StanceKind.CONDITIONAL: "accepts on a condition",
    StanceKind.REJECT: "rejects",
    StanceKind.STUDYING: "is studying",
    StanceKind.NO_POSITION: "takes no position on",
}

ROUND = 6
"""More answers than this in one entry are a round's: counted, not listed (the rejections by name)."""
_ROUND_STANCE = {
    StanceKind.REJECT: "rejected",
    StanceKind.CONDITIONAL: "accepted on conditions",
    StanceKind.ACCEPT: "accepted",
    StanceKind.STUDYING: "studying",
    StanceKind.NO_POSITION: "no position",
}


def _statement(words: _Words, statement: Statement, order: int) -> Entry:
    party = words.party_of(statement.person)
    who = words.person(statement.person)
    if party:
        who += f" ({words.party(party)})"
    text = f"{who}, {_CHANNEL[statement.channel]}: “{statement.quote}”"
    if statement.summary:
        text += f" — {statement.summary}"
    about = [title for title in (words.point(p) for p in statement.points) if title]
    if statement.stance is not None:
        target = _listing(about) or (f"draft v{statement.draft}" if statement.draft else "the text")
        subject = words.party(party) if party else "The speaker"
        text = _then(text, f"{subject} {verb(subject, _STANCE[statement.stance])} {target}")
        if about and statement.draft is not None:
            text += f" (draft v{statement.draft})"
    elif about:
        text = _then(text, f"About: {_listing(about)}")
    parties, names = words.names([party] if party else [])
    return Entry(
        EntryKind.STATEMENT,
        statement.date,
        statement.date.isoformat(),
        text,
        statement.id,
        parties,
        names,
        words.sources(statement.sources),
        order=order,
    )


def _trace_words(words: _Words, result: Mapping[str, Any]) -> tuple[str, str | None]:
    """A stored trace result in a few words, and the party whose copy it named (if any)."""
    named = result.get("named") or result.get("recipient")
    if not named:
        suspects = result.get("suspects") or ()
        return f"traced: no copy named ({len(suspects)} suspects)", None
    party = str(named).split("/", 1)[0]
    person = str(named).split("/", 1)[1] if "/" in str(named) else None
    whose = words.party(party) + (f" ({words.person(person)})" if person else "")
    confident = result.get("confident")
    sure = "" if confident is None else (" with confidence" if confident else ", not confidently")
    copy = f", copy {result['copy']}" if result.get("copy") is not None else ""
    return f"traced to the copy of {whose}{copy}{sure}", party


def _event(words: _Words, event: Event, order: int) -> Entry:
    kind = {
        EventKind.LEAK: "Leak",
        EventKind.ANNOUNCEMENT: "Announcement",
        EventKind.POSTPONEMENT: "Postponement",
        EventKind.OTHER: "Event",
    }[event.kind]
    text = f"{kind}: {event.summary}"
    if event.draft is not None:
        text = _clause(text, f"draft v{event.draft}")
    if event.paper is not None:
        text = _clause(text, f"paper {words.paper(event.paper)}")
    if event.surfaced:
        text = _clause(text, f"surfaced: {event.surfaced}")
    sides = []
    for trace in event.traces:
        said, party = _trace_words(words, trace.result)
        text = _clause(text, f"{said}")
        if party:
            sides.append(party)
    if event.note:
        text = _then(text, f"{event.note}")
    parties, names = words.names(sides)
    approximate = event.date_approx is not None
    if event.date is not None:
        when = event.date.isoformat() + (f" ({event.date_approx})" if event.date_approx else "")
    else:
        when = event.date_approx or "undated"
    return Entry(
        EntryKind.EVENT,
        event.date,
        when,
        text,
        event.id,
        parties,
        names,
        words.sources(event.sources),
        approximate=approximate,
        order=order,
    )


def _stances(
    words: _Words,
    negotiation: Negotiation,
    recorded: Mapping[tuple[int, str, str], dt.date],
    rank: Mapping[int, int],
) -> list[Entry]:
    """One entry per party, draft and day: what the party answered on each point, in point order.

    The day is when the party took the position ("as of"). A stance without one answered its draft,
    so it is placed on the draft's date, approximately ("on or after" it). On a draft without a date
    it has no day: the day it was recorded is said in words ("recorded …"), never used as its day
    (a record imported long after the talks would put every such answer on the import's day)."""
    drafted = {d.version: d.date for d in negotiation.drafts}
    groups: dict[tuple[str, int, dt.date | None, str], list[Stance]] = {}
    for stance in negotiation.stances:
        day: dt.date | None
        if stance.as_of is not None:
            day, when = stance.as_of, stance.as_of.isoformat()
        elif drafted.get(stance.draft) is not None:
            day = drafted[stance.draft]
            when = f"on or after {day}"
        else:
            on = recorded.get((stance.draft, stance.party, stance.point))
            day, when = None, (f"recorded {on}" if on is not None else "undated")
        groups.setdefault((stance.party, stance.draft, day, when), []).append(stance)
    numbers = {p.id: p.number for p in negotiation.points}
    statements = {s.id: s for s in negotiation.statements}
    found = []
    for (party, version, day, when), stances in groups.items():
        stances.sort(key=lambda s: numbers.get(s.point, 0))
        by_kind: dict[StanceKind, list[str]] = {}
        noted = len(stances) <= 3  # the notes of a few answers; a whole round's would drown them
        for s in stances:
            point = words.point(s.point) + (f" ({s.note})" if s.note and noted else "")
            by_kind.setdefault(s.stance, []).append(point)
        if len(stances) > ROUND:  # a whole round: how many of each, and the points rejected by name
            said = "; ".join(
                f"{_ROUND_STANCE[k]} {len(by_kind[k])}"
                + (f" ({_listing(by_kind[k])})" if k is StanceKind.REJECT else "")
                for k in _ROUND_STANCE
                if k in by_kind
            )
            text = f"{words.party(party)} answered draft v{version} on {len(stances)} points: {said}"
        else:
            name = words.party(party)
            said = "; ".join(f"{verb(name, _STANCE[k])} {_listing(v)}" for k, v in by_kind.items())
            text = f"{name} {said} (draft v{version})"
        evidence = [statements[s.evidence] for s in stances if s.evidence in statements]
        for statement in dict.fromkeys(evidence):
            text += f" (from {possessive(words.person(statement.person))} statement of {statement.date})"
        parties, names = words.names([party])
        found.append(
            Entry(
                EntryKind.STANCE,
                day,
                when,
                text,
                f"v{version}/{party}",
                parties,
                names,
                words.sources(k for s in stances for k in s.sources),
                # placed on its draft's date, or dated only by the words of its recording
                approximate=when != "undated" and (day is None or stances[0].as_of is None),
                order=rank.get(version, 0),
            )
        )
    return found


# -- filtering ------------------------------------------------------------------------------------


def kinds_named(names: Iterable[str], flag: str = "--kind") -> frozenset[EntryKind]:
    """The kinds by name; DomainError naming the option (``flag``) for one that is none."""
    found = set()
    for name in names:
        try:
            found.add(EntryKind(name.strip().lower()))
        except ValueError:
            allowed = ", ".join(k.value for k in EntryKind)
            raise DomainError(
                f"--kind: {name!r} is not a kind of entry; expected one of: {allowed}"
            ) from None
    return frozenset(found)


def party_named(negotiation: Negotiation, name: str, flag: str = "--party") -> str:
    """A party's id from its id or name (case aside); NotFoundError naming the option otherwise."""
    wanted = name.strip().casefold()
    for party in negotiation.parties:
        if wanted in (party.id.casefold(), party.name.casefold()):
            return party.id
    known = ", ".join(p.id for p in negotiation.parties)
    raise NotFoundError(f"{flag}: no party {name!r} in {negotiation.id!r} (parties: {known})")


def select(
    entries: Iterable[Entry],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    party: str | None = None,
    kinds: Iterable[EntryKind] = (),
) -> list[Entry]:
    """The entries from ``start`` to ``end`` (inclusive; an entry with no day is in no range, so a
    range leaves it out), involving ``party``, of ``kinds`` (none: every kind)."""
    wanted = frozenset(kinds)
    found = []
    for entry in entries:
        if (start is not None or end is not None) and entry.day is None:
            continue
        if start is not None and entry.day is not None and entry.day < start:
            continue
        if end is not None and entry.day is not None and entry.day > end:
            continue
        if party is not None and party not in entry.parties:
            continue
        if wanted and entry.kind not in wanted:
            continue
        found.append(entry)
    return found
