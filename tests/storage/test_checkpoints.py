"""Signed checkpoints catch what the hash chain alone cannot: a database owner who cuts the log's tail
consistently, or rewrites it and recomputes every hash. On SQLite and PostgreSQL."""

from __future__ import annotations

import time
from dataclasses import asdict, replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from accord import checkpoints, keys
from accord.checkpoints import Checkpoint
from accord.domain import StanceKind
from accord.domain.amendments import Amendment, AmendmentKind
from accord.errors import AuditError, CheckpointError
from accord.services import audit, drafts, stances
from accord.storage.database import Database
from accord.storage.repository import Repository, _link
from accord.storage.tables import audit_entries, negotiations
from accord.storage.tables import drafts as draft_rows
from accord.storage.tables import stances as stance_rows
from accord.web.app import create_app
from accord.web.schedule import schedule
from tests.storage.conftest import ACTOR

NAME = "peace-framework-2025"


@pytest.fixture
def key(tmp_path: Path) -> keys.KeyFile:
    return keys.create(tmp_path / "signing.key")


def _circulated(database: Database) -> int:
    """Import (1) and a circulation (2); returns the negotiation's revision then."""
    drafts.circulate(database, NAME, 3, ["russia"], actor=ACTOR)
    with database.engine.connect() as connection:
        return int(connection.execute(sa.select(negotiations.c.revision)).scalar_one())


def _more(database: Database) -> None:
    """A stance (3) and a new draft (4)."""
    stances.set_stance(
        database, NAME, party="russia", point="21", stance=StanceKind.REJECT, actor="moscow-desk"
    )
    drafts.new_draft(database, NAME, [Amendment(AmendmentKind.DROP, "28", "folded in")], actor=ACTOR)


def _trusted(taken: Checkpoint, key: keys.KeyFile) -> Checkpoint:
    """The checkpoint as `audit verify --checkpoint` reads it back from its file."""
    return checkpoints.read(taken.text(), "cp.txt", key.public, "test")


def test_a_log_that_grew_extends_its_checkpoint(flagship: Database, key: keys.KeyFile) -> None:
    _circulated(flagship)
    early = _trusted(audit.checkpoint(flagship, key), key)
    assert early.entries == 2
    _more(flagship)
    late = _trusted(audit.checkpoint(flagship, key), key)
    result = audit.check(flagship, [early, late])
    assert result.ok and result.entries == 4


def test_a_tail_cut_consistently_is_caught_against_an_earlier_checkpoint(
    flagship: Database, key: keys.KeyFile
) -> None:
    revision = _circulated(flagship)
    _more(flagship)
    taken = _trusted(audit.checkpoint(flagship, key), key)
    # the owner deletes the last two entries and puts the record back as entry 2 left it
    with flagship.engine.begin() as connection:
        connection.execute(sa.delete(audit_entries).where(audit_entries.c.seq > 2))
        last_stance = connection.execute(sa.select(sa.func.max(stance_rows.c.id))).scalar_one()
        connection.execute(sa.delete(stance_rows).where(stance_rows.c.id == last_stance))
        connection.execute(sa.delete(draft_rows).where(draft_rows.c.version == 4))
        connection.execute(sa.update(negotiations).values(revision=revision))
    assert audit.check(flagship).ok  # the chain alone says "intact"
    result = audit.check(flagship, [taken])
    assert not result.ok
    message = str(result.first_bad)
    assert "truncated" in message and "holds 2 entries" in message and "cp.txt" in message


def test_a_rewrite_with_every_hash_recomputed_is_caught_against_an_earlier_checkpoint(
    flagship: Database, key: keys.KeyFile
) -> None:
    _circulated(flagship)
    _more(flagship)
    taken = _trusted(audit.checkpoint(flagship, key), key)
    # the owner turns Russia's rejection into acceptance, re-links the stance rows after it, and
    # rewrites the log to match: the entry's details, the last digest, every hash after the change
    with flagship.engine.begin() as connection:
        rows = list(connection.execute(sa.select(stance_rows).order_by(stance_rows.c.id)))
        chain = rows[-2].chain
        edited = {**rows[-1]._mapping, "stance": "accept"}
        connection.execute(
            sa.update(stance_rows)
            .where(stance_rows.c.id == edited["id"])
            .values(stance="accept", chain=_link(chain, stance_rows, edited))
        )
        current = Repository(connection).all_digests()[NAME]
        entries = audit.entries(flagship)
        previous = entries[1].hash
        for entry in entries[2:]:
            forged = replace(entry, previous_hash=previous)
            if entry.action == "stance.set":
                forged = replace(forged, details={**entry.details, "stance": "accept"}, summary="accept")
            if entry.seq == entries[-1].seq:
                forged = replace(forged, after_digest=current)
            forged = replace(forged, hash=forged.expected_hash())
            connection.execute(sa.delete(audit_entries).where(audit_entries.c.seq == entry.seq))
            connection.execute(sa.insert(audit_entries).values(**asdict(forged)))
            previous = forged.hash
    assert audit.check(flagship).ok  # the chain alone says "intact"
    result = audit.check(flagship, [taken])
    assert not result.ok
    first = result.first_bad
    assert first is not None and first.seq == 4 and "rewritten" in first.message


