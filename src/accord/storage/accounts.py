"""Users, their seats at negotiations, sessions, and analyses shared with a party."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from accord.audit import accounts_digest
from accord.errors import DomainError, NotFoundError
from accord.storage.tables import grants, negotiations, sessions, shares, users

# asked on every request: built once
_GRANTS = (
    sa.select(users.c.username, negotiations.c.slug, grants.c.role, grants.c.party)
    .join(users, users.c.id == grants.c.user_id)
    .join(negotiations, negotiations.c.id == grants.c.negotiation_id)
    .order_by(users.c.username, negotiations.c.slug)
)
_GRANTS_OF_USER = _GRANTS.where(users.c.username == sa.bindparam("username"))
# a session and its user's seats in one statement (one row per seat; one without a seat, when none)
_SESSION = (
    sa.select(
        sessions.c.user_id,
        sessions.c.csrf_token,
        sessions.c.expires_at,
        users.c.username,
        users.c.name,
        users.c.password_hash,
        negotiations.c.slug,
        grants.c.role,
        grants.c.party,
    )
    .select_from(
        sessions.join(users, users.c.id == sessions.c.user_id)
        .outerjoin(grants, grants.c.user_id == users.c.id)
        .outerjoin(negotiations, negotiations.c.id == grants.c.negotiation_id)
    )
    .where(sessions.c.token_hash == sa.bindparam("token_hash"), sessions.c.expires_at > sa.bindparam("now"))
    .order_by(negotiations.c.slug)
)


@dataclass(frozen=True)
class User:
    id: int
    username: str
    name: str
    password_hash: str


@dataclass(frozen=True)
class Grant:
    username: str
    negotiation: str
    role: str
    party: str | None


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str
    expires_at: str


@dataclass(frozen=True)
class Share:
    id: int
    party: str
    title: str
    content: dict[str, Any]
    shared_at: str
    shared_by: str


class Accounts:
    """Reads and writes accounts through one connection, inside the caller's transaction."""

    def __init__(self, connection: sa.Connection, touch: Callable[[int], None] | None = None) -> None:
        """``touch``: how a write says it changed a negotiation's state (Repository.touch, of the same
        transaction): seats and shares are part of the state digest."""
        self.connection = connection
        self._touch = touch

    def _changed(self, negotiation_id: int) -> None:
        if self._touch is None:
            raise RuntimeError("a seat or a share is written only in a unit of work that writes")
        self._touch(negotiation_id)

    def user(self, username: str) -> User | None:
        row = self.connection.execute(sa.select(users).where(users.c.username == username)).first()
        return User(row.id, row.username, row.name, row.password_hash) if row else None

    def require_user(self, username: str) -> User:
        found = self.user(username)
        if found is None:
            raise NotFoundError(f"no user {username!r}")
        return found

    def users(self) -> list[User]:
        rows = self.connection.execute(sa.select(users).order_by(users.c.username))
        return [User(r.id, r.username, r.name, r.password_hash) for r in rows]

    def add_user(self, username: str, name: str, password_hash: str, now: str) -> User:
        if self.user(username) is not None:
            raise DomainError(f"a user {username!r} exists already")
        self.connection.execute(
            sa.insert(users).values(username=username, name=name, password_hash=password_hash, created_at=now)
        )
        return self.require_user(username)

    def state_digest(self) -> str:
        """The digest of the accounts as the audit log keeps it (see accord.audit.accounts_digest):
        a password hash enters only as its SHA-256."""
        rows = self.connection.execute(sa.select(users).order_by(users.c.id))
        return accounts_digest(
            [
                {
                    "id": r.id,
                    "username": r.username,
                    "name": r.name,
                    "password": hashlib.sha256(r.password_hash.encode()).hexdigest(),
                    "created_at": r.created_at,
                }
                for r in rows
            ]
        )

    def set_password(self, username: str, password_hash: str) -> None:
        self.connection.execute(
            sa.update(users).where(users.c.username == username).values(password_hash=password_hash)
        )

    def grant(self, user: User, negotiation_id: int, role: str, party: str | None) -> None:
        self.connection.execute(
            sa.delete(grants).where(grants.c.user_id == user.id, grants.c.negotiation_id == negotiation_id)
        )
        self.connection.execute(
            sa.insert(grants).values(user_id=user.id, negotiation_id=negotiation_id, role=role, party=party)
        )
        self._changed(negotiation_id)

    def revoke(self, user: User, negotiation_id: int) -> bool:
        """Remove the user's seat at the negotiation; whether there was one."""
        removed = self.connection.execute(
            sa.delete(grants).where(grants.c.user_id == user.id, grants.c.negotiation_id == negotiation_id)
        ).rowcount
        if removed:
            self._changed(negotiation_id)
        return bool(removed)

    def grants(self, username: str | None = None) -> list[Grant]:
        if username is None:
            rows = self.connection.execute(_GRANTS)
        else:
            rows = self.connection.execute(_GRANTS_OF_USER, {"username": username})
        return [Grant(r.username, r.slug, r.role, r.party) for r in rows]

    # -- sessions ----------------------------------------------------------------

    def add_session(self, user: User, token_hash: str, csrf_token: str, now: str, expires_at: str) -> None:
        self.connection.execute(
            sa.insert(sessions).values(
                token_hash=token_hash,
                user_id=user.id,
                csrf_token=csrf_token,
                created_at=now,
                expires_at=expires_at,
            )
        )

    def session(self, token_hash: str, now: str) -> tuple[Session, list[Grant]] | None:
        """The session of this token, unless expired, with its user's seats (asked on every request:
        one statement)."""
        rows = self.connection.execute(_SESSION, {"token_hash": token_hash, "now": now}).all()
        if not rows:
            return None
        row = rows[0]
        user = User(row.user_id, row.username, row.name, row.password_hash)
        seats = [Grant(r.username, r.slug, r.role, r.party) for r in rows if r.slug is not None]
        return Session(user, row.csrf_token, row.expires_at), seats

    def end_session(self, token_hash: str) -> None:
        self.connection.execute(sa.delete(sessions).where(sessions.c.token_hash == token_hash))

    def end_sessions_of(self, user: User) -> int:
        """End every session of the user (a new password: whoever held the old one is logged out)."""
        return int(self.connection.execute(sa.delete(sessions).where(sessions.c.user_id == user.id)).rowcount)

    def end_expired_sessions(self, now: str) -> None:
        self.connection.execute(sa.delete(sessions).where(sessions.c.expires_at <= now))

    # -- shares ----------------------------------------------------------------------

    def add_share(
        self, negotiation_id: int, party: str, title: str, content: dict[str, Any], now: str, by: str
    ) -> None:
        self.connection.execute(
            sa.insert(shares).values(
                negotiation_id=negotiation_id,
                party=party,
                title=title,
                content=content,
                shared_at=now,
                shared_by=by,
            )
        )
        self._changed(negotiation_id)

    def shares(self, negotiation_id: int, party: str | None = None) -> list[Share]:
        query = sa.select(shares).where(shares.c.negotiation_id == negotiation_id).order_by(shares.c.id)
        if party is not None:
            query = query.where(shares.c.party == party)
        return [
            Share(r.id, r.party, r.title, r.content, r.shared_at, r.shared_by)
            for r in self.connection.execute(query)
        ]
