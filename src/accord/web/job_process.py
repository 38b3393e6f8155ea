"""A job's computation in a process of its own, so that it never holds the requests' interpreter lock.

Python runs one thread of a process at a time. A robustness run on a job thread of the server's own
process took the interpreter lock from the request thread in turns of up to a millisecond, hundreds
of times a second: measured with bench/load.py --with-job on PostgreSQL (200 clients, idle machine),
p99 356/490/334 ms against 74/111/114 without the job, and lowering the job thread's priority did not
help, since the wait was for the lock, not for a core.

So each server process that runs jobs starts one job process (spawned, not forked: the server has
threads; at its first job, kept for the next ones) and hands it each job's work by name (Apart: a
function importable by name and arguments that pickle). The job process runs only when no request
wants a core (give_way), so on a machine whose cores are all busy the kernel runs the requests first,
the database server's processes included, and at each step of its work it waits while any request of
the server's processes is being answered (accord.web.requests_in_flight); it sends back each step of
progress and the result as plain JSON, and stops at its next step when the job is
cancelled. The job thread of the server only waits on the pipe, which releases the lock. A job
process that dies (killed, out of memory) fails its job in words; the next job starts another.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

from accord.errors import AccordError, Cancelled
from accord.web.capacity import JOB_NICENESS
from accord.web.requests_in_flight import LONGEST_WAIT, Quiet

LOG = logging.getLogger(__name__)
POLL = 0.25  # seconds between two looks at whether the job was cancelled, while its process works
SEND_EVERY = 0.1  # seconds between two messages of a job's progress from its process (jobs.Progress
# writes it to the table every PROGRESS_EVERY = 0.25 s)


class Steps(Protocol):
    """What a job's work reports to and asks of (accord.web.jobs.Progress, or its stand-in here):
    ``done``, the units reported so far."""

    done: int

    def advance(self, units: int) -> None: ...

    def say(self, words: str) -> None: ...

    def cancelled(self) -> bool: ...


@dataclass(frozen=True)
class Apart:
    """Work for the job process: ``function(*args, progress)``, where ``function`` is importable by its
    name (a module's own function, not a lambda or a closure) and ``args`` pickle (accord's domain
    objects do). Its result must be plain JSON once NumPy's numbers are converted (plain, below)."""

    function: Callable[..., Any]
    args: tuple[Any, ...] = ()


class JobRefused(AccordError):
    """The work stopped with one of accord's own errors in the job process (its words kept)."""


class JobCrashed(Exception):
    """The work failed with a bug, or its process died; ``words`` are what the job's page says."""

    def __init__(self, words: str) -> None:
        super().__init__(words)
        self.words = words


