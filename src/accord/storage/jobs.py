"""Jobs kept in the database (accord.web.jobs runs them), so every server process of one database
reads the same jobs: `accord serve --workers N` polls a job on whichever worker answers.

The process that starts a job runs it and writes its progress here; any process reads it, asks it to
stop (``cancel_asked``, which the runner reads between its steps) and reads its result. A seat (a user
at a negotiation) has at most one job queued or running: the unique ``busy_seat`` column says so on
SQLite and PostgreSQL alike, so two processes cannot both start one. A job whose process stopped
beating (it ended, or the server restarted) is failed when next read. Not part of the record: no audit
entry, no revision, not in the state digest.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from accord.errors import NotFoundError, SeatBusy
from accord.storage.database import Database
from accord.storage.tables import jobs
from accord.storage.unit_of_work import session_keeping

RESTARTED = "the server stopped while it ran (restarted, or its process ended): start it again"


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


UNFINISHED = (JobState.QUEUED.value, JobState.RUNNING.value)
FINISHED = frozenset({JobState.DONE, JobState.FAILED, JobState.CANCELLED})


@dataclass(frozen=True)
class Job:
    """One piece of long work as last written: whose it is, how far it got, and what came of it."""

    key: str
    kind: str  # what it does, in words: "robustness"
    owner: str  # the user who started it
    negotiation: str
    title: str  # what was asked, in words
    total: int  # units of work (samples, re-solves...) when done
    state: JobState
    done: int
    words: str
    error: str | None
    result: Any  # JSON: what the result's page and the API need
    created: float
    started: float | None
    finished: float | None
    heartbeat: float
    cancel_asked: bool
    runner: str  # the process that runs it

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


def refusal(running: Job) -> str:
    """Why a seat may not start another job, in words."""
    return (
        f"you have a {running.kind} job {running.state.value} in {running.negotiation!r} already "
        f"({running.title}): one job at a time; wait for it to finish, or cancel it"
    )


def not_yours(key: str, negotiation: str) -> NotFoundError:
    return NotFoundError(
        f"no job {key!r} of yours in {negotiation!r}: a job is read only by who started it, and each "
        "seat keeps only its newest ones"
    )


def _seat(owner: str, negotiation: str) -> str:
    return f"{negotiation}/{owner}"


def _job(row: Any) -> Job:
    m = row._mapping
    return Job(
        key=m["key"],
        kind=m["kind"],
        owner=m["owner"],
        negotiation=m["negotiation"],
        title=m["title"],
        total=int(m["total"]),
        state=JobState(m["state"]),
        done=int(m["done"]),
        words=m["words"],
        error=m["error"],
        result=m["result"],
        created=float(m["created"]),
        started=None if m["started"] is None else float(m["started"]),
        finished=None if m["finished"] is None else float(m["finished"]),
        heartbeat=float(m["heartbeat"]),
        cancel_asked=bool(m["cancel_asked"]),
        runner=m["runner"],
    )


_SUMMARY = [c for c in jobs.c if c.name != "result"]  # a list of jobs leaves the results out


class StoredJobs:
    """The jobs table: one short transaction per call. ``stale``: seconds without a heartbeat after
    which an unfinished job's process is taken to have stopped."""

    def __init__(self, database: Database, *, stale: float) -> None:
        self.database = database
        self.stale = stale

    # -- reading (any process) ------------------------------------------------------------------------

    def get(self, owner: str, negotiation: str, key: str, *, with_result: bool = False) -> Job:
        """The seat's job ``key`` (its result only ``with_result``: a poll needs none); another seat's
        answers like one that does not exist."""
        self._fail_stale()
        columns = [jobs] if with_result else [*_SUMMARY, sa.null().label("result")]
        with session_keeping(self.database) as kept:
            row = kept.connection.execute(
                sa.select(*columns).where(
                    jobs.c.key == key, jobs.c.owner == owner, jobs.c.negotiation == negotiation
                )
            ).first()
        if row is None:
            raise not_yours(key, negotiation)
        return _job(row)

    def of(self, owner: str, negotiation: str, kind: str | None = None) -> list[Job]:
        """The seat's jobs, newest first, without their results (``kind``: of that kind only)."""
        self._fail_stale()
        query = sa.select(*_SUMMARY, sa.null().label("result")).where(
            jobs.c.owner == owner, jobs.c.negotiation == negotiation
        )
        if kind is not None:
            query = query.where(jobs.c.kind == kind)
        with session_keeping(self.database) as kept:
            rows = kept.connection.execute(query.order_by(jobs.c.created.desc(), jobs.c.key))
            return [_job(r) for r in rows]

    def unfinished(self, owner: str, negotiation: str) -> Job | None:
        """The seat's job queued or running, if any."""
        self._fail_stale()
        with session_keeping(self.database) as kept:
            row = kept.connection.execute(
                sa.select(*_SUMMARY, sa.null().label("result")).where(
                    jobs.c.busy_seat == _seat(owner, negotiation)
                )
            ).first()
        return None if row is None else _job(row)

    def cancel_asked(self, key: str) -> bool:
        with session_keeping(self.database) as kept:
            asked = kept.connection.execute(sa.select(jobs.c.cancel_asked).where(jobs.c.key == key)).scalar()
        return asked is None or bool(asked)  # a job gone from the table stops too

    # -- writing ----------------------------------------------------------------------------------------

    def add(
        self,
        *,
        key: str,
        kind: str,
        owner: str,
        negotiation: str,
        title: str,
        total: int,
        runner: str,
        keep: int,
    ) -> Job:
        """A new queued job of the seat; refused (SeatBusy) while the seat has one unfinished, in any
        process. Forgets the seat's finished jobs beyond the ``keep`` newest."""
        self._fail_stale()
        now = time.time()
        row = {
            "key": key,
            "kind": kind,
            "owner": owner,
            "negotiation": negotiation,
            "title": title,
            "state": JobState.QUEUED.value,
            "done": 0,
            "total": total,
            "words": "waiting for a free job thread",
            "error": None,
            "result": None,
            "created": now,
            "started": None,
            "finished": None,
            "heartbeat": now,
            "cancel_asked": False,
            "runner": runner,
            "busy_seat": _seat(owner, negotiation),
        }
        try:
            with session_keeping(self.database) as kept:
                kept.connection.execute(sa.insert(jobs), row)
                finished = kept.connection.execute(
                    sa.select(jobs.c.key)
                    .where(
                        jobs.c.owner == owner,
                        jobs.c.negotiation == negotiation,
                        jobs.c.state.not_in(UNFINISHED),
                    )
                    .order_by(jobs.c.created.desc(), jobs.c.key)
                ).scalars()
                old = list(finished)[keep:]
                if old:
                    kept.connection.execute(sa.delete(jobs).where(jobs.c.key.in_(old)))
        except sa.exc.IntegrityError:
            running = self.unfinished(owner, negotiation)
            if running is None:  # it finished in between: say so plainly, the seat may try again
                raise SeatBusy("your other job was just finishing: start this one again") from None
            raise SeatBusy(refusal(running)) from None
        return self.get(owner, negotiation, key)

    def begin(self, key: str) -> bool:
        """The runner takes a queued job: False when it was cancelled (or failed) meanwhile."""
        now = time.time()
        with session_keeping(self.database) as kept:
            taken = kept.connection.execute(
                sa.update(jobs)
                .where(jobs.c.key == key, jobs.c.state == JobState.QUEUED.value)
                .values(state=JobState.RUNNING.value, started=now, heartbeat=now, words="started")
            ).rowcount
        return bool(taken)

    def progress(self, key: str, done: int, words: str) -> None:
        with session_keeping(self.database) as kept:
            kept.connection.execute(
                sa.update(jobs)
                .where(jobs.c.key == key, jobs.c.state == JobState.RUNNING.value)
                .values(done=done, words=words, heartbeat=time.time())
            )

    def beat(self, keys: Sequence[str]) -> None:
        """The runner's process is alive: its unfinished jobs are not stale."""
        if not keys:
            return
        with session_keeping(self.database) as kept:
            kept.connection.execute(
                sa.update(jobs)
                .where(jobs.c.key.in_(list(keys)), jobs.c.state.in_(UNFINISHED))
                .values(heartbeat=time.time())
            )

    def finish(
        self,
        key: str,
        state: JobState,
        words: str,
        *,
        result: Any = None,
        error: str | None = None,
        done: int | None = None,
    ) -> None:
        """The job ends: done (with its result), failed or cancelled; the seat is free again."""
        values: dict[str, Any] = {
            "state": state.value,
            "words": words,
            "result": result if state is JobState.DONE else None,
            "error": error,
            "finished": time.time(),
            "busy_seat": None,
        }
        if done is not None:
            values["done"] = done
        with session_keeping(self.database) as kept:
            kept.connection.execute(
                sa.update(jobs).where(jobs.c.key == key, jobs.c.state.in_(UNFINISHED)).values(**values)
            )

    def ask_to_cancel(self, key: str) -> None:
        """A queued job never starts (cancelled now); a running one is told to stop at its next step."""
        with session_keeping(self.database) as kept:
            kept.connection.execute(
                sa.update(jobs)
                .where(jobs.c.key == key, jobs.c.state == JobState.QUEUED.value)
                .values(
                    state=JobState.CANCELLED.value,
                    words="cancelled before it started",
                    finished=time.time(),
                    busy_seat=None,
                    cancel_asked=True,
                )
            )
            kept.connection.execute(
                sa.update(jobs)
                .where(jobs.c.key == key, jobs.c.state == JobState.RUNNING.value)
                .values(cancel_asked=True, words="cancelling: stopping at the next step")
            )

    def _fail_stale(self) -> None:
        """Unfinished jobs whose process has not beaten for ``stale`` seconds failed with it."""
        now = time.time()
        stale = sa.and_(jobs.c.state.in_(UNFINISHED), jobs.c.heartbeat < now - self.stale)
        with session_keeping(self.database) as kept:
            if kept.connection.execute(sa.select(jobs.c.key).where(stale).limit(1)).first() is None:
                return  # the usual case: a read, no write
            kept.connection.execute(
                sa.update(jobs)
                .where(stale)
                .values(
                    state=JobState.FAILED.value,
                    words=RESTARTED,
                    error=RESTARTED,
                    finished=now,
                    busy_seat=None,
                )
            )
