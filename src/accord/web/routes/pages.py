"""The workbench's pages (server-rendered HTML, HTMX for partial updates)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from accord.config import TEXT_CHARS
from accord.domain import Choice, MeetingStatus, Negotiation, StanceKind
from accord.domain.drafts import chronological
from accord.domain.record import MeetingChannel, format_duration
from accord.engine import Concept, parse_concept
from accord.errors import AccessDenied, AccordError, DomainError, NotFoundError
from accord.reports.amendment_words import amendment_words
from accord.reports.audit_words import action_words
from accord.reports.stance_words import source_words, sources_words
from accord.security.policy import Action, Viewer, allows, may_import, require
from accord.services import drafts as drafts_service
from accord.services import workbench
from accord.storage.database import Database
from accord.web.context import check_csrf, current_visit, database, in_analysis_thread, logged_in, templates
from accord.web.draft_status import STATUS_WORDS, next_statuses
from accord.web.option_words import for_page
from accord.web.serialise import draft_data, draft_says, stance_notes
from accord.web.translations import words

router = APIRouter(include_in_schema=False)
Who = Annotated[Viewer, Depends(logged_in)]
Csrf = Annotated[str | None, Form()]


Said = Callable[[str], str]

TITLES: dict[str, Callable[[dict[str, Any], Said], str]] = {
    "negotiations.html": lambda c, _: _("Negotiations"),
    "drafts.html": lambda c, _: _("Drafts"),
    "draft.html": lambda c, _: _("Draft v%(version)s") % {"version": c["draft"].version},
    "diff.html": lambda c, _: _("Changes from v%(a)s to v%(b)s") % {"a": c["a"], "b": c["b"]},
    "received.html": lambda c, _: _("Record a text received from a party"),
    "meetings.html": lambda c, _: _("Meetings"),
    "people.html": lambda c, _: _("People"),
    "papers.html": lambda c, _: _("Papers"),
    "paper.html": lambda c, _: str(c["paper"]["label"]),
    "statements.html": lambda c, _: _("Statements"),
    "events.html": lambda c, _: _("Events"),
    "explorer.html": lambda c, _: _("Compromise explorer"),
    "compare.html": lambda c, _: _("A package beside the latest draft"),
    "shared.html": lambda c, _: _("Shared with %(party)s") % {"party": c["party_name"]},
    "preferences.html": lambda c, _: _("Preferences of %(party)s") % {"party": c["party_name"]},
    "audit.html": lambda c, _: _("Audit log"),
    "overview.html": lambda c, _: _("Overview"),
    "timeline.html": lambda c, _: _("Timeline"),
    "amend.html": lambda c, _: _("Amend draft v%(version)s") % {"version": c["base"].version},
    "analysis_diagnose.html": lambda c, _: _("Diagnose"),
    "analysis_improve.html": lambda c, _: _("Improve a draft"),
    "analysis_logrolls.html": lambda c, _: _("Logrolls"),
    "analysis_contested.html": lambda c, _: _("Contested points"),
    "adjusted_winner.html": lambda c, _: _("Adjusted Winner"),
    "stance_history.html": lambda c, _: _("Stance history"),
    "on_behalf.html": lambda c, _: _("Record a party's stance"),
    "estimate.html": lambda c, _: _("Estimate of %(party)s") % {"party": c["party"]["name"]},
    "explore_result.html": lambda c, _: _("Explorer result"),
    "jobs.html": lambda c, _: _("Your jobs"),
    "job.html": lambda c, _: _("%(kind)s run") % {"kind": str(c["job"].kind).capitalize()},
    "ingest.html": lambda c, _: _("Read a report"),
    "ingest_review.html": lambda c, _: _("Review a report"),
    "ingest_applied.html": lambda c, _: _("Report applied"),
    "trace.html": lambda c, _: _("Trace a leak"),
    "leak_rules.html": lambda c, _: _("Variant rules"),
    "validate.html": lambda c, _: _("Check a scenario file"),
    "import.html": lambda c, _: _("Import a negotiation"),
}
"""The browser's title of a page whose template sets none of its own: what the page is, from what it
shows; :func:`page_title` adds the negotiation's title and "accord" ("Drafts — Peace framework —
accord"), so that no two pages (and no two negotiations' pages) share a title."""


