"""The JSON API's routes are matched first (accord.web.app): safe only while every API path starts
with /api/ and no other route can match a path that does, which this checks on the app as built."""

from __future__ import annotations

from typing import Any

from starlette.routing import Match

from tests.web.conftest import Workbench


def _paths(route: Any) -> list[str]:
    inner = getattr(route, "original_router", None)
    if inner is not None:
        return [p for r in inner.routes for p in _paths(r)]
    return [getattr(route, "path", "")]


def test_api_routes_come_first_and_no_other_route_takes_an_api_path(bench: Workbench) -> None:
    routes = list(bench.client.app.router.routes)  # type: ignore[attr-defined]
    groups = [(route, _paths(route)) for route in routes]
    api = [i for i, (_, paths) in enumerate(groups) if any(p.startswith("/api/") for p in paths)]
    others = [i for i in range(len(groups)) if i not in api]
    assert api and others
    # every API path under /api/, and the API's groups before every page's but the log-in's
    for i in api:
        paths = groups[i][1]
        assert all(p.startswith("/api/") or p in ("/login", "/logout") for p in paths), paths
    pages = next(i for i, (_, paths) in enumerate(groups) if "/n/{name}" in paths)  # the negotiation's page
    assert max(api) < pages
    # no page or other route takes a path under /api/: a concrete path of every API route, tried on them
    for i in api:
        for path in groups[i][1]:
            if not path.startswith("/api/"):
                continue
            concrete = path.replace("{", "").replace("}", "")
            for method in ("GET", "POST"):
                scope = {"type": "http", "path": concrete, "method": method, "root_path": "", "headers": []}
                for j in others:
                    match, _ = groups[j][0].matches(scope)
                    assert match is Match.NONE, (concrete, groups[j][1])


def _endpoints(route: Any) -> list[Any]:
    inner = getattr(route, "original_router", None)
    if inner is not None:
        return [e for r in inner.routes for e in _endpoints(r)]
    return [route] if getattr(route, "dependant", None) is not None else []


# what a page's code passes itself on an error (the status to answer with, the message, the values
# typed), never from the address: "?status=999" once set the response's status and broke the reply
INTERNAL = {"status", "status_code", "message", "values", "problems"}


def test_no_route_takes_its_answer_s_status_or_message_from_the_address(bench: Workbench) -> None:
    routes = [e for r in bench.client.app.router.routes for e in _endpoints(r)]  # type: ignore[attr-defined]
    assert len(routes) > 50
    taken = {
        (route.path, p.name)
        for route in routes
        for p in (*route.dependant.query_params, *route.dependant.body_params)
        if p.name in INTERNAL
    }
    assert not taken, taken


def test_a_status_in_the_address_is_ignored(bench: Workbench) -> None:
    from tests.web.conftest import NAME, log_in

    log_in(bench.client, "mediator")
    for status in ("999", "500", "204", "302"):
        answer = bench.client.get(f"/n/{NAME}/record-draft?status={status}&message=fake+trouble")
        assert answer.status_code == 200, status
        assert "fake trouble" not in answer.text
