"""Options that several commands share, declared once."""

from __future__ import annotations

import datetime as dt
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


DB = typer.Option(
    None,
    "--db",
    help="The database: an SQLite file path or a URL (postgresql://user@host/db). "
    "Default: $ACCORD_DATABASE_URL, else accord.db in the working directory.",
    show_default=False,
)
NEGOTIATION = typer.Option(
    None,
    "--negotiation",
    "-n",
    help="The stored negotiation (its name); may be left out when the database holds only one.",
    show_default=False,
)
ACTOR = typer.Option(
    None,
    "--as",
    help="Who makes the change, for the audit log. Default: $ACCORD_USER, else your login name.",
    show_default=False,
)
EXPECT_REVISION = typer.Option(
    None,
    "--expect-revision",
    help="Refuse the change if the negotiation is no longer at this revision (someone wrote since you read).",
    show_default=False,
)


def actor_name(value: str | None) -> str:
    import getpass
    import os

    return value or os.environ.get("ACCORD_USER") or getpass.getuser()


def parse_date(value: str, flag: str = "--date") -> dt.date:
    """A YYYY-MM-DD option, or a usage error naming the option."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}", param_hint=flag) from None
