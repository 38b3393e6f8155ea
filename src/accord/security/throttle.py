"""Log-in attempts are limited: after FAILURES failures within WINDOW seconds for one user name or one
address, further attempts are refused until the oldest failure is WINDOW seconds old."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque

from accord.errors import TooManyAttempts

FAILURES = 5
WINDOW = 300.0


class LoginThrottle:
    """In the server's memory: a restart forgets the failures (sessions and accounts are in the database)."""

    def __init__(self, failures: int = FAILURES, window: float = WINDOW) -> None:
        self.failures = failures
        self.window = window
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        seen = self._seen[key]
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        return seen

    def check(self, username: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (f"user:{username.lower()}", f"address:{address}"):
                seen = self._recent(key, now)
                if len(seen) >= self.failures:
                    wait = math.ceil(seen[0] + self.window - now)
                    raise TooManyAttempts(f"too many failed log-ins; try again in {wait} s", wait)

    def failed(self, username: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (f"user:{username.lower()}", f"address:{address}"):
                self._recent(key, now).append(now)

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._seen.pop(f"user:{username.lower()}", None)
