"""Ingest from the workbench (issue 16): paste or upload a report, review what it proposes for the
record (accept, edit or drop each proposal), apply; and the JSON API's equivalent. The same use cases
as `accord ingest REPORT` and `accord ingest apply` (accord.services.ingest, .ingest_apply), under
the same policy: reading a report into the record is the mediator's (Action.INGEST).

Nothing is written until the reviewer applies. The review page carries the proposals exactly as
proposed (their proposals file, in a hidden field); the reviewer's inputs are applied on top of them
by proposal id (accord.web.ingest_review), and "Check only" runs every check and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Body, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from accord.domain.proposals import APPLY_ORDER, ProposalKind, Proposals
from accord.errors import DomainError, NotFoundError, Problem, ScenarioError
from accord.ingest.reading import ReportText, report_from_bytes
from accord.scenario.proposals_file import dump_proposals, parse_proposals, proposals_json
from accord.security.policy import Action, Viewer, require
from accord.services import workbench
from accord.services.ingest import propose
from accord.services.ingest_apply import Applied, apply_proposals
from accord.web.context import WRITES, check_csrf, database, in_analysis_thread, logged_in
from accord.web.form_values import date
from accord.web.ingest_review import (
    DATE_RULES,
    REVIEW,
    Record,
    cards,
    day_words,
    document,
    headline,
    located,
    read_back,
    reviewed,
)
from accord.web.json_route import OneTurn
from accord.web.option_words import for_page
from accord.web.routes.pages import page
from accord.web.translations import N_, words

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["ingest"], route_class=OneTurn)
Who = Annotated[Viewer, Depends(logged_in)]

PASTED = "pasted report"
MAX_OUTLET, MAX_URL = 200, 500
MAX_REVIEW_FIELDS = 50_000  # the inputs of a long report's review (Starlette's default: 1,000)
GROUPS = {
    ProposalKind.PERSON: N_("New people"),
    ProposalKind.MEETING: N_("Meetings"),
    ProposalKind.PAPER: N_("Papers handed over"),
    ProposalKind.STATEMENT: N_("Statements"),
    ProposalKind.STANCE: N_("Stances"),
    ProposalKind.EVENT: N_("Events"),
}
FORMATS = {"text": "text", "markdown": "Markdown", "html": "HTML", "pdf": "PDF", "docx": "Word"}


def _actor(viewer: Viewer) -> str:
    assert viewer.username is not None
    return viewer.username


# -- reading a report -----------------------------------------------------------------------------------


class Asked(BaseModel):
    """A report as the API takes it (JSON), and what the form gives beside the text or the file."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = None
    report_date: str | None = Field(default=None, max_length=40, description="YYYY-MM-DD")
    outlet: str | None = Field(default=None, max_length=MAX_OUTLET)
    url: str | None = Field(default=None, max_length=MAX_URL)


def _checked(given: dict[str, str]) -> tuple[Any, str | None, str | None]:
    """The report's date, outlet and URL as the form or the API typed them (DomainError naming the
    field)."""
    outlet, url = given.get("outlet", "").strip() or None, given.get("url", "").strip() or None
    for field, value, most in (("outlet", outlet, MAX_OUTLET), ("url", url, MAX_URL)):
        if value is not None and len(value) > most:
            raise DomainError(f"{field}: at most {most} characters, got {len(value):,}")
    return date("report date", given.get("report_date", "").strip()), outlet, url


async def _report(form: FormData) -> ReportText:
    """The report of a form: the file chosen, or the text pasted (not both)."""
    upload = form.get("file")
    text = str(form.get("text") or "")
    if isinstance(upload, UploadFile) and upload.filename:
        if text.strip():
            raise DomainError("give the report's text or its file, not both: clear one of them")
        return report_from_bytes(await upload.read(), upload.filename, upload.content_type)
    if not text:
        raise DomainError("nothing to read: paste the report's text or choose its file")
    return report_from_bytes(text.encode("utf-8", errors="replace"), PASTED)


async def _proposed(
    request: Request, viewer: Viewer, name: str, report: ReportText, given: dict[str, str]
) -> Proposals:
    report_date, outlet, url = _checked(given)
    return await in_analysis_thread(
        request,
        propose,
        database(request),
        name,
        report,
        viewer=viewer,
        report_date=report_date,
        outlet=outlet,
        url=url,
    )


# -- the pages ----------------------------------------------------------------------------------------


def _paste_page(
    request: Request, name: str, values: dict[str, str], message: str | None = None, status: int = 200
) -> Response:
    return page(request, "ingest.html", name, status, values=values, message=message, formats=FORMATS)


