"""Every storage test runs twice: on an SQLite file and on a real PostgreSQL server (the `database_url`
fixture of tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from accord.services import negotiations
from accord.storage.database import Database, open_database
from tests.conftest import EXAMPLES

FLAGSHIP = EXAMPLES / "peace-framework-2025.yaml"
ACTOR = "test-desk"


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
