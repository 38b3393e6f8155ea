"""Use cases on statements: what a person said, in public or in private; and, on the mediator's
confirmation, a statement adopted as the speaker's party's stance (the statement its evidence).

Reads go through the policy (accord.security.policy.visible): public statements are every seat's,
private ones the mediator's and the speaker's party's. The command line reads as the local operator
(policy.command_line), the workbench as its viewer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from accord.domain import Negotiation, Role, Stance, StanceKind
from accord.domain.amendments import find_point
from accord.domain.statements import Statement, StatementChannel
from accord.errors import DomainError, NotFoundError
from accord.scenario.yaml_format import statement_document
from accord.security.policy import Action, Viewer, command_line, require, require_circulated, visible
from accord.services.record_keys import checked_key, new_key
from accord.services.sources import NO_CITATION, Citation, check_citation, cite
from accord.services.text_limits import check_texts
from accord.storage.database import Database
from accord.storage.unit_of_work import Writing, reading, writing


def _found(option: str, error: NotFoundError) -> NotFoundError:
    return NotFoundError(f"{option}: {error}")


def add_statement(
    database: Database,
    slug: str | None,
    *,
    actor: str,
    by: str,
    date: dt.date,
    quote: str,
    summary: str | None = None,
    channel: StatementChannel = StatementChannel.PRESS,
    points: Sequence[str] = (),
    stance: StanceKind | None = None,
    draft: int | None = None,
    note: str | None = None,
    citation: Citation = NO_CITATION,
    key: str | None = None,
    expected_revision: int | None = None,
) -> Statement:
    """Record what a person said (the person by key, name, alias or a unique surname), the points it
    is about, the stance it expresses, the draft it answers; with its sources, in one audited write."""
    with writing(database, actor) as uow:
        return add_statement_in(
            uow,
            slug or uow.repository.default_slug(),  # a database that is none: said first
            by=by,
            date=date,
            quote=quote,
            summary=summary,
            channel=channel,
            points=points,
            stance=stance,
            draft=draft,
            note=note,
            citation=citation,
            key=key,
            expected_revision=expected_revision,
        )


def add_statement_in(
    uow: Writing,
    name: str,
    *,
    by: str,
    date: dt.date,
    quote: str,
    summary: str | None = None,
    channel: StatementChannel = StatementChannel.PRESS,
    points: Sequence[str] = (),
    stance: StanceKind | None = None,
    draft: int | None = None,
    note: str | None = None,
    citation: Citation = NO_CITATION,
    key: str | None = None,
    expected_revision: int | None = None,
) -> Statement:
    """:func:`add_statement` inside an open unit of work (a batch of writes in one transaction, such
    as `accord ingest apply`): checked, written and audited the same way."""
    if not quote.strip():
        raise DomainError("--quote: a statement needs the words said (or as reported)")
    negotiation = uow.repository.load(name, stances=False).negotiation
    try:
        person = negotiation.person(by)
    except NotFoundError as error:
        raise _found("--by", error) from None
    about: list[str] = []
    for ref in points:
        try:
            about.append(find_point(negotiation, ref).id)
        except NotFoundError as error:
            raise _found("--about-point", error) from None
    if draft is not None:
        try:
            negotiation.draft(draft)
        except NotFoundError as error:
            raise _found("--about-draft", error) from None
    check_citation(negotiation, citation)
    taken = {s.id for s in negotiation.statements}
    if key is not None:
        checked_key(key, "statement", taken)
    before = uow.repository.state_digest(name)
    uow.repository.claim(name, expected_revision)
    statement = Statement(
        id=key or new_key("statement", taken, person.id, date=date),
        person=person.id,
        date=date,
        quote=quote.strip(),
        summary=summary.strip() or None if summary else None,
        channel=channel,
        points=tuple(dict.fromkeys(about)),
        stance=stance,
        draft=draft,
        note=note.strip() or None if note else None,
        sources=cite(uow, name, negotiation, citation),
    )
    uow.repository.add_statement(name, statement)
    # the words themselves stay out of the log's summary: a private statement is not every reader's
    uow.record(
        "statement.add",
        name,
        f"statement {statement.id} by {person.id} on {date.isoformat()} ({channel.value})",
        before,
        {
            "statement": statement.id,
            "person": person.id,
            "channel": channel.value,
            "points": list(statement.points),
            "stance": stance.value if stance else None,
            "draft": draft,
            "sources": list(statement.sources),
        },
    )
    return statement


Reader = Viewer | str
"""Who reads: the workbench's viewer, or the user running the command line (the local operator)."""


