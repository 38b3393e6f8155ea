"""What a seat may learn of drafts it never received (issue 11, items 1, 2 and 5).

- A point the mediator adds in a draft is seen by a party or an observer only once a draft holding it
  was circulated to that seat: not in the negotiation, the preferences (as a weight key), the matrix,
  the drafts, the shared results.
- An amendment's point id follows the scenario format's rule for ids; a party's preference edit only
  ever reports problems under that party's own preferences.
- A draft one may not see answers exactly like a draft that does not exist (same status, same words).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accord.domain import Draft, Option, Point
from accord.domain.drafts import Choice
from accord.errors import NotFoundError
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import workbench
from accord.storage.unit_of_work import writing
from accord.web.app import create_app
from tests.web.conftest import (
    NAME,
    UNCIRCULATED,
    A,
    B,
    Workbench,
    api_token,
    log_in,
    plant_uncirculated_point,
)

P = f"/n/{NAME}"
API = f"/api/negotiations/{NAME}"
SECRET = list(UNCIRCULATED.values())
HIDDEN = UNCIRCULATED["id"]
MEDIATOR = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
OUTSIDERS = (A, B, "europe", "observer")  # every seat but the mediator's
PARTIES = {A, B, "europe"}


@pytest.fixture
def hidden(bench: Workbench) -> Workbench:
    """The demo workbench with draft v4, never circulated, adding the UNCIRCULATED point."""
    assert plant_uncirculated_point(bench.database) == 4
    return bench


@contextmanager
def browser(bench: Workbench, username: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """A client of its own, logged in as ``username`` (pages), and the API's headers for it."""
    with TestClient(create_app(bench.database), follow_redirects=False) as client:
        token = api_token(client, username)
        log_in(client, username)
        yield client, {"Authorization": f"Bearer {token}"}


def _reads(username: str) -> list[str]:
    paths = [
        "/negotiations",
        P,
        f"{P}/matrix",
        f"{P}/drafts",
        f"{P}/drafts/3",
        f"{P}/diff?a=1&b=3",
        f"{P}/meetings",
        API,
        f"{API}/matrix",
        f"{API}/drafts/3",
        f"{API}/drafts/1/diff/3",
        f"{API}/meetings",
    ]
    if username in PARTIES:
        paths += [
            f"{P}/preferences/{username}",
            f"{P}/shared/{username}",
            f"{API}/preferences/{username}",
            f"{API}/shares/{username}",
        ]
    return paths


# -- item 1: the added point ---------------------------------------------------------------------


def test_no_view_of_a_party_or_an_observer_names_a_point_of_a_draft_never_circulated(
    hidden: Workbench,
) -> None:
    wrong = []
    for username in OUTSIDERS:
        with browser(hidden, username) as (client, headers):
            for path in _reads(username):
                response = client.get(path, headers=headers if path.startswith("/api") else None)
                drafted = "/drafts/" in path or "/diff" in path  # the observer and europe lack v1 or v3
                if response.status_code >= 400 and (username in (A, B) or not drafted):
                    wrong.append(f"{username} {path}: {response.status_code}")
                leaked = [s for s in SECRET if s in response.text]
                if leaked:
                    wrong.append(f"LEAK to {username} by {path}: {leaked}")
    assert not wrong, "\n".join(wrong)
    with browser(hidden, "mediator") as (client, headers):  # the mediator sees it everywhere
        assert HIDDEN in client.get(API, headers=headers).text
        assert HIDDEN in client.get(f"{API}/preferences/{A}", headers=headers).json()["weights"]
        assert UNCIRCULATED["title"] in client.get(f"{P}/drafts/4").text


def test_the_added_point_is_seen_once_a_draft_holding_it_reaches_the_seat(hidden: Workbench) -> None:
    workbench.circulate(hidden.database, MEDIATOR, NAME, 4, [B])
    with browser(hidden, B) as (client, headers):
        points = [p["point"] for p in client.get(API, headers=headers).json()["points"]]
        assert HIDDEN in points
        assert HIDDEN in client.get(f"{API}/preferences/{B}", headers=headers).json()["weights"]
        assert UNCIRCULATED["title"] in client.get(f"{P}/preferences/{B}").text
    with browser(hidden, A) as (client, headers):  # russia still has not received v4
        assert HIDDEN not in client.get(API, headers=headers).text
        assert HIDDEN not in client.get(f"{API}/preferences/{A}", headers=headers).text


