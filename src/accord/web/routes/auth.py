"""Logging in and out, for the pages (a session cookie) and for the API (a bearer token)."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from accord.errors import NotAuthenticated
from accord.services import accounts
from accord.services.accounts import SESSION_HOURS
from accord.web.context import COOKIE, check_csrf, current_visit, database, templates

router = APIRouter()
LOGIN_COOKIE = "accord_login"  # the log-in form's CSRF token, before there is a session


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _safe_next(target: str | None) -> str:
    # only a path on this site: never an open redirect
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/negotiations"
    return target


def _secure(request: Request) -> bool:
    return bool(request.app.state.https_only or request.url.scheme == "https")


def _login_form(
    request: Request, next: str | None, message: str | None, username: str = "", status: int = 200
) -> Response:
    """The log-in page, with the log-in CSRF token: the same random value in a cookie and in the form
    (double submit). Another site can make a browser post a log-in form, but cannot read or set this
    site's cookie, so it cannot log the visitor in as someone else (whose account would then collect
    what the visitor types)."""
    token = request.cookies.get(LOGIN_COOKIE) or ""
    if len(token) != 43:  # secrets.token_urlsafe(32); anything else is replaced
        token = secrets.token_urlsafe(32)
    response = templates.TemplateResponse(
        request,
        "login.html",
        {"viewer": None, "next": _safe_next(next), "message": message, "username": username, "csrf": token},
        status_code=status,
    )
    response.set_cookie(
        LOGIN_COOKIE, token, httponly=True, samesite="lax", secure=_secure(request), path="/login"
    )
    return response


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> Response:
    return _login_form(request, next, None)


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str | None, Form()] = None,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE)
    if not expected or not csrf_token or not hmac.compare_digest(expected, csrf_token):
        # checked before the password, so that a forged form never counts as a failed log-in either
        stale = "the log-in form was stale or came from another site; please log in again"
        return _login_form(request, next, stale, username, status=403)
    try:
        done = accounts.log_in(
            database(request), request.app.state.throttle, username, password, _address(request)
        )
    except NotAuthenticated as error:
        return _login_form(request, next, str(error), username, status=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.delete_cookie(LOGIN_COOKIE, path="/login")  # a fresh one with the next log-in page
    response.set_cookie(
        COOKIE,
        done.token,
        max_age=SESSION_HOURS * 3600,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, csrf_token: Annotated[str | None, Form()] = None) -> Response:
    token = request.cookies.get(COOKIE)
    if token and current_visit(request).viewer.authenticated:
        check_csrf(request, csrf_token)
        accounts.log_out(database(request), token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


class Credentials(BaseModel):
    username: str
    password: str


class Token(BaseModel):
    token: str
    username: str
    expires_in: int


@router.post("/api/login", response_model=Token, tags=["session"])
def api_login(request: Request, credentials: Credentials) -> Token:
    """Log in; send the token back as `Authorization: Bearer TOKEN` (no CSRF token needed then)."""
    done = accounts.log_in(
        database(request),
        request.app.state.throttle,
        credentials.username,
        credentials.password,
        _address(request),
    )
    return Token(token=done.token, username=credentials.username, expires_in=SESSION_HOURS * 3600)


@router.post("/api/logout", status_code=204, tags=["session"])
def api_logout(request: Request) -> Response:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        accounts.log_out(database(request), header[7:].strip())
    return Response(status_code=204)
