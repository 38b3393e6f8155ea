"""How often one seat may do something that is recorded for good: at most ``limit`` times within
``per`` seconds. Taking a fingerprinted copy writes the copy register and the audit log, so a script
(or a held-down key) could otherwise fill both.

Counted in the same store as failed log-ins (accord.security.throttle.Failures), under keys of its
own, so the processes of `accord serve --workers N` count together."""

from __future__ import annotations

import math
import time

from accord.errors import TooManyAttempts
from accord.security.throttle import KEPT, Failures, InMemory, bounded_key

COPIES_PER_MINUTE = 10


class RateLimit:
    def __init__(
        self, limit: int, per: float, *, what: str = "requests", store: Failures | None = None
    ) -> None:
        if not 0 < per <= KEPT:
            raise ValueError(f"a rate limit counts over at most {KEPT:.0f} s")
        self.limit = limit
        self.per = per
        self.what = what
        self.store: Failures = store if store is not None else InMemory()

    def take(self, key: str) -> None:
        """Count one more for ``key``, or refuse (TooManyAttempts) when the limit is reached."""
        key = bounded_key(f"rate:{key}")
        now = time.time()
        seen = self.store.recent(key, now - self.per)
        if len(seen) >= self.limit:
            wait = max(1, math.ceil(seen[-self.limit] + self.per - now))
            raise TooManyAttempts(
                f"at most {self.limit} {self.what} within {self.per:.0f} s from one seat; "
                f"try again in {wait} s",
                wait,
            )
        self.store.add([key], now, forget_before=now - KEPT)


def copy_limit(store: Failures | None = None, limit: int = COPIES_PER_MINUTE) -> RateLimit:
    """Fingerprinted copies per seat (one user at one negotiation): ``limit`` a minute."""
    return RateLimit(limit, 60.0, what="copies", store=store)
