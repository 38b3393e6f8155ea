"""The quick schema check (accord.scenario.quick_schema) says yes or no exactly as jsonschema does.

A "yes" it gives wrongly would hide a file's problems; so every document here, valid or broken in
some random way, must get jsonschema's own answer (or Unsure, which hands it to jsonschema).
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from accord.scenario import schema as schema_module
from accord.scenario.quick_schema import Unsure, compile_schema
from accord.scenario.schema import scenario_schema
from accord.scenario.yaml_source import read_file
from tests.conftest import EXAMPLES, SMALL

SCHEMA = scenario_schema()
JSONSCHEMA = Draft202012Validator(SCHEMA)
QUICK = compile_schema(SCHEMA)
DOCS = {
    "small": SMALL,
    "camp-david": read_file(EXAMPLES / "camp-david-1978.yaml").document,  # as accord reads files
    "coalition": read_file(EXAMPLES / "coalition-agreement.yaml").document,
}
VALUES: list[Any] = [
    None, True, False, 0, 1, -1, 1.0, 2.5, -0.5, 1e300, float("inf"), "", "x", "Bad id!", "ok-id",
    "a\n", "1", [], [1], ["x"], [{}], {}, {"x": 1}, {"uniform": [0, 1]}, {"dirichlet": 1},
]  # fmt: skip


def _nodes(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += _nodes(value, (*path, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            found += _nodes(value, (*path, i))
    return found


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def mutate(doc: dict[str, Any], rng: random.Random, times: int) -> dict[str, Any]:
    """``doc`` with ``times`` random changes: a value replaced, a key dropped, added, renamed; a list cut."""
    doc = copy.deepcopy(doc)
    for _ in range(times):
        path = rng.choice(_nodes(doc)[1:])
        parent, last = _at(doc, path[:-1]), path[-1]
        how = rng.randrange(5)
        if how == 0:
            parent[last] = copy.deepcopy(rng.choice(VALUES))
        elif how == 1 and isinstance(parent, dict):
            del parent[last]
        elif how == 2 and isinstance(parent, dict):
            parent[rng.choice(["extra", "Bad Key", "x-1", last + "_"])] = copy.deepcopy(rng.choice(VALUES))
        elif how == 3 and isinstance(parent, dict):
            parent[rng.choice(["renamed", "Bad Key", "", "k\n"])] = parent.pop(last)
        elif how == 4 and isinstance(parent, list):
            del parent[rng.randrange(len(parent)) :]
        else:
            parent[last] = copy.deepcopy(rng.choice(VALUES))
    return doc


def same_answer(doc: Any) -> None:
    try:
        quick = QUICK(doc)
    except Unsure:
        return  # jsonschema decides: nothing to compare
    assert quick == JSONSCHEMA.is_valid(doc), [e.message for e in JSONSCHEMA.iter_errors(doc)][:3]


def test_the_scenario_schema_uses_only_keywords_the_quick_check_knows() -> None:
    assert schema_module._quick_check() is not None, "else every file pays for jsonschema"


@pytest.mark.parametrize("name", sorted(DOCS))
def test_the_examples_are_valid_both_ways(name: str) -> None:
    assert QUICK(DOCS[name]) is True
    assert JSONSCHEMA.is_valid(DOCS[name])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(DOCS)), st.randoms(use_true_random=False), st.integers(1, 3))
def test_a_randomly_broken_document_gets_jsonschemas_answer(
    name: str, rng: random.Random, times: int
) -> None:
    same_answer(mutate(DOCS[name], rng, times))


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(accord=1.0),  # 1.0 is 1 for jsonschema
        lambda d: d.update(accord=True),  # true is not 1
        lambda d: d["points"][0].update(number=2.0),  # an integer written 2.0
        lambda d: d["points"][0].update(number=True),
        lambda d: d.update(score_scale=False),
        lambda d: d["parties"]["north"]["weights"].update(ceasefire=float("nan")),
        lambda d: d["parties"].update({"north\n": d["parties"].pop("north")}),  # $ before a final newline
        lambda d: d["parties"]["north"].update(role="Mediator"),
        lambda d: d["negotiation"].update(id="a" * 500),
        lambda d: d["points"][0]["options"].clear(),
    ],
)
def test_edges_of_types_and_patterns(change: Any) -> None:
    doc = copy.deepcopy(SMALL)
    change(doc)
    same_answer(doc)


def test_a_value_of_no_json_type_is_left_to_jsonschema() -> None:
    doc = copy.deepcopy(SMALL)
    doc["negotiation"]["date"] = dt.date(2025, 1, 1)  # YAML reads an unquoted date as a date
    with pytest.raises(Unsure):
        QUICK(doc)


def test_a_keyword_it_does_not_know_hands_the_schema_to_jsonschema() -> None:
    with pytest.raises(Unsure):
        compile_schema({"type": "object", "dependentRequired": {"a": ["b"]}})
    with pytest.raises(Unsure):
        compile_schema({"$ref": "https://example.org/other.json"})
