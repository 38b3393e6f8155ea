"""`accord meeting ...`: meetings held, postponed or cancelled, and the papers handed over."""

from __future__ import annotations

import typer
from rich.table import Table

from accord.cli.options import ACTOR, DB, EXPECT_REVISION, JSON, NEGOTIATION, actor_name, parse_date
from accord.cli.output import console, print_json, reports_errors
from accord.domain import MeetingStatus
from accord.services import meetings
from accord.storage.database import open_database

app = typer.Typer(help="Meetings and the papers handed over at them.", no_args_is_help=True)


@app.command("add")
@reports_errors
def add(
    date: str = typer.Option(..., "--date", help="YYYY-MM-DD."),
    place: str = typer.Option(..., "--place"),
    participants: list[str] = typer.Option([], "--with", help="A participating party (repeat)."),
    status: MeetingStatus = typer.Option(MeetingStatus.HELD, "--status"),
    reason: str | None = typer.Option(
        None, "--reason", help="Why it was postponed or cancelled (required then)."
    ),
    outcome: str | None = typer.Option(None, "--outcome"),
    draft: list[int] = typer.Option([], "--draft", help="A draft version discussed (repeat)."),
    paper: list[str] = typer.Option(
        [], "--paper", help="The title of a paper handed to the participants (repeat)."
    ),
    key: str | None = typer.Option(None, "--id", help="The meeting's id (default: m1, m2, ...)."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    actor: str | None = ACTOR,
    expect_revision: int | None = EXPECT_REVISION,
) -> None:
    """Record a meeting, linked to draft versions."""
    meeting = meetings.add_meeting(
        open_database(db),
        negotiation,
        date=parse_date(date),
        place=place,
        participants=participants,
        status=status,
        reason=reason,
        outcome=outcome,
        drafts=draft,
        papers=paper,
        key=key,
        actor=actor_name(actor),
        expected_revision=expect_revision,
    )
    console.print(f"meeting {meeting.id} on {meeting.date} at {meeting.place}: {meeting.status.value}")


@app.command("list")
@reports_errors
def list_(negotiation: str | None = NEGOTIATION, db: str | None = DB, as_json: bool = JSON) -> None:
    """Every meeting, by date, with the papers handed over."""
    found, papers = meetings.list_meetings(open_database(db), negotiation)
    titles = {p.id: p.label for p in papers}
    if as_json:
        print_json(
            [
                {
                    "id": m.id,
                    "date": m.date.isoformat() if m.date else None,
                    "place": m.place,
                    "status": m.status.value,
                    "reason": m.reason,
                    "outcome": m.outcome,
                    "participants": list(m.participants),
                    "drafts": list(m.drafts),
                    "papers": [{"id": p, "title": titles.get(p)} for p in m.papers],
                }
                for m in found
            ]
        )
        return
    table = Table(title="Meetings")
    for column in ("id", "date", "place", "status", "participants", "drafts", "papers", "outcome / reason"):
        table.add_column(column)
    for m in found:
        table.add_row(
            m.id,
            m.when,
            m.place or "",
            m.status.value,
            ", ".join(m.participants),
            ", ".join(f"v{v}" for v in m.drafts),
            "; ".join(titles.get(p, p) for p in m.papers),
            m.reason or m.outcome or "",
        )
    console.print(table)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="meeting")
