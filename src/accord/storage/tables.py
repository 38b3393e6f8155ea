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


# a JSON column that may be empty: None is stored as SQL NULL (not the JSON text 'null')
_OPTIONAL_JSON = sa.JSON(none_as_null=True)


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
    sa.Column("sources", _OPTIONAL_JSON),  # keys of the sources cited (0007; null: none)
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
    # 0007 (each null when it says nothing, so rows written before hash as they did; see LATER_COLUMNS):
    sa.Column("as_of", sa.String(10)),  # when the party took the position
    sa.Column("evidence", sa.String(200)),  # the statement it was adopted from
    sa.Column("sources", _OPTIONAL_JSON),
    sa.Column("supersedes", sa.Integer),  # the row it corrects (a later row always supersedes anyway)
    sa.Column("withdrawn", sa.Boolean),  # true: the party no longer holds a stance on the point
    sa.Column("reason", sa.Text),  # why it was corrected or withdrawn
    sa.Index("ix_stances_negotiation_row", "negotiation_id", "id"),
)

meetings = sa.Table(
    "meetings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("date", sa.String(10)),  # null: a planned meeting with no date yet (0007)
    sa.Column("place", sa.Text),  # null: not known yet, or a call (0007)
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("outcome", sa.Text),
    sa.Column("participants", sa.JSON, nullable=False),
    sa.Column("papers", sa.JSON, nullable=False),
    sa.Column("drafts", sa.JSON, nullable=False),
    # 0007: the meeting as it happened (the row holds its current state; its changes, before and
    # after, are rows of meeting_changes, so nothing is lost)
    sa.Column("start", sa.String(40)),  # ISO date and time it began, "2025-12-02T17:00"
    sa.Column("duration_minutes", sa.Integer),
    sa.Column("channel", sa.String(20)),  # in-person, call, video
    sa.Column("date_approx", sa.Text),  # what is known of an uncertain date ("in the coming days")
    sa.Column("people", _OPTIONAL_JSON),  # [{"person": key, "note": ...}]
    sa.Column("leads", _OPTIONAL_JSON),  # {party: person key}
    sa.Column("sources", _OPTIONAL_JSON),
    sa.UniqueConstraint("negotiation_id", "key", name="uq_meetings_key"),
)

# every change of a meeting after it was first recorded, append-only (0007)
meeting_changes = sa.Table(
    "meeting_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    sa.Column("meeting", sa.String(200), nullable=False),  # the meeting's key
    sa.Column("changes", sa.JSON, nullable=False),  # {field: [before, after]} as the scenario writes them
    sa.Column("reason", sa.Text),
    sa.Column("sources", _OPTIONAL_JSON),
    sa.Column("recorded_at", sa.String(40), nullable=False),
    sa.Column("recorded_by", sa.Text, nullable=False),
    sa.Index("ix_meeting_changes_negotiation_row", "negotiation_id", "id"),
)

papers = sa.Table(
    "papers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("title", sa.Text),  # null: an untitled paper (0007)
    sa.Column("recipients", sa.JSON, nullable=False),
    sa.Column("draft_version", sa.Integer),
    sa.Column("date", sa.String(10)),
    sa.Column("note", sa.Text),
    # 0007: the content and where the paper went
    sa.Column("count", sa.Integer),  # how many documents the entry stands for (null: 1; 0: a number unknown)
    sa.Column("text", sa.Text),  # the content as text
    sa.Column("file_name", sa.Text),  # the content as a file: its bytes are in paper_files
    sa.Column("media_type", sa.String(200)),
    sa.Column("sha256", sa.String(64)),
    sa.Column("size", sa.Integer),
    sa.Column("recipient_people", _OPTIONAL_JSON),
    sa.Column("meeting", sa.String(200)),  # the meeting's key
    sa.Column("related_drafts", _OPTIONAL_JSON),
    sa.Column("copy_id", sa.Integer),  # the issue register's entry (copies.id) of a fingerprinted copy
    sa.Column("sources", _OPTIONAL_JSON),
    sa.UniqueConstraint("negotiation_id", "key", name="uq_papers_key"),
)

# the bytes of a paper's file, apart from the row so that loading a negotiation never reads them (0007)
paper_files = sa.Table(
    "paper_files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    sa.Column("paper", sa.String(200), nullable=False),  # the paper's key
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.UniqueConstraint("negotiation_id", "paper", name="uq_paper_files_paper"),
)

# -- the chronology (0007): people, sources, statements, events ----------------------------------------

people = sa.Table(
    "people",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("party", sa.String(200)),  # null: belongs to no party
    sa.Column("role", sa.Text),
    sa.Column("lead", sa.Boolean, nullable=False),
    sa.Column("aliases", sa.JSON, nullable=False),
    sa.Column("note", sa.Text),  # private: the mediator's
    sa.Column("sources", _OPTIONAL_JSON),
    sa.UniqueConstraint("negotiation_id", "key", name="uq_people_key"),
)

sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("outlet", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("date", sa.String(10)),
    sa.Column("quote", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("sha256", sa.String(64)),  # an ingested report's text's SHA-256 (0008; null: not a report)
    sa.UniqueConstraint("negotiation_id", "key", name="uq_sources_key"),
)

statements = sa.Table(
    "statements",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("person", sa.String(200), nullable=False),  # the speaker's key
    sa.Column("date", sa.String(10), nullable=False),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("summary", sa.Text),
    sa.Column("channel", sa.String(20), nullable=False),  # press, interview, social, official, private
    sa.Column("points", sa.JSON, nullable=False),
    sa.Column("stance", sa.String(20)),
    sa.Column("draft_version", sa.Integer),
    sa.Column("note", sa.Text),
    sa.Column("sources", _OPTIONAL_JSON),
    sa.UniqueConstraint("negotiation_id", "key", name="uq_statements_key"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # leak, announcement, postponement, other
    sa.Column("date", sa.String(10)),
    sa.Column("date_approx", sa.Text),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("draft_version", sa.Integer),
    sa.Column("paper", sa.String(200)),
    sa.Column("surfaced", sa.Text),  # where a leak surfaced
    sa.Column("note", sa.Text),
    sa.Column("sources", _OPTIONAL_JSON),
    sa.UniqueConstraint("negotiation_id", "key", name="uq_events_key"),
)

# `accord trace` results attached to an event, append-only
event_traces = sa.Table(
    "event_traces",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    sa.Column("event", sa.String(200), nullable=False),  # the event's key
    sa.Column("result", sa.JSON, nullable=False),
    sa.Column("recorded_at", sa.String(40), nullable=False),
    sa.Column("recorded_by", sa.Text, nullable=False),
)

# the proposals of ingested reports that were applied (`accord ingest apply`), append-only (0008): a
# report is known by its text's SHA-256, a proposal by its id in the proposals file, so applying the
# same proposals twice is refused
applied_proposals = sa.Table(
    "applied_proposals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _negotiation_fk(),
    sa.Column("report_sha256", sa.String(64), nullable=False),
    sa.Column("proposal", sa.String(200), nullable=False),  # the proposal's id
    sa.Column("kind", sa.String(20), nullable=False),  # person, meeting, paper, statement, stance, event
    sa.Column("entry", sa.String(200), nullable=False),  # the key of the entry written
    sa.Column("applied_at", sa.String(40), nullable=False),
    sa.Column("applied_by", sa.Text, nullable=False),
    sa.UniqueConstraint("negotiation_id", "report_sha256", "proposal", name="uq_applied_proposals_proposal"),
)

# columns added to tables of earlier releases, each null when it says nothing: a row's state (and a
# chained row's chain value) leaves them out while null, so a record written before they existed
# digests as it did (see accord.storage.repository)
LATER_COLUMNS: dict[str, frozenset[str]] = {
    "drafts": frozenset({"sources"}),
    "sources": frozenset({"sha256"}),  # 0008
    "stances": frozenset({"as_of", "evidence", "sources", "supersedes", "withdrawn", "reason"}),
    "meetings": frozenset(
        {"start", "duration_minutes", "channel", "date_approx", "people", "leads", "sources"}
    ),
    "papers": frozenset(
        {
            "count",
            "text",
            "file_name",
            "media_type",
            "sha256",
            "size",
            "recipient_people",
            "meeting",
            "related_drafts",
            "copy_id",
            "sources",
        }
    ),
}

# what each migration after 0007 added to the record's tables ("table" or "table.column"): a data step
# of an earlier migration digests the state without them (they are empty or null then, so the digest
# is the same; see Repository(without=...))
ADDED_BY: dict[str, frozenset[str]] = {
    "0008": frozenset({"applied_proposals", "sources.sha256"}),
}


def added_after(revision: str) -> frozenset[str]:
    """Every table and column a migration after ``revision`` added."""
    return frozenset().union(*(found for later, found in ADDED_BY.items() if later > revision))


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

# -- long work off the request (accord.web.jobs): not part of the record (no audit entry, no digest) ----

# One row per job: the process that started it runs it and writes its progress here; every process of
# the database reads it, so `accord serve --workers N` polls a job on whichever worker answers.
jobs = sa.Table(
    "jobs",
    metadata,
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("kind", sa.String(40), nullable=False),  # "robustness", "estimate", "explore"
    sa.Column("owner", sa.String(100), nullable=False),  # the user who started it
    sa.Column("negotiation", sa.String(200), nullable=False),
    sa.Column("title", sa.Text, nullable=False),  # what was asked, in words
    sa.Column("state", sa.String(20), nullable=False),  # queued, running, done, failed, cancelled
    sa.Column("done", sa.Integer, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("words", sa.Text, nullable=False),  # what it is doing, in words
    sa.Column("error", sa.Text),
    sa.Column("result", _OPTIONAL_JSON),  # what the result's page and the API need, as JSON
    sa.Column("created", sa.Float, nullable=False),  # seconds since the epoch
    sa.Column("started", sa.Float),
    sa.Column("finished", sa.Float),
    sa.Column("heartbeat", sa.Float, nullable=False),  # its process says it is alive (every few s)
    sa.Column("cancel_asked", sa.Boolean, nullable=False),
    sa.Column("runner", sa.String(200), nullable=False),  # the process that runs it: host:pid:token
    # "negotiation/owner" while queued or running, null once finished: unique, so a seat runs one job
    # at a time across every process (NULLs never clash, on SQLite and PostgreSQL alike)
    sa.Column("busy_seat", sa.String(310), unique=True),
    sa.Index("ix_jobs_owner_negotiation", "owner", "negotiation"),
)