def test_a_party_edits_its_preferences_without_seeing_the_added_point_and_its_weight_is_kept(
    hidden: Workbench,
) -> None:
    mine = workbench.preferences(hidden.database, MEDIATOR, NAME, A)
    with browser(hidden, A) as (client, headers):
        shown = client.get(f"{API}/preferences/{A}", headers=headers).json()
        assert HIDDEN not in shown["weights"] and HIDDEN not in shown["scores"]
        weights = {**shown["weights"], "territory": 7}
        response = client.put(f"{API}/preferences/{A}", json={"weights": weights}, headers=headers)
        assert response.status_code == 200, response.text
        assert not [s for s in SECRET if s in response.text]
        # the page's form too (its weights, as a browser sends them)
        page = client.get(f"{P}/preferences/{A}").text
        csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        form = {f"weight.{point}": str(weight) for point, weight in weights.items()}
        form.update({"csrf_token": csrf, "reservation_value": "0.4", "weight.territory": "5"})
        posted = client.post(f"{P}/preferences/{A}", data=form)
        assert posted.status_code == 200, posted.text
        assert not [s for s in SECRET if s in posted.text]
    stored = workbench.preferences(hidden.database, MEDIATOR, NAME, A)
    assert stored["weights"][HIDDEN] == mine["weights"][HIDDEN]  # kept, not dropped by the party's edit
    assert stored["weights"]["territory"] == 5 and stored["reservation_value"] == 0.4


def test_a_party_naming_a_hidden_point_is_answered_as_for_a_point_that_does_not_exist(
    hidden: Workbench,
) -> None:
    with browser(hidden, A) as (client, headers):
        weights = client.get(f"{API}/preferences/{A}", headers=headers).json()["weights"]
        answers = {}
        for point in (HIDDEN, "no-such-point"):
            response = client.put(
                f"{API}/preferences/{A}", json={"weights": {**weights, point: 1}}, headers=headers
            )
            answers[point] = (response.status_code, response.text.replace(point, "X"))
        assert answers[HIDDEN] == answers["no-such-point"]
        assert answers[HIDDEN][0] == 422
        assert not [s for s in SECRET[1:] if s in answers[HIDDEN][1]]
        # a stance on the hidden point of a draft the party received: as for an unknown point
        stances = {}
        for point in (HIDDEN, "no-such-point"):
            response = client.post(
                f"{API}/stances",
                json={"party": A, "point": point, "stance": "accept", "draft": 3},
                headers=headers,
            )
            stances[point] = (response.status_code, response.text.replace(point, "X"))
        assert stances[HIDDEN] == stances["no-such-point"]
        assert stances[HIDDEN][0] == 404


def test_a_result_shared_with_a_party_holds_no_point_the_party_has_not_received(hidden: Workbench) -> None:
    workbench.share(hidden.database, MEDIATOR, NAME, A, "egalitarian")
    with browser(hidden, A) as (client, headers):
        shared = client.get(f"{API}/shares/{A}", headers=headers)
        assert shared.status_code == 200 and shared.json()[0]["content"]["package"]
        page = client.get(f"{P}/shared/{A}")
        for body in (shared.text, page.text):
            assert not [s for s in SECRET if s in body]


# -- item 2: amendment ids, and a party's errors -------------------------------------------------

BAD_ID = "<script>alert(1)</script>"


def test_an_amendment_adding_a_point_with_an_invalid_id_is_refused_and_nothing_is_stored(
    bench: Workbench,
) -> None:
    with browser(bench, "mediator") as (client, headers):
        before = client.get(API, headers=headers).json()
        add = {"kind": "add", "point": BAD_ID, "reason": "r", "title": "Bad", "text": "Bad text"}
        response = client.post(f"{API}/drafts", json={"amendments": [add]}, headers=headers)
        assert response.status_code == 422, response.text
        assert "letters, digits" in response.json()["message"]
        page = client.get(f"{P}/amend").text
        csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        form = {
            "csrf_token": csrf,
            "base": "3",
            "reason": "r",
            "add.id": BAD_ID,
            "add.title": "Bad",
            "add.text": "Bad text",
        }
        posted = client.post(f"{P}/drafts", data=form)
        assert posted.status_code == 422 and "letters, digits" in posted.text
        assert BAD_ID not in posted.text  # shown escaped, if at all
        assert client.get(API, headers=headers).json() == before
    with browser(bench, A) as (client, headers):  # the parties' preference edits still work
        response = client.put(f"{API}/preferences/{A}", json={"reservation_value": 0.4}, headers=headers)
        assert response.status_code == 200, response.text


