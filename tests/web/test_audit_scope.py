"""The audit page and API of one negotiation verify the shared chain but report only that negotiation:
its mediator never learns the name, the activity or the tamper state of another (SQLite and
PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from accord.services import negotiations
from accord.services.demo import set_up_demo
from accord.storage.database import Database, open_database
from accord.storage.tables import audit_entries
from accord.storage.tables import negotiations as negotiation_rows
from accord.web.app import create_app
from tests.web.conftest import NAME, Workbench, api_token, log_in

OTHER = "secret-side-talks"


@pytest.fixture
def bench(database_url: str) -> Iterator[Workbench]:
    """The demo workbench, and a second negotiation in the same database where the demo's mediator
    holds no seat."""
    database = open_database(database_url)
    set_up_demo(database)
    from accord.services.demo import FLAGSHIP

    negotiations.import_scenario(database, FLAGSHIP, actor="other-desk", slug=OTHER)
    client = TestClient(create_app(database), follow_redirects=False)
    yield Workbench(database, client)
    client.close()
    database.dispose()


def _tamper_title(database: Database, slug: str) -> None:
    with database.engine.begin() as connection:
        connection.execute(
            sa.update(negotiation_rows).where(negotiation_rows.c.slug == slug).values(title="rewritten")
        )


def _edit_an_entry_of(database: Database, slug: str) -> None:
    with database.engine.begin() as connection:
        seq = connection.execute(
            sa.select(sa.func.max(audit_entries.c.seq)).where(audit_entries.c.negotiation == slug)
        ).scalar_one()
        connection.execute(
            sa.update(audit_entries).where(audit_entries.c.seq == seq).values(summary="nothing happened")
        )


def _own_entries(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count()).where(audit_entries.c.negotiation == NAME)
            ).scalar_one()
        )


def test_the_audit_page_names_no_other_negotiation_and_not_its_tamper_state(bench: Workbench) -> None:
    _tamper_title(bench.database, OTHER)
    _edit_an_entry_of(bench.database, OTHER)
    log_in(bench.client, "mediator")
    page = bench.client.get(f"/n/{NAME}/audit")
    assert page.status_code == 200
    assert OTHER not in page.text
    assert "Does not verify" not in page.text
    # the count is of this negotiation's entries: the others' activity does not show
    assert f"Intact: {_own_entries(bench.database)} entries" in page.text
    listed = bench.client.get(f"/api/negotiations/{NAME}/audit", headers={"accept": "application/json"})
    assert listed.status_code == 200 and OTHER not in listed.text


def test_the_audit_page_still_reports_what_was_done_to_its_own_negotiation(bench: Workbench) -> None:
    _tamper_title(bench.database, NAME)
    log_in(bench.client, "mediator")
    page = bench.client.get(f"/n/{NAME}/audit")
    assert "Does not verify" in page.text and NAME in page.text and OTHER not in page.text


def test_an_edited_entry_of_its_own_negotiation_is_reported(bench: Workbench) -> None:
    _edit_an_entry_of(bench.database, NAME)
    log_in(bench.client, "mediator")
    page = bench.client.get(f"/n/{NAME}/audit")
    assert "Does not verify" in page.text and "do not match its hash" in page.text


def test_the_audit_api_lists_only_its_own_negotiations_entries(bench: Workbench) -> None:
    token = api_token(bench.client, "mediator")
    listed = bench.client.get(
        f"/api/negotiations/{NAME}/audit", headers={"authorization": f"Bearer {token}"}
    ).json()
    assert len(listed) == _own_entries(bench.database)
    assert all(OTHER not in str(e) for e in listed)