class JobProcess:
    """One job process for this server process, started at the first job and reused; runs one
    job's work at a time (the caller's job threads take turns)."""

    def __init__(self, in_flight: Path | None = None, longest_wait: float = LONGEST_WAIT) -> None:
        """``in_flight``: the directory of the server's counts of requests in flight, which the work
        waits for at each step (accord.web.requests_in_flight; None: it never waits), at most
        ``longest_wait`` seconds a step."""
        self._in_flight = in_flight
        self._longest_wait = longest_wait
        self._lock = threading.Lock()
        self._process: Any = None
        self._pipe: Connection | None = None

    def run(self, work: Apart, progress: Steps) -> Any:
        """Run ``work`` in the job process, relaying its progress; its result (plain JSON). Raises
        Cancelled when it stopped because cancelled, JobRefused with accord's words for a refusal,
        JobCrashed for a bug or a process that died."""
        with self._lock:
            pipe = self._started()
            process = self._process  # close() may forget it meanwhile (the app shutting down)
            pipe.send(("run", work.function, work.args))
            told = False
            while True:
                if pipe.poll(POLL):
                    try:
                        message = pipe.recv()
                    except (EOFError, OSError):
                        self._forget()
                        raise JobCrashed("the job's process stopped while it ran") from None
                    kind, value = message
                    if kind == "advance":
                        progress.advance(value)
                    elif kind == "say":
                        progress.say(value)
                    elif kind == "done":
                        return value
                    elif kind == "cancelled":
                        raise Cancelled(value)
                    elif kind == "refused":
                        raise JobRefused(value)
                    else:  # "failed": a bug in the work, its traceback logged here
                        name, text = value
                        LOG.error("a job failed in the job process:\n%s", text)
                        raise JobCrashed(f"an internal error ({name}); see the log")
                elif not process.is_alive():
                    self._forget()
                    raise JobCrashed("the job's process stopped while it ran")
                if not told and progress.cancelled():
                    with contextlib.suppress(OSError):  # a process gone is found at the next look
                        pipe.send(("cancel", None))
                    told = True

    def close(self) -> None:
        """Stop the job process (the app shuts down); a job it was running is failed by its thread."""
        process, pipe = self._process, self._pipe
        if pipe is not None:
            with contextlib.suppress(OSError, ValueError):
                pipe.send(("stop", None))
        if process is not None:
            process.join(timeout=2)
            if process.is_alive():
                process.kill()
                process.join(timeout=2)
        self._process = self._pipe = None

    def _started(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._pipe is not None:
            return self._pipe
        self._forget()
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(
            target=serve,
            args=(theirs, self._in_flight, self._longest_wait),
            name="accord-job-process",
            daemon=True,
        )
        process.start()
        theirs.close()
        self._process, self._pipe = process, ours
        return ours

    def _forget(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.kill()
        if self._process is not None:
            self._process.join(timeout=2)
        if self._pipe is not None:
            self._pipe.close()
        self._process = self._pipe = None


class _Reporter:
    """The job process's stand-in for the job's progress: its steps go down the pipe together, at most
    every SEND_EVERY seconds (each message wakes the server's job thread, which then takes the
    interpreter lock from the requests: a robustness run reports every re-solve, hundreds a second);
    what is left is sent before the job's answer. A cancel sent up the pipe is noticed at the work's
    next question. Each step reported, and each question, first waits while requests are being
    answered (``quiet``; accord.web.requests_in_flight)."""

    def __init__(self, pipe: Connection, quiet: Quiet | None = None) -> None:
        self._pipe = pipe
        self._quiet = quiet
        self._cancelled = False
        self.done = 0
        self._units = 0  # done but not yet sent
        self._words: str | None = None  # said but not yet sent
        self._sent = -SEND_EVERY  # the first step goes at once

    def advance(self, units: int) -> None:
        if self._quiet is not None:
            self._quiet.wait()
        self.done += int(units)
        self._units += int(units)
        self._send()

    def say(self, words: str) -> None:
        self._words = str(words)
        self._send()

    def cancelled(self) -> bool:
        if self._quiet is not None:
            self._quiet.wait()
        while not self._cancelled and self._pipe.poll():
            kind, _ = self._pipe.recv()
            self._cancelled = kind in ("cancel", "stop")
        return self._cancelled

    def flush(self) -> None:
        """Send what is left (before the job's answer)."""
        self._send(at_once=True)

    def _send(self, *, at_once: bool = False) -> None:
        now = time.monotonic()
        if not at_once and now - self._sent < SEND_EVERY:
            return
        self._sent = now
        if self._units:
            self._pipe.send(("advance", self._units))
            self._units = 0
        if self._words is not None:
            self._pipe.send(("say", self._words))
            self._words = None


def give_way() -> None:
    """Let the requests have the cores first. On Linux the job process runs only when no other task
    wants a core (SCHED_IDLE: a request's process or the database's, waking, takes the core from it at
    once; a nice value only shrank the job's share, and requests on PostgreSQL still waited behind it),
    and on one core only, the last this process may use: left free to move between the cores, an
    idle-class process made the requests wait twice as long at the 99th percentile (bench/load.py on
    PostgreSQL with an idle-class spinner: p99 152 and 179 ms free to move, 78 and 66 ms held on one
    core; docs/workbench.md; why, not measured). The job processes of several server processes share
    that core. Elsewhere, or where that is refused, its nice value is raised by JOB_NICENESS."""
    with contextlib.suppress(OSError, AttributeError):  # not this system
        cores = os.sched_getaffinity(0)
        if len(cores) > 1:
            os.sched_setaffinity(0, {max(cores)})
    idle = getattr(os, "SCHED_IDLE", None)
    if idle is not None:
        try:
            os.sched_setscheduler(0, idle, os.sched_param(0))
            return
        except OSError:
            pass
    with contextlib.suppress(OSError, AttributeError):  # not permitted, or not this system
        os.nice(JOB_NICENESS)


def serve(pipe: Connection, in_flight: Path | None = None, longest_wait: float = LONGEST_WAIT) -> None:
    """The job process: run each work sent, answer with its result or what stopped it; end when
    told to stop or when the server's end of the pipe closes. At each step the work waits while
    requests of the server's processes sharing ``in_flight`` are answered (at most ``longest_wait``
    seconds a step)."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core for the job: the requests keep the other
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    give_way()
    quiet = Quiet(in_flight, longest_wait) if in_flight is not None else None
    while True:
        try:
            kind, *rest = pipe.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        except Exception as error:  # a work whose function cannot be imported here
            kind, rest = "unreadable", [error, traceback.format_exc()]
        if kind == "stop":
            return
        if kind == "unreadable":
            _answer(pipe, ("failed", (type(rest[0]).__name__, rest[1])))
            continue
        if kind != "run":  # a cancel that came after its job had finished
            continue
        function, args = rest
        reporter = _Reporter(pipe, quiet)
        try:
            answer: tuple[str, Any] = ("done", plain(function(*args, reporter)))
        except Cancelled as stopped:
            answer = ("cancelled", str(stopped))
        except AccordError as error:
            answer = ("refused", f"{type(error).__name__}: {error}")
        except Exception as error:
            answer = ("failed", (type(error).__name__, traceback.format_exc()))
        with contextlib.suppress(OSError, ValueError):  # the server gone: found by the answer below
            reporter.flush()
        if not _answer(pipe, answer):
            return


def _answer(pipe: Connection, answer: tuple[str, Any]) -> bool:
    """Send ``answer`` to the server; False when the server has gone."""
    try:
        pipe.send(answer)
    except (OSError, ValueError):
        return False
    return True


def plain(result: Any) -> Any:
    """A job's result as plain JSON, ready for the table (NumPy's numbers and arrays as Python's)."""

    def convert(value: Any) -> Any:
        if hasattr(value, "tolist"):  # a NumPy scalar or array
            return value.tolist()
        raise TypeError(f"a job's result holds a {type(value).__name__}, which is not JSON")

    return json.loads(json.dumps(result, default=convert))
