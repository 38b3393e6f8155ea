"""The database: schema by Alembic, imports all or nothing, exports that round-trip."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from accord.errors import DomainError, ScenarioError, StorageError
from accord.scenario import load
from accord.services import audit, negotiations
from accord.storage.database import Database, database_url, head_revision, open_database
from accord.storage.tables import metadata
from tests.conftest import EXAMPLES
from tests.storage.conftest import ACTOR, FLAGSHIP
from tests.storage.helpers import snapshot

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def test_the_migrations_build_exactly_the_tables_accord_uses(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == head_revision()
        assert compare_metadata(context, metadata) == []


def test_a_database_without_the_schema_is_refused_with_a_hint(database_url: str) -> None:
    fresh = open_database(database_url)
    with pytest.raises(StorageError, match="accord init"):
        negotiations.list_negotiations(fresh)


def test_a_database_of_a_newer_accord_is_refused_by_every_command_and_init_alike(database: Database) -> None:
    """Its revision is none this accord's migrations know: `accord init` cannot migrate it (Alembic
    would fail with a traceback), and nothing should advise running it."""
    with database.engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    newer = open_database(database.url)
    for attempt in (lambda: negotiations.list_negotiations(newer), lambda: negotiations.initialise(newer)):
        with pytest.raises(StorageError) as refused:
            attempt()
        said = str(refused.value)
        assert "schema revision 0099, which this accord" in said and "made by a newer accord" in said
        assert "accord init" not in said
    with database.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == "0099"  # left as it was
    newer.dispose()


def test_initialising_twice_changes_nothing(database: Database) -> None:
    again = negotiations.initialise(database)
    assert again.before == again.after == head_revision()


def test_the_database_url_comes_from_the_option_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    assert database_url(None) == "sqlite:///accord.db"
    assert database_url("talks.db") == "sqlite:///talks.db"
    monkeypatch.setenv("ACCORD_DATABASE_URL", "postgresql://me@db/talks")
    assert database_url(None) == "postgresql+psycopg://me@db/talks"
    assert database_url("local.db") == "sqlite:///local.db"


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "a.db"))
    negotiations.initialise(db)
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_import_then_load_gives_back_the_scenario(database: Database, example: Path) -> None:
    imported = negotiations.import_scenario(database, example, actor=ACTOR)
    from accord.services.drafts import load as load_stored

    assert load_stored(database, imported.id).negotiation == load(example)


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_export_round_trips(database: Database, example: Path, tmp_path: Path) -> None:
    negotiations.import_scenario(database, example, actor=ACTOR)
    out = tmp_path / "exported.yaml"
    negotiations.export_scenario(database, load(example).id, out)
    assert load(out) == load(example)
    # and again: the exported file imports to the same negotiation
    negotiations.import_scenario(database, out, actor=ACTOR, slug="again")
    second = tmp_path / "again.yaml"
    negotiations.export_scenario(database, "again", second)
    assert second.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_a_bad_file_leaves_the_database_exactly_as_it_was(flagship: Database, tmp_path: Path) -> None:
    before = snapshot(flagship)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        FLAGSHIP.read_text(encoding="utf-8").replace("reservation_value: 0.", "reservation_value: 7.")
    )
    with pytest.raises(ScenarioError) as caught:
        negotiations.import_scenario(flagship, bad, actor=ACTOR, slug="other")
    assert any("reservation_value" in p.path for p in caught.value.problems)
    assert snapshot(flagship) == before


def test_importing_a_name_twice_is_refused_and_writes_nothing(flagship: Database) -> None:
    before = snapshot(flagship)
    with pytest.raises(DomainError) as caught:
        negotiations.import_scenario(flagship, FLAGSHIP, actor=ACTOR)
    assert str(caught.value).startswith(
        "--name: a negotiation 'peace-framework-2025' is stored already (the file's own id); import it under "
        "another name"
    ), "the option to use, and where the name came from"
    with pytest.raises(DomainError) as caught:
        negotiations.import_scenario(flagship, FLAGSHIP, actor=ACTOR, slug="peace-framework-2025")
    assert "stored already; import it under another name" in str(caught.value), "a name given is not the id's"
    assert snapshot(flagship) == before


def test_the_import_is_the_first_audit_entry(flagship: Database) -> None:
    [entry] = audit.entries(flagship)
    assert (entry.seq, entry.action, entry.actor, entry.negotiation) == (
        1,
        "negotiation.import",
        ACTOR,
        "peace-framework-2025",
    )
    assert audit.check(flagship).ok


@pytest.mark.parametrize("name", ["../bad name", "a/b?c#d", "-leading", "x" * 101])
def test_a_name_no_page_could_address_is_refused_and_writes_nothing(flagship: Database, name: str) -> None:
    """The CLI's --name follows the workbench's rule: the name is a page's address (/n/NAME)."""
    before = snapshot(flagship)
    with pytest.raises(DomainError, match="cannot name a negotiation; expected letters, digits"):
        negotiations.import_scenario(flagship, EXAMPLES / "camp-david-1978.yaml", actor=ACTOR, slug=name)
    assert snapshot(flagship) == before
