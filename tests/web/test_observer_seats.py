"""An observer seated on a party's seat reads the drafts circulated to that seat, and no more: no
fingerprinted copy registered as that party, none of its meetings or papers (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from accord.errors import AccessDenied
from accord.security.policy import Seat, SeatRole, Viewer
from accord.services import accounts, workbench
from accord.services.demo import set_up_demo
from accord.storage.database import open_database
from accord.storage.tables import copies
from accord.web.app import create_app
from tests.web.conftest import NAME, B, Workbench, api_token

OBSERVER_ON_B = Viewer("observer", "Observer", {NAME: Seat(SeatRole.OBSERVER, B)})


@pytest.fixture
def bench(database_url: str) -> Iterator[Workbench]:
    """The demo workbench, its observer seated on ukraine's seat (the drafts circulated to ukraine)."""
    database = open_database(database_url)
    set_up_demo(database)
    accounts.grant(database, "observer", NAME, SeatRole.OBSERVER, B, actor="test")
    client = TestClient(create_app(database), follow_redirects=False)
    yield Workbench(database, client)
    client.close()
    database.dispose()


def _registered(bench: Workbench) -> int:
    with bench.database.engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(copies)).scalar_one())


def test_an_observer_on_a_partys_seat_takes_no_copy_registered_as_that_party(
    bench: Workbench, tmp_path: Path
) -> None:
    for recipient in (None, B):
        with pytest.raises(AccessDenied):
            workbench.copy_for(bench.database, OBSERVER_ON_B, NAME, 3, "md", tmp_path / "c.md", recipient)
    assert _registered(bench) == 0 and not (tmp_path / "c.md").exists()
    # and the draft page offers the observer none
    token = api_token(bench.client, "observer")
    page = bench.client.get(f"/n/{NAME}/drafts/3", headers={"authorization": f"Bearer {token}"})
    assert page.status_code == 200
    assert "/copy" not in page.text


def test_an_observer_on_a_partys_seat_sees_its_drafts_but_not_its_meetings_or_papers(
    bench: Workbench,
) -> None:
    token = api_token(bench.client, "observer")
    headers = {"authorization": f"Bearer {token}"}
    assert bench.client.get(f"/api/negotiations/{NAME}/drafts/3", headers=headers).status_code == 200
    assert bench.client.get(f"/api/negotiations/{NAME}/meetings", headers=headers).json() == []
    page = bench.client.get(f"/n/{NAME}/meetings", headers=headers)
    assert page.status_code == 200 and "Geneva" not in page.text
    meetings, papers = workbench.meetings(bench.database, OBSERVER_ON_B, NAME)
    assert (meetings, papers) == ((), ())
    seen = workbench.view(bench.database, OBSERVER_ON_B, NAME).negotiation
    assert (seen.meetings, seen.papers, seen.stances, dict(seen.preferences)) == ((), (), (), {})


def test_the_partys_own_member_still_takes_its_copy_and_sees_its_meetings(
    bench: Workbench, tmp_path: Path
) -> None:
    member = Viewer(B, B, {NAME: Seat(SeatRole.MEMBER, B)})
    assert workbench.copy_for(bench.database, member, NAME, 3, "md", tmp_path / "c.md") == B
    assert _registered(bench) == 1
    meetings, papers = workbench.meetings(bench.database, member, NAME)
    assert meetings and papers


def test_an_observer_on_a_partys_seat_reads_none_of_its_briefings(bench: Workbench) -> None:
    # a party's briefing holds its stances, red lines and reservation value: its members' and the
    # mediator's, never an observer's, even one seated with that party
    token = api_token(bench.client, "observer")
    headers = {"authorization": f"Bearer {token}"}
    for address in (
        f"/api/negotiations/{NAME}/briefing?format=md",
        f"/api/negotiations/{NAME}/briefing?for={B}&format=md",
        f"/n/{NAME}/briefing/download?for={B}&format=md",
        f"/n/{NAME}/briefing",
    ):
        answer = bench.client.get(address, headers=headers)
        assert answer.status_code == 403, (address, answer.status_code)
        assert "reservation" not in answer.text.lower() and "Where you stand" not in answer.text
    page = bench.client.get(f"/n/{NAME}", headers=headers)
    assert page.status_code == 200 and f'href="/n/{NAME}/briefing"' not in page.text
    assert workbench_audiences(bench, OBSERVER_ON_B) == []
    member = Viewer(B, B, {NAME: Seat(SeatRole.MEMBER, B)})
    assert [value for value, _ in workbench_audiences(bench, member)] == [B]


def workbench_audiences(bench: Workbench, viewer: Viewer) -> list[tuple[str, str]]:
    from accord.services.briefing import allowed_audiences

    seen = workbench.view(bench.database, viewer, NAME).negotiation
    return allowed_audiences(viewer, NAME, seen)
