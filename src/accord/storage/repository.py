"""The record of negotiations in the database, converted to and from the domain model explicitly.

A negotiation is stored as its framework (points, parties, preferences: a scenario document without
the record) plus rows for the record: drafts, circulations, stances (history kept: a new stance is a
new row, a correction or withdrawal too), meetings (their current state, and every change in
meeting_changes), papers (a file's bytes apart, in paper_files), people, sources, statements, events
(and the leak traces attached to them). Loading rebuilds the domain :class:`Negotiation` through the
scenario format's own reader, so a stored negotiation and a scenario file can never disagree.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from accord.audit import ABSENT, GENESIS, Encoded, Parts, canonical, digest
from accord.domain import (
    Draft,
    Event,
    Meeting,
    MeetingChange,
    Negotiation,
    Paper,
    Person,
    Source,
    Stance,
    StanceKind,
    Statement,
    TraceRecord,
)
from accord.domain.record import format_duration
from accord.errors import NotFoundError, StaleWriteError, StorageError
from accord.scenario.yaml_format import from_document, meeting_document, to_document
from accord.storage.database import stored_json
from accord.storage.loaded import Loaded, StanceFold
from accord.storage.tables import (
    LATER_COLUMNS,
    applied_proposals,
    circulations,
    copies,
    drafts,
    event_traces,
    events,
    grants,
    leak_settings,
    meeting_changes,
    meetings,
    negotiations,
    paper_files,
    papers,
    people,
    shares,
    sources,
    stances,
    statements,
)
from accord.storage.tables import stances as stances_table

RECORD_KEYS = ("drafts", "stances", "meetings", "papers", "people", "sources", "statements", "events")
CHAINED = (stances, circulations)
_NOT_CONTENT = {"id", "negotiation_id", "chain"}
# tables added by migrations 0007 and 0008: they enter the state only when they hold rows, so a record
# written before them digests as it did (see Repository.state)
LATER_TABLES = frozenset(
    t.name
    for t in (
        people,
        sources,
        statements,
        events,
        event_traces,
        meeting_changes,
        paper_files,
        applied_proposals,
    )
)
# the tables whose rows cite sources (their `sources` column), by the kind of entry
CITING = {
    "meeting": meetings,
    "paper": papers,
    "statement": statements,
    "event": events,
    "draft": drafts,
    "person": people,
}


# statements of the workbench's hot paths, built once (building a statement costs more than running it)
_ROW_BY_SLUG = sa.select(
    negotiations.c.id,
    negotiations.c.revision,
    negotiations.c.revision_without_stances,
    negotiations.c.created_at,
).where(negotiations.c.slug == sa.bindparam("slug"))
_REVISION_WITHOUT_STANCES = sa.select(negotiations.c.revision_without_stances).where(
    negotiations.c.id == sa.bindparam("nid")
)
_NEGOTIATION_ROW = sa.select(negotiations).where(negotiations.c.id == sa.bindparam("nid"))
# not part of the state: a counter for caches (see tables.negotiations)
_NOT_STATE = {"revision_without_stances"}
# the row as the state digest takes it: the framework as the text stored, not parsed
_NEGOTIATION_STATE = sa.select(
    *(c for c in negotiations.c if c.name not in _NOT_STATE | {"framework"}),
    sa.cast(negotiations.c.framework, sa.Text).label("framework_text"),
).where(negotiations.c.id == sa.bindparam("nid"))


def _negotiation_part(row: Any) -> Parts:
    """The negotiation's row in the state; its framework, read as stored text, is encoded once per
    process."""
    found = Parts({c.name: row._mapping[c.name] for c in _NEGOTIATION_STATE.selected_columns})
    del found["framework_text"]
    found["framework"] = _framework_encoding(row.framework_text)
    return found


@functools.lru_cache(maxsize=16)
def _framework_encoding(text: str) -> Encoded:
    """The canonical bytes of a stored framework, by its stored text (which only a write changes)."""
    return Encoded.of(stored_json(text))


_TOUCH = (
    sa.update(negotiations)
    .where(negotiations.c.id == sa.bindparam("nid"))
    .values(revision_without_stances=negotiations.c.revision_without_stances + 1)
)
_CREATED_AT = sa.select(negotiations.c.created_at).where(negotiations.c.id == sa.bindparam("nid"))
_STANCES_SINCE = (
    sa.select(
        stances.c.id,
        stances.c.chain,
        stances.c.draft_version,
        stances.c.party,
        stances.c.point,
        stances.c.stance,
        stances.c.note,
        stances.c.as_of,
        stances.c.evidence,
        stances.c.sources,
        stances.c.withdrawn,
    )
    .where(stances.c.negotiation_id == sa.bindparam("nid"), stances.c.id > sa.bindparam("after"))
    .order_by(stances.c.id)
)


def _chain_columns(table: sa.Table, prefix: str = "") -> tuple[Any, Any]:
    """The row count and the last chain value of a chained table, as two scalar subqueries."""
    of = table.c.negotiation_id == sa.bindparam("nid")
    count = sa.select(sa.func.count()).select_from(table).where(of).scalar_subquery()
    last = sa.select(table.c.chain).where(of).order_by(table.c.id.desc()).limit(1).scalar_subquery()
    return count.label(f"{prefix}rows"), last.label(f"{prefix}chain")


_CHAIN_STATE = {table.name: sa.select(*_chain_columns(table)) for table in CHAINED}
# the negotiation's row and the ends of its chains, in one round trip (what a write's digest reads)
_NEGOTIATION_AND_CHAINS = _NEGOTIATION_STATE.add_columns(
    *_chain_columns(circulations, "circulations_"),  # the stances' end comes from the fold
    negotiations.c.revision_without_stances,  # the key of what the process keeps (not in the state)
)
_LAST_CHAIN = {
    table.name: sa.select(table.c.chain)
    .where(table.c.negotiation_id == sa.bindparam("nid"))
    .order_by(table.c.id.desc())
    .limit(1)
    for table in CHAINED
}
_REVISION = sa.select(negotiations.c.revision).where(negotiations.c.id == sa.bindparam("nid"))
_RAISE_REVISION = (
    sa.update(negotiations)
    .where(negotiations.c.id == sa.bindparam("nid"))
    .values(revision=negotiations.c.revision + 1)
    .returning(negotiations.c.revision)
)
_RAISE_REVISION_FROM = _RAISE_REVISION.where(negotiations.c.revision == sa.bindparam("read"))
# the small tables: the state takes them whole
_SMALL_TABLES = {
    table.name: table
    for table in (
        drafts,
        meetings,
        papers,
        shares,
        grants,
        copies,
        leak_settings,
        meeting_changes,
        people,
        sources,
        statements,
        events,
        event_traces,
        applied_proposals,
    )
}
_ROWS_OF = {
    name: sa.select(table).where(table.c.negotiation_id == sa.bindparam("nid")).order_by(table.c.id)
    for name, table in _SMALL_TABLES.items()
}
_PAPER_FILES = (
    sa.select(paper_files.c.paper, paper_files.c.sha256)
    .where(paper_files.c.negotiation_id == sa.bindparam("nid"))
    .order_by(paper_files.c.id)
)
_PAPER_FILE_DATA = (
    sa.select(paper_files.c.paper, paper_files.c.data, paper_files.c.sha256)
    .where(paper_files.c.negotiation_id == sa.bindparam("nid"))
    .order_by(paper_files.c.id)
)


def _as_json(names: Iterable[str]) -> sa.TextClause:
    return sa.text(
        "SELECT json_build_object("
        + ", ".join(
            f"'{name}', (SELECT coalesce(json_agg(t ORDER BY t.id), '[]'::json) FROM {name} t "
            "WHERE t.negotiation_id = :nid)"
            for name in names
        )
        + ")::text"
    )


_SMALL_TABLES_AS_JSON = _as_json(_ROWS_OF)


def _state_reads(without: frozenset[str]) -> tuple[dict[str, Any], sa.TextClause]:
    """The reads of the small tables for the state, leaving out tables and columns (``"table"``,
    ``"table.column"``) a later migration adds: what a migration's data step uses, whose schema
    lacks them (they would be empty or null, so the state is the same without them)."""
    if not without:
        return _ROWS_OF, _SMALL_TABLES_AS_JSON
    reads = {
        name: sa.select(*(c for c in table.c if f"{name}.{c.name}" not in without))
        .where(table.c.negotiation_id == sa.bindparam("nid"))
        .order_by(table.c.id)
        for name, table in _SMALL_TABLES.items()
        if name not in without
    }
    return reads, _as_json(reads)


def _content(table: sa.Table, mapping: Any) -> dict[str, Any]:
    """A row's contents as its chain value and the state take them: a column added by a later
    migration (tables.LATER_COLUMNS) only when it holds a value, so rows written before it existed
    hash as they did."""
    later = LATER_COLUMNS.get(table.name, frozenset())
    return {
        c.name: mapping.get(c.name)
        for c in table.columns
        if c.name not in _NOT_CONTENT and not (c.name in later and mapping.get(c.name) is None)
    }


def _state_rows(name: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A small table's rows as the state takes them (later columns only when they hold a value)."""
    later = LATER_COLUMNS.get(name)
    if not later:
        return rows
    return [{k: v for k, v in row.items() if not (k in later and v is None)} for row in rows]


