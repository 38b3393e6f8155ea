"""A seat's jobs (accord.web.jobs): their pages, their progress (polled), cancelling them, their kept
results, and the same as a JSON API.

A job is read, polled, cancelled and its result shown only to the user who started it, at that
negotiation: the seat must see the negotiation (accord.security.policy), and the job must be its own
(anyone else is told that no such job of theirs exists, 404). Starting one is the kind's own use case,
under its own policy: a robustness run and the explorer's solve are the mediator's analyses
(Action.ANALYSE), an estimate the mediator's reading of a party (Action.ESTIMATE). Jobs are kept in
the database, so any server process answers (`accord serve --workers N`).

The explorer solves in the request up to LARGE_SOLVE (accord.web.routes.pages); above it, its answer
offers the solve as a job (kind "explore"), which the API starts at any size. A solve is one step: it
is cancelled before it starts, or runs to its end (the solver's own time limit bounds it).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from accord.domain import Negotiation
from accord.engine import parse_concept
from accord.errors import AccessDenied, Cancelled, DomainError
from accord.security.policy import Viewer, jobs_owner, may_read_job
from accord.services import robustness, workbench
from accord.web.context import WRITES, check_csrf, database, in_analysis_thread, logged_in
from accord.web.job_process import Steps
from accord.web.jobs import Apart, Job, jobs_of
from accord.web.json_route import OneTurn
from accord.web.routes import estimates
from accord.web.routes import robustness as robustness_route
from accord.web.routes.pages import page

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["jobs"], route_class=OneTurn)
Who = Annotated[Viewer, Depends(logged_in)]


def _seat(viewer: Viewer, name: str) -> str:
    """Whose jobs the viewer reads at the negotiation: the policy decides (its own)."""
    return jobs_owner(viewer, name)


def _owned(request: Request, viewer: Viewer, name: str, key: str) -> Job:
    """The viewer's own job: a seat at the negotiation first, then the job must be its own, and of a
    kind its seat may still run (AccessDenied for a mediator's job read after the seat was changed)."""
    job = jobs_of(request).get(_seat(viewer, name), name, key)
    if not may_read_job(viewer, name, job.kind):
        raise AccessDenied(f"{viewer.username} may no longer read the {job.kind} job {key!r} in {name!r}")
    return job


def _mine(request: Request, viewer: Viewer, name: str) -> list[Job]:
    """The viewer's jobs at the negotiation that its seat may still read, newest first."""
    return [j for j in jobs_of(request).of(_seat(viewer, name), name) if may_read_job(viewer, name, j.kind)]


EXPLORE = "explore"


def start_explore(request: Request, viewer: Viewer, name: str, concept: str) -> Job:
    """The explorer's solve of ``concept`` as the seat's job (the mediator's; SeatBusy while the seat
    has another)."""
    chosen = parse_concept(concept).value
    assert viewer.username is not None
    negotiation = workbench.for_exploring(database(request), viewer, name)  # the policy decides
    parties = [{"id": p.id, "name": p.name} for p in negotiation.negotiating_parties]
    party_names = {p.id: p.name for p in negotiation.parties}
    return jobs_of(request).start(
        kind=EXPLORE,
        owner=viewer.username,
        negotiation=name,
        title=f"the {chosen} package",
        total=1,
        work=Apart(_explore, (negotiation, chosen, party_names, parties)),
    )


def _explore(
    negotiation: Negotiation,
    concept: str,
    party_names: dict[str, str],
    parties: list[dict[str, str]],
    progress: Steps,
) -> dict[str, Any]:
    """In the job process: the explorer's solve, as its page and the API show it."""
    if progress.cancelled():
        raise Cancelled("cancelled before the solve started")
    progress.say(f"solving {concept} (and the newest draft's improvements)")
    found = workbench.explore_negotiation(negotiation, concept)
    progress.advance(1)
    return {"data": found.result, "party_names": party_names, "parties": parties}


def _result(
    request: Request, viewer: Viewer, name: str, key: str, kind: str | None = None
) -> tuple[Job, Any]:
    _owned(request, viewer, name, key)  # the policy first: a changed seat reads no result
    return jobs_of(request).result(_seat(viewer, name), name, key, kind)


# -- the pages ----------------------------------------------------------------------------------------


@pages.get("/n/{name}/jobs", response_class=HTMLResponse)
def jobs_page(request: Request, viewer: Who, name: str) -> Response:
    """The seat's jobs, newest first, each linked with its result."""
    return page(request, "jobs.html", name, jobs=_mine(request, viewer, name))


@pages.get("/n/{name}/jobs/{job}", response_class=HTMLResponse)
def job_page(request: Request, viewer: Who, name: str, job: str) -> Response:
    return page(request, "job.html", name, job=_owned(request, viewer, name, job))


@pages.get("/n/{name}/jobs/{job}/progress", response_class=HTMLResponse)
def job_progress(request: Request, viewer: Who, name: str, job: str) -> Response:
    """The fragment the job's page polls every second; it stops asking once the job has finished."""
    return page(request, "_job_progress.html", name, job=_owned(request, viewer, name, job))


@pages.post("/n/{name}/jobs/{job}/cancel")
async def cancel_job(request: Request, viewer: Who, name: str, job: str) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    found = _owned(request, viewer, name, job)
    if not found.finished_state:  # a finished job stays as it finished
        jobs_of(request).cancel(found)
    return RedirectResponse(f"/n/{name}/jobs/{found.key}", status_code=303)


@pages.post("/n/{name}/explorer/jobs")
async def start_explore_page(request: Request, viewer: Who, name: str) -> Response:
    """The explorer's solve as the seat's job: to its page."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    concept = str(form.get("concept") or "nash")
    job = await in_analysis_thread(request, start_explore, request, viewer, name, concept)
    return RedirectResponse(f"/n/{name}/jobs/{job.key}", status_code=303)


@pages.get("/n/{name}/jobs/{job}/result", response_class=HTMLResponse)
def job_result(request: Request, viewer: Who, name: str, job: str) -> Response:
    """The kept result, on the page of its kind."""
    found, result = _result(request, viewer, name, job)
    if found.kind == estimates.KIND:
        return estimates.render(request, name, result["page"], job=found)
    if found.kind == EXPLORE:
        return page(
            request,
            "explore_result.html",
            name,
            job=found,
            result=result["data"],
            party_names=result["party_names"],
            parties=result["parties"],
        )
    return page(
        request, "robustness_result.html", name, job=found, view=result["view"], charts=result["charts"]
    )


@pages.get("/n/{name}/jobs/{job}/acceptance.png")
async def job_acceptance_png(request: Request, viewer: Who, name: str, job: str) -> Response:
    """acceptance.png of `accord robustness --plot`, drawn from the kept numbers."""
    _, result = _result(request, viewer, name, job, robustness_route.KIND)
    picture = await in_analysis_thread(request, _acceptance_picture, result["charts"][0])
    return Response(picture, media_type="image/png", headers={"Cache-Control": "no-store"})


def _acceptance_picture(acceptance: dict[str, Any]) -> bytes:
    """The kept acceptance chart (the result page's first) drawn to PNG: the same Vega-Lite
    specification as the page's interactive chart and `accord robustness --plot`."""
    from accord.reports import vega

    return vega.png_of(acceptance)


# -- the JSON API -------------------------------------------------------------------------------------


def job_data(name: str, job: Job) -> dict[str, Any]:
    """A job's state as the API answers it (never its result: see .../result)."""
    return {
        "key": job.key,
        "kind": job.kind,
        "title": job.title,
        "state": job.state.value,
        "fraction": round(job.fraction, 4),
        "done": job.done,
        "total": job.total,
        "words": job.words,
        "error": job.error,
        "cancel_asked": job.cancel_asked,
        "created": job.created,
        "started": job.started,
        "finished": job.finished,
        "result": f"/api/negotiations/{name}/jobs/{job.key}/result" if job.state.value == "done" else None,
    }


class JobIn(BaseModel):
    """A job to start: its kind and its parameters, as the kind's page form takes them.

    robustness: samples, seed, draft (a list of versions), concept (a list), top, resolves (with
    neither draft nor concept, the latest draft and the Nash package, as `accord robustness`);
    estimate: party (required), samples, seed; explore: concept (nash, kalai-smorodinsky,
    egalitarian, leximin, utilitarian)."""

    kind: Literal["robustness", "estimate", "explore"]
    parameters: dict[str, int | str | list[int | str]] = Field(default_factory=dict)


def _start(request: Request, viewer: Viewer, name: str, body: JobIn) -> Job:
    given = body.parameters
    if body.kind == estimates.KIND:
        party = given.get("party")
        if not isinstance(party, str) or not party:
            raise DomainError("parameters.party: the party whose preferences are estimated (its id)")
        samples = _whole(given, "samples", estimates.SAMPLES, estimates.MIN_SAMPLES, estimates.MAX_SAMPLES)
        seed = _whole(given, "seed", 0, 0, 2**32 - 1)
        return estimates.start_job(request, viewer, name, party, samples, seed)
    if body.kind == EXPLORE:
        return start_explore(request, viewer, name, str(given.get("concept", "nash")))
    negotiation: Negotiation = robustness.stored_for(database(request), viewer, name)
    asked = robustness_route.asked_from(dict(given), negotiation)
    return robustness_route.start_job(request, viewer, name, negotiation, asked)


def _whole(given: dict[str, Any], field: str, default: int, low: int, high: int) -> int:
    value = given.get(field, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DomainError(
            f"parameters.{field}: expected a whole number from {low:,} to {high:,}, got {value!r}"
        )
    return value


@api.get("/negotiations/{name}/jobs")
def list_jobs(request: Request, viewer: Who, name: str) -> list[dict[str, Any]]:
    """The caller's jobs at the negotiation, newest first (its ten newest finished ones are kept)."""
    return [job_data(name, j) for j in _mine(request, viewer, name)]


@api.post("/negotiations/{name}/jobs", status_code=202, dependencies=[WRITES])
async def start_job(request: Request, viewer: Who, name: str, body: JobIn) -> dict[str, Any]:
    """Start long work as the caller's job (one at a time per seat: 409 while another is queued or
    running): ``robustness`` (the mediator's; `accord robustness`), ``estimate`` (the mediator's
    reading of a party; `accord estimate`) or ``explore`` (a concept's package, as POST .../explore).
    Poll GET .../jobs/KEY; read GET .../jobs/KEY/result."""
    job = await in_analysis_thread(request, _start, request, viewer, name, body)
    return job_data(name, job)


@api.get("/negotiations/{name}/jobs/{job}")
def get_job(request: Request, viewer: Who, name: str, job: str) -> dict[str, Any]:
    """The job's state: queued, running, done, failed or cancelled; how far it got (fraction, words)."""
    return job_data(name, _owned(request, viewer, name, job))


@api.get("/negotiations/{name}/jobs/{job}/result")
def get_job_result(request: Request, viewer: Who, name: str, job: str) -> dict[str, Any]:
    """A finished job's result: a robustness run as `accord robustness --json` prints it, an estimate
    as GET .../estimates/PARTY answers it, a solve as POST .../explore answers it. 404 while it has
    none (queued, running, failed, cancelled)."""
    found, result = _result(request, viewer, name, job)
    return {"key": found.key, "kind": found.kind, "title": found.title, "result": result["data"]}


@api.post("/negotiations/{name}/jobs/{job}/cancel")
def cancel_job_api(request: Request, viewer: Who, name: str, job: str) -> dict[str, Any]:
    """Ask the job to stop: a queued one never starts, a running one stops at its next step; a
    finished one stays as it finished."""
    check_csrf(request, None)
    found = _owned(request, viewer, name, job)
    if not found.finished_state:
        jobs_of(request).cancel(found)
    return job_data(name, _owned(request, viewer, name, job))
