"""Where a workbench request's time goes: an opt-in probe for operators (docs/workbench.md, "Under load").

Off unless $ACCORD_PROFILE_REQUESTS names a file when the server starts. Then every request's time
is split into phases (the web layer's probe, accord.web.request_timing, writes one JSON line per
request) and the layers below add theirs here: the wait for the process's write gate, for the
write-lock row, for a pooled connection, the database statements, the commit. Off, a phase costs one
context-variable look-up: nothing is recorded, nothing installed.

Standard library only: storage and the web layer both add to it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

ENVIRONMENT_VARIABLE = "ACCORD_PROFILE_REQUESTS"

T = TypeVar("T")


def profile_file() -> str | None:
    """The file the probe appends to, or None: the probe is off."""
    return os.environ.get(ENVIRONMENT_VARIABLE) or None


class Timing:
    """One request's phases (seconds), added to from its task and from the threads it runs on."""

    __slots__ = ("_lock", "phases")

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}
        self._lock = threading.Lock()

    def add(self, phase: str, seconds: float) -> None:
        with self._lock:
            self.phases[phase] = self.phases.get(phase, 0.0) + seconds


_current: ContextVar[Timing | None] = ContextVar("accord_request_timing", default=None)


def current() -> Timing | None:
    """The timing of the request this code runs for (None: the probe is off, or no request)."""
    return _current.get()


def start() -> Timing:
    """A new timing for the request about to run in this context (the web probe calls it)."""
    timing = Timing()
    _current.set(timing)
    return timing


def add(phase: str, seconds: float) -> None:
    timing = _current.get()
    if timing is not None:
        timing.add(phase, seconds)


def measure(phase: str, work: Callable[[], T]) -> T:
    """``work()``, its time added to ``phase`` when the probe is on."""
    timing = _current.get()
    if timing is None:
        return work()
    began = time.perf_counter()
    try:
        return work()
    finally:
        timing.add(phase, time.perf_counter() - began)


@contextmanager
def holding(phase: str, lock: threading.Lock) -> Iterator[None]:
    """``with lock``, the wait for it added to ``phase`` when the probe is on."""
    measure(phase, lock.acquire)
    try:
        yield
    finally:
        lock.release()
