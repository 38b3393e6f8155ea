"""The checks of `accord ingest apply`: every accepted proposal against the record as stored, with
what the batch itself adds (the people and meetings proposed in it, the statements a stance rests
on). Every problem is collected, each naming its proposal and field (``proposals[3].participants``)
and the line of the proposals file, so a reviewer fixes them all at once; nothing is written here.
The use cases that write (accord.services.ingest_apply) check again, so nothing is missed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from accord.domain import EventKind, MeetingChannel, MeetingStatus, Person, Role, StanceKind
from accord.domain.amendments import find_point
from accord.domain.proposals import Proposal, ProposalKind, Proposals
from accord.domain.sources import url_problem
from accord.errors import DomainError, NotFoundError, Problem
from accord.scenario.yaml_source import read_file
from accord.services.text_limits import check_text
from accord.storage.repository import Stored


@dataclass
class Plan:
    """What the checks found: problems, and what the writes need (the draft a stance answers, the
    people proposed that are recorded already)."""

    file: str | None
    lines: Callable[[tuple[Any, ...]], int | None]
    index: dict[str, int] = field(default_factory=dict)  # proposal id -> its place in the file
    problems: list[Problem] = field(default_factory=list)
    drafts: dict[str, int] = field(default_factory=dict)  # stance proposal id -> draft version
    known_people: dict[str, str] = field(default_factory=dict)  # person proposal id -> stored key

    def problem(self, proposal: Proposal, name: str | None, message: str) -> None:
        at = self.index[proposal.id]
        path: tuple[Any, ...] = ("proposals", at) if name is None else ("proposals", at, name)
        rendered = f"proposals[{at}]" + (f".{name}" if name else "")
        self.problems.append(Problem(self.file or "<proposals>", rendered, message, self.lines(path)))


def lines_of(file: str | None) -> Callable[[tuple[Any, ...]], int | None]:
    if file is None:
        return lambda path: None
    source = read_file(file, "a proposals file")
    return source.line_of


def _text_problem(plan: Plan, proposal: Proposal, name: str, kind: str) -> None:
    value = proposal.get(name)
    if isinstance(value, str):
        try:
            check_text(name, value, kind)
        except DomainError as error:
            plan.problem(proposal, name, str(error))


class _Check:
    """The checks of one batch against the record as stored, with what the batch itself adds
    (people and meetings proposed in it, statements a stance rests on)."""

    def __init__(self, plan: Plan, stored: Stored, proposals: Proposals, today: dt.date) -> None:
        self.plan = plan
        self.stored = stored
        self.negotiation = stored.negotiation
        self.report = proposals.report
        self.today = today
        accepted = proposals.accepted()
        self.by_id = {p.id: p for p in proposals.proposals}
        self.accepted = {p.id for p in accepted}
        # the people of the record with those this batch proposes, to resolve a speaker or attendee
        # (a person proposed who is recorded already is skipped: the record's person answers)
        planned: list[Person] = []
        for p in accepted:
            name = p.get("name")
            if p.kind is not ProposalKind.PERSON or not isinstance(name, str) or not name.strip():
                continue
            try:
                self.negotiation.person(name)
            except NotFoundError:
                planned.append(
                    Person(id=f"proposal:{p.id}", name=name.strip(), aliases=tuple(p.get("aliases") or ()))
                )
        self.people = replace(self.negotiation, people=(*self.negotiation.people, *planned))

    def _party(self, proposal: Proposal, name: str, value: Any) -> str | None:
        try:
            return self.negotiation.party(str(value)).id
        except NotFoundError as error:
            self.plan.problem(proposal, name, str(error))
            return None

    def _person(self, proposal: Proposal, name: str, value: Any) -> None:
        try:
            self.people.person(str(value))
        except NotFoundError as error:
            self.plan.problem(
                proposal, name, f"{error}; nor does any person proposal of this file answer to it"
            )

    def _draft(self, proposal: Proposal) -> int | None:
        version = proposal.get("draft")
        if version is None:
            return None
        try:
            return self.negotiation.draft(int(version)).version
        except NotFoundError as error:
            self.plan.problem(proposal, "draft", str(error))
            return None

    def person(self, p: Proposal) -> None:
        name = p.get("name")
        if not isinstance(name, str) or not name.strip():
            self.plan.problem(p, "name", "missing; a person needs a name")
            return
        if p.get("party") is not None:
            self._party(p, "party", p.get("party"))
        for text, kind in (("name", "name"), ("role", "title")):
            _text_problem(self.plan, p, text, kind)
        try:
            found = self.negotiation.person(name)
        except NotFoundError:
            return
        self.plan.known_people[p.id] = found.id

    def meeting(self, p: Proposal) -> None:
        for party in p.get("participants") or ():
            self._party(p, "participants", party)
        for attendee in p.get("people") or ():
            self._person(p, "people", attendee.get("person"))
        status = MeetingStatus(p.get("status") or MeetingStatus.HELD.value)
        channel = MeetingChannel(p.fields["channel"]) if p.get("channel") else None
        date, start = p.get("date"), p.get("start")
        if isinstance(start, dt.datetime) and date is not None and start.date() != date:
            self.plan.problem(p, "start", f"{start:%Y-%m-%d %H:%M} is not on the meeting's date {date}")
        if isinstance(start, dt.time) and date is None:
            self.plan.problem(p, "start", "a time of day needs the meeting's date")
        if status in (MeetingStatus.POSTPONED, MeetingStatus.CANCELLED) and not p.get("reason"):
            self.plan.problem(p, "reason", f"missing; a {status.value} meeting needs its reason")
        if status is MeetingStatus.HELD:
            if date is None and start is None and not p.get("date_approx"):
                self.plan.problem(p, "date", "missing; a held meeting needs its date (or date_approx)")
            if channel in (None, MeetingChannel.IN_PERSON) and not p.get("place"):
                self.plan.problem(
                    p,
                    "place",
                    "missing; a meeting held in person needs its place (a call or video needs none)",
                )
        for text, kind in (("place", "title"), ("reason", "note"), ("date_approx", "title")):
            _text_problem(self.plan, p, text, kind)

    def paper(self, p: Proposal) -> None:
        for party in p.get("recipients") or ():
            self._party(p, "recipients", party)
        for person in p.get("recipient_people") or ():
            self._person(p, "recipient_people", person)
        meeting = p.get("meeting")
        if meeting is not None and meeting not in self.by_id:
            try:
                self.negotiation.meeting(meeting)
            except NotFoundError as error:
                self.plan.problem(
                    p, "meeting", f"{error}; nor is it the id of a meeting proposal of this file"
                )
        elif meeting is not None:
            other = self.by_id[meeting]
            if other.kind is not ProposalKind.MEETING:
                self.plan.problem(p, "meeting", f"{meeting} is a {other.kind.value} proposal, not a meeting")
            elif other.id not in self.accepted:
                self.plan.problem(
                    p, "meeting", f"meeting proposal {meeting} is dropped (accept: false): accept it too"
                )
        self._draft(p)
        _text_problem(self.plan, p, "title", "title")

    def statement(self, p: Proposal) -> None:
        speaker = p.get("speaker")
        if not speaker:
            self.plan.problem(p, "speaker", "missing; a statement needs who said it")
        else:
            self._person(p, "speaker", speaker)
        quote = p.get("quote")
        if not isinstance(quote, str) or not quote.strip():
            self.plan.problem(p, "quote", "missing; a statement needs the words said (or as reported)")
        if p.get("date") is None and self.report.date is None:
            self.plan.problem(
                p, "date", "missing, and the report has no date either; give the day it was said"
            )
        for point in p.get("points") or ():
            try:
                find_point(self.negotiation, str(point))
            except NotFoundError as error:
                self.plan.problem(p, "points", str(error))
        self._draft(p)
        _text_problem(self.plan, p, "quote", "outcome")

    def stance(self, p: Proposal) -> None:
        party_id = self._party(p, "party", p.get("party")) if p.get("party") else None
        if not p.get("party"):
            self.plan.problem(p, "party", "missing; a stance is a party's")
        point = p.get("point")
        point_id = None
        if not point:
            self.plan.problem(p, "point", "missing; a stance answers one point")
        else:
            try:
                point_id = find_point(self.negotiation, str(point)).id
            except NotFoundError as error:
                self.plan.problem(p, "point", str(error))
        if not p.get("stance"):
            self.plan.problem(
                p, "stance", f"missing; expected one of: {', '.join(k.value for k in StanceKind)}"
            )
        statement = p.get("statement")
        said_on: dt.date | None = None
        if statement is not None:
            other = self.by_id.get(statement)
            if other is None or other.kind is not ProposalKind.STATEMENT:
                self.plan.problem(
                    p, "statement", f"{statement!r} is not the id of a statement proposal of this file"
                )
            elif other.id not in self.accepted:
                self.plan.problem(
                    p,
                    "statement",
                    f"statement proposal {statement} is dropped (accept: false): accept it too",
                )
            else:
                said_on = other.get("date")
        if party_id is None:
            return
        party = self.negotiation.party(party_id)
        if party.role is not Role.PARTY:
            self.plan.problem(
                p, "party", f"{party.id!r} is the {party.role.value}; only parties answer a draft"
            )
            return
        as_of = p.get("date")
        if as_of is not None and as_of > self.today:
            self.plan.problem(
                p,
                "date",
                f"{as_of} is after today; a position is taken before it is recorded "
                "(delete `date:` to record the stance without the day it was taken)",
            )
        version = (
            self._draft(p) if p.get("draft") is not None else self._received(p, party_id, as_of or said_on)
        )
        if version is None:
            return
        draft = self.negotiation.draft(version)
        if party_id not in draft.circulated_to:
            self.plan.problem(
                p,
                "draft",
                f"draft v{version} was not circulated to {party_id}; "
                "a party answers only the drafts handed to it",
            )
        elif point_id is not None and point_id not in draft.choices:
            self.plan.problem(
                p, "point", f"draft v{version} has no point {point_id!r} (it was dropped or never in it)"
            )
        if as_of is not None and draft.date is not None and as_of < draft.date:
            self.plan.problem(
                p,
                "date",
                f"{as_of} is before draft v{version} ({draft.date}); a party answers a text once it has it",
            )
        self.plan.drafts[p.id] = version

    def _received(self, p: Proposal, party: str, by: dt.date | None) -> int | None:
        """The latest draft circulated to ``party`` by ``by`` (or the report's date): by the day of
        its circulation when recorded, else the draft's own date."""
        by = by or self.report.date
        handed: dict[int, dt.date | None] = {}
        for c in self.stored.circulations:
            if c.party == party:
                day = dt.date.fromisoformat(c.date) if c.date else None
                handed.setdefault(c.draft, day)  # its first circulation
        found = [
            d.version
            for d in self.negotiation.drafts
            if party in d.circulated_to
            and (by is None or (handed.get(d.version) or d.date or dt.date.min) <= by)
        ]
        if not found:
            when = f" by {by}" if by else ""
            self.plan.problem(
                p, "draft", f"no draft was circulated to {party}{when}, so it has none to answer; give draft:"
            )
            return None
        return max(found)

    def event(self, p: Proposal) -> None:
        if not p.get("event"):
            self.plan.problem(
                p, "event", f"missing; expected one of: {', '.join(k.value for k in EventKind)}"
            )
        summary = p.get("summary")
        if not isinstance(summary, str) or not summary.strip():
            self.plan.problem(p, "summary", "missing; an event needs a summary of what happened")
        if p.get("date") is None and not p.get("date_approx"):
            self.plan.problem(
                p, "date", "missing; an event needs its date (or date_approx: what is known of it)"
            )
        self._draft(p)
        for text, kind in (("summary", "note"), ("surfaced", "title"), ("date_approx", "name")):
            _text_problem(self.plan, p, text, kind)


def check_proposals(plan: Plan, stored: Stored, proposals: Proposals, today: dt.date) -> None:
    checks = _Check(plan, stored, proposals, today)
    run = {
        ProposalKind.PERSON: checks.person,
        ProposalKind.MEETING: checks.meeting,
        ProposalKind.PAPER: checks.paper,
        ProposalKind.STATEMENT: checks.statement,
        ProposalKind.STANCE: checks.stance,
        ProposalKind.EVENT: checks.event,
    }
    for proposal in proposals.accepted():
        run[proposal.kind](proposal)
    url = proposals.report.url
    if url is not None and url_problem(url):
        plan.problems.append(
            Problem(
                plan.file or "<proposals>", "report.url", str(url_problem(url)), plan.lines(("report", "url"))
            )
        )
