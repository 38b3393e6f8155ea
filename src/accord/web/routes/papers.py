"""Papers handed over, with their content: the pages and the JSON API, on accord.services.papers (the
same use cases as `accord paper ...`), so the policy's rule holds alike everywhere: a paper and its
content are the mediator's and its recipients'; for anyone else it does not exist (404)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from accord.domain import PaperFile
from accord.errors import DomainError
from accord.security.policy import Action, Viewer, allows, require
from accord.services import papers as paper_service
from accord.web.context import check_csrf, database, logged_in
from accord.web.form_values import chosen, kept
from accord.web.json_route import OneTurn
from accord.web.option_words import for_page
from accord.web.routes.pages import page, record_words

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["papers"], route_class=OneTurn)
Who = Annotated[Viewer, Depends(logged_in)]
Name = Annotated[str, Field(min_length=1, max_length=200)]

# media types a browser would render or run: a paper's file always goes out as a download, and
# these as plain bytes, so that a stored page or script never runs on the workbench's origin
_ACTIVE = re.compile(r"html|xml|javascript|ecmascript|svg|xhtml", re.IGNORECASE)


def download(content: paper_service.Content) -> Response:
    """The content as an attachment, under its stored name."""
    media = "application/octet-stream" if _ACTIVE.search(content.media_type) else content.media_type
    plain = re.sub(r"[^A-Za-z0-9._-]+", "_", content.name).strip("._") or "paper"
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(content.name)}"
    return Response(
        content.data,
        media_type=media,
        headers={
            "Content-Disposition": disposition,
            "Cache-Control": "no-store",
        },
    )


# -- pages --------------------------------------------------------------------------------------------


@pages.get("/n/{name}/papers", response_class=HTMLResponse)
def papers_page(request: Request, viewer: Who, name: str) -> Response:
    return _papers_page(request, viewer, name)


def _papers_page(
    request: Request, viewer: Viewer, name: str, message: str | None = None, typed: Any = None
) -> Response:
    """The papers, and the mediator's form (after a refused addition: its message and what was typed,
    ``typed`` the form sent; from the POST only)."""
    values = kept(typed)
    upload = typed.get("file") if typed else None
    if isinstance(upload, UploadFile) and upload.filename:
        values["file_name"] = upload.filename
    found, seen = paper_service.list_papers(database(request), name, viewer=viewer)
    return page(
        request,
        "papers.html",
        name,
        422 if message else 200,
        papers=[paper_service.paper_data(p, seen, with_text=False) for p in found],
        parties=[p for p in seen.parties if p.role.value != "mediator"],
        can_add=allows(viewer, Action.ADD_PAPER, name),
        meetings=seen.meetings,
        message=message,
        values=values,
        handed_to=chosen(typed, "to"),
        **record_words(seen),
    )


@pages.get("/n/{name}/papers/{paper}", response_class=HTMLResponse)
def paper_page(request: Request, viewer: Who, name: str, paper: str) -> Response:
    found, seen = paper_service.get_paper(database(request), name, paper, viewer=viewer)
    return page(
        request,
        "paper.html",
        name,
        paper=paper_service.paper_data(found, seen, with_text=True),
        **record_words(seen),
    )


@pages.get("/n/{name}/papers/{paper}/content")
def paper_content_page(request: Request, viewer: Who, name: str, paper: str) -> Response:
    return download(paper_service.paper_content(database(request), name, paper, viewer=viewer))


@pages.post("/n/{name}/papers")
async def add_paper_page(request: Request, viewer: Who, name: str) -> Response:
    """The mediator's form: a title (or none), a file or a text, the parties it was handed to."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    require(viewer, Action.ADD_PAPER, name)
    upload = form.get("file")
    data = await upload.read() if isinstance(upload, UploadFile) and upload.filename else None
    text = str(form.get("text") or "").strip() or None
    date = str(form.get("date") or "").strip()
    try:
        file = None
        if isinstance(upload, UploadFile) and upload.filename and data is not None:
            file = paper_service.attachment(upload.filename, data, option="file")
        paper_service.add_paper(
            database(request),
            name,
            actor=_actor(viewer),
            viewer=viewer,
            title=str(form.get("title") or "") or None,
            text=text,
            file=file,
            handed=paper_service.Handed(
                parties=[str(v) for v in form.getlist("to")],
                meeting=str(form.get("meeting") or "").strip() or None,
            ),
            date=_date(date) if date else None,
            note=str(form.get("note") or "") or None,
        )
    except DomainError as error:
        return _papers_page(request, viewer, name, message=for_page(str(error)), typed=form)
    return RedirectResponse(f"/n/{name}/papers", status_code=303)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DomainError(f"date: expected a date YYYY-MM-DD, got {value[:40]!r}") from None


