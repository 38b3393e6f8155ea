"""The workbench records a party's counter-text as `accord draft record` does (one service): the
mediator alone, every point given, no amendments, audited; the drafts page runs in date order."""

from __future__ import annotations

import pytest

from accord.domain import Choice
from accord.errors import AccessDenied, DomainError
from accord.scenario import load
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import audit, negotiations, workbench
from accord.storage.database import open_database
from tests.conftest import EXAMPLES
from tests.storage.helpers import snapshot
from tests.web.conftest import NAME, UNCIRCULATED, A, Workbench, api_token, log_in

P = f"/n/{NAME}"
API = f"/api/negotiations/{NAME}"


def received_form(*, extra_points: tuple[str, ...] = ()) -> dict[str, str]:
    """The form of Russia's counter-text: draft D's options, but its own on territory and army size
    (``extra_points``: points added since, given their one option)."""
    v3 = load(EXAMPLES / "peace-framework-2025.yaml").draft(3)
    form = {f"choose.{p}": str(c.option) for p, c in v3.choices.items()}
    form |= {"choose.territory": "de-facto-recognition", "choose.army-size": "cap-600k"}
    form |= {f"choose.{p}": "proposed" for p in extra_points}
    return form | {"author": A, "date": "2025-12-02", "title": "Russian counter-text", "note": "from Moscow"}


# the form the access matrix sends (its workbench has the uncirculated point planted)
MATRIX_FORM = received_form(extra_points=(UNCIRCULATED["id"],))
MATRIX_JSON = {
    "author": A,
    "choices": [
        {"point": k.removeprefix("choose."), "option": v}
        for k, v in MATRIX_FORM.items()
        if k.startswith("choose.")
    ],
}


def test_the_mediator_records_a_counter_text_on_the_form(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    assert 'href="/n/peace-framework-2025/record-draft"' in bench.client.get(f"{P}/drafts").text
    page = bench.client.get(f"{P}/record-draft")
    assert page.status_code == 200 and "Record v4" in page.text
    created = bench.client.post(f"{P}/record-draft", data={"csrf_token": csrf, **received_form()})
    assert created.status_code == 303 and created.headers["location"] == f"{P}/drafts/4"
    entry = audit.entries(bench.database)[-1]
    assert entry.action == "draft.record" and entry.actor == "mediator"
    shown = bench.client.get(f"{P}/drafts/4").text
    assert "Russian counter-text" in shown and "dated 2025-12-02" in shown
    assert "by Russian Federation" in shown
    diff = bench.client.get(f"{P}/diff?a=3&b=4").text
    assert "Territory" in diff or "territory" in diff
    # the drafts page runs by date: v4 (2 December) before v3 (23 December)
    listing = bench.client.get(f"{P}/drafts").text
    assert listing.index(f'href="{P}/drafts/4"') < listing.index(f'href="{P}/drafts/3"')
    assert listing.index(f'href="{P}/drafts/2"') < listing.index(f'href="{P}/drafts/4"')


def test_missing_points_are_named_on_the_form_and_nothing_is_written(bench: Workbench) -> None:
    csrf = log_in(bench.client, "mediator")
    form = received_form()
    del form["choose.territory"], form["choose.ceasefire"]
    before = snapshot(bench.database)
    refused = bench.client.post(f"{P}/record-draft", data={"csrf_token": csrf, **form})
    assert refused.status_code == 422
    assert "2 missing: 21 (territory), 28 (ceasefire)" in refused.text
    assert 'value="Russian counter-text"' in refused.text, "the form comes back filled"
    bad_date = bench.client.post(
        f"{P}/record-draft", data={"csrf_token": csrf, **received_form(), "date": "soon"}
    )
    assert bad_date.status_code == 422 and "date: expected a date YYYY-MM-DD" in bad_date.text
    assert snapshot(bench.database) == before


def test_a_party_may_not_record_a_text_even_its_own(bench: Workbench) -> None:
    csrf = log_in(bench.client, A)
    token = api_token(bench.client, A)
    before = snapshot(bench.database)
    assert bench.client.get(f"{P}/record-draft").status_code == 403
    refused = bench.client.post(f"{P}/record-draft", data={"csrf_token": csrf, **received_form()})
    assert refused.status_code == 403
    body = {"author": A, "choices": [{"point": "territory", "option": "de-facto-recognition"}]}
    response = bench.client.post(
        f"{API}/received-drafts", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403
    assert snapshot(bench.database) == before


def test_the_api_records_a_counter_text_like_the_form(bench: Workbench) -> None:
    token = api_token(bench.client, "mediator")
    form = received_form()
    choices = [
        {"point": k.removeprefix("choose."), "option": v} for k, v in form.items() if k.startswith("choose.")
    ]
    body = {"author": A, "choices": choices, "date": "2025-12-02", "title": "Russian counter-text"}
    created = bench.client.post(
        f"{API}/received-drafts", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert created.status_code == 201, created.text
    data = created.json()
    assert data["version"] == 4 and data["author"] == A and data["date"] == "2025-12-02"
    assert data["parent"] is None


def test_the_workbench_service_asks_the_policy(database_url: str) -> None:
    """The use case itself refuses a party's seat, whatever skin calls it (on both databases)."""
    database = open_database(database_url)
    negotiations.initialise(database)
    negotiations.import_scenario(database, EXAMPLES / "peace-framework-2025.yaml", actor="test")
    member = Viewer(A, A, {NAME: Seat(SeatRole.MEMBER, A)})
    before = snapshot(database)
    with pytest.raises(AccessDenied, match="may not record a text received from a party"):
        workbench.record_received(
            database, member, NAME, [("territory", Choice(option="loc-freeze"))], author=A
        )
    assert snapshot(database) == before
    mediator = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
    with pytest.raises(DomainError, match="27 missing"):
        workbench.record_received(
            database, mediator, NAME, [("territory", Choice(option="loc-freeze"))], author=A
        )
    assert snapshot(database) == before
    database.dispose()
