"""A party's preferences estimated from the evidence: the mediator's page and the JSON API, on
accord.services.estimate (the same use cases as `accord estimate` and `accord estimate --write`).

An estimate is the mediator's reading of a party (Action.ESTIMATE): no party's seat sees one, its own
included, and a seat refused learns nothing of the party asked for (refused before anything is read).
Adopting one is the same audited write as `accord estimate --write`, refused when the record changed
since the estimate was shown (409), or when the posterior failed its diagnostics unless forced.

The page estimates in the request up to IN_REQUEST samples (about a second per 1,000 samples on one
core); more, up to MAX_SAMPLES, run as a job (accord.web.jobs: progress per party, cancellable, the
result kept and linked from the page). Both render the same page data (:func:`page_data`).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from accord.errors import Cancelled, DomainError, StaleWriteError
from accord.reports.estimate_chart import weights_chart
from accord.reports.estimate_view import party_data, weight_bands, weight_rows
from accord.security.policy import Viewer
from accord.services import estimate as estimate_service
from accord.storage.database import Database
from accord.web.context import check_csrf, database, in_analysis_thread, logged_in
from accord.web.job_process import Steps
from accord.web.jobs import Apart, Job, jobs_of
from accord.web.json_route import OneTurn
from accord.web.routes.pages import page

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["estimates"], route_class=OneTurn)
Who = Annotated[Viewer, Depends(logged_in)]

KIND = "estimate"
SAMPLES = 1000  # posterior samples per estimate on the web (as `accord estimate`)
MIN_SAMPLES, MAX_SAMPLES = 200, 20_000  # a request may ask for more or fewer, within these
IN_REQUEST = 2000  # the page estimates up to these in the request (~2 s); more run as a job
Samples = Annotated[int, Query(ge=MIN_SAMPLES, le=MAX_SAMPLES)]


def _estimate(
    db: Database, viewer: Viewer, name: str, party: str, samples: int, seed: int
) -> estimate_service.Estimation:
    return estimate_service.for_viewer(db, viewer, name, [party], samples=samples, seed=seed)


def _adopt(
    db: Database,
    viewer: Viewer,
    name: str,
    party: str,
    *,
    samples: int,
    seed: int,
    force: bool,
    expected_revision: int | None,
) -> tuple[estimate_service.Estimation, list[Any]]:
    """Estimate again (the same samples and seed give the estimate shown) and store it; refused when
    the record moved since the revision the caller saw."""
    found = _estimate(db, viewer, name, party, samples, seed)
    if expected_revision is not None and found.revision != expected_revision:
        raise StaleWriteError(
            f"the record of {name!r} changed since the estimate was shown (revision {expected_revision}, "
            f"now {found.revision}): look at the estimate again before adopting it"
        )
    return found, estimate_service.adopt(db, viewer, found, force=force)


def _bounded(field: str, text: str | None, default: int, low: int, high: int) -> int:
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise DomainError(f"{field}: expected a whole number, got {text[:40]!r}") from None
    if not low <= value <= high:
        raise DomainError(f"{field}: expected {low} to {high}, got {value}")
    return value


# -- the page -----------------------------------------------------------------------------------------


def page_data(found: estimate_service.Estimation) -> dict[str, Any]:
    """What the estimate's page shows, as JSON (kept as a job's result, rendered by estimate.html)."""
    [one] = found.estimates
    negotiation = found.negotiation
    posterior = one.posterior
    declared = party_data(negotiation, one.party, posterior)
    numbers = {p.id: p.number for p in negotiation.points}
    return {
        "party": {"id": one.party.id, "name": one.party.name},
        "estimation": {
            "samples": found.samples,
            "seed": found.seed,
            "seconds": found.seconds,
            "revision": found.revision,
        },
        "diagnostics": declared["diagnostics"],
        "evidence": len(posterior.evidence),
        # a failed diagnosis is said once, at the top, with its reasons
        "warnings": [w for w in one.warnings if "failed its diagnostics" not in w],
        "rows": [asdict(r) for r in weight_rows(negotiation, posterior)],
        "reservation": declared["reservation_value"],
        "red_lines": [{**r, "number": numbers.get(r["point"], r["point"])} for r in declared["red_lines"]],
        "contradictions": [estimate_service.in_words(negotiation, c) for c in found.contradictions],
        "influence": declared["influence"],
    }


def render(request: Request, name: str, shown: dict[str, Any], job: Job | None = None) -> Response:
    title = f"{shown['party']['name']}: weights before and after the evidence"
    chart = weights_chart(weight_bands(shown["rows"]), title)  # as `accord estimate --plot` draws it
    return page(
        request,
        "estimate.html",
        name,
        job=job,
        in_request=IN_REQUEST,
        max_samples=MAX_SAMPLES,
        chart=chart,
        **shown,
    )


@pages.get("/n/{name}/estimates/{party}", response_class=HTMLResponse)
async def estimate_page(
    request: Request, viewer: Who, name: str, party: str, samples: Samples = SAMPLES, seed: int = 0
) -> Response:
    if samples > IN_REQUEST:
        raise DomainError(
            f"samples: the page estimates up to {IN_REQUEST:,} while you wait; {samples:,} run as a job "
            "(Estimate as a job, on the estimate's page)"
        )
    found = await in_analysis_thread(
        request, _estimate, database(request), viewer, name, party, samples, seed
    )
    return render(request, name, page_data(found))


@pages.post("/n/{name}/estimates/{party}/jobs")
async def start_estimate_page(request: Request, viewer: Who, name: str, party: str) -> Response:
    """The estimate with more samples, as the seat's job: to its page."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    samples = _bounded("samples", str(form.get("samples") or ""), SAMPLES, MIN_SAMPLES, MAX_SAMPLES)
    seed = _bounded("seed", str(form.get("seed") or ""), 0, 0, 2**32 - 1)
    job = await in_analysis_thread(request, start_job, request, viewer, name, party, samples, seed)
    return RedirectResponse(f"/n/{name}/jobs/{job.key}", status_code=303)


