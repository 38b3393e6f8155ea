"""The request threads serve the oldest request first.

A request takes several turns on a process's request thread: each synchronous dependency (the session
look-up, the CSRF check) and then the route itself is one turn on anyio's thread pool, and anyio hands
a free thread to whichever turn queued first. Under a burst a request's second and third turns then
queue behind every request that arrived meanwhile: a stance (three turns) waited up to three times
as long as a read (two), and its wait grew with the queue however early it came. Measured with the
request probe (bench/load.py --profile): the slowest 1% of the requests spent >95% of their time
waiting for a thread, all of them writes.

Here a free thread goes to the turn of the request that reached the app first: a request that has
started is finished before a newer one begins, so a request waits for the queue once, not once per
turn, and the order of service is the order of arrival. The thread pool's limiter becomes a subclass
of anyio's own (same slots, only the choice of the next waiter differs); a limiter of another shape
(another anyio, another event loop) is left as it is: first queued, first served.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from typing import Any

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send

_arrived: ContextVar[float] = ContextVar("accord_request_arrived", default=0.0)
"""When the request this code runs for reached the app (0: not a request, such as the preload)."""
_waiting: dict[object, float] = {}
"""The arrival of each task waiting for a thread (keyed by the task: anyio's borrower)."""


class ArrivalOrder:
    """ASGI middleware: notes when each request reached the app (its place in the threads' queue)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            _arrived.set(time.perf_counter())
        await self.app(scope, receive, send)


def oldest_first(limiter: anyio.CapacityLimiter) -> bool:
    """Make ``limiter`` hand its free tokens to the waiting task whose request arrived first; False
    (and the limiter unchanged) when it is not anyio's asyncio limiter as this module knows it."""
    base: Any = type(limiter)
    if base.__name__ == "OldestFirst":
        return True  # already (a second app on the same event loop)
    if not all(hasattr(limiter, name) for name in ("_wait_queue", "_borrowers", "_total_tokens")):
        return False
    if not all(hasattr(base, name) for name in ("acquire_on_behalf_of", "_notify_next_waiter")):
        return False

    class OldestFirst(base):  # type: ignore[misc]
        __slots__ = ()

        async def acquire_on_behalf_of(self, borrower: object) -> None:
            _waiting[borrower] = _arrived.get()
            try:
                await base.acquire_on_behalf_of(self, borrower)
            finally:
                _waiting.pop(borrower, None)

        def _notify_next_waiter(self) -> None:
            if self._wait_queue and len(self._borrowers) < self._total_tokens:
                borrower = min(self._wait_queue, key=lambda b: _waiting.get(b, 0.0))
                event = self._wait_queue.pop(borrower)
                self._borrowers.add(borrower)
                event.set()

    limiter.__class__ = OldestFirst
    return True
