"""One handler maps each of accord's error classes to one status code (HTML pages or JSON)."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response

from accord.errors import (
    AccessDenied,
    AccordError,
    DomainError,
    EngineError,
    GeniusFormatError,
    NotAuthenticated,
    NotFoundError,
    ScenarioError,
    SeatBusy,
    StaleWriteError,
    StorageError,
    TooManyAttempts,
)
from accord.security.policy import ANONYMOUS, Action, allows

STATUS: list[tuple[type[AccordError], int]] = [
    (NotAuthenticated, 401),
    (AccessDenied, 403),
    (NotFoundError, 404),
    (StaleWriteError, 409),
    (SeatBusy, 409),
    (TooManyAttempts, 429),
    (ScenarioError, 422),
    (DomainError, 422),
    (EngineError, 422),
    (GeniusFormatError, 422),  # a file GENIUS cannot read, or a name GENIUS cannot take
    (StorageError, 503),
]


# Pydantic's words for the usual mistakes, as a person would say them
_EXPECTED = {
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "bool_parsing": "expected true or false",
    "missing": "missing; expected a value here",
    "date_from_datetime_parsing": "expected a date written YYYY-MM-DD",
    "date_parsing": "expected a date written YYYY-MM-DD",
}


def _said(error: Any) -> str:
    """What a field expected, in words: pydantic's for the usual mistakes, its limits said plainly, a
    pattern of choices as the choices ("one of scenario, genius"), never a regular expression."""
    kind = str(error.get("type", ""))
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    limit = error.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {
            "greater_than_equal": ("ge", "at least"),
            "greater_than": ("gt", "more than"),
            "less_than_equal": ("le", "at most"),
            "less_than": ("lt", "less than"),
        }[kind]
        return f"expected {words[1]} {limit.get(words[0])}"
    if kind == "string_pattern_mismatch":
        choices = re.fullmatch(r"\^\(([\w|-]+)\)\$", str(limit.get("pattern", "")))
        if choices:
            return "expected one of " + ", ".join(choices.group(1).split("|"))
        return "not in the form expected"
    if kind in ("enum", "literal_error"):
        return "expected one of " + str(limit.get("expected", "")).replace("'", "")
    if kind == "string_too_long":
        return f"longer than {limit.get('max_length')} characters"
    if kind == "string_too_short":
        return "empty; expected a value here"
    return str(error.get("msg", ""))


def _where(request: Request) -> dict[str, object]:
    """What the error page links back to: the negotiation the address is in, when the viewer may read
    it (accord.security.policy: a stranger to it is not pointed into it); and whether a form was sent
    (nothing was saved, and the browser's Back button returns to what was typed)."""
    parts = request.url.path.split("/")
    name = parts[2] if len(parts) > 2 and parts[1] == "n" and parts[2] else None
    # the viewer as the request read it (every page's route reads it first); the error page reads
    # nothing more of the record, which may be the very thing that failed
    visit = getattr(request.state, "visit", None)
    viewer = visit.viewer if visit is not None else ANONYMOUS
    may_read = name is not None and allows(viewer, Action.SEE_NEGOTIATION, name)
    return {
        "negotiation_link": f"/n/{name}" if may_read else None,
        "posted": request.method == "POST",
    }


def status_of(error: AccordError) -> int:
    for kind, code in STATUS:
        if isinstance(error, kind):
            return code
    return 400


def install_error_handlers(app: FastAPI) -> None:
    from accord.web.context import templates
    from accord.web.option_words import for_api, for_page

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        # each field and what was expected, never the value sent (FastAPI's own answer echoes it)
        problems = [
            {
                "path": ".".join(
                    str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path", "form")
                ),
                "message": _said(e),
            }
            for e in error.errors()
        ]
        message = "the request's fields are not as expected"
        if request.url.path.startswith("/api"):
            return JSONResponse({"error": "InvalidRequest", "message": message, "problems": problems}, 422)
        said = "; ".join(f"{p['path']}: {p['message']}" if p["path"] else p["message"] for p in problems)
        return templates.TemplateResponse(  # a page's address or form with a value it cannot use
            request,
            "error.html",
            {"message": f"{message}: {said}", "code": 422, "viewer": None, **_where(request)},
            status_code=422,
        )

    @app.exception_handler(AccordError)
    async def handle(request: Request, error: AccordError) -> Response:
        code = status_of(error)
        headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyAttempts) else None
        problems = [
            {"path": p.path, "message": p.message} for p in getattr(error, "problems", [])
        ]  # ScenarioError: every problem with its field
        if request.url.path.startswith("/api"):
            # the services' head names a command line option ("--summary: ..."): the API's field instead
            kind = request.url.path.rstrip("/").rsplit("/", 1)[-1]  # statements, meetings, ...
            message, field = for_api(str(error).splitlines()[0], kind)
            if field and not problems:
                problems = [{"path": field, "message": message[len(field) + 2 :]}]
            body = {"error": type(error).__name__, "message": message, "problems": problems}
            return JSONResponse(body, status_code=code, headers=headers)
        if code == 401:
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"message": for_page(str(error)), "code": code, "viewer": None, **_where(request)},
            status_code=code,
            headers=headers,
        )
