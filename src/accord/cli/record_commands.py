"""`accord init`, `accord import`, `accord export`, `accord negotiations`: the stored record."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from accord.cli.key_commands import KEY_FILE
from accord.cli.options import ACTOR, DB, JSON, actor_name, output_file
from accord.cli.output import console, errors, print_json, reports_errors
from accord.cli.tables import print_table
from accord.wording import counted


@reports_errors
def init(db: str | None = DB, key_file: str | None = KEY_FILE) -> None:
    """Create the database (or migrate it to this accord's schema), and the key file if there is none."""
    from accord.services import negotiations
    from accord.storage.database import open_database

    database = open_database(db)
    done = negotiations.initialise(database, key_file=Path(key_file) if key_file else None)
    if done.before == done.after:
        console.print(f"{done.url}: schema up to date (revision {done.after})")
    else:
        console.print(f"{done.url}: schema at revision {done.after} (was {done.before or 'empty'})")
    if done.key_problem:
        errors.print(f"note: no key file: {done.key_problem}", markup=False)
    elif done.key_created:
        console.print(f"key file created: {done.key_file} (keep it secret and backed up; see docs/record.md)")
    if done.secrets_sealed:
        console.print(f"fingerprint secrets sealed under the key file: {', '.join(done.secrets_sealed)}")


@reports_errors
def import_(
    file: Path = typer.Argument(..., help="A scenario file (YAML).", show_default=False),
    name: str | None = typer.Option(None, "--name", help="Store under this name (default: the file's id)."),
    db: str | None = DB,
    actor: str | None = ACTOR,
) -> None:
    """Store a scenario as a negotiation: all or nothing (a bad file leaves the database as it was)."""
    from accord.services import negotiations
    from accord.storage.database import open_database

    if name is not None and not name.strip():
        raise typer.BadParameter(
            "empty; expected a name, or leave --name out for the file's id", param_hint="--name"
        )
    database = open_database(db)
    negotiation = negotiations.import_scenario(database, file, actor=actor_name(actor), slug=name)
    from accord.reports.overview import parties_words

    said = ", ".join(
        [
            counted(len(negotiation.points), "point"),
            parties_words(negotiation),
            counted(len(negotiation.drafts), "draft"),
            counted(len(negotiation.stances), "stance"),
            counted(len(negotiation.meetings), "meeting"),
        ]
    )
    console.print(f"imported {file} as {name or negotiation.id!r}: {said}")


@reports_errors
def export(
    negotiation: str | None = typer.Argument(None, help="The stored negotiation (default: the only one)."),
    output: Path = typer.Option(
        ..., "--output", "-o", help="The scenario file to write (YAML).", callback=output_file
    ),
    db: str | None = DB,
) -> None:
    """Write a stored negotiation as a scenario file (the current stance of each party per point)."""
    from accord.services import negotiations
    from accord.storage.database import open_database

    written = negotiations.export_scenario(open_database(db), negotiation, output)
    console.print(f"wrote {output}: {written.title} ({len(written.drafts)} drafts)")


@reports_errors
def list_(db: str | None = DB, as_json: bool = JSON) -> None:
    """The negotiations stored in the database."""
    from accord.services import negotiations
    from accord.storage.database import open_database

    found = negotiations.list_negotiations(open_database(db))
    if as_json:
        print_json([s.__dict__ for s in found])
        return
    table = Table(title="Negotiations")
    for column in ("name", "title", "drafts", "revision", "imported"):
        table.add_column(column)
    for s in found:
        table.add_row(s.slug, s.title, str(s.drafts), str(s.revision), s.created_at[:19])
    print_table(table)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("import")(import_)
    app.command("export")(export)
    app.command("negotiations")(list_)