def start_job(request: Request, viewer: Viewer, name: str, party: str, samples: int, seed: int) -> Job:
    """The estimate of ``party`` as the seat's job: the policy and the party checked before it is
    queued (refused as the page is); SeatBusy while the seat has another job."""
    record = estimate_service.read(database(request), viewer, name, [party])
    [chosen] = estimate_service.parties_of(record.negotiation, [party])
    assert viewer.username is not None

    return jobs_of(request).start(
        kind=KIND,
        owner=viewer.username,
        negotiation=name,
        title=f"the estimate of {chosen.name} ({samples:,} samples, seed {seed})",
        total=samples,
        work=Apart(_sample, (record, party, chosen.name, samples, seed)),
    )


def _sample(
    record: estimate_service.Record, party: str, name: str, samples: int, seed: int, progress: Steps
) -> dict[str, Any]:
    """In the job process: the estimate of ``party`` (called ``name``), as its page and the API show it."""

    def on_party(_party: Any, done: int, total: int) -> None:
        progress.advance(samples * done - progress.done)
        progress.say(f"sampling the posterior of {name}: {done} of {total} parties done")
        if progress.cancelled():
            raise Cancelled("cancelled before the sampler finished")

    progress.say(f"sampling the posterior of {name} ({samples:,} samples)")
    found = estimate_service.of_record(record, [party], samples=samples, seed=seed, progress=on_party)
    if progress.cancelled():
        raise Cancelled(f"cancelled after sampling {name}: nothing kept")
    return {"page": page_data(found), "data": api_data(found)}


@pages.post("/n/{name}/estimates/{party}/adopt")
async def adopt_page(request: Request, viewer: Who, name: str, party: str) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    revision = str(form.get("revision") or "")
    await in_analysis_thread(
        request,
        _adopt,
        database(request),
        viewer,
        name,
        party,
        samples=_bounded("samples", str(form.get("samples") or ""), SAMPLES, MIN_SAMPLES, MAX_SAMPLES),
        seed=_bounded("seed", str(form.get("seed") or ""), 0, 0, 2**32 - 1),
        force=bool(form.get("force")),
        expected_revision=_bounded("revision", revision, 0, 0, 2**62) if revision else None,
    )
    return RedirectResponse(f"/n/{name}/preferences/{party}", status_code=303)


# -- the JSON API -------------------------------------------------------------------------------------


@api.get("/negotiations/{name}/estimates/{party}")
async def get_estimate(
    request: Request, viewer: Who, name: str, party: str, samples: Samples = SAMPLES, seed: int = 0
) -> dict[str, Any]:
    """The party's preferences estimated from the evidence on record (as `accord estimate --json`
    gives a party): per point the prior and posterior weight (mean and 90% interval), per option the
    score, the reservation value, the most and least preferred option per point, each declared red
    line's probability, the evidence and what moved the estimate most, the diagnostics; and where the
    declared estimate contradicts the party's recorded stances. The mediator's alone."""
    found = await in_analysis_thread(
        request, _estimate, database(request), viewer, name, party, samples, seed
    )
    return api_data(found)


def api_data(found: estimate_service.Estimation) -> dict[str, Any]:
    """The estimate as the API answers it (and a job's result keeps it)."""
    [one] = found.estimates
    return {
        "negotiation": found.slug,
        "revision": found.revision,
        "samples": found.samples,
        "seed": found.seed,
        "seconds": round(found.seconds, 3),
        "party": one.party.id,
        **party_data(found.negotiation, one.party, one.posterior, one.warnings),
        "contradictions": [
            estimate_service.contradiction_data(found.negotiation, c) for c in found.contradictions
        ],
    }


class AdoptIn(BaseModel):
    """Adopt the estimate (the same samples and seed give the same estimate) as the party's preferences."""

    samples: int = Field(default=SAMPLES, ge=MIN_SAMPLES, le=MAX_SAMPLES)
    seed: int = Field(default=0, ge=0, le=2**32 - 1)
    force: bool = False  # store a posterior that failed its diagnostics anyway
    expected_revision: int | None = None  # the revision the estimate was read at (409 if it moved)


@api.post("/negotiations/{name}/estimates/{party}/adopt")
async def adopt_estimate(
    request: Request, viewer: Who, name: str, party: str, body: AdoptIn
) -> dict[str, Any]:
    """Store the estimate as the party's declared preferences with an uncertainty block fitted to the
    posterior: one audited write (the audit entry names the evidence, never the numbers)."""
    check_csrf(request, None)
    found, entries = await in_analysis_thread(
        request,
        _adopt,
        database(request),
        viewer,
        name,
        party,
        samples=body.samples,
        seed=body.seed,
        force=body.force,
        expected_revision=body.expected_revision,
    )
    return {
        "negotiation": found.slug,
        "party": found.estimates[0].party.id,
        "adopted": True,
        "audit": [{"seq": e.seq, "action": e.action, "summary": e.summary} for e in entries],
    }
