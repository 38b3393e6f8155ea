"""Monte Carlo robustness: right against probabilities known exactly, the same whatever the chunking
or the number of workers, and clear errors for bad distributions."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.analysis.robustness import BLOCK, Chunk, Tally, block_sizes, model_of, run
from accord.cli.app import app
from accord.errors import ScenarioError
from accord.scenario import dumps, loads
from accord.scenario.yaml_format import check_document
from accord.services.robustness import analyse
from tests.conftest import EXAMPLES

# Two parties, two points. North's utility of the package (deal, fund) is 0.5 * score(deal) / 10
# + 0.5 * 1, with score(deal) ~ U[0, 10] => u ~ U[0.5, 1]; its reservation value ~ U[0.6, 0.8].
# P(u >= r) = P(U[0.5,1] >= U[0.6,0.8]) = E[(1 - r) / 0.5] = (1 - 0.7) / 0.5 = 0.6.
# South: reservation triangular(0.2, 0.3, 0.7), utility of the package 0.5 exactly:
# P(r <= 0.5) = 1 - (0.7 - 0.5)^2 / ((0.7 - 0.2) * (0.7 - 0.3)) = 1 - 0.04 / 0.2 = 0.8.
DOC: dict[str, Any] = {
    "accord": 1,
    "negotiation": {"id": "toy", "title": "Toy"},
    "points": [
        {
            "id": "deal",
            "number": 1,
            "title": "Deal",
            "options": [{"key": "yes", "text": "Yes"}, {"key": "no", "text": "No"}],
        },
        {
            "id": "fund",
            "number": 2,
            "title": "Fund",
            "options": [{"key": "big", "text": "Big"}, {"key": "small", "text": "Small"}],
        },
    ],
    "parties": {
        "north": {
            "name": "North",
            "weights": {"deal": 1, "fund": 1},
            "score_scale": 10,
            "scores": {"deal": {"yes": 5, "no": 0}, "fund": {"big": 10, "small": 0}},
            "reservation_value": 0.7,
            "uncertainty": {
                "scores": {"deal": {"yes": {"uniform": [0, 10]}}},
                "reservation_value": {"range": [0.6, 0.8]},
            },
        },
        "south": {
            "name": "South",
            "weights": {"deal": 1, "fund": 1},
            "score_scale": 10,
            "scores": {"deal": {"yes": 10, "no": 0}, "fund": {"big": 0, "small": 10}},
            "reservation_value": 0.3,
            "uncertainty": {"reservation_value": {"triangular": [0.2, 0.3, 0.7]}},
        },
    },
    "drafts": [{"version": 1, "choices": {"deal": "yes", "fund": "big"}}],
}


def _toy() -> Any:
    return check_document(copy.deepcopy(DOC), "toy.yaml")


def test_the_estimate_lies_within_the_monte_carlo_error_of_the_exact_probabilities() -> None:
    result = analyse(_toy(), samples=60_000, seed=3, drafts=[1])
    [candidate] = result.candidates
    north, south = candidate.parties
    for estimate, exact in (
        (north.acceptance, 0.6),
        (south.acceptance, 0.8),
        (candidate.acceptance, 0.6 * 0.8),
    ):
        error = np.sqrt(exact * (1 - exact) / result.samples)
        assert abs(estimate - exact) < 4 * error, (estimate, exact)
    assert north.expected_utility == pytest.approx(0.75, abs=0.005)
    assert north.fifth_percentile == pytest.approx(0.525, abs=0.002)  # 5% of U[0.5, 1]
    assert south.expected_utility == pytest.approx(0.5, abs=1e-12)
    # North's acceptance hangs on its own score and reservation value; South's on its reservation value
    named = {s.parameter for s in result.sensitivity[:3]}
    assert named == {
        "North: score of 'Yes' on point 1 (Deal)",
        "North: reservation value",
        "South: reservation value",
    }


def _reversed(work: Callable[[int], Chunk], chunks: Sequence[int]) -> Iterable[Chunk]:
    """Chunks computed in another order (as on workers), handed back in order."""
    done = {c: work(c) for c in reversed(list(chunks))}
    return (done[c] for c in chunks)


def _same(a: Tally, b: Tally) -> None:
    for field in (
        "samples",
        "accepted_by_all",
        "accepted",
        "utility_sum",
        "histogram",
        "x_sum",
        "x2_sum",
        "xy_sum",
    ):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field


def test_the_same_seed_gives_the_same_numbers_whatever_the_chunking_and_order() -> None:
    model = model_of(_toy())
    candidates = np.array([[0, 2], [1, 3]], dtype=np.int64)
    samples = 3 * BLOCK + 17
    assert block_sizes(samples) == [BLOCK, BLOCK, BLOCK, 17]
    reference = run(model, candidates, samples, 9, chunk=1)
    for chunk in (2, 3, 10):
        _same(reference, run(model, candidates, samples, 9, chunk=chunk))
        _same(reference, run(model, candidates, samples, 9, chunk=chunk, runner=_reversed))
    other = run(model, candidates, samples, 10)
    assert not np.array_equal(other.accepted, run(model, candidates, samples, 9).accepted)


def test_a_local_dask_cluster_gives_the_in_process_numbers() -> None:
    from accord.services.robustness import dask_runner

    negotiation = _toy()
    local = analyse(negotiation, samples=2 * BLOCK + 5, seed=4, drafts=[1])
    with dask_runner(2, None) as (runner, where):
        distributed = analyse(
            negotiation, samples=2 * BLOCK + 5, seed=4, drafts=[1], runner=runner, where=where
        )
    assert where == "local Dask cluster of 2 workers"
    assert [c.acceptance for c in distributed.candidates] == [c.acceptance for c in local.candidates]
    assert [p.expected_utility for c in distributed.candidates for p in c.parties] == [
        p.expected_utility for c in local.candidates for p in c.parties
    ]
    assert np.array_equal(distributed.histogram, local.histogram)


@pytest.mark.parametrize(
    ("spread", "words"),
    [
        ({"range": [0.8, 0.6]}, "is not an interval"),
        ({"uniform": [0.5, 1.5]}, "leaves the scale"),
        ({"range": [0.75, 0.9]}, "the estimate 0.7 lies outside"),
        ({"triangular": [0.6, 0.9, 0.8]}, "is not an interval"),
        ({"normal": {"mean": 0.9, "sd": 0.1, "range": [0.6, 0.8]}}, "mean 0.9 is outside its range"),
        ({"normal": {"mean": 0.7, "sd": 0, "range": [0.6, 0.8]}}, "reservation_value"),
        ({"gamma": [1, 2]}, "expected {range: [low, high]}"),
        # typed as text (a command line's option, the preferences form): its text forms named too
        (
            "foo:1:2",
            "got 'foo:1:2'; typed as text: range:LOW:HIGH, uniform:LOW:HIGH, triangular:LOW:MODE:HIGH",
        ),
    ],
)
def test_a_bad_distribution_is_a_clear_error(spread: dict[str, Any] | str, words: str) -> None:
    doc = copy.deepcopy(DOC)
    doc["parties"]["north"]["uncertainty"]["reservation_value"] = spread
    with pytest.raises(ScenarioError) as caught:
        check_document(doc, "toy.yaml")
    messages = [f"{p.path}: {p.message}" for p in caught.value.problems]
    assert any(
        p.path.startswith("parties.north.uncertainty.reservation_value") for p in caught.value.problems
    ), messages
    assert any(words in m for m in messages), messages


def test_unknown_points_and_options_in_the_uncertainty_are_named() -> None:
    doc = copy.deepcopy(DOC)
    doc["parties"]["north"]["uncertainty"]["scores"] = {
        "deal": {"maybe": {"range": [0, 1]}},
        "border": {"x": {"range": [0, 1]}},
    }
    with pytest.raises(ScenarioError) as caught:
        check_document(doc, "toy.yaml")
    paths = {p.path for p in caught.value.problems}
    assert {"parties.north.uncertainty.scores.deal.maybe", "parties.north.uncertainty.scores.border"} <= paths


def test_uncertainty_round_trips_through_the_file_format() -> None:
    negotiation = _toy()
    assert loads(dumps(negotiation)) == negotiation
    flagship = (EXAMPLES / "peace-framework-2025.yaml").read_text(encoding="utf-8")
    assert loads(dumps(loads(flagship))) == loads(flagship)


def test_the_command_prints_json_and_draws_its_plots(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "robustness",
            str(EXAMPLES / "peace-framework-2025.yaml"),
            "--samples",
            "20000",
            "--draft",
            "3",
            "--concepts",
            "egalitarian",
            "--resolves",
            "5",
            "--json",
            "--plot",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["samples"] == 20000 and data["resolves_per_concept"] == 5
    names = [c["name"] for c in data["candidates"]]
    assert names == ["draft v3", "egalitarian"]
    draft = data["candidates"][0]
    assert draft["acceptance"] == 0.0, "draft D is below Russia's reservation value in every sample"
    assert set(draft["parties"]) == {"russia", "ukraine", "europe"}
    assert (tmp_path / "acceptance.png").stat().st_size > 5000 and (
        tmp_path / "utilities.png"
    ).stat().st_size > 5000


def test_a_scenario_without_uncertainty_is_refused() -> None:
    doc = copy.deepcopy(DOC)
    for party in doc["parties"].values():
        del party["uncertainty"]
    with pytest.raises(Exception, match="uncertainty"):
        analyse(check_document(doc, "toy.yaml"), samples=10, seed=1, drafts=[1])
