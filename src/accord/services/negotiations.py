"""Use cases on whole negotiations: initialise the database, import a scenario, export, list."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from accord.domain import Negotiation
from accord.errors import DomainError
from accord.faults import pause_point
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


def initialise(database: Database) -> Initialised:
    before, after = database.upgrade()
    return Initialised(database.shown_url, before, after)


def import_scenario(database: Database, path: Path, *, actor: str, slug: str | None = None) -> Negotiation:
    """All or nothing: the file is validated completely before the one transaction that stores it."""
    negotiation = load(path)  # raises ScenarioError listing every problem; nothing is written
    name = slug or negotiation.id
    if database.schema_revision() is None:
        database.upgrade()
    with writing(database, actor) as uow:
        if uow.repository.exists(name):
            raise DomainError(
                f"a negotiation {name!r} is stored already; import under another name with --as NAME"
            )
        before = uow.repository.state_digest(name)
        uow.repository.add(negotiation, slug=name, now=uow.now, actor=actor)
        pause_point("import")
        uow.record(
            "negotiation.import",
            name,
            f"imported {path.name}: {len(negotiation.points)} points, {len(negotiation.parties)} parties, "
            f"{len(negotiation.drafts)} drafts",
            before,
            {"file": path.name, "points": len(negotiation.points), "drafts": len(negotiation.drafts)},
        )
    return negotiation


def export_scenario(database: Database, slug: str | None, path: Path) -> Negotiation:
    with reading(database) as uow:
        name = slug or uow.repository.default_slug()
        negotiation = uow.repository.load(name).negotiation
    dump(negotiation, path)
    return negotiation


def list_negotiations(database: Database) -> list[NegotiationSummary]:
    with reading(database) as uow:
        return uow.repository.summaries()
