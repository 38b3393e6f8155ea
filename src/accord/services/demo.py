"""The demo: the flagship example and one account per seat, on a fresh database or on a record that
already holds the flagship (the one `make demo` builds), so that the demo log-ins work on it."""

from __future__ import annotations

from pathlib import Path

from accord.errors import DomainError
from accord.security.passwords import verify_password
from accord.security.policy import SeatRole
from accord.services import accounts, negotiations
from accord.storage.database import Database
from accord.storage.unit_of_work import reading

FLAGSHIP = Path(__file__).resolve().parents[3] / "examples" / "peace-framework-2025.yaml"
FLAGSHIP_NAME = "peace-framework-2025"  # the negotiation's name once stored (the file's id)

DEMO_SEATS = [
    ("mediator", "Mediator (demo)", SeatRole.MEDIATOR, None),
    ("russia", "Russian delegation (demo)", SeatRole.MEMBER, "russia"),
    ("ukraine", "Ukrainian delegation (demo)", SeatRole.MEMBER, "ukraine"),
    ("europe", "European delegation (demo)", SeatRole.MEMBER, "europe"),
    ("observer", "Observer (demo)", SeatRole.OBSERVER, None),
]

ACTOR = "demo"


def demo_password(username: str) -> str:
    return f"{username}-demo-password"


def set_up_demo(database: Database, scenario: Path = FLAGSHIP) -> list[tuple[str, str, str]]:
    """A fresh database: the scenario (by default the flagship) and one account per seat; returns
    (user, password, seat) rows."""
    negotiations.initialise(database)
    negotiation = negotiations.import_scenario(database, scenario, actor=ACTOR)
    return seat_demo_accounts(database, negotiation.id)


def open_demo(database: Database) -> list[tuple[str, str, str]]:
    """The demo on this database: set up when it is fresh; when it holds the flagship already, the
    demo accounts seated on that record (those it has already are kept, never given new passwords)."""
    if database.schema_revision() is None:
        return set_up_demo(database)
    with reading(database) as uow:
        stored = [s.slug for s in uow.repository.summaries()]
    if FLAGSHIP_NAME not in stored:
        holds = ", ".join(stored) if stored else "no negotiation"
        raise DomainError(
            f"--demo needs a fresh database or one that holds the flagship example ({FLAGSHIP_NAME}); "
            f"{database.shown_url} holds {holds}"
        )
    return seat_demo_accounts(database, FLAGSHIP_NAME)


def seat_demo_accounts(database: Database, name: str) -> list[tuple[str, str, str]]:
    """One account per demo seat at the stored negotiation NAME; returns (user, password, seat) rows.
    An account that exists keeps its password, and must be the demo's (else the printed log-ins
    would not work): a database whose users have passwords of their own is refused."""
    with reading(database) as uow:
        users = {u.username: u for u in uow.accounts.users()}
        seats = {(g.username, g.negotiation): (g.role, g.party) for g in uow.accounts.grants()}
    for username, _, _, _ in DEMO_SEATS:
        user = users.get(username)
        if user is not None and not verify_password(user.password_hash, demo_password(username)):
            raise DomainError(
                f"{database.shown_url} has a user {username!r} with a password of its own; --demo serves "
                "a fresh database or the record `make demo` builds"
            )
    rows = []
    for username, full_name, role, party in DEMO_SEATS:
        if username not in users:
            accounts.add_user(database, username, full_name, demo_password(username), actor=ACTOR)
        if seats.get((username, name)) != (role.value, party):
            accounts.grant(database, username, name, role, party, actor=ACTOR)
        rows.append((username, demo_password(username), role.value + (f" of {party}" if party else "")))
    return rows
