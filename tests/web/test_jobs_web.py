"""Robustness on the workbench as a job: started from a form, its progress polled, cancelled, its result
shown as `accord robustness` prints it; one job at a time per seat; nobody else reads it."""

from __future__ import annotations

import re
import threading
import time

import pytest
from fastapi.testclient import TestClient

from accord.errors import Cancelled, DomainError, NotFoundError
from accord.reports.robustness_plots import candidate_label
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import accounts, robustness
from accord.services.demo import demo_password
from accord.web.jobs import Job, Jobs, JobState, Progress
from accord.web.robustness_view import robustness_view
from tests.web.conftest import NAME, A, Workbench, api_token, log_in
from tests.web.test_charts_web import specs_in

P = f"/n/{NAME}"
SMALL = {"samples": "3000", "seed": "7", "draft": "3", "concept": "nash", "resolves": "4"}
LARGE = {"samples": "2000000", "seed": "1", "draft": "3", "resolves": "0"}  # minutes, unless cancelled


def start(client: TestClient, csrf: str, form: dict[str, str]) -> str:
    """Start a run; the job's id from the page it is sent to."""
    answer = client.post(f"{P}/robustness", data={**form, "csrf_token": csrf})
    assert answer.status_code == 303, answer.text
    found = re.fullmatch(rf"{P}/jobs/([0-9a-z-]+)", answer.headers["location"])
    assert found, answer.headers["location"]
    return found.group(1)


def state_of(client: TestClient, key: str) -> str:
    fragment = client.get(f"{P}/jobs/{key}/progress")
    assert fragment.status_code == 200, fragment.text
    return re.search(r'id="job-state">(\w+)<', fragment.text).group(1)  # type: ignore[union-attr]


