"""A JSON API route answered in its own turn (accord.web.json_route) answers exactly as FastAPI would:
the same JSON for dates, enums and nested values, the route's status code, and a route that sets a
header through FastAPI's Response keeps it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, FastAPI, Response
from fastapi.testclient import TestClient

from accord.domain import StanceKind
from accord.web.json_route import OneTurn


def _app(route_class: type | None) -> FastAPI:
    router = APIRouter(prefix="/api", route_class=route_class) if route_class else APIRouter(prefix="/api")

    @router.get("/thing")
    def thing(n: int = 1) -> dict[str, Any]:
        return {"on": dt.date(2025, 1, 2), "stance": StanceKind.ACCEPT, "list": [n, "x", None, 1.5]}

    @router.post("/things", status_code=201)
    def add() -> list[dict[str, Any]]:
        return [{"made": dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)}]

    @router.get("/headed")
    def headed(response: Response) -> dict[str, str]:
        response.headers["X-Kept"] = "yes"
        return {"ok": "yes"}

    app = FastAPI()
    app.include_router(router)
    return app


def test_one_turn_answers_as_fastapi_does() -> None:
    plain, one_turn = TestClient(_app(None)), TestClient(_app(OneTurn))
    for method, path in (("GET", "/api/thing?n=7"), ("POST", "/api/things"), ("GET", "/api/headed")):
        expected, got = plain.request(method, path), one_turn.request(method, path)
        assert (got.status_code, got.json()) == (expected.status_code, expected.json())
        assert got.headers["content-type"] == expected.headers["content-type"] == "application/json"
    assert one_turn.post("/api/things").status_code == 201
    assert one_turn.get("/api/headed").headers["x-kept"] == "yes"


def test_a_request_error_is_still_fastapis_422() -> None:
    answer = TestClient(_app(OneTurn)).get("/api/thing?n=seven")
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["query", "n"]
