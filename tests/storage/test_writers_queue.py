"""SQLite: the writers of every process queue on an advisory lock of the database's folder while they
hold the write lock, so the next one wakes when it is free instead of polling in SQLite's busy
handler; the lock is only an order, SQLite's own lock still makes writes one at a time."""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from accord.services import negotiations
from accord.storage.database import open_database
from accord.storage.tables import write_lock
from accord.storage.unit_of_work import writing


def _folder_is_locked(folder: Path) -> bool:
    probe = os.open(folder, os.O_RDONLY)  # another open file: as another process would try
    try:
        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(probe)
    return False


def test_a_writer_holds_the_folder_lock_until_it_commits(tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "accord.db"))
    negotiations.initialise(database)
    try:
        assert not _folder_is_locked(tmp_path)
        with writing(database, "desk"):
            assert _folder_is_locked(tmp_path)
        assert not _folder_is_locked(tmp_path)
        with pytest.raises(RuntimeError), writing(database, "desk"):
            raise RuntimeError("a failed write")
        assert not _folder_is_locked(tmp_path)  # released on a rollback too
    finally:
        database.dispose()


def test_writers_of_two_engines_take_turns_and_every_write_lands(tmp_path: Path) -> None:
    url = str(tmp_path / "accord.db")
    first = open_database(url)
    negotiations.initialise(first)
    with first.engine.connect() as connection:
        before = connection.execute(sa.select(write_lock.c.writes)).scalar_one()
    per_writer = 25
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def writer() -> None:
        database = open_database(url)  # its own engine, connections and folder lock: as another process
        try:
            start.wait()
            for _ in range(per_writer):
                with writing(database, "desk"):
                    pass  # the write-lock row is counted up on entering
        except BaseException as error:
            failures.append(error)
        finally:
            database.dispose()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    with first.engine.connect() as connection:
        assert connection.execute(sa.select(write_lock.c.writes)).scalar_one() == before + 2 * per_writer
    first.dispose()
