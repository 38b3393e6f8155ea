"""The briefing from the workbench (issue 15): a page to choose it and read it, a download in every
format, and the JSON API's equivalent, on accord.services.briefing (the same use case as
`accord brief`).

Who may take which briefing is the service's (and the policy module's) decision: the mediator any
(its own, or a party's as that party would read it); a party's member its own party's alone (another
party's: 403); an observer none. The page asks the service which briefings the seat may choose.

The briefing's HTML carries its own styles (the charts' SVG is styled inline), which the workbench's
Content-Security-Policy forbids on its pages. So the page shows it in a sandboxed frame: the HTML
briefing is answered with its own policy (no script at all, inline styles, framed by this site only,
sandboxed), and the page alone may frame this site.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accord.errors import AccessDenied, DomainError
from accord.reports import brief_render
from accord.security.policy import Viewer
from accord.services import briefing as briefing_service
from accord.services import workbench
from accord.storage.database import Database
from accord.web import form_values
from accord.web.context import database, in_analysis_thread, logged_in
from accord.web.headers import CONTENT_SECURITY_POLICY
from accord.web.json_route import OneTurn
from accord.web.option_words import for_page
from accord.web.routes.pages import page
from accord.web.translations import N_, words

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["briefing"], route_class=OneTurn)
Who = Annotated[Viewer, Depends(logged_in)]
Text = Annotated[str | None, Query(max_length=200)]
For = Annotated[str | None, Query(alias="for", max_length=200)]

MIN_SAMPLES, MAX_SAMPLES = 100, 20_000  # robustness samples a request may ask for
FORMAT_LABELS = {
    "html": N_("HTML (read it here)"),
    "pdf": "PDF",
    "docx": N_("Word"),
    "md": "Markdown",
}
EXTENSIONS = {"html": "html", "pdf": "pdf", "docx": "docx", "md": "md"}
# the HTML briefing alone: its own inline styles, no script of any kind, framed by this site only
BRIEFING_POLICY = "; ".join(
    [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "frame-ancestors 'self'",
        "form-action 'none'",
        "base-uri 'none'",
        "sandbox",
    ]
)
PAGE_POLICY = CONTENT_SECURITY_POLICY + "; frame-src 'self'"  # the briefing page frames the briefing


class Asked:
    """A briefing request as typed into the form or the query string, read and checked in plain words
    (each refusal a DomainError naming the field)."""

    def __init__(
        self,
        audience: str | None,
        as_of: str | None,
        since: str | None,
        format: str | None,
        samples: str | None,
        *,
        default_format: str,
    ) -> None:
        self.audience = (audience or "").strip() or None
        self.as_of = form_values.date("as of", as_of)
        self.since = form_values.date("since", since)
        if self.as_of and self.since and self.since > self.as_of:
            raise DomainError(
                f"since: {self.since.isoformat()} is after the as-of date {self.as_of.isoformat()}"
            )
        self.format = (format or "").strip().lower() or default_format
        if self.format not in brief_render.FORMATS:
            raise DomainError(
                f"format: expected one of {', '.join(brief_render.FORMATS)}, got {self.format[:40]!r}"
            )
        self.samples = briefing_service.SAMPLES
        if samples:
            try:
                self.samples = int(samples)
            except ValueError:
                raise DomainError(f"samples: expected a whole number, got {samples[:40]!r}") from None
            if not MIN_SAMPLES <= self.samples <= MAX_SAMPLES:
                raise DomainError(f"samples: expected {MIN_SAMPLES} to {MAX_SAMPLES}, got {self.samples}")
        self.given_samples = bool(samples)

    def query(self, audience: str, format: str, **more: str) -> str:
        """The query string of this request for ``audience`` in ``format``."""
        values = {"for": audience, "format": format}
        if self.as_of:
            values["as_of"] = self.as_of.isoformat()
        if self.since:
            values["since"] = self.since.isoformat()
        if self.given_samples:
            values["samples"] = str(self.samples)
        return urlencode({**values, **more})


def audiences(db: Database, viewer: Viewer, name: str) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The briefings the seat may take, (value, label); and every name a party goes by (its id or its
    name, any case) -> its id, with "mediator"."""
    seen = workbench.view(db, viewer, name).negotiation
    names = {"mediator": "mediator"}
    for party in seen.negotiating_parties:
        names[party.id.lower()] = party.id
        names[party.name.lower()] = party.id
    return briefing_service.allowed_audiences(viewer, name, seen), names


def resolve(db: Database, viewer: Viewer, name: str, given: str | None) -> str:
    """The briefing asked for ("mediator" or a party's id): by default the seat's own (the mediator's,
    or its party's). An unknown party is a DomainError; one the seat may not take, AccessDenied."""
    allowed, names = audiences(db, viewer, name)
    if not allowed:
        raise AccessDenied("an observer's seat has no briefing: ask the mediator for one")
    if given is None:
        return allowed[0][0]
    found = names.get(given.strip().lower())
    if found is None:
        known = ", ".join(sorted({v for v in names.values() if v != "mediator"}))
        raise DomainError(f"for: no party {given[:60]!r} in {name!r} (expected mediator or one of: {known})")
    if found not in {value for value, _ in allowed}:
        raise AccessDenied("a party's seat reads its own party's briefing only")
    return found


