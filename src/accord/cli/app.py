"""The `accord` command: one Typer application, one module per command group."""

from __future__ import annotations

import typer

from accord import __version__
from accord.cli import (
    analysis_commands,
    audit_commands,
    draft_commands,
    engine_commands,
    genius_commands,
    key_commands,
    leak_commands,
    meeting_commands,
    record_commands,
    robustness_commands,
    scenario_commands,
    stance_commands,
    status_commands,
    web_commands,
)

app = typer.Typer(
    name="accord",
    help=(
        "accord: a workbench for mediated, multi-party, multi-issue negotiations. "
        "Scenario files (YAML) describe the points, options, parties, their private "
        "preferences, drafts and stances; start with `accord validate FILE` and `accord show FILE`."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"accord {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """accord: a workbench for mediated, multi-party, multi-issue negotiations."""


scenario_commands.register(app)
genius_commands.register(app)
engine_commands.register(app)
analysis_commands.register(app)
record_commands.register(app)
draft_commands.register(app)
stance_commands.register(app)
meeting_commands.register(app)
status_commands.register(app)
audit_commands.register(app)
key_commands.register(app)
web_commands.register(app)
leak_commands.register(app)
robustness_commands.register(app)


def main() -> None:
    app()
