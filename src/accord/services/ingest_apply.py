"""Use case: write the proposals a person accepted from an ingested report into the record (`accord
ingest apply`): all or nothing, in one transaction.

Every accepted proposal is checked against the record first and every problem is reported at once,
each naming its proposal and field (``proposals[3].participants``, with the line of the proposals
file). Then the report becomes a source (its text's SHA-256 stored with it; a report stored already
is reused), and each proposal becomes its entry through the same use case the commands use (a
person, a meeting, a paper, a statement, a stance, an event: each checked, written and audited as
`accord person add`, `accord meeting add`... would), citing the report. One more audit entry,
``ingest.apply``, names the report, the source and the entry each proposal became; the applied
proposals are kept (applied_proposals) so the same proposals of the same report are never applied
twice. Anything wrong, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from accord.domain import (
    EventKind,
    MeetingChannel,
    MeetingStatus,
    Negotiation,
    StanceKind,
    StatementChannel,
)
from accord.domain.as_of import today_somewhere
from accord.domain.proposals import APPLY_ORDER, Proposal, ProposalKind, Proposals
from accord.domain.sources import Source
from accord.errors import AccordError, DomainError, ScenarioError
from accord.reports.stance_words import source_words
from accord.security.policy import Action, Viewer, command_line, require
from accord.services.events import add_event_in
from accord.services.ingest_checks import Plan, check_proposals, lines_of
from accord.services.meetings import Attending, add_meeting_in
from accord.services.papers import Handed, add_paper_in
from accord.services.people import add_person_in
from accord.services.sources import Citation, add_source_in
from accord.services.stances import set_stance_in
from accord.services.statements import add_statement_in
from accord.storage.database import Database
from accord.storage.repository import AppliedProposal
from accord.storage.unit_of_work import Writing, writing
from accord.wording import counted


@dataclass(frozen=True)
class Written:
    """What one proposal became (or, on a dry run, would become): the entry's kind and key (a
    stance's: ``party/point/vN``) and the entry in one line of plain words."""

    proposal: str
    kind: ProposalKind
    key: str
    line: str


@dataclass(frozen=True)
class Applied:
    """What applying a proposals file wrote (``dry_run``: would write): the report's source (created
    or reused), each accepted proposal's entry in the order written, the proposals dropped by the
    reviewer (``accept: false``) and those skipped with the reason (a person recorded already)."""

    negotiation: str
    report_sha256: str
    source: str
    source_created: bool
    written: tuple[Written, ...]
    dropped: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    dry_run: bool = False
    revision: int | None = None
    source_words: str = ""  # the source as a reader names it (outlet, title, date: stance_words)


class _DryRun(Exception):
    """Raised inside the unit of work to roll a dry run back, carrying what it would have written."""

    def __init__(self, applied: Applied) -> None:
        super().__init__("dry run")
        self.applied = applied


def apply_proposals(
    database: Database,
    slug: str | None,
    proposals: Proposals,
    *,
    actor: str,
    viewer: Viewer | None = None,
    file: str | None = None,
    dry_run: bool = False,
    expected_revision: int | None = None,
) -> Applied:
    """Write the accepted proposals (in accord.domain.proposals.APPLY_ORDER), each citing the report,
    in one audited transaction; ScenarioError naming every proposal that does not fit the record
    (``file``: the proposals file, for the lines), DomainError when some were applied already.
    ``dry_run``: every check, nothing written; the same answer. ``viewer`` None: the command line's
    local operator. The proposals go into the negotiation they were read against (``report.negotiation``,
    when the proposals say): ``slug`` naming another is refused, since they name that one's parties,
    points and drafts."""
    read_against = proposals.report.negotiation
    if slug is not None and read_against is not None and slug != read_against:
        raise DomainError(
            f"these proposals were read against {read_against!r}, not {slug!r}: they name its parties, "
            f"points and drafts (read the report again against {slug!r})"
        )
    try:
        with writing(database, actor) as uow:
            name = slug or read_against or uow.repository.default_slug()
            require(viewer or command_line(actor, name), Action.INGEST, name)
            applied = _apply(uow, name, proposals, file, expected_revision)
            if dry_run:
                raise _DryRun(replace(applied, dry_run=True, revision=None))
    except _DryRun as rolled_back:
        return rolled_back.applied
    return applied


# -- writing ----------------------------------------------------------------------------------------


