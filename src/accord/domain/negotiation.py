"""The negotiation: its parties, and the points of the framework with their options."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from accord.errors import NotFoundError

if TYPE_CHECKING:
    from accord.domain.drafts import Draft, Stance
    from accord.domain.people import Person
    from accord.domain.preferences import Preferences
    from accord.domain.record import Meeting, Paper
    from accord.domain.sources import Source
    from accord.domain.statements import Event, Statement


LISTED = 12
"""The most entries an error message lists of what the negotiation holds ("… and 30 more")."""


def listing(entries: Iterable[tuple[str, str | None]], none: str = "none recorded") -> str:
    """What the negotiation holds, for a message that names something it does not: each entry's words
    with the key to type ("Russian Federation (russia)"), a key alone where the words are the key or
    there are none; the first LISTED, then how many more."""
    shown = []
    for key, words in entries:
        words = " ".join((words or "").split())
        if len(words) > 40:
            words = words[:39].rstrip() + "…"
        shown.append(f"{words} ({key})" if words and words.casefold() != key.casefold() else key)
    if len(shown) > LISTED:
        shown = [*shown[:LISTED], f"and {len(shown) - LISTED} more"]
    return ", ".join(shown) or none


class Role(StrEnum):
    """What a party does at the table."""

    MEDIATOR = "mediator"
    PARTY = "party"
    OBSERVER = "observer"


@dataclass(frozen=True)
class Party:
    """A side in the negotiation (or its mediator, or an observer); its delegation is the people of
    the party (:meth:`Negotiation.people_of`)."""

    id: str
    name: str
    role: Role = Role.PARTY
    note: str | None = None
    metadata: Mapping[str, object] = field(default_factory=dict)
    # other names the press uses ("Moscow", "the Kremlin", "the Liberals"): read by accord's ingest
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    """One alternative formulation of a point.

    ``value`` is the option's number when it has one (an army cap of 600,000);
    ``source`` names the draft or proposal the formulation came from.
    """

    key: str
    text: str
    value: float | None = None
    source: str | None = None


@dataclass(frozen=True)
class Point:
    """A numbered question of the framework, with its alternative options.

    ``added_in`` is the draft version whose amendment added the point (None: the framework's own);
    such a point is the business of those who received a draft holding it (accord.security.policy).
    """

    id: str
    number: int
    title: str
    options: tuple[Option, ...]
    theme: str | None = None
    text: str | None = None
    added_in: int | None = None
    # other words for what the point is about ("the boundary line", "territorial questions"): read
    # by accord's ingest to link what a report says to the point
    aliases: tuple[str, ...] = ()

    def option(self, key: str) -> Option:
        for option in self.options:
            if option.key == key:
                return option
        raise NotFoundError(
            f"point {self.id!r} has no option {key!r} (options: {', '.join(self.option_keys)})"
        )

    def has_option(self, key: str) -> bool:
        return any(option.key == key for option in self.options)

    @property
    def option_keys(self) -> tuple[str, ...]:
        return tuple(option.key for option in self.options)


Package = Mapping[str, str]
"""One option per point: point id -> option key."""


@dataclass(frozen=True)
class Negotiation:
    """Everything known about one negotiation: the framework, the sides and the record.

    The record: drafts and stances; meetings and papers; the people (delegations and others), what
    they said (statements) and what happened (events); and the sources every entry may cite.
    """

    id: str
    title: str
    points: tuple[Point, ...]
    parties: tuple[Party, ...]
    preferences: Mapping[str, Preferences] = field(default_factory=dict)
    drafts: tuple[Draft, ...] = ()
    stances: tuple[Stance, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    papers: tuple[Paper, ...] = ()
    description: str | None = None
    metadata: Mapping[str, object] = field(default_factory=dict)
    # party id -> bargaining power for the asymmetric Nash solution (Kalai 1977); a party left out has 1
    bargaining_power: Mapping[str, float] = field(default_factory=dict)
    people: tuple[Person, ...] = ()
    sources: tuple[Source, ...] = ()
    statements: tuple[Statement, ...] = ()
    events: tuple[Event, ...] = ()

    def point(self, point_id: str) -> Point:
        for point in self.points:
            if point.id == point_id:
                return point
        raise NotFoundError(f"negotiation {self.id!r} has no point {point_id!r}")

    def party(self, party_id: str) -> Party:
        for party in self.parties:
            if party.id == party_id:
                return party
        known = self.known_parties
        raise NotFoundError(f"negotiation {self.id!r} has no party {party_id!r} (parties: {known})")

    def draft(self, version: int) -> Draft:
        for draft in self.drafts:
            if draft.version == version:
                return draft
        known = ", ".join(str(d.version) for d in self.drafts) or "none yet"
        raise NotFoundError(f"negotiation {self.id!r} has no draft version {version} (versions: {known})")

    def person(self, name: str) -> Person:
        """The person by key, name or alias (case and accents aside); NotFoundError otherwise, and
        when the name fits several people."""
        found = [p for p in self.people if p.id == name] or [p for p in self.people if p.answers_to(name)]
        if not found:  # a surname alone ("Witkoff"), when it names one person only
            found = [p for p in self.people if p.answers_to_surname(name)]
        if len(found) == 1:
            return found[0]
        if found:
            keys = listing((p.id, f"{p.name} of {self._party_name(p.party)}") for p in found)
            raise NotFoundError(f"{name!r} names several people ({keys}); give the person's key")
        known = listing(
            ((p.id, p.name) for p in self.people), none="none recorded: add one with `accord person add`"
        )
        raise NotFoundError(f"negotiation {self.id!r} has no person {name!r} (people: {known})")

    @property
    def known_parties(self) -> str:
        """Every party, for a message: "United States (united-states), Russian Federation (russia), …"."""
        return listing((p.id, p.name) for p in self.parties)

    def _party_name(self, party_id: str | None) -> str:
        return next((p.name for p in self.parties if p.id == party_id), party_id or "no party")

    def _speaker(self, person_id: str) -> str:
        return next((p.name for p in self.people if p.id == person_id), person_id)

    def people_of(self, party_id: str) -> tuple[Person, ...]:
        """The party's delegation: its people, its lead first."""
        return tuple(sorted((p for p in self.people if p.party == party_id), key=lambda p: not p.lead))

    def source(self, key: str) -> Source:
        for source in self.sources:
            if source.id == key:
                return source
        known = listing((s.id, s.title or s.outlet) for s in self.sources)
        raise NotFoundError(f"negotiation {self.id!r} has no source {key!r} (sources: {known})")

    def meeting(self, key: str) -> Meeting:
        for meeting in self.meetings:
            if meeting.id == key:
                return meeting
        known = listing((m.id, " ".join(filter(None, (m.when, m.place)))) for m in self.meetings)
        raise NotFoundError(f"negotiation {self.id!r} has no meeting {key!r} (meetings: {known})")

    def papers_at(self, meeting: str) -> tuple[Paper, ...]:
        """The papers handed over at a meeting: those it lists, then those recorded with it as their
        meeting (`accord paper add --meeting`), each once; only papers this negotiation holds (a seat's
        view holds only the papers it may see)."""
        by_id = {p.id: p for p in self.papers}
        listed = next((m.papers for m in self.meetings if m.id == meeting), ())
        keys = [*listed, *(p.id for p in self.papers if p.meeting == meeting)]
        return tuple(by_id[k] for k in dict.fromkeys(keys) if k in by_id)

    def paper(self, key: str) -> Paper:
        for paper in self.papers:
            if paper.id == key:
                return paper
        known = listing((p.id, p.label) for p in self.papers)
        raise NotFoundError(f"negotiation {self.id!r} has no paper {key!r} (papers: {known})")

    def statement(self, key: str) -> Statement:
        for statement in self.statements:
            if statement.id == key:
                return statement
        known = listing((s.id, f"{s.date.isoformat()} {self._speaker(s.person)}") for s in self.statements)
        raise NotFoundError(f"negotiation {self.id!r} has no statement {key!r} (statements: {known})")

    def event(self, key: str) -> Event:
        for event in self.events:
            if event.id == key:
                return event
        known = listing((e.id, e.summary) for e in self.events)
        raise NotFoundError(f"negotiation {self.id!r} has no event {key!r} (events: {known})")

    def stances_evidenced_by(self, statement: str) -> tuple[Stance, ...]:
        """The current stances adopted from a statement (the statement's "adopted as stance" link)."""
        return tuple(s for s in self.stances if s.evidence == statement)

    @property
    def negotiating_parties(self) -> tuple[Party, ...]:
        """The parties proper: neither the mediator nor observers."""
        return tuple(p for p in self.parties if p.role is Role.PARTY)

    def power_of(self, party_id: str) -> float:
        """The party's bargaining power: 1 unless the scenario gives another."""
        return float(self.bargaining_power.get(party_id, 1.0))

    @property
    def latest_draft(self) -> Draft | None:
        return max(self.drafts, key=lambda d: d.version, default=None)

    @property
    def latest_put_to_parties(self) -> Draft | None:
        """The newest draft the parties were asked to answer: circulated (or agreed, or withdrawn after
        it was out), or answered already; where none is, the newest draft of all. A text the mediator
        is still writing (a draft never circulated) is not what the parties' stances are about, so the
        stance views (the matrix, the state of play, the most contested points) open on this one."""
        from accord.domain.drafts import DraftStatus  # the drafts' module types this one's parts

        answered = {s.draft for s in self.stances}
        put = [
            d
            for d in self.drafts
            if d.status is not DraftStatus.DRAFT or d.circulated_to or d.version in answered
        ]
        return max(put, key=lambda d: d.version, default=None) or self.latest_draft

    def stances_on(self, version: int) -> tuple[Stance, ...]:
        return tuple(s for s in self.stances if s.draft == version)

    def outcome_count(self) -> int:
        """How many packages exist (one option per point): the size of the outcome space."""
        count = 1
        for point in self.points:
            count *= len(point.options)
        return count
