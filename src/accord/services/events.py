"""Use cases on events of the talks: a leak (what leaked, when, where it surfaced), an announcement,
a postponement; and the `accord trace` results attached to a leak, stored and audited.

Events are the mediator's: the policy (accord.security.policy.visible) shows them to no other seat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from accord.domain import Negotiation
from accord.domain.statements import Event, EventKind, TraceRecord
from accord.errors import DomainError, NotFoundError
from accord.scenario.yaml_format import event_document
from accord.security.policy import Action, Viewer, command_line, require, visible
from accord.services.record_keys import checked_key, new_key
from accord.services.sources import NO_CITATION, Citation, check_citation, cite
from accord.services.text_limits import check_texts
from accord.storage.database import Database
from accord.storage.unit_of_work import Writing, reading, writing


def add_event(
    database: Database,
    slug: str | None,
    *,
    actor: str,
    kind: EventKind,
    summary: str,
    date: dt.date | None = None,
    date_approx: str | None = None,
    draft: int | None = None,
    paper: str | None = None,
    surfaced: str | None = None,
    note: str | None = None,
    citation: Citation = NO_CITATION,
    key: str | None = None,
    expected_revision: int | None = None,
) -> Event:
    """Record an event, on a date or an approximate one ("early November"), with what it concerns (a
    draft, a paper), where it surfaced, and its sources: one audited write."""
    with writing(database, actor) as uow:
        return add_event_in(
            uow,
            slug or uow.repository.default_slug(),  # a database that is none: said first
            kind=kind,
            summary=summary,
            date=date,
            date_approx=date_approx,
            draft=draft,
            paper=paper,
            surfaced=surfaced,
            note=note,
            citation=citation,
            key=key,
            expected_revision=expected_revision,
        )


def add_event_in(
    uow: Writing,
    name: str,
    *,
    kind: EventKind,
    summary: str,
    date: dt.date | None = None,
    date_approx: str | None = None,
    draft: int | None = None,
    paper: str | None = None,
    surfaced: str | None = None,
    note: str | None = None,
    citation: Citation = NO_CITATION,
    key: str | None = None,
    expected_revision: int | None = None,
) -> Event:
    """:func:`add_event` inside an open unit of work (a batch of writes in one transaction, such as
    `accord ingest apply`): checked, written and audited the same way."""
    date_approx = date_approx.strip() or None if date_approx else None
    if not summary.strip():
        raise DomainError("--summary: an event needs a summary of what happened")
    if date is None and date_approx is None:
        raise DomainError("--date: an event needs its date (or --date-approx: what is known of it)")
    negotiation = uow.repository.load(name, stances=False).negotiation
    if draft is not None:
        try:
            negotiation.draft(draft)
        except NotFoundError as error:
            raise NotFoundError(f"--draft: {error}") from None
    if paper is not None:
        try:
            negotiation.paper(paper)
        except NotFoundError as error:
            raise NotFoundError(f"--paper: {error}") from None
    check_citation(negotiation, citation)
    taken = {e.id for e in negotiation.events}
    if key is not None:
        checked_key(key, "event", taken)
    before = uow.repository.state_digest(name)
    uow.repository.claim(name, expected_revision)
    event = Event(
        id=key or new_key("event", taken, kind.value, date=date),
        kind=kind,
        date=date,
        summary=summary.strip(),
        draft=draft,
        paper=paper,
        surfaced=surfaced.strip() or None if surfaced else None,
        date_approx=date_approx,
        note=note.strip() or None if note else None,
        sources=cite(uow, name, negotiation, citation),
    )
    uow.repository.add_event(name, event)
    uow.record(
        "event.add",
        name,
        f"event {event.id}: {kind.value} ({when(event)})",
        before,
        {
            "event": event.id,
            "kind": kind.value,
            "draft": draft,
            "paper": paper,
            "sources": list(event.sources),
        },
    )
    return event


def when(event: Event) -> str:
    """The event's date, or what is known of it."""
    if event.date is not None:
        return event.date.isoformat() + (f" ({event.date_approx})" if event.date_approx else "")
    return event.date_approx or "date unknown"


Reader = Viewer | str
"""Who reads: the workbench's viewer, or the user running the command line (the local operator)."""


def _seen(database: Database, slug: str | None, reader: Reader) -> Negotiation:
    with reading(database) as uow:
        name = slug or uow.repository.default_slug()
        viewer = command_line(reader, name) if isinstance(reader, str) else reader
        require(viewer, Action.SEE_EVENTS, name)  # the mediator's: a party's seat is refused outright
        negotiation = uow.repository.load(name, stances=False).negotiation
    return visible(viewer, name, negotiation)