def _actor(viewer: Viewer) -> str:
    assert viewer.username is not None
    return viewer.username


# -- the JSON API -------------------------------------------------------------------------------------


@api.get("/negotiations/{name}/papers")
def list_papers(request: Request, viewer: Who, name: str) -> list[dict[str, Any]]:
    """The papers handed to the caller's party (the mediator: every paper), without their content."""
    found, seen = paper_service.list_papers(database(request), name, viewer=viewer)
    return [paper_service.paper_data(p, seen, with_text=False) for p in found]


@api.get("/negotiations/{name}/papers/{paper}")
def get_paper(request: Request, viewer: Who, name: str, paper: str) -> dict[str, Any]:
    """One paper, with its text when its content is a text (a file: .../content)."""
    found, seen = paper_service.get_paper(database(request), name, paper, viewer=viewer)
    return paper_service.paper_data(found, seen, with_text=True)


@api.get("/negotiations/{name}/papers/{paper}/content")
def get_paper_content(request: Request, viewer: Who, name: str, paper: str) -> Response:
    """The stored content, byte for byte (a text as UTF-8), as a download."""
    return download(paper_service.paper_content(database(request), name, paper, viewer=viewer))


class FileIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=500)]
    data: str = Field(description="The file's bytes in base64.")
    media_type: str | None = Field(default=None, max_length=200)


class PaperIn(BaseModel):
    """A paper handed over: ``count`` null with ``several`` true when the number is not known."""

    title: str | None = Field(default=None, max_length=500)
    count: int | None = Field(default=1, ge=1, le=100000)
    several: bool = False
    text: str | None = None
    file: FileIn | None = None
    to: list[Name] = Field(default_factory=list, max_length=100)
    to_people: list[Name] = Field(default_factory=list, max_length=100)
    meeting: Name | None = None
    draft: int | None = None
    related_drafts: list[int] = Field(default_factory=list, max_length=100)
    copy_entry: int | None = Field(default=None, alias="copy")
    date: dt.date | None = None
    note: str | None = Field(default=None, max_length=2000)
    id: Name | None = None
    expected_revision: int | None = None


def _csrf(request: Request) -> None:
    check_csrf(request, None)


@api.post("/negotiations/{name}/papers", status_code=201, dependencies=[Depends(_csrf)])
def add_paper(request: Request, viewer: Who, name: str, body: PaperIn) -> dict[str, Any]:
    """Record a paper with its content (the mediator): the same use case as `accord paper add`."""
    require(viewer, Action.ADD_PAPER, name)
    file: PaperFile | None = None
    if body.file is not None:
        try:
            data = base64.b64decode(body.file.data, validate=True)
        except (binascii.Error, ValueError):
            raise DomainError("file.data: expected the file's bytes in base64") from None
        file = paper_service.attachment(body.file.name, data, body.file.media_type, option="file")
    db = database(request)
    paper = paper_service.add_paper(
        db,
        name,
        actor=_actor(viewer),
        viewer=viewer,
        title=body.title,
        count=None if body.several else body.count,
        text=body.text,
        file=file,
        handed=paper_service.Handed(
            parties=body.to,
            people=body.to_people,
            meeting=body.meeting,
            draft=body.draft,
            related_drafts=body.related_drafts,
            copy=body.copy_entry,
        ),
        date=body.date,
        note=body.note,
        key=body.id,
        expected_revision=body.expected_revision,
    )
    found, seen = paper_service.get_paper(db, name, paper.id, viewer=viewer)
    return paper_service.paper_data(found, seen, with_text=True)
