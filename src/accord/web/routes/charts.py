"""Interactive pictures (issue 17): the JavaScript that draws them, served from this site, and the
mediator's frontier: hover a package to read it in words, click it to compare it with the latest draft.

The charts are Vega-Lite specifications (accord.reports.frontier_chart and its siblings); a page
carries its chart's specification as JSON in a ``data-vl-spec`` attribute and static/charts.js draws
it with vega-embed. No script is inline and none comes from another site (the Content-Security-Policy
of accord.web.headers allows neither): Vega, Vega-Lite and vega-embed are served at
/static/vega.js from the vl-convert package installed with accord (:func:`vega_script`), and Vega
evaluates the charts' expressions with its interpreter (vega-embed's ``ast``), never with eval.

The same specifications, drawn by vl-convert, are the PNG a page shows without JavaScript.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
from collections.abc import Sequence
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from accord.analysis.timeline import Entry, EntryKind
from accord.security.policy import Viewer
from accord.services.frontier_view import FrontierView, compare_with_latest, frontier_view
from accord.web.context import database, in_analysis_thread, logged_in
from accord.web.routes.pages import page

scripts = APIRouter(include_in_schema=False)  # mounted before /static (its files would shadow it)
router = APIRouter(include_in_schema=False)
Who = Annotated[Viewer, Depends(logged_in)]


@functools.cache
def _bundle() -> tuple[bytes, bytes, str]:
    """The script, gzipped, and its ETag: built on the first request (about 2 s), then kept."""
    from accord.reports import vega

    script = vega.javascript_bundle().encode("utf-8")
    return script, gzip.compress(script, 6, mtime=0), hashlib.sha256(script).hexdigest()[:32]


@scripts.get("/static/vega.js")
async def vega_script(request: Request) -> Response:
    """Vega, Vega-Lite and vega-embed (BSD-3-Clause), one script, from this site."""
    script, packed, tag = await in_analysis_thread(request, _bundle)
    headers = {"Cache-Control": "public, max-age=86400", "ETag": f'"{tag}"', "Vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == f'"{tag}"':
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(packed, media_type="text/javascript; charset=utf-8", headers=headers)
    return Response(script, media_type="text/javascript; charset=utf-8", headers=headers)


def frontier_specs(found: FrontierView, name: str, *, interactive: bool = True) -> list[dict[str, Any]]:
    """The frontier's charts: two parties' projection, and with three parties or more every party
    at once; a package links to its comparison with the latest draft."""
    from accord.reports.frontier_chart import Mark, frontier_chart, parallel_chart

    # the latest draft links nowhere: a package's link compares it with the latest draft
    marks = [Mark(m.name, m.utilities, m.columns, m.breaks, linked=not m.draft) for m in found.marks]
    link = f"/n/{name}/compare"
    specs = [frontier_chart(found.problem, found.frontier, marks=marks, link=link, interactive=interactive)]
    if found.problem.n_parties > 2 and interactive:
        specs.append(parallel_chart(found.problem, found.frontier, marks=marks, link=link))
    return specs


@router.get("/n/{name}/explorer/frontier", response_class=HTMLResponse)
async def explorer_frontier(request: Request, viewer: Who, name: str) -> Response:
    """The explorer's frontier (loaded into the page): the charts, and the same packages as a table."""
    found = await in_analysis_thread(request, frontier_view, database(request), viewer, name)
    specs = await in_analysis_thread(request, frontier_specs, found, name)
    problem = found.problem
    packages = [
        {
            "utilities": [float(u) for u in point],
            "query": urlencode(problem.package(columns)),
        }
        for point, columns in zip(found.frontier.points, found.frontier.packages, strict=True)
    ]
    # the concepts' packages are frontier packages, marked; the latest draft is not one of them (it may
    # break demands, or be beaten for every party): a table of its own, with nothing to compare it with
    marks = [
        {
            "name": m.name,
            "utilities": m.utilities,
            "query": urlencode(problem.package(m.columns)),
        }
        for m in found.marks
        if not m.draft
    ]
    drafts = [
        {"name": m.name, "utilities": m.utilities, "breaks": m.breaks, "breaks_text": m.breaks_text}
        for m in found.marks
        if m.draft
    ]
    return page(
        request,
        "_frontier.html",
        name,
        specs=specs,
        parties=problem.party_names,
        packages=packages,
        marks=marks,
        drafts=drafts,
        frontier=found.frontier,
        draft_note=found.draft_note,
    )


@router.get("/n/{name}/compare", response_class=HTMLResponse)
async def compare(request: Request, viewer: Who, name: str) -> Response:
    """A package (``?point=option`` for every point) beside the latest draft."""
    chosen = dict(request.query_params)
    found = await in_analysis_thread(request, compare_with_latest, database(request), viewer, name, chosen)
    return page(request, "compare.html", name, found=found)


def entry_page(name: str, entry: Entry) -> str | None:
    """The page a timeline entry opens: its draft, its paper, the stances on its draft, or the list
    that holds it (meetings, statements, events)."""
    version = entry.ref.split("/", 1)[0].removeprefix("v")
    if entry.kind in (EntryKind.DRAFT, EntryKind.CIRCULATION) and version.isdigit():
        return f"/n/{name}/drafts/{version}"
    if entry.kind is EntryKind.STANCE and version.isdigit():
        return f"/n/{name}/matrix?draft={version}"
    if entry.kind is EntryKind.PAPER:
        return f"/n/{name}/papers/{quote(entry.ref)}"
    pages = {EntryKind.MEETING: "meetings", EntryKind.STATEMENT: "statements", EntryKind.EVENT: "events"}
    return f"/n/{name}/{pages[entry.kind]}" if entry.kind in pages else None


def timeline_spec(name: str, entries: Sequence[Entry], title: str) -> dict[str, Any]:
    from accord.reports.record_charts import timeline_chart

    return timeline_chart(entries, lambda e: entry_page(name, e), title=title)


@router.get("/n/{name}/stances/over-drafts", response_class=HTMLResponse)
async def stances_over_drafts(request: Request, viewer: Who, name: str) -> Response:
    """The stances on every draft the seat has, as far as it sees them (the matrix page's columns: a
    party its own, the mediator every party's): a chart, loaded into the stances page."""
    cells, drafts, points = await in_analysis_thread(request, _stance_cells, request, viewer, name)
    spec = None
    if cells:
        from accord.reports.record_charts import stances_chart

        spec = await in_analysis_thread(request, stances_chart, cells, drafts, points)
    return page(request, "_stances_over_drafts.html", name, spec=spec, drafts=drafts)


def _stance_cells(request: Request, viewer: Viewer, name: str) -> tuple[list[Any], list[str], list[str]]:
    from accord.domain.drafts import chronological
    from accord.reports.record_charts import stance_cells
    from accord.services import workbench

    db = database(request)
    seen = workbench.view(db, viewer, name).negotiation
    seat = viewer.seat(name)
    assert seat is not None
    drafts = chronological(seen.drafts)
    standings = ((draft, workbench.matrix(db, viewer, name, draft.version)) for draft in drafts)
    # the matrix page's columns: the mediator every party's, a party its own
    return stance_cells(
        seen,
        standings,
        lambda standing: [p for p in standing.parties if seat.role.value == "mediator" or p == seat.party],
        lambda draft: f"/n/{name}/matrix?draft={draft.version}",
    )
