"""Jobs in the database (accord.web.jobs, accord.storage.jobs): long work started on one server
process is read, polled and cancelled from any process of the same database (`accord serve --workers
N`), and its result is kept. Not part of the record: no audit entry, not in the state digest.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("negotiation", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("result", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("created", sa.Float(), nullable=False),
        sa.Column("started", sa.Float(), nullable=True),
        sa.Column("finished", sa.Float(), nullable=True),
        sa.Column("heartbeat", sa.Float(), nullable=False),
        sa.Column("cancel_asked", sa.Boolean(), nullable=False),
        sa.Column("runner", sa.String(length=200), nullable=False),
        sa.Column("busy_seat", sa.String(length=310), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_jobs")),
        sa.UniqueConstraint("busy_seat", name=op.f("uq_jobs_busy_seat")),
    )
    op.create_index("ix_jobs_owner_negotiation", "jobs", ["owner", "negotiation"])


def downgrade() -> None:
    op.drop_index("ix_jobs_owner_negotiation", table_name="jobs")
    op.drop_table("jobs")
