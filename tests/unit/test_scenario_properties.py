"""Properties of the scenario format: lossless round trips, and no crash on any input."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.domain import Negotiation
from accord.errors import ScenarioError
from accord.scenario import dump, dumps, load, loads
from tests.conftest import EXAMPLES, SMALL
from tests.strategies import mutated, negotiations, yaml_values


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(negotiations())
def test_dump_then_load_gives_back_the_same_negotiation(negotiation: Negotiation) -> None:
    assert loads(dumps(negotiation), "roundtrip.yaml") == negotiation


def test_every_example_round_trips_through_dump(tmp_path: Path) -> None:
    examples = sorted(EXAMPLES.glob("*.yaml"))
    assert examples, "the examples folder holds scenarios"
    for example in examples:
        negotiation = load(example)
        dump(negotiation, tmp_path / example.name)
        assert load(tmp_path / example.name) == negotiation, example.name


def _load_or_scenario_error(text: str) -> None:
    try:
        result = loads(text, "fuzz.yaml")
    except ScenarioError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
    else:
        assert isinstance(result, Negotiation)


@settings(max_examples=300, deadline=None)
@given(yaml_values)
def test_random_documents_give_a_scenario_or_accords_own_error(document: Any) -> None:
    _load_or_scenario_error(yaml.safe_dump(document))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(SMALL))
def test_mutated_valid_documents_give_a_scenario_or_accords_own_error(document: Any) -> None:
    _load_or_scenario_error(yaml.safe_dump(document, allow_unicode=True))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_gives_accords_own_error(text: str) -> None:
    _load_or_scenario_error(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_in_a_file_give_a_scenario_or_accords_own_error(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bytes.yaml"
        path.write_bytes(raw)
        try:
            load(path)
        except ScenarioError as exc:
            assert exc.problems and all(p.file == str(path) for p in exc.problems)
