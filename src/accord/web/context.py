"""Who is asking, and the checks every state-changing request passes (session, CSRF)."""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread
from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from accord.errors import AccessDenied, NotAuthenticated
from accord.security.policy import Viewer
from accord.services.accounts import Visit, visit
from accord.storage.database import Database
from accord.web.app_paths import TEMPLATES
from accord.web.concept_words import concept_name
from accord.web.translations import install as install_translations
from accord.wording import shortened

T = TypeVar("T")
COOKIE = "accord_session"
templates = Jinja2Templates(directory=TEMPLATES)
install_translations(templates.env)  # _() and {% trans %} (accord.web.translations)
templates.env.filters["shortened"] = shortened  # a long text cut at a word's end, with "…"
templates.env.filters["concept_name"] = concept_name  # "Nash bargaining solution" for "nash"
templates.env.filters["capitalize_first"] = lambda text: str(text)[:1].upper() + str(text)[1:]


def database(request: Request) -> Database:
    db: Database = request.app.state.database
    return db


def current_visit(request: Request) -> Visit:
    """From the session cookie, or (for the API) an ``Authorization: Bearer`` token."""
    cached = getattr(request.state, "visit", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    token = request.cookies.get(COOKIE)
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        token = header[7:].strip()
        request.state.bearer = True
    found = visit(database(request), token)
    request.state.visit = found
    return found


def viewer(request: Request) -> Viewer:
    return current_visit(request).viewer


async def visiting(request: Request) -> Visit:
    """:func:`current_visit` for a dependency: the session is read on a request thread, once per
    request; a later dependency finds it read and takes no turn on the threads at all (each turn
    queues behind the other requests' turns: see accord.web.request_threads)."""
    cached = getattr(request.state, "visit", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    return await anyio.to_thread.run_sync(current_visit, request)


async def logged_in(request: Request) -> Viewer:
    found = (await visiting(request)).viewer
    if not found.authenticated:
        raise NotAuthenticated("log in first")
    return found


def check_csrf(request: Request, token: str | None) -> None:
    """A state-changing request from a browser session must carry the session's CSRF token (a form
    field, or the X-CSRF-Token header); a bearer token is not sent by browsers on their own."""
    if not current_visit(request).viewer.authenticated:
        raise NotAuthenticated("log in first")
    if getattr(request.state, "bearer", False):
        return
    expected = current_visit(request).csrf_token
    given = token or request.headers.get("x-csrf-token")
    if expected is None or given is None or not hmac.compare_digest(expected, given):
        raise AccessDenied("the form is stale or forged (CSRF check failed); reload the page and try again")


async def csrf_checked(request: Request) -> None:
    """:func:`check_csrf` as a dependency of an API route that changes or computes something: the
    session is read once, on a request thread; the check itself reads nothing more."""
    await visiting(request)
    check_csrf(request, None)


WRITES = Depends(csrf_checked)
"""The dependency every API route that changes the record (or starts work) declares."""


async def in_analysis_thread(request: Request, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run slow work (the compromise engine, rendering a document or a chart) on the analysis
    threads, so the request threads stay free for everyone else (see accord.web.app)."""
    limiter: anyio.CapacityLimiter = request.app.state.analysis
    return await anyio.to_thread.run_sync(functools.partial(work, *args, **kwargs), limiter=limiter)
