"""Accounts in the audit chain, and fingerprint secrets out of the database (sealed under the key file);
a record from before both migrates. On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from typer.testing import CliRunner

from accord import keys
from accord.audit import ABSENT, AuditLog, verify
from accord.cli.app import app
from accord.domain import Negotiation
from accord.errors import KeyFileError
from accord.leaks.codes import bit, new_codeword, new_secret, position
from accord.leaks.document import build, render, write
from accord.scenario import load
from accord.security.passwords import hash_password
from accord.security.policy import SeatRole
from accord.services import accounts, audit, leaks, negotiations
from accord.storage.database import Database, _alembic_config
from accord.storage.repository import Repository
from accord.storage.tables import copies, grants, leak_settings, users
from accord.storage.unit_of_work import utc_now
from tests.storage.conftest import ACTOR, FLAGSHIP
from tests.storage.helpers import snapshot

NAME = "peace-framework-2025"
PASSWORD = "a long enough password"


def _problem(database: Database) -> str:
    result = audit.check(database)
    assert not result.ok
    return str(result.first_bad)


# -- accounts ----------------------------------------------------------------------------------------


def test_accounts_seats_and_passwords_are_audited_writes(flagship: Database) -> None:
    accounts.add_user(flagship, "olena", "Olena Sh.", PASSWORD, actor="admin")
    accounts.grant(flagship, "olena", NAME, SeatRole.MEMBER, "ukraine", actor="admin")
    accounts.set_password(flagship, "olena", "another long password", actor="admin")
    found = audit.entries(flagship)
    assert [e.action for e in found[-3:]] == ["user.add", "user.grant", "user.password"]
    added, seated, changed = found[-3:]
    assert added.before_digest == ABSENT and added.after_digest != ABSENT
    assert changed.before_digest == added.after_digest and changed.after_digest != added.after_digest
    assert seated.negotiation == NAME and seated.details["party"] == "ukraine"
    with flagship.engine.connect() as connection:
        stored_hash = connection.execute(sa.select(users.c.password_hash)).scalar_one()
    assert all(stored_hash not in str(e.details) + e.summary for e in found)
    assert audit.check(flagship).ok


def test_accord_user_password_is_an_audited_write(flagship: Database) -> None:
    runner = CliRunner()
    url = flagship.url
    added = runner.invoke(app, ["user", "add", "anna", "--password", PASSWORD, "--db", url, "--as", "admin"])
    assert added.exit_code == 0, added.output
    changed = runner.invoke(app, ["user", "password", "anna", "--password", "x" * 12, "--db", url])
    assert changed.exit_code == 0 and "password of anna changed" in changed.output
    unknown = runner.invoke(app, ["user", "password", "bob", "--password", "x" * 12, "--db", url])
    assert unknown.exit_code == 1 and "NotFoundError: no user 'bob'" in unknown.stderr
    assert audit.entries(flagship)[-1].action == "user.password"
    assert audit.check(flagship).ok


def test_an_account_changed_behind_accords_back_is_caught(flagship: Database) -> None:
    accounts.add_user(flagship, "olena", "Olena Sh.", PASSWORD, actor="admin")
    with flagship.engine.begin() as connection:  # the owner gives the account a password they know
        connection.execute(sa.update(users).values(password_hash=hash_password("the owner's password")))
    assert "stored accounts differ" in _problem(flagship)


def test_an_account_added_behind_accords_back_is_caught(flagship: Database) -> None:
    with flagship.engine.begin() as connection:
        connection.execute(
            sa.insert(users).values(
                username="mallory", name="M", password_hash=hash_password(PASSWORD), created_at=utc_now()
            )
        )
    assert "stored accounts differ from the audit log" in _problem(flagship)


def test_a_seat_granted_behind_accords_back_is_caught(flagship: Database) -> None:
    accounts.add_user(flagship, "olena", "Olena Sh.", PASSWORD, actor="admin")
    with flagship.engine.begin() as connection:
        user_id = connection.execute(sa.select(users.c.id)).scalar_one()
        connection.execute(
            sa.insert(grants).values(user_id=user_id, negotiation_id=1, role="mediator", party=None)
        )
    assert "changed outside accord" in _problem(flagship)


# -- fingerprint secrets ------------------------------------------------------------------------------


def test_the_database_never_holds_a_fingerprint_secret(flagship: Database, tmp_path: Path) -> None:
    for party in ("ukraine", "russia"):
        leaks.export_copy(flagship, NAME, 3, party, "md", tmp_path / f"{party}.md", actor=ACTOR)
    with flagship.engine.connect() as connection:
        stored = connection.execute(sa.select(leak_settings.c.secret)).scalar_one()
    assert keys.is_sealed(stored)
    path = keys.key_path(flagship.url)
    secret = keys.unseal(keys.load(path), stored, where="test", path=path)
    assert secret not in repr(snapshot(flagship))
    traced = leaks.trace_text(flagship, NAME, (tmp_path / "ukraine.md").read_text(encoding="utf-8"))
    assert traced.named is not None and traced.named.copy.recipient == "ukraine"
    keys.create(tmp_path / "other.key")
    with pytest.raises(KeyFileError, match="sealed under key"):
        leaks.trace_text(flagship, NAME, "text", key_file=tmp_path / "other.key")
    assert audit.check(flagship).ok


# -- a record from before: accounts without digests, a secret in the clear ------------------------------


def _before_the_chronology(negotiation: Negotiation) -> Negotiation:
    """The flagship as schema revision 0005 could hold it: without what migration 0007 added (people,
    sources, statements, events; sources and people on drafts, meetings, papers and stances)."""
    return replace(
        negotiation,
        people=(),
        sources=(),
        statements=(),
        events=(),
        drafts=tuple(replace(d, sources=()) for d in negotiation.drafts),
        meetings=tuple(replace(m, people=(), leads={}, sources=()) for m in negotiation.meetings),
        papers=tuple(replace(p, sources=()) for p in negotiation.papers),
        stances=tuple(replace(s, evidence=None, sources=()) for s in negotiation.stances),
    )


def _legacy(database: Database, tmp_path: Path) -> str:
    """A record as accord kept it at schema revision 0005: an account logged without digests, a copy
    for ukraine fingerprinted with a secret kept in the database. Returns the secret.

    Written with today's code on today's schema, then migrated down to 0005 (what later migrations
    add is empty in it, and the state digest leaves it out while empty, so the digests hold)."""
    with database.engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")
    negotiation = _before_the_chronology(load(FLAGSHIP))
    secret, codewords = new_secret(), {p: new_codeword() for p in ("ukraine", "russia")}
    now = utc_now()
    with database.engine.begin() as connection:
        repository, log = Repository(connection), AuditLog(connection)

        def logged(action: str, negotiation_name: str | None, before: str, after: str) -> None:
            log.append(
                recorded_at=now,
                actor=ACTOR,
                action=action,
                negotiation=negotiation_name,
                summary=action,
                details={},
                before=before,
                after=after,
            )

        repository.add(negotiation, slug=NAME, now=now, actor=ACTOR)
        logged("negotiation.import", NAME, ABSENT, repository.state_digest(NAME))
        connection.execute(
            sa.insert(users).values(
                username="olena", name="Olena", password_hash=hash_password(PASSWORD), created_at=now
            )
        )
        logged("user.add", None, ABSENT, ABSENT)
        before = repository.state_digest(NAME)
        nid = repository.id_of(NAME)
        connection.execute(sa.insert(leak_settings).values(negotiation_id=nid, secret=secret, vetoed=[]))
        for party, codeword in codewords.items():
            connection.execute(
                sa.insert(copies).values(
                    negotiation_id=nid,
                    draft_version=3,
                    recipient=party,
                    codeword=codeword.hex(),
                    format="md",
                    vetoed=[],
                    exported_at=now,
                    exported_by=ACTOR,
                )
            )
        logged("copy.export", NAME, before, Repository(connection).state_digest(NAME))
    for party, codeword in codewords.items():
        rendered = render(
            build(negotiation, negotiation.draft(3)),
            lambda s, c=codeword: bit(c, position(secret, s.key)),
            codeword,
        )
        write(rendered, tmp_path / f"{party}.md", "md")
    with database.engine.connect() as connection:  # consistent, as accord checked a record then
        assert verify(AuditLog(connection).entries(), Repository(connection).all_digests()).ok
    with database.engine.begin() as connection:
        command.downgrade(_alembic_config(connection), "0005")
    return secret


def _traces_to_ukraine(database: Database, tmp_path: Path) -> None:
    traced = leaks.trace_text(database, NAME, (tmp_path / "ukraine.md").read_text(encoding="utf-8"))
    assert traced.named is not None and traced.named.copy.recipient == "ukraine"


def test_accord_init_migrates_a_record_from_before(database_url: str, tmp_path: Path) -> None:
    from accord.storage.database import open_database

    database = open_database(database_url)
    secret = _legacy(database, tmp_path)
    done = negotiations.initialise(database)
    assert done.before == "0005" and done.key_created and done.secrets_sealed == (NAME,)
    assert [e.action for e in audit.entries(database)][-2:] == ["accounts.adopt", "copy.secret-sealed"]
    assert audit.check(database).ok
    assert secret not in repr(snapshot(database))
    _traces_to_ukraine(database, tmp_path)  # a copy exported before the move is traced as before
    with database.engine.begin() as connection:
        connection.execute(sa.update(users).values(name="Someone else"))
    assert "stored accounts differ" in _problem(database)
    database.dispose()


def test_keys_move_secrets_moves_them_out_with_one_audited_write(database_url: str, tmp_path: Path) -> None:
    from accord.storage.database import open_database

    database = open_database(database_url)
    secret = _legacy(database, tmp_path)
    database.upgrade()  # the schema only: the secret stays in the clear, and keeps working
    _traces_to_ukraine(database, tmp_path)
    runner = CliRunner()
    key = str(tmp_path / "moved.key")
    made = runner.invoke(app, ["keys", "init", "--key-file", key, "--db", database_url])
    assert made.exit_code == 0, made.output
    moved = runner.invoke(app, ["keys", "move-secrets", "--key-file", key, "--db", database_url, "--as", "x"])
    assert moved.exit_code == 0 and NAME in moved.output, moved.output
    again = runner.invoke(app, ["keys", "move-secrets", "--key-file", key, "--db", database_url])
    assert again.exit_code == 0 and "nothing to move" in again.output
    assert secret not in repr(snapshot(database))
    assert audit.entries(database)[-1].action == "copy.secret-sealed"
    assert audit.check(database).ok
    traced = leaks.trace_text(
        database, NAME, (tmp_path / "ukraine.md").read_text(encoding="utf-8"), key_file=Path(key)
    )
    assert traced.named is not None and traced.named.copy.recipient == "ukraine"
    database.dispose()
