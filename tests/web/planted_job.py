"""A finished robustness job of the mediator's, under a known id, for the access matrix to ask for:
of the newest draft (the matrix plants a point that only the newest has an option on)."""

from __future__ import annotations

import time

from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import robustness
from accord.web.jobs import Jobs, JobState
from accord.web.routes.robustness import stored_result
from tests.web.conftest import NAME, Workbench

JOB = "planted-job"


def plant_job(bench: Workbench) -> None:
    mediator = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
    negotiation = robustness.stored_for(bench.database, mediator, NAME)
    latest = negotiation.latest_draft
    assert latest is not None
    jobs: Jobs = bench.client.app.state.jobs  # type: ignore[attr-defined]
    job = jobs.start(
        kind="robustness",
        owner="mediator",
        negotiation=NAME,
        title=f"1,000 samples (seed 1) of draft v{latest.version}",
        total=1000,
        work=lambda progress: stored_result(
            robustness.analyse(negotiation, samples=1000, seed=1, drafts=[latest.version]), negotiation
        ),
        key=JOB,
    )
    deadline = time.monotonic() + 60
    while not job.finished_state and time.monotonic() < deadline:
        time.sleep(0.01)
        job = jobs.get("mediator", NAME, JOB)
    assert job.state is JobState.DONE, job.words
