"""`accord source ...`: where the facts of the record come from."""

from __future__ import annotations

import typer
from rich.table import Table

from accord.cli.options import ACTOR, DB, EXPECT_REVISION, JSON, NEGOTIATION, actor_name
from accord.cli.output import console, print_json, reports_errors
from accord.cli.source_options import parse_day
from accord.cli.tables import print_table

app = typer.Typer(help="Sources: where each fact of the record comes from.", no_args_is_help=True)


@app.command("add")
@reports_errors
def add(
    outlet: str | None = typer.Option(None, "--outlet", help="Who published it (an outlet, an office)."),
    title: str | None = typer.Option(None, "--title", help="Its title or headline."),
    url: str | None = typer.Option(None, "--url", help="Its web address (http or https)."),
    date: str | None = typer.Option(None, "--date", help="When it was published, YYYY-MM-DD."),
    quote: str | None = typer.Option(None, "--quote", help="The passage relied on."),
    note: str | None = typer.Option(None, "--note"),
    key: str | None = typer.Option(
        None, "--id", help="Its id (default: outlet and date, e.g. reuters-2025-12-03)."
    ),
    negotiation: str | None = NEGOTIATION,
    db: str | None = DB,
    actor: str | None = ACTOR,
    expect_revision: int | None = EXPECT_REVISION,
) -> None:
    """Record a source, to be cited by id (`--source ID`) on meetings, papers, statements, …"""
    from accord.services.sources import Citation, add_source
    from accord.storage.database import open_database

    citation = Citation(
        outlet=outlet,
        title=title,
        url=url,
        date=parse_day(date, "--date") if date is not None else None,
        quote=quote,
        note=note,
        key=key,
        prefix="--",
    )
    source = add_source(
        open_database(db), negotiation, citation, actor=actor_name(actor), expected_revision=expect_revision
    )
    console.print(f"source {source.id}: {source.label}", markup=False)


@app.command("list")
@reports_errors
def list_(negotiation: str | None = NEGOTIATION, db: str | None = DB, as_json: bool = JSON) -> None:
    """Every source recorded, in the order recorded."""
    from accord.scenario.yaml_format import source_document
    from accord.services.sources import list_sources
    from accord.storage.database import open_database

    found = list_sources(open_database(db), negotiation)
    if as_json:
        print_json([source_document(s) for s in found])
        return
    if not found:
        console.print(
            "no sources recorded: add one with `accord source add`, or cite one with --source-outlet …"
        )
        return
    table = Table(title="Sources")
    for column in ("id", "outlet", "title", "date", "url"):
        table.add_column(column)
    for s in found:
        table.add_row(s.id, s.outlet or "", s.title or "", s.date.isoformat() if s.date else "", s.url or "")
    print_table(table)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="source")
