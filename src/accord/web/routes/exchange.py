"""Import and export as pages (issue 17): a scenario file or GENIUS files (a domain and one profile
per party) uploaded as a new negotiation, as `accord import` and `accord import-genius`; a negotiation
downloaded as a scenario file or as GENIUS files, as `accord export` and `accord export-genius`
(accord.services.exchange). Who may: accord.security.policy (require_import, Action.EXPORT).

A scenario file checked without storing it, as `accord validate` (every problem at its path and line):
any signed-in user, since it reads nothing of the record and writes nothing.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from accord.config import limits
from accord.errors import DomainError, GeniusFormatError, Problem, ScenarioError
from accord.security.policy import Viewer, may_import, require_import
from accord.services import exchange
from accord.services.exchange import Imported, Upload
from accord.web.context import check_csrf, database, in_analysis_thread, logged_in
from accord.web.option_words import for_page
from accord.web.routes.pages import page
from accord.wording import counted

router = APIRouter(include_in_schema=False)
Who = Annotated[Viewer, Depends(logged_in)]
PASTED = "the pasted scenario"
MAX_PROFILES = 20


def _import_page(
    request: Request,
    *,
    message: str | None = None,
    problems: list[Problem] | None = None,
    given: dict[str, str] | None = None,
    imported: Imported | None = None,
    status: int | None = None,
    text: str = "",
) -> Response:
    """The import forms; after a refused scenario, its message and problems, and the scenario's text
    (``text``: as pasted) back in its box."""
    return page(
        request,
        "import.html",
        None,
        status or (422 if message else 200),
        message=message,
        problems=[str(p) for p in problems or []],
        given=given or {},
        imported=imported,
        text=text,
    )


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request, viewer: Who) -> Response:
    """The forms: a scenario file (or its text), or GENIUS files."""
    require_import(viewer)
    return _import_page(request)


async def _upload(form: FormData, field: str) -> Upload | None:
    found = form.get(field)
    if isinstance(found, UploadFile) and found.filename:
        return Upload(found.filename, await found.read())
    return None


def _given(form: FormData) -> dict[str, str]:
    return {k: str(form.get(k) or "").strip()[:200] for k in ("name", "real_steps")}


@router.post("/import", response_class=HTMLResponse)
async def import_scenario(request: Request, viewer: Who) -> Response:
    """Store an uploaded (or pasted) scenario file as a new negotiation; the importer its mediator."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    require_import(viewer)
    given = _given(form)
    pasted = str(form.get("text") or "")
    # kept for the form, unless it is itself over the limit (a refused text is never echoed back)
    kept = pasted if len(pasted.encode("utf-8", errors="replace")) <= limits().file_bytes else ""
    try:
        upload = await _upload(form, "file")
        if upload is not None and pasted.strip():
            raise DomainError("give the scenario's file or its text, not both: clear one of them")
        if upload is None:
            if not pasted.strip():
                raise DomainError("nothing to import: choose a scenario file (YAML) or paste its text")
            upload = Upload(PASTED, pasted.encode("utf-8", errors="replace"))
        imported = await in_analysis_thread(
            request, exchange.import_scenario, database(request), viewer, upload, name=given["name"] or None
        )
    except ScenarioError as error:
        said = f"the scenario has {counted(len(error.problems), 'problem')}; nothing was imported:"
        return _import_page(request, message=said, problems=error.problems, given=given, text=kept)
    except (DomainError, GeniusFormatError) as error:
        return _import_page(request, message=for_page(str(error)), given=given, text=kept)
    return RedirectResponse(f"/n/{imported.slug}", status_code=303)


@router.get("/validate", response_class=HTMLResponse)
def validate_form(request: Request, viewer: Who) -> Response:
    """`accord validate` as a form: a scenario file, uploaded or pasted."""
    return page(
        request,
        "validate.html",
        None,
        problems=[],
        valid=None,
        message=None,
        file=None,
        may_import=may_import(viewer),  # the link to the import form: only for those it serves
    )


@router.post("/validate", response_class=HTMLResponse)
async def validate_scenario(request: Request, viewer: Who) -> Response:
    """Every problem of the scenario, at its path and line, or what it holds when it is valid; nothing
    is stored."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    upload = await _upload(form, "file")
    pasted = str(form.get("text") or "")
    problems: list[Problem] = []
    valid = message = None
    try:
        if upload is not None and pasted.strip():
            raise DomainError("give the scenario's file or its text, not both: clear one of them")
        if upload is None:
            if not pasted.strip():
                raise DomainError("nothing to check: choose a scenario file (YAML) or paste its text")
            upload = Upload(PASTED, pasted.encode("utf-8", errors="replace"))
        valid = await in_analysis_thread(request, exchange.validate_scenario, upload)
    except ScenarioError as error:
        problems = error.problems
        message = f"{upload.shown if upload else PASTED}: {counted(len(problems), 'problem')}"
    except DomainError as error:
        message = for_page(str(error))
    return page(
        request,
        "validate.html",
        None,
        200 if valid is not None else 422,
        problems=problems,
        valid=valid,
        message=message,
        file=upload.shown if upload else None,
        text=pasted if len(pasted) <= 200_000 else "",
        may_import=may_import(viewer),
    )


@router.post("/import/genius", response_class=HTMLResponse)
async def import_genius(request: Request, viewer: Who) -> Response:
    """Store uploaded GENIUS files (a domain and a profile per party) as a new negotiation."""
    form = await request.form(max_files=MAX_PROFILES + 1)
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    require_import(viewer)
    given = _given(form)
    try:
        domain = await _upload(form, "domain")
        if domain is None:
            raise DomainError("domain: choose the GENIUS domain file (its issues and values)")
        profiles = [
            Upload(f.filename, await f.read())
            for f in form.getlist("profiles")
            if isinstance(f, UploadFile) and f.filename
        ]
        steps = given["real_steps"]
        if steps and (not steps.isdigit() or not 2 <= int(steps) <= 100_000):
            raise DomainError(f"real steps: expected a whole number from 2 to 100,000, got {steps[:40]!r}")
        imported = await in_analysis_thread(
            request,
            exchange.import_genius,
            database(request),
            viewer,
            domain,
            profiles,
            real_steps=int(steps) if steps else None,
            name=given["name"] or None,
        )
    except (DomainError, GeniusFormatError) as error:
        return _import_page(request, message=for_page(str(error)), given=given)
    return _import_page(request, imported=imported)


@router.get("/n/{name}/export")
async def export(
    request: Request,
    viewer: Who,
    name: str,
    format: Annotated[str, Query(pattern="^(scenario|genius)$")] = "scenario",
) -> Response:
    """The negotiation as a scenario file (YAML: `accord export`) or as GENIUS files in a zip archive
    (`accord export-genius`), downloaded."""
    db = database(request)
    if format == "genius":
        packed, _warnings = await in_analysis_thread(request, exchange.export_genius_zip, db, viewer, name)
        return _download(packed, "application/zip", f"{name}-genius.zip")
    text = await in_analysis_thread(request, exchange.export_yaml, db, viewer, name)
    return _download(text, "application/yaml", f"{name}.yaml")


def _download(content: bytes, media: str, filename: str) -> Response:
    filename = re.sub(r"[^A-Za-z0-9_.-]", "-", filename)
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
