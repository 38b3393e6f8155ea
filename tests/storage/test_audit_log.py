"""The audit log: every write appends a chained entry; tampering with the log or the record is caught."""

from __future__ import annotations

import itertools
from dataclasses import asdict, replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from accord.audit import AuditEntry
from accord.domain import StanceKind
from accord.domain.amendments import Amendment, AmendmentKind
from accord.services import audit, drafts, stances
from accord.storage.database import Database
from accord.storage.tables import audit_entries
from accord.storage.tables import drafts as draft_rows
from accord.storage.tables import stances as stance_rows
from tests.storage.conftest import ACTOR

NAME = "peace-framework-2025"


@pytest.fixture
def history(flagship: Database) -> Database:
    """Four entries: the import, a circulation, a stance, a new draft."""
    drafts.circulate(flagship, NAME, 3, ["russia"], actor=ACTOR)
    stances.set_stance(
        flagship, NAME, party="russia", point="21", stance=StanceKind.REJECT, actor="moscow-desk"
    )
    drafts.new_draft(flagship, NAME, [Amendment(AmendmentKind.DROP, "28", "folded in")], actor=ACTOR)
    return flagship


def _execute(database: Database, statement: sa.Executable) -> None:
    with database.engine.begin() as connection:
        connection.execute(statement)


def _first_bad(database: Database) -> tuple[int | None, str]:
    result = audit.check(database)
    assert not result.ok
    first = result.first_bad
    assert first is not None
    return first.seq, first.message


def test_every_write_appends_one_chained_entry(history: Database) -> None:
    entries = audit.entries(history)
    assert [e.action for e in entries] == ["negotiation.import", "draft.circulate", "stance.set", "draft.new"]
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert entries[2].actor == "moscow-desk"
    for earlier, later in itertools.pairwise(entries):
        assert later.previous_hash == earlier.hash
        assert later.before_digest == earlier.after_digest
    result = audit.check(history)
    assert result.ok and result.entries == 4


def test_an_edited_entry_is_named(history: Database) -> None:
    _execute(history, sa.update(audit_entries).where(audit_entries.c.seq == 2).values(actor="someone else"))
    assert _first_bad(history) == (2, "its contents do not match its hash (the entry was edited)")


def test_a_deleted_entry_is_caught_at_the_entry_after_it(history: Database) -> None:
    _execute(history, sa.delete(audit_entries).where(audit_entries.c.seq == 2))
    seq, message = _first_bad(history)
    assert seq == 3 and "deleted" in message


def test_an_inserted_entry_is_caught(history: Database) -> None:
    entries = audit.entries(history)
    # a forger who even computes a valid hash for the entry and chains it to entry 2
    _execute(
        history, sa.update(audit_entries).where(audit_entries.c.seq >= 3).values(seq=audit_entries.c.seq + 10)
    )
    _execute(
        history, sa.update(audit_entries).where(audit_entries.c.seq >= 13).values(seq=audit_entries.c.seq - 9)
    )
    state = entries[1].after_digest  # ... and claims to have changed nothing
    forged = replace(
        entries[1],
        seq=3,
        summary="nothing happened",
        before_digest=state,
        after_digest=state,
        previous_hash=entries[1].hash,
        hash="",
    )
    forged = replace(forged, hash=forged.expected_hash())
    _execute(history, sa.insert(audit_entries).values(**asdict(forged)))
    assert [e.seq for e in audit.entries(history)] == [1, 2, 3, 4, 5]
    seq, message = _first_bad(history)
    assert seq == 4 and "does not chain" in message


def test_a_crude_insertion_is_named(history: Database) -> None:
    bogus = AuditEntry(5, "2025-12-01T00:00:00+00:00", "x", "stance.set", NAME, "x", {}, "0", "0", "0", "0")
    _execute(history, sa.insert(audit_entries).values(**asdict(bogus)))
    seq, _ = _first_bad(history)
    assert seq == 5


