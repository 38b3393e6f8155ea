"""Opening a database: the URL, SQLite's pragmas, and the schema brought up to date by Alembic."""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from accord import timings
from accord.errors import StorageError
from accord.storage.loaded import Loaded, StanceFold

if TYPE_CHECKING:
    from accord.audit import Parts
    from accord.storage.repository import Stored

DEFAULT_URL = "sqlite:///accord.db"
ENVIRONMENT_VARIABLE = "ACCORD_DATABASE_URL"


def database_url(db: str | None = None) -> str:
    """``--db`` wins, then $ACCORD_DATABASE_URL, then ``accord.db`` in the working directory.

    A value without ``://`` is a path to an SQLite file.
    """
    value = db or os.environ.get(ENVIRONMENT_VARIABLE) or DEFAULT_URL
    if "://" not in value:
        return f"sqlite:///{Path(value)}"
    if value.startswith("postgresql://"):
        # psycopg 3 is the driver accord installs
        return "postgresql+psycopg://" + value.removeprefix("postgresql://")
    return value


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def stored_json(text: str) -> Any:
    """A JSON column's value; one a hand edit left unreadable is a one-line StorageError, not a
    traceback (`accord audit verify` names the audit entry whose details are not JSON)."""
    try:
        return json.loads(text)
    except ValueError:
        raise StorageError(
            "the database holds a value that is not JSON where accord wrote JSON: it was changed outside "
            "accord (`accord audit verify` says what else changed)"
        ) from None


def make_engine(url: str) -> sa.Engine:
    try:
        parsed = sa.engine.make_url(url)
        in_memory = parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")
        # a pool as deep as the web server's thread pool (40), so a request never waits for a connection
        pool: dict[str, Any] = {} if in_memory else {"pool_size": 10, "max_overflow": 30}
        engine = sa.create_engine(url, json_deserializer=stored_json, **pool)
    except (sa.exc.ArgumentError, ModuleNotFoundError) as error:
        raise StorageError(f"cannot use database URL {_safe(url)!r}: {error}") from error
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    if timings.profile_file():  # the request probe's database phases (accord.timings)
        sa.event.listen(engine, "before_cursor_execute", _statement_starts)
        sa.event.listen(engine, "after_cursor_execute", _statement_ends)
    return engine


def _statement_starts(connection: sa.Connection, *_args: Any) -> None:
    connection.info["accord_statement_began"] = time.perf_counter()