def list_events(database: Database, slug: str | None, reader: Reader) -> tuple[Event, ...]:
    """The events the reader may see (the mediator: all; any other seat: none), by date; undated
    ones last."""
    seen = _seen(database, slug, reader)
    return tuple(sorted(seen.events, key=lambda e: (e.date is None, e.date or dt.date.min, e.id)))


def get_event(database: Database, slug: str | None, reader: Reader, key: str) -> Event:
    try:
        return _seen(database, slug, reader).event(key)
    except NotFoundError as error:
        raise NotFoundError(f"event: {error}") from None


def _leak(negotiation: Negotiation, key: str) -> Event:
    try:
        event = negotiation.event(key)
    except NotFoundError as error:
        raise NotFoundError(f"--attach-to: {error}") from None
    if event.kind is not EventKind.LEAK:
        raise DomainError(f"--attach-to: event {key} is {event.kind.value}, not a leak; traces go on leaks")
    return event


def check_leak(database: Database, slug: str | None, key: str) -> None:
    """Refuse, before a trace runs, an event that does not exist or is not a leak."""
    with reading(database) as uow:
        negotiation = uow.repository.load(slug or uow.repository.default_slug(), stances=False).negotiation
    _leak(negotiation, key)


def attach_trace(
    database: Database, slug: str | None, key: str, result: Mapping[str, Any], *, actor: str
) -> TraceRecord:
    """Store a trace's result (its JSON, as `accord trace --json` prints it) on a leak event: one
    audited write; the event keeps every trace attached, oldest first. Where the event names the draft
    that leaked and the text traced is of another, the trace is kept all the same (it is evidence), with
    a ``warning`` saying so, which the record keeps and the caller shows."""
    with writing(database, actor) as uow:
        name = slug or uow.repository.default_slug()
        negotiation = uow.repository.load(name, stances=False).negotiation
        event = _leak(negotiation, key)
        warning = draft_mismatch(event, result.get("version"))
        record = TraceRecord(uow.now, actor, {**result, **({"warning": warning} if warning else {})})
        before = uow.repository.state_digest(name)
        uow.repository.claim(name, None)
        uow.repository.add_event_trace(name, event.id, record)
        named = result.get("named")
        uow.record(
            "event.trace",
            name,
            f"trace attached to event {event.id}: "
            + (f"source {named}" if named else "no confident match")
            + f" (draft v{result.get('version')})"
            + (f"; {warning}" if warning else ""),
            before,
            {"event": event.id, "version": result.get("version"), "named": named},
        )
    return record


def draft_mismatch(event: Event, version: object) -> str | None:
    """What to say where a leak event names the draft that leaked and a trace found the text to be of
    another (None where they agree, or either is not known)."""
    if event.draft is None or not isinstance(version, int) or version == event.draft:
        return None
    return (
        f"the leak {event.id} is recorded as of draft v{event.draft}, but the text traced is of v{version}: "
        f"check which draft leaked (`accord event show {event.id}`)"
    )


def describe(event: Event) -> dict[str, Any]:
    """An event as JSON: as the scenario file writes it, with ``when`` and every trace attached."""
    found = event_document(event)
    found.pop("traces", None)
    return {
        **found,
        "date": event.date.isoformat() if event.date else None,
        "when": when(event),
        "traces": [
            {"recorded_at": t.recorded_at, "recorded_by": t.recorded_by, "result": dict(t.result)}
            for t in event.traces
        ],
    }


def record_event(
    database: Database,
    viewer: Viewer,
    slug: str,
    *,
    kind: EventKind,
    summary: str,
    date: dt.date | None = None,
    date_approx: str | None = None,
    draft: int | None = None,
    paper: str | None = None,
    surfaced: str | None = None,
    note: str | None = None,
    citation: Citation = NO_CITATION,
) -> Event:
    """:func:`add_event` for the mediator's seat in the workbench (no other seat records events)."""
    require(viewer, Action.RECORD_EVENT, slug)
    check_texts(
        [
            ("summary", summary, "note"),
            ("date_approx", date_approx, "name"),
            ("paper", paper, "name"),
            ("surfaced", surfaced, "title"),
            ("note", note, "note"),
            ("source outlet", citation.outlet, "name"),
            ("source title", citation.title, "title"),
            ("source url", citation.url, "title"),
            ("source quote", citation.quote, "note"),
        ]
    )
    assert viewer.username is not None  # require() lets nobody anonymous through
    return add_event(
        database,
        slug,
        actor=viewer.username,
        kind=kind,
        summary=summary,
        date=date,
        date_approx=date_approx,
        draft=draft,
        paper=paper,
        surfaced=surfaced,
        note=note,
        citation=citation,
    )