def _link(previous: str, table: sa.Table, mapping: Any) -> str:
    """The chain value of a row: SHA-256 over the previous row's chain and this row's contents."""
    return hashlib.sha256(previous.encode() + canonical(_content(table, mapping))).hexdigest()


@dataclass(frozen=True)
class NegotiationSummary:
    slug: str
    title: str
    revision: int
    drafts: int
    created_at: str


@dataclass(frozen=True)
class StanceRecord:
    """One recorded stance: stances are never overwritten, a later record supersedes an earlier one.

    ``withdrawn``: this record withdraws the party's stance on the point (``stance`` is the one
    withdrawn); ``supersedes`` names the row a correction replaces; ``reason`` why it was corrected
    or withdrawn."""

    id: int
    stance: Stance
    recorded_at: str
    recorded_by: str
    withdrawn: bool = False
    supersedes: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class AppliedProposal:
    """A proposal of an ingested report that was written into the record: the report (its text's
    SHA-256), the proposal's id, the kind and key of the entry it became, when and by whom."""

    report_sha256: str
    proposal: str
    kind: str
    entry: str
    applied_at: str
    applied_by: str


@dataclass(frozen=True)
class Circulation:
    draft: int
    party: str
    date: str | None
    recorded_at: str
    recorded_by: str


@dataclass(frozen=True)
class Stored:
    """A negotiation as stored: the model, its revision (for optimistic locking) and the record's extras."""

    negotiation: Negotiation
    revision: int
    amendments: dict[int, list[dict[str, Any]]]
    stance_history: tuple[StanceRecord, ...]
    circulations: tuple[Circulation, ...]


def _draft_row(draft: Draft) -> dict[str, Any]:
    return {
        "version": draft.version,
        "parent": draft.parent,
        "status": draft.status.value,
        "author": draft.author,
        "label": draft.label,
        "title": draft.title,
        "date": draft.date.isoformat() if draft.date else None,
        "note": draft.note,
        "choices": {
            point: c.option if c.option is not None else {"text": c.text}
            for point, c in draft.choices.items()
        },
        "sources": _list_or_none(draft.sources),
    }


def _list_or_none(values: Iterable[Any]) -> list[Any] | None:
    """A JSON list column of a later migration: null when empty (see tables.LATER_COLUMNS)."""
    found = list(values)
    return found or None


# Rows are built from the scenario format's document of each entry (accord.scenario.yaml_format), so
# the file and the database hold the same fields in the same words.


def _meeting_row(meeting: Meeting) -> dict[str, Any]:
    doc = meeting_document(meeting)
    return {
        "key": meeting.id,
        "date": doc.get("date"),
        "place": meeting.place,
        "status": meeting.status.value,
        "reason": meeting.reason,
        "outcome": meeting.outcome,
        "participants": list(meeting.participants),
        "papers": list(meeting.papers),
        "drafts": list(meeting.drafts),
        "start": doc.get("start"),
        "duration_minutes": round(meeting.duration.total_seconds() / 60) if meeting.duration else None,
        "channel": meeting.channel.value if meeting.channel else None,
        "date_approx": meeting.date_approx,
        "people": doc.get("people"),
        "leads": dict(meeting.leads) or None,
        "sources": _list_or_none(meeting.sources),
    }


