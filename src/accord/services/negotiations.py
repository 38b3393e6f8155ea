"""Use cases on whole negotiations: initialise the database, import a scenario, export, list."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from accord.domain import Negotiation
from accord.errors import DomainError
from accord.faults import pause_point
from accord.reports.overview import parties_words
from accord.scenario import load
from accord.scenario.yaml_format import dump
from accord.storage.database import Database
from accord.storage.repository import NegotiationSummary
from accord.storage.unit_of_work import reading, writing


@dataclass(frozen=True)
class Initialised:
    url: str
    before: str | None
    after: str
    key_file: Path | None = None
    key_created: bool = False
    key_problem: str | None = None  # why there is no key file (the record itself is ready)
    secrets_sealed: tuple[str, ...] = ()


def initialise(
    database: Database, *, key_file: Path | None = None, actor: str = "accord init"
) -> Initialised:
    """Create or migrate the schema; create the key file when there is none (see accord.keys), and
    seal under it the fingerprint secrets a record from before kept in the clear."""
    from accord import keys
    from accord.errors import KeyFileError
    from accord.services import leaks

    before, after = database.upgrade()
    path = keys.key_path(database.url, key_file)
    try:
        created = keys.ensure(path)
        sealed = tuple(leaks.move_secrets(database, path, actor=actor))
    except KeyFileError as problem:
        return Initialised(database.shown_url, before, after, path, key_problem=str(problem))
    return Initialised(database.shown_url, before, after, path, created, None, sealed)


NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
NAME_EXPECTED = "letters, digits, '-' and '_' (starting with a letter or digit; at most 100)"


def checked_name(asked: str | None, negotiation: Negotiation) -> str:
    """The name to store ``negotiation`` under: ``asked``, else the file's id; DomainError for one that
    could not be a page's address (/n/NAME) or an API path."""
    slug = (asked or "").strip() or negotiation.id
    if not NAME.match(slug):
        raise DomainError(f"name: {slug[:60]!r} cannot name a negotiation; expected {NAME_EXPECTED}")
    return slug


def stored_already(name: str, asked: bool, field: str) -> DomainError:
    """The error for a name taken: ``field`` the option or field that names it; ``asked``: the name was
    given (else it is the file's own id, which the person may not know it is)."""
    whose = "" if asked else " (the file's own id)"
    return DomainError(
        f"{field}: a negotiation {name!r} is stored already{whose}; import it under another name, or work "
        "on the one stored"
    )


def import_scenario(database: Database, path: Path, *, actor: str, slug: str | None = None) -> Negotiation:
    """All or nothing: the file is validated completely before the one transaction that stores it."""
    negotiation = load(path)  # raises ScenarioError listing every problem; nothing is written
    name = checked_name(slug, negotiation)
    if database.schema_revision() is None:
        initialise(database, actor=actor)
    with writing(database, actor) as uow:
        if uow.repository.exists(name):
            raise stored_already(name, bool((slug or "").strip()), "--name")
        before = uow.repository.state_digest(name)
        uow.repository.add(negotiation, slug=name, now=uow.now, actor=actor)
        pause_point("import")
        uow.record(
            "negotiation.import",
            name,
            f"imported {path.name}: {len(negotiation.points)} points, {parties_words(negotiation)}, "
            f"{len(negotiation.drafts)} drafts",
            before,
            {"file": path.name, "points": len(negotiation.points), "drafts": len(negotiation.drafts)},
        )
    return negotiation


def export_scenario(database: Database, slug: str | None, path: Path) -> Negotiation:
    with reading(database) as uow:
        name = slug or uow.repository.default_slug()
        negotiation = uow.repository.load(name).negotiation
        data = uow.repository.file_data(name) if any(p.file for p in negotiation.papers) else {}
    if data:  # a paper's file goes into the scenario file with its bytes, so an import restores it
        negotiation = replace(
            negotiation,
            papers=tuple(
                replace(p, file=replace(p.file, data=data.get(p.id))) if p.file is not None else p
                for p in negotiation.papers
            ),
        )
    dump(negotiation, path)
    return negotiation


def list_negotiations(database: Database) -> list[NegotiationSummary]:
    with reading(database) as uow:
        return uow.repository.summaries()
