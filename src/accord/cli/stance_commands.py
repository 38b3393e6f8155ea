"""`accord stance ...`: the parties' answers, point by point, round by round."""

from __future__ import annotations

import typer
from rich.table import Table

from accord.cli.options import ACTOR, DB, EXPECT_REVISION, JSON, NEGOTIATION, actor_name
from accord.cli.output import console, print_json, reports_errors
from accord.domain import StanceKind
from accord.services import stances
from accord.storage.database import open_database

app = typer.Typer(help="The parties' stances on the points of a draft (history kept).", no_args_is_help=True)


@app.command("set")
@reports_errors
def set_(
    party: str = typer.Argument(..., help="The party answering."),
    point: str = typer.Argument(..., help="The point, by number or id."),
    stance: StanceKind = typer.Argument(..., help="accept, conditional or reject."),
    version: int | None = typer.Option(None, "--draft", help="The draft version (default: the newest)."),
    note: str | None = typer.Option(None, "--note", help="The condition, or why."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    actor: str | None = ACTOR,
    expect_revision: int | None = EXPECT_REVISION,
) -> None:
    """Record a party's stance on a point of a draft; earlier stances stay in the history."""
    recorded = stances.set_stance(
        open_database(db),
        negotiation,
        party=party,
        point=point,
        stance=stance,
        version=version,
        note=note,
        actor=actor_name(actor),
        expected_revision=expect_revision,
    )
    console.print(f"{recorded.party} on point {recorded.point} of v{recorded.draft}: {recorded.stance.value}")


@app.command("history")
@reports_errors
def history(
    party: str | None = typer.Option(None, "--party", help="Only this party."),
    point: str | None = typer.Option(None, "--point", help="Only this point (number or id)."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    as_json: bool = JSON,
) -> None:
    """Every stance ever recorded, oldest first (a later one supersedes an earlier one)."""
    records = stances.history(open_database(db), negotiation, party=party, point=point)
    if as_json:
        print_json(
            [
                {
                    "draft": r.stance.draft,
                    "party": r.stance.party,
                    "point": r.stance.point,
                    "stance": r.stance.stance.value,
                    "note": r.stance.note,
                    "recorded_at": r.recorded_at,
                    "recorded_by": r.recorded_by,
                }
                for r in records
            ]
        )
        return
    table = Table(title="Stance history")
    for column in ("recorded", "by", "draft", "party", "point", "stance", "note"):
        table.add_column(column)
    for r in records:
        table.add_row(
            r.recorded_at[:19],
            r.recorded_by,
            f"v{r.stance.draft}",
            r.stance.party,
            r.stance.point,
            r.stance.stance.value,
            r.stance.note or "",
        )
    console.print(table)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="stance")
