"""What every command shares: consoles, and turning accord's errors into exit codes."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from accord.errors import AccordError, ScenarioError

console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Print ``ErrorName: message`` for accord's own errors and exit 1, never a traceback."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ScenarioError as exc:
            count = len(exc.problems)
            errors.print(f"ScenarioError: {count} problem{'s' if count != 1 else ''} found", markup=False)
            for problem in exc.problems:
                errors.print(f"  {problem}", markup=False)
            raise typer.Exit(1) from None
        except AccordError as exc:
            errors.print(f"{type(exc).__name__}: {exc}", markup=False)
            raise typer.Exit(1) from None

    return run


def print_json(data: Any) -> None:
    """Plain JSON on stdout (no colour codes), for machines."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
