"""Statements and events: the pages and the JSON API, on accord.services.statements and .events (the
same use cases as `accord statement` and `accord event`). Every seat reads the statements the policy
shows it (public ones; private ones of its own party's people); events, their traces and every write
are the mediator's.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from accord.domain import EventKind, StanceKind, StatementChannel
from accord.errors import DomainError
from accord.security.policy import Action, Viewer, allows, require
from accord.services import events as event_service
from accord.services import statements as statement_service
from accord.services import workbench
from accord.services.sources import NO_CITATION, Citation
from accord.web.context import WRITES, check_csrf, database, logged_in
from accord.web.form_values import chosen, kept
from accord.web.json_route import OneTurn
from accord.web.option_words import for_page
from accord.web.routes.pages import page, record_words

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["statements and events"], route_class=OneTurn)
Who = Annotated[Viewer, Depends(logged_in)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


# -- what a form gives ------------------------------------------------------------------------------


def _text(form: Any, field: str) -> str | None:
    return str(form.get(field) or "").strip() or None


def _date(field: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DomainError(f"{field}: expected a date YYYY-MM-DD, got {value[:40]!r}") from None


def _choice(field: str, kind: Any, value: str | None) -> Any:
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(k.value for k in kind)
        raise DomainError(f"{field}: expected one of {known}, got {value[:40]!r}") from None


def _number(field: str, value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value.strip().removeprefix("v").removeprefix("V"))  # "v3" as the pages write it
    except ValueError:
        raise DomainError(f"{field}: expected a draft version (a number), got {value[:40]!r}") from None


def _form_citation(form: Any) -> Citation:
    keys = tuple(str(k).strip() for k in form.getlist("source") if str(k).strip())
    outlet, title, url = (_text(form, f"source_{f}") for f in ("outlet", "title", "url"))
    when = _date("source date", _text(form, "source_date"))
    if not (keys or outlet or title or url or when):
        return NO_CITATION
    return Citation(keys=keys, outlet=outlet, title=title, url=url, date=when, prefix="source ")


# -- statements -------------------------------------------------------------------------------------


@pages.get("/n/{name}/statements", response_class=HTMLResponse)
def statements_page(request: Request, viewer: Who, name: str) -> Response:
    return _statements_page(request, viewer, name)


def _statements_page(
    request: Request, viewer: Viewer, name: str, typed: Any = None, message: str | None = None
) -> Response:
    """The statements, and the mediator's form: after a refused one, with the message and what was
    typed (``typed``: the form sent)."""
    found, seen = statement_service.list_statements(database(request), name, viewer)
    return page(
        request,
        "statements.html",
        name,
        422 if message else 200,
        statements=[statement_service.describe(s, seen) for s in reversed(found)],
        people=sorted(seen.people, key=lambda p: p.name.lower()),
        points=seen.points,
        drafts=sorted(seen.drafts, key=lambda d: d.version, reverse=True),
        channels=[c.value for c in StatementChannel],
        kinds=[k.value for k in StanceKind],
        mediator=allows(viewer, Action.RECORD_STATEMENT, name),
        values=kept(typed),
        chosen_points=chosen(typed, "points"),
        message=message,
        **record_words(seen),
    )


@pages.post("/n/{name}/statements")
async def add_statement_form(request: Request, viewer: Who, name: str) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    require(viewer, Action.RECORD_STATEMENT, name)  # before saying anything of what was sent
    try:
        said = _date("date", _text(form, "date"))
        if said is None:
            raise DomainError("date: a statement needs the date it was made (YYYY-MM-DD)")
        statement_service.record_statement(
            database(request),
            viewer,
            name,
            by=_text(form, "by") or "",
            date=said,
            quote=_text(form, "quote") or "",
            summary=_text(form, "summary"),
            channel=_choice("channel", StatementChannel, _text(form, "channel")) or StatementChannel.PRESS,
            points=[str(p) for p in form.getlist("points") if str(p).strip()],
            stance=_choice("stance", StanceKind, _text(form, "stance")),
            draft=_number("draft", _text(form, "draft")),
            note=_text(form, "note"),
            citation=_form_citation(form),
        )
    except DomainError as error:
        return _statements_page(request, viewer, name, form, for_page(str(error)))
    return RedirectResponse(f"/n/{name}/statements", status_code=303)


@pages.post("/n/{name}/statements/{key}/adopt")
async def adopt_statement_form(request: Request, viewer: Who, name: str, key: str) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    statement_service.adopt_as(database(request), viewer, name, key)
    return RedirectResponse(f"/n/{name}/statements", status_code=303)


class SourceIn(BaseModel):
    """A new source described in the request."""

    outlet: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=500)
    url: str | None = Field(default=None, max_length=500)
    date: dt.date | None = None
    quote: str | None = Field(default=None, max_length=5000)


def _citation(keys: list[str], new: SourceIn | None) -> Citation:
    if new is None:
        return Citation(keys=tuple(keys)) if keys else NO_CITATION
    return Citation(
        keys=tuple(keys),
        outlet=new.outlet,
        title=new.title,
        url=new.url,
        date=new.date,
        quote=new.quote,
        prefix="source.",
    )


class StatementIn(BaseModel):
    by: Name
    date: dt.date
    quote: Annotated[str, Field(min_length=1, max_length=5000)]
    summary: str | None = Field(default=None, max_length=5000)
    channel: StatementChannel = StatementChannel.PRESS
    points: list[Name] = Field(default_factory=list, max_length=100)
    stance: StanceKind | None = None
    draft: int | None = None
    note: str | None = Field(default=None, max_length=2000)
    sources: list[Name] = Field(default_factory=list, max_length=50)
    source: SourceIn | None = None


@api.get("/negotiations/{name}/statements")
def statements(request: Request, viewer: Who, name: str) -> list[dict[str, Any]]:
    """The statements the caller may see: public ones, and private ones of its own party's people."""
    found, seen = statement_service.list_statements(database(request), name, viewer)
    return [statement_service.describe(s, seen) for s in found]


