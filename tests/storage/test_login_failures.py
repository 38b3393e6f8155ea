"""Failed log-ins are counted in the database, so every server process of one database refuses the
same attempts; the same rules hold for the in-memory store."""

from __future__ import annotations

import pytest

import accord.security.throttle as throttle_module
from accord.errors import TooManyAttempts
from accord.security.throttle import Failures, InMemory, LoginThrottle
from accord.storage.database import Database, open_database
from accord.storage.login_failures import StoredFailures


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    ticking = Clock()
    monkeypatch.setattr(throttle_module.time, "time", ticking)
    return ticking


def _rules_hold(first: LoginThrottle, second: LoginThrottle, clock: Clock) -> None:
    """``first`` and ``second`` share one store (two processes of one server, say)."""
    for _ in range(2):
        first.failed("Anna", "10.0.0.1")
        clock.now += 10
    second.failed("anna", "10.0.0.2")  # the user name counts whatever its case
    clock.now += 10
    with pytest.raises(TooManyAttempts) as refused:
        second.check("ANNA", "10.0.0.3")
    assert refused.value.retry_after == 300 - 30  # until the oldest of the three is 5 minutes old
    first.check("boris", "10.0.0.1")  # another user from the same address: 2 failures, allowed
    second.failed("boris", "10.0.0.1")
    with pytest.raises(TooManyAttempts):
        first.check("carla", "10.0.0.1")  # the address has failed three times now
    clock.now += 271  # the first failure (and with it the count of three) has expired for anna
    second.check("anna", "10.0.0.9")
    first.failed("anna", "10.0.0.9")
    with pytest.raises(TooManyAttempts):
        second.check("anna", "10.0.0.9")
    first.succeeded("anna")  # a successful log-in clears the user name's failures
    second.check("anna", "10.0.0.8")


def test_in_memory(clock: Clock) -> None:
    shared: Failures = InMemory()
    _rules_hold(
        LoginThrottle(failures=3, window=300, store=shared),
        LoginThrottle(failures=3, window=300, store=shared),
        clock,
    )


def test_in_the_database_two_processes_count_together(database: Database, clock: Clock) -> None:
    other = open_database(database.url)  # its own engine, like a second worker process
    try:
        _rules_hold(
            LoginThrottle(failures=3, window=300, store=StoredFailures(database)),
            LoginThrottle(failures=3, window=300, store=StoredFailures(other)),
            clock,
        )
    finally:
        other.dispose()
