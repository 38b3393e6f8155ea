"""Command-line values turned into Python values without Pydantic, where that gives the same value.

Typer coerces every parameter's value through a Pydantic TypeAdapter, and building the first one
imports Pydantic: about 0.2 s of every command's start-up, even for a default of None. Accord's
parameters are plain (text, a path, a whole or decimal number, an enum, lists of these); for the
values whose result is certain (None, a default of the exact type, text, a path, a number written
plainly such as 3 or 0.5) this module gives Typer that result itself. Every other value (a number
out of an option's range, "1e3", a bad enum name, bytes, ...) goes to Typer's own coercion, so its
value and its error message stay Typer's. tests/unit/test_cli_coercion.py checks both ways agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args, get_origin

from typer import _coercion
from typer import core as typer_core
from typer._param_types import coerce_cli_choice, coerce_cli_path, routes_to_path

if TYPE_CHECKING:
    from typer._click import Command, Context

_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?")


class _Typers(Exception):
    """This value is for Typer's own coercion."""


@dataclass(frozen=True)
class QuickRuntimeParam(_coercion.RuntimeParam):
    """Typer's RuntimeParam for one parameter, answering the certain cases without Pydantic."""

    descriptor: _coercion.TypeDescriptor

    def _coerce_value(self, value: Any, param: typer_core._TyperParameter, ctx: Context) -> Any:
        try:
            return self._quick(value, param, ctx)
        except _Typers:
            typers = _coercion.build_runtime_param(self.descriptor)
            param._runtime_param = typers  # from now on Typer's own, as without this module
            return typers._coerce_value(value, param=param, ctx=ctx)

    def _quick(self, value: Any, param: typer_core._TyperParameter, ctx: Context) -> Any:
        annotation: Any = self.annotation
        if get_origin(annotation) is list:
            (item,) = get_args(annotation)
            items = value if isinstance(value, (list, tuple)) else [value]
            return [self._leaf(item, one, param, ctx) for one in items]
        return self._leaf(annotation, value, param, ctx)

    def _leaf(self, annotation: Any, value: Any, param: typer_core._TyperParameter, ctx: Context) -> Any:
        info = self.parameter_info
        if info.parser is not None or get_origin(annotation) is not None:
            raise _Typers
        if annotation is str:
            if isinstance(value, str):
                return str(value)
        elif annotation is int or annotation is float:
            number = _number(annotation, value)
            if info.clamp or (info.min is not None and number < info.min):
                raise _Typers
            if info.max is not None and number > info.max:
                raise _Typers
            return number
        elif isinstance(annotation, type) and issubclass(annotation, Enum):
            try:  # what Typer's validator does; its failure is Typer's to word
                return coerce_cli_choice(
                    value, choices=tuple(annotation), case_sensitive=info.case_sensitive, ctx=ctx
                )
            except ValueError:
                raise _Typers from None
        elif annotation is Path and routes_to_path(annotation, info) and info.path_type is None:
            if isinstance(value, str) and str(Path(value)) == value:
                value = Path(value)  # what Pydantic makes of it, and messages name it the same
            if isinstance(value, Path):
                return coerce_cli_path(value, info, path_type=Path, param=param, ctx=ctx)
        raise _Typers


def _number(annotation: type[Any], value: Any) -> int | float:
    if type(value) is annotation:
        number: int | float = value
        return number
    if isinstance(value, str):
        if annotation is int and _INT.fullmatch(value):
            return int(value)
        if annotation is float and _FLOAT.fullmatch(value):
            return float(value)
    raise _Typers


def quicken(command: Command) -> Command:
    """Give every Typer parameter of ``command`` and its subcommands (--help included) the quick coercion.

    Leaves a parameter alone when this Typer does not keep its coercion where this module looks
    for it (``_runtime_param``, ``type_descriptor``): then Typer's own coercion runs, as always.
    """
    for param in command.params:
        _quicken_parameter(param)
    help_option = command.get_help_option

    def get_help_option(ctx: Context) -> Any:
        option = help_option(ctx)  # made on first use, and kept
        if option is not None:
            _quicken_parameter(option)
        return option

    command.get_help_option = get_help_option  # type: ignore[method-assign]
    for sub in getattr(command, "commands", {}).values():
        quicken(sub)
    return command


def _quicken_parameter(param: object) -> None:
    if (
        isinstance(param, typer_core._TyperParameter)
        and getattr(param, "_runtime_param", "absent") is None
        and isinstance(getattr(param, "type_descriptor", None), _coercion.TypeDescriptor)
        and param.type_descriptor.file_annotation is None
    ):
        descriptor = param.type_descriptor
        param._runtime_param = QuickRuntimeParam(
            parameter_info=descriptor.parameter_info, annotation=descriptor.annotation, descriptor=descriptor
        )
