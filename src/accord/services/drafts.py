"""Use cases on the single negotiating text: list, show, amend into a new version, record a text
received from a party, diff, circulate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from accord.domain import Choice, Draft, DraftStatus, Negotiation, Role
from accord.domain.amendments import Amendment, amend
from accord.domain.as_of import dated_after
from accord.domain.diff import PointDiff, diff_drafts
from accord.domain.received import received_draft
from accord.errors import DomainError
from accord.faults import pause_point
from accord.services.sources import NO_CITATION, Citation, check_citation, cite
from accord.storage.database import Database
from accord.storage.repository import Circulation, Stored
from accord.storage.unit_of_work import reading, writing
from accord.wording import counted

# which statuses may follow which: a withdrawn or agreed text is final
NEXT_STATUS = {
    DraftStatus.DRAFT: {DraftStatus.CIRCULATED, DraftStatus.WITHDRAWN, DraftStatus.AGREED},
    DraftStatus.CIRCULATED: {DraftStatus.WITHDRAWN, DraftStatus.AGREED},
    DraftStatus.WITHDRAWN: set(),
    DraftStatus.AGREED: set(),
}


def load(database: Database, slug: str | None, *, stances: bool = True) -> Stored:
    with reading(database) as uow:
        return uow.repository.load(slug or uow.repository.default_slug(), stances=stances)


@dataclass(frozen=True)
class DraftView:
    negotiation: Negotiation
    draft: Draft
    amendments: list[dict[str, Any]]
    circulations: tuple[Circulation, ...]
    revision: int


def show(database: Database, slug: str | None, version: int | None) -> DraftView:
    stored = load(database, slug)
    negotiation = stored.negotiation
    draft = _version(negotiation, version)
    return DraftView(
        negotiation,
        draft,
        stored.amendments.get(draft.version, []),
        tuple(c for c in stored.circulations if c.draft == draft.version),
        stored.revision,
    )


def _version(negotiation: Negotiation, version: int | None) -> Draft:
    if version is None:
        latest = negotiation.latest_draft
        if latest is None:
            raise DomainError(f"negotiation {negotiation.id!r} has no draft yet")
        return latest
    return negotiation.draft(version)


def new_draft(
    database: Database,
    slug: str | None,
    amendments: Sequence[Amendment],
    *,
    actor: str,
    base: int | None = None,
    author: str | None = None,
    title: str | None = None,
    label: str | None = None,
    date: dt.date | None = None,
    note: str | None = None,
    citation: Citation = NO_CITATION,
    expected_revision: int | None = None,
) -> Draft:
    """Version n+1 from ``base`` (the newest version unless given), each amendment with its reason;
    the citation's sources are stored with it."""
    with writing(database, actor) as uow:
        name = slug or uow.repository.default_slug()
        stored = uow.repository.load(name, stances=False)
        negotiation = stored.negotiation
        amended = amend(
            negotiation,
            _version(negotiation, base),
            list(amendments),
            author=_author(negotiation, author),
            title=title,
            label=label,
            date=date,
            note=note,
        )
        check_citation(negotiation, citation)
        before = uow.repository.state_digest(name)
        uow.repository.claim(name, expected_revision)
        if amended.negotiation.points != negotiation.points:
            uow.repository.set_framework(name, amended.negotiation)
        records = [{k: v for k, v in asdict(a).items() if v is not None} for a in amendments]
        made = replace(amended.draft, sources=cite(uow, name, negotiation, citation))
        uow.repository.add_draft(name, made, records, uow.now)
        pause_point("draft-new")
        uow.record(
            "draft.new",
            name,
            f"draft v{made.version} from v{made.parent}: {counted(len(records), 'amendment')}",
            before,
            {
                "version": made.version,
                "parent": made.parent,
                "amendments": records,
                **({"sources": list(made.sources)} if made.sources else {}),
            },
        )
    return made


