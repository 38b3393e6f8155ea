"""The revision a party's member or an observer reads is its seat's own: it moves with what that seat
sees and nothing else, so watching it never shows another party recording a stance, receiving a
share or taking a copy; it still guards the seat's own writes (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accord.domain import StanceKind
from accord.domain.amendments import Amendment, AmendmentKind
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import workbench
from accord.services.demo import set_up_demo
from accord.storage.database import Database, open_database
from accord.web.app import create_app
from tests.web.conftest import NAME, A, B, Workbench, api_token

API = f"/api/negotiations/{NAME}"
MEDIATOR = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
MEMBER_B = Viewer(B, B, {NAME: Seat(SeatRole.MEMBER, B)})


@pytest.fixture
def bench(database_url: str) -> Iterator[Workbench]:
    database = open_database(database_url)
    set_up_demo(database)
    client = TestClient(create_app(database), follow_redirects=False)
    yield Workbench(database, client)
    client.close()
    database.dispose()


class Seated:
    """One user's bearer token on the workbench's API."""

    def __init__(self, bench: Workbench, username: str) -> None:
        self.client = bench.client
        self.headers = {"authorization": f"Bearer {api_token(bench.client, username)}"}

    def revision(self) -> int:
        return int(self.client.get(API, headers=self.headers).json()["revision"])

    def listed_revision(self) -> int:
        listed = self.client.get("/api/negotiations", headers=self.headers).json()
        return int(next(n for n in listed if n["name"] == NAME)["revision"])

    def stance(self, party: str, point: str, stance: str, expected: int | None) -> Any:
        body = {"party": party, "point": point, "stance": stance, "draft": 3, "expected_revision": expected}
        return self.client.post(f"{API}/stances", json=body, headers=self.headers)


def _another_party_is_busy(database: Database, tmp_path: Path) -> None:
    """Ukraine records a stance, receives a share, takes a copy and edits its preferences."""
    workbench.set_stance(
        database, MEMBER_B, NAME, party=B, point="territory", stance=StanceKind.REJECT, version=3
    )
    workbench.share(database, MEDIATOR, NAME, B, "nash")
    workbench.copy_for(database, MEMBER_B, NAME, 3, "md", tmp_path / "copy.md")
    now = workbench.preferences(database, MEMBER_B, NAME, B).get("reservation_value")
    workbench.update_preferences(
        database, MEMBER_B, NAME, B, {"reservation_value": 0.41 if now != 0.41 else 0.42}
    )


def test_a_party_and_an_observer_do_not_see_another_partys_activity(bench: Workbench, tmp_path: Path) -> None:
    russia, observer, mediator = (Seated(bench, u) for u in (A, "observer", "mediator"))
    before = {who: (who.revision(), who.listed_revision()) for who in (russia, observer)}
    global_before = mediator.revision()
    _another_party_is_busy(bench.database, tmp_path)
    for who, revisions in before.items():
        assert (who.revision(), who.listed_revision()) == revisions
    assert mediator.revision() == global_before + 4  # the mediator sees every write


def test_a_partys_revision_guards_its_own_writes_only(bench: Workbench, tmp_path: Path) -> None:
    russia = Seated(bench, A)
    read = russia.revision()
    _another_party_is_busy(bench.database, tmp_path)
    # another party's writes do not make russia's read stale
    first = russia.stance(A, "territory", "conditional", read)
    assert first.status_code == 201, first.text
    after = russia.revision()
    assert after != read, "its own write moves its revision"
    # a write based on what russia read before its own last write is stale, and says nothing of others
    stale = russia.stance(A, "territory", "accept", read)
    assert stale.status_code == 409
    negotiations_revision = Seated(bench, "mediator").revision()
    assert f"now {negotiations_revision})" not in stale.json()["message"]
    assert f"now {after})" in stale.json()["message"]  # its own revision, to read again
    assert russia.stance(A, "territory", "accept", after).status_code == 201


def test_a_party_sees_its_revision_move_when_a_draft_reaches_it(bench: Workbench) -> None:
    russia = Seated(bench, A)
    read = russia.revision()
    workbench.circulate(bench.database, MEDIATOR, NAME, 2, [A])
    assert russia.revision() != read


def test_the_mediators_revision_is_the_negotiations(bench: Workbench) -> None:
    mediator = Seated(bench, "mediator")
    read = mediator.revision()
    assert mediator.listed_revision() == read
    assert mediator.stance(B, "territory", "reject", read).status_code == 201
    stale = mediator.stance(B, "territory", "accept", read)
    assert stale.status_code == 409 and f"now {read + 1}" in stale.json()["message"]


def test_a_draft_the_party_never_received_does_not_move_its_revision(bench: Workbench) -> None:
    russia = Seated(bench, A)
    read = russia.revision()
    added = Amendment(
        AmendmentKind.ADD, "sanctions-relief", "for later", title="Sanctions relief", text="Relief in phases."
    )
    created = workbench.amend(bench.database, MEDIATOR, NAME, [added])
    workbench.circulate(bench.database, MEDIATOR, NAME, created.version, [B])
    assert russia.revision() == read
    workbench.circulate(bench.database, MEDIATOR, NAME, created.version, [A])
    assert russia.revision() != read
