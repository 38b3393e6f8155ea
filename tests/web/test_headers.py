"""Every answer carries the browser-side defences: a Content-Security-Policy that runs only this
site's own scripts and styles and lets no other site frame it, nosniff, no Referer, and no caching
of private pages or JSON. The API's documentation is drawn here, for signed-in users only."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from accord.web.app import create_app
from accord.web.app_paths import STATIC, TEMPLATES
from accord.web.headers import SecurityHeaders
from tests.web.conftest import NAME, A, Workbench, api_token, log_in, make_workbench
from tests.web.test_access_matrix import ROUTES

# what any page or JSON answer must carry
CSP_PARTS = ("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")


def _check_headers(response: object, where: str, *, private: bool = True) -> list[str]:
    headers = response.headers  # type: ignore[attr-defined]
    wrong = []
    csp = headers.get("content-security-policy", "")
    wrong += [f"{where}: CSP lacks {part!r}" for part in CSP_PARTS if part not in csp]
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        wrong.append(f"{where}: the CSP allows inline code: {csp}")
    if headers.get("x-content-type-options") != "nosniff":
        wrong.append(f"{where}: no nosniff")
    if headers.get("referrer-policy") != "no-referrer":
        wrong.append(f"{where}: Referrer-Policy {headers.get('referrer-policy')}")
    if private and "no-store" not in headers.get("cache-control", ""):
        wrong.append(f"{where}: Cache-Control {headers.get('cache-control')}")
    return wrong


def test_every_page_and_json_answer_carries_the_security_headers(bench: Workbench) -> None:
    wrong = _check_headers(bench.client.get("/login"), "GET /login")
    wrong += _check_headers(bench.client.get("/api/negotiations"), "GET /api/negotiations (401)")
    log_in(bench.client, "mediator")
    token = api_token(bench.client, "mediator")
    for (method, route), sample in ROUTES.items():
        if method != "GET":
            continue
        headers = {"Authorization": f"Bearer {token}"} if sample.path.startswith("/api/") else {}
        response = bench.client.get(sample.path, headers=headers)
        # the charts' script (/static/vega.js) is the same for everyone: a browser may keep it
        private = not route.startswith("/static/")
        wrong += _check_headers(response, f"GET {route} ({response.status_code})", private=private)
    wrong += _check_headers(bench.client.get(f"/n/{NAME}/drafts/99"), "a page's error (404)")
    static = bench.client.get("/static/htmx.min.js")
    assert static.status_code == 200
    wrong += _check_headers(static, "a static file", private=False)
    assert not wrong, "\n".join(wrong)


INLINE = {
    "an inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "a style element": re.compile(r"<style\b", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
    "htmx's hx-on (evaluated code)": re.compile(r"\shx-on", re.I),
}


def test_no_template_has_inline_code_or_styles() -> None:
    found = [
        f"{template.name}: {what}"
        for template in sorted(TEMPLATES.glob("*.html"))
        for what, pattern in INLINE.items()
        if pattern.search(template.read_text())
    ]
    assert not found, found
    assert (STATIC / "accord.css").exists()


def test_htmx_is_configured_to_need_no_inline_style_or_eval(bench: Workbench) -> None:
    log_in(bench.client, "mediator")
    page = bench.client.get("/negotiations").text
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page)
    assert config, "htmx reads its configuration from this tag"
    settings = json.loads(config.group(1))
    assert settings["includeIndicatorStyles"] is False  # else htmx adds a <style> element
    assert settings["allowEval"] is False


def test_the_api_docs_are_for_signed_in_users_and_load_nothing_from_elsewhere(bench: Workbench) -> None:
    for path in ("/docs", "/openapi.json"):
        anonymous = bench.client.get(path)
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    assert bench.client.get("/redoc").status_code in (303, 404)
    assert bench.client.get("/docs/oauth2-redirect").status_code in (303, 404)
    token = api_token(bench.client, A)
    schema = bench.client.get("/openapi.json", headers={"Authorization": f"Bearer {token}"})
    assert schema.status_code == 200 and "/api/negotiations/{name}/stances" in schema.json()["paths"]
    log_in(bench.client, A)
    docs = bench.client.get("/docs")
    assert docs.status_code == 200
    assert "/api/negotiations/{name}/stances" in docs.text and "StanceIn" in docs.text
    external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', docs.text)
    assert not external, external
    scripts = re.findall(r'<script[^>]*src="([^"]*)"', docs.text)
    assert all(src.startswith("/static/") for src in scripts), scripts


def test_a_failure_inside_the_app_answers_500_with_the_headers_and_no_traceback() -> None:
    """Starlette's outermost middleware writes a 500 without the app's headers; SecurityHeaders writes
    it first, with them, and lets the error go on to be logged."""
    app = FastAPI()

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a defect, with details a client must not see")

    app.add_middleware(SecurityHeaders)
    answer = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert answer.status_code == 500 and answer.text == "Internal Server Error"
    assert not _check_headers(answer, "a 500")
    assert "strict-transport-security" not in answer.headers


def test_behind_https_every_answer_tells_the_browser_to_keep_to_https(tmp_path: Path) -> None:
    bench = make_workbench(tmp_path)
    client = TestClient(create_app(bench.database, https_only=True), follow_redirects=False)
    for path in ("/login", "/static/htmx.min.js", "/api/negotiations"):
        assert client.get(path).headers["strict-transport-security"] == "max-age=31536000", path
    plain = TestClient(create_app(bench.database), follow_redirects=False)
    assert "strict-transport-security" not in plain.get("/login").headers
