"""Alembic's environment for accord: runs on the connection accord hands over (never a URL of its own)."""

from __future__ import annotations

from alembic import context

from accord.storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("accord runs its migrations through accord.storage.database.Database.upgrade")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