def _statement_ends(connection: sa.Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    began = connection.info.pop("accord_statement_began", None)
    if began is not None:
        # the write-lock row's update is the wait for the writers of other processes
        phase = "write lock" if statement.startswith("UPDATE write_lock") else "db"
        timings.add(phase, time.perf_counter() - began)


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite database URL; None for an in-memory database or a database server."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        return None
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or name in (None, "", ":memory:") or name.startswith("file:"):
        return None
    return Path(name)


def _one_line(error: BaseException | None) -> str:
    """A driver's message on one line (PostgreSQL's span several)."""
    return " ".join(str(error).split())


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def _alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revision(revision: str) -> bool:
    """Whether this accord's migrations know ``revision`` (one it does not was made by a newer accord,
    or by hand)."""
    if not revision.strip():
        return False
    try:
        return ScriptDirectory.from_config(_alembic_config()).get_revision(revision) is not None
    except CommandError:  # "Can't locate revision identified by ..."
        return False


def _unknown_revision(shown_url: str, revision: str) -> StorageError:
    return StorageError(
        f"database {shown_url} has schema revision {revision}, which this accord (schema "
        f"{head_revision()}) does not know: it was made by a newer accord; use that one (an older "
        "accord cannot migrate it back)"
    )


@dataclass
class Database:
    """An engine on one database; ``url`` is shown (without password) in messages."""

    url: str
    engine: sa.Engine
    _schema_checked: bool = False
    # negotiations as loaded without their stances, shared by this process's transactions
    loaded: Loaded[Stored] = field(default_factory=Loaded)
    # each negotiation's stance history folded so far (see accord.storage.loaded.StanceFold)
    folds: Loaded[StanceFold] = field(default_factory=Loaded)
    # the small tables of each negotiation's state digest (see Repository.state)
    states: Loaded[Parts] = field(default_factory=Loaded)
    # writers of this process queue here first (without a connection, without polling), then on the
    # write-lock row with the writers of other processes (see accord.storage.unit_of_work.writing)
    write_gate: threading.Lock = field(default_factory=threading.Lock)

    @property
    def shown_url(self) -> str:
        return _safe(self.url)

    @property
    def missing(self) -> bool:
        """An SQLite file that does not exist, or is empty: only creating (`accord init`, `accord
        import`) makes it or writes to it, since SQLite would create a file on merely connecting, and
        write a database's header into an empty one."""
        path = sqlite_file(self.url)
        if path is None:
            return False
        try:
            return path.stat().st_size == 0
        except FileNotFoundError:
            return True
        except OSError:
            return False  # a folder or an unreadable file: connecting says why

    def schema_revision(self) -> str | None:
        if self.missing:
            return None  # looking creates nothing
        try:
            with self.engine.connect() as connection:
                return MigrationContext.configure(connection).get_current_revision()
        except sa.exc.DBAPIError as error:  # unreachable, refused, or not a database at all
            raise StorageError(f"cannot open database {self.shown_url}: {_one_line(error.orig)}") from error

    def upgrade(self) -> tuple[str | None, str]:
        """Create or migrate the schema to the newest revision; returns (before, after)."""
        path = sqlite_file(self.url)
        if path is not None and not path.parent.is_dir():
            raise StorageError(f"cannot create database {self.shown_url}: no folder {path.parent}")
        if path is not None and not path.exists():
            # readable by its owner only, as the key file is (it holds every party's preferences and the
            # password hashes); SQLite gives its -wal and -shm files the database file's permissions
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                pass  # another process made it first
            except OSError as error:
                raise StorageError(f"cannot create database {self.shown_url}: {error.strerror}") from None
        try:
            with self.engine.begin() as connection:
                before = MigrationContext.configure(connection).get_current_revision()
                if before is not None and not known_revision(before):
                    raise _unknown_revision(self.shown_url, before)  # before Alembic's own traceback
                if before is None:
                    _refuse_others(connection, self.shown_url)
                command.upgrade(_alembic_config(connection), "head")
        except sa.exc.DBAPIError as error:
            raise StorageError(f"cannot open database {self.shown_url}: {_one_line(error.orig)}") from error
        return before, head_revision()

    def require_schema(self) -> None:
        """Refuse (StorageError) a database without this accord's schema; never create one."""
        if self._schema_checked:
            return  # once per process: the schema does not change under a running accord
        current = self.schema_revision()
        if current is None:
            raise StorageError(f"no record at {self.shown_url}; run `accord init`")
        if not known_revision(current):
            raise _unknown_revision(self.shown_url, current)
        if current != head_revision():
            raise StorageError(
                f"database {self.shown_url} has schema revision {current}, this accord expects "
                f"{head_revision()}; run `accord init` to migrate it"
            )
        self._schema_checked = True

    def dispose(self) -> None:
        self.engine.dispose()


def _refuse_others(connection: sa.Connection, url: str) -> None:
    """A database without accord's schema that holds tables is another program's: accord adds none of
    its own there (StorageError naming a few of them)."""
    tables = sorted(set(sa.inspect(connection).get_table_names()) - {"alembic_version"})
    if tables:
        named = ", ".join(tables[:5]) + (f" and {len(tables) - 5} more" if len(tables) > 5 else "")
        raise StorageError(
            f"database {url} is not accord's: it holds other tables ({named}); "
            f"give accord a database of its own (--db or ${ENVIRONMENT_VARIABLE})"
        )


def open_database(db: str | None = None) -> Database:
    url = database_url(db)
    return Database(url, make_engine(url))