def test_a_forged_checkpoint_is_refused(flagship: Database, key: keys.KeyFile) -> None:
    _circulated(flagship)
    genuine = audit.checkpoint(flagship, key)
    forger = keys.KeyFile.generate()
    with pytest.raises(CheckpointError, match="not by the trusted key"):
        _trusted(audit.checkpoint(flagship, forger), key)
    bigger = genuine.text().replace("entries 2", "entries 1")
    with pytest.raises(CheckpointError, match="signature does not verify"):
        checkpoints.read(bigger, "cp.txt", key.public, "test")


def test_no_checkpoint_is_signed_over_a_log_that_does_not_verify(
    flagship: Database, key: keys.KeyFile
) -> None:
    _circulated(flagship)
    with flagship.engine.begin() as connection:
        connection.execute(sa.update(audit_entries).where(audit_entries.c.seq == 1).values(actor="x"))
    with pytest.raises(AuditError, match="does not verify"):
        audit.checkpoint(flagship, key)


def test_the_workbench_takes_checkpoints_on_a_schedule(flagship: Database, tmp_path: Path) -> None:
    keys.create(tmp_path / "server.key")
    plan = replace(schedule(tmp_path / "published", 1, tmp_path / "server.key"), every=0.05)
    with TestClient(create_app(flagship, checkpoints=plan)):
        first = tmp_path / "published" / "checkpoint-00000001.txt"
        _wait_for(first)
        _circulated(flagship)
        _wait_for(tmp_path / "published" / "checkpoint-00000002.txt")
    trusted = keys.load_public(tmp_path / "server.key.pub")
    taken = [
        checkpoints.read(p.read_text(), p.name, trusted, "test")
        for p in sorted((tmp_path / "published").iterdir())
    ]
    assert [c.entries for c in taken] == [1, 2]  # nothing new while the log did not grow
    assert audit.check(flagship, taken).ok


def _wait_for(path: Path) -> None:
    deadline = time.monotonic() + 20
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def test_the_commands_sign_verify_and_refuse_in_one_line(flagship: Database, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from accord.cli.app import app

    runner = CliRunner()
    url, key = flagship.url, str(tmp_path / "cli.key")
    cp = tmp_path / "cp.txt"

    def run(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, [*args, "--db", url])
        return result.exit_code, result.stdout, result.stderr

    assert run("keys", "init", "--key-file", key)[0] == 0
    code, out, _ = run("audit", "checkpoint", "-o", str(cp), "--key-file", key)
    assert code == 0 and "1 entry" in out
    _circulated(flagship)
    code, out, _ = run("audit", "verify", "--checkpoint", str(cp), "--public-key", key + ".pub")
    assert code == 0 and "extends checkpoint" in out
    cp.write_text(cp.read_text().replace("entries 1", "entries 2"))
    refusals = [
        (
            ("audit", "verify", "--checkpoint", str(cp), "--key-file", key),
            "CheckpointError: ",
            "does not verify",
        ),
        (
            ("audit", "verify", "--checkpoint", str(tmp_path / "no.txt"), "--key-file", key),
            "CheckpointError: ",
            "no.txt",
        ),
        (
            ("audit", "verify", "--checkpoint", str(cp), "--key-file", str(tmp_path / "x.key")),
            "KeyFileError: ",
            "no key",
        ),
        (
            ("audit", "checkpoint", "-o", str(cp), "--key-file", str(tmp_path / "x.key")),
            "KeyFileError: ",
            "no key",
        ),
        (("keys", "init", "--key-file", key), "KeyFileError: ", "exists already"),
    ]
    for args, name, words in refusals:
        code, _, err = run(*args)
        assert code == 1 and err.startswith(name) and words in err and err.count("\n") == 1, (args, err)
