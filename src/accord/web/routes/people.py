"""People and delegations, sources, and changes to recorded meetings: the pages and the JSON API, on
accord.services.record_keeping (the same use cases as `accord person`, `accord source` and `accord
meeting update`). Every seat reads the people it may see (names and roles); only the mediator writes.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from accord.config import TEXT_CHARS
from accord.domain import MeetingStatus, Person
from accord.domain.record import MeetingChannel
from accord.errors import DomainError
from accord.security.policy import Action, Viewer, allows, require
from accord.services import record_keeping
from accord.services.meetings import Attending
from accord.services.sources import NO_CITATION, Citation
from accord.services.workbench import meetings as seen_meetings
from accord.services.workbench import view
from accord.web.context import WRITES, check_csrf, database, logged_in
from accord.web.form_problems import FormProblems, place
from accord.web.form_values import choice, date, duration, form_citation, start
from accord.web.json_route import OneTurn
from accord.web.routes.pages import page
from accord.web.serialise import meeting_data, person_data, source_data
from accord.web.translations import said as _

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["people and sources"], route_class=OneTurn)
Who = Annotated[Viewer, Depends(logged_in)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Short = Annotated[str, Field(min_length=1, max_length=500)]


# -- parsing what a form or a request gives -----------------------------------------------------------


class SourceIn(BaseModel):
    """A new source described in the request: any of outlet, title, url, date, quote."""

    outlet: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=500)
    url: str | None = Field(default=None, max_length=500)
    date: dt.date | None = None
    quote: str | None = Field(default=None, max_length=5000)
    note: str | None = Field(default=None, max_length=5000)

    def citation(self, keys: list[str], prefix: str = "source.") -> Citation:
        return Citation(
            keys=tuple(keys),
            outlet=self.outlet,
            title=self.title,
            url=self.url,
            date=self.date,
            quote=self.quote,
            note=self.note,
            prefix=prefix,
        )


def _citation(keys: list[str], new: SourceIn | None) -> Citation:
    if new is None:
        return Citation(keys=tuple(keys)) if keys else NO_CITATION
    return new.citation(keys)


# -- people -----------------------------------------------------------------------------------------


@pages.get("/n/{name}/people", response_class=HTMLResponse)
def people_page(
    request: Request,
    viewer: Who,
    name: str,
    edit: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The people and sources; ``edit``: a person's key, whose change form the mediator opens."""
    return _people_page(request, viewer, name, edit or None)


def _people_page(
    request: Request,
    viewer: Viewer,
    name: str,
    editing: str | None = None,
    values: dict[str, str] | None = None,
    problems: FormProblems | None = None,
    status: int = 200,
) -> Response:
    """``editing``: the person whose change form is open (the mediator's), filled with ``values`` (what
    was typed) or else the person's details as recorded."""
    seen = view(database(request), viewer, name).negotiation  # one read: what the seat may see
    person = None
    if editing is not None and allows(viewer, Action.RECORD_PERSON, name):
        person = seen.person(editing)  # a person not recorded: NotFoundError (404)
        values = values if values is not None else _details_of(person)
    return page(
        request,
        "people.html",
        name,
        status,
        people=record_keeping.in_order(seen.people),
        party_names={p.id: p.name for p in seen.parties},
        sources=seen.sources,
        editing=person,
        values=values or {},
        problems=problems or FormProblems(),
    )


def _details_of(person: Person) -> dict[str, str]:
    """A person's details as the change form shows them."""
    return {
        "person_name": person.name,
        "party": person.party or "",
        "role": person.role or "",
        "lead": "1" if person.lead else "",
        "aliases": "",
        "note": person.note or "",
    }


# the service's words for a field -> the change form's input
PERSON_FIELDS = {
    "name": "person_name",
    "--name": "person_name",
    "--party": "party",
    "party": "party",
    "role": "role",
    "--role": "role",
    "--lead": "lead",
    "note": "note",
    "--note": "note",
    "--alias": "aliases",
}
# each text of the change form, and its kind of text (accord.config.TEXT_CHARS; the aliases: each one)
PERSON_LIMITS = {"person_name": "name", "party": "name", "role": "title", "aliases": "name", "note": "note"}
PERSON_PATTERNS = ((r"^aliases\[", "aliases"), (r"leads? (no|.*'s) delegation", "lead"))


