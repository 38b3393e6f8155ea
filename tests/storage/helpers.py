"""Reading the raw tables, to prove that a refused change wrote nothing."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from accord.storage.database import Database
from accord.storage.tables import metadata


def snapshot(database: Database) -> dict[str, list[dict[str, Any]]]:
    """Every row of every accord table (the write lock's counter aside: refused writes may queue on it)."""
    with database.engine.connect() as connection:
        tables = {}
        for table in metadata.sorted_tables:
            if table.name == "write_lock":
                continue
            key = list(table.primary_key.columns)
            rows = connection.execute(sa.select(table).order_by(*key))
            tables[table.name] = [dict(r._mapping) for r in rows]
        return tables
