"""`accord event ...`: what happened in the talks (a leak, an announcement, a postponement), with the
leak traces attached to it (`accord trace FILE --attach-to EVENT`)."""

from __future__ import annotations

import typer
from rich.table import Table

from accord.cli import source_options as so
from accord.cli.options import ACTOR, DB, EXPECT_REVISION, JSON, NEGOTIATION, actor_name
from accord.cli.output import console, print_json, reports_errors
from accord.cli.tables import print_table
from accord.domain import Event, EventKind, Negotiation
from accord.errors import DomainError

app = typer.Typer(
    help="Events: leaks, announcements, postponements (the mediator's), with leak traces attached.",
    no_args_is_help=True,
)


def _kind(value: str) -> EventKind:
    try:
        return EventKind(value.strip().lower())
    except ValueError:
        allowed = ", ".join(k.value for k in EventKind)
        raise DomainError(f"--kind: {value!r} is not one of: {allowed}") from None


@app.command("add")
@reports_errors
def add(
    kind: str = typer.Option(..., "--kind", help="leak, announcement, postponement or other."),
    summary: str = typer.Option(..., "--summary", help="What happened (what leaked)."),
    date: str | None = typer.Option(None, "--date", help="When, YYYY-MM-DD."),
    date_approx: str | None = typer.Option(
        None, "--date-approx", help="What is known of the date when it is uncertain: 'mid-November'."
    ),
    draft: int | None = typer.Option(None, "--draft", help="The draft version it concerns (what leaked)."),
    paper: str | None = typer.Option(None, "--paper", help="The paper it concerns, by id (what leaked)."),
    surfaced: str | None = typer.Option(
        None, "--surfaced", help="Where a leak surfaced (an outlet, a channel)."
    ),
    note: str | None = typer.Option(None, "--note", help="A note of the mediator's."),
    key: str | None = typer.Option(
        None, "--id", help="The event's id (default: its kind and date, e.g. leak-2025-11-19)."
    ),
    source: list[str] = so.SOURCE,
    source_outlet: str | None = so.OUTLET,
    source_title: str | None = so.TITLE,
    source_url: str | None = so.URL,
    source_date: str | None = so.DATE,
    source_quote: str | None = so.QUOTE,
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    actor: str | None = ACTOR,
    expect_revision: int | None = EXPECT_REVISION,
) -> None:
    """Record an event: a leak (what leaked, when, where it surfaced), an announcement, a
    postponement; on a date or an approximate one; with its sources."""
    from accord.services import events
    from accord.storage.database import open_database

    event = events.add_event(
        open_database(db),
        negotiation,
        kind=_kind(kind),
        summary=summary,
        date=so.parse_day(date, "--date") if date is not None else None,
        date_approx=date_approx,
        draft=draft,
        paper=paper,
        surfaced=surfaced,
        note=note,
        key=key,
        citation=so.citation(source, source_outlet, source_title, source_url, source_date, source_quote),
        actor=actor_name(actor),
        expected_revision=expect_revision,
    )
    console.print(f"event {event.id}: {event.kind.value} ({events.when(event)})", markup=False)


@app.command("list")
@reports_errors
def list_(
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    as_json: bool = JSON,
    actor: str | None = ACTOR,
) -> None:
    """Every event, by date (undated ones last)."""
    from accord.services import events
    from accord.storage.database import open_database

    found = events.list_events(open_database(db), negotiation, actor_name(actor))
    if as_json:
        print_json([events.describe(e) for e in found])
        return
    if not found:
        console.print("no events recorded: add one with `accord event add`")
        return
    seen = _record(db, negotiation)
    table = Table(title="Events")
    for column in ("id", "when", "kind", "summary", "concerns", "surfaced", "traces"):
        table.add_column(column)
    for e in found:
        concerns = "; ".join(_concerns(seen, e))
        table.add_row(
            e.id,
            events.when(e),
            e.kind.value,
            e.summary,
            concerns,
            e.surfaced or "",
            str(len(e.traces) or ""),
        )
    print_table(table)


@app.command("show")
@reports_errors
def show(
    key: str = typer.Argument(..., help="The event's id (see `accord event list`)."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    as_json: bool = JSON,
    actor: str | None = ACTOR,
) -> None:
    """One event: what happened and when, what it concerns, its sources, and every trace attached."""
    from accord.services import events
    from accord.storage.database import open_database

    event = events.get_event(open_database(db), negotiation, actor_name(actor), key)
    if as_json:
        print_json(events.describe(event))
        return
    from accord.reports.stance_words import sources_words
    from accord.services.leak_tracing import recipient_words

    seen = _record(db, negotiation)
    lines = [f"event {event.id}: {event.kind.value}, {events.when(event)}", f"  summary: {event.summary}"]
    for label, value in (
        ("concerns", "; ".join(_concerns(seen, event))),
        ("surfaced", event.surfaced),
        ("note", event.note),
        ("sources", sources_words(seen, event.sources)),
    ):
        if value:
            lines.append(f"  {label}: {value}")
    if event.traces:
        lines.append("  traces:")
    for trace in event.traces:
        result = trace.result
        named = result.get("named")
        verdict = f"source {recipient_words(seen, str(named))}" if named else "no confident match"
        suspects = ", ".join(
            f"{recipient_words(seen, str(s.get('recipient')))} ({s.get('agree')}/{s.get('observed')})"
            for s in result.get("suspects", [])
        )
        lines.append(
            f"    {trace.recorded_at[:16].replace('T', ' ')} by {trace.recorded_by}: "
            f"{_draft(seen, result.get('version'))}, {result.get('sites_observed')} sites read, {verdict}"
            + (f"; suspects: {suspects}" if suspects else "")
        )
    console.print("\n".join(lines), markup=False)


def _record(db: str | None, negotiation: str | None) -> Negotiation:
    """The negotiation, for the names of what an event concerns (its draft, paper, sources, recipients)."""
    from accord.services.drafts import load
    from accord.storage.database import open_database

    return load(open_database(db), negotiation, stances=False).negotiation


def _draft(negotiation: Negotiation, version: object) -> str:
    """A draft as the briefing names it ("draft D"); a version the record lacks as a version."""
    from accord.reports.brief_words import draft_name

    found = next((d for d in negotiation.drafts if d.version == version), None)
    return draft_name(found) if found else f"draft v{version}"


def _concerns(negotiation: Negotiation, event: Event) -> list[str]:
    """What an event concerns, by name: "draft A", "paper “US draft framework (28 points)”"."""
    said = [_draft(negotiation, event.draft)] if event.draft else []
    if event.paper:
        paper = next((p for p in negotiation.papers if p.id == event.paper), None)
        said.append(f"paper “{paper.label}”" if paper else f"paper {event.paper}")
    return said


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="event")
