"""`accord person ...`: the people at the talks (each party's delegation, and people of no party)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.table import Table

from accord.cli.options import ACTOR, DB, EXPECT_REVISION, JSON, NEGOTIATION, actor_name
from accord.cli.output import console, print_json, reports_errors
from accord.cli.tables import print_table

if TYPE_CHECKING:
    from accord.storage.database import Database

app = typer.Typer(help="People at the talks: delegations, and people of no party.", no_args_is_help=True)


def _party_name(database: Database, slug: str | None, party: str) -> str:
    from accord.services.drafts import load

    parties = load(database, slug, stances=False).negotiation.parties
    return next((p.name for p in parties if p.id == party), party)


@app.command("add")
@reports_errors
def add(
    name: str = typer.Argument(..., help="The person's name as usually written."),
    party: str | None = typer.Option(
        None, "--party", help="The party the person belongs to (default: none)."
    ),
    role: str | None = typer.Option(None, "--role", help="e.g. 'special envoy', 'spokesman'."),
    lead: bool = typer.Option(False, "--lead", help="Leads the party's delegation."),
    alias: list[str] = typer.Option([], "--alias", help="Another spelling of the name (repeat)."),
    note: str | None = typer.Option(None, "--note", help="A private note (the mediator's only)."),
    key: str | None = typer.Option(None, "--id", help="The person's id (default: made from the name)."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    actor: str | None = ACTOR,
    expect_revision: int | None = EXPECT_REVISION,
) -> None:
    """Record a person: of a party (or of none), a role, whether they lead the delegation."""
    from accord.services import people
    from accord.storage.database import open_database

    database = open_database(db)
    person = people.add_person(
        database,
        negotiation,
        name=name,
        party=party,
        role=role,
        lead=lead,
        aliases=alias,
        note=note,
        key=key,
        actor=actor_name(actor),
        expected_revision=expect_revision,
    )
    of = f" of {_party_name(database, negotiation, person.party)}" if person.party else ", of no party"
    console.print(f"person {person.id}: {person.name}{of}{' (lead)' if person.lead else ''}", markup=False)


@app.command("update")
@reports_errors
def update(
    who: str = typer.Argument(..., help="The person: id, name or alias."),
    name: str | None = typer.Option(None, "--name"),
    party: str | None = typer.Option(None, "--party"),
    no_party: bool = typer.Option(False, "--no-party", help="Of no party from now on."),
    role: str | None = typer.Option(None, "--role"),
    lead: bool | None = typer.Option(None, "--lead/--no-lead", help="Leads the party's delegation, or not."),
    alias: list[str] = typer.Option([], "--alias", help="Another spelling to add (repeat)."),
    note: str | None = typer.Option(None, "--note", help="Replace the private note."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    actor: str | None = ACTOR,
    expect_revision: int | None = EXPECT_REVISION,
) -> None:
    """Change a person's details (an audited write; the log keeps each change before and after)."""
    from accord.services import people
    from accord.storage.database import open_database

    person = people.update_person(
        open_database(db),
        negotiation,
        who,
        name=name,
        party=party,
        no_party=no_party,
        role=role,
        lead=lead,
        add_aliases=alias,
        note=note,
        actor=actor_name(actor),
        expected_revision=expect_revision,
    )
    console.print(f"person {person.id}: {person.name} updated", markup=False)


@app.command("list")
@reports_errors
def list_(
    party: str | None = typer.Option(None, "--party", help="Only this party's delegation."),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    as_json: bool = JSON,
) -> None:
    """Every person, by party (a delegation's lead first)."""
    from accord.scenario.yaml_format import person_document
    from accord.services import people
    from accord.storage.database import open_database

    found = people.list_people(open_database(db), negotiation, party)
    if as_json:
        print_json([{**person_document(p), "lead": p.lead, "party": p.party} for p in found])
        return
    if not found:
        console.print(
            "no people recorded" + (f" for {party}" if party else "") + ": add one with `accord person add`"
        )
        return
    table = Table(title="People")
    for column in ("id", "name", "party", "role", "lead", "aliases"):
        table.add_column(column)
    for p in sorted(found, key=lambda p: (p.party or "~", not p.lead, p.name)):
        table.add_row(
            p.id, p.name, p.party or "—", p.role or "", "lead" if p.lead else "", ", ".join(p.aliases)
        )
    print_table(table)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="person")
