"""Failed log-ins (and the copies each seat took lately) kept in the database
(accord.security.throttle.Failures), so every server process of one database counts the same
attempts. Not part of the record: no audit entry, no revision."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from accord.storage.database import Database
from accord.storage.tables import login_failures
from accord.storage.unit_of_work import session_keeping


class StoredFailures:
    def __init__(self, database: Database) -> None:
        self.database = database

    def recent(self, key: str, since: float) -> list[float]:
        with session_keeping(self.database) as accounts:
            rows = accounts.connection.execute(
                sa.select(login_failures.c.at)
                .where(login_failures.c.key == key, login_failures.c.at > since)
                .order_by(login_failures.c.at)
            )
            return [float(at) for at in rows.scalars()]

    def add(self, keys: Sequence[str], at: float, *, forget_before: float) -> None:
        with session_keeping(self.database) as accounts:
            accounts.connection.execute(sa.delete(login_failures).where(login_failures.c.at <= forget_before))
            accounts.connection.execute(sa.insert(login_failures), [{"key": k, "at": at} for k in keys])

    def forget(self, key: str) -> None:
        with session_keeping(self.database) as accounts:
            accounts.connection.execute(sa.delete(login_failures).where(login_failures.c.key == key))
