"""A counter of the writes that change a negotiation other than by a stance: what a process keeps
its loaded copy of a negotiation by.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("negotiations") as batch:
        batch.add_column(
            sa.Column("revision_without_stances", sa.Integer(), nullable=False, server_default="1")
        )
    op.execute("UPDATE negotiations SET revision_without_stances = revision")


def downgrade() -> None:
    with op.batch_alter_table("negotiations") as batch:
        batch.drop_column("revision_without_stances")
