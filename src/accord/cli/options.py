"""Options that several commands share, declared once."""

from __future__ import annotations

from pathlib import Path

import typer

FILE = typer.Argument(..., help="A scenario file (YAML).", show_default=False)
JSON = typer.Option(False, "--json", help="Print machine-readable JSON (see docs/json-output.md).")
PARTIES = typer.Option(
    None, "--party", "-p", help="A party to include (repeat); default: every party with role 'party'."
)
BACKEND = typer.Option("highs", "--backend", help="Solver backend: highs or cpsat.")
TIME_LIMIT = typer.Option(
    None,
    "--time-limit",
    help="Seconds per concept; when reached, the best package so far and its proven gap.",
)


def plot_path(value: Path | None) -> Path | None:
    if value is not None and value.suffix.lower() not in (".png", ".svg"):
        raise typer.BadParameter("expected a file name ending in .png or .svg")
    return value
