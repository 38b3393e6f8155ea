"""`accord meeting ...`: meetings as they happened (or are planned), their changes, and the papers
handed over at them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import typer
from rich.table import Table

from accord.cli import source_options as so
from accord.cli.options import ACTOR, DB, EXPECT_REVISION, JSON, NEGOTIATION, actor_name
from accord.cli.output import console, print_json, reports_errors
from accord.cli.tables import print_table
from accord.domain import Meeting, MeetingChannel, MeetingStatus, Negotiation
from accord.errors import DomainError

app = typer.Typer(help="Meetings and the papers handed over at them.", no_args_is_help=True)

START = typer.Option(None, "--start", help='When it began: "YYYY-MM-DD HH:MM" (its day is the date).')
DURATION = typer.Option(None, "--duration", help="How long it lasted: 3h, 2h30m, 90m.")
END = typer.Option(None, "--end", help='When it ended: "YYYY-MM-DD HH:MM" (instead of --duration).')
CHANNEL = typer.Option(None, "--channel", help="in-person, call or video.")
WITH_PERSON = typer.Option([], "--with-person", help="A person present: id, name or alias (repeat).")
PERSON_NOTE = typer.Option(
    [], "--person-note", help='How a person took part: "NAME=joined for the second half" (repeat).'
)
LEAD = typer.Option([], "--lead", help="A person who led their side (repeat, one per side).")
DATE_APPROX = typer.Option(None, "--date-approx", help="An uncertain date in words: 'in the coming days'.")


def _parse(
    date: str | None,
    start: str | None,
    duration: str | None,
    end: str | None,
    channel: str | None,
) -> tuple[
    dt.date | None, dt.datetime | None, dt.timedelta | None, dt.datetime | None, MeetingChannel | None
]:
    """The options of time and channel, each checked: a one-line error naming the option."""
    from accord.domain.record import parse_duration

    length = None
    if duration is not None:
        try:
            length = parse_duration(duration)
        except ValueError as error:
            raise DomainError(f"--duration: {error}") from None
    how = None
    if channel is not None:
        try:
            how = MeetingChannel(channel.strip().lower())
        except ValueError:
            raise DomainError(
                f"--channel: {channel!r} is not a channel; expected in-person, call or video"
            ) from None
    return (
        so.parse_day(date, "--date") if date is not None else None,
        so.parse_moment(start, "--start") if start is not None else None,
        length,
        so.parse_moment(end, "--end") if end is not None else None,
        how,
    )


def _attending(people: list[str], notes: list[str], leads: list[str]) -> Any:
    from accord.services.meetings import Attending

    noted = {}
    for entry in notes:
        name, found, note = entry.partition("=")
        if not found or not name.strip():
            raise DomainError(f'--person-note: expected "NAME=how they took part", got {entry!r}')
        noted[name.strip()] = note.strip()
    return Attending(people=people, notes=noted, leads=leads)


def _status(value: str | None) -> MeetingStatus | None:
    if value is None:
        return None
    try:
        return MeetingStatus(value.strip().lower())
    except ValueError:
        allowed = ", ".join(s.value for s in MeetingStatus)
        raise DomainError(f"--status: {value!r} is not a status; expected one of: {allowed}") from None


@app.command("add")
@reports_errors
def add(
    date: str | None = typer.Option(None, "--date", help="YYYY-MM-DD (a planned meeting may have none)."),
    place: str | None = typer.Option(
        None, "--place", help="Where (a planned meeting, a call: may be left out)."
    ),
    participants: list[str] = typer.Option([], "--with", help="A participating party (repeat)."),
    status: str = typer.Option("held", "--status", help="held, planned, postponed or cancelled."),
    reason: str | None = typer.Option(
        None, "--reason", help="Why it was postponed or cancelled (required then)."
    ),
    outcome: str | None = typer.Option(None, "--outcome"),
    draft: list[int] = typer.Option([], "--draft", help="A draft version discussed (repeat)."),
    paper: list[str] = typer.Option(
        [], "--paper", help="The title of a paper handed to the participants (repeat)."
    ),
    key: str | None = typer.Option(
        None, "--id", help="The meeting's id (default: its place and date, e.g. geneva-2025-11-23)."
    ),
    start: str | None = START,
    duration: str | None = DURATION,
    end: str | None = END,
    channel: str | None = CHANNEL,
    with_person: list[str] = WITH_PERSON,
    person_note: list[str] = PERSON_NOTE,
    lead: list[str] = LEAD,
    date_approx: str | None = DATE_APPROX,
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
    """Record a meeting: held (when, how long, where, who took part and led), or planned with an
    uncertain date and no place yet, postponed or cancelled; with its sources."""
    from accord.services import meetings
    from accord.storage.database import open_database

    day, began, length, ended, how = _parse(date, start, duration, end, channel)
    meeting = meetings.add_meeting(
        open_database(db),
        negotiation,
        date=day,
        place=place,
        participants=participants,
        status=_status(status) or MeetingStatus.HELD,
        reason=reason,
        outcome=outcome,
        drafts=draft,
        papers=paper,
        key=key,
        start=began,
        duration=length,
        end=ended,
        channel=how,
        date_approx=date_approx,
        attending=_attending(with_person, person_note, lead),
        citation=so.citation(source, source_outlet, source_title, source_url, source_date, source_quote),
        actor=actor_name(actor),
        expected_revision=expect_revision,
    )
    where = f" at {meeting.place}" if meeting.place else ""
    when = f"on {meeting.when}" if meeting.date else f"({meeting.when})"
    console.print(f"meeting {meeting.id} {when}{where}: {meeting.status.value}", markup=False)


@app.command("update")
@reports_errors
def update(
    key: str = typer.Argument(..., help="The meeting's id (see `accord meeting list`)."),
    status: str | None = typer.Option(
        None, "--status", help="held, planned (re-scheduled), postponed, cancelled."
    ),
    reason: str | None = typer.Option(None, "--reason", help="Why (required to postpone or cancel)."),
    date: str | None = typer.Option(None, "--date", help="YYYY-MM-DD."),
    place: str | None = typer.Option(None, "--place"),
    outcome: str | None = typer.Option(None, "--outcome"),
    participants: list[str] = typer.Option([], "--with", help="A party that took part (repeat)."),
    draft: list[int] = typer.Option([], "--draft", help="A draft version discussed (repeat)."),
    start: str | None = START,
    duration: str | None = DURATION,
    end: str | None = END,
    channel: str | None = CHANNEL,
    with_person: list[str] = WITH_PERSON,
    person_note: list[str] = PERSON_NOTE,
    lead: list[str] = LEAD,
    date_approx: str | None = DATE_APPROX,
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
    """Change a recorded meeting (status, time, place, people, outcome, sources): one audited write,
    kept in the meeting's history (`accord meeting show ID`); nothing is overwritten."""
    from accord.services import meetings
    from accord.storage.database import open_database

    day, began, length, ended, how = _parse(date, start, duration, end, channel)
    meeting = meetings.update_meeting(
        open_database(db),
        negotiation,
        key,
        status=_status(status),
        reason=reason,
        date=day,
        place=place,
        outcome=outcome,
        participants=participants,
        drafts=draft,
        start=began,
        duration=length,
        end=ended,
        channel=how,
        date_approx=date_approx,
        attending=_attending(with_person, person_note, lead),
        citation=so.citation(source, source_outlet, source_title, source_url, source_date, source_quote),
        actor=actor_name(actor),
        expected_revision=expect_revision,
    )
    change = meeting.history[-1]
    console.print(
        f"meeting {meeting.id}: {', '.join(change.changes)} changed ({meeting.status.value})", markup=False
    )