@pages.get("/n/{name}/ingest", response_class=HTMLResponse)
def ingest_page(request: Request, viewer: Who, name: str) -> Response:
    """The form: paste or upload a report, with its date, outlet and address when known."""
    require(viewer, Action.INGEST, name)
    return _paste_page(request, name, {})


@pages.post("/n/{name}/ingest", response_class=HTMLResponse)
async def read_report_page(request: Request, viewer: Who, name: str) -> Response:
    """Read the report against the record and show the review (nothing is written)."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    require(viewer, Action.INGEST, name)
    given = {k: str(form.get(k) or "") for k in ("text", "report_date", "outlet", "url")}
    try:
        proposals = await _proposed(request, viewer, name, await _report(form), given)
    except NotFoundError:
        raise
    except DomainError as error:
        return _paste_page(request, name, given, message=for_page(str(error)), status=422)
    return _review(request, viewer, name, document(proposals), dump_proposals(proposals))


@pages.post("/n/{name}/ingest/apply", response_class=HTMLResponse)
async def apply_page(request: Request, viewer: Who, name: str) -> Response:
    """Apply the reviewed proposals ("Check only": every check, nothing written); the problems on
    their cards, the reviewer's edits kept."""
    form = await request.form(max_fields=MAX_REVIEW_FIELDS)
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    require(viewer, Action.INGEST, name)
    hidden = str(form.get("proposals") or "")
    if not hidden.strip():
        raise DomainError("the form holds no proposals: read a report first")
    doc = reviewed(parse_proposals(hidden, REVIEW), form)
    dry_run = form.get("action") == "check"
    db = database(request)
    try:
        applied = await run_in_threadpool(
            lambda: apply_proposals(
                db, name, read_back(doc), actor=_actor(viewer), viewer=viewer, dry_run=dry_run
            )
        )
    except ScenarioError as error:
        return _review(request, viewer, name, doc, hidden, problems=error.problems, status=422)
    except NotFoundError:
        raise
    except DomainError as error:
        return _review(request, viewer, name, doc, hidden, message=for_page(str(error)), status=422)
    record = _record(request, viewer, name)
    written = _written(name, doc, applied, record)
    if dry_run:
        return _review(request, viewer, name, doc, hidden, would=written)
    return page(
        request,
        "ingest_applied.html",
        name,
        applied=applied,
        written=written,
        dropped=_headlines(doc, applied.dropped, record),
        skipped=[
            (words, reason)
            for words, (_, reason) in zip(
                _headlines(doc, [p for p, _ in applied.skipped], record), applied.skipped, strict=True
            )
        ],
    )


def _record(request: Request, viewer: Viewer, name: str) -> Record:
    return Record.of(workbench.view(database(request), viewer, name).negotiation)


def _review(
    request: Request,
    viewer: Viewer,
    name: str,
    doc: dict[str, Any],
    hidden: str,
    *,
    problems: Iterable[Problem] = (),
    message: str | None = None,
    would: list[dict[str, str]] | None = None,
    status: int = 200,
) -> Response:
    record = _record(request, viewer, name)
    problems = list(problems)
    made = cards(doc, record, problems)
    groups = [(GROUPS[kind], [c for c in made if c.kind == kind.value]) for kind in APPLY_ORDER]
    report = doc["report"]
    return page(
        request,
        "ingest_review.html",
        name,
        status,
        report=report,
        report_date=day_words(report["date"]) if report.get("date") else None,
        date_rule=DATE_RULES.get(report.get("date_rule") or "", f"by its {report.get('date_rule')}"),
        groups=[(words(request)(title), found) for title, found in groups if found],
        count=len(made),
        proposals_yaml=hidden,
        people=record.people,
        problems=[p.words for p in located(doc, problems, record)],
        message=message,
        would=would,
    )


def _headlines(doc: dict[str, Any], ids: Iterable[str], record: Record) -> list[str]:
    by_id = {e["id"]: e for e in doc["proposals"]}
    return [headline(by_id[i], record) if i in by_id else i for i in ids]


def _where(name: str, kind: ProposalKind, key: str) -> str:
    """Where the workbench shows an entry written."""
    base = f"/n/{name}"
    if kind is ProposalKind.STANCE:  # party/point/vN: the point's row of the stances
        return f"{base}/matrix#row-{key.split('/')[1]}" if key.count("/") == 2 else f"{base}/matrix"
    return {
        ProposalKind.PERSON: f"{base}/people#person-{key}",
        ProposalKind.MEETING: f"{base}/meetings#meeting-{key}",
        ProposalKind.PAPER: f"{base}/papers/{key}",
        ProposalKind.STATEMENT: f"{base}/statements#statement-{key}",
        ProposalKind.EVENT: f"{base}/events#event-{key}",
    }[kind]


