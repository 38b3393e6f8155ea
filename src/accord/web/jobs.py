"""Long work off the request: a job runs on a job thread, reports its progress, and can be cancelled.

A job belongs to one seat: the user who started it, at one negotiation. Only that user reads it, its
progress and its result (anyone else is told that no such job of theirs exists), and a seat runs one
job at a time. The jobs of the whole process share JOB_THREADS threads (accord.web.capacity), apart
from the request threads and the analysis threads, so a job of minutes never holds up anyone's page;
jobs beyond them wait their turn, queued.

Jobs and their results live in the memory of the process that runs them, for as long as it runs:
a restart forgets them, and with `accord serve --workers N` a job is known only to the process that
started it (docs/workbench.md, "Long work"). Each seat keeps its KEEP_FINISHED newest finished jobs.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from accord.errors import AccordError, Cancelled, DomainError, NotFoundError

LOG = logging.getLogger(__name__)
KEEP_FINISHED = 10  # finished jobs kept per seat (the oldest forgotten first)


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = frozenset({JobState.DONE, JobState.FAILED, JobState.CANCELLED})


@dataclass
class Job:
    """One piece of long work: whose it is, how far it got, and what came of it."""

    key: str
    kind: str  # what it does, in words: "robustness"
    owner: str  # the user who started it
    negotiation: str
    title: str  # what was asked, in words
    total: int  # units of work (samples, re-solves...) when done
    state: JobState = JobState.QUEUED
    done: int = 0
    words: str = "waiting for a free job thread"
    result: Any = None
    error: str | None = None
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    cancel_asked: threading.Event = field(default_factory=threading.Event)

    @property
    def fraction(self) -> float:
        if self.state is JobState.DONE:
            return 1.0
        return min(1.0, self.done / self.total) if self.total else 0.0

    @property
    def finished_state(self) -> bool:
        return self.state in FINISHED

    @property
    def when(self) -> str:
        """When it was started, in UTC."""
        return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(self.created))

    @property
    def seconds(self) -> float | None:
        """How long it ran (so far)."""
        if self.started is None:
            return None
        return (self.finished or time.time()) - self.started


class Progress:
    """What a job's work is handed: it reports units done and what it is doing, and asks whether to
    stop (between its steps: it raises accord.errors.Cancelled when told to)."""

    def __init__(self, job: Job, lock: threading.Lock) -> None:
        self._job = job
        self._lock = lock

    def advance(self, units: int) -> None:
        with self._lock:
            self._job.done += units

    def say(self, words: str) -> None:
        with self._lock:
            self._job.words = words

    def cancelled(self) -> bool:
        return self._job.cancel_asked.is_set()


Work = Callable[[Progress], Any]


def refusal(running: Job) -> str:
    """Why a seat may not start another job, in words."""
    return (
        f"you have a {running.kind} job {running.state.value} in {running.negotiation!r} already "
        f"({running.title}): one job at a time; wait for it to finish, or cancel it"
    )


class Jobs:
    """The jobs of one process: started, looked up by their owner, cancelled, run on ``threads``."""

    def __init__(self, threads: int = 1, keep: int = KEEP_FINISHED) -> None:
        if threads < 1:
            raise ValueError(f"a job runner needs at least 1 thread, got {threads}")
        self._threads = threads
        self._keep = keep
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._work: dict[str, Work] = {}
        self._queue: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._workers: list[threading.Thread] = []

    def start(
        self,
        *,
        kind: str,
        owner: str,
        negotiation: str,
        title: str,
        total: int,
        work: Work,
        key: str | None = None,
    ) -> Job:
        """Queue ``work`` as the seat's job; refused (DomainError) while the seat has one unfinished.
        ``key``: the job's id (None: a random one, which names nothing)."""
        with self._lock:
            running = self._unfinished(owner, negotiation)
            if running is not None:
                raise DomainError(refusal(running))
            job = Job(key or secrets.token_hex(8), kind, owner, negotiation, title, total)
            if job.key in self._jobs:
                raise ValueError(f"a job {job.key!r} exists already")
            self._jobs[job.key] = job
            self._work[job.key] = work
            self._forget_old(owner, negotiation)
            if len(self._workers) < self._threads:
                worker = threading.Thread(target=self._serve, name="accord-job", daemon=True)
                self._workers.append(worker)
                worker.start()
        self._queue.put(job.key)
        return job

    def get(self, owner: str, negotiation: str, key: str) -> Job:
        """The job ``key`` of this seat; another seat's answers like one that does not exist."""
        with self._lock:
            job = self._jobs.get(key)
        if job is None or job.owner != owner or job.negotiation != negotiation:
            raise NotFoundError(
                f"no job {key!r} of yours in {negotiation!r}: a job is read only by who started it, "
                "and is forgotten when the workbench restarts"
            )
        return job

    def unfinished(self, owner: str, negotiation: str) -> Job | None:
        """The seat's job queued or running, if any (a seat runs one at a time)."""
        with self._lock:
            return self._unfinished(owner, negotiation)

    def of(self, owner: str, negotiation: str) -> list[Job]:
        """The seat's jobs, newest first."""
        with self._lock:
            return self._of(owner, negotiation)

    def cancel(self, job: Job) -> None:
        """Ask the job to stop: a queued job never starts; a running one stops at its next step."""
        job.cancel_asked.set()
        with self._lock:
            if job.state is JobState.QUEUED:
                self._finish(job, JobState.CANCELLED, "cancelled before it started")
            elif job.state is JobState.RUNNING:
                job.words = "cancelling: stopping at the next step"

    def close(self) -> None:
        """Cancel every unfinished job and let the threads end (the app shuts down)."""
        with self._lock:
            unfinished = [j for j in self._jobs.values() if not j.finished_state]
            workers = len(self._workers)
        for job in unfinished:
            self.cancel(job)
        for _ in range(workers):
            self._queue.put(None)

    # -- on a job thread ------------------------------------------------------------------------------

    def _serve(self) -> None:
        while True:
            key = self._queue.get()
            if key is None:
                return
            with self._lock:
                job = self._jobs.get(key)
                work = self._work.pop(key, None)
                if job is None or work is None or job.state is not JobState.QUEUED:
                    continue  # cancelled while queued, or forgotten
                job.state = JobState.RUNNING
                job.started = time.time()
                job.words = "started"
            self._run(job, work)

    def _run(self, job: Job, work: Work) -> None:
        try:
            result = work(Progress(job, self._lock))
        except Cancelled as stopped:
            with self._lock:
                self._finish(job, JobState.CANCELLED, str(stopped))
        except AccordError as error:  # the work's own words: a draft not found, no candidate...
            with self._lock:
                self._finish(job, JobState.FAILED, f"{type(error).__name__}: {error}")
        except Exception as error:  # a bug: said on the page, and logged with its traceback
            LOG.exception("job %s (%s) failed", job.key, job.kind)
            with self._lock:
                self._finish(job, JobState.FAILED, f"an internal error ({type(error).__name__}); see the log")
        else:
            with self._lock:
                job.result = result
                self._finish(job, JobState.DONE, "done")

    # -- under the lock -------------------------------------------------------------------------------

    def _unfinished(self, owner: str, negotiation: str) -> Job | None:
        return next((j for j in self._of(owner, negotiation) if not j.finished_state), None)

    def _of(self, owner: str, negotiation: str) -> list[Job]:
        found = [j for j in self._jobs.values() if j.owner == owner and j.negotiation == negotiation]
        return sorted(found, key=lambda j: j.created, reverse=True)

    def _finish(self, job: Job, state: JobState, words: str) -> None:
        job.state = state
        job.words = words
        job.finished = time.time()
        if state is not JobState.DONE:
            job.error = words if state is JobState.FAILED else None
            job.result = None
        self._work.pop(job.key, None)

    def _forget_old(self, owner: str, negotiation: str) -> None:
        finished = [j for j in self._of(owner, negotiation) if j.finished_state]
        for old in finished[self._keep :]:
            del self._jobs[old.key]
