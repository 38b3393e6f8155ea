"""Robustness on the workbench (`accord robustness`), run as a job off the request.

The mediator (Action.ANALYSE) starts a run from a form (or the jobs API, accord.web.routes.jobs); it
runs on a job thread (accord.web.jobs), its page (accord.web.routes.jobs) shows the progress and polls
a fragment every second (HTMX), and it can be cancelled. A seat runs one job at a time; a second start
is refused in words (409). A seat that may not run the analyses is refused the form (403). The result
is kept as JSON: the tables of the result page, the picture's numbers, and `accord robustness --json`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from accord.domain import Negotiation
from accord.engine import Concept
from accord.errors import DomainError, SeatBusy
from accord.security.policy import Viewer
from accord.services import robustness
from accord.web.context import check_csrf, database, in_analysis_thread, logged_in
from accord.web.job_process import Steps
from accord.web.jobs import Apart, Job, jobs_of, refusal
from accord.web.robustness_view import robustness_view
from accord.web.routes.pages import page

pages = APIRouter(include_in_schema=False)
Who = Annotated[Viewer, Depends(logged_in)]

KIND = "robustness"
SAMPLES, MAX_SAMPLES = 20_000, 2_000_000  # the CLI's default is 100,000; a page starts smaller
RESOLVES, MAX_RESOLVES = 100, 1_000
MAX_TOP = 5
CONCEPTS = [c.value for c in Concept if c.value in robustness.CONCEPT_NAMES]


@dataclass(frozen=True)
class Asked:
    """A robustness run as the form asks for it (the CLI's options)."""

    samples: int
    seed: int
    drafts: tuple[int, ...]
    concepts: tuple[str, ...]
    top: int
    resolves: int

    @property
    def title(self) -> str:
        what = [f"draft v{v}" for v in self.drafts] + [robustness.CONCEPT_NAMES[c] for c in self.concepts]
        resolves = f", {self.resolves} re-solves per concept" if self.concepts and self.resolves else ""
        top = f", the {self.top} best of each concept" if self.concepts and self.top > 1 else ""
        return f"{self.samples:,} samples (seed {self.seed}) of {', '.join(what)}{top}{resolves}"

    @property
    def units(self) -> int:
        return self.samples + (self.resolves * len(self.concepts))


def _whole(text: str, field: str, default: int, low: int, high: int, problems: dict[str, str]) -> int:
    if not text.strip():
        return default
    try:
        value = int(text.strip().replace(",", "").replace("_", ""))
    except ValueError:
        problems[field] = f"expected a whole number, got {text.strip()[:40]!r}"
        return default
    if not low <= value <= high:
        problems[field] = f"expected {low:,} to {high:,}, got {value:,}"
    return value


def _asked(form: Any, negotiation: Negotiation) -> tuple[Asked, dict[str, str]]:
    """The form read as the CLI's options; each problem at its field."""
    problems: dict[str, str] = {}
    samples = _whole(str(form.get("samples") or ""), "samples", SAMPLES, 1, MAX_SAMPLES, problems)
    seed = _whole(str(form.get("seed") or ""), "seed", 1, 0, 2**32 - 1, problems)
    top = _whole(str(form.get("top") or ""), "top", 1, 1, MAX_TOP, problems)
    resolves = _whole(str(form.get("resolves") or ""), "resolves", RESOLVES, 0, MAX_RESOLVES, problems)
    versions = {d.version for d in negotiation.drafts}
    drafts: list[int] = []
    for text in form.getlist("draft"):
        version = _whole(str(text), "draft", 0, 1, 10**9, problems)
        if "draft" in problems:
            break
        if version not in versions:
            problems["draft"] = f"no draft v{version} in {negotiation.title or negotiation.id!r}"
            break
        drafts.append(version)
    concepts = [str(c) for c in form.getlist("concept")]
    unknown = [c for c in concepts if c not in CONCEPTS]
    if unknown:
        problems["concept"] = f"unknown concept {unknown[0][:40]!r}; expected one of {', '.join(CONCEPTS)}"
    elif not drafts and not concepts and "draft" not in problems:
        problems["draft"] = "choose a draft or a concept: the candidates whose chances are weighed"
    if not any(p.uncertainty for p in negotiation.preferences.values()):
        problems["samples"] = (
            "no party's preferences have an uncertainty block: every sample would be the same "
            "(a party's preferences page sets how uncertain each estimate is; docs/robustness.md)"
        )
    asked = Asked(samples, seed, tuple(dict.fromkeys(drafts)), tuple(dict.fromkeys(concepts)), top, resolves)
    return asked, problems


def _form_page(
    request: Request,
    viewer: Viewer,
    name: str,
    negotiation: Negotiation,
    *,
    values: dict[str, Any] | None = None,
    problems: dict[str, str] | None = None,
    refused: str | None = None,
    status: int = 200,
) -> Response:
    assert viewer.username is not None
    drafts, concepts = robustness.default_candidates(negotiation)
    return page(
        request,
        "robustness.html",
        name,
        status=status,
        drafts=negotiation.drafts,
        concepts=[(c, robustness.CONCEPT_NAMES[c]) for c in CONCEPTS],
        values=values
        or {
            "samples": f"{SAMPLES}",
            "seed": "1",
            "top": "1",
            "resolves": f"{RESOLVES}",
            "draft": list(drafts),
            "concept": list(concepts),
        },
        problems=problems or {},
        refused=refused,
        jobs=jobs_of(request).of(viewer.username, name, KIND),
        max_samples=MAX_SAMPLES,
    )


@pages.get("/n/{name}/robustness", response_class=HTMLResponse)
async def robustness_page(request: Request, viewer: Who, name: str) -> Response:
    negotiation = await in_analysis_thread(request, robustness.stored_for, database(request), viewer, name)
    return _form_page(request, viewer, name, negotiation)


@pages.post("/n/{name}/robustness")
async def start_robustness(request: Request, viewer: Who, name: str) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    negotiation = await in_analysis_thread(request, robustness.stored_for, database(request), viewer, name)
    assert viewer.username is not None
    asked, problems = _asked(form, negotiation)
    values = {
        "samples": str(form.get("samples") or ""),
        "seed": str(form.get("seed") or ""),
        "top": str(form.get("top") or ""),
        "resolves": str(form.get("resolves") or ""),
        "draft": [int(str(v)) for v in form.getlist("draft") if str(v).isdigit()],
        "concept": [str(c) for c in form.getlist("concept")],
    }
    if problems:
        return _form_page(request, viewer, name, negotiation, values=values, problems=problems, status=422)
    running = jobs_of(request).unfinished(viewer.username, name)
    if running is not None:
        return _form_page(
            request, viewer, name, negotiation, values=values, refused=refusal(running), status=409
        )
    try:
        job = start_job(request, viewer, name, negotiation, asked)
    except SeatBusy as busy:
        return _form_page(request, viewer, name, negotiation, values=values, refused=str(busy), status=409)
    return RedirectResponse(f"/n/{name}/jobs/{job.key}", status_code=303)


def start_job(request: Request, viewer: Viewer, name: str, negotiation: Negotiation, asked: Asked) -> Job:
    """The run as the seat's job (SeatBusy while the seat has another)."""
    assert viewer.username is not None
    return jobs_of(request).start(
        kind=KIND,
        owner=viewer.username,
        negotiation=name,
        title=asked.title,
        total=asked.units,
        work=Apart(_run, (negotiation, asked)),
    )


def asked_from(values: dict[str, Any], negotiation: Negotiation) -> Asked:
    """The jobs API's parameters read as the form's (the same bounds and words); DomainError naming
    each problem at its field. With neither a draft nor a concept, the candidates `accord robustness`
    weighs then: the latest draft and the Nash package."""
    if not values.get("draft") and not values.get("concept"):
        drafts, concepts = robustness.default_candidates(negotiation)
        values = {**values, "draft": list(drafts), "concept": list(concepts)}
    pairs: list[tuple[str, str | UploadFile]] = []
    for field, value in values.items():
        pairs += [(field, str(item)) for item in (value if isinstance(value, list) else [value])]
    form = FormData(pairs)
    asked, problems = _asked(form, negotiation)
    if problems:
        raise DomainError("; ".join(f"{field}: {words}" for field, words in problems.items()))
    return asked


def _run(negotiation: Negotiation, asked: Asked, progress: Steps) -> dict[str, Any]:
    """In the job process: the same analysis as `accord robustness`, one chunk after another; kept as
    what the result's page, its picture and the API need."""
    sampled = resolved = 0
    total_resolves = asked.resolves * len(asked.concepts)
    progress.say("finding the candidates (each concept solved once)")

    def on_samples(n: int) -> None:
        nonlocal sampled
        sampled += n
        progress.advance(n)
        progress.say(f"sampling: {sampled:,} of {asked.samples:,} samples")

    def on_resolve(n: int) -> None:
        nonlocal resolved
        resolved += n
        progress.advance(n)
        progress.say(f"re-solving each concept on redrawn preferences: {resolved:,} of {total_resolves:,}")

    result = robustness.analyse(
        negotiation,
        samples=asked.samples,
        seed=asked.seed,
        drafts=asked.drafts,
        concepts=asked.concepts,
        top=asked.top,
        resolves=asked.resolves,
        runner=robustness.one_thread,
        where="on the workbench",
        progress=on_samples,
        resolved=on_resolve,
        cancelled=progress.cancelled,
    )
    return stored_result(result, negotiation)


def stored_result(result: robustness.Robustness, negotiation: Negotiation) -> dict[str, Any]:
    """What is kept of a run: the page's tables (robustness_view), the picture's numbers, and the
    result as `accord robustness --json` prints it."""
    from accord.reports.robustness_plots import candidate_label

    names = {p.id: p.name for p in negotiation.parties}
    labels = {d.version: d.label for d in negotiation.drafts}
    ordered = sorted(result.candidates, key=lambda c: -c.acceptance)
    return {
        "view": asdict(robustness_view(result, names, labels)),
        "picture": [
            {
                "label": candidate_label(c.candidate.name, labels),
                "acceptance": c.acceptance,
                "standard_error": c.standard_error,
            }
            for c in ordered
        ],
        "data": robustness.as_data(result),
        # the result page's interactive charts (Vega-Lite), kept as drawn when the run finished
        "charts": _charts(result, negotiation, negotiation.id),
    }


def _charts(result: robustness.Robustness, negotiation: Negotiation, name: str) -> list[dict[str, Any]]:
    """The result's interactive charts: acceptance (a candidate links to its package beside the latest
    draft, for the mediator, who alone may compare), and the utilities of the drafts asked for and the
    most acceptable candidates (as `accord robustness --plot` chooses them), in the table's order and
    by the table's names, so that a line's legend entry reads as the table's row."""
    from accord.reports.robustness_charts import acceptance_chart, utilities_chart
    from accord.reports.robustness_plots import candidate_label, chosen_for_utilities

    link = f"/n/{name}/compare"
    specs = [acceptance_chart(robustness.held(result, negotiation, link))]
    labels = {d.version: d.label for d in negotiation.drafts}
    ordered = sorted(result.candidates, key=lambda c: -c.acceptance)
    drafts = [c.candidate.name for c in result.candidates if c.candidate.name.startswith("draft v")]
    chosen, _left_out = chosen_for_utilities([c.candidate.name for c in ordered], first=drafts)
    shown = [c.candidate.name for c in ordered if c.candidate.name in chosen]  # the table's order
    parties = [p.party for p in ordered[0].parties]
    specs.append(
        utilities_chart(
            [negotiation.party(p).name for p in parties],
            [candidate_label(n, labels) for n in shown],
            robustness.histograms(result, shown),
            [negotiation.preferences[p].reservation_value for p in parties],
        )
    )
    return specs
