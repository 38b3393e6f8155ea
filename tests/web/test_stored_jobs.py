"""Jobs kept in the database: started on one server process, polled, read and cancelled on another
(`accord serve --workers 2`, here two app instances, each with its own engine, on one database; on
SQLite and PostgreSQL); one job per seat across processes; a job whose process stopped is failed; a
party's seat never reads, nor cancels, another seat's job or its result (page and API)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accord.errors import SeatBusy
from accord.security.policy import SeatRole
from accord.services import accounts, negotiations
from accord.services.demo import demo_password, set_up_demo
from accord.storage.database import Database, open_database
from accord.storage.jobs import RESTARTED, StoredJobs
from accord.web.app import create_app
from accord.web.jobs import Jobs, JobState, Progress
from tests.web.conftest import NAME, A, B, Workbench, api_token, log_in, plant_secrets

P = f"/n/{NAME}"
API = f"/api/negotiations/{NAME}"
SMALL = {"samples": 3000, "seed": 7, "draft": [3], "concept": ["nash"], "resolves": 4}
LARGE = {"samples": 2_000_000, "seed": 1, "draft": [3], "resolves": 0}  # minutes, unless cancelled


@dataclass
class Process:
    """One server process of the database: its own engine, its own app, its own job threads."""

    database: Database
    client: TestClient


@pytest.fixture
def two(database_url: str) -> Iterator[tuple[Process, Process]]:
    first = open_database(database_url)
    set_up_demo(first)
    plant_secrets(first)
    second = open_database(database_url)
    processes = tuple(
        Process(db, TestClient(create_app(db), follow_redirects=False)) for db in (first, second)
    )
    yield processes  # type: ignore[misc]
    for p in processes:
        p.client.app.state.jobs.close()  # type: ignore[attr-defined]
        p.client.close()
        p.database.dispose()


def bearer(client: TestClient, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(client, user)}"}


def status(client: TestClient, headers: dict[str, str], key: str) -> dict[str, Any]:
    answer = client.get(f"{API}/jobs/{key}", headers=headers)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def until_finished(client: TestClient, headers: dict[str, str], key: str, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = str(status(client, headers, key)["state"])
        if state in ("done", "failed", "cancelled"):
            return state
        time.sleep(0.05)
    raise AssertionError(f"job {key} unfinished after {seconds} s: {status(client, headers, key)}")


def test_a_job_started_on_one_process_is_polled_read_and_listed_on_another(
    two: tuple[Process, Process],
) -> None:
    a, b = two
    token = bearer(a.client, "mediator")
    started = a.client.post(f"{API}/jobs", json={"kind": "robustness", "parameters": SMALL}, headers=token)
    assert started.status_code == 202, started.text
    key = started.json()["key"]
    assert started.json()["state"] in ("queued", "running")
    assert until_finished(b.client, token, key) == "done"  # polled on the other process only
    shown = status(b.client, token, key)
    assert shown["fraction"] == 1.0 and shown["result"] == f"{API}/jobs/{key}/result"
    result = b.client.get(f"{API}/jobs/{key}/result", headers=token)
    assert result.status_code == 200
    body = result.json()["result"]  # as `accord robustness --json` prints it
    assert body["samples"] == 3000 and body["seed"] == 7 and body["resolves_per_concept"] == 4
    assert {c["name"] for c in body["candidates"]} >= {"draft v3"}
    assert [j["key"] for j in b.client.get(f"{API}/jobs", headers=token).json()] == [key]
    # the pages too, on the other process: the progress fragment, the result, its picture
    log_in(b.client, "mediator")
    fragment = b.client.get(f"{P}/jobs/{key}/progress").text
    assert 'id="job-state">done<' in fragment and f"{P}/jobs/{key}/result" in fragment
    page = b.client.get(f"{P}/jobs/{key}/result")
    assert page.status_code == 200 and "3,000 samples (seed 7)" in page.text
    assert "<td>draft 3 (D)</td>" in page.text  # the candidate in words, as the charts name it
    picture = b.client.get(f"{P}/jobs/{key}/acceptance.png")
    assert picture.status_code == 200 and picture.content.startswith(b"\x89PNG")
    assert f"{P}/jobs/{key}/result" in b.client.get(f"{P}/jobs").text
    assert f"{P}/jobs/{key}/result" in b.client.get(f"{P}/robustness").text


def test_a_job_is_cancelled_from_another_process_and_its_seat_is_busy_on_every_process(
    two: tuple[Process, Process],
) -> None:
    a, b = two
    token = bearer(a.client, "mediator")
    key = a.client.post(
        f"{API}/jobs", json={"kind": "robustness", "parameters": LARGE}, headers=token
    ).json()["key"]
    deadline = time.monotonic() + 30
    while "sampling: " not in status(b.client, token, key)["words"]:  # its progress, from the table
        assert time.monotonic() < deadline, "the run never reported its sampling"
        time.sleep(0.05)
    # one job at a time per seat, whichever process is asked
    again = b.client.post(f"{API}/jobs", json={"kind": "robustness", "parameters": SMALL}, headers=token)
    assert again.status_code == 409
    assert "one job at a time; wait for it to finish, or cancel it" in again.json()["message"]
    csrf = log_in(b.client, "mediator")
    refused = b.client.post(f"{P}/robustness", data={"samples": "1000", "draft": "3", "csrf_token": csrf})
    assert refused.status_code == 409 and "2,000,000 samples (seed 1) of draft v3" in refused.text
    cancelled = b.client.post(f"{API}/jobs/{key}/cancel", headers=token)
    assert cancelled.status_code == 200 and cancelled.json()["cancel_asked"] is True
    assert until_finished(a.client, token, key, seconds=30) == "cancelled"  # stopped on process a
    assert re.search(r"cancelled after [\d,]+ samples", status(b.client, token, key)["words"])
    missing = b.client.get(f"{API}/jobs/{key}/result", headers=token)
    assert missing.status_code == 404 and "has no result: it is cancelled" in missing.json()["message"]
    assert (
        b.client.post(
            f"{API}/jobs", json={"kind": "robustness", "parameters": SMALL}, headers=token
        ).status_code
        == 202
    )


def test_two_processes_starting_a_job_for_one_seat_at_once_start_one(database_url: str) -> None:
    """The table refuses the second, not a check-then-act in each process."""
    database = open_database(database_url)
    negotiations.initialise(database)
    stores = [StoredJobs(database, stale=30), StoredJobs(open_database(database_url), stale=30)]
    try:
        first = stores[0].add(
            key="one", kind="k", owner="ann", negotiation="n", title="first", total=1, runner="a", keep=10
        )
        with pytest.raises(SeatBusy, match=r"a k job queued in 'n' already \(first\)"):
            stores[1].add(
                key="two",
                kind="k",
                owner="ann",
                negotiation="n",
                title="second",
                total=1,
                runner="b",
                keep=10,
            )
        stores[1].add(
            key="three", kind="k", owner="bob", negotiation="n", title="t", total=1, runner="b", keep=10
        )
        stores[0].finish(first.key, JobState.DONE, "done", result={"x": 1})
        stores[1].add(
            key="two", kind="k", owner="ann", negotiation="n", title="second", total=1, runner="b", keep=10
        )
    finally:
        for s in stores:
            s.database.dispose()


def test_a_job_whose_process_stopped_is_failed_and_frees_its_seat(database_url: str) -> None:
    database = open_database(database_url)
    negotiations.initialise(database)
    # a process that started a job, then died: it never beats again
    gone = StoredJobs(database, stale=0.3)
    gone.add(
        key="lost", kind="robustness", owner="ann", negotiation="n", title="t", total=10, runner="x", keep=10
    )
    assert gone.begin("lost")
    time.sleep(0.5)
    # another process (a restart) reads it
    jobs = Jobs(database, stale=0.3)
    found = jobs.get("ann", "n", "lost")
    assert found.state is JobState.FAILED and found.error == RESTARTED and found.finished_state
    assert jobs.unfinished("ann", "n") is None
    # a job of a live process is not: it beats
    live = Jobs(database, beat=0.05, stale=0.3)
    release = threading.Event()

    def holding(progress: Progress) -> str:
        release.wait(10)
        return "held"

    job = live.start(kind="k", owner="bob", negotiation="n", title="t", total=1, work=holding)
    time.sleep(0.8)
    assert jobs.get("bob", "n", job.key).state is JobState.RUNNING
    release.set()
    deadline = time.monotonic() + 10
    while not jobs.get("bob", "n", job.key).finished_state and time.monotonic() < deadline:
        time.sleep(0.02)
    assert jobs.get("bob", "n", job.key).result is None  # a poll reads no result
    assert jobs.result("bob", "n", job.key)[1] == "held"
    live.close()
    database.dispose()


def test_a_seat_keeps_its_newest_finished_jobs(bench: Workbench) -> None:
    store = StoredJobs(bench.database, stale=30)
    for n in range(4):
        store.add(key=f"j{n}", kind="k", owner="ann", negotiation="n", title="t", total=1, runner="a", keep=2)
        store.finish(f"j{n}", JobState.DONE, "done", result={"n": n})
        time.sleep(0.01)
    store.add(key="j4", kind="k", owner="ann", negotiation="n", title="t", total=1, runner="a", keep=2)
    assert [j.key for j in store.of("ann", "n")] == ["j4", "j3", "j2"]  # the unfinished one, two finished


def test_no_other_seat_reads_or_cancels_a_job_and_its_result_by_page_or_api(bench: Workbench) -> None:
    token = bearer(bench.client, "mediator")
    key = bench.client.post(
        f"{API}/jobs", json={"kind": "estimate", "parameters": {"party": A, "samples": 300}}, headers=token
    ).json()["key"]
    assert until_finished(bench.client, token, key) == "done"
    accounts.add_user(bench.database, "comediator", "Co-mediator", demo_password("comediator"), actor="t")
    accounts.grant(bench.database, "comediator", NAME, SeatRole.MEDIATOR, None, actor="t")
    for user in ("comediator", A, B, "observer"):
        bench.client.cookies.clear()
        other = bearer(bench.client, user)
        for path in ("", "/result"):
            answer = bench.client.get(f"{API}/jobs/{key}{path}", headers=other)
            assert answer.status_code == 404, (user, path, answer.text)
            assert f"no job {key!r} of yours" in answer.json()["message"]
        assert bench.client.post(f"{API}/jobs/{key}/cancel", headers=other).status_code == 404
        assert bench.client.get(f"{API}/jobs", headers=other).json() == []
        csrf = log_in(bench.client, user)
        for path in ("", "/progress", "/result"):
            assert bench.client.get(f"{P}/jobs/{key}{path}").status_code == 404, (user, path)
        assert bench.client.post(f"{P}/jobs/{key}/cancel", data={"csrf_token": csrf}).status_code == 404
        assert key not in bench.client.get(f"{P}/jobs").text
    # a party's seat may not estimate a party (its own included), nor run the mediator's analyses
    for user in (A, B):
        bench.client.cookies.clear()
        mine = bearer(bench.client, user)
        for kind, parameters in (("estimate", {"party": A}), ("robustness", SMALL)):
            refused = bench.client.post(
                f"{API}/jobs", json={"kind": kind, "parameters": parameters}, headers=mine
            )
            assert refused.status_code == 403, (user, kind, refused.text)
    # the owner still reads it: the estimate's page, kept, and the API's estimate
    bench.client.cookies.clear()
    log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/jobs/{key}/result")
    assert page.status_code == 200 and 'id="kept"' in page.text and "300 posterior samples" in page.text
    assert 'action="/n/peace-framework-2025/estimates/russia/adopt"' in page.text
    data = bench.client.get(f"{API}/jobs/{key}/result", headers=token).json()
    assert data["kind"] == "estimate" and data["result"]["party"] == A and data["result"]["samples"] == 300


def test_the_estimate_page_starts_a_job_for_more_samples(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    page = bench.client.get(f"{P}/estimates/{A}?samples=200")
    assert page.status_code == 200 and f'action="{P}/estimates/{A}/jobs"' in page.text
    many = bench.client.get(f"{P}/estimates/{A}?samples=5000")  # a job's work
    assert many.status_code == 422 and "5,000 run as a job" in many.text
    started = bench.client.post(
        f"{P}/estimates/{A}/jobs", data={"samples": "400", "seed": "3", "csrf_token": csrf}
    )
    assert started.status_code == 303
    key = started.headers["location"].rsplit("/", 1)[1]
    token = bearer(bench.client, "mediator")
    assert until_finished(bench.client, token, key) == "done"
    job = bench.client.get(f"{P}/jobs/{key}").text
    assert "the estimate of Russian Federation (400 samples, seed 3)" in job
    shown = bench.client.get(f"{P}/jobs/{key}/result").text
    # the same numbers as the page estimating in the request with the same samples and seed
    direct = bench.client.get(f"{P}/estimates/{A}?samples=400&seed=3").text
    table = re.search(r'<table id="weights">.*?</table>', direct, re.S)
    assert table and table.group(0) in shown
    bad = bench.client.post(f"{P}/estimates/{A}/jobs", data={"samples": "99999999", "csrf_token": csrf})
    assert bad.status_code == 422 and "samples: expected 200 to 20000" in bad.text


def test_a_large_negotiation_solves_in_the_explorer_as_a_job(
    bench: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.web.routes import pages

    csrf = log_in(bench.client, "mediator")
    token = bearer(bench.client, "mediator")
    in_request = bench.client.get(f"{P}/explorer/result?concept=egalitarian").text
    assert 'id="package"' in in_request and "explore-job" not in in_request
    monkeypatch.setattr(pages, "LARGE_SOLVE", 10)  # the flagship counts as large
    offered = bench.client.get(f"{P}/explorer/result?concept=egalitarian")
    assert offered.status_code == 200 and 'id="explore-job"' in offered.text
    assert 'id="package"' not in offered.text  # nothing solved by the GET
    explorer = bench.client.get(f"{P}/explorer").text
    assert 'id="frontier-large"' in explorer and "frontier.png" not in explorer
    started = bench.client.post(f"{P}/explorer/jobs", data={"concept": "egalitarian", "csrf_token": csrf})
    assert started.status_code == 303
    key = started.headers["location"].rsplit("/", 1)[1]
    assert until_finished(bench.client, token, key) == "done"
    kept = bench.client.get(f"{P}/jobs/{key}/result").text
    table = re.search(r'<table id="package">.*?</table>', in_request, re.S)
    assert table and table.group(0) in kept and 'id="kept"' in kept
    # the API: the same answer as POST .../explore, kept
    direct = bench.client.post(f"{API}/explore", json={"concept": "leximin"}, headers=token).json()
    job = bench.client.post(
        f"{API}/jobs", json={"kind": "explore", "parameters": {"concept": "leximin"}}, headers=token
    ).json()["key"]
    assert until_finished(bench.client, token, job) == "done"
    kept_data = bench.client.get(f"{API}/jobs/{job}/result", headers=token).json()["result"]
    for answer in (kept_data, direct):
        answer["outcome"].pop("seconds")  # how long the solver took: the only difference
    assert kept_data == direct
    # a party's member may not run the mediator's analyses, as a job neither
    bench.client.cookies.clear()
    member = log_in(bench.client, A)
    assert (
        bench.client.post(f"{P}/explorer/jobs", data={"concept": "nash", "csrf_token": member}).status_code
        == 403
    )
    assert bench.client.get(f"{P}/explorer/result?concept=nash").status_code == 403
