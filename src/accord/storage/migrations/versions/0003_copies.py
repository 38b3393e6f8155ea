"""Leak-traceable copies: the issue register of fingerprinted copies, and fingerprinting settings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "copies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("negotiation_id", sa.Integer(), nullable=False),
        sa.Column("draft_version", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("codeword", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("vetoed", sa.JSON(), nullable=False),
        sa.Column("exported_at", sa.String(length=40), nullable=False),
        sa.Column("exported_by", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["negotiation_id"], ["negotiations.id"], name=op.f("fk_copies_negotiation_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_copies")),
    )
    op.create_table(
        "leak_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("negotiation_id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("vetoed", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["negotiation_id"],
            ["negotiations.id"],
            name=op.f("fk_leak_settings_negotiation_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leak_settings")),
        sa.UniqueConstraint("negotiation_id", name="uq_leak_settings_negotiation"),
    )


def downgrade() -> None:
    op.drop_table("leak_settings")
    op.drop_table("copies")
