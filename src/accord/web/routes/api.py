"""The JSON API: the workbench's operations for programs, under the same policy as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from pydantic import BaseModel, Field

from accord.domain import Choice, DraftStatus, MeetingStatus, Stance, StanceKind
from accord.domain.amendments import Amendment, AmendmentKind
from accord.security.policy import Viewer
from accord.services import workbench
from accord.services.stance_history import stance_history as seen_history
from accord.services.stances import entry_data
from accord.web.context import WRITES, database, in_analysis_thread, logged_in
from accord.web.json_route import OneTurn
from accord.web.routes.people import MeetingDetails
from accord.web.serialise import (
    audit_data,
    diff_data,
    draft_data,
    matrix_data,
    meeting_data,
    negotiation_data,
    share_data,
)

router = APIRouter(prefix="/api", tags=["negotiations"], route_class=OneTurn)
Who = Annotated[Viewer, Depends(logged_in)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


@router.get("/negotiations")
def list_negotiations(request: Request, viewer: Who) -> list[dict[str, Any]]:
    """The negotiations where the caller has a seat, each with the revision the caller reads (a
    party's member or an observer: its seat's own)."""
    db = database(request)
    return [
        {
            "name": s.slug,
            "title": s.title,
            "revision": workbench.view(db, viewer, s.slug).revision,
            "seat": viewer.seats[s.slug].role.value,
        }
        for s in workbench.negotiations(db, viewer)
    ]


@router.get("/negotiations/{name}")
def get_negotiation(request: Request, viewer: Who, name: str) -> dict[str, Any]:
    """The framework, the parties and the drafts the caller may see, and the revision it reads: the
    negotiation's for the mediator, its seat's own for anyone else (it moves only with what that
    seat sees; give it back as ``expected_revision``)."""
    seen = workbench.view(database(request), viewer, name)
    return negotiation_data(name, seen.negotiation, seen.revision)


@router.get("/negotiations/{name}/drafts/{version}")
def get_draft(request: Request, viewer: Who, name: str, version: int) -> dict[str, Any]:
    db = database(request)
    found = workbench.draft(db, viewer, name, version)
    return draft_data(workbench.view(db, viewer, name).negotiation, found)


@router.get("/negotiations/{name}/drafts/{older}/diff/{newer}")
def diff_drafts(request: Request, viewer: Who, name: str, older: int, newer: int) -> list[dict[str, Any]]:
    return diff_data(workbench.diff(database(request), viewer, name, older, newer))


class AmendmentIn(BaseModel):
    kind: Literal["choose", "text", "add", "drop"]
    point: Name
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
    option: str | None = None
    text: str | None = Field(default=None, max_length=10000)
    title: str | None = Field(default=None, max_length=500)
    number: int | None = Field(default=None, ge=1, le=100000)


class NewDraft(BaseModel):
    amendments: list[AmendmentIn] = Field(min_length=1, max_length=500)
    base: int | None = None
    label: str | None = Field(default=None, max_length=100)
    title: str | None = Field(default=None, max_length=500)
    expected_revision: int | None = None


@router.post("/negotiations/{name}/drafts", status_code=201, dependencies=[WRITES])
def new_draft(request: Request, viewer: Who, name: str, body: NewDraft) -> dict[str, Any]:
    """Version n+1 by amendments, each with its reason (the mediator)."""
    db = database(request)
    created = workbench.amend(
        db,
        viewer,
        name,
        [
            Amendment(
                AmendmentKind(a.kind),
                a.point,
                a.reason,
                option=a.option,
                text=a.text,
                title=a.title,
                number=a.number,
            )
            for a in body.amendments
        ],
        base=body.base,
        label=body.label,
        title=body.title,
        expected_revision=body.expected_revision,
    )
    return draft_data(workbench.view(db, viewer, name).negotiation, created)


class ChoiceIn(BaseModel):
    point: Name
    option: str | None = Field(default=None, max_length=200)
    text: str | None = Field(default=None, max_length=10000)


class ReceivedDraft(BaseModel):
    """A party's own text: its option (or wording) on every point."""

    author: Name
    choices: list[ChoiceIn] = Field(min_length=1, max_length=1000)
    date: dt.date | None = None
    title: str | None = Field(default=None, max_length=500)
    label: str | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, max_length=2000)
    expected_revision: int | None = None


@router.post("/negotiations/{name}/received-drafts", status_code=201, dependencies=[WRITES])
def record_received(request: Request, viewer: Who, name: str, body: ReceivedDraft) -> dict[str, Any]:
    """Version n+1: a text received from a party (its counter-text), no amendments (the mediator)."""
    db = database(request)
    created = workbench.record_received(
        db,
        viewer,
        name,
        [(c.point, Choice(option=c.option, text=c.text)) for c in body.choices],
        author=body.author,
        title=body.title,
        label=body.label,
        date=body.date,
        note=body.note,
        expected_revision=body.expected_revision,
    )
    return draft_data(workbench.view(db, viewer, name).negotiation, created)


