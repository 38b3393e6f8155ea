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
    """``first`` and ``second`` share one store (two processes of one server, say); both allow 3 free
    failures per (account, address), then 2 s, 4 s, 8 s ... up to 60 s; 6 failures per address
    within 600 s; a failure counts for a day."""
    for _ in range(3):
        first.check("anna", "10.0.0.1")
        first.failed("Anna", "10.0.0.1")  # the user name counts whatever its case
    with pytest.raises(TooManyAttempts) as refused:
        second.check("ANNA", "10.0.0.1")
    assert refused.value.retry_after == 2
    second.check("anna", "10.0.0.2")  # the owner elsewhere is never refused for another's failures
    clock.now += 2
    second.check("anna", "10.0.0.1")
    second.failed("anna", "10.0.0.1")  # the 4th: twice the wait
    with pytest.raises(TooManyAttempts) as refused:
        first.check("anna", "10.0.0.1")
    assert refused.value.retry_after == 4
    for _ in range(20):  # the waits grow, up to the longest
        clock.now += 121  # fewer than 6 within 600 s: the address stays allowed
        first.failed("anna", "10.0.0.1")
    with pytest.raises(TooManyAttempts) as refused:
        first.check("anna", "10.0.0.1")
    assert refused.value.retry_after == 60
    first.check("anna", "10.0.0.2")
    clock.now += 86_400  # a day later the failures are forgotten
    second.check("anna", "10.0.0.1")
    for _ in range(4):
        second.failed("anna", "10.0.0.1")
    first.succeeded("anna", "10.0.0.1")  # a log-in from that address forgets its failures
    second.check("anna", "10.0.0.1")
    # one address trying many accounts: 6 failures within 600 s refuse it for every account
    clock.now += 86_400
    for n in range(6):
        first.check(f"user{n}", "10.0.0.9")
        first.failed(f"user{n}", "10.0.0.9")
        clock.now += 10
    with pytest.raises(TooManyAttempts) as refused:
        second.check("zoe", "10.0.0.9")
    assert refused.value.retry_after == 600 - 60  # until the oldest of the six is 600 s old
    second.check("zoe", "10.0.0.8")
    clock.now += 540
    second.check("zoe", "10.0.0.9")


def _throttle(store: Failures) -> LoginThrottle:
    return LoginThrottle(
        free=3, base_delay=2, max_delay=60, address_failures=6, address_window=600, store=store
    )


def test_in_memory(clock: Clock) -> None:
    shared: Failures = InMemory()
    _rules_hold(_throttle(shared), _throttle(shared), clock)


def test_in_the_database_two_processes_count_together(database: Database, clock: Clock) -> None:
    other = open_database(database.url)  # its own engine, like a second worker process
    try:
        _rules_hold(_throttle(StoredFailures(database)), _throttle(StoredFailures(other)), clock)
    finally:
        other.dispose()