def _seen(database: Database, slug: str | None, reader: Reader) -> tuple[str, Negotiation]:
    with reading(database) as uow:
        name = slug or uow.repository.default_slug()
        viewer = command_line(reader, name) if isinstance(reader, str) else reader
        require(viewer, Action.SEE_NEGOTIATION, name)  # before reading: a stranger learns nothing
        negotiation = uow.repository.load(name).negotiation
    return name, visible(viewer, name, negotiation)


def list_statements(
    database: Database, slug: str | None, reader: Reader, *, party: str | None = None
) -> tuple[tuple[Statement, ...], Negotiation]:
    """The statements the reader may see, by date (``party``: its people's only), with the
    negotiation as the reader sees it (for names, sources and adopted stances)."""
    _name, seen = _seen(database, slug, reader)
    found = seen.statements
    if party is not None:
        try:
            wanted = seen.party(party).id
        except NotFoundError as error:
            raise _found("--party", error) from None
        speakers = {p.id: p.party for p in seen.people}
        found = tuple(s for s in found if speakers.get(s.person) == wanted)
    return tuple(sorted(found, key=lambda s: (s.date, s.id))), seen


def get_statement(
    database: Database, slug: str | None, reader: Reader, key: str
) -> tuple[Statement, Negotiation]:
    """One statement the reader may see (one it may not see answers like one that does not exist)."""
    _name, seen = _seen(database, slug, reader)
    try:
        return seen.statement(key), seen
    except NotFoundError as error:
        raise _found("statement", error) from None


def describe(s: Statement, negotiation: Negotiation) -> dict[str, Any]:
    """A statement as JSON: as the scenario file writes it, with the speaker's name and party, whether
    it is public, and the stances adopted from it."""
    people = {p.id: p for p in negotiation.people}
    speaker = people.get(s.person)
    return {
        **statement_document(s),
        "name": speaker.name if speaker else s.person,
        "party": speaker.party if speaker else None,
        "public": s.public,
        "adopted": [
            {"draft": a.draft, "party": a.party, "point": a.point, "stance": a.stance.value}
            for a in negotiation.stances_evidenced_by(s.id)
        ],
    }


@dataclass(frozen=True)
class Adoption:
    """The stances a statement becomes: its speaker's party's, on each point it names, on one draft."""

    statement: Statement
    party: str
    draft: int
    stances: tuple[Stance, ...]


def adoption(negotiation: Negotiation, key: str) -> Adoption:
    """What adopting statement ``key`` records, or a one-line DomainError saying why it cannot be."""
    try:
        said = negotiation.statement(key)
    except NotFoundError as error:
        raise _found("statement", error) from None
    if not said.points:
        raise DomainError(f"statement {key} names no point (--about-point), so it answers none")
    if said.stance is None:
        raise DomainError(f"statement {key} expresses no stance (--stance), so there is none to record")
    speaker = negotiation.person(said.person)
    if speaker.party is None:
        raise DomainError(f"statement {key}: {speaker.name} belongs to no party, so speaks for none")
    party = negotiation.party(speaker.party)
    if party.role is not Role.PARTY:
        raise DomainError(
            f"statement {key}: {speaker.name} speaks for the {party.role.value} ({party.id}); "
            "only parties answer a draft point by point"
        )
    if said.draft is not None:
        draft = negotiation.draft(said.draft)
    else:
        received = [d for d in negotiation.drafts if party.id in d.circulated_to]
        if not received:
            raise DomainError(
                f"statement {key}: no draft was circulated to {party.name}, so it has none to answer "
                "(name one with --about-draft, circulated to it first)"
            )
        draft = max(received, key=lambda d: d.version)
    require_circulated(party.id, draft, party.name)  # the same rule as every other stance's writer
    for point in said.points:
        if point not in draft.choices:
            raise DomainError(
                f"draft v{draft.version} has no point {point!r} (it was dropped or never in it)"
            )
    done = negotiation.stances_evidenced_by(key)
    if done:
        raise DomainError(
            f"statement {key} was adopted already (as {party.id}'s stance on "
            f"{', '.join(s.point for s in done)} of v{done[0].draft})"
        )
    return Adoption(
        said,
        party.id,
        draft.version,
        tuple(
            Stance(
                draft.version,
                party.id,
                point,
                said.stance,
                said.summary,
                as_of=said.date,
                evidence=said.id,
                sources=said.sources,
            )
            for point in said.points
        ),
    )