class CirculationIn(BaseModel):
    to: list[Name] = Field(min_length=1, max_length=100)
    date: dt.date | None = None
    expected_revision: int | None = None


@router.post("/negotiations/{name}/drafts/{version}/circulate", dependencies=[WRITES])
def circulate(request: Request, viewer: Who, name: str, version: int, body: CirculationIn) -> dict[str, Any]:
    db = database(request)
    workbench.circulate(
        db, viewer, name, version, body.to, date=body.date, expected_revision=body.expected_revision
    )
    return draft_data(
        workbench.view(db, viewer, name).negotiation, workbench.draft(db, viewer, name, version)
    )


class StatusIn(BaseModel):
    status: DraftStatus


@router.post("/negotiations/{name}/drafts/{version}/status", dependencies=[WRITES])
def set_status(request: Request, viewer: Who, name: str, version: int, body: StatusIn) -> dict[str, Any]:
    db = database(request)
    workbench.set_draft_status(db, viewer, name, version, body.status)
    return draft_data(
        workbench.view(db, viewer, name).negotiation, workbench.draft(db, viewer, name, version)
    )


@router.get("/negotiations/{name}/matrix")
def matrix(request: Request, viewer: Who, name: str, draft: int | None = None) -> dict[str, Any]:
    """Stances per point of a draft, as far as the caller may see them."""
    return matrix_data(workbench.matrix(database(request), viewer, name, draft))


@router.get("/negotiations/{name}/stances/history")
def stance_history(
    request: Request,
    viewer: Who,
    name: str,
    party: Annotated[str | None, Query(max_length=200)] = None,
    point: Annotated[str | None, Query(max_length=200)] = None,
    draft: Annotated[int | None, Query(ge=1)] = None,
) -> list[dict[str, Any]]:
    """Every stance entry the caller may see, oldest first, as `accord stance history --json` gives
    them (``party``, ``point``, ``draft``: only those): the mediator every party's, a party's members
    their own on the drafts they received; numbered by place in the history the caller is shown."""
    found = seen_history(database(request), viewer, name, party=party, point=point, version=draft)
    return [entry_data(e) for e in found.entries]


class StanceIn(BaseModel):
    party: Name
    point: Name
    stance: StanceKind
    draft: int
    note: str | None = Field(default=None, max_length=2000)
    as_of: dt.date | None = None
    expected_revision: int | None = None


class CorrectionIn(BaseModel):
    """A correction of a party's current stance (``stance``, ``note``, ``as_of``: left out, kept)."""

    party: Name
    point: Name
    draft: int
    reason: str = Field(min_length=1, max_length=2000)
    stance: StanceKind | None = None
    note: str | None = Field(default=None, max_length=2000)
    as_of: dt.date | None = None
    expected_revision: int | None = None


class WithdrawalIn(BaseModel):
    party: Name
    point: Name
    draft: int
    reason: str = Field(min_length=1, max_length=2000)
    expected_revision: int | None = None


@router.post("/negotiations/{name}/stances", status_code=201, dependencies=[WRITES])
def set_stance(request: Request, viewer: Who, name: str, body: StanceIn) -> dict[str, Any]:
    recorded = workbench.set_stance(
        database(request),
        viewer,
        name,
        party=body.party,
        point=body.point,
        stance=body.stance,
        version=body.draft,
        note=body.note,
        as_of=body.as_of,
        expected_revision=body.expected_revision,
    )
    return _stance_data(recorded)


def _stance_data(stance: Stance) -> dict[str, Any]:
    return {
        "draft": stance.draft,
        "party": stance.party,
        "point": stance.point,
        "stance": stance.stance.value,
        "note": stance.note,
        **({"as_of": stance.as_of.isoformat()} if stance.as_of else {}),
    }


@router.post("/negotiations/{name}/stances/corrections", status_code=201, dependencies=[WRITES])
def correct_stance(request: Request, viewer: Who, name: str, body: CorrectionIn) -> dict[str, Any]:
    """Correct a party's current stance: a new entry that supersedes it, kept with the reason."""
    corrected = workbench.correct_stance(
        database(request),
        viewer,
        name,
        party=body.party,
        point=body.point,
        version=body.draft,
        reason=body.reason,
        stance=body.stance,
        note=body.note,
        as_of=body.as_of,
        expected_revision=body.expected_revision,
    )
    return {**_stance_data(corrected), "reason": body.reason}


@router.post("/negotiations/{name}/stances/withdrawals", status_code=201, dependencies=[WRITES])
def withdraw_stance(request: Request, viewer: Who, name: str, body: WithdrawalIn) -> dict[str, Any]:
    """Withdraw a party's current stance: it holds none on the point from now on (kept in the history)."""
    withdrawn = workbench.withdraw_stance(
        database(request),
        viewer,
        name,
        party=body.party,
        point=body.point,
        version=body.draft,
        reason=body.reason,
        expected_revision=body.expected_revision,
    )
    return {**_stance_data(withdrawn), "withdrawn": True, "reason": body.reason}


