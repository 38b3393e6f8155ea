"""Schemathesis against the API's own OpenAPI schema: whatever it sends, no answer is a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.web.conftest import A, Workbench, api_token, make_workbench

EXAMPLES_PER_OPERATION = 25


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    bench = make_workbench(Path(tmp_path_factory.mktemp("fuzz")))
    yield bench
    bench.client.close()
    bench.database.dispose()


def _fuzz(bench: Workbench, token: str) -> list[str]:
    # the schema is for signed-in users; logging out would end the session the other requests use,
    # every other operation is fuzzed
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", bench.client.app, headers={"Authorization": f"Bearer {token}"}
    ).exclude(path="/api/logout")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18, "every API operation is in the schema"
    fuzzed = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
        def no_server_error(case: Any) -> None:
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error])

        no_server_error()
        fuzzed.append(f"{operation.method.upper()} {operation.path}")
    return fuzzed


@pytest.fixture(scope="module")
def tokens(fuzzed: Workbench) -> dict[str, str]:
    # both before any fuzzing: fuzzed log-ins with wrong passwords soon make the throttle refuse log-ins
    return {"mediator": api_token(fuzzed.client, "mediator"), "member": api_token(fuzzed.client, A)}


def test_no_request_of_the_mediator_makes_the_server_fail(fuzzed: Workbench, tokens: dict[str, str]) -> None:
    assert "PUT /api/negotiations/{name}/preferences/{party}" in _fuzz(fuzzed, tokens["mediator"])


def test_no_request_of_a_party_makes_the_server_fail(fuzzed: Workbench, tokens: dict[str, str]) -> None:
    assert "POST /api/negotiations/{name}/stances" in _fuzz(fuzzed, tokens["member"])
