"""The request probe's web half: one JSON line per request, its time split into where it waited.

Installed only when $ACCORD_PROFILE_REQUESTS names a file (accord.timings); each server process
appends its lines to that file (in batches, each one ``write``: lines of processes never interleave).
A line holds, in milliseconds:

- ``total``: from the moment the app sees the request until its last byte is handed to the server;
- ``thread queue``: waiting for a request thread (each synchronous dependency and route is one turn
  on the thread pool; accord.web.request_threads);
- ``thread turns``: how many turns the request took on the request threads;
- ``thread``: running on a request thread; in it ``write gate`` (this process's writers, one at a
  time), ``pool`` (a pooled connection), ``write lock`` (the write-lock row: other processes' writers;
  on SQLite the busy handler's sleeps), ``db`` (statements), ``commit``; the rest is Python work and
  waiting for the interpreter lock;
- ``loop``: the rest, on the event loop: parsing, middleware, encoding the answer, and waiting for
  the loop to get round to it;
- ``gc``: pauses of the garbage collector while the request was in flight (every thread stops);
- ``loop lag``: how late the event loop woke a 5 ms timer while the request was in flight (the loop
  was busy with other work, or did not get the interpreter lock).

``id`` is the request's ``X-Load-Id`` header (bench/load.py sends one, to join its own latencies).
"""

from __future__ import annotations

import asyncio
import contextvars
import gc
import json
import os
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord import timings

LAG_TICK = 0.005
"""The lag monitor's timer: it expects to wake every 5 ms."""
FLUSH_LINES = 200

Span = tuple[float, float]


class Probe:
    """What one process records: the requests' lines, the collector's pauses, the loop's lateness."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.lines: list[str] = []
        self.gc_pauses: deque[Span] = deque(maxlen=2000)
        self.lags: deque[Span] = deque(maxlen=2000)
        self._gc_began = 0.0
        self._held_since: contextvars.ContextVar[float] = contextvars.ContextVar("accord_thread_held")

    # the garbage collector (gc.callbacks): every pause stops every thread of the process
    def on_gc(self, phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            self._gc_began = time.perf_counter()
        else:
            self.gc_pauses.append((self._gc_began, time.perf_counter()))

    async def watch_loop(self) -> None:
        while True:
            began = time.perf_counter()
            await asyncio.sleep(LAG_TICK)
            woke = time.perf_counter()
            if woke - began > 2 * LAG_TICK:
                self.lags.append((began + LAG_TICK, woke))

    def instrument(self, limiter: anyio.CapacityLimiter, queue: str, held: str) -> None:
        """Time the turns on a thread pool: ``queue`` the wait for a thread, ``held`` the time on it.
        (anyio's ``async with limiter`` calls these two methods; the limiter's class becomes a
        subclass that times them, without new fields: anyio's limiters have fixed slots.)"""
        base = type(limiter)
        held_since = self._held_since
        turns = f"{held} turns"

        class Timed(base):  # type: ignore[valid-type,misc]
            __slots__ = ()

            async def acquire(self) -> None:
                began = time.perf_counter()
                await base.acquire(self)
                now = time.perf_counter()
                timings.add(queue, now - began)
                timings.add(turns, 1)
                held_since.set(now)

            def release(self) -> None:
                base.release(self)
                since = held_since.get(None)
                if since is not None:
                    timings.add(held, time.perf_counter() - since)

        limiter.__class__ = Timed

    def write(self, line: dict[str, Any]) -> None:
        self.lines.append(json.dumps(line))
        if len(self.lines) >= FLUSH_LINES:
            self.flush()

    def flush(self) -> None:
        if not self.lines:
            return
        text = "".join(f"{line}\n" for line in self.lines).encode()
        self.lines = []
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, text)
        finally:
            os.close(descriptor)

    @asynccontextmanager
    async def running(self, limiters: dict[str, anyio.CapacityLimiter]) -> AsyncIterator[None]:
        """While the app serves: the limiters timed, the collector and the loop watched."""
        for name, limiter in limiters.items():
            self.instrument(limiter, f"{name} queue", name)
        gc.callbacks.append(self.on_gc)
        watcher = asyncio.get_running_loop().create_task(self.watch_loop())
        try:
            yield
        finally:
            watcher.cancel()
            gc.callbacks.remove(self.on_gc)
            self.flush()


def _overlap(spans: deque[Span], began: float, ended: float) -> float:
    return sum(max(0.0, min(e, ended) - max(b, began)) for b, e in list(spans) if e > began)


class RequestTiming:
    """ASGI middleware (outermost): starts each request's timing and writes its line when done."""

    def __init__(self, app: ASGIApp, probe: Probe) -> None:
        self.app = app
        self.probe = probe

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        timing = timings.start()
        at, began = time.time(), time.perf_counter()
        status = 0
        answered: float | None = None  # when the last of the answer was handed to the server

        async def sending(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                # Timed before the hand-over: the client cannot have the answer any earlier, so
                # the line's total never exceeds what the client measured, however the process
                # is scheduled after the bytes are out.
                answered = time.perf_counter()
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            ended = answered if answered is not None else time.perf_counter()
            self._record(scope, timing, at, began, ended, status)

    def _record(
        self, scope: Scope, timing: timings.Timing, at: float, began: float, ended: float, status: int
    ) -> None:
        phases = dict(timing.phases)
        total = ended - began
        on_threads = sum(v for k, v in phases.items() if k in ("thread", "thread queue"))
        on_threads += sum(v for k, v in phases.items() if k in ("analysis", "analysis queue"))
        phases["loop"] = max(0.0, total - on_threads)
        phases["gc"] = _overlap(self.probe.gc_pauses, began, ended)
        phases["loop lag"] = _overlap(self.probe.lags, began, ended)
        headers = dict(scope.get("headers") or [])
        route = scope.get("route")
        self.probe.write(
            {
                "pid": os.getpid(),
                "at": round(at, 4),
                "method": scope.get("method", ""),
                "path": getattr(route, "path", None) or scope.get("path", ""),
                "status": status,
                "id": headers.get(b"x-load-id", b"").decode("latin-1"),
                "total": round(total * 1000, 3),
                **{k: v if k.endswith(" turns") else round(v * 1000, 3) for k, v in sorted(phases.items())},
            }
        )


def probe_from_environment() -> Probe | None:
    path = timings.profile_file()
    return Probe(path) if path else None
