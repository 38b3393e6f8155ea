"""A quick yes to "does this document follow the scenario schema?", for the common case of a valid file.

jsonschema takes ~0.3 s to import and to walk a scenario (most of `accord solve`'s start-up), and a
valid file needs no words. ``compile_schema(schema)`` gives a check that answers True or False exactly as
``Draft202012Validator(schema).is_valid`` does, for the keywords the scenario schema uses (their 2020-12
meaning, jsonschema's type and equality rules); ``Unsure`` is raised for anything else (another keyword
or a remote $ref when compiling, a value of no JSON type such as a YAML date when checking), and the
caller then asks jsonschema. Only jsonschema words the problems of a bad file,
so every message stays as it was. tests/unit/test_quick_schema.py holds the two to the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]


class Unsure(Exception):
    """The schema or the document is outside what the quick check decides exactly."""


_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples", "x-expected"}
)
_PLAIN = frozenset({dict, list, str, int, float, bool, type(None)})


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPES: dict[str, Check] = {  # jsonschema's draft 2020-12 type checker
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": _is_number,
    "integer": lambda v: _is_number(v) and (isinstance(v, int) or float(v).is_integer()),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _json_kind(value: Any) -> str:
    for name in ("null", "boolean", "number", "string", "array", "object"):
        if _TYPES[name](value):
            return name
    raise Unsure(f"a value of no JSON type: {type(value).__name__}")


def _equal(one: Any, other: Any) -> bool:
    """jsonschema's equality: true is not 1, 1 is 1.0; containers compared item by item."""
    kind = _json_kind(one)
    if kind != _json_kind(other):
        return False
    if kind == "boolean":
        return bool(one is other)
    if kind == "array":
        return len(one) == len(other) and all(_equal(a, b) for a, b in zip(one, other, strict=True))
    if kind == "object":
        return one.keys() == other.keys() and all(_equal(one[k], other[k]) for k in one)
    return bool(one == other)


def compile_schema(root: dict[str, Any]) -> Check:
    """The quick check of a whole document against ``root`` (whose $refs point into its own $defs)."""
    return _Compiler(root).node(root)


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.defs: dict[str, Check] = {}

    def node(self, schema: Any) -> Check:
        if schema is True or schema is False:
            answer = bool(schema)
            return lambda v: _plain(v) and answer
        if not isinstance(schema, dict):
            raise Unsure("a schema that is not a mapping or a boolean")
        checks = [
            self.keyword(key, argument, schema) for key, argument in schema.items() if key not in _ANNOTATIONS
        ]

        def check(value: Any) -> bool:
            _plain(value)
            return all(c(value) for c in checks)

        return check

    def keyword(self, key: str, argument: Any, schema: dict[str, Any]) -> Check:
        make: Callable[[Any, dict[str, Any]], Check] | None = getattr(
            self, "_" + key.replace("$", "dollar_"), None
        )
        if make is None:
            raise Unsure(f"keyword {key!r}")
        return make(argument, schema)

    def _dollar_ref(self, ref: Any, schema: dict[str, Any]) -> Check:
        if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
            raise Unsure(f"$ref {ref!r}")
        name = ref.removeprefix("#/$defs/")
        if any(c in name for c in "/~%") or name not in self.root.get("$defs", {}):
            raise Unsure(f"$ref {ref!r}")
        if name not in self.defs:
            self.defs[name] = lambda v: True  # while compiling a definition that refers to itself
            target = self.node(self.root["$defs"][name])
            self.defs[name] = target
        return lambda v: self.defs[name](v)

    def _type(self, names: Any, schema: dict[str, Any]) -> Check:
        wanted = [names] if isinstance(names, str) else list(names)
        if any(name not in _TYPES for name in wanted):
            raise Unsure(f"type {names!r}")
        tests = [_TYPES[name] for name in wanted]
        return lambda v: any(t(v) for t in tests)

    def _properties(self, properties: Any, schema: dict[str, Any]) -> Check:
        subs = {name: self.node(sub) for name, sub in properties.items()}
        return lambda v: not isinstance(v, dict) or all(c(v[k]) for k, c in subs.items() if k in v)

    def _additionalProperties(self, extra: Any, schema: dict[str, Any]) -> Check:
        if "patternProperties" in schema:
            raise Unsure("patternProperties")
        known = set(schema.get("properties", {}))
        sub = self.node(extra)
        return lambda v: not isinstance(v, dict) or all(sub(x) for k, x in v.items() if k not in known)

    def _required(self, names: Any, schema: dict[str, Any]) -> Check:
        return lambda v: not isinstance(v, dict) or all(name in v for name in names)

    def _propertyNames(self, names: Any, schema: dict[str, Any]) -> Check:
        sub = self.node(names)
        return lambda v: not isinstance(v, dict) or all(sub(k) for k in v)

    def _minProperties(self, least: Any, schema: dict[str, Any]) -> Check:
        return lambda v: not isinstance(v, dict) or len(v) >= least

    def _items(self, items: Any, schema: dict[str, Any]) -> Check:
        if "prefixItems" in schema:
            raise Unsure("prefixItems")
        sub = self.node(items)
        return lambda v: not isinstance(v, list) or all(sub(x) for x in v)

    def _minItems(self, least: Any, schema: dict[str, Any]) -> Check:
        return lambda v: not isinstance(v, list) or len(v) >= least

    def _maxItems(self, most: Any, schema: dict[str, Any]) -> Check:
        return lambda v: not isinstance(v, list) or len(v) <= most

    def _minLength(self, least: Any, schema: dict[str, Any]) -> Check:
        return lambda v: not isinstance(v, str) or len(v) >= least

    def _pattern(self, pattern: Any, schema: dict[str, Any]) -> Check:
        search = re.compile(pattern).search  # jsonschema's own: re.search, anywhere in the text
        return lambda v: not isinstance(v, str) or search(v) is not None

    def _minimum(self, bound: Any, schema: dict[str, Any]) -> Check:
        return lambda v: not _is_number(v) or not v < bound  # as jsonschema compares (NaN passes)

    def _maximum(self, bound: Any, schema: dict[str, Any]) -> Check:
        return lambda v: not _is_number(v) or not v > bound

    def _exclusiveMinimum(self, bound: Any, schema: dict[str, Any]) -> Check:
        return lambda v: not _is_number(v) or not v <= bound

    def _exclusiveMaximum(self, bound: Any, schema: dict[str, Any]) -> Check:
        return lambda v: not _is_number(v) or not v >= bound

    def _enum(self, allowed: Any, schema: dict[str, Any]) -> Check:
        return lambda v: any(_equal(v, one) for one in allowed)

    def _const(self, wanted: Any, schema: dict[str, Any]) -> Check:
        return lambda v: _equal(v, wanted)

    def _oneOf(self, branches: Any, schema: dict[str, Any]) -> Check:
        subs = [self.node(branch) for branch in branches]
        return lambda v: [c(v) for c in subs].count(True) == 1

    def _not(self, branch: Any, schema: dict[str, Any]) -> Check:
        sub = self.node(branch)
        return lambda v: not sub(v)


def _plain(value: Any) -> bool:
    """True for a value of a JSON type; Unsure for another (a YAML date, bytes, a set, ...)."""
    if type(value) not in _PLAIN:
        _json_kind(value)
    return True
