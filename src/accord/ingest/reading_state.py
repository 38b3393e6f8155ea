"""The state of one reading of a report, shared by the rules that read it (accord.ingest.statements,
.meetings, .papers), and the proposal each rule builds (:class:`Draft`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from accord.domain import Negotiation
from accord.domain.negotiation import Role
from accord.domain.proposals import ProposalKind
from accord.ingest.dates import FoundDate, dates_in
from accord.ingest.names import Mention, Names
from accord.ingest.points import PointFinder
from accord.ingest.sentences import Sentence
from accord.ingest.wording import COLLECTIVE, NUMBER_WORDS


@dataclass
class Draft:
    """A proposal being built."""

    kind: ProposalKind
    rule: str
    confidence: float
    evidence: list[Sentence]
    fields: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    accept: bool = True  # proposed as accepted; False: shown, but left out unless the reviewer says so


class ReaderState:
    """What a reading of a report knows as it goes: the record's names, the proposals so far, who spoke
    and which meeting was reported last."""

    def __init__(self, text: str, negotiation: Negotiation, date: dt.date | None) -> None:
        self.text = text
        self.negotiation = negotiation
        self.date = date
        self.names = Names.of(negotiation)
        self.points = PointFinder(negotiation)
        self.drafts: list[Draft] = []
        self.names_found = False
        self.new_people: dict[str, Draft] = {}
        self.last_speaker: Mention | None = None
        self.last_meeting: Draft | None = None
        self.turn_speaker: Mention | None = None
        self.mediators = set(self.names.mediators())
        self.dateline: tuple[int, int] | None = None
        self.first_speaker: Mention | None = None  # who a transcript's "A:" is, before anyone spoke
        self.leak: Draft | None = None
        self.last_party: str | None = None
        self.last_person: Mention | None = None  # the person named last (whom "he said" means)
        self.question_points: list[str] = []  # what the last question of a transcript was about
        self.titled: list[tuple[str, Mention]] = []  # (title words, person) as the report introduced them

    # -- helpers ------------------------------------------------------------------------------------

    def _dates(self, sentence: Sentence) -> list[FoundDate]:
        found = dates_in(sentence.text, self.date)
        if self.dateline is None:
            return found
        start, end = self.dateline
        # the dateline's day is the report's, not an event's
        return [f for f in found if not (sentence.start + f.start < end and sentence.start + f.end > start)]

    def _day(self, sentence: Sentence, d: Draft, *, default_report: bool = True) -> None:
        """Put the sentence's date on a proposal: a day, or words for a period, or the report's day."""
        for found in self._dates(sentence):
            if found.date is not None:
                d.fields["date"] = found.date
                if found.note:
                    d.notes.append(f"{found.words!r}: {found.note}")
                return
            if found.approx is not None:
                if d.kind in (ProposalKind.PAPER, ProposalKind.STATEMENT):  # a day or nothing
                    d.notes.append(f"{found.words!r} names no single day: set the date")
                    d.confidence -= 0.1
                    return
                d.fields.setdefault("date_approx", found.approx)
                if found.note:
                    d.notes.append(f"{found.words!r}: {found.note}")
                    d.confidence -= 0.1
                return
        if default_report and self.date is not None:
            d.fields["date"] = self.date
            d.notes.append("no date in the sentence: the report's date")
        elif default_report:
            d.notes.append("no date found: set one")
            d.confidence -= 0.2

    def _people(self, sentence: Sentence) -> list[Mention]:
        known = self.names.people_in(sentence.text)
        new = self.names.new_people_in(sentence.text, known)
        mentions = sorted([*known, *new], key=lambda m: m.start)
        if any(m.kind != "new-person" for m in mentions):
            self.names_found = True
        return mentions

    def _parties(self, sentence: Sentence) -> list[Mention]:
        found = self.names.parties_in(sentence.text)
        if found:
            self.names_found = True
        return found

    def _party_of(self, mention: Mention) -> str | None:
        if mention.kind == "new-person":
            return mention.party
        if mention.kind in ("person", "group"):
            return self.negotiation.person(mention.key).party
        return None

    def _speaker_name(self, mention: Mention) -> str:
        if mention.kind == "new-person":
            return mention.key
        return self.negotiation.person(mention.key).name

    # -- the reading --------------------------------------------------------------------------------

    def _participants(self, people: list[Mention], parties: list[Mention], text: str = "") -> list[str]:
        """The parties at a meeting: those named (or whose people are), and all of them for "the
        parties", "the four delegations", "the plenary" when the count fits the negotiation."""
        found = [m.key for m in parties]
        collective = COLLECTIVE.search(text)
        if collective is not None:
            negotiating = [p.id for p in self.negotiation.parties if p.role is Role.PARTY]
            count = NUMBER_WORDS.get((collective["n"] or "").casefold())
            if count is None or int(count) == len(negotiating):
                mediators = [p.id for p in self.negotiation.parties if p.role is Role.MEDIATOR]
                found = [*mediators, *negotiating, *found]
        for m in people:
            party = self._party_of(m)
            if party is not None:
                found.append(party)
        return list(dict.fromkeys(found))
