"""Options that several commands share, declared once."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import typer

FILE = typer.Argument(..., help="A scenario file (YAML).", show_default=False)
JSON = typer.Option(False, "--json", help="Print machine-readable JSON (see docs/json-output.md).")
PARTIES = typer.Option(
    None, "--party", "-p", help="A party to include (repeat); default: every party with role 'party'."
)
BACKEND = typer.Option(
    "auto",
    "--backend",
    help="Solver backend: auto (list every package when there are at most 20,000, else highs), "
    "highs or cpsat.",
)


def positive_seconds(value: float | None) -> float | None:
    """A time limit: more than 0 seconds."""
    if value is not None and not value > 0:
        raise typer.BadParameter(f"expected a number of seconds above 0, got {value:g}")
    return value


TIME_LIMIT = typer.Option(
    None,
    "--time-limit",
    callback=positive_seconds,
    help="Seconds per concept; when reached, the best package so far and its proven gap.",
)


def _folder_problem(folder: Path) -> str | None:
    """Why nothing can be written into ``folder`` (None when it looks writable)."""
    if folder.is_dir():
        return None if os.access(folder, os.W_OK) else f"cannot write into the folder {folder}"
    blocker = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        return f"{blocker} is a file, not a folder"
    return f"no folder {folder}"


def output_file(value: Path | None) -> Path | None:
    """An output file goes into a folder that exists: checked before any work is done, so a typo
    in the folder costs nothing (and never leaves a half-made result behind)."""
    return _output(value, folder=False)


def output_folder(value: Path | None) -> Path | None:
    """An output folder is made if need be, inside a folder that exists (not a whole path of them,
    which is more often a typo than a wish)."""
    return _output(value, folder=True)


def _output(value: Path | None, *, folder: bool) -> Path | None:
    """The one check of an output path, a file or a folder: an existing folder is reused; anything
    else must be of the kind asked for and sit in a folder that exists and can be written into."""
    if value is None or (folder and value.is_dir()):
        return value
    if value.is_dir():
        raise typer.BadParameter(f"{value} is a folder; expected a file name")
    if folder and value.exists():
        raise typer.BadParameter(f"{value} is a file; expected a folder")
    problem = _folder_problem(value.parent)
    if problem:
        raise typer.BadParameter(f"{problem} (for {value})")
    return value


def port_number(value: int) -> int:
    """A TCP port, checked before a server (or a demo) is built."""
    if not 1 <= value <= 65535:
        raise typer.BadParameter(f"{value} is not a port; expected 1 to 65535")
    return value


def plot_path(value: Path | None) -> Path | None:
    if value is not None and value.suffix.lower() not in (".png", ".svg"):
        raise typer.BadParameter("expected a file name ending in .png or .svg")
    return output_file(value)


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
