"""Use cases on sources: where each fact of the record comes from.

Every command that records a fact (a meeting, a paper, a statement, an event, a stance, a draft) may
cite stored sources by key and describe one new source inline; :func:`cite` checks both and stores
the new one inside the caller's audited write, so the fact and its source land together or not at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from accord.domain import Negotiation, Source
from accord.domain.sources import url_problem
from accord.errors import DomainError, NotFoundError
from accord.services.record_keys import checked_key, new_key
from accord.storage.database import Database
from accord.storage.unit_of_work import Writing, reading, writing


@dataclass(frozen=True)
class Citation:
    """The sources an entry cites: stored ones (``keys``), and at most one new one described by its
    outlet, title, URL, date and quote (any of them; ``key`` names it, else one is made)."""

    keys: tuple[str, ...] = ()
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    date: dt.date | None = None
    quote: str | None = None
    note: str | None = None
    key: str | None = None
    # how the command names these options in messages: --source-url on a meeting, --url on a source
    prefix: str = "--source-"

    @property
    def describes_new(self) -> bool:
        return any(v is not None for v in (self.outlet, self.title, self.url, self.date, self.quote))

    def __bool__(self) -> bool:
        return bool(self.keys) or self.describes_new


NO_CITATION = Citation()


def new_source(
    negotiation: Negotiation, citation: Citation, *, taken: set[str] | None = None
) -> Source | None:
    """The new source a citation describes, checked (a URL that is not a URL, a key in use: DomainError
    naming the option); None when it describes none."""
    if not citation.describes_new:
        if citation.key is not None:
            raise DomainError(
                f"{citation.prefix}id: names a new source, but none is described (give --source-outlet, …)"
            )
        return None
    if citation.url is not None:
        problem = url_problem(citation.url)
        if problem:
            raise DomainError(f"{citation.prefix}url: {problem}")
    known = {s.id for s in negotiation.sources} | (taken or set())
    key = citation.key or _key_for(citation, known)
    checked_key(key, "source", known, f"{citation.prefix}id")
    return Source(
        id=key,
        outlet=_text(citation.outlet),
        title=_text(citation.title),
        url=citation.url.strip() if citation.url else None,
        date=citation.date,
        quote=_text(citation.quote),
        note=_text(citation.note),
    )


def _text(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _key_for(citation: Citation, known: set[str]) -> str:
    """outlet-YYYY-MM-DD ("reuters-2025-12-03"); the title's words without an outlet; "source" (and
    its date) without either (accord.services.record_keys.new_key)."""
    return new_key("source", known, citation.outlet or citation.title, date=citation.date)


def cite(uow: Writing, slug: str, negotiation: Negotiation, citation: Citation) -> tuple[str, ...]:
    """The keys an entry cites (stored ones checked, a new one stored now, in the caller's write)."""
    check_citation(negotiation, citation)
    created = new_source(negotiation, citation)
    if created is not None:
        uow.repository.add_source(slug, created)
    keys = [*citation.keys, *([created.id] if created else [])]
    return tuple(dict.fromkeys(keys))


def check_citation(negotiation: Negotiation, citation: Citation) -> None:
    """Refuse a citation before anything is written (unknown source, bad URL, key in use)."""
    for key in citation.keys:
        try:
            negotiation.source(key)
        except NotFoundError as error:
            raise NotFoundError(f"--source: {error}") from None
    new_source(negotiation, citation)


def add_source(
    database: Database,
    slug: str | None,
    citation: Citation,
    *,
    actor: str,
    expected_revision: int | None = None,
) -> Source:
    """Record a source on its own (to be cited later by key)."""
    with writing(database, actor) as uow:
        return add_source_in(
            uow, slug or uow.repository.default_slug(), citation, expected_revision=expected_revision
        )


def add_source_in(
    uow: Writing,
    name: str,
    citation: Citation,
    *,
    sha256: str | None = None,
    expected_revision: int | None = None,
) -> Source:
    """:func:`add_source` inside an open unit of work (a batch of writes in one transaction, such as
    `accord ingest apply`): checked, written and audited the same way; ``sha256``: an ingested
    report's text's."""
    if not citation.describes_new:
        raise DomainError("a source needs at least one of --outlet, --title, --url, --date, --quote")
    negotiation = uow.repository.load(name, stances=False).negotiation
    source = new_source(negotiation, citation)
    assert source is not None
    if sha256 is not None:
        source = replace(source, sha256=sha256)
    before = uow.repository.state_digest(name)
    uow.repository.claim(name, expected_revision)
    uow.repository.add_source(name, source)
    uow.record(
        "source.add",
        name,
        f"source {source.id}: {source.label}",
        before,
        {"source": source.id, **({"sha256": sha256} if sha256 else {})},
    )
    return source


def list_sources(database: Database, slug: str | None) -> tuple[Source, ...]:
    with reading(database) as uow:
        negotiation = uow.repository.load(slug or uow.repository.default_slug(), stances=False).negotiation
    return negotiation.sources