def page_title(request: Request, template: str, name: str | None, context: dict[str, Any]) -> str:
    """The page's title for base.html's <title>: the page's words (TITLES), the negotiation's title
    (as the seat sees it), "accord"; a template with its own title block overrides it."""
    viewer = current_visit(request).viewer
    parts = []
    titled = TITLES.get(template)
    if titled is not None:
        parts.append(titled(context, words(request)))
    if name and viewer.seat(name) is not None:
        seen = context.get("negotiation")
        if not isinstance(seen, Negotiation):
            try:
                seen = workbench.view(database(request), viewer, name).negotiation
            except AccordError:  # the page says what went wrong; its title need not
                seen = None
        parts.append(seen.title if seen is not None and seen.title else name)
    return " — ".join([*parts, "accord"])


def page(
    request: Request, template: str, name: str | None = None, status: int = 200, **context: Any
) -> Response:
    viewer = current_visit(request).viewer
    return templates.TemplateResponse(
        request,
        template,
        {
            "viewer": viewer,
            "csrf": current_visit(request).csrf_token,
            "name": name,
            "seat": viewer.seat(name) if name else None,
            # reading a report into the record (the mediator's): linked where the chronology is
            "may_ingest": bool(name) and allows(viewer, Action.INGEST, name or ""),
            # a fragment (an HTMX answer, "_….html") has no <title>
            "page_title": "" if template.startswith("_") else page_title(request, template, name, context),
            **context,
        },
        status_code=status,
    )


def record_words(seen: Negotiation) -> dict[str, Any]:
    """The names a page shows for the record's keys (a party's id, a point's, a meeting's, a paper's):
    the keys stay in the addresses and the JSON, the words are what a person reads."""
    return {
        "party_names": {p.id: p.name for p in seen.parties},
        "point_words": {p.id: f"{p.number}. {p.title}" for p in seen.points},
        "meeting_words": {m.id: f"{m.when}, {m.place}" if m.place else m.when for m in seen.meetings},
        "paper_labels": {p.id: p.label for p in seen.papers},
        # a source as `accord stance history` names it (stance_words): outlet, title, date
        "source_words": {s.id: source_words(s) for s in seen.sources},
    }


@router.get("/")
def home() -> Response:
    return RedirectResponse("/negotiations", status_code=303)


@router.get("/negotiations", response_class=HTMLResponse)
def negotiations(request: Request, viewer: Who) -> Response:
    found = workbench.negotiations(database(request), viewer)
    return page(request, "negotiations.html", found=found, may_import=may_import(viewer))


@router.get("/n/{name}", response_class=HTMLResponse)
def overview(request: Request, viewer: Who, name: str) -> Response:
    db = database(request)
    seen = workbench.view(db, viewer, name).negotiation
    today = dt.date.today()
    upcoming = sorted(
        (m for m in seen.meetings if m.date is not None and m.date >= today), key=lambda m: m.sort_key
    )
    rounds = workbench.convergence(db, viewer, name).rounds if allows(viewer, Action.ANALYSE, name) else ()
    return page(
        request,
        "overview.html",
        name,
        negotiation=seen,
        latest=seen.latest_draft,
        next_meeting=upcoming[0] if upcoming else None,
        rounds=rounds,
        party_names={p.id: p.name for p in seen.parties},
    )


