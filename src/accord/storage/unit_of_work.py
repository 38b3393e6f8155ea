"""One transaction per use case: everything a service writes lands together, or nothing does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from accord import timings
from accord.audit import AuditEntry, AuditLog
from accord.errors import StorageError
from accord.storage.accounts import Accounts
from accord.storage.database import Database
from accord.storage.repository import Repository
from accord.storage.tables import write_lock


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


@dataclass
class Reading:
    repository: Repository
    audit: AuditLog
    accounts: Accounts


@dataclass
class Writing:
    """A write transaction: the repository, the audit chain and the time the change is recorded at."""

    repository: Repository
    audit: AuditLog
    accounts: Accounts
    actor: str
    now: str

    def record(
        self,
        action: str,
        negotiation: str | None,
        summary: str,
        before: str,
        details: Mapping[str, Any] | None = None,
        *,
        after: str | None = None,
    ) -> AuditEntry:
        """``after``: the state digest after the change, when the caller has it already."""
        if after is None:
            after = self.repository.state_digest(negotiation) if negotiation else before
        return self.audit.append(
            recorded_at=self.now,
            actor=self.actor,
            action=action,
            negotiation=negotiation,
            summary=summary,
            details=details or {},
            before=before,
            after=after,
        )


@contextmanager
def _unavailable_as_storage_error(database: Database) -> Iterator[None]:
    try:
        yield
    except sa.exc.OperationalError as error:
        raise StorageError(f"database {database.shown_url}: {' '.join(str(error.orig).split())}") from error


@contextmanager
def reading(database: Database) -> Iterator[Reading]:
    """A read. On SQLite one transaction, so every statement sees the same snapshot; on PostgreSQL
    (read committed: each statement sees the newest committed state, transaction or not) without
    one, which saves the BEGIN and COMMIT round trips."""
    database.require_schema()
    with (
        _unavailable_as_storage_error(database),
        timings.measure("pool", database.engine.connect) as connection,
    ):
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        with connection.begin():
            yield Reading(
                Repository(connection, database.loaded, database.folds, database.states),
                AuditLog(connection),
                Accounts(connection),
            )


@contextmanager
def writing(database: Database, actor: str) -> Iterator[Writing]:
    """Writers queue on the one write-lock row first, so the audit chain is appended one at a time
    (the writers of one process queue on its write gate before that: SQLite's busy handler polls, and
    a fair lock between processes instead of it served fewer requests under overload: its hand-over
    waits for the other process to be scheduled; docs/workbench.md, "Under load")."""
    database.require_schema()
    with (
        timings.holding("write gate", database.write_gate),
        _unavailable_as_storage_error(database),
        timings.measure("pool", database.engine.connect) as connection,
    ):
        transaction = connection.begin()
        try:
            connection.execute(sa.update(write_lock).values(writes=write_lock.c.writes + 1))
            repository = Repository(connection, database.loaded, database.folds, database.states)
            yield Writing(
                repository,
                AuditLog(connection),
                Accounts(connection, touch=repository.touch),
                actor,
                utc_now(),
            )
        except BaseException:
            transaction.rollback()
            raise
        timings.measure("commit", transaction.commit)


@contextmanager
def session_keeping(database: Database) -> Iterator[Accounts]:
    """Writes that are not part of the record (log-in sessions): one transaction, no audit entry."""
    database.require_schema()
    with _unavailable_as_storage_error(database), database.engine.connect() as connection, connection.begin():
        yield Accounts(connection)