def record_received(
    database: Database,
    slug: str | None,
    choices: Sequence[tuple[str, Choice]],
    *,
    actor: str,
    author: str,
    title: str | None = None,
    label: str | None = None,
    date: dt.date | None = None,
    note: str | None = None,
    citation: Citation = NO_CITATION,
    expected_revision: int | None = None,
) -> Draft:
    """Version n+1: a text received from ``author`` (a party's counter-text), its choice on every point
    given in full; stored with no amendments and no parent, with the citation's sources, and audited
    as ``draft.record``."""
    with writing(database, actor) as uow:
        name = slug or uow.repository.default_slug()
        negotiation = uow.repository.load(name, stances=False).negotiation
        draft = received_draft(
            negotiation, choices, author=author, title=title, label=label, date=date, note=note
        )
        check_citation(negotiation, citation)
        before = uow.repository.state_digest(name)
        uow.repository.claim(name, expected_revision)
        draft = replace(draft, sources=cite(uow, name, negotiation, citation))
        uow.repository.add_draft(name, draft, [], uow.now)
        uow.record(
            "draft.record",
            name,
            f"draft v{draft.version} received from {draft.author}: a text of its own on "
            f"{len(draft.choices)} points",
            before,
            {
                "version": draft.version,
                "author": draft.author,
                "date": draft.date.isoformat() if draft.date else None,
                "choices": {
                    p: {"option": c.option} if c.option is not None else {"text": c.text}
                    for p, c in draft.choices.items()
                },
                **({"sources": list(draft.sources)} if draft.sources else {}),
            },
        )
    return draft


def _author(negotiation: Negotiation, author: str | None) -> str | None:
    """The party that tables the text: as given, else the mediator when there is exactly one."""
    if author is not None:
        return negotiation.party(author).id
    mediators = [p.id for p in negotiation.parties if p.role is Role.MEDIATOR]
    return mediators[0] if len(mediators) == 1 else None


def set_status(
    database: Database,
    slug: str | None,
    version: int,
    status: DraftStatus,
    *,
    actor: str,
    expected_revision: int | None = None,
) -> Draft:
    with writing(database, actor) as uow:
        name = slug or uow.repository.default_slug()
        draft = uow.repository.load(name, stances=False).negotiation.draft(version)
        if status not in NEXT_STATUS[draft.status]:
            allowed = " or ".join(sorted(s.value for s in NEXT_STATUS[draft.status]))
            raise DomainError(
                f"draft v{version} is {draft.status.value}; it can become {allowed}"
                if allowed
                else f"draft v{version} is {draft.status.value}, which is final: its status no longer changes"
            )
        before = uow.repository.state_digest(name)
        uow.repository.claim(name, expected_revision)
        uow.repository.set_draft_status(name, version, status.value)
        uow.record(
            "draft.status",
            name,
            f"draft v{version}: {draft.status.value} -> {status.value}",
            before,
            {"version": version, "from": draft.status.value, "to": status.value},
        )
    return draft


def circulate(
    database: Database,
    slug: str | None,
    version: int,
    recipients: Sequence[str],
    *,
    actor: str,
    date: dt.date | None = None,
    expected_revision: int | None = None,
) -> Draft:
    """Record which parties received the version (the paper handed over); a draft becomes circulated."""
    if not recipients:
        raise DomainError("--to: choose at least one party to hand the draft to")
    with writing(database, actor) as uow:
        name = slug or uow.repository.default_slug()
        negotiation = uow.repository.load(name, stances=False).negotiation
        draft = negotiation.draft(version)
        for party in recipients:
            negotiation.party(party)  # unknown recipient: NotFoundError, nothing written
        if draft.status in (DraftStatus.WITHDRAWN,):
            raise DomainError(f"draft v{version} is withdrawn; it cannot be circulated")
        if date is not None:
            late = dated_after(date, uow.now, "--date", "record a handing over once it has happened")
            if late:
                raise DomainError(late)
            if draft.date is not None and date < draft.date:
                written = draft.date.isoformat()
                raise DomainError(
                    f"--date: {date.isoformat()} is before draft v{version} was written ({written})"
                )
        before = uow.repository.state_digest(name)
        uow.repository.claim(name, expected_revision)
        when = date.isoformat() if date else None
        for party in dict.fromkeys(recipients):
            uow.repository.add_circulation(name, version, party, when, uow.now, actor)
        if draft.status is DraftStatus.DRAFT:
            uow.repository.set_draft_status(name, version, DraftStatus.CIRCULATED.value)
        uow.record(
            "draft.circulate",
            name,
            f"draft v{version} handed to {', '.join(dict.fromkeys(recipients))}",
            before,
            {"version": version, "to": list(dict.fromkeys(recipients)), "date": when},
        )
    return draft


@dataclass(frozen=True)
class DraftDiff:
    negotiation: Negotiation
    older: Draft
    newer: Draft
    points: list[PointDiff]

    @property
    def changed(self) -> list[PointDiff]:
        return [p for p in self.points if p.change.value != "unchanged"]


def diff(database: Database, slug: str | None, a: int, b: int) -> DraftDiff:
    negotiation = load(database, slug).negotiation
    older, newer = negotiation.draft(a), negotiation.draft(b)
    return DraftDiff(negotiation, older, newer, diff_drafts(negotiation, older, newer))