def plan_adoption(database: Database, slug: str | None, key: str) -> Adoption:
    """What `adopt` would record (to show before the mediator confirms); nothing is written."""
    with reading(database) as uow:
        negotiation = uow.repository.load(slug or uow.repository.default_slug()).negotiation
    return adoption(negotiation, key)


def adopt_statement(
    database: Database,
    slug: str | None,
    key: str,
    *,
    actor: str,
    expected_revision: int | None = None,
) -> Adoption:
    """Record the statement as its speaker's party's stance on each point it names (the mediator's
    confirmation): one audited write, each stance naming the statement as its evidence."""
    with writing(database, actor) as uow:
        name = slug or uow.repository.default_slug()
        negotiation = uow.repository.load(name).negotiation
        adopted = adoption(negotiation, key)
        before = uow.repository.state_digest(name)
        uow.repository.claim(name, expected_revision)
        uow.repository.add_stances(name, adopted.stances, now=uow.now, actor=actor)
        points = [s.point for s in adopted.stances]
        kind = adopted.stances[0].stance.value
        uow.record(
            "statement.adopt",
            name,
            f"{adopted.party} on {', '.join(points)} of v{adopted.draft}: {kind} (from statement {key})",
            before,
            {
                "statement": key,
                "party": adopted.party,
                "draft": adopted.draft,
                "points": points,
                "stance": kind,
            },
        )
    return adopted


# -- for a seat of the workbench: the policy asked first --------------------------------------------


def record_statement(
    database: Database,
    viewer: Viewer,
    slug: str,
    *,
    by: str,
    date: dt.date,
    quote: str,
    summary: str | None = None,
    channel: StatementChannel = StatementChannel.PRESS,
    points: Sequence[str] = (),
    stance: StanceKind | None = None,
    draft: int | None = None,
    note: str | None = None,
    citation: Citation = NO_CITATION,
) -> Statement:
    """:func:`add_statement` for the mediator's seat (no other seat records statements)."""
    require(viewer, Action.RECORD_STATEMENT, slug)
    check_texts(
        [
            ("by", by, "name"),
            ("quote", quote, "outcome"),
            ("summary", summary, "outcome"),
            ("note", note, "note"),
        ]
        + [(f"points[{i}]", p, "name") for i, p in enumerate(points)]
        + [("source outlet", citation.outlet, "name"), ("source title", citation.title, "title")]
        + [("source url", citation.url, "title"), ("source quote", citation.quote, "note")]
    )
    assert viewer.username is not None  # require() lets nobody anonymous through
    return add_statement(
        database,
        slug,
        actor=viewer.username,
        by=by,
        date=date,
        quote=quote,
        summary=summary,
        channel=channel,
        points=points,
        stance=stance,
        draft=draft,
        note=note,
        citation=citation,
    )


def adopt_as(database: Database, viewer: Viewer, slug: str, key: str) -> Adoption:
    """:func:`adopt_statement` on the mediator's confirmation in the workbench."""
    require(viewer, Action.ADOPT_STATEMENT, slug)
    assert viewer.username is not None
    return adopt_statement(database, slug, key, actor=viewer.username)