def _make(db: Database, viewer: Viewer, name: str, asked: Asked) -> tuple[str, bytes, dt.date]:
    """(the audience, the document, the day it reflects)."""
    audience = resolve(db, viewer, name, asked.audience)
    request = briefing_service.Request(
        party=None if audience == "mediator" else audience,
        as_of=asked.as_of,
        since=asked.since,
        samples=asked.samples,
    )
    made = briefing_service.of_record(db, viewer, name, request)
    return audience, brief_render.render(made, asked.format), made.as_of


async def document(request: Request, viewer: Viewer, name: str, asked: Asked, *, inline: bool) -> Response:
    """The briefing's bytes with their media type, as an attachment named for what it is (the HTML
    inline when asked, to be shown in the page's frame)."""
    audience, data, as_of = await in_analysis_thread(request, _make, database(request), viewer, name, asked)
    filename = f"briefing-{name}-{audience}-{as_of.isoformat()}.{EXTENSIONS[asked.format]}"
    disposition = "inline" if inline and asked.format == "html" else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{filename}"', "Cache-Control": "no-store"}
    if asked.format == "html":
        headers["Content-Security-Policy"] = BRIEFING_POLICY
        headers["X-Frame-Options"] = "SAMEORIGIN"
    return Response(data, media_type=brief_render.MEDIA_TYPES[asked.format], headers=headers)


# -- the page -----------------------------------------------------------------------------------------


@pages.get("/n/{name}/briefing", response_class=HTMLResponse)
async def briefing_page(
    request: Request,
    viewer: Who,
    name: str,
    audience: For = None,
    as_of: Text = None,
    since: Text = None,
    format: Text = None,
    samples: Text = None,
) -> Response:
    """The form; once it is sent, the HTML briefing in a frame with a download link per format (a
    format other than HTML is downloaded at once)."""
    db = database(request)
    allowed, _ = audiences(db, viewer, name)
    values = {
        "for": audience or "",
        "as_of": as_of or "",
        "since": since or "",
        "format": format or "html",
        "samples": samples or "",  # kept by the form: asked in the address, it stays asked
    }
    context: dict[str, Any] = {"audiences": allowed, "formats": FORMAT_LABELS, "values": values}
    if not allowed:
        return page(request, "briefing.html", name, status=403, observer=True, **context)
    try:
        asked = Asked(audience, as_of, since, format, samples, default_format="html")
        chosen = resolve(db, viewer, name, asked.audience)
    except DomainError as error:
        return _framing(
            page(request, "briefing.html", name, status=422, problem=for_page(str(error)), **context)
        )
    if all(v is None for v in (audience, as_of, since, format)):  # the form, not yet sent
        return _framing(page(request, "briefing.html", name, **context))
    values["for"] = chosen
    base = f"/n/{name}/briefing/download?"
    if asked.format != "html":
        return RedirectResponse(base + asked.query(chosen, asked.format), status_code=303)
    return _framing(
        page(
            request,
            "briefing.html",
            name,
            frame=base + asked.query(chosen, "html", inline="1"),
            downloads=[
                (words(request)(FORMAT_LABELS[f]).split(" ")[0], base + asked.query(chosen, f))
                for f in FORMAT_LABELS
            ],
            label=dict(allowed).get(chosen, chosen),
            **context,
        )
    )


def _framing(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    return response


@pages.get("/n/{name}/briefing/download")
async def briefing_download(
    request: Request,
    viewer: Who,
    name: str,
    audience: For = None,
    as_of: Text = None,
    since: Text = None,
    format: Text = None,
    samples: Text = None,
    inline: Text = None,
) -> Response:
    asked = Asked(audience, as_of, since, format, samples, default_format="pdf")
    return await document(request, viewer, name, asked, inline=bool(inline))


# -- the JSON API -------------------------------------------------------------------------------------


@api.get("/negotiations/{name}/briefing")
async def get_briefing(
    request: Request,
    viewer: Who,
    name: str,
    audience: For = None,
    as_of: Text = None,
    since: Text = None,
    format: Text = None,
    samples: Text = None,
) -> Response:
    """The briefing as a document (as `accord brief`): ``for`` mediator or a party (id or name; by
    default the caller's own: the mediator's, or its party's), ``as_of`` and ``since`` dates
    (YYYY-MM-DD), ``format`` pdf (the default), html, md (figures embedded) or docx, ``samples`` of
    the robustness analysis. A party's seat takes its own party's briefing only (403 for another's);
    an observer's none. Answered as an attachment named briefing-NAME-FOR-ASOF.EXT; errors as JSON."""
    asked = Asked(audience, as_of, since, format, samples, default_format="pdf")
    return await document(request, viewer, name, asked, inline=False)
