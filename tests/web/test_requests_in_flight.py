"""Requests in flight (accord.web.requests_in_flight): each server process counts the requests it is
answering where a job's process sees them, and a job's work waits at each step while any is."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

from accord.web.job_process import Apart, JobProcess
from accord.web.requests_in_flight import InFlight, Quiet, Serving
from tests.web.conftest import Workbench
from tests.web.test_job_process import where_and_how


class Counted:
    """A stand-in for a job's progress (accord.web.job_process.Steps)."""

    def __init__(self) -> None:
        self.done = 0
        self.words = ""

    def advance(self, units: int) -> None:
        self.done += units

    def say(self, words: str) -> None:
        self.words = words

    def cancelled(self) -> bool:
        return False


def test_a_process_s_count_is_seen_by_a_job_s_process_while_it_is_above_zero(tmp_path: Path) -> None:
    quiet = Quiet(tmp_path)
    assert not quiet.busy()
    serving = Serving(tmp_path)
    serving.enter()
    serving.enter()
    quiet._looked = -10.0  # a file made since the last look: seen at the next look of the directory
    assert quiet.busy()
    serving.leave()
    assert quiet.busy()  # one request still answered
    serving.leave()
    assert not quiet.busy()
    serving.leave()  # never below zero
    assert serving.count == 0 and not quiet.busy()
    serving.close()
    assert list(tmp_path.iterdir()) == []


def test_a_count_left_by_a_process_that_has_gone_holds_no_job_back(tmp_path: Path) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    (tmp_path / f"{int(gone.stdout)}-0000").write_bytes((3).to_bytes(8, "little"))
    (tmp_path / "not-a-process").write_bytes((3).to_bytes(8, "little"))
    assert not Quiet(tmp_path).busy()


def test_a_job_waits_until_the_requests_are_answered_and_at_most_its_longest_wait(tmp_path: Path) -> None:
    serving = Serving(tmp_path)
    serving.enter()
    quiet = Quiet(tmp_path, longest_wait=5.0)
    threading.Timer(0.2, serving.leave).start()
    began = time.monotonic()
    quiet.wait()
    took = time.monotonic() - began
    assert 0.2 <= took < 5.0 and not quiet.busy()
    assert abs(quiet.waited - took) < 0.05
    serving.enter()  # a count that never comes down: a step waits the longest wait, no more
    stuck = Quiet(tmp_path, longest_wait=0.1)
    began = time.monotonic()
    stuck.wait()
    assert 0.1 <= time.monotonic() - began < 5.0
    serving.close()


def test_each_request_is_counted_until_its_answer_s_last_part_is_handed_over(tmp_path: Path) -> None:
    serving = Serving(tmp_path)
    quiet = Quiet(tmp_path)
    seen: list[tuple[str, bool]] = []

    async def answer(request: Request) -> JSONResponse:
        seen.append(("answer", quiet.busy()))
        return JSONResponse({"count": serving.count})

    async def failing(request: Request) -> JSONResponse:
        raise RuntimeError("a bug")

    async def streamed(request: Request) -> StreamingResponse:
        async def parts():  # type: ignore[no-untyped-def]
            for part in (b"a", b"b", b"c"):
                seen.append(("part", quiet.busy()))
                yield part

        return StreamingResponse(parts())

    routes = [Route("/answer", answer), Route("/failing", failing), Route("/streamed", streamed)]
    app = InFlight(Starlette(routes=routes), serving)

    async def ask() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return [await client.get(path) for path in ("/answer", "/failing", "/streamed")]

    answered, failed, streamed_answer = asyncio.run(ask())
    assert answered.json() == {"count": 1} and failed.status_code == 500 and streamed_answer.text == "abc"
    assert seen == [("answer", True), ("part", True), ("part", True), ("part", True)]
    assert serving.count == 0 and not quiet.busy()  # a failed request is not counted for ever
    serving.close()


def test_the_job_process_waits_at_each_step_while_a_request_is_answered(tmp_path: Path) -> None:
    apart = JobProcess(tmp_path, longest_wait=0.3)
    serving = Serving(tmp_path)
    serving.enter()  # its file made (at a first request) before the job process first looks
    serving.leave()
    try:
        assert apart.run(Apart(where_and_how, (1,)), Counted())["done"] == 1  # the process started
        began = time.monotonic()
        apart.run(Apart(where_and_how, (2,)), Counted())
        quick = time.monotonic() - began
        serving.enter()  # a request answered for the whole job: each of its 2 steps waits 0.3 s
        began = time.monotonic()
        progress = Counted()
        result = apart.run(Apart(where_and_how, (2,)), progress)
        held = time.monotonic() - began
        serving.leave()
        assert result["done"] == 2 == progress.done and progress.words == "counted"
        assert held >= 0.6 > quick
    finally:
        apart.close()
        serving.close()


def test_the_workbench_counts_its_requests_where_its_jobs_look(bench: Workbench) -> None:
    app = bench.client.app
    directory = app.state.jobs._apart._in_flight  # type: ignore[attr-defined]
    serving = next(m.kwargs["serving"] for m in app.user_middleware if m.cls is InFlight)  # type: ignore[attr-defined]
    assert directory is not None and serving.directory == directory
    assert bench.client.get("/login").status_code == 200
    assert serving._path is not None and serving._path.parent == directory  # made at the first request
    assert serving._path.name.startswith(f"{os.getpid()}-") and serving._path.read_bytes() == bytes(8)
    assert not Quiet(directory).busy()