@router.get("/negotiations/{name}/preferences/{party}")
def get_preferences(request: Request, viewer: Who, name: str, party: str) -> dict[str, Any]:
    """A party's private preferences: its own members and the mediator only."""
    return workbench.preferences(database(request), viewer, name, party)


@router.put("/negotiations/{name}/preferences/{party}", dependencies=[WRITES])
def put_preferences(
    request: Request,
    viewer: Who,
    name: str,
    party: str,
    body: Annotated[
        dict[str, Any], Body(examples=[{"reservation_value": 0.2, "basis": "the delegation's briefing"}])
    ],
) -> dict[str, Any]:
    """Change a party's preferences: each field given (weights, scores, red_lines, reservation_value,
    links, score_scale, basis) replaces the old one whole, fields left out keep their values (to change
    one weight, send every point's weight: GET them first); 422 lists every problem with its field."""
    return workbench.update_preferences(database(request), viewer, name, party, body)


class ExploreIn(BaseModel):
    concept: Literal["nash", "kalai-smorodinsky", "egalitarian", "leximin", "utilitarian"] = "nash"


@router.post("/negotiations/{name}/explore", dependencies=[WRITES])
async def explore(request: Request, viewer: Who, name: str, body: ExploreIn) -> dict[str, Any]:
    """The mediator's compromise explorer (reads only)."""
    found = await in_analysis_thread(
        request, workbench.explore, database(request), viewer, name, body.concept
    )
    return found.result


class ShareIn(BaseModel):
    party: Name
    concept: Literal["nash", "kalai-smorodinsky", "egalitarian", "leximin", "utilitarian"] = "nash"


@router.post("/negotiations/{name}/shares", status_code=201, dependencies=[WRITES])
async def share(request: Request, viewer: Who, name: str, body: ShareIn) -> dict[str, Any]:
    """Hand a party the package a concept proposes, with its own utility (the mediator)."""
    shared = await in_analysis_thread(
        request, workbench.share, database(request), viewer, name, body.party, body.concept
    )
    return share_data(shared)


@router.get("/negotiations/{name}/shares/{party}")
def shares(request: Request, viewer: Who, name: str, party: str) -> list[dict[str, Any]]:
    return [share_data(s) for s in workbench.shared(database(request), viewer, name, party)]


@router.get("/negotiations/{name}/meetings")
def meetings(request: Request, viewer: Who, name: str) -> list[dict[str, Any]]:
    found, papers = workbench.meetings(database(request), viewer, name)
    return [meeting_data(m, papers) for m in found]


@router.get("/negotiations/{name}/timeline")
def timeline(
    request: Request,
    viewer: Who,
    name: str,
    start: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=40)] = None,
    party: Annotated[str | None, Query(max_length=200)] = None,
    kind: Annotated[list[str] | None, Query(max_length=20)] = None,
) -> list[dict[str, Any]]:
    """The chronology in date order, as far as the caller may see it: each entry with its date
    (ISO; an approximate one in words, marked), kind, summary, the parties involved and its sources.
    Filters: ``from``, ``to`` (YYYY-MM-DD), ``party``, ``kind`` (repeat)."""
    from accord.services import timeline as timeline_service

    filters = timeline_service.filters_from(start, end, party, kind or (), flag="")
    found = timeline_service.timeline(database(request), viewer, name, filters)
    return [entry.data() for entry in found.entries]


class MeetingIn(MeetingDetails):
    """A meeting as it happened or is planned: a held meeting needs its day (``date``, or ``start``);
    a planned one may have none yet (``date_approx``: "in the coming days") and no place."""

    date: dt.date | None = None
    status: MeetingStatus = MeetingStatus.HELD
    papers: list[Annotated[str, Field(min_length=1, max_length=500)]] = Field(
        default_factory=list, max_length=100
    )


@router.post("/negotiations/{name}/meetings", status_code=201, dependencies=[WRITES])
def add_meeting(request: Request, viewer: Who, name: str, body: MeetingIn) -> dict[str, Any]:
    from accord.services import record_keeping
    from accord.web.form_values import duration, start

    db = database(request)
    meeting = record_keeping.add_meeting(
        db,
        viewer,
        name,
        date=body.date,
        place=body.place,
        participants=body.participants,
        status=body.status,
        reason=body.reason,
        outcome=body.outcome,
        drafts=body.drafts,
        papers=body.papers,
        start=start("start", body.start),
        duration=duration("duration", body.duration),
        channel=body.channel,
        date_approx=body.date_approx,
        attending=body.attending(),
        citation=body.citation(),
    )
    return meeting_data(meeting, workbench.meetings(db, viewer, name)[1])


@router.get("/negotiations/{name}/audit")
def audit(request: Request, viewer: Who, name: str) -> list[dict[str, Any]]:
    """The audit log of the negotiation (the mediator)."""
    return [audit_data(e) for e in workbench.audit_log(database(request), viewer, name)]
