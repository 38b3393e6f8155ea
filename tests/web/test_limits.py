"""What the workbench accepts is bounded: request bodies (413) and every free text a seat types (422
naming the field, never echoing the text)."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from accord.config import BODY_BYTES_VARIABLE
from accord.web.app import create_app
from accord.web.limits import BodyLimit
from tests.web.conftest import NAME, SECRETS, A, B, Workbench, api_token, log_in

P = f"/n/{NAME}"
BIG = 20 * 1024 * 1024  # the 20 MB `basis` a party once stored


def bearer(bench: Workbench, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(bench.client, user)}"}


def test_a_body_over_the_limit_is_refused_with_413_before_any_route_runs(bench: Workbench) -> None:
    started = time.perf_counter()
    answer = bench.client.put(
        f"/api/negotiations/{NAME}/preferences/{A}",
        content=b'{"basis": "' + b"x" * (1_000_001) + b'"}',
        headers={**bearer(bench, A), "Content-Type": "application/json"},
    )
    assert answer.status_code == 413
    assert answer.json()["error"] == "RequestTooLarge"
    assert "larger than 1,000,000 bytes" in answer.json()["message"]
    assert time.perf_counter() - started < 5
    # a page's form as well, and nothing was stored
    csrf = log_in(bench.client, A)
    page = bench.client.post(f"{P}/preferences/{A}", data={"csrf_token": csrf, "x": "y" * 1_000_001})
    assert page.status_code == 413 and "larger than 1,000,000 bytes" in page.text
    kept = bench.client.get(f"/api/negotiations/{NAME}/preferences/{A}", headers=bearer(bench, A))
    assert kept.json()["basis"] == SECRETS[A]["basis"]


def test_the_body_limit_is_configurable(bench: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BODY_BYTES_VARIABLE, "100")
    with TestClient(create_app(bench.database), follow_redirects=False) as small:
        refused = small.post("/api/login", json={"username": A, "password": "p" * 200})
        assert refused.status_code == 413 and "larger than 100 bytes" in refused.text
        assert small.post("/api/login", json={"username": A, "password": "wrong"}).status_code == 401


async def _streamed(scope: Scope, receive: Receive, send: Send) -> None:
    """An app that reads the whole body and answers how much it read."""
    body = await Request(scope, receive).body()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(len(body)).encode()})


def _run(app: Any, chunks: list[bytes]) -> tuple[int, bytes]:
    """One request with a body sent in ``chunks`` and no Content-Length (as a chunked upload is)."""
    import anyio

    messages: Iterator[Message] = iter(
        [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]
    )
    sent: list[Message] = []

    async def receive() -> Message:
        return next(messages)

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/x", "headers": [], "query_string": b""}

    async def main() -> None:
        await app(scope, receive, send)

    anyio.run(main)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def test_a_streamed_body_is_counted_and_refused_when_it_passes_the_limit() -> None:
    from starlette.middleware.exceptions import ExceptionMiddleware

    app = ExceptionMiddleware(BodyLimit(_streamed, max_bytes=1000))
    assert _run(app, [b"x" * 600, b"x" * 400]) == (200, b"1000")
    status, body = _run(app, [b"x" * 600, b"x" * 600, b"x" * 600])
    assert status == 413 and b"larger than 1,000 bytes" in body


def test_a_long_basis_is_refused_naming_only_the_field(bench: Workbench) -> None:
    headers = bearer(bench, A)
    for basis in ("b" * 2_001, "b" * (BIG // 100)):
        answer = bench.client.put(
            f"/api/negotiations/{NAME}/preferences/{A}", json={"basis": basis}, headers=headers
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["problems"] == [
            {"path": f"parties.{A}.basis", "message": "longer than 2,000 characters; write at most 2,000"}
        ]
        assert "bbbb" not in answer.text and len(answer.text) < 500
    kept = bench.client.get(f"/api/negotiations/{NAME}/preferences/{A}", headers=headers)
    assert kept.json()["basis"] == SECRETS[A]["basis"]
    fine = bench.client.put(
        f"/api/negotiations/{NAME}/preferences/{A}", json={"basis": "b" * 2_000}, headers=headers
    )
    assert fine.status_code == 200


def test_long_notes_keys_and_ids_in_preferences_are_refused(bench: Workbench) -> None:
    headers = bearer(bench, A)
    prefs = bench.client.get(f"/api/negotiations/{NAME}/preferences/{A}", headers=headers).json()
    red = prefs["red_lines"]
    red[0]["note"] = "n" * 3_000
    weights = {**prefs["weights"], "k" * 300: 1}
    answer = bench.client.put(
        f"/api/negotiations/{NAME}/preferences/{A}",
        json={"red_lines": red, "weights": weights},
        headers=headers,
    )
    assert answer.status_code == 422
    assert {p["path"] for p in answer.json()["problems"]} == {
        f"parties.{A}.red_lines[0].note",
        f"parties.{A}.weights",
    }
    assert "nnnn" not in answer.text and "kkkk" not in answer.text


def test_long_free_texts_on_the_pages_are_refused(bench: Workbench) -> None:
    csrf = log_in(bench.client, B)
    stance = {"point": "territory", "stance": "conditional", "draft": "3", "csrf_token": csrf}
    refused = bench.client.post(f"{P}/stances", data={**stance, "note": "n" * 2_001})
    assert refused.status_code == 422 and "note: longer than 2,000 characters" in refused.text
    assert "nnnn" not in refused.text
    assert bench.client.post(f"{P}/stances", data={**stance, "note": "n" * 2_000}).status_code in (200, 303)

    bench.client.cookies.clear()
    csrf = log_in(bench.client, "mediator")
    form = {"csrf_token": csrf, "base": "3", "choose.nato-membership": "no-consensus"}
    amended = bench.client.post(f"{P}/drafts", data={**form, "reason": "r" * 2_001})
    assert amended.status_code == 422 and "reason: longer than 2,000 characters" in amended.text
    text = {**form, "reason": "ok", "text.territory": "t" * 10_001}
    amended = bench.client.post(f"{P}/drafts", data=text)
    assert amended.status_code == 422 and "text: longer than 10,000 characters" in amended.text
    meeting = {"csrf_token": csrf, "date": "2025-12-01", "place": "p" * 501, "status": "held"}
    refused = bench.client.post(f"{P}/meetings", data=meeting)
    assert refused.status_code == 422 and "place: longer than 500 characters" in refused.text
    assert "pppp" not in refused.text


def test_an_api_field_over_its_length_names_the_field_without_echoing_it(bench: Workbench) -> None:
    answer = bench.client.post(
        f"/api/negotiations/{NAME}/stances",
        json={"party": B, "point": "territory", "stance": "accept", "draft": 3, "note": "n" * 5_000},
        headers=bearer(bench, B),
    )
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "InvalidRequest"
    assert [p["path"] for p in body["problems"]] == ["note"]
    assert "nnnn" not in answer.text


@pytest.fixture(autouse=True)
def _default_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BODY_BYTES_VARIABLE, raising=False)


def test_the_default_limit_is_said_in_the_docs() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs"
    assert "1,000,000 bytes" in (docs / "workbench.md").read_text()
    assert "5,000,000 bytes" in (docs / "scenario-format.md").read_text()


def test_a_number_that_is_not_finite_is_refused_at_its_field(bench: Workbench) -> None:
    """JSON's NaN and Infinity parse as floats; every range check compares false with NaN, so a party
    could store a reservation value of NaN and the mediator's analyses would drop its constraint."""
    headers = {**bearer(bench, A), "content-type": "application/json"}
    before = bench.client.get(f"/api/negotiations/{NAME}/preferences/{A}", headers=headers).json()
    point = next(iter(before["weights"]))
    for body, path, words in (
        ('{"reservation_value": NaN}', f"parties.{A}.reservation_value", "not a number (NaN)"),
        (
            json.dumps({"weights": {**before["weights"], point: math.inf}}),  # written Infinity
            f"parties.{A}.weights.{point}",
            "infinity",
        ),
    ):
        answer = bench.client.put(f"/api/negotiations/{NAME}/preferences/{A}", content=body, headers=headers)
        assert answer.status_code == 422, answer.text
        assert answer.json()["problems"] == [
            {"path": path, "message": f"expected a finite number, got {words}"}
        ]
    after = bench.client.get(f"/api/negotiations/{NAME}/preferences/{A}", headers=headers).json()
    assert after == before


