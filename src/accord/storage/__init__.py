"""Persistence of the negotiation record: SQLAlchemy 2 Core tables, Alembic migrations, a unit of work.

SQLite (a file) is the default; PostgreSQL through a URL. Nothing connects at import time:
:func:`accord.storage.database.open_database` is called by the entry points.
"""
