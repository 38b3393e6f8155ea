"""The job process (accord.web.job_process): a job's analysis runs in a process of its own, relays its
progress, stops when cancelled, and a refusal, a bug or a dead process fails only its job, in words."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import numpy as np

from accord.errors import Cancelled, DomainError
from accord.web.capacity import JOB_NICENESS
from accord.web.job_process import SEND_EVERY, Steps, _Reporter
from accord.web.jobs import Apart, Job, Jobs, JobState
from tests.web.conftest import Workbench

# -- the works, importable by name as the job process needs them ---------------------------------------


def where_and_how(count: int, progress: Steps) -> dict[str, object]:
    for _ in range(count):
        progress.advance(1)
    progress.say("counted")
    policy = os.sched_getscheduler(0) if hasattr(os, "sched_getscheduler") else None
    return {
        "pid": os.getpid(),
        "nice": os.nice(0),
        "policy": policy,
        "numbers": np.arange(3),
        "done": progress.done,
        "cores": sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
    }


def until_cancelled(marker: str, progress: Steps) -> None:
    with open(marker, "w") as started:
        started.write(str(os.getpid()))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        progress.advance(1)
        if progress.cancelled():
            raise Cancelled(f"cancelled after {progress.done} steps")
        time.sleep(0.01)
    raise AssertionError("never cancelled")


def refusing(progress: Steps) -> None:
    raise DomainError("no candidate package: give a draft")


def buggy(progress: Steps) -> None:
    raise KeyError("a bug")


def dying(marker: str, progress: Steps) -> None:
    with open(marker, "w") as started:
        started.write(str(os.getpid()))
    time.sleep(30)


def finished(jobs: Jobs, key: str, seconds: float = 60) -> Job:
    deadline = time.monotonic() + seconds
    job = jobs.get("ann", "n", key)
    while not job.finished_state and time.monotonic() < deadline:
        time.sleep(0.02)
        job = jobs.get("ann", "n", key)
    return job


def started(marker: str, seconds: float = 60) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = Path(marker).read_text() if os.path.exists(marker) else ""
        if text:
            return int(text)
        time.sleep(0.02)
    raise AssertionError("the work never started")


def start(jobs: Jobs, work: Apart) -> Job:
    return jobs.start(kind="k", owner="ann", negotiation="n", title="t", total=5, work=work)


# -- the tests --------------------------------------------------------------------------------------------


def test_the_work_runs_in_another_process_at_a_lower_priority_and_its_progress_is_relayed(
    bench: Workbench,
) -> None:
    jobs = Jobs(bench.database, threads=1)
    try:
        job = finished(jobs, start(jobs, Apart(where_and_how, (5,))).key)
        assert job.state is JobState.DONE and job.done == 5 and job.words == "done"
        _, result = jobs.result("ann", "n", job.key)
        assert result["pid"] != os.getpid()
        if hasattr(os, "SCHED_IDLE"):  # Linux: the job runs only when no request wants the core
            assert result["policy"] == os.SCHED_IDLE and os.sched_getscheduler(0) != os.SCHED_IDLE
        else:
            assert result["nice"] == min(19, os.nice(0) + JOB_NICENESS)
        assert result["numbers"] == [0, 1, 2] and result["done"] == 5  # plain JSON
        if hasattr(os, "sched_getaffinity"):  # Linux: on one core, the last the server may use
            ours = os.sched_getaffinity(0)
            assert result["cores"] == ([max(ours)] if len(ours) > 1 else sorted(ours)) and len(ours) >= 1
        # the process is kept for the next job
        again = finished(jobs, start(jobs, Apart(where_and_how, (1,))).key)
        assert jobs.result("ann", "n", again.key)[1]["pid"] == result["pid"]
    finally:
        jobs.close()


def test_a_cancel_reaches_the_job_process(bench: Workbench, tmp_path: object) -> None:
    jobs = Jobs(bench.database, threads=1, every=0.05)
    marker = os.path.join(str(tmp_path), "started")
    try:
        job = start(jobs, Apart(until_cancelled, (marker,)))
        started(marker)
        jobs.cancel(job)
        job = finished(jobs, job.key)
        assert job.state is JobState.CANCELLED and job.words.startswith("cancelled after")
        assert job.done > 0
    finally:
        jobs.close()


def test_a_refusal_and_a_bug_fail_their_job_in_words(bench: Workbench) -> None:
    jobs = Jobs(bench.database, threads=1)
    try:
        refused = finished(jobs, start(jobs, Apart(refusing)).key)
        assert refused.state is JobState.FAILED
        assert refused.error == "DomainError: no candidate package: give a draft"
        bug = finished(jobs, start(jobs, Apart(buggy)).key)
        assert bug.state is JobState.FAILED and bug.error == "an internal error (KeyError); see the log"
        assert jobs.unfinished("ann", "n") is None
    finally:
        jobs.close()


def test_a_job_process_that_dies_fails_its_job_and_the_next_job_gets_a_new_one(
    bench: Workbench, tmp_path: object
) -> None:
    jobs = Jobs(bench.database, threads=1)
    marker = os.path.join(str(tmp_path), "started")
    try:
        job = start(jobs, Apart(dying, (marker,)))
        os.kill(started(marker), signal.SIGKILL)
        job = finished(jobs, job.key)
        assert job.state is JobState.FAILED and job.words == "the job's process stopped while it ran"
        after = finished(jobs, start(jobs, Apart(where_and_how, (2,))).key)
        assert after.state is JobState.DONE and jobs.result("ann", "n", after.key)[1]["done"] == 2
    finally:
        jobs.close()


def test_closing_stops_the_job_process(bench: Workbench) -> None:
    jobs = Jobs(bench.database, threads=1)
    job = finished(jobs, start(jobs, Apart(where_and_how, (1,))).key)
    pid = jobs.result("ann", "n", job.key)[1]["pid"]
    jobs.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the job process outlived the app")


def test_the_job_process_sends_its_steps_together_and_the_last_before_its_answer() -> None:
    ours, theirs = multiprocessing.Pipe()
    reporter = _Reporter(theirs)
    began = time.monotonic()
    for step in range(20_000):  # as a robustness run reports its re-solves, only faster
        reporter.advance(1)
        reporter.say(f"step {step + 1}")
    reporter.flush()
    elapsed = time.monotonic() - began
    messages = []
    while ours.poll():
        messages.append(ours.recv())
    assert sum(value for kind, value in messages if kind == "advance") == 20_000 == reporter.done
    assert [value for kind, value in messages if kind == "say"][-1] == "step 20000"
    assert messages[0] == ("advance", 1)  # the first step at once
    # a pair of messages at most every SEND_EVERY seconds, and the last pair
    assert len(messages) <= 2 * (elapsed / SEND_EVERY + 2)