def _meeting_change_row(meeting: str, change: MeetingChange) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "changes": {name: [before, after] for name, (before, after) in change.changes.items()},
        "reason": change.reason,
        "sources": _list_or_none(change.sources),
        "recorded_at": change.recorded_at,
        "recorded_by": change.recorded_by,
    }


def _paper_row(paper: Paper) -> dict[str, Any]:
    return {
        "key": paper.id,
        "title": paper.title,
        "recipients": list(paper.recipients),
        "draft_version": paper.draft,
        "date": paper.date.isoformat() if paper.date else None,
        "note": paper.note,
        "count": None if paper.count == 1 else (paper.count or 0),
        "text": paper.text,
        "file_name": paper.file.name if paper.file else None,
        "media_type": paper.file.media_type if paper.file else None,
        "sha256": paper.file.sha256 if paper.file else None,
        "size": paper.file.size if paper.file else None,
        "recipient_people": _list_or_none(paper.recipient_people),
        "meeting": paper.meeting,
        "related_drafts": _list_or_none(paper.related_drafts),
        "copy_id": paper.copy,
        "sources": _list_or_none(paper.sources),
    }


def _person_row(person: Person) -> dict[str, Any]:
    return {
        "key": person.id,
        "name": person.name,
        "party": person.party,
        "role": person.role,
        "lead": person.lead,
        "aliases": list(person.aliases),
        "note": person.note,
        "sources": _list_or_none(person.sources),
    }


def _source_row(source: Source) -> dict[str, Any]:
    return {
        "key": source.id,
        "outlet": source.outlet,
        "title": source.title,
        "url": source.url,
        "date": source.date.isoformat() if source.date else None,
        "quote": source.quote,
        "note": source.note,
        "sha256": source.sha256,
    }


def _statement_row(statement: Statement) -> dict[str, Any]:
    return {
        "key": statement.id,
        "person": statement.person,
        "date": statement.date.isoformat(),
        "quote": statement.quote,
        "summary": statement.summary,
        "channel": statement.channel.value,
        "points": list(statement.points),
        "stance": statement.stance.value if statement.stance else None,
        "draft_version": statement.draft,
        "note": statement.note,
        "sources": _list_or_none(statement.sources),
    }


def _event_row(event: Event) -> dict[str, Any]:
    return {
        "key": event.id,
        "kind": event.kind.value,
        "date": event.date.isoformat() if event.date else None,
        "date_approx": event.date_approx,
        "summary": event.summary,
        "draft_version": event.draft,
        "paper": event.paper,
        "surfaced": event.surfaced,
        "note": event.note,
        "sources": _list_or_none(event.sources),
    }


def _stance_row(stance: Stance, now: str, actor: str) -> dict[str, Any]:
    return {
        "draft_version": stance.draft,
        "party": stance.party,
        "point": stance.point,
        "stance": stance.stance.value,
        "note": stance.note,
        "recorded_at": now,
        "recorded_by": actor,
        "as_of": stance.as_of.isoformat() if stance.as_of else None,
        "evidence": stance.evidence,
        "sources": _list_or_none(stance.sources),
        "supersedes": None,
        "withdrawn": None,
        "reason": None,
    }


def _stance_document(r: Any) -> dict[str, Any]:
    return _drop_none(
        {
            "draft": r.draft_version,
            "party": r.party,
            "point": r.point,
            "stance": r.stance,
            "note": r.note,
            "as_of": r.as_of,
            "evidence": r.evidence,
            "sources": r.sources,
        }
    )


def _stance_of(r: Any) -> Stance:
    return Stance(
        r.draft_version,
        r.party,
        r.point,
        StanceKind(r.stance),
        r.note,
        dt.date.fromisoformat(r.as_of) if r.as_of else None,
        r.evidence,
        tuple(r.sources or ()),
    )


def _with_origin(points: list[dict[str, Any]], amendments: dict[int, list[dict[str, Any]]]) -> list[Any]:
    """The framework's points, each one added by an amendment marked with the draft that added it
    (records written before points carried ``added_in`` say it only in the amendment)."""
    added = {
        record.get("point"): version
        for version, records in amendments.items()
        for record in records
        if record.get("kind") == "add"
    }
    return [
        {**p, "added_in": added[p["id"]]}
        if isinstance(p, dict) and "added_in" not in p and p.get("id") in added
        else p
        for p in points
    ]


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v != []}