@api.post("/negotiations/{name}/statements", status_code=201, dependencies=[WRITES])
def add_statement(request: Request, viewer: Who, name: str, body: StatementIn) -> dict[str, Any]:
    """Record what a person said (the mediator)."""
    db = database(request)
    said = statement_service.record_statement(
        db,
        viewer,
        name,
        by=body.by,
        date=body.date,
        quote=body.quote,
        summary=body.summary,
        channel=body.channel,
        points=body.points,
        stance=body.stance,
        draft=body.draft,
        note=body.note,
        citation=_citation(body.sources, body.source),
    )
    _found, seen = statement_service.list_statements(db, name, viewer)
    return statement_service.describe(said, seen)


@api.post("/negotiations/{name}/statements/{key}/adopt", status_code=201, dependencies=[WRITES])
def adopt_statement(request: Request, viewer: Who, name: str, key: str) -> dict[str, Any]:
    """Record a statement as its speaker's party's stance on each point it names (the mediator)."""
    adopted = statement_service.adopt_as(database(request), viewer, name, key)
    return {
        "statement": key,
        "party": adopted.party,
        "draft": adopted.draft,
        "stances": [{"point": s.point, "stance": s.stance.value} for s in adopted.stances],
    }


# -- events -----------------------------------------------------------------------------------------


@pages.get("/n/{name}/events", response_class=HTMLResponse)
def events_page(request: Request, viewer: Who, name: str) -> Response:
    return _events_page(request, viewer, name)


def _events_page(
    request: Request, viewer: Viewer, name: str, typed: Any = None, message: str | None = None
) -> Response:
    """The events, and the mediator's form: after a refused one, with the message and what was typed."""
    db = database(request)
    found = event_service.list_events(db, name, viewer)
    seen = workbench.view(db, viewer, name).negotiation
    return page(
        request,
        "events.html",
        name,
        422 if message else 200,
        events=[event_service.describe(e) for e in reversed(found)],
        kinds=[k.value for k in EventKind],
        drafts=sorted(seen.drafts, key=lambda d: d.version, reverse=True),
        papers=seen.papers,
        values=kept(typed),
        message=message,
        **record_words(seen),
    )


@pages.post("/n/{name}/events")
async def add_event_form(request: Request, viewer: Who, name: str) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    require(viewer, Action.RECORD_EVENT, name)  # before saying anything of what was sent
    try:
        event_service.record_event(
            database(request),
            viewer,
            name,
            kind=_choice("kind", EventKind, _text(form, "kind")) or EventKind.OTHER,
            summary=_text(form, "summary") or "",
            date=_date("date", _text(form, "date")),
            date_approx=_text(form, "date_approx"),
            draft=_number("draft", _text(form, "draft")),
            paper=_text(form, "paper"),
            surfaced=_text(form, "surfaced"),
            note=_text(form, "note"),
            citation=_form_citation(form),
        )
    except DomainError as error:
        return _events_page(request, viewer, name, form, for_page(str(error)))
    return RedirectResponse(f"/n/{name}/events", status_code=303)


class EventIn(BaseModel):
    kind: EventKind
    summary: Annotated[str, Field(min_length=1, max_length=2000)]
    date: dt.date | None = None
    date_approx: str | None = Field(default=None, max_length=200)
    draft: int | None = None
    paper: str | None = Field(default=None, max_length=200)
    surfaced: str | None = Field(default=None, max_length=500)
    note: str | None = Field(default=None, max_length=2000)
    sources: list[Name] = Field(default_factory=list, max_length=50)
    source: SourceIn | None = None


@api.get("/negotiations/{name}/events")
def events(request: Request, viewer: Who, name: str) -> list[dict[str, Any]]:
    """Every event with the leak traces attached to it (the mediator)."""
    return [event_service.describe(e) for e in event_service.list_events(database(request), name, viewer)]


@api.post("/negotiations/{name}/events", status_code=201, dependencies=[WRITES])
def add_event(request: Request, viewer: Who, name: str, body: EventIn) -> dict[str, Any]:
    """Record an event: a leak, an announcement, a postponement (the mediator)."""
    event = event_service.record_event(
        database(request),
        viewer,
        name,
        kind=body.kind,
        summary=body.summary,
        date=body.date,
        date_approx=body.date_approx,
        draft=body.draft,
        paper=body.paper,
        surfaced=body.surfaced,
        note=body.note,
        citation=_citation(body.sources, body.source),
    )
    return event_service.describe(event)
