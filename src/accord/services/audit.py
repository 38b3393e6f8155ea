"""Use cases on the audit log: read it, verify the chain and the stored record against it (and against
signed checkpoints), and sign checkpoints of it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from accord.audit import AuditEntry, Verification, verify, verify_negotiation
from accord.errors import AuditError
from accord.storage.database import Database
from accord.storage.unit_of_work import reading, utc_now

if TYPE_CHECKING:
    from accord.checkpoints import Checkpoint
    from accord.keys import KeyFile


def entries(database: Database, slug: str | None = None, limit: int | None = None) -> list[AuditEntry]:
    """The log's entries, oldest first (``slug``: those about that negotiation). A name the log never
    mentions and the database does not hold is a mistyped name (NotFoundError naming those stored),
    not an empty log."""
    with reading(database) as uow:
        found = uow.audit.entries(slug, limit)
        if slug is not None and not found:
            uow.repository.id_of(slug)
        return found


def check(database: Database, checkpoints: Sequence[Checkpoint] = ()) -> Verification:
    """The chain, every negotiation's stored state, the accounts, and that the log extends each of
    ``checkpoints`` (authenticated already: see accord.checkpoints.read)."""
    with reading(database) as uow:
        found = uow.audit.entries()
        result = verify(found, uow.repository.all_digests(), uow.accounts.state_digest())
    if not checkpoints:
        return result
    from accord.checkpoints import extension_problem

    extra = [p for p in (extension_problem(c, found) for c in checkpoints) if p is not None]
    return Verification(result.entries, result.problems + tuple(extra))


def check_negotiation(database: Database, slug: str) -> Verification:
    """The chain and one negotiation's stored record, reported only as far as they concern that
    negotiation (see accord.audit.verify_negotiation): for its mediator, not the database's owner."""
    with reading(database) as uow:
        found = uow.audit.entries()
        current = uow.repository.state_digest(slug, recompute=True)
    return verify_negotiation(found, slug, current)


def checkpoint(database: Database, key: KeyFile) -> Checkpoint:
    """A checkpoint of the log as it is now, signed with ``key``; only over a log that verifies."""
    from accord.checkpoints import sign

    with reading(database) as uow:
        found = uow.audit.entries()
        result = verify(found, uow.repository.all_digests(), uow.accounts.state_digest())
    if not result.ok:
        raise AuditError(
            f"the audit log does not verify, so no checkpoint is signed; first bad: {result.first_bad}"
        )
    if not found:
        raise AuditError("the audit log is empty: nothing to checkpoint yet")
    return sign(key, len(found), found[-1].hash, utc_now())


def write_checkpoint(database: Database, key: KeyFile, folder: Path) -> Path | None:
    """The scheduled checkpoint: ``folder/checkpoint-NNNNNNNN.txt`` (by entry count), written only
    when no checkpoint of that count is there yet, so several server processes write each one once.
    The path written, or None (nothing new, or an empty log)."""
    with reading(database) as uow:
        last = uow.audit.last()
    if last is None or (folder / _name(last.seq)).exists():
        return None
    taken = checkpoint(database, key)
    path = folder / _name(taken.entries)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return None  # another process wrote this one
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(taken.text())
    return path


def _name(entries: int) -> str:
    return f"checkpoint-{entries:08d}.txt"