class Repository:
    """Reads and writes the record through one connection, inside the caller's transaction."""

    def __init__(
        self,
        connection: sa.Connection,
        loaded: Loaded[Stored] | None = None,
        folds: Loaded[StanceFold] | None = None,
        states: Loaded[Parts] | None = None,
        *,
        without: frozenset[str] = frozenset(),
    ) -> None:
        """``loaded``: negotiations loaded without their stances, ``folds``: their stance histories
        folded so far, and ``states``: the small tables of their state digests, all shared by this
        process's transactions (see accord.storage.loaded); None reads everything every time.
        ``without``: tables and columns the schema does not hold yet (a migration's data step,
        before later migrations ran: see tables.ADDED_BY); only the state digest is read then."""
        self.connection = connection
        self._state_reads = _state_reads(without)
        self.loaded = loaded
        self.folds = folds
        self.states = states
        self._wrote = False  # what is read after this transaction wrote is not shared: it may roll back
        self._touched = False  # this transaction changed more than stances (see touch)
        self._created: dict[int, str] = {}  # id -> created_at, within this transaction
        self._ids: dict[str, int] = {}  # slug -> id, within this transaction
        # what this transaction read or wrote last: the revision, and the chained tables' ends
        # (a write holds the write lock, so nobody else changes them meanwhile)
        self._revisions: dict[int, int] = {}
        self._chains: dict[tuple[str, int], dict[str, Any]] = {}

    # -- reading -----------------------------------------------------------

    def summaries(self) -> list[NegotiationSummary]:
        count = (
            sa.select(sa.func.count())
            .select_from(drafts)
            .where(drafts.c.negotiation_id == negotiations.c.id)
            .scalar_subquery()
        )
        rows = self.connection.execute(
            sa.select(
                negotiations.c.slug,
                negotiations.c.title,
                negotiations.c.revision,
                count.label("drafts"),
                negotiations.c.created_at,
            ).order_by(negotiations.c.slug)
        )
        return [NegotiationSummary(r.slug, r.title, r.revision, r.drafts, r.created_at) for r in rows]

    def exists(self, slug: str) -> bool:
        return self._id(slug) is not None

    def _id(self, slug: str) -> int | None:
        if slug in self._ids:
            return self._ids[slug]
        found = self.connection.execute(
            sa.select(negotiations.c.id).where(negotiations.c.slug == slug)
        ).scalar_one_or_none()
        if found is not None:
            self._ids[slug] = found
        return found

    def id_of(self, slug: str) -> int:
        found = self._id(slug)
        if found is None:
            known = [s.slug for s in self.summaries()]
            listing = ", ".join(known) if known else "none: import a scenario with `accord import FILE`"
            raise NotFoundError(f"no negotiation {slug!r} in the database (stored: {listing})")
        return found

    def default_slug(self) -> str:
        """The only negotiation stored; several need to be named."""
        known = [s.slug for s in self.summaries()]
        if len(known) == 1:
            return known[0]
        if not known:
            raise NotFoundError("the database holds no negotiation yet: import one with `accord import FILE`")
        raise NotFoundError(
            f"the database holds {len(known)} negotiations ({', '.join(known)}); name one with --negotiation"
        )

    def load(self, slug: str, *, stances: bool = True) -> Stored:
        """The stored negotiation; ``stances=False`` leaves the stances out (a write that does not need
        them reads less), and takes the negotiation from this process's ``loaded`` map when nothing but
        stances changed since it was loaded."""
        key = self.connection.execute(_ROW_BY_SLUG, {"slug": slug}).first()
        if key is None:
            self.id_of(slug)  # NotFoundError, naming the negotiations stored
        assert key is not None
        self._ids[slug] = key.id
        self._created[key.id] = key.created_at
        if stances or self.loaded is None:
            return self._load(key.id, stances=stances)
        cache_key = (key.id, key.created_at, key.revision_without_stances)
        found = self.loaded.get(cache_key)
        if found is None:
            found = self._load(key.id, stances=False)
            # kept only if no other write landed while it was read (a read-committed database may
            # show each statement a newer state; such writes always raise the counter), and never
            # after this transaction wrote: what it wrote may yet roll back
            now = self.connection.execute(_REVISION_WITHOUT_STANCES, {"nid": key.id}).scalar_one()
            if now == key.revision_without_stances and not self._wrote:
                self.loaded.put(cache_key, found)
        return replace(found, revision=key.revision)

    def _load(self, nid: int, *, stances: bool) -> Stored:
        with_stances = stances
        row = self.connection.execute(_NEGOTIATION_ROW, {"nid": nid}).one()
        doc = dict(row.framework)
        circulation_rows = [
            Circulation(r.draft_version, r.party, r.date, r.recorded_at, r.recorded_by)
            for r in self.connection.execute(
                sa.select(circulations)
                .where(circulations.c.negotiation_id == nid)
                .order_by(circulations.c.id)
            )
        ]
        amendments: dict[int, list[dict[str, Any]]] = {}
        doc_drafts = []
        for r in self.connection.execute(
            sa.select(drafts).where(drafts.c.negotiation_id == nid).order_by(drafts.c.version)
        ):
            received: list[str] = []
            for c in circulation_rows:
                if c.draft == r.version and c.party not in received:
                    received.append(c.party)
            entry = _drop_none(
                {
                    "version": r.version,
                    "parent": r.parent,
                    "label": r.label,
                    "title": r.title,
                    "date": r.date,
                    "author": r.author,
                    "status": r.status,
                    "note": r.note,
                    "circulated_to": received,
                    "sources": r.sources,
                }
            )
            entry["choices"] = r.choices
            doc_drafts.append(entry)
            amendments[r.version] = list(r.amendments)
        history = []
        current: dict[tuple[int, str, str], dict[str, Any]] = {}
        stance_rows = (
            self.connection.execute(
                sa.select(stances_table)
                .where(stances_table.c.negotiation_id == nid)
                .order_by(stances_table.c.id)
            )
            if with_stances
            else ()
        )
        for r in stance_rows:
            key = (r.draft_version, r.party, r.point)
            current.pop(key, None)  # the newest record goes last; a withdrawal leaves none
            if not r.withdrawn:
                current[key] = _stance_document(r)
            history.append(
                StanceRecord(
                    r.id,
                    _stance_of(r),
                    r.recorded_at,
                    r.recorded_by,
                    bool(r.withdrawn),
                    r.supersedes,
                    r.reason,
                )
            )
        doc.update(drafts=doc_drafts, stances=list(current.values()), **self._chronology(nid))
        doc["points"] = _with_origin(doc.get("points", []), amendments)
        negotiation = from_document(doc)
        return Stored(negotiation, row.revision, amendments, tuple(history), tuple(circulation_rows))

    def _rows(self, table: sa.Table, nid: int) -> list[Any]:
        return list(self.connection.execute(_ROWS_OF[table.name], {"nid": nid}))

    def _chronology(self, nid: int) -> dict[str, list[dict[str, Any]]]:
        """The record beyond drafts and stances, as scenario documents: meetings (with their history),
        papers, people, sources, statements, events (with their traces)."""
        history: dict[str, list[dict[str, Any]]] = {}
        for r in self._rows(meeting_changes, nid):
            history.setdefault(r.meeting, []).append(
                _drop_none(
                    {
                        "at": r.recorded_at,
                        "by": r.recorded_by,
                        "changes": {
                            name: {"from": pair[0], "to": pair[1]} for name, pair in r.changes.items()
                        },
                        "reason": r.reason,
                        "sources": r.sources,
                    }
                )
            )
        doc_meetings = []
        for r in self._rows(meetings, nid):
            minutes = r.duration_minutes
            doc_meetings.append(
                _drop_none(
                    {
                        "id": r.key,
                        "date": r.date,
                        "date_approx": r.date_approx,
                        "start": r.start,
                        "duration": format_duration(dt.timedelta(minutes=minutes))
                        if minutes is not None
                        else None,
                        "channel": r.channel,
                        "place": r.place,
                        "participants": r.participants,
                        "people": r.people,
                        "leads": r.leads or None,
                        "papers": r.papers,
                        "drafts": r.drafts,
                        "status": r.status,
                        "reason": r.reason,
                        "outcome": r.outcome,
                        "sources": r.sources,
                        "history": history.get(r.key),
                    }
                )
            )
        doc_papers = []
        for r in self._rows(papers, nid):
            file = (
                {"name": r.file_name, "media_type": r.media_type, "sha256": r.sha256, "size": r.size}
                if r.sha256 is not None
                else None
            )
            doc_papers.append(
                _drop_none(
                    {
                        "id": r.key,
                        "title": r.title,
                        "count": None if r.count is None else (r.count or "several"),
                        "text": r.text,
                        "file": file,
                        "recipients": r.recipients,
                        "recipient_people": r.recipient_people,
                        "meeting": r.meeting,
                        "draft": r.draft_version,
                        "related_drafts": r.related_drafts,
                        "copy": r.copy_id,
                        "date": r.date,
                        "note": r.note,
                        "sources": r.sources,
                    }
                )
            )
        doc_people = [
            _drop_none(
                {
                    "id": r.key,
                    "name": r.name,
                    "party": r.party,
                    "role": r.role,
                    "lead": r.lead or None,
                    "aliases": r.aliases,
                    "note": r.note,
                    "sources": r.sources,
                }
            )
            for r in self._rows(people, nid)
        ]
        doc_sources = [
            _drop_none(
                {
                    "id": r.key,
                    "outlet": r.outlet,
                    "title": r.title,
                    "url": r.url,
                    "date": r.date,
                    "quote": r.quote,
                    "note": r.note,
                    "sha256": r.sha256,
                }
            )
            for r in self._rows(sources, nid)
        ]
        doc_statements = [
            _drop_none(
                {
                    "id": r.key,
                    "by": r.person,
                    "date": r.date,
                    "quote": r.quote,
                    "summary": r.summary,
                    "channel": r.channel,
                    "points": r.points,
                    "stance": r.stance,
                    "draft": r.draft_version,
                    "note": r.note,
                    "sources": r.sources,
                }
            )
            for r in self._rows(statements, nid)
        ]
        traces: dict[str, list[dict[str, Any]]] = {}
        for r in self._rows(event_traces, nid):
            traces.setdefault(r.event, []).append(
                {"at": r.recorded_at, "by": r.recorded_by, "result": r.result}
            )
        doc_events = [
            _drop_none(
                {
                    "id": r.key,
                    "kind": r.kind,
                    "date": r.date,
                    "date_approx": r.date_approx,
                    "summary": r.summary,
                    "draft": r.draft_version,
                    "paper": r.paper,
                    "surfaced": r.surfaced,
                    "note": r.note,
                    "sources": r.sources,
                    "traces": traces.get(r.key),
                }
            )
            for r in self._rows(events, nid)
        ]
        return {
            "meetings": doc_meetings,
            "papers": doc_papers,
            "people": doc_people,
            "sources": doc_sources,
            "statements": doc_statements,
            "events": doc_events,
        }

    def current_stances(self, slug: str, version: int, *, party: str | None = None) -> list[Stance]:
        """The current stance (the newest record) of each party on each point of one draft, in the
        order they were recorded; ``party``: that party's only. Read from this process's fold of the
        stance history, brought up to date with the rows recorded since (see :meth:`fold`), so the
        cost does not grow with the history."""
        found = self.fold(self.id_of(slug))
        picked = [
            (row_id, stance)
            for (draft, who, _point), (row_id, stance) in found.current.items()
            if draft == version and (party is None or who == party)
        ]
        return [stance for _row, stance in sorted(picked, key=lambda pair: pair[0])]

    def fold(self, nid: int) -> StanceFold:
        """The negotiation's stance history folded up to its newest row: the process's fold, with the
        rows after it read and folded in (all of them the first time)."""
        created = self._created.get(nid)
        if created is None:
            created = self.connection.execute(_CREATED_AT, {"nid": nid}).scalar_one()
            self._created[nid] = created
        key = (nid, created, 0)
        known = self.folds.get(key) if self.folds is not None else None
        start = known or StanceFold(0, 0, GENESIS, {})
        rows = self.connection.execute(_STANCES_SINCE, {"nid": nid, "after": start.last_id})
        found = start.then((r.id, r.chain, _stance_of(r), bool(r.withdrawn)) for r in rows)
        if self.folds is not None and not self._wrote and found.last_id != start.last_id:
            self.folds.put(key, found)
        return found

    def state_digest(self, slug: str, *, recompute: bool = False) -> str:
        """SHA-256 over the negotiation's stored state (see :meth:`state`); ABSENT when there is none."""
        found = self.state(slug, recompute=recompute)
        return ABSENT if found is None else digest(found)

    def state(self, slug: str, *, recompute: bool = False) -> dict[str, Any] | None:
        """The negotiation's stored state, as its digest is taken over (None when there is none).

        The small tables (the negotiation row, drafts, meetings, papers, shares, seats, people,
        sources, statements, events, meeting changes, leak traces) enter whole, and a paper's file by
        its SHA-256 (``recompute`` hashes the stored bytes again). What migrations 0007 and 0008
        added enters only when it says something: a later column of an old table when it holds a
        value, a later table when it holds rows; so a record written before them digests as it did.
        Stances and circulations, which only ever grow, are chained row by row (each row stores
        SHA-256 of the previous row's chain and its own contents), so a write needs only the last
        chain value; ``recompute`` (what `audit verify` uses) rebuilds every chain from the rows'
        contents, so an edited, deleted, inserted or reordered row changes the digest.
        """
        nid = self._id(slug)
        if nid is None:
            return None
        row = self.connection.execute(_NEGOTIATION_AND_CHAINS, {"nid": nid}).one()
        state = Parts(negotiation=_negotiation_part(row))
        # the small tables and the files change only with revision_without_stances: kept per process
        # between two such writes (never what this transaction wrote, nor a recomputation)
        key = (nid, row.created_at, row.revision_without_stances)
        kept = None if recompute or self._touched or self._state_reads[0] is not _ROWS_OF else self.states
        small = kept.get(key) if kept is not None else None
        if small is None:
            small = self._small_tables(nid, recompute=recompute)
            # kept only if no write raised the counter while the tables were read (a read-committed
            # database may show each statement a newer state)
            if (
                kept is not None
                and row.revision_without_stances
                == self.connection.execute(_REVISION_WITHOUT_STANCES, {"nid": nid}).scalar_one()
            ):
                kept.put(key, small)
        state.update(small)
        for table in CHAINED:
            if recompute:
                state[table.name] = self._chain_state(table, nid, recompute=True)
            elif table is stances:
                folded = self.fold(nid)  # the count would read every row; the fold reads the new ones
                end = {"rows": folded.rows, "chain": folded.chain}
                self._chains[(table.name, nid)] = end
                state[table.name] = dict(end)
            else:
                fields = row._mapping
                end = {
                    "rows": fields[f"{table.name}_rows"],
                    "chain": fields[f"{table.name}_chain"] or GENESIS,
                }
                self._chains[(table.name, nid)] = end
                state[table.name] = dict(end)
        return state

    def _small_tables(self, nid: int, *, recompute: bool) -> Parts:
        """The state's small tables (each encoded) and the stored files' digests."""
        if self.connection.dialect.name == "postgresql":
            # one round trip for all the small tables: PostgreSQL hands each as a JSON array of its
            # rows (column names as keys, JSON columns as JSON), which parses to the same values
            rows_of, as_json = self._state_reads
            found = json.loads(self.connection.execute(as_json, {"nid": nid}).scalar_one())
            tables = {name: found[name] for name in rows_of}
        else:
            tables = {
                name: [dict(r._mapping) for r in self.connection.execute(statement, {"nid": nid})]
                for name, statement in self._state_reads[0].items()
            }
        small = Parts()
        for name, rows in tables.items():
            if rows or name not in LATER_TABLES:
                small[name] = Encoded.of(_state_rows(name, rows))
        files = self._file_digests(nid, recompute=recompute)
        if files:
            small[paper_files.name] = Encoded.of(files)
        return small

    def _file_digests(self, nid: int, *, recompute: bool) -> list[dict[str, str]]:
        """Each stored file by its paper and SHA-256: as recorded, or (``recompute``) of its bytes."""
        if not recompute:
            return [
                {"paper": r.paper, "sha256": r.sha256}
                for r in self.connection.execute(_PAPER_FILES, {"nid": nid})
            ]
        found = []
        for r in self.connection.execute(_PAPER_FILE_DATA, {"nid": nid}):
            of_bytes = hashlib.sha256(r.data).hexdigest()
            # the recorded digest is what a write's state reads: one that is not the bytes' was edited
            found.append(
                {"paper": r.paper, "sha256": of_bytes}
                if r.sha256 == of_bytes
                else {"paper": r.paper, "sha256": of_bytes, "recorded_sha256": r.sha256}
            )
        return found

    def digest_after_stances(self, slug: str, before: dict[str, Any]) -> str:
        """The state digest after stances were added to ``before`` (the state read earlier in this
        transaction, under the write lock): only the revision and the stance chain are read again."""
        nid = self.id_of(slug)
        revision = self._revisions.get(nid)
        if revision is None:
            revision = self.connection.execute(_REVISION, {"nid": nid}).scalar_one()
        after = Parts(before)
        after["negotiation"] = Parts(before["negotiation"], revision=revision)
        after[stances.name] = self._chains.get((stances.name, nid)) or self._chain_state(stances, nid, False)
        return digest(after)

    def _chain_state(self, table: sa.Table, nid: int, recompute: bool) -> dict[str, Any]:
        if not recompute:
            row = self.connection.execute(_CHAIN_STATE[table.name], {"nid": nid}).one()
            found = {"rows": row.rows, "chain": row.chain or GENESIS}
            self._chains[(table.name, nid)] = found
            return dict(found)
        chain = GENESIS
        count = 0
        stored_differs = None  # the first row whose stored chain value is not the one rebuilt
        for r in self.connection.execute(
            sa.select(table).where(table.c.negotiation_id == nid).order_by(table.c.id)
        ):
            chain = _link(chain, table, r._mapping)
            count += 1
            if stored_differs is None and r.chain != chain:
                stored_differs = r.id
        rebuilt: dict[str, Any] = {"rows": count, "chain": chain}
        if stored_differs is not None:  # a write chains on from the stored value: an edit of it shows
            rebuilt["stored_chain_differs_at_row"] = stored_differs
        return rebuilt

    def all_digests(self, *, recompute: bool = True) -> dict[str, str]:
        """Each negotiation's state digest; one whose stored record cannot be read (a value a hand edit
        left unreadable) gets a digest no entry has, so the log's check names that negotiation."""
        digests = {}
        for s in self.summaries():
            try:
                digests[s.slug] = self.state_digest(s.slug, recompute=recompute)
            except StorageError as unreadable:
                digests[s.slug] = f"unreadable: {unreadable}"
        return digests

    def _last_chain(self, table: sa.Table, nid: int) -> str:
        known = self._chains.get((table.name, nid))
        if known is not None:
            return str(known["chain"])
        last = self.connection.execute(_LAST_CHAIN[table.name], {"nid": nid}).scalar_one_or_none()
        return last or GENESIS

    def _touch(self, nid: int) -> None:
        """Every write other than a stance's calls this: loaded copies of the negotiation are stale."""
        self.touch(nid)

    def touch(self, nid: int) -> None:
        """Say that this transaction changed negotiation ``nid`` other than by adding stances (its
        framework, a draft, a meeting, a seat, a fingerprinted copy...): every write of a table the
        state digest reads must call it (or _touch), since what each process keeps of the negotiation
        and of its state is keyed on the counter this raises."""
        self._wrote = True
        self._touched = True
        self.connection.execute(_TOUCH, {"nid": nid})

    # -- writing -------------------------------------------------------------

    def claim(self, slug: str, expected_revision: int | None) -> int:
        """Raise the negotiation's revision by one; refuse if it is not the revision the caller read.

        The UPDATE's WHERE clause makes the check and the increment one atomic step.
        """
        self._wrote = True
        nid = self.id_of(slug)
        if expected_revision is None:
            raised = self.connection.execute(_RAISE_REVISION, {"nid": nid}).scalar_one()
        else:
            raised = self.connection.execute(
                _RAISE_REVISION_FROM, {"nid": nid, "read": expected_revision}
            ).scalar_one_or_none()
            if raised is None:
                current = self.connection.execute(_REVISION, {"nid": nid}).scalar_one()
                raise StaleWriteError(
                    f"negotiation {slug!r} changed since it was read (read at revision {expected_revision}, "
                    f"now {current}); nothing was written: reload it and make the change again"
                )
        self._revisions[nid] = raised
        return int(raised)

    def add(self, negotiation: Negotiation, *, slug: str, now: str, actor: str) -> None:
        self._wrote = True
        self._touched = True  # a new negotiation: nothing of it is kept until it is committed
        document = to_document(negotiation)
        framework = {k: v for k, v in document.items() if k not in RECORD_KEYS}
        nid = self.connection.execute(
            sa.insert(negotiations)
            .values(slug=slug, title=negotiation.title, revision=1, framework=framework, created_at=now)
            .returning(negotiations.c.id)
        ).scalar_one()
        for draft in negotiation.drafts:
            self.connection.execute(
                sa.insert(drafts).values(
                    negotiation_id=nid, amendments=[], created_at=now, **_draft_row(draft)
                )
            )
            for party in draft.circulated_to:
                self.add_circulation(slug, draft.version, party, None, now, actor)
        self.add_stances(slug, negotiation.stances, now=now, actor=actor)
        for source in negotiation.sources:
            self.add_source(slug, source)
        for person in negotiation.people:
            self.add_person(slug, person)
        for meeting in negotiation.meetings:
            self.add_meeting(slug, meeting)
        for paper in negotiation.papers:
            self.add_paper(slug, paper)
        for statement in negotiation.statements:
            self.add_statement(slug, statement)
        for event in negotiation.events:
            self.add_event(slug, event)

    def set_framework(self, slug: str, negotiation: Negotiation) -> None:
        document = to_document(negotiation)
        framework = {k: v for k, v in document.items() if k not in RECORD_KEYS}
        nid = self.id_of(slug)
        self.connection.execute(
            sa.update(negotiations).where(negotiations.c.id == nid).values(framework=framework)
        )
        self._touch(nid)

    def add_draft(self, slug: str, draft: Draft, amendments: list[dict[str, Any]], now: str) -> None:
        nid = self.id_of(slug)
        self.connection.execute(
            sa.insert(drafts).values(
                negotiation_id=nid, amendments=amendments, created_at=now, **_draft_row(draft)
            )
        )
        self._touch(nid)

    def set_draft_status(self, slug: str, version: int, status: str) -> None:
        nid = self.id_of(slug)
        self.connection.execute(
            sa.update(drafts)
            .where(drafts.c.negotiation_id == nid, drafts.c.version == version)
            .values(status=status)
        )
        self._touch(nid)

    def add_circulation(
        self, slug: str, version: int, party: str, date: str | None, now: str, actor: str
    ) -> None:
        nid = self.id_of(slug)
        self._touch(nid)
        self._append(
            circulations,
            nid,
            [
                {
                    "draft_version": version,
                    "party": party,
                    "date": date,
                    "recorded_at": now,
                    "recorded_by": actor,
                }
            ],
        )

    def _append(self, table: sa.Table, nid: int, rows: list[dict[str, Any]]) -> None:
        """Insert rows at the end of a chained table, each with its chain value."""
        self._wrote = True
        chain = self._last_chain(table, nid)
        values = []
        for row in rows:
            chain = _link(chain, table, row)
            values.append({**row, "negotiation_id": nid, "chain": chain})
        if values:
            self.connection.execute(sa.insert(table), values)
            known = self._chains.get((table.name, nid))
            if known is not None:
                self._chains[(table.name, nid)] = {"rows": known["rows"] + len(values), "chain": chain}

    def add_stances(
        self,
        slug: str,
        new: Iterable[Stance],
        *,
        now: str,
        actor: str,
        reason: str | None = None,
        supersedes: dict[tuple[int, str, str], int] | None = None,
    ) -> None:
        """Append stances; ``reason`` and ``supersedes`` (the row each one corrects, by (draft,
        party, point)) mark corrections."""
        rows = []
        for stance in new:
            row = _stance_row(stance, now, actor)
            row["reason"] = reason
            if supersedes:
                row["supersedes"] = supersedes.get((stance.draft, stance.party, stance.point))
            rows.append(row)
        self._append(stances, self.id_of(slug), rows)

    def withdraw_stances(
        self, slug: str, withdrawn: Iterable[StanceRecord], *, reason: str, now: str, actor: str
    ) -> None:
        """Append a withdrawal of each of these current stances: the party holds none on the point
        from now on (the withdrawn stance stays in the history)."""
        rows = []
        for record in withdrawn:
            row = _stance_row(record.stance, now, actor)
            row.update(withdrawn=True, reason=reason, supersedes=record.id)
            rows.append(row)
        self._append(stances, self.id_of(slug), rows)

    def add_meeting(self, slug: str, meeting: Meeting) -> None:
        """A meeting as first recorded (an imported one with its history of changes)."""
        nid = self.id_of(slug)
        self.connection.execute(sa.insert(meetings).values(negotiation_id=nid, **_meeting_row(meeting)))
        for change in meeting.history:
            self.connection.execute(
                sa.insert(meeting_changes).values(
                    negotiation_id=nid, **_meeting_change_row(meeting.id, change)
                )
            )
        self._touch(nid)

    def update_meeting(self, slug: str, meeting: Meeting, change: MeetingChange) -> None:
        """The meeting's new state, and the change (each field before and after) appended to its
        history: the row holds the current state, the history everything it held before."""
        nid = self.id_of(slug)
        row = _meeting_row(meeting)
        updated = self.connection.execute(
            sa.update(meetings)
            .where(meetings.c.negotiation_id == nid, meetings.c.key == meeting.id)
            .values(**row)
        )
        if updated.rowcount != 1:
            raise NotFoundError(f"negotiation {slug!r} has no meeting {meeting.id!r}")
        self.connection.execute(
            sa.insert(meeting_changes).values(negotiation_id=nid, **_meeting_change_row(meeting.id, change))
        )
        self._touch(nid)

    def add_paper(self, slug: str, paper: Paper) -> None:
        """A paper; a file's bytes (``paper.file.data``) go to paper_files."""
        nid = self.id_of(slug)
        self.connection.execute(sa.insert(papers).values(negotiation_id=nid, **_paper_row(paper)))
        if paper.file is not None and paper.file.data is not None:
            self.connection.execute(
                sa.insert(paper_files).values(
                    negotiation_id=nid, paper=paper.id, sha256=paper.file.sha256, data=paper.file.data
                )
            )
        self._touch(nid)

    def paper_file(self, slug: str, paper: str) -> bytes | None:
        """The stored bytes of a paper's file (None: the paper has no stored file)."""
        found = self.connection.execute(
            sa.select(paper_files.c.data).where(
                paper_files.c.negotiation_id == self.id_of(slug), paper_files.c.paper == paper
            )
        ).scalar_one_or_none()
        return bytes(found) if found is not None else None

    def file_data(self, slug: str) -> dict[str, bytes]:
        """Every stored file's bytes, by paper key (what an export writes into the scenario file)."""
        rows = self.connection.execute(_PAPER_FILE_DATA, {"nid": self.id_of(slug)})
        return {r.paper: bytes(r.data) for r in rows}

    def add_person(self, slug: str, person: Person) -> None:
        nid = self.id_of(slug)
        self.connection.execute(sa.insert(people).values(negotiation_id=nid, **_person_row(person)))
        self._touch(nid)

    def update_person(self, slug: str, person: Person) -> None:
        """A person's new details (the audit entry of the write keeps what changed)."""
        nid = self.id_of(slug)
        updated = self.connection.execute(
            sa.update(people)
            .where(people.c.negotiation_id == nid, people.c.key == person.id)
            .values(**_person_row(person))
        )
        if updated.rowcount != 1:
            raise NotFoundError(f"negotiation {slug!r} has no person {person.id!r}")
        self._touch(nid)

    def add_source(self, slug: str, source: Source) -> None:
        nid = self.id_of(slug)
        self.connection.execute(sa.insert(sources).values(negotiation_id=nid, **_source_row(source)))
        self._touch(nid)

    def applied_proposals(self, slug: str, report_sha256: str) -> list[AppliedProposal]:
        """The proposals of the report with this SHA-256 applied to the negotiation so far, oldest first."""
        rows = self.connection.execute(
            sa.select(applied_proposals)
            .where(
                applied_proposals.c.negotiation_id == self.id_of(slug),
                applied_proposals.c.report_sha256 == report_sha256,
            )
            .order_by(applied_proposals.c.id)
        )
        return [
            AppliedProposal(r.report_sha256, r.proposal, r.kind, r.entry, r.applied_at, r.applied_by)
            for r in rows
        ]

    def add_applied_proposals(self, slug: str, applied: Iterable[AppliedProposal]) -> None:
        """Record proposals of an ingested report as applied (append-only)."""
        nid = self.id_of(slug)
        rows = [
            {
                "negotiation_id": nid,
                "report_sha256": a.report_sha256,
                "proposal": a.proposal,
                "kind": a.kind,
                "entry": a.entry,
                "applied_at": a.applied_at,
                "applied_by": a.applied_by,
            }
            for a in applied
        ]
        if rows:
            self.connection.execute(sa.insert(applied_proposals), rows)
            self._touch(nid)

    def add_statement(self, slug: str, statement: Statement) -> None:
        nid = self.id_of(slug)
        self.connection.execute(sa.insert(statements).values(negotiation_id=nid, **_statement_row(statement)))
        self._touch(nid)

    def add_event(self, slug: str, event: Event) -> None:
        """An event, with the traces attached to it (an imported one's)."""
        nid = self.id_of(slug)
        self.connection.execute(sa.insert(events).values(negotiation_id=nid, **_event_row(event)))
        for trace in event.traces:
            self.add_event_trace(slug, event.id, trace)
        self._touch(nid)

    def add_event_trace(self, slug: str, event: str, trace: TraceRecord) -> None:
        """Attach an `accord trace` result to an event (append-only)."""
        nid = self.id_of(slug)
        self.connection.execute(
            sa.insert(event_traces).values(
                negotiation_id=nid,
                event=event,
                result=dict(trace.result),
                recorded_at=trace.recorded_at,
                recorded_by=trace.recorded_by,
            )
        )
        self._touch(nid)

    def cite(self, slug: str, kind: str, key: str | int, cited: Iterable[str]) -> None:
        """Set the sources an entry cites (``kind``: meeting, paper, statement, event, draft, person;
        ``key``: its key, a draft's version); the caller checks the sources exist and audits the write.
        Stances cite sources on their own rows (Stance.sources)."""
        table = CITING[kind]
        nid = self.id_of(slug)
        where = table.c.version == int(key) if kind == "draft" else table.c.key == str(key)
        updated = self.connection.execute(
            sa.update(table).where(table.c.negotiation_id == nid, where).values(sources=_list_or_none(cited))
        )
        if updated.rowcount != 1:
            raise NotFoundError(f"negotiation {slug!r} has no {kind} {key!r}")
        self._touch(nid)
