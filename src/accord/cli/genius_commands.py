"""`accord import-genius` and `accord export-genius`: GENIUS XML in and out."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.options import output_file, output_folder
from accord.cli.output import console, errors, reports_errors
from accord.errors import GeniusFormatError


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
    real_steps: int | None = typer.Option(
        None,
        "--real-steps",
        min=2,
        max=100_000,
        help="Discretise each real-valued issue into N evenly spaced values, both bounds included "
        "(without it a real issue is refused).",
        show_default=False,
    ),
) -> None:
    """Turn a GENIUS domain and its profiles into an accord scenario.

    Issues become points: a discrete issue's values, an integer issue's every number
    (and a real issue's steps, with --real-steps) become options. Each profile
    becomes a party whose utilities are GENIUS's own for every package (see the
    GENIUS section of docs/scenario-format.md). Discount factors are kept as party
    metadata; a non-additive (hyper-rectangle or constraint) profile is refused.
    """
    from accord.scenario import dump
    from accord.scenario.genius import import_genius

    if not profiles:
        raise GeniusFormatError(f"{domain}: no profile given; expected at least one PROFILE.xml")
    warnings: list[str] = []
    negotiation = import_genius(domain, profiles, real_steps=real_steps, warnings=warnings)
    dump(negotiation, output)
    for warning in warnings:
        errors.print(f"warning: {warning}", markup=False)
    points, parties = len(negotiation.points), len(negotiation.parties)
    console.print(
        f"wrote {output}: {points} point{'s' * (points != 1)}, "
        f"{parties} part{'y' if parties == 1 else 'ies'} ({negotiation.outcome_count():,} packages)"
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
    profile as PARTY.xml. A point whose options are the numbers lo..hi goes out
    as an integer issue. Importing the files gives back the same utilities.
    """
    from accord.scenario import load
    from accord.scenario.genius import export_genius

    report = export_genius(load(scenario), output, source=str(scenario))
    for warning in report.warnings:
        errors.print(f"warning: {warning}", markup=False)
    for path in report.files:
        console.print(f"wrote {path}")


def register(app: typer.Typer) -> None:
    app.command("import-genius")(import_genius_command)
    app.command("export-genius")(export_genius_command)
