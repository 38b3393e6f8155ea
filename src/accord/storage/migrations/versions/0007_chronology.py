"""The chronology of the talks: people, sources, statements, events; meetings as they happened (time,
duration, channel, people, leads, an uncertain date, no place yet) with their history of changes;
papers with their content (text, or a file kept with its SHA-256 and size); stances with an "as of"
date, evidence, sources, corrections and withdrawals; sources on drafts.

Every new column of an old table is null until it says something, and the state digest leaves such
nulls (and the new tables, while empty) out (accord.storage.tables.LATER_COLUMNS), so a record written
before this migration digests exactly as it did and its audit log still verifies.

The one change to existing data: each party's ``delegation:`` list (names in the framework) becomes
people of that party ("Anouk Verhaegen (party leader)": name Anouk Verhaegen, role party leader, the
entry kept as an alias so copies registered for it still match). That changes the negotiation's state,
so one audit entry per such negotiation (``record.migrate``) records it, from the state as found (a
record changed outside accord before the migration still shows as such) to the state after.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["negotiation_id"], ["negotiations.id"], name=op.f(f"fk_{table}_negotiation_id"), ondelete="CASCADE"
    )


def _common(table: str) -> list[Any]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("negotiation_id", sa.Integer(), nullable=False),
        _fk(table),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "people",
        *_common("people"),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("party", sa.String(length=200), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("lead", sa.Boolean(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("sources", sa.JSON(), nullable=True),
        sa.UniqueConstraint("negotiation_id", "key", name="uq_people_key"),
    )
    op.create_table(
        "sources",
        *_common("sources"),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("date", sa.String(length=10), nullable=True),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.UniqueConstraint("negotiation_id", "key", name="uq_sources_key"),
    )
    op.create_table(
        "statements",
        *_common("statements"),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("person", sa.String(length=200), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.Column("stance", sa.String(length=20), nullable=True),
        sa.Column("draft_version", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("sources", sa.JSON(), nullable=True),
        sa.UniqueConstraint("negotiation_id", "key", name="uq_statements_key"),
    )
    op.create_table(
        "events",
        *_common("events"),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=True),
        sa.Column("date_approx", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("draft_version", sa.Integer(), nullable=True),
        sa.Column("paper", sa.String(length=200), nullable=True),
        sa.Column("surfaced", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("sources", sa.JSON(), nullable=True),
        sa.UniqueConstraint("negotiation_id", "key", name="uq_events_key"),
    )
    op.create_table(
        "event_traces",
        *_common("event_traces"),
        sa.Column("event", sa.String(length=200), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
    )
    op.create_table(
        "meeting_changes",
        *_common("meeting_changes"),
        sa.Column("meeting", sa.String(length=200), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("sources", sa.JSON(), nullable=True),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
    )
    op.create_index("ix_meeting_changes_negotiation_row", "meeting_changes", ["negotiation_id", "id"])
    op.create_table(
        "paper_files",
        *_common("paper_files"),
        sa.Column("paper", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("negotiation_id", "paper", name="uq_paper_files_paper"),
    )
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("sources", sa.JSON(), nullable=True))
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("start", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("duration_minutes", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("channel", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("date_approx", sa.Text(), nullable=True))
        batch.add_column(sa.Column("people", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("leads", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("sources", sa.JSON(), nullable=True))
        batch.alter_column("date", existing_type=sa.String(length=10), nullable=True)
        batch.alter_column("place", existing_type=sa.Text(), nullable=True)
    with op.batch_alter_table("papers") as batch:
        batch.add_column(sa.Column("count", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("text", sa.Text(), nullable=True))
        batch.add_column(sa.Column("file_name", sa.Text(), nullable=True))
        batch.add_column(sa.Column("media_type", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("sha256", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("size", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("recipient_people", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("meeting", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("related_drafts", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("copy_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("sources", sa.JSON(), nullable=True))
        batch.alter_column("title", existing_type=sa.Text(), nullable=True)
    with op.batch_alter_table("stances") as batch:
        batch.add_column(sa.Column("as_of", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("evidence", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("sources", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("supersedes", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("withdrawn", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
    _delegations_to_people(op.get_bind())


# The rules that name people are frozen here (accord.domain.people's as of the release that read
# Cyrillic names through anyascii), so a later change to those rules never changes this upgrade.
_NAME_AND_ROLE = re.compile(r"^\s*(?P<name>[^()]+?)\s*\((?P<role>[^()]+)\)\s*$")


def from_delegation_entry(entry: str) -> tuple[str, str | None]:
    """ "Anouk Verhaegen (party leader)" gives ("Anouk Verhaegen", "party leader")."""
    found = _NAME_AND_ROLE.match(entry)
    if found is None:
        return entry.strip(), None
    return found["name"], found["role"].strip()


def person_key(name: str, taken: set[str]) -> str:
    """ "Anouk Verhaegen" -> "anouk-verhaegen", "Юрий Ушаков" -> "yurii-ushakov" (-2, -3, ... when taken)."""
    from anyascii import anyascii

    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    plain = anyascii(" ".join(plain.casefold().split())).lower()
    base = re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "person"
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


def _delegations_to_people(connection: sa.Connection) -> None:
    from accord.audit import AuditLog
    from accord.storage.repository import Repository
    from accord.storage.tables import added_after, negotiations, people

    # the schema as this migration leaves it: what later migrations add is not there yet
    later = added_after(revision)

    found = connection.execute(sa.select(negotiations.c.id, negotiations.c.slug, negotiations.c.framework))
    for nid, slug, framework in list(found):
        parties = dict(framework.get("parties") or {})
        if not any(isinstance(p, dict) and p.get("delegation") for p in parties.values()):
            continue
        repository = Repository(connection, without=later)
        before = repository.state_digest(slug, recompute=True)
        taken: set[str] = set()
        rows = []
        for party_id, party in parties.items():
            if not isinstance(party, dict):
                continue
            for entry in party.get("delegation") or []:
                name, role = from_delegation_entry(str(entry))
                key = person_key(name, taken)
                taken.add(key)
                aliases = [str(entry)] if str(entry) != name else []
                rows.append(
                    {
                        "negotiation_id": nid,
                        "key": key,
                        "name": name,
                        "party": party_id,
                        "role": role,
                        "lead": False,
                        "aliases": aliases,
                    }
                )
            if "delegation" in party:
                parties[party_id] = {k: v for k, v in party.items() if k != "delegation"}
        connection.execute(sa.insert(people), rows)
        connection.execute(
            sa.update(negotiations)
            .where(negotiations.c.id == nid)
            .values(
                framework={**framework, "parties": parties},
                revision=negotiations.c.revision + 1,
                revision_without_stances=negotiations.c.revision_without_stances + 1,
            )
        )
        after = Repository(connection, without=later).state_digest(slug, recompute=True)
        AuditLog(connection).append(
            recorded_at=dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
            actor="accord (migration 0007)",
            action="record.migrate",
            negotiation=slug,
            summary=f"{len(rows)} delegation member{'s' if len(rows) != 1 else ''} "
            "became people of their parties",
            details={"people": [r["key"] for r in rows]},
            before=before,
            after=after,
        )


def downgrade() -> None:
    with op.batch_alter_table("stances") as batch:
        for column in ("reason", "withdrawn", "supersedes", "sources", "evidence", "as_of"):
            batch.drop_column(column)
    with op.batch_alter_table("papers") as batch:
        batch.alter_column("title", existing_type=sa.Text(), nullable=False)
        for column in (
            "sources",
            "copy_id",
            "related_drafts",
            "meeting",
            "recipient_people",
            "size",
            "sha256",
            "media_type",
            "file_name",
            "text",
            "count",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("meetings") as batch:
        batch.alter_column("place", existing_type=sa.Text(), nullable=False)
        batch.alter_column("date", existing_type=sa.String(length=10), nullable=False)
        for column in ("sources", "leads", "people", "date_approx", "channel", "duration_minutes", "start"):
            batch.drop_column(column)
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("sources")
    op.drop_index("ix_meeting_changes_negotiation_row", table_name="meeting_changes")
    for table in (
        "paper_files",
        "meeting_changes",
        "event_traces",
        "events",
        "statements",
        "sources",
        "people",
    ):
        op.drop_table(table)
