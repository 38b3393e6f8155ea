"""The tables of the record. Timestamps and dates are ISO text, so digests agree on every database."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ix": "ix_%(table_name)s_%(column_0_name)s",
    }
)


def _negotiation_fk() -> sa.Column[int]:
    return sa.Column(
        "negotiation_id", sa.Integer, sa.ForeignKey("negotiations.id", ondelete="CASCADE"), nullable=False
    )


negotiations = sa.Table(
    "negotiations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("slug", sa.String(200), nullable=False, unique=True),
    sa.Column("title", sa.Text, nullable=False),
    # optimistic locking: every write to the negotiation raises it by one, and a write based on an
    # older revision is refused (see accord.storage.repository)
    sa.Column("revision", sa.Integer, nullable=False),
    # raised by every write that changes the negotiation other than by a stance (the framework, a
    # draft, a circulation, a meeting, a paper): a process may keep the negotiation as loaded without
    # its stances while this stays the same (see Repository.load); not part of the state digest
    sa.Column("revision_without_stances", sa.Integer, nullable=False, server_default="1"),
    # the framework: points, parties and their preferences, as a scenario document without the record
    sa.Column("framework", sa.JSON, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)

drafts = sa.Table(
    "drafts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("parent", sa.Integer),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("author", sa.Text),
    sa.Column("label", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("date", sa.String(10)),
    sa.Column("note", sa.Text),
    sa.Column("choices", sa.JSON, nullable=False),
    sa.Column("amendments", sa.JSON, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.UniqueConstraint("negotiation_id", "version", name="uq_drafts_version"),
)

circulations = sa.Table(
    "circulations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    sa.Column("draft_version", sa.Integer, nullable=False),
    sa.Column("party", sa.String(200), nullable=False),
    sa.Column("date", sa.String(10)),
    sa.Column("recorded_at", sa.String(40), nullable=False),
    sa.Column("recorded_by", sa.Text, nullable=False),
    # SHA-256 over the previous row's chain and this row's contents (see Repository.state_digest)
    sa.Column("chain", sa.String(64), nullable=False, server_default=""),
    sa.Index("ix_circulations_negotiation_row", "negotiation_id", "id"),
)

stances = sa.Table(
    "stances",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    sa.Column("draft_version", sa.Integer, nullable=False),
    sa.Column("party", sa.String(200), nullable=False),
    sa.Column("point", sa.String(200), nullable=False),
    sa.Column("stance", sa.String(20), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("recorded_at", sa.String(40), nullable=False),
    sa.Column("recorded_by", sa.Text, nullable=False),
    sa.Column("chain", sa.String(64), nullable=False, server_default=""),
    sa.Index("ix_stances_negotiation_row", "negotiation_id", "id"),
)

meetings = sa.Table(
    "meetings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("date", sa.String(10), nullable=False),
    sa.Column("place", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("outcome", sa.Text),
    sa.Column("participants", sa.JSON, nullable=False),
    sa.Column("papers", sa.JSON, nullable=False),
    sa.Column("drafts", sa.JSON, nullable=False),
    sa.UniqueConstraint("negotiation_id", "key", name="uq_meetings_key"),
)

papers = sa.Table(
    "papers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("recipients", sa.JSON, nullable=False),
    sa.Column("draft_version", sa.Integer),
    sa.Column("date", sa.String(10)),
    sa.Column("note", sa.Text),
    sa.UniqueConstraint("negotiation_id", "key", name="uq_papers_key"),
)

audit_entries = sa.Table(
    "audit_entries",
    metadata,
    # the position in the chain; given explicitly (never autoincrement) so the chain has no gaps
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("recorded_at", sa.String(40), nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("action", sa.String(60), nullable=False),
    sa.Column("negotiation", sa.String(200)),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("details", sa.JSON, nullable=False),
    sa.Column("before_digest", sa.String(64), nullable=False),
    sa.Column("after_digest", sa.String(64), nullable=False),
    sa.Column("previous_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Index("ix_audit_entries_negotiation_seq", "negotiation", "seq"),
)

# One row. Every writing unit of work updates it first: writers queue on it (on SQLite and on
# PostgreSQL alike), so the audit chain never forks and reads inside a write see a stable state.
write_lock = sa.Table(
    "write_lock",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("writes", sa.Integer, nullable=False),
)


# -- accounts: who may use the workbench, and in which seat at which negotiation ------------------

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(100), nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),  # argon2id, never the password
    sa.Column("created_at", sa.String(40), nullable=False),
)

grants = sa.Table(
    "grants",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    _negotiation_fk(),
    sa.Column("role", sa.String(20), nullable=False),  # mediator, member, observer
    sa.Column("party", sa.String(200)),  # the party a member belongs to (an observer's, if any)
    sa.UniqueConstraint("user_id", "negotiation_id", name="uq_grants_seat"),
)

# failed log-ins, so the throttle counts them across server processes (not part of the record)
login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(300), nullable=False),  # "pair:ADDRESS NAME" or "address:ADDRESS"
    sa.Column("at", sa.Float, nullable=False),  # seconds since the epoch
    sa.Index("ix_login_failures_key_at", "key", "at"),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),  # SHA-256 of the cookie's token
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("expires_at", sa.String(40), nullable=False),
)

# results of the mediator's analyses handed to one party ("share with party")
shares = sa.Table(
    "shares",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    sa.Column("party", sa.String(200), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("content", sa.JSON, nullable=False),
    sa.Column("shared_at", sa.String(40), nullable=False),
    sa.Column("shared_by", sa.Text, nullable=False),
)

# -- leak-traceable copies: the issue register, and each negotiation's fingerprinting settings --------

copies = sa.Table(
    "copies",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    sa.Column("draft_version", sa.Integer, nullable=False),
    sa.Column("recipient", sa.String(200), nullable=False),  # a party id, or "party/person"
    sa.Column("codeword", sa.String(64), nullable=False),  # hex
    sa.Column("format", sa.String(10), nullable=False),
    sa.Column("vetoed", sa.JSON, nullable=False),  # the rules vetoed when it was made (its sites)
    sa.Column("exported_at", sa.String(40), nullable=False),
    sa.Column("exported_by", sa.Text, nullable=False),
)

leak_settings = sa.Table(
    "leak_settings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    # keys the site -> codeword position map; sealed under the key file, which the database never
    # holds ("sealed KEY-ID SALT CIPHERTEXT", see accord.keys.seal; 64 hex digits in the clear in a
    # record from before migration 0006 until `accord keys move-secrets` or `accord init`)
    sa.Column("secret", sa.String(200), nullable=False),
    sa.Column("vetoed", sa.JSON, nullable=False),  # rules that must not vary in this negotiation
    sa.UniqueConstraint("negotiation_id", name="uq_leak_settings_negotiation"),
)
