"""Long work off the request: a job runs on a job thread, reports its progress, and can be cancelled.

A job belongs to one seat: the user who started it, at one negotiation. Only that user reads it, its
progress and its result (anyone else is told that no such job of theirs exists), and a seat runs one
job at a time. The jobs of the whole process share JOB_THREADS threads (accord.web.capacity), apart
from the request threads and the analysis threads, so a job of minutes never holds up anyone's page;
jobs beyond them wait their turn, queued. The analyses themselves (robustness, estimates) run in the
job process (accord.web.job_process), so they never hold the requests' interpreter lock; the job thread
relays their progress.

Jobs live in the database (accord.storage.jobs): the process that starts a job runs it and writes its
progress there (at most PROGRESS_EVERY seconds apart) and beats every BEAT seconds; every process of
the database reads it, cancels it and reads its result, so `accord serve --workers N` answers a poll
on any worker. A job whose process stopped beating for STALE seconds (a restart, a crash) is failed
"the server stopped while it ran" when next read. Each seat keeps its KEEP_FINISHED newest finished
jobs. A job's work returns its result as JSON (what its page and the API need).
"""

from __future__ import annotations

import logging
import os
import queue
import secrets
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from accord.errors import AccordError, Cancelled, NotFoundError
from accord.storage.database import Database
from accord.storage.jobs import FINISHED, Job, JobState, StoredJobs, not_yours, refusal
from accord.web.job_process import Apart, JobCrashed, JobProcess, JobRefused, plain

__all__ = [
    "BEAT",
    "FINISHED",
    "KEEP_FINISHED",
    "PROGRESS_EVERY",
    "STALE",
    "Apart",
    "Job",
    "JobState",
    "Jobs",
    "Progress",
    "Work",
    "jobs_of",
    "plain",
    "refusal",
]

LOG = logging.getLogger(__name__)
KEEP_FINISHED = 10  # finished jobs kept per seat (the oldest forgotten first)
PROGRESS_EVERY = 0.25  # seconds between two writes of a job's progress (and reads of a cancel)
BEAT = 5.0  # seconds between two heartbeats of a process's unfinished jobs
STALE = 30.0  # seconds without a heartbeat after which a job's process is taken to have stopped


class Progress:
    """What a job's work is handed: it reports units done and what it is doing, and asks whether to
    stop (between its steps: it raises accord.errors.Cancelled when told to). Writes to the table at
    most every PROGRESS_EVERY seconds; the last word is always written when the job ends."""

    def __init__(self, store: StoredJobs, key: str, every: float = PROGRESS_EVERY) -> None:
        self._store = store
        self._key = key
        self._every = every
        self._lock = threading.Lock()
        self.done = 0
        self.words = "started"
        self._written = 0.0
        self._checked = 0.0
        self._cancelled = False

    def advance(self, units: int) -> None:
        with self._lock:
            self.done += units
        self._write()

    def say(self, words: str) -> None:
        with self._lock:
            self.words = words
        self._write()

    def cancelled(self) -> bool:
        now = time.monotonic()
        if not self._cancelled and now - self._checked >= self._every:
            self._checked = now
            self._cancelled = self._store.cancel_asked(self._key)
        return self._cancelled

    def _write(self) -> None:
        now = time.monotonic()
        if now - self._written < self._every:
            return
        self._written = now
        with self._lock:
            done, words = self.done, self.words
        self._store.progress(self._key, done, words)


Work = Callable[[Progress], Any] | Apart
"""A job's work: a function of its progress, run on the job thread (light work, or work that releases
the interpreter lock), or Apart: work for the job process (accord.web.job_process), which never
holds the requests' lock: the analyses of seconds to minutes."""


def jobs_of(request: Any) -> Jobs:
    """The app's jobs (accord.web.app wires them)."""
    found: Jobs = request.app.state.jobs
    return found


def _process_name() -> str:
    return f"{socket.gethostname()[:100]}:{os.getpid()}:{secrets.token_hex(4)}"