def _store_a_bad_point_as_old_versions_did(bench: Workbench) -> None:
    """A point whose id breaks the format, added in draft v4 never circulated: what the old code let
    through (and stored the way it did: the amendment's record says which draft added the point)."""
    with writing(bench.database, "mediator") as uow:
        stored = uow.repository.load(NAME, stances=False).negotiation
        bad = Point(BAD_ID, 99, "Bad", (Option("proposed", "Bad text"),))
        preferences = {
            party: replace(prefs, weights={**prefs.weights, BAD_ID: 0.0})
            for party, prefs in stored.preferences.items()
        }
        uow.repository.set_framework(
            NAME, replace(stored, points=(*stored.points, bad), preferences=preferences)
        )
        choices = {**stored.draft(3).choices, BAD_ID: Choice("proposed")}
        record = {"kind": "add", "point": BAD_ID, "reason": "r", "title": "Bad", "text": "Bad text"}
        uow.repository.add_draft(NAME, Draft(4, choices, parent=3), [record], uow.now)


def _problems(response: Any) -> list[dict[str, str]]:
    return list(response.json()["problems"])


def test_a_party_is_told_only_of_problems_in_its_own_preferences(bench: Workbench) -> None:
    _store_a_bad_point_as_old_versions_did(bench)
    with browser(bench, A) as (client, headers):
        own = client.put(f"{API}/preferences/{A}", json={"reservation_value": 2}, headers=headers)
        assert own.status_code == 422
        assert f"parties.{A}.reservation_value" in {p["path"] for p in _problems(own)}
        elsewhere = client.put(f"{API}/preferences/{A}", json={"reservation_value": 0.4}, headers=headers)
        assert elsewhere.status_code == 422
        for response in (own, elsewhere):
            assert all(p["path"] == "" or p["path"].startswith(f"parties.{A}.") for p in _problems(response))
            assert B not in response.text and "drafts" not in response.text and "script" not in response.text
        assert "outside your preferences" in elsewhere.text


# -- item 5: a draft one may not see is a draft that does not exist -------------------------------


def _same(client: TestClient, headers: dict[str, str], method: str, path: str, **body: Any) -> None:
    """``path`` with {v} = 4 (exists, never circulated) and = 99 (never existed): the same answer."""
    answers = []
    for version in (4, 99):
        kwargs = {k: _fill(v, version) for k, v in body.items()}
        response = client.request(method, path.format(v=version), headers=headers, **kwargs)
        answers.append((response.status_code, response.text.replace(f"version {version}", "version N")))
    assert answers[0] == answers[1], (path, answers)
    assert answers[0][0] == 404, (path, answers)
    assert "4" not in answers[0][1].split("versions:")[-1].split(")")[0], answers  # v4 is not listed


def _fill(value: Any, version: int) -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, version) for k, v in value.items()}
    return version if value == "{v}" else value


def test_a_draft_never_circulated_answers_like_a_draft_that_does_not_exist(hidden: Workbench) -> None:
    for username in (A, B, "observer"):
        with browser(hidden, username) as (client, headers):
            page = client.get(f"{P}/drafts").text
            csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            _same(client, headers, "GET", API + "/drafts/{v}")
            _same(client, headers, "GET", API + "/drafts/1/diff/{v}")
            _same(client, headers, "GET", API + "/matrix?draft={v}")
            _same(client, {}, "GET", P + "/drafts/{v}")
            _same(client, {}, "GET", P + "/diff?a=1&b={v}")
            if username in PARTIES:
                stance = {"party": username, "point": "7", "stance": "accept", "draft": "{v}"}
                _same(client, headers, "POST", API + "/stances", json=stance)
                form = {"csrf_token": csrf, "point": "7", "stance": "accept", "draft": "{v}"}
                _same(client, {}, "POST", P + "/stances", data=form)


def test_a_copy_of_a_draft_never_circulated_is_refused_like_one_of_a_draft_that_does_not_exist(
    hidden: Workbench, tmp_path: Path
) -> None:
    member = Viewer(B, B, {NAME: Seat(SeatRole.MEMBER, B)})
    messages = []
    for version in (4, 99):
        with pytest.raises(NotFoundError) as refused:
            workbench.copy_for(hidden.database, member, NAME, version, "md", tmp_path / "copy.md")
        messages.append(str(refused.value).replace(f"version {version}", "version N"))
    assert messages[0] == messages[1]


def test_the_list_of_negotiations_counts_only_the_drafts_the_seat_received(hidden: Workbench) -> None:
    with browser(hidden, A) as (client, _headers):
        page = client.get("/negotiations").text
        assert "<td>2</td>" in page  # russia received v1 and v3; v2 went elsewhere and v4 nowhere
