"""A party's stance recorded by the mediator on its behalf, citing where it comes from (a meeting's
read-out, a press statement): `accord stance set PARTY POINT STANCE --source ...` on the workbench.

The form is the mediator's (accord.security.policy: RECORD_STANCE_FOR_PARTY); the stance itself is
written by the same use case as a party's own answer (accord.services.workbench.set_stance), so a
draft never circulated to the party is refused here as everywhere. A problem is shown at its field
and the form keeps what was typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accord.config import TEXT_CHARS
from accord.domain import StanceKind
from accord.errors import DomainError
from accord.security.policy import Action, Viewer, require
from accord.services import workbench
from accord.services.sources import NO_CITATION, Citation
from accord.web.context import check_csrf, database, logged_in
from accord.web.form_problems import FormProblems, place
from accord.web.routes.pages import page
from accord.web.translations import N_
from accord.web.translations import said as _

pages = APIRouter(include_in_schema=False)
Who = Annotated[Viewer, Depends(logged_in)]

# the stances in words, as the form offers them (the catalogue's: translated where shown)
STANCE_WORDS = {
    StanceKind.ACCEPT: N_("accepts the point as drafted"),
    StanceKind.CONDITIONAL: N_("accepts it on a condition (say which in the note)"),
    StanceKind.REJECT: N_("rejects it"),
    StanceKind.STUDYING: N_("is studying it (under review)"),
    StanceKind.NO_POSITION: N_("takes no position"),
}
FIELDS = (
    "party",
    "point",
    "stance",
    "draft",
    "note",
    "as_of",
    "source_outlet",
    "source_title",
    "source_url",
    "source_date",
    "source_quote",
)
# the services' words for a field (the command line's options) -> the form's input
NAMES = {
    "--as-of": "as_of",
    "as of": "as_of",
    "--draft": "draft",
    "note": "note",
    "--source": "source",
    "source": "source",
    "source outlet": "source_outlet",
    "source title": "source_title",
    "source url": "source_url",
    "source date": "source_date",
    "source quote": "source_quote",
    "source id": "source_outlet",
}
# the kind of text of each field (accord.config.TEXT_CHARS); any other: an id
LIMITS = {
    "note": "note",
    "source_outlet": "title",
    "source_title": "title",
    "source_url": "title",
    "source_quote": "outcome",
}
PATTERNS = (
    (r"only parties answer|has no party", "party"),
    (r"was not circulated to|no draft|has no version|versions? ", "draft"),
    (r"has no point|dropped or never in it", "point"),
)


def _form_page(
    request: Request,
    viewer: Viewer,
    name: str,
    values: dict[str, Any],
    problems: FormProblems | None = None,
    status: int = 200,
) -> Response:
    seen = workbench.view(database(request), viewer, name).negotiation
    return page(
        request,
        "on_behalf.html",
        name,
        status,
        negotiation=seen,
        parties=seen.negotiating_parties,
        points=sorted(seen.points, key=lambda p: p.number),
        drafts=sorted(seen.drafts, key=lambda d: d.version, reverse=True),
        sources=sorted(seen.sources, key=lambda s: s.id),
        stance_words=STANCE_WORDS,
        values=values,
        chosen_sources=set(values.get("source", [])),
        problems=problems or FormProblems(),
        party_names={p.id: p.name for p in seen.parties},
    )


@pages.get("/n/{name}/stances/on-behalf", response_class=HTMLResponse)
def on_behalf_form(
    request: Request,
    viewer: Who,
    name: str,
    party: Annotated[str | None, Query(max_length=200)] = None,
    point: Annotated[str | None, Query(max_length=200)] = None,
    draft: Annotated[int | None, Query()] = None,
) -> Response:
    """The form, with the party, point and draft chosen from the stances page's cell."""
    require(viewer, Action.RECORD_STANCE_FOR_PARTY, name)
    latest = workbench.view(database(request), viewer, name).negotiation.latest_draft
    values: dict[str, Any] = {
        "party": party or "",
        "point": point or "",
        "draft": str(draft if draft is not None else (latest.version if latest else "")),
    }
    return _form_page(request, viewer, name, values)


@pages.post("/n/{name}/stances/on-behalf", response_class=HTMLResponse)
async def record_on_behalf(request: Request, viewer: Who, name: str) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    require(viewer, Action.RECORD_STANCE_FOR_PARTY, name)  # before reading anything the form says
    problems = FormProblems()
    # kept as typed, to be shown again; a text over its limit is refused and never repeated
    values: dict[str, Any] = {}
    for field in FIELDS:
        typed = str(form.get(field) or "").strip()
        limit = TEXT_CHARS[LIMITS.get(field, "name")]
        if len(typed) > limit:
            problems.add(
                field,
                _("longer than %(limit)s characters; write at most %(limit)s") % {"limit": f"{limit:,}"},
            )
            typed = ""
        values[field] = typed
    values["source"] = [str(k).strip() for k in form.getlist("source") if str(k).strip()]
    if any(len(k) > TEXT_CHARS["name"] for k in values["source"]):
        problems.add("source", _("a stored source's id is at most 200 characters"))
        values["source"] = []
    stance = _stance(values["stance"], problems)
    version = _version(values["draft"], problems)
    as_of = _day("as_of", values["as_of"], problems)
    citation = _citation(values, problems)
    for required in ("party", "point"):
        if not values[required]:
            problems.add(required, _("choose the party") if required == "party" else _("choose the point"))
    if not problems:
        assert stance is not None and version is not None
        try:
            recorded = workbench.set_stance(
                database(request),
                viewer,
                name,
                party=values["party"],
                point=values["point"],
                stance=stance,
                version=version,
                note=values["note"] or None,
                as_of=as_of,
                citation=citation,
            )
        except DomainError as error:
            place(problems, str(error), NAMES, PATTERNS)
        else:
            return RedirectResponse(
                f"/n/{name}/matrix?draft={version}&recorded={recorded.party}.{recorded.point}#row-{recorded.point}",
                status_code=303,
            )
    return _form_page(request, viewer, name, values, problems, status=422)


def _stance(value: str, problems: FormProblems) -> StanceKind | None:
    if not value:
        problems.add("stance", _("choose the party's stance"))
        return None
    try:
        return StanceKind(value)
    except ValueError:
        problems.add(
            "stance", _("expected one of %(kinds)s") % {"kinds": ", ".join(k.value for k in StanceKind)}
        )
        return None


def _version(value: str, problems: FormProblems) -> int | None:
    if not value:
        problems.add("draft", _("choose the draft the party answered"))
        return None
    if not value.isdigit():
        problems.add(
            "draft", _("expected a draft's version (a number), got %(value)s") % {"value": repr(value[:40])}
        )
        return None
    return int(value)


def _day(field: str, value: str, problems: FormProblems) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.add(
            field, _("expected a date written YYYY-MM-DD, got %(value)s") % {"value": repr(value[:40])}
        )
        return None


def _citation(values: dict[str, Any], problems: FormProblems) -> Citation:
    """The stored sources chosen and a new one described (any of its fields), as the command's
    --source and --source-* options."""
    new = {f: values[f"source_{f}"] or None for f in ("outlet", "title", "url", "quote")}
    when = _day("source_date", values["source_date"], problems)
    if not values["source"] and not any(new.values()) and when is None:
        return NO_CITATION
    return Citation(keys=tuple(dict.fromkeys(values["source"])), date=when, prefix="source ", **new)