class Jobs:
    """The jobs of one database as this process sees them: started here (and run on ``threads``),
    looked up by their owner, cancelled, read from any process."""

    def __init__(
        self,
        database: Database,
        threads: int = 1,
        keep: int = KEEP_FINISHED,
        *,
        beat: float = BEAT,
        stale: float = STALE,
        every: float = PROGRESS_EVERY,
        in_flight: Path | None = None,
    ) -> None:
        """``in_flight``: the directory of the server's counts of requests in flight: work apart
        (Apart) waits at each step while any request is answered (accord.web.requests_in_flight)."""
        if threads < 1:
            raise ValueError(f"a job runner needs at least 1 thread, got {threads}")
        self.store = StoredJobs(database, stale=stale)
        self.process = _process_name()
        self._threads = threads
        self._keep = keep
        self._beat = beat
        self._every = every
        self._lock = threading.Lock()
        self._work: dict[str, Work] = {}
        self._mine: set[str] = set()  # this process's unfinished jobs
        self._queue: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._workers: list[threading.Thread] = []
        self._closed = threading.Event()
        self._beater: threading.Thread | None = None
        self._apart = JobProcess(in_flight)

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
        """Queue ``work`` as the seat's job; refused (SeatBusy) while the seat has one unfinished, in
        any process. ``key``: the job's id (None: a random one, which names nothing)."""
        key = key or secrets.token_hex(8)
        job = self.store.add(
            key=key,
            kind=kind,
            owner=owner,
            negotiation=negotiation,
            title=title,
            total=total,
            runner=self.process,
            keep=self._keep,
        )
        with self._lock:
            self._work[key] = work
            self._mine.add(key)
            if len(self._workers) < self._threads:
                worker = threading.Thread(target=self._serve, name="accord-job", daemon=True)
                self._workers.append(worker)
                worker.start()
            if self._beater is None:
                self._beater = threading.Thread(target=self._beating, name="accord-job-beat", daemon=True)
                self._beater.start()
        self._queue.put(key)
        return job

    def get(self, owner: str, negotiation: str, key: str) -> Job:
        """The job ``key`` of this seat; another seat's answers like one that does not exist."""
        return self.store.get(owner, negotiation, key)

    def unfinished(self, owner: str, negotiation: str) -> Job | None:
        """The seat's job queued or running, if any (a seat runs one at a time)."""
        return self.store.unfinished(owner, negotiation)

    def of(self, owner: str, negotiation: str, kind: str | None = None) -> list[Job]:
        """The seat's jobs, newest first (without their results)."""
        return self.store.of(owner, negotiation, kind)

    def cancel(self, job: Job) -> None:
        """Ask the job to stop: a queued job never starts; a running one stops at its next step (on
        whichever process runs it)."""
        self.store.ask_to_cancel(job.key)

    def result(self, owner: str, negotiation: str, key: str, kind: str | None = None) -> tuple[Job, Any]:
        """The seat's finished job and its result; NotFoundError when it has none (yet)."""
        found = self.store.get(owner, negotiation, key, with_result=True)
        if kind is not None and found.kind != kind:
            raise not_yours(key, negotiation)
        if found.state is not JobState.DONE or found.result is None:
            raise NotFoundError(
                f"job {key!r} has no result: it is {found.state.value} ({found.words}); "
                "its page says how far it got"
            )
        return found, found.result

    def close(self) -> None:
        """Cancel this process's unfinished jobs and let the threads end (the app shuts down)."""
        self._closed.set()
        with self._lock:
            mine = list(self._mine)
            workers = len(self._workers)
        for key in mine:
            try:
                self.store.ask_to_cancel(key)
            except AccordError:  # the database went first: the jobs go stale and fail when read
                LOG.warning("could not cancel job %s on shutting down", key)
        for _ in range(workers):
            self._queue.put(None)
        self._apart.close()

    # -- on a job thread ------------------------------------------------------------------------------

    def _serve(self) -> None:
        while True:
            key = self._queue.get()
            if key is None:
                return
            with self._lock:
                work = self._work.pop(key, None)
            try:
                if work is not None and self.store.begin(key):
                    self._run(key, work)
            except Exception:  # the database failed us: the job goes stale and fails when read
                LOG.exception("job %s could not be run", key)
            finally:
                with self._lock:
                    self._mine.discard(key)

    def _run(self, key: str, work: Work) -> None:
        progress = Progress(self.store, key, self._every)
        try:
            result = self._apart.run(work, progress) if isinstance(work, Apart) else work(progress)
        except Cancelled as stopped:
            self.store.finish(key, JobState.CANCELLED, str(stopped), done=progress.done)
        except JobRefused as refused:  # accord's own words, from the job process
            said = str(refused)
            self.store.finish(key, JobState.FAILED, said, error=said, done=progress.done)
        except JobCrashed as crashed:  # logged with its traceback by the job process's keeper
            self.store.finish(key, JobState.FAILED, crashed.words, error=crashed.words, done=progress.done)
        except AccordError as error:  # the work's own words: a draft not found, no candidate...
            said = f"{type(error).__name__}: {error}"
            self.store.finish(key, JobState.FAILED, said, error=said, done=progress.done)
        except Exception as error:  # a bug: said on the page, and logged with its traceback
            LOG.exception("job %s failed", key)
            said = f"an internal error ({type(error).__name__}); see the log"
            self.store.finish(key, JobState.FAILED, said, error=said, done=progress.done)
        else:
            self.store.finish(key, JobState.DONE, "done", result=plain(result), done=progress.done)

    def _beating(self) -> None:
        """Every ``beat`` seconds: this process's unfinished jobs are alive."""
        while not self._closed.wait(self._beat):
            with self._lock:
                mine = list(self._mine)
            try:
                self.store.beat(mine)
            except Exception:  # a database hiccup: the next beat tries again
                LOG.warning("could not beat for %d job(s)", len(mine), exc_info=True)
