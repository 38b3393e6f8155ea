"""Every storage test runs twice: on an SQLite file and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.services import negotiations
from accord.storage.database import Database, open_database
from tests.conftest import EXAMPLES
from tests.postgres import fresh_database, postgres_server

FLAGSHIP = EXAMPLES / "peace-framework-2025.yaml"
ACTOR = "test-desk"


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'accord.db'}"
        return
    server = request.getfixturevalue("postgres")
    with fresh_database(server) as url:
        yield url


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = open_database(database_url)
    negotiations.initialise(db)
    yield db
    db.dispose()


@pytest.fixture
def flagship(database: Database) -> Database:
    """The database with the flagship example imported."""
    negotiations.import_scenario(database, FLAGSHIP, actor=ACTOR)
    return database