def _matrix_context(
    request: Request, viewer: Viewer, name: str, version: int | None = None
) -> dict[str, Any]:
    """``version``: the draft whose stances to show (`accord status --draft`); None: the latest put to
    the parties."""
    db = database(request)
    standing = workbench.matrix(db, viewer, name, version)
    seen = standing.negotiation
    latest = seen.latest_put_to_parties
    seat = viewer.seat(name)
    assert seat is not None
    # a party sees its own column; the mediator every party's
    columns = (
        list(standing.parties)
        if seat.role.value == "mediator"
        else [p for p in standing.parties if p == seat.party]
    )
    can_answer = (
        standing.draft is not None
        and seat.party is not None
        and allows(viewer, Action.SET_STANCE, name, party=seat.party, draft=standing.draft)
    )
    # the parties whose stances this seat may correct or withdraw: its own (on a draft it received),
    # or every party's for the mediator
    correctable = [
        p
        for p in columns
        if standing.draft is not None
        and allows(viewer, Action.CORRECT_STANCE, name, party=p, draft=standing.draft)
    ]
    # the stances the mediator recorded from a source (on a party's behalf, or adopted from a statement):
    # marked in its matrix with what they rest on; a party's own answers cite nothing
    cited = {
        (s.party, s.point): (sources_words(seen, s.sources), s.evidence)
        for s in (seen.stances_on(standing.draft.version) if standing.draft else ())
        if seat.role.value == "mediator" and (s.sources or s.evidence)
    }
    return {
        "negotiation": seen,
        "standing": standing,
        "cited": cited,
        # what the draft says on each point, and the note of each current stance the seat sees (the
        # standing holds only those the policy shows it)
        "says": draft_says(standing),
        "notes": stance_notes(standing),
        "columns": columns,
        "party_names": {p.id: p.name for p in seen.parties},
        "can_answer": can_answer,
        "correctable": correctable,
        "stance_kinds": [k.value for k in StanceKind],
        # the mediator records a party's stance on its behalf, citing a source (routes/on_behalf.py)
        "on_behalf": standing.draft is not None and allows(viewer, Action.RECORD_STANCE_FOR_PARTY, name),
        # the drafts to choose from (the seat's own), newest first; the latest put to the parties, and
        # the mediator's newer texts not yet circulated (a party's seat never holds one)
        "versions": sorted((d.version for d in seen.drafts), reverse=True),
        "latest": latest.version if latest else None,
        "unsent": [d.version for d in seen.drafts if latest and d.version > latest.version],
    }


@router.get("/n/{name}/matrix", response_class=HTMLResponse)
def matrix(
    request: Request, viewer: Who, name: str, draft: Annotated[int | None, Query(ge=1)] = None
) -> Response:
    """Every party's stance per point of the latest draft, or of ``draft`` (as `accord status
    --draft`); a draft the seat has not received is, for it, one that does not exist."""
    return page(request, "matrix.html", name, **_matrix_context(request, viewer, name, draft))


@router.post("/n/{name}/stances", response_class=HTMLResponse)
def set_stance(
    request: Request,
    viewer: Who,
    name: str,
    point: Annotated[str, Form()],
    stance: Annotated[StanceKind, Form()],
    draft: Annotated[int, Form()],
    note: Annotated[str | None, Form()] = None,
    as_of: Annotated[str | None, Form()] = None,
    csrf_token: Csrf = None,
) -> Response:
    check_csrf(request, csrf_token)
    seat = viewer.seat(name)
    if seat is None or seat.party is None:
        raise AccessDenied(f"{viewer.username} answers for no party in {name!r}")
    refused = None
    try:
        workbench.set_stance(
            database(request),
            viewer,
            name,
            party=seat.party,
            point=point,
            stance=stance,
            version=draft,
            note=note or None,
            as_of=_day(as_of, "as of"),
        )
    except NotFoundError:
        raise  # no such draft or point for this seat: the error page
    except DomainError as error:  # said at the row, what was typed kept; nothing was written
        # kept for the form, unless it is itself too long (a refused text is never echoed back)
        kept = note if note and len(note) <= TEXT_CHARS["note"] else None
        refused = {"point": point, "stance": stance.value, "note": kept, "as_of": (as_of or "")[:10]}
        refused["message"] = for_page(str(error))
    context = _matrix_context(request, viewer, name, draft)
    status = 422 if refused else 200
    if request.headers.get("hx-request"):
        row = next((p for p in context["standing"].points if p.point == point), None)
        if row is None:
            raise NotFoundError(f"draft v{draft} has no point {point!r}")
        return page(request, "_matrix_row.html", name, status, point=row, refused=refused, **context)
    if refused:
        return page(request, "matrix.html", name, status, refused=refused, **context)
    return RedirectResponse(f"/n/{name}/matrix?draft={draft}", status_code=303)


def _day(value: str | None, field: str) -> dt.date | None:
    """A date field of a form (empty: none), or DomainError naming the field."""
    if not value or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise DomainError(f"{field}: expected a date written YYYY-MM-DD") from None


def _answering(viewer: Viewer, name: str, party: str | None) -> str:
    """The party whose stance a form changes: the one named, else the seat's own (the policy decides
    whether the seat may change it)."""
    if party:
        return party
    seat = viewer.seat(name)
    if seat is None or seat.party is None:
        raise AccessDenied(f"{viewer.username} answers for no party in {name!r}; name the party")
    return seat.party