def _written(name: str, doc: dict[str, Any], applied: Applied, record: Record) -> list[dict[str, str]]:
    """Each entry written (or that would be): the proposal's words, the entry's line and key, and
    where the workbench shows it."""
    heads = _headlines(doc, [w.proposal for w in applied.written], record)
    return [
        {
            "proposal": w.proposal,
            "words": words,
            "line": w.line,
            "key": w.key,
            "kind": w.kind.value,
            "href": _where(name, w.kind, w.key),
        }
        for words, w in zip(heads, applied.written, strict=True)
    ]


# -- the JSON API -------------------------------------------------------------------------------------


UPLOAD = {
    "type": "object",
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "the report's file"},
        "text": {"type": "string", "description": "or its text"},
        "report_date": {"type": "string", "description": "YYYY-MM-DD"},
        "outlet": {"type": "string", "maxLength": MAX_OUTLET},
        "url": {"type": "string", "maxLength": MAX_URL},
    },
}


@api.post(
    "/negotiations/{name}/ingest",
    dependencies=[WRITES],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": Asked.model_json_schema()},
                "multipart/form-data": {"schema": UPLOAD},
            },
        }
    },
)
async def ingest_report(request: Request, viewer: Who, name: str) -> dict[str, Any]:
    """Read a report against the record and propose entries (nothing is written), as `accord ingest
    REPORT --json`: a JSON body ``{"text": ..., "report_date"?: "YYYY-MM-DD", "outlet"?, "url"?}``
    or a multipart upload (``file``, or ``text``; the same optional fields). The mediator's."""
    require(viewer, Action.INGEST, name)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "multipart/form-data":
        form = await request.form()
        given = {k: str(form.get(k) or "") for k in ("report_date", "outlet", "url")}
        report = await _report(form)
    else:
        try:
            body = await request.json()
        except ValueError:
            raise DomainError(
                'the request body: expected JSON ({"text": ...}) or a multipart upload'
            ) from None
        try:
            asked = Asked.model_validate(body)
        except ValidationError as error:
            raise RequestValidationError(error.errors()) from None
        if not asked.text:
            raise DomainError("text: missing; expected the report's text (or upload its file)")
        given = {"report_date": asked.report_date or "", "outlet": asked.outlet or "", "url": asked.url or ""}
        report = report_from_bytes(asked.text.encode("utf-8", errors="replace"), "the request's text")
    return proposals_json(await _proposed(request, viewer, name, report, given))


@api.post("/negotiations/{name}/ingest/apply", dependencies=[WRITES])
def apply_report(
    request: Request, viewer: Who, name: str, body: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    """Write the accepted proposals, all or nothing, as `accord ingest apply`: the body is what
    POST .../ingest answered (``report`` and ``proposals``, each with ``accept`` and its fields as
    reviewed), plus ``dry_run`` (every check, nothing written) and ``expected_revision``. Each problem
    is named by ``proposals[i].field``; applying the same proposals twice is refused."""
    require(viewer, Action.INGEST, name)
    given = dict(body)
    dry_run = given.pop("dry_run", False)
    expected = given.pop("expected_revision", None)
    if not isinstance(dry_run, bool):
        raise DomainError(f"dry_run: expected true or false, got {str(dry_run)[:40]!r}")
    if expected is not None and (isinstance(expected, bool) or not isinstance(expected, int)):
        raise DomainError(f"expected_revision: expected a whole number, got {str(expected)[:40]!r}")
    text = yaml.safe_dump(given, allow_unicode=True, sort_keys=False, width=1_000_000)
    proposals = parse_proposals(text, "the request body")
    applied = apply_proposals(
        database(request),
        name,
        proposals,
        actor=_actor(viewer),
        viewer=viewer,
        dry_run=dry_run,
        expected_revision=expected,
    )
    return applied_data(applied)


def applied_data(applied: Applied) -> dict[str, Any]:
    return {
        "negotiation": applied.negotiation,
        "report_sha256": applied.report_sha256,
        "source": applied.source,
        "source_created": applied.source_created,
        "dry_run": applied.dry_run,
        "written": [
            {"proposal": w.proposal, "kind": w.kind.value, "key": w.key, "line": w.line}
            for w in applied.written
        ],
        "dropped": list(applied.dropped),
        "skipped": [{"proposal": p, "reason": r} for p, r in applied.skipped],
        "revision": applied.revision,
    }
