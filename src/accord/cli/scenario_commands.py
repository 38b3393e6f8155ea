"""`accord validate`, `accord show`, `accord schema`: reading scenario files."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from accord.cli.output import console, print_json, reports_errors
from accord.cli.tables import print_table
from accord.domain import Negotiation, StanceKind

_STANCE_MARK = {
    StanceKind.ACCEPT: "[green]accept[/]",
    StanceKind.CONDITIONAL: "[yellow]conditional[/]",
    StanceKind.REJECT: "[red]reject[/]",
    StanceKind.STUDYING: "[cyan]studying[/]",
    StanceKind.NO_POSITION: "[dim]no position[/]",
}

FILE = typer.Argument(..., help="A scenario file (YAML).", show_default=False)


@reports_errors
def validate(file: Path = FILE) -> None:
    """Check a scenario file and list every problem found.

    Exit status 0 when the file is valid; 1 with one line per problem (file,
    line, field path, what was expected) otherwise.
    """
    from accord.reports.overview import parties_words
    from accord.scenario import load

    negotiation = load(file)
    console.print(
        f"[green]valid[/]: {file} — {negotiation.title!s}: {len(negotiation.points)} points, "
        f"{parties_words(negotiation)}, {len(negotiation.drafts)} drafts, "
        f"{len(negotiation.stances)} stances",
        markup=True,
    )


@reports_errors
def show(
    file: Path = FILE,
    as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON instead of tables."),
) -> None:
    """Show a scenario: points and options, parties, and the stances on the latest draft."""
    from accord.reports.overview import overview
    from accord.scenario import load

    negotiation = load(file)
    if as_json:
        print_json(overview(negotiation))
        return
    _print_tables(negotiation)


def _print_tables(negotiation: Negotiation) -> None:
    from accord.reports.overview import choice_text, stance_matrix

    console.print(f"[bold]{negotiation.title}[/] ({negotiation.id})")
    if negotiation.description:
        console.print(negotiation.description.strip())
    console.print(f"{negotiation.outcome_count():.3g} possible packages (one option per point)")

    points = Table(title="Points and options", show_lines=False)
    points.add_column("#", justify="right")
    points.add_column("point")
    points.add_column("theme")
    points.add_column("options")
    for point in sorted(negotiation.points, key=lambda p: p.number):
        options = "\n".join(f"{o.text} [dim]({o.key})[/]" for o in point.options)
        points.add_row(str(point.number), point.title, point.theme or "", options)
    print_table(points)

    parties = Table(title="Parties")
    for column in ("id", "name", "role", "preferences", "red lines"):
        parties.add_column(column)
    for party in negotiation.parties:
        prefs = negotiation.preferences.get(party.id)
        parties.add_row(
            party.id,
            party.name,
            party.role.value,
            "yes" if prefs else "—",
            str(len(prefs.red_lines)) if prefs else "—",
        )
    print_table(parties)
    powers = [(p.name, negotiation.power_of(p.id)) for p in negotiation.negotiating_parties]
    if any(power != 1 for _, power in powers):
        console.print(
            "Bargaining power (asymmetric Nash): " + ", ".join(f"{name} {power:g}" for name, power in powers),
            markup=False,
        )

    latest = negotiation.latest_draft
    if latest is None:
        console.print("No draft yet.")
        return
    matrix = stance_matrix(negotiation, latest.version)
    voices = [p for p in negotiation.parties if any(p.id in row for row in matrix.values())]
    title = f"Draft {latest.version}" + (f" ({latest.label})" if latest.label else "")
    stances = Table(title=f"{title}, {latest.status.value}: stances per point")
    stances.add_column("#", justify="right")
    stances.add_column("point")
    stances.add_column("draft text")
    for party in voices:
        stances.add_column(party.name)
    for point in sorted(negotiation.points, key=lambda p: p.number):
        row = matrix.get(point.id, {})
        marks = [_STANCE_MARK[row[p.id]] if p.id in row else "[dim]·[/]" for p in voices]
        text = choice_text(negotiation, latest, point.id) or "[dim](silent)[/]"
        stances.add_row(str(point.number), point.title, text, *marks)
    print_table(stances)
    if not voices:
        console.print(f"No stances recorded on draft {latest.version} yet.")


def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of the scenario format."""
    from accord.scenario import scenario_schema

    typer.echo(json.dumps(scenario_schema(), indent=2, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    app.command()(validate)
    app.command()(show)
    app.command()(schema)