@router.post("/n/{name}/stances/corrections", response_class=HTMLResponse)
def correct_stance(
    request: Request,
    viewer: Who,
    name: str,
    point: Annotated[str, Form()],
    draft: Annotated[int, Form()],
    reason: Annotated[str | None, Form()] = None,
    stance: Annotated[str | None, Form()] = None,
    note: Annotated[str | None, Form()] = None,
    as_of: Annotated[str | None, Form()] = None,
    party: Annotated[str | None, Form()] = None,
    csrf_token: Csrf = None,
) -> Response:
    """Correct a stance (a new entry superseding it, with the reason); "keep" keeps its kind. A refused
    correction is said at its form on the stances page, which keeps what was typed."""
    check_csrf(request, csrf_token)
    answering = _answering(viewer, name, party)  # a seat that answers for no party: not allowed
    try:
        try:
            kind = StanceKind(stance) if stance and stance != "keep" else None
        except ValueError:
            raise DomainError(f"stance: expected one of {', '.join(k.value for k in StanceKind)}") from None
        workbench.correct_stance(
            database(request),
            viewer,
            name,
            party=answering,
            point=point,
            version=draft,
            reason=reason,
            stance=kind,
            note=note or None,
            as_of=_day(as_of, "as of"),
        )
    except NotFoundError:
        raise  # no such draft or point for this seat: the error page
    except DomainError as error:
        typed = dict(party=party, point=point, stance=stance, note=note, as_of=as_of, reason=reason)
        return _refused_change(request, viewer, name, draft, "correcting", typed, error)
    return RedirectResponse(f"/n/{name}/matrix?draft={draft}", status_code=303)


@router.post("/n/{name}/stances/withdrawals", response_class=HTMLResponse)
def withdraw_stance(
    request: Request,
    viewer: Who,
    name: str,
    point: Annotated[str, Form()],
    draft: Annotated[int, Form()],
    reason: Annotated[str | None, Form()] = None,
    party: Annotated[str | None, Form()] = None,
    csrf_token: Csrf = None,
) -> Response:
    """Withdraw a stance (the party holds none on the point from now on; the reason is kept). A refused
    withdrawal is said at its form on the stances page, which keeps what was typed."""
    check_csrf(request, csrf_token)
    answering = _answering(viewer, name, party)
    try:
        workbench.withdraw_stance(
            database(request),
            viewer,
            name,
            party=answering,
            point=point,
            version=draft,
            reason=reason,
        )
    except NotFoundError:
        raise  # no such draft or point for this seat: the error page
    except DomainError as error:
        typed = {"party": party, "point": point, "reason": reason}
        return _refused_change(request, viewer, name, draft, "withdrawing", typed, error)
    return RedirectResponse(f"/n/{name}/matrix?draft={draft}", status_code=303)


def _refused_change(
    request: Request,
    viewer: Viewer,
    name: str,
    draft: int,
    form: str,
    typed: dict[str, str | None],
    error: DomainError,
) -> Response:
    """The stances page again after a refused correction or withdrawal (``form``: "correcting" or
    "withdrawing"), the message at that form and what was typed kept in it; nothing was written."""
    # a text over its limit is not echoed back (the message says it is too long)
    kept = {k: v if v and len(v) <= TEXT_CHARS["note"] else "" for k, v in typed.items()}
    kept["as_of"] = (typed.get("as_of") or "")[:10]
    # the command line's advice in the page's words: the stance history is linked on the page
    said = str(error).replace("(see `accord stance history`)", "(see the stance history)")
    context = _matrix_context(request, viewer, name, draft)
    return page(request, "matrix.html", name, 422, **{form: {**kept, "message": for_page(said)}}, **context)


@router.get("/n/{name}/drafts", response_class=HTMLResponse)
def drafts(request: Request, viewer: Who, name: str) -> Response:
    seen = workbench.view(database(request), viewer, name).negotiation
    return page(
        request,
        "drafts.html",
        name,
        drafts=chronological(seen.drafts),
        party_names=record_words(seen)["party_names"],
    )


@router.get("/n/{name}/drafts/{version}", response_class=HTMLResponse)
def draft(request: Request, viewer: Who, name: str, version: int) -> Response:
    return draft_page(request, viewer, name, version)


