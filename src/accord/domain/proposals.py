"""Proposed record entries read from a report (a wire story, a read-out, a transcript): what accord's
ingest found, each with the sentence(s) it came from and a confidence, for a person to accept, edit
or drop before anything is written.

A proposal's ``fields`` are those of the chronology's commands, keyed as the proposals file writes
them (see docs/ingest.md):

- ``person``: name, party, role, aliases
- ``meeting``: date, date_approx, start, place, duration_minutes, participants (parties), people
  (``{person, note}``), status (held, planned, postponed, cancelled), reason, channel
- ``paper``: date, title, count (None: several), recipients (parties), recipient_people, meeting
  (a stored meeting's key or the id of a meeting proposal in the same file), draft
- ``statement``: date, speaker (a person's key, name or alias, or a person proposal's name), party,
  quote, channel, points, stance, draft, cue
- ``stance``: party, point, stance, draft, date (as of), cue, statement (the id of the statement
  proposal it rests on)
- ``event``: event (leak, announcement, postponement, other), date, date_approx, summary, draft,
  surfaced

Standard library only: the extraction (accord.ingest) builds these, the proposals file
(accord.scenario.proposals_file) reads and writes them, a service (accord.services.ingest) applies them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ProposalKind(StrEnum):
    PERSON = "person"
    MEETING = "meeting"
    PAPER = "paper"
    STATEMENT = "statement"
    STANCE = "stance"
    EVENT = "event"


# the order a batch is applied in: people before what they said, meetings before papers handed there,
# statements before the stances resting on them
APPLY_ORDER: tuple[ProposalKind, ...] = (
    ProposalKind.PERSON,
    ProposalKind.MEETING,
    ProposalKind.PAPER,
    ProposalKind.STATEMENT,
    ProposalKind.STANCE,
    ProposalKind.EVENT,
)

FIELDS: Mapping[ProposalKind, tuple[str, ...]] = {
    ProposalKind.PERSON: ("name", "party", "role", "aliases"),
    ProposalKind.MEETING: (
        "date",
        "date_approx",
        "start",
        "place",
        "duration_minutes",
        "participants",
        "people",
        "status",
        "reason",
        "channel",
    ),
    ProposalKind.PAPER: ("date", "title", "count", "recipients", "recipient_people", "meeting", "draft"),
    ProposalKind.STATEMENT: (
        "date",
        "speaker",
        "party",
        "quote",
        "channel",
        "points",
        "stance",
        "draft",
        "cue",
    ),
    ProposalKind.STANCE: ("party", "point", "stance", "draft", "date", "cue", "statement"),
    ProposalKind.EVENT: ("event", "date", "date_approx", "summary", "draft", "surfaced"),
}


@dataclass(frozen=True)
class Evidence:
    """A passage of the report a proposal rests on: its words and where they stand in the report's
    text (character offsets, ``text[start:end] == quote``)."""

    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Proposal:
    """One proposed entry. ``rule`` names what produced it (a rule of accord.ingest, so a reviewer can
    see why); ``notes`` say what a reviewer should check ("the year is the record's, not the report's",
    "the date is ambiguous"). ``accept`` is the reviewer's decision (False: dropped)."""

    id: str
    kind: ProposalKind
    confidence: float
    evidence: tuple[Evidence, ...]
    fields: Mapping[str, Any]
    rule: str = ""
    notes: tuple[str, ...] = ()
    accept: bool = True

    def get(self, name: str, default: Any = None) -> Any:
        return self.fields.get(name, default)


@dataclass(frozen=True)
class Report:
    """The report the proposals were read from: its file, the SHA-256 of its text (the key that makes
    applying twice detectable), its date (and how that date was found), where it was published."""

    sha256: str
    file: str | None = None
    date: dt.date | None = None
    date_rule: str | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    negotiation: str | None = None
    characters: int = 0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Proposals:
    """A report and what was proposed from it."""

    report: Report
    proposals: tuple[Proposal, ...] = field(default_factory=tuple)

    def accepted(self) -> tuple[Proposal, ...]:
        return tuple(p for p in self.proposals if p.accept)

    def of_kind(self, kind: ProposalKind) -> tuple[Proposal, ...]:
        return tuple(p for p in self.proposals if p.kind is kind)