def _apply(
    uow: Writing, name: str, proposals: Proposals, file: str | None, expected_revision: int | None
) -> Applied:
    report = proposals.report
    stored = uow.repository.load(name, stances=False)
    plan = Plan(file, lines_of(file), {p.id: i for i, p in enumerate(proposals.proposals)})
    accepted = proposals.accepted()
    done = {a.proposal: a for a in uow.repository.applied_proposals(name, report.sha256)}
    again = [p.id for p in accepted if p.id in done]
    if again:
        times: dict[tuple[str, str], list[str]] = {}
        for i in again:
            times.setdefault((done[i].applied_at, done[i].applied_by), []).append(
                f"{i} ({done[i].kind} {done[i].entry})"
            )
        # what and why on the first line, when and by whom on the next ones
        listing = "".join(
            f"\n  {', '.join(found)}: applied {at[:10]} {at[11:16]} UTC by {by}"
            for (at, by), found in times.items()
        )
        raise DomainError(
            f"{len(again)} of these proposals of report {report.sha256[:12]}… were applied already; nothing "
            f"was written (set accept: false on those to apply the others){listing}"
        )
    check_proposals(plan, stored, proposals, today_somewhere(uow.now))
    if plan.problems:
        raise ScenarioError(plan.problems)

    expected = [expected_revision]

    def revision() -> int | None:
        """The revision the caller read, for the first write only (the others follow it)."""
        first, expected[0] = expected[0], None
        return first

    source, created = _report_source(uow, name, stored.negotiation, proposals, revision)
    cites = Citation(keys=(source.id,))
    written: list[Written] = []
    skipped: list[tuple[str, str]] = []
    entries: dict[str, str] = {}  # proposal id -> the key of the entry it became
    for kind in APPLY_ORDER:
        for proposal in (p for p in accepted if p.kind is kind):
            if proposal.id in plan.known_people:
                key = plan.known_people[proposal.id]
                entries[proposal.id] = key
                skipped.append((proposal.id, f"{proposal.get('name')} is recorded already, as {key}"))
                continue
            with _naming(plan, proposal):
                entry = _write(uow, name, proposal, cites, plan, entries, revision(), report.date)
            entries[proposal.id] = entry.key
            written.append(entry)
    before = uow.repository.state_digest(name)
    uow.repository.claim(name, revision())
    uow.repository.add_applied_proposals(
        name,
        [
            AppliedProposal(report.sha256, w.proposal, w.kind.value, w.key, uow.now, uow.actor)
            for w in written
        ],
    )
    uow.record(
        "ingest.apply",
        name,
        f"report {report.file or report.sha256[:12]} ({source.id}): "
        f"{counted(len(written), 'entry', 'entries')} applied",
        before,
        {
            "report": report.sha256,
            "source": source.id,
            "file": report.file,
            "entries": {w.proposal: {"kind": w.kind.value, "key": w.key} for w in written},
            "skipped": dict(skipped),
            "dropped": [p.id for p in proposals.proposals if not p.accept],
        },
    )
    return Applied(
        negotiation=name,
        report_sha256=report.sha256,
        source=source.id,
        source_created=created,
        source_words=source_words(source),
        written=tuple(written),
        dropped=tuple(p.id for p in proposals.proposals if not p.accept),
        skipped=tuple(skipped),
        revision=uow.repository.load(name, stances=False).revision,
    )


@contextmanager
def _naming(plan: Plan, proposal: Proposal) -> Iterator[None]:
    """A refusal of the use case writing a proposal names the proposal (the checks above should have
    caught it; this keeps the message tied to the file all the same)."""
    try:
        yield
    except ScenarioError:
        raise
    except AccordError as error:
        plan.problem(proposal, None, str(error))
        raise ScenarioError(plan.problems) from None


def _report_source(
    uow: Writing,
    name: str,
    negotiation: Negotiation,
    proposals: Proposals,
    revision: Callable[[], int | None],
) -> tuple[Source, bool]:
    """The report as a source: the one stored with this SHA-256 already, else a new one."""
    report = proposals.report
    for source in negotiation.sources:
        if source.sha256 == report.sha256:
            return source, False
    file = Path(report.file).name if report.file and report.file != "-" else None
    citation = Citation(
        outlet=report.outlet,
        title=report.title or file,
        url=report.url,
        date=report.date,
        note=f"ingested report {file or '(from the standard input)'}",
        prefix="report.",
    )
    if not citation.describes_new:
        citation = replace(citation, title=f"report {report.sha256[:12]}")
    return add_source_in(uow, name, citation, sha256=report.sha256, expected_revision=revision()), True


