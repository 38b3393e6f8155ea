"""The CLI's quick coercion (accord.cli.coercion) gives every parameter Typer's own value or error.

Typer coerces through Pydantic; accord answers the plain cases itself so that a command need not
import Pydantic (start-up). For every parameter of every command and many values, both ways must
give the same value, or the same error with the same message.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, get_args

import pytest
import typer
import typer.core
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st
from typer import _coercion
from typer._click import Command, Context

from accord.cli.app import loaded_command
from accord.cli.coercion import QuickRuntimeParam
from tests.conftest import EXAMPLES

SCENARIO = str(EXAMPLES / "camp-david-1978.yaml")
SAMPLES: list[Any] = [
    None, "", "3", "0", "-2", "007", "1.5", "-0.25", "1e3", "abc", " 4", "+5", "1_000",
    "x.yaml", "./x.yaml", "a//b.yaml", SCENARIO, str(EXAMPLES), "-", 0, 1, 2, 1.5, True,
    ("a", "b"), ["3", "4"], (), Path("x.yaml"), Path(SCENARIO),
]  # fmt: skip


def parameters(
    command: Command, path: str = "accord"
) -> Iterator[tuple[str, Command, typer.core._TyperParameter]]:
    for param in command.params:
        if isinstance(param, typer.core._TyperParameter):
            yield f"{path} {param.name}", command, param
    for name, sub in getattr(command, "commands", {}).items():
        yield from parameters(sub, f"{path} {name}")


class Colour(Enum):
    RED = "red"
    GREEN = "Green"


def _synthetic(
    existing: Annotated[Path, typer.Argument(exists=True)],
    folder: Annotated[Path | None, typer.Option(file_okay=False, exists=True)] = None,
    plain: Annotated[Path | None, typer.Option(dir_okay=False)] = None,
    paths: Annotated[list[Path] | None, typer.Option()] = None,
    ranged: Annotated[int, typer.Option(min=1, max=5)] = 3,
    clamped: Annotated[int, typer.Option(min=1, max=5, clamp=True)] = 3,
    ratio: Annotated[float, typer.Option(min=0.0)] = 0.5,
    colour: Annotated[Colour, typer.Option(case_sensitive=False)] = Colour.RED,
    parsed: Annotated[str | None, typer.Option(parser=str.upper)] = None,
) -> None:
    """Parameters of kinds accord's commands do not use (yet), to hold the quick coercion to them too."""


def _synthetic_command() -> Command:
    app = typer.Typer()
    app.command()(_synthetic)
    return typer.main.get_command(app)


PARAMETERS = list(parameters(loaded_command())) + list(parameters(_synthetic_command(), "synthetic"))


def outcome(runtime: _coercion.RuntimeParam, value: Any, param: Any, ctx: Context) -> tuple[str, Any]:
    try:
        return "value", runtime.coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # the error and its words, as the user would see them
        return type(exc).__name__, str(getattr(exc, "message", exc))


def compare(command: Command, param: typer.core._TyperParameter, value: Any) -> None:
    descriptor = param.type_descriptor
    ctx = Context(command)
    quick = QuickRuntimeParam(
        parameter_info=descriptor.parameter_info, annotation=descriptor.annotation, descriptor=descriptor
    )
    typers = _coercion.build_runtime_param(descriptor)
    expected = outcome(typers, value, param, ctx)
    got = outcome(quick, value, param, ctx)
    assert got == expected, (param.name, value)
    assert type(got[1]) is type(expected[1])


def test_every_command_has_its_parameters_quickened() -> None:
    accords = [p for name, _, p in PARAMETERS if name.startswith("accord ")]
    assert len(accords) > 150
    assert all(isinstance(p._runtime_param, QuickRuntimeParam) for p in accords)


@pytest.mark.parametrize(("name", "command", "param"), PARAMETERS, ids=[n for n, _, _ in PARAMETERS])
def test_the_quick_coercion_gives_typers_value_or_error(
    name: str, command: Command, param: typer.core._TyperParameter
) -> None:
    values = [*SAMPLES, param.default]
    annotation = param.type_descriptor.annotation
    enum = next(
        (a for a in (annotation, *get_args(annotation)) if isinstance(a, type) and issubclass(a, Enum)), None
    )
    if enum is not None:
        values += [m for m in enum] + [m.value for m in enum] + [m.name for m in enum] + ["nonsense"]
    for value in values:
        compare(command, param, value)


NUMERIC = [(c, p) for _, c, p in PARAMETERS if p.type_descriptor.annotation in (int, float)]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(NUMERIC), st.text(alphabet="0123456789-+._e ", max_size=8))
def test_numbers_written_any_way(pair: tuple[Command, typer.core._TyperParameter], text: str) -> None:
    compare(*pair, text)
