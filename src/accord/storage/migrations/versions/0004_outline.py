"""A counter of the writes that change a negotiation other than by a stance, and an index for the
current stances of a draft: what the workbench's reads are keyed on.

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
    op.create_index(
        "ix_stances_draft_party_point",
        "stances",
        ["negotiation_id", "draft_version", "party", "point", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_stances_draft_party_point", table_name="stances")
    with op.batch_alter_table("negotiations") as batch:
        batch.drop_column("revision_without_stances")
