"""A request's visit (accord.services.accounts.visit): the session and its user's seats, read in one
statement, are the seats the user holds; a user without a seat is logged in with none; a session
ended or unknown is nobody's. On SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from accord.security.policy import ANONYMOUS, Seat, SeatRole
from accord.security.throttle import LoginThrottle
from accord.services import accounts, negotiations
from accord.storage.database import Database
from tests.storage.conftest import ACTOR, FLAGSHIP

NAME = "peace-framework-2025"
OTHER = "second-framework"
PASSWORD = "a long enough password"


def test_a_visit_reads_the_session_and_every_seat_of_its_user(flagship: Database) -> None:
    negotiations.import_scenario(flagship, FLAGSHIP, actor=ACTOR, slug=OTHER)
    for username in ("ann", "bob", "cy"):
        accounts.add_user(flagship, username, username.title(), PASSWORD, actor=ACTOR)
    accounts.grant(flagship, "ann", NAME, SeatRole.MEMBER, "ukraine", actor=ACTOR)
    accounts.grant(flagship, "ann", OTHER, SeatRole.MEDIATOR, None, actor=ACTOR)
    accounts.grant(flagship, "cy", OTHER, SeatRole.OBSERVER, "russia", actor=ACTOR)
    throttle = LoginThrottle()
    expected = {
        "ann": {NAME: Seat(SeatRole.MEMBER, "ukraine"), OTHER: Seat(SeatRole.MEDIATOR)},
        "bob": {},
        "cy": {OTHER: Seat(SeatRole.OBSERVER, "russia")},
    }
    statements: list[str] = []
    sa.event.listen(flagship.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for username, seats in expected.items():
        logged = accounts.log_in(flagship, throttle, username, PASSWORD, "127.0.0.1")
        statements.clear()
        seen = accounts.visit(flagship, logged.token)
        assert len(statements) == 1
        assert seen.viewer.username == username and seen.viewer.name == username.title()
        assert dict(seen.viewer.seats) == seats == dict(accounts.viewer_of(flagship, username).seats)
        assert seen.csrf_token == logged.csrf_token
        accounts.log_out(flagship, logged.token)
        assert accounts.visit(flagship, logged.token) == accounts.Visit(ANONYMOUS, None)
    assert accounts.visit(flagship, "no such token") == accounts.Visit(ANONYMOUS, None)
