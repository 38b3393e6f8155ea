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
