"""Fingerprint secrets sealed under the key file; the accounts enter the audit log.

``leak_settings.secret`` widens to hold a secret sealed under the key file (``sealed KEY-ID SALT
CIPHERTEXT``, see accord.keys.seal). The migration cannot seal them itself (the key file is not the
database's business): `accord init` and `accord keys move-secrets` do, each as an audited write, and
until then a secret in the clear keeps working.

From now on every entry about the accounts carries their digest before and after (see
accord.audit.accounts_digest). Entries written before carried none, so when the database holds
accounts, one ``accounts.adopt`` entry records them as they are: from here on a user, name or password
changed outside accord is caught.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

from accord.audit import ABSENT, AuditLog
from accord.storage.accounts import Accounts

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("leak_settings") as batch:
        batch.alter_column("secret", existing_type=sa.String(length=64), type_=sa.String(length=200))
    connection = op.get_bind()
    accounts = Accounts(connection).state_digest()
    if accounts == ABSENT:
        return
    count = connection.execute(sa.text("SELECT count(*) FROM users")).scalar_one()
    AuditLog(connection).append(
        recorded_at=dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        actor="accord (migration 0006)",
        action="accounts.adopt",
        negotiation=None,
        summary=f"{count} account{'s' if count != 1 else ''} as stored when accord began auditing them",
        details={"users": count},
        before=ABSENT,
        after=accounts,
    )


def downgrade() -> None:
    with op.batch_alter_table("leak_settings") as batch:
        batch.alter_column("secret", existing_type=sa.String(length=200), type_=sa.String(length=64))