def draft_page(
    request: Request,
    viewer: Viewer,
    name: str,
    version: int,
    *,
    status_problem: str | None = None,
    circulate_problem: str | None = None,
    code: int = 200,
) -> Response:
    """The draft's page; ``status_problem``, ``circulate_problem``: why its status was not changed, or
    it was not circulated (each shown at its form)."""
    db = database(request)
    found = workbench.draft(db, viewer, name, version)
    seen = workbench.view(db, viewer, name).negotiation
    may_set = allows(viewer, Action.CIRCULATE_DRAFT, name)
    _ = words(request)
    # the changes that made it, each with its reason (as `accord draft show`): the mediator's record
    record = drafts_service.show(db, name, version) if may_set else None
    changes = (
        [{**a, "words": amendment_words(record.negotiation, a, _)} for a in record.amendments]
        if record
        else []
    )
    return page(
        request,
        "draft.html",
        name,
        code,
        draft=found,
        changes=changes,
        points=draft_data(seen, found)["points"],
        parties=[p for p in seen.parties if p.role.value != "mediator"],
        status_words=_(STATUS_WORDS[found.status]),
        next_statuses=[(value, _(said)) for value, said in next_statuses(found.status)] if may_set else [],
        may_set_status=may_set,
        status_problem=status_problem,
        circulate_problem=circulate_problem,
        party_names=record_words(seen)["party_names"],
    )


MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@router.post("/n/{name}/drafts/{version}/copy")
async def copy(
    request: Request,
    viewer: Who,
    name: str,
    version: int,
    format: Annotated[str, Form(pattern="^(md|html|docx|pdf|txt)$")] = "md",
    recipient: Annotated[str | None, Form(alias="for")] = None,
    csrf_token: Csrf = None,
) -> Response:
    """A fingerprinted copy of the draft for the viewer's party (registered in the audit log): a
    form's POST, since it writes the register; a few a minute per seat (accord.security.rate_limit)."""
    check_csrf(request, csrf_token)
    request.app.state.copies.take(f"copy:{viewer.username} {name}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"draft-v{version}.{format}"
        who = await in_analysis_thread(
            request, workbench.copy_for, database(request), viewer, name, version, format, path, recipient
        )
        filename = f"{name}-v{version}-{who.replace('/', '-')}.{format}"
        return Response(
            path.read_bytes(),
            media_type=MEDIA[format],
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "no-store",
            },
        )


@router.get("/n/{name}/diff", response_class=HTMLResponse)
def diff(
    request: Request, viewer: Who, name: str, a: Annotated[int, Query()], b: Annotated[int, Query()]
) -> Response:
    points = workbench.diff(database(request), viewer, name, a, b)
    return page(
        request, "diff.html", name, a=a, b=b, changed=[p for p in points if p.change.value != "unchanged"]
    )


# amending (GET /n/{name}/amend, POST /n/{name}/drafts) and a draft's status: routes/drafting.py


@router.get("/n/{name}/record-draft", response_class=HTMLResponse)
def received_form(request: Request, viewer: Who, name: str) -> Response:
    """A party's counter-text, point by point: the same service as `accord draft record`."""
    return _received_page(request, viewer, name)


def _received_page(
    request: Request,
    viewer: Viewer,
    name: str,
    message: str | None = None,
    status: int = 200,
    values: dict[str, str] | None = None,
) -> Response:
    """The counter-text form (a message, its status and the values typed: only from the POST, never
    from the address)."""
    if not allows(viewer, Action.RECORD_DRAFT, name):
        raise AccessDenied(f"{viewer.username} may not {Action.RECORD_DRAFT.value} in {name!r}")
    seen = workbench.view(database(request), viewer, name)
    latest = seen.negotiation.latest_draft
    return page(
        request,
        "received.html",
        name,
        status,
        next_version=(latest.version if latest else 0) + 1,
        revision=seen.revision,
        points=sorted(seen.negotiation.points, key=lambda p: p.number),
        parties=[p for p in seen.negotiation.parties if p.role.value != "mediator"],
        message=message,
        values=values or {},
    )