def wait_until_finished(client: TestClient, key: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = state_of(client, key)
        if state in ("done", "failed", "cancelled"):
            return state
        time.sleep(0.05)
    raise AssertionError(f"job {key} still {state_of(client, key)} after {seconds} s")


def test_a_run_shows_its_progress_then_its_result_as_the_cli_prints_it(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    form = bench.client.get(f"{P}/robustness")
    assert form.status_code == 200 and 'action="/n/peace-framework-2025/robustness"' in form.text
    key = start(bench.client, csrf, SMALL)
    page = bench.client.get(f"{P}/jobs/{key}")
    assert page.status_code == 200
    assert "3,000 samples (seed 7) of draft v3, Nash, 4 re-solves per concept" in page.text
    assert wait_until_finished(bench.client, key) == "done"
    done = bench.client.get(f"{P}/jobs/{key}/progress").text
    assert "hx-trigger" not in done  # a finished job's fragment stops the polling
    assert f'href="{P}/jobs/{key}/result"' in done and "100% of the work" in done

    shown = bench.client.get(f"{P}/jobs/{key}/result")
    assert shown.status_code == 200
    # the same numbers as `accord robustness` on the same negotiation, seed and options
    mediator = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
    negotiation = robustness.stored_for(bench.database, mediator, NAME)
    expected = robustness.analyse(
        negotiation, samples=3000, seed=7, drafts=[3], concepts=["nash"], resolves=4
    )
    labels = {d.version: d.label for d in negotiation.drafts}  # the candidates named in words
    view = robustness_view(expected, {p.id: p.name for p in negotiation.parties}, labels)
    assert "3,000 samples (seed 7), on the workbench" in shown.text
    for row in view.rows:
        assert f"<td>{row.name}</td><td>{row.acceptance}</td>" in shown.text
        assert all(f"<td>{cell}</td>" in shown.text for cell in row.parties)
    assert all(name in shown.text for name in view.parties)
    assert "how often it is a concept's package (4 re-solves" in shown.text
    # the same numbers drawn (acceptance with its interval; the utilities), each candidate linked to
    # its package beside the latest draft
    acceptance, utilities = specs_in(shown.text)
    bars = acceptance["data"]["values"]
    assert [b["candidate"] for b in bars] == [row.name for row in view.rows]  # as the table names them
    assert "draft 3 (D)" in [row.name for row in view.rows]
    assert [row.name for row in view.rows] == [
        candidate_label(c.candidate.name, labels)
        for c in sorted(expected.candidates, key=lambda c: -c.acceptance)
    ]
    assert all(b["href"].startswith(f"{P}/compare?") for b in bars)
    assert bench.client.get(bars[0]["href"]).status_code == 200
    assert {r["party"] for r in utilities["data"]["values"]} == set(view.parties)
    picture = bench.client.get(f"{P}/jobs/{key}/acceptance.png")
    assert picture.status_code == 200 and picture.content.startswith(b"\x89PNG")
    listed = bench.client.get(f"{P}/robustness").text
    assert f"{P}/jobs/{key}/result" in listed  # kept, and linked from the form's page


def test_a_running_job_polls_every_second_and_can_be_cancelled(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    key = start(bench.client, csrf, LARGE)
    page = bench.client.get(f"{P}/jobs/{key}").text
    assert 'hx-trigger="every 1s"' in page and f'hx-get="{P}/jobs/{key}/progress"' in page
    assert 'id="cancel"' in page
    deadline = time.monotonic() + 90  # a job process starting on a loaded machine takes its time
    while "sampling: " not in bench.client.get(f"{P}/jobs/{key}/progress").text:  # under way
        assert time.monotonic() < deadline, "the run never started sampling"
        time.sleep(0.02)
    cancelled = bench.client.post(f"{P}/jobs/{key}/cancel", data={"csrf_token": csrf})
    assert cancelled.status_code == 303 and cancelled.headers["location"] == f"{P}/jobs/{key}"
    assert wait_until_finished(bench.client, key, seconds=30) == "cancelled"
    fragment = bench.client.get(f"{P}/jobs/{key}/progress").text
    assert "Nothing was kept of a cancelled run" in fragment and "hx-trigger" not in fragment
    assert re.search(r"cancelled after [\d,]+ samples", fragment)  # stopped between two chunks
    missing = bench.client.get(f"{P}/jobs/{key}/result")
    assert missing.status_code == 404 and "has no result: it is cancelled" in missing.text


def test_a_second_run_while_one_runs_is_refused_in_words(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    key = start(bench.client, csrf, LARGE)
    again = bench.client.post(f"{P}/robustness", data={**SMALL, "csrf_token": csrf})
    assert again.status_code == 409
    assert "one job at a time; wait for it to finish, or cancel it" in again.text
    assert "2,000,000 samples (seed 1) of draft v3" in again.text  # says which job is running
    bench.client.post(f"{P}/jobs/{key}/cancel", data={"csrf_token": csrf})
    assert wait_until_finished(bench.client, key, seconds=30) == "cancelled"
    assert start(bench.client, csrf, SMALL)  # once it has finished, another may start


def test_another_seat_cannot_read_or_cancel_the_job(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    key = start(bench.client, csrf, SMALL)
    assert wait_until_finished(bench.client, key) == "done"
    # a second mediator of the same negotiation: the job is not its own
    accounts.add_user(bench.database, "comediator", "Co-mediator", demo_password("comediator"), actor="t")
    accounts.grant(bench.database, "comediator", NAME, SeatRole.MEDIATOR, None, actor="t")
    for user in ("comediator", A, "observer"):
        bench.client.cookies.clear()
        other = log_in(bench.client, user)
        for path in ("", "/progress", "/result", "/acceptance.png"):
            answer = bench.client.get(f"{P}/jobs/{key}{path}")
            assert answer.status_code == 404, (user, path, answer.status_code)
            assert f"no job {key!r} of yours" in answer.text.replace("&#39;", "'")
        cancel = bench.client.post(f"{P}/jobs/{key}/cancel", data={"csrf_token": other})
        assert cancel.status_code == 404
        assert key not in bench.client.get(f"{P}/robustness").text if user == "comediator" else True
    # a party's member may not run the mediator's analyses at all
    bench.client.cookies.clear()
    member = log_in(bench.client, A)
    assert bench.client.get(f"{P}/robustness").status_code == 403
    refused = bench.client.post(f"{P}/robustness", data={**SMALL, "csrf_token": member})
    assert refused.status_code == 403 and "may not run the mediator" in refused.text.replace("&#39;", "'")
    bench.client.cookies.clear()
    log_in(bench.client, "mediator")
    assert state_of(bench.client, key) == "done"  # still there for its owner, not cancelled


def test_a_mediator_made_an_observer_reads_none_of_the_jobs_it_ran(bench: Workbench) -> None:
    # a job's result is the mediator's analysis (drafts never circulated, every party's preferences):
    # the policy is asked again at every read, not only when the job was started
    csrf = log_in(bench.client, "mediator")
    key = start(bench.client, csrf, SMALL)
    assert wait_until_finished(bench.client, key) == "done"
    token = api_token(bench.client, "mediator")
    bearer = {"Authorization": f"Bearer {token}"}
    api = f"/api/negotiations/{NAME}/jobs"
    assert bench.client.get(f"{api}/{key}/result", headers=bearer).status_code == 200
    accounts.grant(bench.database, "mediator", NAME, SeatRole.OBSERVER, None, actor="t")
    try:
        for path in ("", "/progress", "/result", "/acceptance.png"):
            answer = bench.client.get(f"{P}/jobs/{key}{path}")
            assert answer.status_code == 403, (path, answer.status_code)
            assert "may no longer read" in answer.text
        for path in ("", "/result"):
            assert bench.client.get(f"{api}/{key}{path}", headers=bearer).status_code == 403, path
        assert bench.client.get(api, headers=bearer).json() == []
        assert key not in bench.client.get(f"{P}/jobs").text
    finally:
        accounts.grant(bench.database, "mediator", NAME, SeatRole.MEDIATOR, None, actor="t")
    assert bench.client.get(f"{api}/{key}/result", headers=bearer).status_code == 200


def test_a_problem_in_the_form_is_said_at_its_field_and_nothing_starts(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    answer = bench.client.post(
        f"{P}/robustness", data={"samples": "many", "resolves": "5000", "draft": "99", "csrf_token": csrf}
    )
    assert answer.status_code == 422
    assert "expected a whole number, got &#39;many&#39;" in answer.text
    assert 'id="problem-resolves"' in answer.text and "expected 0 to 1,000, got 5,000" in answer.text
    assert 'id="problem-draft"' in answer.text and "no draft v99" in answer.text
    assert 'value="many"' in answer.text  # what was typed is kept
    nothing = bench.client.post(f"{P}/robustness", data={"samples": "100", "csrf_token": csrf})
    assert nothing.status_code == 422 and "choose a draft or a concept" in nothing.text
    assert "None yet" in bench.client.get(f"{P}/robustness").text


def test_the_api_weighs_what_the_cli_does_when_given_no_candidates(bench: Workbench) -> None:
    """`accord robustness` with neither --draft nor --concepts weighs the latest draft and the Nash
    package; so does the jobs API (the form starts with them ticked, and refuses them all unticked)."""
    token = {"Authorization": f"Bearer {api_token(bench.client, 'mediator')}"}
    api = f"/api/negotiations/{NAME}/jobs"
    answer = bench.client.post(
        api, json={"kind": "robustness", "parameters": {"samples": 1000, "resolves": 0}}, headers=token
    )
    assert answer.status_code == 202, answer.text
    mediator = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
    latest = robustness.stored_for(bench.database, mediator, NAME).latest_draft
    assert latest is not None
    assert answer.json()["title"] == f"1,000 samples (seed 1) of draft v{latest.version}, Nash"
    key = answer.json()["key"]
    deadline = time.monotonic() + 60
    while bench.client.get(f"{api}/{key}", headers=token).json()["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline, "the run never finished"
        time.sleep(0.05)
    result = bench.client.get(f"{api}/{key}/result", headers=token).json()["result"]
    names = [c["name"] for c in result["candidates"]]
    assert names[0] == f"draft v{latest.version}" and any("Nash" in n or "nash" in n for n in names[1:])


# -- the runner and the service's cancel check, below the routes ----------------------------------------


def finished(jobs: Jobs, owner: str, negotiation: str, key: str, seconds: float = 10) -> Job:
    """The job once it has finished, as its table row says."""
    deadline = time.monotonic() + seconds
    job = jobs.get(owner, negotiation, key)
    while not job.finished_state and time.monotonic() < deadline:
        time.sleep(0.01)
        job = jobs.get(owner, negotiation, key)
    return job


def test_a_queued_job_waits_for_the_thread_and_cancelled_never_starts(bench: Workbench) -> None:
    jobs = Jobs(bench.database, threads=1)
    release = threading.Event()
    ran: list[str] = []

    def blocking(progress: Progress) -> str:
        progress.say("holding the thread")
        release.wait(10)
        return "first"

    first = jobs.start(kind="k", owner="ann", negotiation="n", title="first", total=1, work=blocking)
    second = jobs.start(
        kind="k", owner="bob", negotiation="n", title="second", total=1, work=lambda p: ran.append("x")
    )
    assert second.state is JobState.QUEUED and "waiting for a free job thread" in second.words
    jobs.cancel(second)
    second = jobs.get("bob", "n", second.key)
    assert second.state is JobState.CANCELLED and second.words == "cancelled before it started"
    release.set()
    first = finished(jobs, "ann", "n", first.key)
    assert first.state is JobState.DONE and jobs.result("ann", "n", first.key)[1] == "first" and ran == []
    with pytest.raises(NotFoundError, match="no job"):
        jobs.get("bob", "n", first.key)
    jobs.close()


def test_a_failing_job_says_why_and_frees_the_seat(bench: Workbench) -> None:
    jobs = Jobs(bench.database, threads=1)

    def failing(progress: Progress) -> None:
        raise DomainError("no candidate package: give a draft")

    job = jobs.start(kind="k", owner="ann", negotiation="n", title="t", total=1, work=failing)
    job = finished(jobs, "ann", "n", job.key)
    assert job.state is JobState.FAILED and job.error == "DomainError: no candidate package: give a draft"
    assert jobs.unfinished("ann", "n") is None
    jobs.close()


def test_the_analysis_stops_between_chunks_when_told(bench: Workbench) -> None:
    mediator = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
    negotiation = robustness.stored_for(bench.database, mediator, NAME)
    seen: list[int] = []
    with pytest.raises(Cancelled, match="cancelled after 40,000 samples"):
        robustness.analyse(
            negotiation,
            samples=200_000,
            seed=1,
            drafts=[3],
            runner=robustness.one_thread,
            progress=seen.append,
            cancelled=lambda: bool(seen),
        )
    assert seen == [40_000]  # one chunk (4 blocks of 10,000), then it stopped