def test_a_text_with_a_control_or_direction_character_is_refused_at_its_field(bench: Workbench) -> None:
    """A NUL (PostgreSQL refuses it), another control character, or a character that turns the text's
    direction (a note that reads differently from what is stored) is refused on the pages and in the
    API, naming the field and the code point; nothing is recorded."""
    matrix = f"/api/negotiations/{NAME}/matrix?draft=3"
    before = bench.client.get(matrix, headers=bearer(bench, "mediator"))
    assert before.status_code == 200 and before.json()
    csrf = log_in(bench.client, B)
    stance = {"point": "territory", "stance": "conditional", "draft": "3", "csrf_token": csrf}
    refused = bench.client.post(f"{P}/stances", data={**stance, "note": "fine\x00then not"})
    assert refused.status_code == 422 and "note: holds a control character (U+0000)" in refused.text
    answer = bench.client.post(
        f"/api/negotiations/{NAME}/stances",
        json={"party": B, "point": "territory", "stance": "accept", "draft": 3, "note": "txt.\u202eexe"},
        headers=bearer(bench, B),
    )
    assert answer.status_code == 422, answer.text
    assert "note: holds a character that changes the text's direction (U+202E)" in answer.text
    assert bench.client.get(matrix, headers=bearer(bench, "mediator")).json() == before.json()
    # a tab, line breaks and right-to-left text are text
    kept = bench.client.post(f"{P}/stances", data={**stance, "note": "a\tb\r\nשלום عربي"})
    assert kept.status_code in (200, 303), kept.text
    assert bench.client.get(matrix, headers=bearer(bench, "mediator")).json() != before.json()
