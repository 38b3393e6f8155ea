"""Leak tracing and the variant rules as pages (issue 17): upload (or paste) a leaked copy and read
whose copy it came from, as `accord trace`; review, veto and allow the rules that make copies differ,
as `accord leaks rules|veto|allow` (accord.services.leak_tracing). The mediator's.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from accord.config import limits
from accord.domain.drafts import chronological
from accord.errors import DomainError
from accord.security.policy import Action, Viewer, allows, require
from accord.services import leak_tracing, workbench
from accord.services.leak_tracing import Traced
from accord.web.context import check_csrf, database, in_analysis_thread, logged_in
from accord.web.option_words import for_page
from accord.web.routes.pages import page

router = APIRouter(include_in_schema=False)
Who = Annotated[Viewer, Depends(logged_in)]
PASTED = "the pasted text"


def _trace_page(
    request: Request,
    viewer: Viewer,
    name: str,
    *,
    traced: Traced | None = None,
    file: str | None = None,
    message: str | None = None,
    given: dict[str, str] | None = None,
    text: str = "",
) -> Response:
    """The form, with the trace's result or the message of a refused one (``text``: the leaked text as
    pasted, back in its box after a refusal)."""
    seen = workbench.view(database(request), viewer, name).negotiation
    return page(
        request,
        "trace.html",
        name,
        422 if message else 200,
        versions=[d.version for d in reversed(chronological(seen.drafts))],
        leaks=leak_tracing.leak_events(database(request), viewer, name),
        may_attach=allows(viewer, Action.RECORD_EVENT, name),
        traced=traced,
        file=file,
        message=message,
        given=given or {},
        text=text,
    )


@router.get("/n/{name}/trace", response_class=HTMLResponse)
def trace_form(request: Request, viewer: Who, name: str) -> Response:
    """The form: the leaked copy's file (PDF, Word, text, Markdown, HTML) or its text pasted."""
    require(viewer, Action.TRACE_LEAK, name)
    return _trace_page(request, viewer, name)


async def _leaked(form: FormData) -> tuple[str, str]:
    """The leaked text of a form and the name it goes by: the file chosen, or the text pasted."""
    upload = form.get("file")
    pasted = str(form.get("text") or "")
    if isinstance(upload, UploadFile) and upload.filename:
        if pasted.strip():
            raise DomainError("give the leaked text or its file, not both: clear one of them")
        shown = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
        return leak_tracing.leaked_text(await upload.read(), shown), shown
    if not pasted.strip():
        raise DomainError("nothing to trace: choose the leaked copy's file or paste its text")
    return leak_tracing.leaked_text(pasted.encode("utf-8", errors="replace"), PASTED), PASTED


@router.post("/n/{name}/trace", response_class=HTMLResponse)
async def trace(request: Request, viewer: Who, name: str) -> Response:
    """Trace the leaked copy: whom it points to and how confidently, or "no confident match"."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    require(viewer, Action.TRACE_LEAK, name)
    given = {k: str(form.get(k) or "").strip()[:200] for k in ("version", "attach_to")}
    pasted = str(form.get("text") or "")
    # kept for the form, unless it is itself over the limit (a refused text is never echoed back)
    kept = pasted if len(pasted.encode("utf-8", errors="replace")) <= limits().report_bytes else ""
    shown = None
    try:
        text, shown = await _leaked(form)
        version = given["version"].removeprefix("v")
        if version and not version.isdigit():
            raise DomainError(f"version: expected a draft version such as 3, got {given['version'][:40]!r}")
        traced = await in_analysis_thread(
            request,
            leak_tracing.trace_upload,
            database(request),
            viewer,
            name,
            text,
            shown,
            version=int(version) if version else None,
            attach_to=given["attach_to"] or None,
        )
    except DomainError as error:  # an unknown version or event too (NotFoundError), said at the form
        message = for_page(str(error))
        return _trace_page(request, viewer, name, message=message, given=given, file=shown, text=kept)
    return _trace_page(request, viewer, name, traced=traced, file=shown, given=given)


@router.get("/n/{name}/leak-rules", response_class=HTMLResponse)
def leak_rules(request: Request, viewer: Who, name: str) -> Response:
    """`accord leaks rules`: what each rule varies, its sites in the newest draft, vetoed or in use."""
    found = leak_tracing.rules(database(request), viewer, name)
    return page(
        request,
        "leak_rules.html",
        name,
        may_change=allows(viewer, Action.SET_LEAK_RULES, name),
        rules=found,
    )


@router.post("/n/{name}/leak-rules")
def change_leak_rule(
    request: Request,
    viewer: Who,
    name: str,
    rule: Annotated[str, Form(max_length=100)],
    action: Annotated[str, Form(pattern="^(veto|allow)$")],
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """`accord leaks veto RULE` or `accord leaks allow RULE` (audited)."""
    check_csrf(request, csrf_token)
    chosen = leak_tracing.set_rule(database(request), viewer, name, rule, action == "veto")
    return RedirectResponse(f"/n/{name}/leak-rules#rule-{chosen.value}", status_code=303)
