"""What an analysis reads: a scenario FILE, or, with no FILE, the stored negotiation.

Each analysis command takes ``file: Path | None = SCENARIO`` with the usual ``--negotiation`` and
``--db`` (accord.cli.options), and reads through :func:`scenario`: no export needed. The storage is
imported only when there is no FILE, so that `accord solve FILE` starts as quickly as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from accord.cli.options import actor_name

if TYPE_CHECKING:
    from accord.domain import Negotiation

SCENARIO = typer.Argument(
    None,
    help="A scenario file (YAML). Leave it out to read the stored negotiation (--negotiation, --db).",
    show_default=False,
)


def scenario(file: Path | None, negotiation: str | None, db: str | None) -> Negotiation:
    """The negotiation in ``file``, or the stored one named ``negotiation`` (default: the only one)
    in the database ``db`` (which is not read when a FILE is given)."""
    if file is not None:
        if negotiation is not None:
            raise typer.BadParameter(
                "names a stored negotiation; give it or a scenario FILE, not both", param_hint="--negotiation"
            )
        from accord.scenario import load

        return load(file)
    from accord.services.stored_negotiation import for_analyses
    from accord.storage.database import open_database

    return for_analyses(open_database(db), negotiation, user=actor_name(None))
