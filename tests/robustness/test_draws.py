"""Robustness from draws (a posterior's equally weighted samples) instead of the uncertainty block:
exact against probabilities known in closed form, the same whatever the chunking, and the sampled
problem of a re-solve built from one draw."""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis.robustness import (
    BLOCK,
    Draws,
    acceptance_of_draws,
    draws_of,
    model_of,
    resample_problem,
    run,
    with_draws,
)
from tests.robustness.test_monte_carlo import _same, _toy

# The toy's columns: deal/yes 0, deal/no 1, fund/big 2, fund/small 3. North's draws: weights half and
# half, deal/yes scored 0.2, 0.4, 0.6, 0.8 (one each), fund/big 1: utility of (yes, big) 0.6, 0.7, 0.8,
# 0.9 against a reservation value of 0.75 in every draw: it accepts in half of its draws.
# South's draws: utility of (yes, big) 0.5; reservation value 0.3 in three draws of four, 0.6 in one.
NORTH = Draws(
    weights=np.full((4, 2), 0.5),
    scores=np.array([[s, 0.0, 1.0, 0.0] for s in (0.2, 0.4, 0.6, 0.8)]),
    reservation=np.full(4, 0.75),
)
SOUTH = Draws(
    weights=np.full((4, 2), 0.5),
    scores=np.tile([1.0, 0.0, 0.0, 1.0], (4, 1)),
    reservation=np.array([0.3, 0.3, 0.6, 0.3]),
)
CANDIDATES = np.array([[0, 2], [1, 3]], dtype=np.int64)


def test_acceptance_over_the_draws_is_exact() -> None:
    model = with_draws(model_of(_toy()), {"north": NORTH, "south": SOUTH})
    each, everyone = acceptance_of_draws(model, CANDIDATES)
    # (yes, big): North 1/2, South 3/4; (no, small): North 0 (utility 0), South 3/4 (utility 0.5)
    assert each[:, 0] == pytest.approx([0.5, 0.75])
    assert each[:, 1] == pytest.approx([0.0, 0.75])
    assert everyone == pytest.approx([0.375, 0.0])


def test_the_monte_carlo_resamples_the_draws() -> None:
    model = with_draws(model_of(_toy()), {"north": NORTH, "south": SOUTH})
    tally = run(model, CANDIDATES, 4 * BLOCK, 5)
    share = tally.accepted_by_all / tally.samples
    error = np.sqrt(0.375 * 0.625 / tally.samples)
    assert abs(share[0] - 0.375) < 4 * error
    assert share[1] == 0.0
    assert tally.utility_sum[0, 0] / tally.samples == pytest.approx(0.75, abs=0.01)  # mean of 0.6..0.9
    # every point's weight and the reservation value of each party are the uncertain parameters
    assert [(p.party, p.kind, p.point) for p in model.parameters] == [
        (0, "weight", "deal"),
        (0, "weight", "fund"),
        (0, "reservation", None),
        (1, "weight", "deal"),
        (1, "weight", "fund"),
        (1, "reservation", None),
    ]
    assert tally.x_sum.shape == (6,)


def test_a_party_without_draws_keeps_its_uncertainty_block() -> None:
    model = with_draws(model_of(_toy()), {"north": NORTH})
    tally = run(model, CANDIDATES, 6 * BLOCK, 2)
    north, south = tally.accepted[:, 0] / tally.samples
    assert abs(north - 0.5) < 0.02  # the draws
    assert abs(south - 0.8) < 0.02  # South's triangular reservation value (test_monte_carlo)
    with pytest.raises(ValueError, match="no draws for south"):
        acceptance_of_draws(model, CANDIDATES)


def test_draws_give_the_same_numbers_whatever_the_chunking() -> None:
    model = with_draws(model_of(_toy()), {"north": NORTH, "south": SOUTH})
    samples = 2 * BLOCK + 11
    reference = run(model, CANDIDATES, samples, 9, chunk=1)
    _same(reference, run(model, CANDIDATES, samples, 9, chunk=3))


def test_a_re_solve_draws_one_of_the_draws() -> None:
    model = with_draws(model_of(_toy()), {"north": NORTH, "south": SOUTH})
    problem = resample_problem(model, np.random.default_rng(1))
    assert min(abs(problem.utility[0, 0] - u) for u in (0.1, 0.2, 0.3, 0.4)) < 1e-6
    assert problem.utility[0, 2] == pytest.approx(0.5)
    assert problem.reservation[0] == pytest.approx(0.75)
    assert problem.reservation[1] in (0.3, 0.6)


def test_draws_are_laid_out_on_the_problem_from_any_order_of_points_and_options() -> None:
    problem = model_of(_toy()).problem
    draws = draws_of(
        problem,
        ["fund", "deal"],
        [("small", "big"), ("no", "yes")],
        np.array([[3.0, 1.0]]),
        [np.array([[0.1, 0.9]]), np.array([[0.0, 0.7]])],
        np.array([0.4]),
    )
    assert draws.weights.tolist() == [[0.25, 0.75]]  # deal, fund (normalised)
    assert draws.scores.tolist() == [[0.7, 0.0, 0.9, 0.1]]
    assert draws.reservation.tolist() == [0.4]
    with pytest.raises(ValueError, match="not in the problem"):
        with_draws(model_of(_toy()), {"east": draws})
