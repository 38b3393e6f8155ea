"""Use cases on accounts: add users, seat them at negotiations, log in and out, know who is asking."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from accord.errors import DomainError, NotAuthenticated
from accord.security.passwords import dummy_hash, hash_password, verify_password
from accord.security.policy import ANONYMOUS, Seat, SeatRole, Viewer
from accord.security.throttle import LoginThrottle
from accord.storage.accounts import Grant, User
from accord.storage.database import Database
from accord.storage.unit_of_work import reading, session_keeping, utc_now, writing

SESSION_HOURS = 12


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(database: Database, username: str, name: str, password: str, *, actor: str) -> User:
    if not username or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise DomainError(f"user name {username!r}: use letters, digits, '-', '_' or '.'")
    password_hash = hash_password(password)
    with writing(database, actor) as uow:
        before = uow.accounts.state_digest()
        user = uow.accounts.add_user(username, name or username, password_hash, uow.now)
        # the accounts' digest before and after, as for a negotiation; never the password's hash
        uow.record(
            "user.add",
            None,
            f"user {username} added",
            before,
            {"user": username, "name": user.name},
            after=uow.accounts.state_digest(),
        )
    return user


def require_user(database: Database, username: str) -> None:
    """NotFoundError for a user name no account has (before a password is asked for)."""
    with reading(database) as uow:
        uow.accounts.require_user(username)


def set_password(database: Database, username: str, password: str, *, actor: str) -> None:
    """A new password for an account (the audit log says that it changed, nothing more); every session
    of the account ends with it, so whoever logged in with the old password is logged out."""
    password_hash = hash_password(password)
    with writing(database, actor) as uow:
        user = uow.accounts.require_user(username)
        before = uow.accounts.state_digest()
        uow.accounts.set_password(username, password_hash)
        uow.accounts.end_sessions_of(user)
        uow.record(
            "user.password",
            None,
            f"password of {username} changed",
            before,
            {"user": username},
            after=uow.accounts.state_digest(),
        )


def grant(
    database: Database, username: str, slug: str, role: SeatRole, party: str | None, *, actor: str
) -> Grant:
    """Seat a user at a negotiation (replacing any seat it had there)."""
    with writing(database, actor) as uow:
        user = uow.accounts.require_user(username)
        negotiation = uow.repository.load(slug, stances=False).negotiation
        if role is SeatRole.MEMBER and party is None:
            raise DomainError("a member belongs to a party: give --party")
        if role is SeatRole.MEDIATOR and party is not None:
            raise DomainError("the mediator's seat belongs to no party; leave out --party")
        if party is not None:
            found = negotiation.party(party)
            if role is SeatRole.MEMBER and found.role.value != "party":
                raise DomainError(
                    f"{party!r} is the {found.role.value}, not a party; seat its people as mediator"
                )
        before = uow.repository.state_digest(slug)
        uow.accounts.grant(user, uow.repository.id_of(slug), role.value, party)
        uow.record(
            "user.grant",
            slug,
            f"{username} seated as {role.value}" + (f" of {party}" if party else ""),
            before,
            {"user": username, "role": role.value, "party": party},
        )
    return Grant(username, slug, role.value, party)


def revoke(database: Database, username: str, slug: str, *, actor: str) -> None:
    """Unseat a user from a negotiation: from the next request on, it sees nothing of it."""
    with writing(database, actor) as uow:
        user = uow.accounts.require_user(username)
        negotiation_id = uow.repository.id_of(slug)
        before = uow.repository.state_digest(slug)
        if not uow.accounts.revoke(user, negotiation_id):
            raise DomainError(f"{username} has no seat at {slug!r} (`accord user list` shows the seats)")
        uow.record("user.revoke", slug, f"{username} unseated", before, {"user": username})


def grants(database: Database) -> list[Grant]:
    with reading(database) as uow:
        return uow.accounts.grants()


@dataclass(frozen=True)
class LoggedIn:
    token: str  # for the cookie (or an API bearer); only its hash is stored
    csrf_token: str
    viewer: Viewer


def log_in(
    database: Database, throttle: LoginThrottle, username: str, password: str, address: str
) -> LoggedIn:
    throttle.check(username, address)
    with reading(database) as uow:
        user = uow.accounts.user(username)
    if not verify_password(user.password_hash if user else dummy_hash(), password) or user is None:
        throttle.failed(username, address)
        raise NotAuthenticated("the user name or the password is wrong")
    throttle.succeeded(username, address)
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=SESSION_HOURS)).isoformat(timespec="microseconds")
    with session_keeping(database) as accounts:  # sessions are not part of the record: no audit entry
        accounts.end_expired_sessions(utc_now())
        accounts.add_session(user, _token_hash(token), csrf, utc_now(), expires)
    return LoggedIn(token, csrf, viewer_of(database, user.username))


def log_out(database: Database, token: str) -> None:
    with session_keeping(database) as accounts:
        accounts.end_session(_token_hash(token))


@dataclass(frozen=True)
class Visit:
    viewer: Viewer
    csrf_token: str | None


def visit(database: Database, token: str | None) -> Visit:
    """Who holds this session token (anonymous when none, unknown or expired)."""
    if not token:
        return Visit(ANONYMOUS, None)
    with reading(database) as uow:
        found = uow.accounts.session(_token_hash(token), utc_now())
        if found is None:
            return Visit(ANONYMOUS, None)
        session, grants = found
        seats = _seats(grants)
    return Visit(Viewer(session.user.username, session.user.name, seats), session.csrf_token)


def viewer_of(database: Database, username: str) -> Viewer:
    with reading(database) as uow:
        user = uow.accounts.require_user(username)
        seats = _seats(uow.accounts.grants(username))
    return Viewer(user.username, user.name, seats)


def _seats(found: list[Grant]) -> dict[str, Seat]:
    return {g.negotiation: Seat(SeatRole(g.role), g.party) for g in found}