def _write(
    uow: Writing,
    name: str,
    p: Proposal,
    cites: Citation,
    plan: Plan,
    entries: dict[str, str],
    expected_revision: int | None,
    report_date: dt.date | None,
) -> Written:
    """Write one proposal through the use case of its kind."""
    if p.kind is ProposalKind.PERSON:
        person = add_person_in(
            uow,
            name,
            name=p.fields["name"],
            party=p.get("party"),
            role=p.get("role"),
            aliases=p.get("aliases") or (),
            sources=cites.keys,
            expected_revision=expected_revision,
        )
        seen = _record(uow, name)
        of = f" of {_party(seen, person.party)}" if person.party else " (of no party)"
        return Written(
            p.id, p.kind, person.id, f"{person.name}{of}" + (f", {person.role}" if person.role else "")
        )
    if p.kind is ProposalKind.MEETING:
        date, start = p.get("date"), p.get("start")
        if isinstance(start, dt.time):
            start = dt.datetime.combine(date, start) if date is not None else None
        people = [a["person"] for a in p.get("people") or ()]
        minutes = p.get("duration_minutes")
        meeting = add_meeting_in(
            uow,
            name,
            date=date,
            place=p.get("place"),
            participants=p.get("participants") or (),
            status=MeetingStatus(p.get("status") or MeetingStatus.HELD.value),
            reason=p.get("reason"),
            expected_revision=expected_revision,
            start=start,
            duration=dt.timedelta(minutes=minutes) if minutes else None,
            channel=MeetingChannel(p.fields["channel"]) if p.get("channel") else None,
            date_approx=p.get("date_approx"),
            attending=Attending(
                people=people, notes={a["person"]: a["note"] for a in p.get("people") or () if a.get("note")}
            ),
            citation=cites,
        )
        where = f" at {meeting.place}" if meeting.place else ""
        seen = _record(uow, name)
        parties = ", ".join(_party(seen, k) for k in meeting.participants)
        return Written(
            p.id,
            p.kind,
            meeting.id,
            f"{meeting.status.value} meeting on {meeting.when}{where} ({parties or 'no party named'})",
        )
    if p.kind is ProposalKind.PAPER:
        meeting = p.get("meeting")
        paper = add_paper_in(
            uow,
            name,
            title=p.get("title"),
            count=p.fields.get("count", 1),  # None: several, how many not known
            handed=Handed(
                parties=p.get("recipients") or (),
                people=p.get("recipient_people") or (),
                meeting=entries.get(meeting, meeting) if meeting is not None else None,
                draft=p.get("draft"),
            ),
            date=p.get("date"),
            citation=cites,
            expected_revision=expected_revision,
        )
        seen = _record(uow, name)
        to = f" to {', '.join(_party(seen, k) for k in paper.recipients)}" if paper.recipients else ""
        return Written(p.id, p.kind, paper.id, f"{paper.label}{to}")
    if p.kind is ProposalKind.STATEMENT:
        date = p.get("date") or report_date
        assert date is not None  # checked: a statement without a date needs the report's
        statement = add_statement_in(
            uow,
            name,
            by=p.fields["speaker"],
            date=date,
            quote=p.fields["quote"],
            channel=StatementChannel(p.fields["channel"]) if p.get("channel") else StatementChannel.PRESS,
            points=p.get("points") or (),
            stance=StanceKind(p.fields["stance"]) if p.get("stance") else None,
            draft=p.get("draft"),
            citation=cites,
            expected_revision=expected_revision,
        )
        dated = "" if p.get("date") else " (dated as the report)"
        seen = _record(uow, name)
        about = f" on {', '.join(_point(seen, k) for k in statement.points)}" if statement.points else ""
        return Written(
            p.id,
            p.kind,
            statement.id,
            f"{_person(seen, statement.person)} on {statement.date}{dated}{about}"
            + (f": {statement.stance.value}" if statement.stance else ""),
        )
    if p.kind is ProposalKind.STANCE:
        evidence = entries.get(p.fields["statement"]) if p.get("statement") else None
        stance = set_stance_in(
            uow,
            name,
            party=p.fields["party"],
            point=str(p.fields["point"]),
            stance=StanceKind(p.fields["stance"]),
            version=plan.drafts[p.id],
            note=p.get("cue"),
            as_of=p.get("date"),
            citation=cites,
            evidence=evidence,
            expected_revision=expected_revision,
        )
        rests = f" (from statement {evidence})" if evidence else ""
        seen = _record(uow, name)
        return Written(
            p.id,
            p.kind,
            f"{stance.party}/{stance.point}/v{stance.draft}",
            f"{_party(seen, stance.party)} on {_point(seen, stance.point)} of draft v{stance.draft}: "
            f"{stance.stance.value}{rests}",
        )
    event = add_event_in(
        uow,
        name,
        kind=EventKind(p.fields["event"]),
        summary=p.fields["summary"],
        date=p.get("date"),
        date_approx=p.get("date_approx"),
        draft=p.get("draft"),
        surfaced=p.get("surfaced"),
        citation=cites,
        expected_revision=expected_revision,
    )
    when = event.date.isoformat() if event.date else event.date_approx
    return Written(p.id, p.kind, event.id, f"{event.kind.value} on {when}: {event.summary}")


# -- the entries in words: names, not keys ------------------------------------------------------------


def _record(uow: Writing, name: str) -> Negotiation:
    """The negotiation as written so far (a person this apply added is named too)."""
    return uow.repository.load(name, stances=False).negotiation


def _party(negotiation: Negotiation, key: str) -> str:
    return next((p.name for p in negotiation.parties if p.id == key), key)


def _person(negotiation: Negotiation, key: str) -> str:
    return next((p.name for p in negotiation.people if p.id == key), key)


def _point(negotiation: Negotiation, key: str) -> str:
    found = next((p for p in negotiation.points if p.id == key), None)
    return f"point {found.number} ({found.title})" if found else f"point {key}"