@pages.post("/n/{name}/people/{key}", response_class=HTMLResponse)
async def update_person_form(request: Request, viewer: Who, name: str, key: str) -> Response:
    """The people page's change form (the mediator's), as `accord person update`: the form shows the
    person's details; what differs from them is changed, more spellings are added. A problem is shown
    at its field and the form keeps what was typed."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    require(viewer, Action.RECORD_PERSON, name)  # before reading anything the form says
    person = view(database(request), viewer, name).negotiation.person(key)
    problems = FormProblems()
    values = {}
    for field, kind in PERSON_LIMITS.items():  # a text over its limit is refused, not repeated
        typed = str(form.get(field) or "").strip()
        parts = typed.split(";") if field == "aliases" else [typed]
        if any(len(part.strip()) > TEXT_CHARS[kind] for part in parts):
            limit = {"limit": f"{TEXT_CHARS[kind]:,}"}
            if field == "aliases":
                problems.add(field, _("longer than %(limit)s characters; write at most that each") % limit)
            else:
                problems.add(field, _("longer than %(limit)s characters; write at most that") % limit)
            typed = ""
        values[field] = typed
    values["lead"] = "1" if form.get("lead") else ""
    if not values["person_name"]:
        problems.add("person_name", _("a person needs a name; write it as usually written"))
    aliases = [a.strip() for a in values["aliases"].split(";") if a.strip()]
    lead = bool(values["lead"])
    unchanged = (
        values["person_name"] == person.name
        and values["party"] == (person.party or "")
        and values["role"] == (person.role or "")
        and lead == person.lead
        and values["note"] == (person.note or "")
        and all(a in person.aliases for a in aliases)
    )
    if unchanged and not problems:
        problems.add(
            None, _("nothing to change for %(person)s: edit a field first") % {"person": person.name}
        )
    if not problems:
        try:
            record_keeping.update_person(
                database(request),
                viewer,
                name,
                person.id,
                name=values["person_name"],
                party=values["party"] or None,
                no_party=not values["party"] and person.party is not None,
                role=values["role"],
                lead=lead,
                add_aliases=aliases,
                # a note left as it was is not written again (the log would say it changed)
                note=values["note"] if values["note"] != (person.note or "") else None,
            )
        except DomainError as error:
            # the command line's advice in the form's words
            said = re.sub(
                r"`accord person update (\S+) --no-lead` first", r"untick \1's lead box first", str(error)
            )
            place(problems, said, PERSON_FIELDS, PERSON_PATTERNS)
        else:
            return RedirectResponse(f"/n/{name}/people#person-{person.id}", status_code=303)
    return _people_page(request, viewer, name, person.id, values, problems, status=422)


@pages.post("/n/{name}/people")
async def add_person_form(request: Request, viewer: Who, name: str) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    aliases = [a.strip() for a in str(form.get("aliases") or "").split(";") if a.strip()]
    record_keeping.add_person(
        database(request),
        viewer,
        name,
        name=str(form.get("person_name") or "").strip(),
        party=str(form.get("party") or "").strip() or None,
        role=str(form.get("role") or "").strip() or None,
        lead=bool(form.get("lead")),
        aliases=aliases,
        note=str(form.get("note") or "").strip() or None,
        key=str(form.get("id") or "").strip() or None,
    )
    return RedirectResponse(f"/n/{name}/people", status_code=303)


@pages.post("/n/{name}/sources")
async def add_source_form(request: Request, viewer: Who, name: str) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    citation = Citation(
        outlet=str(form.get("outlet") or "").strip() or None,
        title=str(form.get("title") or "").strip() or None,
        url=str(form.get("url") or "").strip() or None,
        date=date("date", str(form.get("date") or "")),
        quote=str(form.get("quote") or "").strip() or None,
        note=str(form.get("note") or "").strip() or None,
        prefix="",
    )
    record_keeping.add_source(database(request), viewer, name, citation)
    return RedirectResponse(f"/n/{name}/people#sources", status_code=303)


class PersonIn(BaseModel):
    name: Short
    party: Name | None = None
    role: str | None = Field(default=None, max_length=500)
    lead: bool = False
    aliases: list[Name] = Field(default_factory=list, max_length=50)
    note: str | None = Field(default=None, max_length=5000)
    id: Name | None = None  # default: made from the name


class PersonChange(BaseModel):
    name: Short | None = None
    party: Name | None = None
    no_party: bool = False
    role: str | None = Field(default=None, max_length=500)
    lead: bool | None = None
    add_aliases: list[Name] = Field(default_factory=list, max_length=50)
    note: str | None = Field(default=None, max_length=5000)


@api.get("/negotiations/{name}/people")
def list_people(request: Request, viewer: Who, name: str) -> list[dict[str, Any]]:
    """The people the caller may see: names, parties, roles (a private note only for the mediator)."""
    return [person_data(p) for p in record_keeping.people(database(request), viewer, name)]


@api.post("/negotiations/{name}/people", status_code=201, dependencies=[WRITES])
def add_person(request: Request, viewer: Who, name: str, body: PersonIn) -> dict[str, Any]:
    """Record a person (the mediator): of a party or of none, leading its delegation or not."""
    person = record_keeping.add_person(
        database(request),
        viewer,
        name,
        name=body.name,
        party=body.party,
        role=body.role,
        lead=body.lead,
        aliases=body.aliases,
        key=body.id,
        note=body.note,
    )
    return person_data(person)


@api.patch("/negotiations/{name}/people/{key}", dependencies=[WRITES])
def update_person(request: Request, viewer: Who, name: str, key: str, body: PersonChange) -> dict[str, Any]:
    """Change a person (the mediator): name, party, role, lead, more aliases, note."""
    person = record_keeping.update_person(
        database(request),
        viewer,
        name,
        key,
        name=body.name,
        party=body.party,
        no_party=body.no_party,
        role=body.role,
        lead=body.lead,
        add_aliases=body.add_aliases,
        note=body.note,
    )
    return person_data(person)


@api.get("/negotiations/{name}/sources")
def list_sources(request: Request, viewer: Who, name: str) -> list[dict[str, Any]]:
    """The sources the caller may see (a party's seat: those of the entries it sees)."""
    return [source_data(s) for s in record_keeping.sources(database(request), viewer, name)]


@api.post("/negotiations/{name}/sources", status_code=201, dependencies=[WRITES])
def add_source(request: Request, viewer: Who, name: str, body: SourceIn) -> dict[str, Any]:
    """Record a source (the mediator), to be cited later by its key."""
    source = record_keeping.add_source(database(request), viewer, name, body.citation([], prefix=""))
    return source_data(source)


# -- meetings recorded in full, and changed ---------------------------------------------------------


class AttendeeIn(BaseModel):
    person: Name
    note: str | None = Field(default=None, max_length=500)


class MeetingDetails(BaseModel):
    """What a meeting record holds beyond the date: time, length, channel, people, who led."""

    start: str | None = Field(default=None, max_length=40, description="YYYY-MM-DD HH:MM")
    duration: str | None = Field(default=None, max_length=40, description="3h, 2h30m, 90m")
    channel: MeetingChannel | None = None
    place: str | None = Field(default=None, max_length=500)
    date_approx: str | None = Field(default=None, max_length=500)
    outcome: str | None = Field(default=None, max_length=5000)
    reason: str | None = Field(default=None, max_length=2000)
    participants: list[Name] = Field(default_factory=list, max_length=100)
    people: list[AttendeeIn] = Field(default_factory=list, max_length=200)
    leads: list[Name] = Field(default_factory=list, max_length=50)
    drafts: list[int] = Field(default_factory=list, max_length=100)
    sources: list[Name] = Field(default_factory=list, max_length=50)
    source: SourceIn | None = None

    def citation(self) -> Citation:
        """The sources cited: stored ones by key, and a new one described in ``source``."""
        return _citation(self.sources, self.source)

    def attending(self) -> Attending:
        return Attending(
            people=[a.person for a in self.people],
            notes={a.person: a.note for a in self.people if a.note},
            leads=self.leads,
        )


class MeetingChange(MeetingDetails):
    status: MeetingStatus | None = None
    date: dt.date | None = None


@api.patch("/negotiations/{name}/meetings/{key}", dependencies=[WRITES])
def update_meeting(request: Request, viewer: Who, name: str, key: str, body: MeetingChange) -> dict[str, Any]:
    """Change a recorded meeting (the mediator): status (planned -> held, postponed or cancelled with a
    reason), time, place, people, outcome, sources. Nothing is overwritten: the meeting's ``history``
    keeps each changed field before and after."""
    db = database(request)
    meeting = record_keeping.update_meeting(
        db,
        viewer,
        name,
        key,
        status=body.status,
        reason=body.reason,
        date=body.date,
        start=start("start", body.start),
        duration=duration("duration", body.duration),
        channel=body.channel,
        place=body.place,
        date_approx=body.date_approx,
        outcome=body.outcome,
        participants=body.participants,
        attending=body.attending(),
        drafts=body.drafts,
        citation=body.citation(),
    )
    return meeting_data(meeting, seen_meetings(db, viewer, name)[1])


@pages.post("/n/{name}/meetings/{key}")
async def update_meeting_form(request: Request, viewer: Who, name: str, key: str) -> Response:
    """The meetings page's change form: the fields filled in are changed, the rest stay."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)

    def text(field: str) -> str | None:
        return str(form.get(field) or "").strip() or None

    people = [p.strip() for p in str(form.get("people") or "").split(";") if p.strip()]
    record_keeping.update_meeting(
        database(request),
        viewer,
        name,
        key,
        status=choice("status", MeetingStatus, text("status")),
        reason=text("reason"),
        date=date("date", text("date")),
        start=start("start", text("start")),
        duration=duration("duration", text("duration")),
        channel=choice("channel", MeetingChannel, text("channel")),
        place=text("place"),
        date_approx=text("date_approx"),
        outcome=text("outcome"),
        attending=Attending(people=people),
        citation=form_citation(form),
    )
    return RedirectResponse(f"/n/{name}/meetings#meeting-{key}", status_code=303)
