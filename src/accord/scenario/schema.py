"""The JSON Schema of the scenario format, and its errors in a negotiator's words."""

from __future__ import annotations

import json
import math
import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from accord.characters import unfit_character
from accord.errors import Problem
from accord.scenario.paths import FieldPath
from accord.scenario.quick_schema import Check, Unsure, compile_schema
from accord.scenario.yaml_source import Source

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


@cache
def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every scenario file follows."""
    text = resources.files("accord.scenario").joinpath("schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _quick_check() -> Check | None:
    try:
        return compile_schema(scenario_schema())
    except Unsure:  # a keyword the quick check does not know: jsonschema alone
        return None


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # ~0.1 s to import: only for a file with problems

    return Draft202012Validator(scenario_schema())


def schema_problems(source: Source) -> list[Problem]:
    """Every place where the document departs from the schema, and every number that is not finite
    (YAML's .nan and .inf, JSON's NaN and Infinity: a range check compares false with NaN, so it would
    pass them all)."""
    non_finite = dict(_non_finite(source.document, ()))
    unfit = [source.problem(path, message) for path, message in _unfit_texts(source.document, ())]
    quick = _quick_check()
    try:
        if quick is not None and quick(source.document):  # as jsonschema would say, in a fraction of its time
            return [_not_finite(source, path, value) for path, value in non_finite.items()] + unfit
    except Unsure:
        pass
    errors = [(tuple(error.absolute_path), error) for error in _validator().iter_errors(source.document)]
    # where the schema wants something else than a number (a title), its own words say it
    elsewhere = {path for path, error in errors if path in non_finite and not _wants_a_number(error)}
    problems = [
        _not_finite(source, path, value) for path, value in non_finite.items() if path not in elsewhere
    ]
    for path, error in errors:
        if path in non_finite and path not in elsewhere:
            continue  # said once, as not finite
        message, at = _describe(error, path)
        problems.append(source.problem(at, message))
    problems.extend(unfit)
    problems.sort(key=lambda p: (p.line or 0, p.path))
    return problems


def _not_finite(source: Source, path: FieldPath, value: float) -> Problem:
    return source.problem(path, f"expected a finite number, got {_non_finite_words(value)}")


def _wants_a_number(error: ValidationError) -> bool:
    """Whether the schema wanted a number where this error is (a range, or a type that is a number)."""
    if error.validator != "type":
        return True
    wanted: Any = error.validator_value
    return bool({"number", "integer"} & ({wanted} if isinstance(wanted, str) else set(wanted)))


def _non_finite(value: Any, path: FieldPath) -> list[tuple[FieldPath, float]]:
    if isinstance(value, float):
        return [] if math.isfinite(value) else [(path, value)]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _non_finite(item, (*path, key))]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in _non_finite(item, (*path, index))]
    return []


def _unfit_texts(value: Any, path: FieldPath) -> list[tuple[FieldPath, str]]:
    """Each text (or key) holding a character the record cannot keep (accord.characters), and why."""
    if isinstance(value, str):
        unfit = unfit_character(value)
        return [] if unfit is None else [(path, unfit)]
    if isinstance(value, dict):
        keys = [
            (path, f"a key {why}") for key in value if isinstance(key, str) and (why := unfit_character(key))
        ]
        return keys + [found for key, item in value.items() for found in _unfit_texts(item, (*path, key))]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in _unfit_texts(item, (*path, index))]
    return []


def _non_finite_words(value: float) -> str:
    return "not a number (NaN)" if math.isnan(value) else f"{'minus ' if value < 0 else ''}infinity"


_YAML_TYPES = {
    "object": "a mapping (key: value)",
    "array": "a list",
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "nothing",
}


def _got(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


TYPED_DISTRIBUTIONS = "range:LOW:HIGH, uniform:LOW:HIGH, triangular:LOW:MODE:HIGH or normal:MEAN:SD:LOW:HIGH"
"""A distribution as `accord preferences set --uncertain-score` and the preferences form take it."""


def _as_yaml_number(text: str) -> str:
    """ "1e3" as YAML reads a number: "1000, or 1.0e+3"; "5e-1": "0.5, or 5.0e-1"."""
    value = float(text)
    mantissa, _, exponent = f"{value:.6e}".partition("e")
    mantissa = mantissa.rstrip("0")
    mantissa += "0" if mantissa.endswith(".") else ""
    return f"{value:g}, or {mantissa}e{int(exponent):+d}"


def _is_exponent(text: str) -> bool:
    """ "1e3", "2E-4": a number with an exponent, as YAML 1.1 does not read one."""
    return re.fullmatch(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+\s*", text) is not None


def _describe(error: ValidationError, path: FieldPath) -> tuple[str, FieldPath]:
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    expected = schema.get("x-expected")
    if "propertyNames" in error.schema_path:
        # the offending value is a key of the mapping at ``path``
        return (
            f"key {_got(error.instance)} is not a valid id; "
            f"expected {expected or 'an id of letters, digits, - and _'}",
            (*path, str(error.instance)),
        )
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else "?"
        return f"missing; expected the field {missing!r} here", (*path, missing)
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed] if isinstance(error.instance, dict) else []
        name = extra[0] if extra else "?"
        return f"unknown field {name!r}; expected one of: {', '.join(allowed)}", (*path, name)
    if kind == "type":
        wanted: Any = error.validator_value
        names = [wanted] if isinstance(wanted, str) else list(wanted)
        shown = " or ".join(_YAML_TYPES.get(n, n) for n in names)
        said = f"expected {expected or shown}, got {_got(error.instance)}"
        if "number" in names and isinstance(error.instance, str) and _is_exponent(error.instance):
            # YAML 1.1 reads 1e3 as text: a number in that form needs its point and sign
            said += f"; YAML reads that as text: write {_as_yaml_number(error.instance)}"
        return said, path
    if kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        sign = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}[kind]
        return f"expected a number {sign} {error.validator_value}, got {_got(error.instance)}", path
    if kind == "enum":
        allowed_values: Any = error.validator_value
        options = ", ".join(str(v) for v in allowed_values)
        return f"expected one of: {options}; got {_got(error.instance)}", path
    if kind == "const":
        return f"expected {error.validator_value!r}, got {_got(error.instance)}", path
    if kind in ("minItems", "minProperties"):
        return "expected at least one entry, got none", path
    if kind == "minLength":
        return f"expected {expected or 'non-empty text'}, got empty text", path
    if kind == "pattern":
        wanted = expected or f"text matching {error.validator_value}"
        return f"expected {wanted}, got {_got(error.instance)}", path
    if kind == "oneOf":
        # the form the value took (its errors reach deeper into it than the others'), when one did:
        # "dirichlet: -1" is a Dirichlet with a bad concentration, not "some other form"
        deeper = [e for e in error.context or () if len(e.absolute_path) > len(error.absolute_path)]
        if deeper:
            best = max(deeper, key=lambda e: len(e.absolute_path))
            return _describe(best, tuple(best.absolute_path))
        said = f"expected {expected or 'one of the allowed forms'}, got {_got(error.instance)}"
        if isinstance(error.instance, str) and expected and "{range: [low, high]}" in expected:
            # a distribution typed as text (a command line's option, a form's box): its typed forms too
            said += f"; typed as text: {TYPED_DISTRIBUTIONS}"
        return said, path
    return f"{error.message}", path
