"""A refusal whose service names a command-line option is said in the API's field names and in a
page's words, by the one error handler every route goes through (accord.web.errors)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from accord.errors import DomainError, NotFoundError
from accord.web.errors import install_error_handlers


def _client() -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/api/negotiations/{name}/statements")
    def statements(name: str) -> None:
        raise NotFoundError("--about-point: the framework has no point 99 (give a point as --about-point N)")

    @app.get("/n/{name}/events")
    def events(name: str) -> None:
        raise DomainError("--date: an event needs its date (or --date-approx: what is known of it)")

    return TestClient(app)


def test_the_api_names_its_own_field() -> None:
    answer = _client().post("/api/negotiations/talks/statements")
    assert answer.status_code == 404
    assert answer.json() == {
        "error": "NotFoundError",
        "message": "points: the framework has no point 99 (give a point as 'points' N)",
        "problems": [
            {"path": "points", "message": "the framework has no point 99 (give a point as 'points' N)"}
        ],
    }


def test_a_page_says_it_in_words() -> None:
    answer = _client().get("/n/talks/events")
    assert answer.status_code == 422 and "--" not in answer.text
    assert "date: an event needs its date (or &#39;approximate date&#39;: what is known of it)" in answer.text
