"""Every command registered on the `accord` Typer app, walked, with what its parameters are: the
files it reads, the files it writes, the database. For the tests that hold every command, present
and future, to the same promises (tests/integration/test_cli_bad_paths.py, tests/storage/
test_missing_database.py).

Which parameters are files is read from the parameters themselves: a ``Path`` (or a list of them),
or a parameter called ``file``; an output is ``-o``/``--output``/``--plot`` or a file whose help
says that it is written; ``--db`` is the database.
"""

from __future__ import annotations

import enum
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from accord.cli.app import app, loaded_command
from tests.conftest import EXAMPLES, GENIUS_FIXTURES

runner = CliRunner()
# no database or key file from the environment; wide lines, so that one line stays one line
ENV: dict[str, str | None] = {
    "ACCORD_DATABASE_URL": None,
    "ACCORD_KEY_FILE": None,
    "ACCORD_USER": "test-desk",
    "COLUMNS": "1000",
}
FLAGSHIP = EXAMPLES / "peace-framework-2025.yaml"
# values that let a command get as far as its files (by parameter name); anything else gets a
# plain value of its type
KNOWN: dict[str, list[str]] = {
    "domain": [str(GENIUS_FIXTURES / "holiday_domain.xml")],
    "profiles": [str(GENIUS_FIXTURES / "holiday_parent.xml"), str(GENIUS_FIXTURES / "holiday_teenager.xml")],
    "recipient": ["russia"],
    "party": ["russia"],
    "date": ["2025-12-01"],
    "kind": ["leak"],  # event add --kind
    "password": ["a-password-long-enough"],
}
OUTPUT_OPTIONS = {"-o", "--output", "--plot"}


@dataclass(frozen=True)
class Parameter:
    name: str
    opts: tuple[str, ...]
    is_argument: bool
    required: bool
    annotation: Any
    help: str

    @property
    def flag(self) -> str:
        return self.opts[0]

    @property
    def is_path(self) -> bool:
        types = {self.annotation, *typing.get_args(self.annotation)}
        return Path in types or self.name == "file"

    @property
    def is_many(self) -> bool:
        return typing.get_origin(self.annotation) is list or list in {
            typing.get_origin(a) for a in typing.get_args(self.annotation)
        }

    @property
    def is_output(self) -> bool:
        return self.is_path and (
            self.name in ("output", "plot")
            or bool(OUTPUT_OPTIONS & set(self.opts))
            or re.search(r"\bwrit(e|es|ten)\b", self.help, re.IGNORECASE) is not None
        )

    @property
    def is_input(self) -> bool:
        return self.is_path and not self.is_output

    def plain_values(self) -> list[str]:
        """Values of the parameter's type that pass the parser."""
        if self.name in KNOWN:
            return KNOWN[self.name]
        types = [a for a in (self.annotation, *typing.get_args(self.annotation)) if isinstance(a, type)]
        for kind in types:
            if issubclass(kind, enum.Enum):
                return [str(next(iter(kind)).value)]
        if Path in types or self.name == "file":
            return [str(FLAGSHIP)]
        if int in types or float in types:
            return ["1"]
        return ["x"]


@dataclass(frozen=True)
class Command:
    words: tuple[str, ...]
    parameters: tuple[Parameter, ...] = field(repr=False)

    @property
    def name(self) -> str:
        return " ".join(self.words)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def required_outputs(self, folder: Path) -> dict[str, list[str]]:
        """A fresh place in ``folder`` for every output the command cannot do without."""
        return {
            p.name: [str(folder / f"out-{p.name}")] for p in self.parameters if p.is_output and p.required
        }

    def argv(self, given: dict[str, list[str]]) -> list[str]:
        """The command line: ``given`` values, plain values for the other required parameters."""
        line = list(self.words)
        for p in self.parameters:
            values = given.get(p.name)
            if values is None and not p.required:
                continue
            values = values if values is not None else p.plain_values()
            if p.is_argument:
                line += values if p.is_many else values[:1]
            else:
                for value in values if p.is_many else values[:1]:
                    line += [p.flag, value]
        return line


def _annotation(param: Any) -> Any:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None:
        return descriptor.annotation
    kind = getattr(param, "type", None)  # older Typer: Click's own parameter types
    annotation: Any = Path if type(kind).__name__ == "Path" else str
    return list[annotation] if getattr(param, "multiple", False) or param.nargs == -1 else annotation


def registered_commands() -> list[Command]:
    found: list[Command] = []

    def walk(command: Any, words: tuple[str, ...]) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands is not None:
            for name, sub in subcommands.items():
                walk(sub, (*words, name))
            return
        parameters = tuple(
            Parameter(
                name=p.name,
                opts=tuple(p.opts),
                is_argument=getattr(p, "param_type_name", "") == "argument",
                required=bool(p.required),
                annotation=_annotation(p),
                help=getattr(p, "help", None) or "",
            )
            for p in command.params
            if p.name not in ("help",)
        )
        found.append(Command(words, parameters))

    walk(loaded_command(), ())
    return found


COMMANDS = registered_commands()


def invoke(argv: list[str]) -> Result:
    return runner.invoke(app, argv, env=ENV)


def assert_one_line_error(result: Result, *names: str) -> str:
    """Exit 1 (or 2 for a usage error), no traceback, and one line of error naming one of ``names``."""
    shown = f"exit {result.exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{result.exception!r} escaped\n{shown}"
    )
    assert "Traceback" not in result.output, shown
    assert result.exit_code in (1, 2), shown
    err = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("warning:")]
    if result.exit_code == 2:  # Click's usage error: Usage, Try ... --help, and one message
        err = [
            line.strip("│ ").strip()
            for line in err
            if not line.startswith(("Usage:", "Try ", "╭", "╰")) and line.strip("│ ").strip()
        ]
    else:
        assert len(err) == 1 and re.match(r"^[A-Z]\w+: \S", err[0]), shown
    assert len(err) == 1, shown
    assert any(name in err[0] for name in names), f"the error names none of {names}\n{shown}"
    return err[0]


def refuse_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    """`accord serve` must fail on its bad values before it starts anything."""
    import uvicorn

    from accord.web import asgi

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a server was started")

    monkeypatch.setattr(uvicorn, "run", refuse)
    monkeypatch.setattr(asgi, "serve_in_processes", refuse)
