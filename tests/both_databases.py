"""Fixtures for a test module that touches storage outside tests/storage: run it on an SQLite file and
on a real PostgreSQL server. Import both names into the module::

    from tests.both_databases import database_url, postgres  # noqa: F401
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres import fresh_database, postgres_server


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
