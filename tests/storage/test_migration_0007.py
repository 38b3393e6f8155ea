"""Migration 0007 on a record the previous release wrote (tests/fixtures/record/release-0006.db, made
by make_release_0006.sh with the code of schema revision 0006): its data is all there afterwards,
the delegation lists became people, and `audit verify` still passes, on SQLite and on PostgreSQL
(the same rows, release-0006.json, loaded into a PostgreSQL database built to revision 0006)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from typer.testing import CliRunner

from accord.cli.app import app
from accord.domain import MeetingStatus, StanceKind
from accord.services import audit
from accord.services.drafts import load as load_stored
from accord.services.leaks import recipient_of
from accord.storage.database import Database, _alembic_config, head_revision, open_database

FIXTURES = Path(__file__).parent.parent / "fixtures" / "record"
RELEASE_DB = FIXTURES / "release-0006.db"
RELEASE_ROWS = FIXTURES / "release-0006.json"
FLAGSHIP = "peace-framework-2025"
COALITION = "veldland-coalition"


def _release_0006(database_url: str, tmp_path: Path) -> Database:
    """The record release 0006 wrote, on this database: the file itself on SQLite, its rows on
    PostgreSQL (loaded into a schema built by the migrations up to 0006)."""
    if database_url.startswith("sqlite"):
        target = tmp_path / "release-0006.db"
        shutil.copy(RELEASE_DB, target)
        return open_database(f"sqlite:///{target}")
    database = open_database(database_url)
    rows: dict[str, list[dict[str, Any]]] = json.loads(RELEASE_ROWS.read_text(encoding="utf-8"))
    with database.engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0006")
        reflected = sa.MetaData()
        reflected.reflect(connection)
        for table in reflected.sorted_tables:
            if table.name == "alembic_version" or not rows.get(table.name):
                continue
            connection.execute(sa.delete(table))  # the write lock's row, made by the migrations
            connection.execute(sa.insert(table), rows[table.name])
            if "id" in table.c and table.c.id.autoincrement is not False and table.name != "write_lock":
                connection.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT max(id) FROM {table.name}))"
                    )
                )
    return database


@pytest.fixture
def migrated(database_url: str, tmp_path: Path) -> Database:
    database = _release_0006(database_url, tmp_path)
    assert database.schema_revision() == "0006"
    before, after = database.upgrade()
    assert (before, after) == ("0006", head_revision())
    return database


def test_the_release_0006_record_upgrades_and_its_audit_log_still_verifies(migrated: Database) -> None:
    verification = audit.check(migrated)
    assert verification.ok, [str(p) for p in verification.problems]
    entries = audit.entries(migrated)
    assert [e.action for e in entries if e.action == "record.migrate"] == ["record.migrate"]
    migrate = next(e for e in entries if e.action == "record.migrate")
    assert migrate.negotiation == COALITION and migrate.actor == "accord (migration 0007)"


def test_the_release_0006_record_keeps_its_drafts_stances_meetings_and_papers(migrated: Database) -> None:
    stored = load_stored(migrated, FLAGSHIP)
    negotiation = stored.negotiation
    assert [d.version for d in negotiation.drafts] == [1, 2, 3]
    assert {c.party for c in stored.circulations if c.draft == 3} >= {"ukraine", "europe"}
    ceasefire = [s for s in negotiation.stances if (s.draft, s.party, s.point) == (3, "russia", "ceasefire")]
    assert [(s.stance, s.note) for s in ceasefire] == [(StanceKind.REJECT, "corrected: rejected outright")]
    corrected = [
        r for r in stored.stance_history if (r.stance.party, r.stance.point) == ("russia", "ceasefire")
    ]
    assert [r.stance.stance for r in corrected][-2:] == [StanceKind.CONDITIONAL, StanceKind.REJECT]
    meetings = {m.id: m for m in negotiation.meetings}
    assert set(meetings) >= {"geneva-2025-11-23", "m4", "paris-postponed"}
    assert meetings["paris-postponed"].status is MeetingStatus.POSTPONED
    assert meetings["paris-postponed"].reason == "no date agreed"
    assert meetings["m4"].place == "Palm Beach" and meetings["m4"].start is None
    assert meetings["m4"].history == ()
    titles = {p.title for p in negotiation.papers}
    assert {"Security guarantees annex", "US draft framework (28 points)"} <= titles
    assert all(p.count == 1 and p.file is None for p in negotiation.papers)


def test_delegation_lists_became_people_of_their_parties(migrated: Database) -> None:
    negotiation = load_stored(migrated, COALITION).negotiation
    greens = {p.name: p for p in negotiation.people_of("greens")}
    leader = greens["Anouk Verhaegen"]
    assert leader.role == "party leader" and leader.aliases == ("Anouk Verhaegen (party leader)",)
    assert leader.id == "anouk-verhaegen" and not leader.lead
    assert negotiation.person("Tomas Brecht").party == "formateur"
    # a copy for a delegation member as the old files named them still goes to that person
    assert recipient_of(negotiation, "greens/Anouk Verhaegen (party leader)") == (
        "greens/Anouk Verhaegen (party leader)"
    )
    with migrated.engine.connect() as connection:
        framework = connection.execute(
            sa.text("SELECT framework FROM negotiations WHERE slug = :s"), {"s": COALITION}
        )
        parties = json.loads(str(framework.scalar_one())) if migrated.url.startswith("sqlite") else None
    if parties is not None:
        assert not any("delegation" in p for p in parties["parties"].values())


def test_the_migrated_record_takes_new_writes_and_still_verifies(migrated: Database) -> None:
    runner = CliRunner()
    where = ["--db", migrated.url, "-n", FLAGSHIP]
    for command_line in (
        ["meeting", "add", "--date", "2026-01-10", "--place", "Geneva", "--with", "ukraine", *where],
        ["stance", "set", "russia", "ceasefire", "conditional", "--draft", "3", *where],
    ):
        result = runner.invoke(app, command_line)
        assert result.exit_code == 0, result.output
    verification = audit.check(migrated)
    assert verification.ok, [str(p) for p in verification.problems]


def test_a_change_made_outside_accord_before_the_migration_still_shows(tmp_path: Path) -> None:
    target = tmp_path / "tampered.db"
    shutil.copy(RELEASE_DB, target)
    engine = sa.create_engine(f"sqlite:///{target}")
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE meetings SET place = 'Elsewhere' WHERE key = 'm4'"))
        connection.execute(
            sa.text("UPDATE stances SET note = 'edited' WHERE id = (SELECT max(id) FROM stances)")
        )
    engine.dispose()
    database = open_database(f"sqlite:///{target}")
    database.upgrade()
    problems = [str(p) for p in audit.check(database).problems]
    assert any(FLAGSHIP in p and "changed outside accord" in p for p in problems), problems