def test_reordered_entries_are_caught_where_the_order_breaks(history: Database) -> None:
    _execute(history, sa.update(audit_entries).where(audit_entries.c.seq == 2).values(seq=99))
    _execute(history, sa.update(audit_entries).where(audit_entries.c.seq == 3).values(seq=2))
    _execute(history, sa.update(audit_entries).where(audit_entries.c.seq == 99).values(seq=3))
    seq, message = _first_bad(history)
    assert seq == 2 and "does not chain" in message


def test_a_record_changed_behind_accords_back_is_caught(history: Database) -> None:
    _execute(
        history,
        sa.update(stance_rows)
        .where(stance_rows.c.party == "russia", stance_rows.c.point == "territory")
        .values(stance="accept"),
    )
    seq, message = _first_bad(history)
    assert seq == 4 and "changed outside accord" in message


def test_a_deleted_draft_is_caught(history: Database) -> None:
    _execute(history, sa.delete(draft_rows).where(draft_rows.c.version == 4))
    seq, message = _first_bad(history)
    assert seq == 4 and NAME in message


def test_a_rewritten_hash_is_caught(history: Database) -> None:
    _execute(history, sa.update(audit_entries).where(audit_entries.c.seq == 3).values(hash="f" * 64))
    assert _first_bad(history)[0] == 3


def _unreadable_json(database: Database, table: str, column: str, where: str) -> bool:
    """Write text that is not JSON into a JSON column, as a hand edit would: True where the database
    takes it (SQLite keeps JSON as text); PostgreSQL's jsonb refuses it, so there it cannot happen."""
    statement = sa.text(f"UPDATE {table} SET {column} = :bad WHERE {where}")
    if database.engine.dialect.name == "postgresql":
        with pytest.raises(sa.exc.DBAPIError):
            _execute(database, statement.bindparams(bad='{"unclosed": '))
        return False
    _execute(database, statement.bindparams(bad='{"unclosed": '))
    return True


def test_an_entry_whose_details_are_not_json_is_named(history: Database) -> None:
    if _unreadable_json(history, "audit_entries", "details", "seq = 2"):
        assert _first_bad(history) == (2, "its contents do not match its hash (the entry was edited)")


def test_a_record_value_that_is_not_json_is_caught_and_reads_fail_in_one_line(
    history: Database, tmp_path: Path
) -> None:
    from accord.errors import StorageError
    from accord.services import negotiations

    if _unreadable_json(history, "stances", "sources", "id = (SELECT max(id) FROM stances)"):
        seq, message = _first_bad(history)
        assert seq == 4 and f"the stored record of negotiation {NAME!r}" in message
        with pytest.raises(
            StorageError, match="not JSON where accord wrote JSON: it was changed outside accord"
        ):
            negotiations.export_scenario(history, NAME, tmp_path / "out.yaml")
        assert not (tmp_path / "out.yaml").exists()


@pytest.mark.parametrize("table", ["stances", "circulations"])
def test_an_edited_chain_value_is_caught(history: Database, table: str) -> None:
    """A row's stored chain value is what the next write chains on from: `audit verify` rebuilds the
    chain from the rows' contents and names the negotiation where a stored value is not the rebuilt
    one, not only at the next write."""
    _execute(
        history,
        sa.text(f"UPDATE {table} SET chain = :bad WHERE id = (SELECT MIN(id) FROM {table})").bindparams(
            bad="0" * 64
        ),
    )
    seq, message = _first_bad(history)
    assert seq == 4 and "changed outside accord" in message and NAME in message


def test_an_edited_digest_of_a_stored_file_is_caught(history: Database) -> None:
    from accord.security.policy import Seat, SeatRole, Viewer
    from accord.services import papers

    mediator = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
    papers.add_paper(
        history,
        NAME,
        actor=ACTOR,
        viewer=mediator,
        title="Annex",
        file=papers.attachment("annex.txt", b"the annex"),
        handed=papers.Handed(parties=["russia"]),
        key="annex",
    )
    assert audit.check(history).ok
    _execute(history, sa.text("UPDATE paper_files SET sha256 = :bad").bindparams(bad="0" * 64))
    seq, message = _first_bad(history)
    assert seq == 5 and "changed outside accord" in message
