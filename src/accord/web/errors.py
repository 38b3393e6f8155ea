"""One handler maps each of accord's error classes to one status code (HTML pages or JSON)."""

from __future__ import annotations

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


def status_of(error: AccordError) -> int:
    for kind, code in STATUS:
        if isinstance(error, kind):
            return code
    return 400


def install_error_handlers(app: FastAPI) -> None:
    from accord.web.context import templates

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, error: RequestValidationError) -> Response:
        # each field and what was expected, never the value sent (FastAPI's own answer echoes it)
        problems = [
            {"path": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "message": e.get("msg", "")}
            for e in error.errors()
        ]
        message = "the request's fields are not as expected"
        return JSONResponse({"error": "InvalidRequest", "message": message, "problems": problems}, 422)

    @app.exception_handler(AccordError)
    async def handle(request: Request, error: AccordError) -> Response:
        code = status_of(error)
        headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyAttempts) else None
        problems = [
            {"path": p.path, "message": p.message} for p in getattr(error, "problems", [])
        ]  # ScenarioError: every problem with its field
        if request.url.path.startswith("/api"):
            body = {
                "error": type(error).__name__,
                "message": str(error).splitlines()[0],
                "problems": problems,
            }
            return JSONResponse(body, status_code=code, headers=headers)
        if code == 401:
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"error": type(error).__name__, "message": str(error), "code": code, "viewer": None},
            status_code=code,
            headers=headers,
        )
