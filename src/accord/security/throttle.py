"""Log-in attempts are limited: after FAILURES failures within WINDOW seconds for one user name or one
address, further attempts are refused until the oldest failure is WINDOW seconds old.

The failures are kept in a :class:`Failures` store: in memory (one process), or in the database
(accord.storage.login_failures), so that the processes of `accord serve --workers N` count together."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Sequence
from typing import Protocol

from accord.errors import TooManyAttempts

FAILURES = 5
WINDOW = 300.0


class Failures(Protocol):
    """Where failed log-ins are kept: times (seconds since the epoch) per key."""

    def recent(self, key: str, since: float) -> list[float]:
        """The times of the key's failures after ``since``, oldest first."""
        ...

    def add(self, keys: Sequence[str], at: float, *, forget_before: float) -> None:
        """A failure of each key at ``at``; failures before ``forget_before`` may be dropped."""
        ...

    def forget(self, key: str) -> None: ...


class InMemory:
    """Failures in this process's memory: a restart forgets them, other processes do not see them."""

    def __init__(self) -> None:
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def recent(self, key: str, since: float) -> list[float]:
        with self._lock:
            return [at for at in self._seen.get(key, ()) if at > since]

    def add(self, keys: Sequence[str], at: float, *, forget_before: float) -> None:
        with self._lock:
            for key in keys:
                seen = self._seen[key]
                while seen and seen[0] <= forget_before:
                    seen.popleft()
                seen.append(at)

    def forget(self, key: str) -> None:
        with self._lock:
            self._seen.pop(key, None)


class LoginThrottle:
    """The rule, over a store of failures (in this process's memory unless another is given)."""

    def __init__(
        self, failures: int = FAILURES, window: float = WINDOW, store: Failures | None = None
    ) -> None:
        self.failures = failures
        self.window = window
        self.store: Failures = store if store is not None else InMemory()

    @staticmethod
    def _keys(username: str, address: str) -> tuple[str, str]:
        return f"user:{username.lower()}", f"address:{address}"

    def check(self, username: str, address: str) -> None:
        now = time.time()
        for key in self._keys(username, address):
            seen = self.store.recent(key, now - self.window)
            if len(seen) >= self.failures:
                wait = max(1, math.ceil(seen[-self.failures] + self.window - now))
                raise TooManyAttempts(f"too many failed log-ins; try again in {wait} s", wait)

    def failed(self, username: str, address: str) -> None:
        now = time.time()
        self.store.add(self._keys(username, address), now, forget_before=now - self.window)

    def succeeded(self, username: str) -> None:
        self.store.forget(self._keys(username, "")[0])
