"""Use cases on the audit log: read it, and verify the chain and the stored record against it."""

from __future__ import annotations

from accord.audit import AuditEntry, Verification, verify, verify_negotiation
from accord.storage.database import Database
from accord.storage.unit_of_work import reading


def entries(database: Database, slug: str | None = None, limit: int | None = None) -> list[AuditEntry]:
    with reading(database) as uow:
        return uow.audit.entries(slug, limit)


def check(database: Database) -> Verification:
    with reading(database) as uow:
        return verify(uow.audit.entries(), uow.repository.all_digests())


def check_negotiation(database: Database, slug: str) -> Verification:
    """The chain and one negotiation's stored record, reported only as far as they concern that
    negotiation (see accord.audit.verify_negotiation): for its mediator, not the database's owner."""
    with reading(database) as uow:
        found = uow.audit.entries()
        current = uow.repository.state_digest(slug, recompute=True)
    return verify_negotiation(found, slug, current)