@router.post("/n/{name}/record-draft")
async def record_received(request: Request, viewer: Who, name: str) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    values = {key: str(raw).strip() for key, raw in form.multi_items() if key != "csrf_token"}
    choices: list[tuple[str, Choice]] = []
    for key, value in values.items():
        if key.startswith("choose.") and value:
            choices.append((key.removeprefix("choose."), Choice(option=value)))
        elif key.startswith("text.") and value:
            choices.append((key.removeprefix("text."), Choice(text=value)))
    revision = values.get("expected_revision", "")
    try:
        created = workbench.record_received(
            database(request),
            viewer,
            name,
            choices,
            author=values.get("author", ""),
            title=values.get("title") or None,
            label=values.get("label") or None,
            date=_form_date(values.get("date") or None),
            note=values.get("note") or None,
            expected_revision=int(revision) if revision.isdigit() else None,
        )
    except DomainError as error:
        kept = {k: v for k, v in values.items() if len(v) <= 500}  # the form filled again, never a flood
        return _received_page(request, viewer, name, message=for_page(str(error)), status=422, values=kept)
    return RedirectResponse(f"/n/{name}/drafts/{created.version}", status_code=303)


def _form_date(value: str | None) -> dt.date | None:
    """A form's date field (YYYY-MM-DD), or DomainError naming it."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DomainError(f"date: expected a date YYYY-MM-DD, got {value[:40]!r}") from None


@router.post("/n/{name}/drafts/{version}/circulate")
async def circulate(request: Request, viewer: Who, name: str, version: int) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    recipients = [str(v) for v in form.getlist("to")]
    try:
        workbench.circulate(database(request), viewer, name, version, recipients)
    except NotFoundError:
        raise
    except DomainError as error:
        return draft_page(request, viewer, name, version, circulate_problem=for_page(str(error)), code=422)
    return RedirectResponse(f"/n/{name}/drafts/{version}", status_code=303)


# -- preferences: routes/preferences.py ------------------------------------------------------


# -- the mediator's explorer ---------------------------------------------------------------

LARGE_SOLVE = 2000
"""Above this size (options on every point x negotiating parties) the explorer's solve runs as a job
(accord.web.routes.jobs) instead of in the request: the flagship (28 points, 3 parties) is ~250 and
solves every concept in about 0.1 s; leximin and egalitarian re-solve once per party, so a negotiation
ten times larger may take seconds to minutes."""


def solve_size(negotiation: Negotiation) -> int:
    return sum(len(p.options) for p in negotiation.points) * len(negotiation.negotiating_parties)


@router.get("/n/{name}/explorer", response_class=HTMLResponse)
def explorer(request: Request, viewer: Who, name: str) -> Response:
    if not allows(viewer, Action.ANALYSE, name):
        raise AccessDenied(f"{viewer.username} may not {Action.ANALYSE.value} in {name!r}")
    seen = workbench.view(database(request), viewer, name).negotiation
    large = solve_size(seen) > LARGE_SOLVE  # no frontier drawn in the request either
    return page(request, "explorer.html", name, concepts=[c.value for c in Concept], large=large)


@router.get("/n/{name}/explorer/result", response_class=HTMLResponse)
async def explorer_result(request: Request, viewer: Who, name: str, concept: str = "nash") -> Response:
    return await in_analysis_thread(request, _explorer_result, request, viewer, name, concept)


def _explorer_result(request: Request, viewer: Viewer, name: str, concept: str) -> Response:
    db = database(request)
    seen = workbench.view(db, viewer, name).negotiation
    size = solve_size(seen)
    if size > LARGE_SOLVE:  # the solve runs as a job: offered, never started by a GET
        require(viewer, Action.ANALYSE, name)
        return page(request, "_explorer_job.html", name, concept=parse_concept(concept).value, size=size)
    found = workbench.explore(db, viewer, name, concept)
    return page(
        request,
        "_explorer_result.html",
        name,
        result=found.result,
        party_names={p.id: p.name for p in seen.parties},
        parties=seen.negotiating_parties,
    )


@router.get("/n/{name}/frontier.png")
async def frontier_png(request: Request, viewer: Who, name: str) -> Response:
    """The explorer's frontier for a browser without JavaScript: the same Vega-Lite specification as
    the interactive chart (accord.reports.frontier_chart), every pair of parties in its own panel."""
    picture = await in_analysis_thread(request, _frontier_picture, database(request), viewer, name)
    return Response(picture, media_type="image/png", headers={"Cache-Control": "no-store"})


def _frontier_picture(db: Database, viewer: Viewer, name: str) -> bytes:
    from accord.reports import vega
    from accord.reports.frontier_chart import Mark, frontier_chart
    from accord.services.frontier_view import frontier_view

    found = frontier_view(db, viewer, name)
    marks = [Mark(m.name, m.utilities, m.columns) for m in found.marks]
    return vega.png_of(frontier_chart(found.problem, found.frontier, marks=marks, interactive=False))


@router.post("/n/{name}/shares")
async def share(
    request: Request,
    viewer: Who,
    name: str,
    party: Annotated[str, Form()],
    concept: Annotated[str, Form()],
    csrf_token: Csrf = None,
) -> Response:
    check_csrf(request, csrf_token)
    await in_analysis_thread(request, workbench.share, database(request), viewer, name, party, concept)
    return RedirectResponse(f"/n/{name}/explorer", status_code=303)


@router.get("/n/{name}/shared/{party}", response_class=HTMLResponse)
def shared(request: Request, viewer: Who, name: str, party: str) -> Response:
    db = database(request)
    found = workbench.shared(db, viewer, name, party)
    seen = workbench.view(db, viewer, name).negotiation
    return page(request, "shared.html", name, found=found, party_name=seen.party(party).name)


# -- meetings and audit -----------------------------------------------------------------------


@router.get("/n/{name}/meetings", response_class=HTMLResponse)
def meetings(request: Request, viewer: Who, name: str) -> Response:
    return _meetings_page(request, viewer, name)


def _meetings_page(
    request: Request, viewer: Viewer, name: str, typed: FormData | None = None, message: str | None = None
) -> Response:
    """The meetings, and the mediator's form: after a refused one, with the message and what was typed
    (``typed``: the form sent)."""
    from accord.web.form_values import chosen, kept

    db = database(request)
    found, _papers = workbench.meetings(db, viewer, name)
    seen = workbench.view(db, viewer, name).negotiation
    return page(
        request,
        "meetings.html",
        name,
        422 if message else 200,
        meetings=found,
        handed={m.id: [p.label for p in seen.papers_at(m.id)] for m in found},
        parties=seen.parties,
        party_names={p.id: p.name for p in seen.parties},
        person_names={p.id: p.name for p in seen.people},
        source_labels={s.id: source_words(s) for s in seen.sources},
        lengths={m.id: format_duration(m.duration) for m in found if m.duration is not None},
        statuses=[s.value for s in MeetingStatus],
        channels=[c.value for c in MeetingChannel],
        values=_within_limits(kept(typed)),
        chosen_participants=chosen(typed, "participants"),
        message=message,
    )


# each text of the meetings form, and its kind of text (accord.config.TEXT_CHARS; the people: each name)
MEETING_TEXTS = {
    "place": "title",
    "date_approx": "title",
    "people": "name",
    "source_outlet": "title",
    "source_title": "title",
    "source_url": "title",
}


def _within_limits(values: dict[str, str]) -> dict[str, str]:
    """What a refused meeting form keeps: a text over its limit is left out (the message says it is
    too long; a refused text is never echoed back)."""
    kinds = dict(MEETING_TEXTS)
    # the reason of a meeting postponed or cancelled, the outcome of one held or planned
    kinds["note"] = "note" if values.get("status") in ("postponed", "cancelled") else "outcome"
    for field, kind in kinds.items():
        parts = values.get(field, "").split(";") if field == "people" else [values.get(field, "")]
        if any(len(part.strip()) > TEXT_CHARS[kind] for part in parts):
            values[field] = ""
    return values


@router.post("/n/{name}/meetings")
async def add_meeting(request: Request, viewer: Who, name: str) -> Response:
    """The meetings page's form: a meeting as it happened (or is planned), as `accord meeting add`; a
    refused one is said at the form, which keeps what was typed."""
    from accord.services import record_keeping
    from accord.services.meetings import Attending
    from accord.web.form_values import choice, date, duration, form_citation, start

    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    require(viewer, Action.ADD_MEETING, name)  # before saying anything of what was sent

    def text(field: str) -> str | None:
        return str(form.get(field) or "").strip() or None

    try:
        status = choice("status", MeetingStatus, text("status")) or MeetingStatus.HELD
        note = text("note")
        held = status in (MeetingStatus.HELD, MeetingStatus.PLANNED)
        people = [p.strip() for p in str(form.get("people") or "").split(";") if p.strip()]
        notes = _person_notes(str(form.get("person_notes") or ""))
        seen = workbench.view(database(request), viewer, name).negotiation
        _recorded("people present", people, seen)
        _recorded("how some took part", notes, seen)
        record_keeping.add_meeting(
            database(request),
            viewer,
            name,
            date=date("date", text("date")),
            place=text("place"),
            participants=[str(v) for v in form.getlist("participants")],
            status=status,
            reason=None if held else note,
            outcome=note if held else None,
            start=start("start", text("start")),
            duration=duration("duration", text("duration")),
            channel=choice("channel", MeetingChannel, text("channel")),
            date_approx=text("date_approx"),
            attending=Attending(people=people, notes=notes),
            citation=form_citation(form),
        )
    except DomainError as error:
        return _meetings_page(request, viewer, name, form, for_page(str(error)))
    return RedirectResponse(f"/n/{name}/meetings", status_code=303)


def _recorded(field: str, typed: Iterable[str], seen: Negotiation) -> None:
    """DomainError naming the form's field for a person typed whom the record does not hold, saying the
    people it holds by name (the service's refusal lists their keys, which the command line takes)."""
    for person in typed:
        if not any(p.answers_to(person) or p.answers_to_surname(person) for p in seen.people):
            known = ", ".join(sorted(p.name for p in seen.people)) or "nobody yet"
            raise DomainError(
                f"{field}: nobody called {person!r} is recorded (the people recorded: {known}); "
                "record a new person on the people page first"
            )


def _person_notes(typed: str) -> dict[str, str]:
    """How some took part, as the meetings form takes it: "NAME=joined at 15:40; NAME=left early"
    (as `accord meeting add --person-note`); DomainError naming the field for an entry without "="."""
    noted: dict[str, str] = {}
    for entry in (e.strip() for e in typed.split(";")):
        if not entry:
            continue
        person, found, note = entry.partition("=")
        if not found or not person.strip() or not note.strip():
            raise DomainError(f'how some took part: expected "NAME=how they took part", got {entry[:80]!r}')
        noted[person.strip()] = note.strip()
    return noted


@router.get("/n/{name}/timeline", response_class=HTMLResponse)
def timeline(
    request: Request,
    viewer: Who,
    name: str,
    start: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=40)] = None,
    party: Annotated[str | None, Query(max_length=200)] = None,
    kind: Annotated[list[str] | None, Query(max_length=20)] = None,
) -> Response:
    """The chronology in date order, as far as the seat sees it (accord.services.timeline)."""
    from accord.analysis.timeline import EntryKind
    from accord.services import timeline as timeline_service
    from accord.web.routes.charts import timeline_spec

    filters = timeline_service.filters_from(start, end, party, kind or (), flag="")
    found = timeline_service.timeline(database(request), viewer, name, filters)
    dated = any(e.day is not None for e in found.entries)
    return page(
        request,
        "timeline.html",
        name,
        entries=found.entries,
        chart=timeline_spec(name, found.entries, found.negotiation.title) if dated else None,
        undrawn=len(found.undrawn),  # entries without a day: in the table, not on the chart
        parties=found.negotiation.parties,
        kinds=[k.value for k in EntryKind],
        filters=filters,
        chosen_party=found.party,
        chosen_kinds={k.value for k in found.kinds},
    )


AUDIT_ENTRIES_SHOWN = 200


@router.get("/n/{name}/audit", response_class=HTMLResponse)
async def audit(request: Request, viewer: Who, name: str) -> Response:
    """The newest entries and a verification of the chain as far as it concerns this negotiation (on
    the analysis threads: verifying recomputes every digest, which takes a while on a long record)."""
    return await in_analysis_thread(request, _audit_page, request, viewer, name)


def _audit_page(request: Request, viewer: Viewer, name: str) -> Response:
    db = database(request)
    entries = workbench.audit_log(db, viewer, name)
    shown = entries[-AUDIT_ENTRIES_SHOWN:]
    return page(
        request,
        "audit.html",
        name,
        entries=shown,
        # the actions in words, as `accord audit log` says them (reports.audit_words)
        action_words={e.action: action_words(e.action, words(request)) for e in shown},
        earlier=len(entries) - len(shown),
        verification=workbench.audit_check(db, viewer, name),
    )
