"""Failed log-ins slow down the address they come from; they never lock an account for everyone.

Two counts of failures, each kept for a while in a :class:`Failures` store:

- per (account, address): the first FREE_FAILURES failures cost nothing; after n of them the next
  attempt from that address for that account waits BASE_DELAY * 2 ** (n - FREE_FAILURES) seconds
  after the latest, at most MAX_DELAY. A failure counts for MEMORY seconds, and a log-in from that
  address forgets the pair's failures. Someone guessing from one address gets about a hundred
  guesses a day; the account's owner at another address is never refused for it.
- per address, across accounts: ADDRESS_FAILURES failures within ADDRESS_WINDOW seconds refuse
  every log-in from that address until the oldest of them is that old (one password tried on
  many accounts).

No count is kept per account alone: that would let anyone lock the owner out. The address is the
connection's peer, or what a trusted proxy says (`accord serve --forwarded-allow-ips`).

The store is in memory (one process) or in the database (accord.storage.login_failures), so that
the processes of `accord serve --workers N` count together."""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Sequence
from typing import Protocol

from accord.errors import TooManyAttempts

FREE_FAILURES = 3
BASE_DELAY = 5.0  # seconds, doubled with each further failure
MAX_DELAY = 900.0
KEPT = 86_400.0  # a store may forget what is older than this: no count looks further back
MEMORY = KEPT  # a failure of an (account, address) pair counts for a day
ADDRESS_FAILURES = 30
ADDRESS_WINDOW = 900.0
KEY_LENGTH = 200  # a longer key (a long user name, say) is kept as its hash: the store's column is short


class Failures(Protocol):
    """Where counted attempts are kept, as times (seconds since the epoch) per key: failed log-ins,
    and the copies a seat took (accord.security.rate_limit) under keys of their own."""

    def recent(self, key: str, since: float) -> list[float]:
        """The times of the key's attempts after ``since``, oldest first."""
        ...

    def add(self, keys: Sequence[str], at: float, *, forget_before: float) -> None:
        """An attempt of each key at ``at``; attempts of any key before ``forget_before`` may be
        dropped (every caller passes ``at - KEPT``)."""
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
            for key in list(self._seen):  # every key, so that a guesser's many names do not pile up
                seen = self._seen[key]
                while seen and seen[0] <= forget_before:
                    seen.popleft()
                if not seen:
                    del self._seen[key]
            for key in keys:
                self._seen[key].append(at)

    def forget(self, key: str) -> None:
        with self._lock:
            self._seen.pop(key, None)


class LoginThrottle:
    """The rule (see the module's docstring), over a store of failures (in this process's memory
    unless another is given)."""

    def __init__(
        self,
        *,
        free: int = FREE_FAILURES,
        base_delay: float = BASE_DELAY,
        max_delay: float = MAX_DELAY,
        memory: float = MEMORY,  # at most KEPT
        address_failures: int = ADDRESS_FAILURES,
        address_window: float = ADDRESS_WINDOW,
        store: Failures | None = None,
    ) -> None:
        self.free = free
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.memory = memory
        self.address_failures = address_failures
        self.address_window = address_window
        self.store: Failures = store if store is not None else InMemory()

    @staticmethod
    def _pair(username: str, address: str) -> str:
        return bounded_key(f"pair:{address} {username.lower()}")

    @staticmethod
    def _address(address: str) -> str:
        return bounded_key(f"address:{address}")

    def _pair_wait(self, username: str, address: str, now: float) -> float:
        seen = self.store.recent(self._pair(username, address), now - self.memory)
        if len(seen) < self.free:
            return 0.0
        delay = min(self.max_delay, self.base_delay * 2.0 ** min(len(seen) - self.free, 64))
        return seen[-1] + delay - now

    def _address_wait(self, address: str, now: float) -> float:
        seen = self.store.recent(self._address(address), now - self.address_window)
        if len(seen) < self.address_failures:
            return 0.0
        return seen[-self.address_failures] + self.address_window - now

    def check(self, username: str, address: str) -> None:
        now = time.time()
        wait = max(self._pair_wait(username, address, now), self._address_wait(address, now))
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise TooManyAttempts(f"too many failed log-ins; try again in {seconds} s", seconds)

    def failed(self, username: str, address: str) -> None:
        now = time.time()
        keys = (self._pair(username, address), self._address(address))
        self.store.add(keys, now, forget_before=now - KEPT)

    def succeeded(self, username: str, address: str) -> None:
        self.store.forget(self._pair(username, address))


def bounded_key(key: str) -> str:
    """The key, or its hash if it is too long for the store."""
    if len(key) <= KEY_LENGTH:
        return key
    kind = key.split(":", 1)[0]
    return f"{kind}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
