"""The calibration bench's bounds (bench/estimate.py): the truth's weights and noise with each point's
scores left to the evidence, the reference the posterior's held-out accuracy is read against; and the
ranking bound, the reference for the top-3 in top-5 score."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from bench.estimate import (
    AS_CONSISTENT,
    answer_probabilities_at,
    bound,
    make,
    misspecified_probabilities,
    model_probabilities,
    position,
    ranking_bound,
)
from scipy.stats import spearmanr

from accord.domain import StanceKind


@pytest.mark.parametrize("misspecified", [False, True], ids=["model", "misspecified"])
def test_the_bound_reads_answers_through_the_noise_that_generated_them(misspecified: bool) -> None:
    instance = make(3, 6, misspecified, seed=7)
    truth = instance.truth["party1"]
    generated = misspecified_probabilities if misspecified else model_probabilities
    for p, scores in enumerate(truth.scores):
        m = len(truth.weights) * truth.weights[p]
        places = np.array([position(scores, o) for o in range(len(scores))])
        many = answer_probabilities_at(m, places, misspecified, instance.beta)
        for o in range(len(scores)):
            assert many[o] == pytest.approx(generated(truth, p, o, instance.beta), abs=1e-12)


def test_the_bound_predicts_every_held_out_answer_with_a_distribution() -> None:
    instance = make(3, 6, False, seed=7)
    found = bound(instance, seed=0)
    asked = {
        (s.party, s.point, instance.negotiation.draft(s.draft).choices[s.point].option)
        for s in instance.held_out
    }
    assert set(found) == asked
    for probabilities in found.values():
        assert probabilities.shape == (3,)
        assert probabilities.sum() == pytest.approx(1.0)
        assert (probabilities >= 0).all()


def test_the_bound_follows_a_point_answered_the_same_way_every_time() -> None:
    """A heavy point whose one drafted option the party accepted on every draft: the bound expects
    acceptance again, whatever the declared scores say."""
    instance = make(3, 6, False, seed=7)
    found = bound(instance, seed=0)
    kept: dict[tuple[str, str, str | None], set[str]] = {}
    for s in instance.negotiation.stances:
        option = instance.negotiation.draft(s.draft).choices[s.point].option
        kept.setdefault((s.party, s.point, option), set()).add(s.stance.value)
    always = [key for key, answers in kept.items() if answers == {"accept"} and key in found]
    assert always, "the instance has an option accepted every time it was answered"
    share = np.mean([found[key][2] > found[key][0] for key in always])
    assert share > 0.9


def _truth_accuracy(misspecified: bool, beta: float, points: int = 30, answers: int = 240_000) -> float:
    """How often the truth's most likely answer is the answer drawn, in expectation, over the bench's
    preferences (Dirichlet(1) weights, uniform scores, 3-6 options, an option chosen at random)."""
    rng = np.random.default_rng(11)
    m = points * rng.dirichlet(np.ones(points), size=answers // points).ravel()
    sizes = rng.integers(3, 7, size=len(m))
    scores = np.where(np.arange(6) < sizes[:, None], rng.random((len(m), 6)), np.nan)
    chosen = scores[np.arange(len(m)), (rng.random(len(m)) * sizes).astype(int)]
    low, high = np.nanmin(scores, axis=1), np.nanmax(scores, axis=1)
    places = (chosen - low) / (high - low)
    return float(answer_probabilities_at(m, places, misspecified, beta).max(axis=1).mean())


def test_the_consistent_misspecified_noise_is_as_consistent_as_the_models_and_the_other_is_not() -> None:
    model = _truth_accuracy(False, 30.0)
    assert _truth_accuracy(True, 30.0 * AS_CONSISTENT) == pytest.approx(model, abs=0.004)
    assert _truth_accuracy(True, 30.0) < model - 0.03  # the plain misspecified noise: noisier too
    assert _truth_accuracy(False, 30.0, points=20) == pytest.approx(
        _truth_accuracy(True, 30.0 * AS_CONSISTENT, points=20), abs=0.004
    )


def test_the_ranking_bound_puts_three_points_among_each_partys_heaviest() -> None:
    instance = make(3, 8, True, seed=7)
    found = ranking_bound(instance, seed=0)
    assert set(found) == set(instance.truth)
    for probabilities in found.values():
        assert probabilities.shape == (8,)
        assert probabilities.sum() == pytest.approx(3.0)
        assert ((probabilities >= 0) & (probabilities <= 1)).all()


def test_without_answers_the_ranking_bound_follows_the_declared_weights() -> None:
    instance = make(3, 8, False, seed=7)
    silent = replace(instance, negotiation=replace(instance.negotiation, stances=()))
    for party, probabilities in ranking_bound(silent, seed=0).items():
        declared = [instance.negotiation.preferences[party].weight(f"p{p + 1}") for p in range(8)]
        assert spearmanr(declared, probabilities).statistic > 0.9


def test_a_point_answered_conditional_on_every_option_falls_out_of_the_heaviest() -> None:
    """Conditional on whichever option was drafted, at the bench's slope, where a heavy point's answers
    are decisive: the party does not care much about the point, whatever its declared weight."""
    instance = make(3, 20, False, seed=7)
    preferences = instance.negotiation.preferences["party1"]
    heaviest = max(preferences.weights, key=preferences.weight)
    lukewarm = tuple(
        replace(s, stance=StanceKind.CONDITIONAL) if (s.party, s.point) == ("party1", heaviest) else s
        for s in instance.negotiation.stances
    )
    assert sum((s.party, s.point) == ("party1", heaviest) for s in lukewarm) >= 3
    p = instance.negotiation.points.index(next(q for q in instance.negotiation.points if q.id == heaviest))
    silent = replace(instance, negotiation=replace(instance.negotiation, stances=()))
    before = ranking_bound(silent, seed=0)["party1"][p]
    after = ranking_bound(
        replace(instance, negotiation=replace(instance.negotiation, stances=lukewarm)), seed=0
    )
    assert before > 0.7
    assert after["party1"][p] < 0.1


def test_the_ranking_bound_knows_a_point_declared_heaviest_drew_its_noise_upwards() -> None:
    """Calibration with no answers: the point each party declared heaviest is among its three truly
    heaviest as often as the bound says. Declared heaviest of 30, its declared weight is likely to have
    drawn its noise upwards (the truth's flat Dirichlet has few heavy points): without the Dirichlet's
    prior for a weight, the bound said 0.82 where the bench's instances give 0.73."""
    said, found = [], []
    for seed in range(60):
        instance = make(3, 30, False, seed=seed)
        silent = replace(instance, negotiation=replace(instance.negotiation, stances=()))
        probabilities = ranking_bound(silent, seed)
        for party, truth in instance.truth.items():
            declared = [instance.negotiation.preferences[party].weight(f"p{p + 1}") for p in range(30)]
            heaviest = int(np.argmax(declared))
            said.append(probabilities[party][heaviest])
            found.append(heaviest in set(np.argsort(-truth.weights)[:3]))
    assert np.mean(said) == pytest.approx(np.mean(found), abs=0.04)
