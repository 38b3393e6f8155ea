"""Optimistic locking: a write based on a stale read fails loudly; two writers lose no update."""

from __future__ import annotations

import threading

import pytest

from accord.domain import StanceKind
from accord.domain.amendments import Amendment, AmendmentKind
from accord.errors import StaleWriteError
from accord.services import audit, drafts, stances
from accord.storage.database import Database, open_database
from tests.storage.helpers import snapshot

NAME = "peace-framework-2025"


def test_a_write_based_on_a_stale_read_is_refused(flagship: Database) -> None:
    read = drafts.load(flagship, NAME).revision
    stances.set_stance(flagship, NAME, party="ukraine", point="1", stance=StanceKind.ACCEPT, actor="kyiv")
    before = snapshot(flagship)
    with pytest.raises(StaleWriteError, match=f"read at revision {read}, now {read + 1}"):
        drafts.new_draft(
            flagship,
            NAME,
            [Amendment(AmendmentKind.DROP, "28", "folded in")],
            actor="mediator",
            expected_revision=read,
        )
    assert snapshot(flagship) == before


def test_two_writers_at_once_lose_no_update(flagship: Database) -> None:
    per_writer = 6
    start = threading.Barrier(2)
    refused = {"kyiv": 0, "moscow": 0}
    failures: list[BaseException] = []

    def writer(party: str, actor: str) -> None:
        db = open_database(flagship.url)  # its own engine and connections, like another process
        try:
            start.wait()
            for n in range(per_writer):
                while True:
                    revision = drafts.load(db, NAME).revision  # read ...
                    try:  # ... then write, only if nobody wrote in between
                        stances.set_stance(
                            db,
                            NAME,
                            party=party,
                            point=str(n + 1),
                            stance=StanceKind.CONDITIONAL,
                            note=f"{actor} {n}",
                            actor=actor,
                            expected_revision=revision,
                        )
                        break
                    except StaleWriteError:
                        refused[actor] += 1  # a stale read: read again and retry
        except BaseException as error:  # reported to the main thread
            failures.append(error)
        finally:
            db.dispose()

    threads = [
        threading.Thread(target=writer, args=("ukraine", "kyiv")),
        threading.Thread(target=writer, args=("russia", "moscow")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not failures, failures
    written = [
        r for r in stances.history(flagship, NAME) if r.stance.note and r.stance.note[:4] in ("kyiv", "mosc")
    ]
    assert sorted(r.stance.note for r in written) == sorted(
        [f"kyiv {n}" for n in range(per_writer)] + [f"moscow {n}" for n in range(per_writer)]
    )
    entries = audit.entries(flagship)
    assert len(entries) == 1 + 2 * per_writer
    assert drafts.load(flagship, NAME).revision == 1 + 2 * per_writer
    assert audit.check(flagship).ok
