"""Amending the single negotiating text on the workbench (the mediator's): version n+1 from any
version, each amendment with its own reason (as `accord draft new --amendments FILE`, whose file has a
reason per change), and a draft's status (as `accord draft status`).

A problem is shown at its field (the point's row, the added point, the label) and the form keeps what
was typed, unless a text is over its limit (it is refused, never repeated: docs/workbench.md).
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from accord.config import TEXT_CHARS
from accord.domain import DraftStatus
from accord.domain.amendments import Amendment, AmendmentKind
from accord.domain.drafts import chronological
from accord.errors import DomainError, NotFoundError, StaleWriteError
from accord.security.policy import Action, Viewer, require
from accord.services import workbench
from accord.web.context import check_csrf, database, logged_in
from accord.web.form_problems import FormProblems
from accord.web.option_words import for_page
from accord.web.routes.pages import draft_page, page
from accord.web.translations import said as _

pages = APIRouter(include_in_schema=False)
Who = Annotated[Viewer, Depends(logged_in)]

ADDED = "add"  # the row of a point added by the amendment, in field names: add.id, add.reason...
# an amendment's field (as accord.services.text_limits names it) -> the form's input of its row
INPUT_OF = {"option": "choose", "text": "text", "reason": "reason", "point": "choose", "title": "title"}
ADDED_INPUT_OF = {"point": "id", "title": "title", "text": "text", "reason": "reason", "option": "id"}


def _limit(key: str) -> int:
    """The longest text a field of the form takes (accord.config.TEXT_CHARS)."""
    if key.startswith("reason"):
        return TEXT_CHARS["note"]
    if key.startswith("text.") or key == "add.text":
        return TEXT_CHARS["text"]
    if key in ("title", "add.title"):
        return TEXT_CHARS["title"]
    return TEXT_CHARS["name"]


# -- amend -----------------------------------------------------------------------------------------


def _amend_page(
    request: Request,
    viewer: Viewer,
    name: str,
    base: int | None,
    *,
    values: dict[str, str] | None = None,
    problems: FormProblems | None = None,
    revision: int | None = None,
    status: int = 200,
) -> Response:
    seen = workbench.view(database(request), viewer, name)
    negotiation = seen.negotiation
    latest = negotiation.latest_draft
    if latest is None:
        raise DomainError("there is no draft to amend yet")
    start = negotiation.draft(base) if base is not None else latest
    return page(
        request,
        "amend.html",
        name,
        status,
        base=start,
        versions=chronological(negotiation.drafts),
        next_version=latest.version + 1,
        revision=seen.revision if revision is None else revision,
        points=sorted(negotiation.points, key=lambda p: p.number),
        values=values or {},
        problems=problems or FormProblems(),
    )


@pages.get("/n/{name}/amend", response_class=HTMLResponse)
def amend_form(
    request: Request, viewer: Who, name: str, base: Annotated[int | None, Query()] = None
) -> Response:
    """The amendment form, starting from ``base`` (any version; the newest unless chosen)."""
    require(viewer, Action.AMEND_DRAFT, name)
    return _amend_page(request, viewer, name, base)


@pages.post("/n/{name}/drafts")
async def amend(request: Request, viewer: Who, name: str) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    require(viewer, Action.AMEND_DRAFT, name)
    problems = FormProblems()
    values = _typed(form, problems)
    base = int(values["base"]) if values.get("base", "").isdigit() else None
    amendments, rows = _amendments(values, problems)
    posted = values.get("expected_revision", "")
    revision = int(posted) if posted.isdigit() else None
    if not problems:
        try:
            created = workbench.amend(
                database(request),
                viewer,
                name,
                amendments,
                base=base,
                label=values.get("label") or None,
                title=values.get("title") or None,
                expected_revision=revision,
            )
        except StaleWriteError as error:
            problems.add(
                None, f"{error} " + _("Check the text again; submitting now applies your changes to it.")
            )
            revision = None  # the form now carries the revision read now
        except DomainError as error:
            _place(problems, str(error), rows)
        else:
            return RedirectResponse(f"/n/{name}/drafts/{created.version}", status_code=303)
    return _amend_page(
        request, viewer, name, base, values=values, problems=problems, revision=revision, status=422
    )


def _typed(form: FormData, problems: FormProblems) -> dict[str, str]:
    """The form's values as typed (a check box: "on"); one over its field's limit is refused and not
    kept."""
    values: dict[str, str] = {}
    for key, raw in form.multi_items():
        if key == "csrf_token":
            continue
        value = str(raw).strip()
        limit = _limit(key)
        if len(value) > limit:
            label = key.split(".")[1] if key.startswith(f"{ADDED}.") else key.split(".")[0]
            problems.add(
                key,
                f"{label}: "
                + _("longer than %(limit)s characters; write at most %(limit)s") % {"limit": f"{limit:,}"},
            )
            continue
        values[key] = value
    return values


def _amendments(values: dict[str, str], problems: FormProblems) -> tuple[list[Amendment], list[str]]:
    """The amendments the form asks for, each with its reason (its own, else the one given for all),
    and the row of each (a point's id, or ADDED)."""
    shared = values.get("reason", "")
    amendments: list[Amendment] = []
    rows: list[str] = []
    # the points in the order of the form's rows
    points = dict.fromkeys(
        key.split(".", 1)[1]
        for key in values
        if "." in key and key.split(".", 1)[0] in ("choose", "text", "drop", "reason")
    )
    for point in points:
        option, text, drop = (values.get(f"{kind}.{point}", "") for kind in ("choose", "text", "drop"))
        reason = values.get(f"reason.{point}", "") or shared
        changes = [c for c in (option, text, drop) if c]
        if not changes:
            if values.get(f"reason.{point}"):
                problems.add(f"reason.{point}", _("a reason, but no change: choose, write or drop"))
            continue
        if len(changes) > 1:
            problems.add(f"choose.{point}", _("one change per point: another option, a new text, or a drop"))
            continue
        if not reason:
            problems.add(f"reason.{point}", _("no reason: every amendment needs one (or give one for all)"))
            continue
        if option:
            amendments.append(Amendment(AmendmentKind.CHOOSE, point, reason, option=option))
        elif text:
            amendments.append(Amendment(AmendmentKind.TEXT, point, reason, text=text))
        else:
            amendments.append(Amendment(AmendmentKind.DROP, point, reason))
        rows.append(point)
    added = {k: values.get(f"{ADDED}.{k}", "") for k in ("id", "title", "text", "reason")}
    if any(added[k] for k in ("id", "title", "text")):
        reason = added["reason"] or shared
        if not reason:
            problems.add(f"{ADDED}.reason", _("no reason: every amendment needs one (or give one for all)"))
        else:
            amendments.append(
                Amendment(
                    AmendmentKind.ADD,
                    added["id"],
                    reason,
                    title=added["title"] or None,
                    text=added["text"] or None,
                )
            )
            rows.append(ADDED)
    elif added["reason"]:
        problems.add(f"{ADDED}.reason", _("a reason, but no point to add: give its id, title and text"))
    if not amendments and not problems:
        problems.add(None, _("a new draft needs at least one amendment: change, drop or add a point"))
    return amendments, rows


def _place(problems: FormProblems, message: str, rows: list[str]) -> None:
    """A refusal of the use case, at the row and input it concerns."""
    head, sep, rest = message.partition(": ")
    found = re.fullmatch(r"amendments\[(\d+)\]\.(\w+)", head) if sep else None
    if found and int(found.group(1)) < len(rows):
        row, what = rows[int(found.group(1))], found.group(2)
        field = f"{ADDED}.{ADDED_INPUT_OF[what]}" if row == ADDED else f"{INPUT_OF[what]}.{row}"
        problems.add(field, f"{what}: {rest}")
        return
    if sep and head in ("label", "title"):
        problems.add(head, message)
        return
    for row in rows:
        if row != ADDED and re.search(rf"point '{re.escape(row)}'", message):
            problems.add(f"choose.{row}", message)
            return
    if ADDED in rows and re.search(r"new point|point's id|exists already|point number", message):
        problems.add(f"{ADDED}.id", message)
        return
    problems.add(None, message)


# -- a draft's status ------------------------------------------------------------------------------


@pages.post("/n/{name}/drafts/{version}/status")
async def set_status(request: Request, viewer: Who, name: str, version: int) -> Response:
    """Mark a draft circulated, agreed or withdrawn (as `accord draft status`); a status it may not
    take is said at the status form."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    require(viewer, Action.CIRCULATE_DRAFT, name)
    typed = str(form.get("status") or "").strip()
    try:
        status = DraftStatus(typed)
    except ValueError:
        known = ", ".join(s.value for s in DraftStatus if s is not DraftStatus.DRAFT)
        problem = f"status: expected one of {known}, got {typed[:40]!r}"
        return draft_page(request, viewer, name, version, status_problem=problem, code=422)
    try:
        workbench.set_draft_status(database(request), viewer, name, version, status)
    except NotFoundError:
        raise
    except DomainError as error:
        return draft_page(request, viewer, name, version, status_problem=for_page(str(error)), code=422)
    return RedirectResponse(f"/n/{name}/drafts/{version}#status", status_code=303)
