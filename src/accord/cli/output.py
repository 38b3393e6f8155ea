"""What every command shares: consoles, and turning accord's errors into exit codes."""

from __future__ import annotations

import errno
import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from accord.errors import AccordError, ScenarioError

console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Print ``ErrorName: message`` for accord's own errors, and for files that cannot be read or
    written, and exit 1: never a traceback for a user's mistake."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ScenarioError as exc:
            if len(exc.problems) == 1:
                errors.print(f"ScenarioError: {exc.problems[0]}", markup=False)
            else:
                errors.print(f"ScenarioError: {len(exc.problems)} problems found", markup=False)
                for problem in exc.problems:
                    errors.print(f"  {problem}", markup=False)
            raise typer.Exit(1) from None
        except AccordError as exc:
            errors.print(f"{type(exc).__name__}: {exc}", markup=False)
            raise typer.Exit(1) from None
        except OSError as exc:  # a missing file, a folder given for a file, no permission, a full disk
            errors.print(f"{type(exc).__name__}: {file_problem(exc)}", markup=False)
            raise typer.Exit(1) from None

    return run


# what went wrong with a file, in plain words (the operating system's own words otherwise)
FILE_PROBLEMS = {
    errno.ENOENT: "no such file",
    errno.EACCES: "permission denied",
    errno.EPERM: "not permitted",
    errno.EISDIR: "is a folder, not a file",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EEXIST: "exists already",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on the device",
    errno.ENAMETOOLONG: "the name is too long",
}


def file_problem(error: OSError) -> str:
    """One line naming the file (or files) and what is wrong with it."""
    words = FILE_PROBLEMS.get(error.errno or 0) or error.strerror or str(error)
    if error.filename is None:
        return " ".join(str(words).split())
    name = str(error.filename)
    if error.errno == errno.ENOENT and not Path(name).parent.is_dir():
        words = f"no folder {Path(name).parent}"
    if error.filename2 is not None:
        name += f" -> {error.filename2}"
    return f"{name}: {words}"


def print_json(data: Any) -> None:
    """Plain JSON on stdout (no colour codes), for machines."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
