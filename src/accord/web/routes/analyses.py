"""The mediator's analyses as pages (issue 17): diagnose (with a chosen draft), improve, logrolls and
contested, the same use cases as `accord diagnose --draft`, `improve`, `logrolls`, `contested`
(accord.services.analyses) under the same policy (Action.ANALYSE: the mediator's).

Each page is a form (method GET, so a result can be linked) and its answer in words: the demands in
the negotiators' words, the options by their text. The engine runs on the analysis threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from accord.domain.drafts import chronological
from accord.errors import DomainError
from accord.security.policy import Action, Viewer, require
from accord.services import analyses, workbench
from accord.services.analyses import Analysed
from accord.storage.database import Database
from accord.web.context import database, in_analysis_thread, logged_in
from accord.web.option_words import for_page
from accord.web.routes.pages import page
from accord.web.translations import N_

router = APIRouter(include_in_schema=False)
Who = Annotated[Viewer, Depends(logged_in)]
Asked = Annotated[str | None, Query(max_length=40)]

ANALYSES = (  # (path, name, what it answers): the pages' own menu, translated where shown
    (
        "diagnose",
        N_("Diagnose"),
        N_("why no package keeps every demand, and the ways out; what a draft breaks"),
    ),
    ("improve", N_("Improve a draft"), N_("changes that leave every party at least as well off, one better")),
    ("logrolls", N_("Logrolls"), N_("two points on which two parties trade concessions, both gaining")),
    ("contested", N_("Contested points"), N_("the points ranked by how far apart the parties are")),
)


def _versions(request: Request, viewer: Viewer, name: str) -> list[tuple[int, str]]:
    """The drafts to choose from, newest first: "v3 — Geneva text"."""
    seen = workbench.view(database(request), viewer, name).negotiation
    ordered = reversed(chronological(seen.drafts))
    return [(d.version, f"v{d.version}" + (f" — {d.label}" if d.label else "")) for d in ordered]


async def _run(
    request: Request,
    viewer: Viewer,
    name: str,
    template: str,
    work: Callable[[Database, Viewer, str], Analysed],
    **asked: str | None,
) -> Response:
    """The analysis on the analysis threads; a form's mistake (a draft that is no number, a version
    that does not exist) answered on the page, in words (422), with the form as it was filled in."""
    require(viewer, Action.ANALYSE, name)  # a refused seat learns nothing, not even of the form
    found: Analysed | None = None
    message = None
    try:
        found = await in_analysis_thread(request, work, database(request), viewer, name)
    except DomainError as error:  # NotFoundError too: an unknown version, named with those there are
        message = for_page(str(error))
    return page(
        request,
        template,
        name,
        422 if message else 200,
        analyses=ANALYSES,
        versions=_versions(request, viewer, name),
        found=found,
        message=message,
        asked=asked,
    )


@router.get("/n/{name}/diagnose", response_class=HTMLResponse)
async def diagnose_page(
    request: Request,
    viewer: Who,
    name: str,
    draft: Asked = None,
    rank: Annotated[str, Query(pattern="^(size|weight)$")] = "size",
) -> Response:
    """`accord diagnose --draft V --rank size|weight`: the minimal conflicts, the ways out, and what
    the chosen draft breaks with the nearest package that breaks none."""
    ranked: analyses.Rank = "weight" if rank == "weight" else "size"

    def work(db: Database, who: Viewer, slug: str) -> Analysed:
        return analyses.diagnosis(db, who, slug, draft, rank=ranked)

    return await _run(request, viewer, name, "analysis_diagnose.html", work, draft=draft, rank=rank)


@router.get("/n/{name}/improve", response_class=HTMLResponse)
async def improve_page(
    request: Request, viewer: Who, name: str, draft: Asked = None, max_changes: Asked = None
) -> Response:
    """`accord improve --draft V --max-changes K`."""

    def work(db: Database, who: Viewer, slug: str) -> Analysed:
        most = _whole(max_changes, "max changes")
        return analyses.improvement(db, who, slug, draft, max_changes=most)

    return await _run(
        request, viewer, name, "analysis_improve.html", work, draft=draft, max_changes=max_changes
    )


def _whole(text: str | None, field: str) -> int | None:
    """A form's optional whole number of at least 1 (empty: none), or DomainError naming the field."""
    if text is None or not text.strip():
        return None
    if not text.strip().isdigit() or int(text) < 1:
        raise DomainError(f"{field}: expected a whole number of at least 1, got {text[:40]!r}")
    return int(text)


@router.get("/n/{name}/logrolls", response_class=HTMLResponse)
async def logrolls_page(request: Request, viewer: Who, name: str, draft: Asked = None) -> Response:
    """`accord logrolls --draft V --all`."""

    def work(db: Database, who: Viewer, slug: str) -> Analysed:
        return analyses.logrolls(db, who, slug, draft)

    return await _run(request, viewer, name, "analysis_logrolls.html", work, draft=draft)


@router.get("/n/{name}/contested", response_class=HTMLResponse)
async def contested_page(request: Request, viewer: Who, name: str) -> Response:
    """`accord contested`."""
    return await _run(request, viewer, name, "analysis_contested.html", analyses.contested)
