"""Ingested reports: a source may carry the SHA-256 of a report's text (``sources.sha256``), and
``applied_proposals`` records which proposals of which report were written into the record (`accord
ingest apply`), so the same proposals are never applied twice.

The new column is null until it says something and the new table enters the state digest only when
it holds rows (accord.storage.tables.LATER_COLUMNS, repository.LATER_TABLES), so a record written
before this migration digests exactly as it did and its audit log still verifies. No data changes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("sha256", sa.String(length=64), nullable=True))
    op.create_table(
        "applied_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("negotiation_id", sa.Integer(), nullable=False),
        sa.Column("report_sha256", sa.String(length=64), nullable=False),
        sa.Column("proposal", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("entry", sa.String(length=200), nullable=False),
        sa.Column("applied_at", sa.String(length=40), nullable=False),
        sa.Column("applied_by", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["negotiation_id"],
            ["negotiations.id"],
            name=op.f("fk_applied_proposals_negotiation_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applied_proposals")),
        sa.UniqueConstraint(
            "negotiation_id", "report_sha256", "proposal", name="uq_applied_proposals_proposal"
        ),
    )


def downgrade() -> None:
    op.drop_table("applied_proposals")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("sha256")
