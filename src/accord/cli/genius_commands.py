"""`accord import-genius` and `accord export-genius`: GENIUS XML in and out."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.options import output_file, output_folder
from accord.cli.output import console, errors, reports_errors
from accord.errors import GeniusFormatError
from accord.scenario import dump, load
from accord.scenario.genius import export_genius, import_genius


@reports_errors
def import_genius_command(
    domain: Path = typer.Argument(
        ..., help="The GENIUS domain file (issues and values).", show_default=False
    ),
    profiles: list[Path] = typer.Argument(
        ..., help="One GENIUS utility profile per party.", show_default=False
    ),
    output: Path = typer.Option(
        ..., "-o", "--output", help="The scenario file (YAML) to write.", callback=output_file
    ),
) -> None:
    """Turn a GENIUS domain and its profiles into an accord scenario.

    Discrete issues become points, values become options; each profile becomes a
    party whose scores are GENIUS's own (evaluation divided by the largest
    evaluation of its issue), so utilities match GENIUS and NegMAS exactly.
    Discount factors are kept as party metadata.
    """
    if not profiles:
        raise GeniusFormatError("no profile given; expected at least one PROFILE.xml")
    negotiation = import_genius(domain, profiles)
    dump(negotiation, output)
    console.print(
        f"wrote {output}: {len(negotiation.points)} points, {len(negotiation.parties)} parties "
        f"({negotiation.outcome_count():,} packages)"
    )


@reports_errors
def export_genius_command(
    scenario: Path = typer.Argument(..., help="A scenario file (YAML).", show_default=False),
    output: Path = typer.Option(
        ..., "-o", "--output", help="The folder to write the XML files into.", callback=output_folder
    ),
) -> None:
    """Write a scenario as a GENIUS domain file plus one profile per party.

    Red lines and links have no place in GENIUS's format and are left out (a
    warning says so); the domain is written as NEGOTIATION-domain.xml and each
    profile as PARTY.xml.
    """
    report = export_genius(load(scenario), output)
    for warning in report.warnings:
        errors.print(f"warning: {warning}", markup=False)
    for path in report.files:
        console.print(f"wrote {path}")


def register(app: typer.Typer) -> None:
    app.command("import-genius")(import_genius_command)
    app.command("export-genius")(export_genius_command)