def _data(m: Meeting, negotiation: Negotiation) -> dict[str, Any]:
    from accord.scenario.yaml_format import meeting_document

    return {
        **meeting_document(m),
        "date": m.date.isoformat() if m.date else None,
        "place": m.place,
        "status": m.status.value,
        "reason": m.reason,
        "outcome": m.outcome,
        "participants": list(m.participants),
        "drafts": list(m.drafts),
        "papers": [{"id": p.id, "title": p.label} for p in negotiation.papers_at(m.id)],
        "duration_minutes": round(m.duration.total_seconds() / 60) if m.duration else None,
    }


@app.command("show")
@reports_errors
def show(
    key: str = typer.Argument(..., help="The meeting's id."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    as_json: bool = JSON,
) -> None:
    """One meeting: when, how long, where, who took part and led, papers, sources, and its history."""
    from accord.services import meetings
    from accord.storage.database import open_database

    meeting, stored = meetings.get_meeting(open_database(db), negotiation, key)
    if as_json:
        print_json(_data(meeting, stored))
        return
    names = {p.id: p.name for p in stored.people}
    parties = {p.id: p.name for p in stored.parties}
    lines = [f"meeting {meeting.id}: {meeting.status.value}", f"  when: {meeting.when}"]
    if meeting.duration is not None:
        from accord.domain.record import format_duration

        lines.append(f"  duration: {format_duration(meeting.duration)}")
    for label, value in (
        ("channel", meeting.channel.value if meeting.channel else None),
        ("place", meeting.place),
        ("parties", ", ".join(parties.get(p, p) for p in meeting.participants)),
        (
            "people",
            "; ".join(
                names.get(a.person, a.person) + (f" ({a.note})" if a.note else "") for a in meeting.people
            ),
        ),
        (
            "led by",
            "; ".join(
                f"{parties.get(party, party)}: {names.get(p, p)}" for party, p in meeting.leads.items()
            ),
        ),
        ("drafts", ", ".join(f"v{v}" for v in meeting.drafts)),
        (
            "papers",
            "; ".join(p.label for p in stored.papers_at(meeting.id)),
        ),
        ("reason", meeting.reason),
        ("outcome", meeting.outcome),
        ("sources", "; ".join(_source(stored, s) for s in meeting.sources)),
    ):
        if value:
            lines.append(f"  {label}: {value}")
    if meeting.history:
        lines.append("  history:")
        for change in meeting.history:
            fields = "; ".join(f"{f}: {_shown(b)} → {_shown(a)}" for f, (b, a) in change.changes.items())
            why = f" ({change.reason})" if change.reason else ""
            lines.append(
                f"    {change.recorded_at[:16].replace('T', ' ')} by {change.recorded_by}: {fields}{why}"
            )
    console.print("\n".join(lines), markup=False)


def _shown(value: Any) -> str:
    if value is None or value == [] or value == {}:
        return "—"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_shown(v)}" for k, v in value.items())
    return str(value)


def _source(negotiation: Negotiation, key: str) -> str:
    found = {s.id: s for s in negotiation.sources}.get(key)
    return f"{key} ({found.label})" if found else key


@app.command("list")
@reports_errors
def list_(negotiation: str | None = NEGOTIATION, db: str | None = DB, as_json: bool = JSON) -> None:
    """Every meeting, by date (undated planned ones last), with the papers handed over."""
    from accord.services import meetings
    from accord.storage.database import open_database

    found, stored = meetings.list_meetings_of(open_database(db), negotiation)
    if as_json:
        print_json([_data(m, stored) for m in found])
        return
    parties = {p.id: p.name for p in stored.parties}
    table = Table(title="Meetings")
    for column in ("id", "when", "place", "status", "participants", "drafts", "papers", "outcome / reason"):
        table.add_column(column)
    for m in found:
        table.add_row(
            m.id,
            m.when,
            m.place or "",
            m.status.value,
            ", ".join(parties.get(p, p) for p in m.participants),
            ", ".join(f"v{v}" for v in m.drafts),
            "; ".join(p.label for p in stored.papers_at(m.id)),
            m.reason or m.outcome or "",
        )
    print_table(table)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="meeting")
