"""The engine's speed-ups keep answers exact: starts, separable shortcuts, the local search, time limits."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from accord.engine import Concept, Status, get_solver, solve
from accord.engine.backends import brute_force as bf
from accord.engine.backends import highs
from accord.engine.heuristics import Neighbourhood, leximin_score, log_product_score, min_score
from accord.engine.milp import MilpStatus, PackageModel
from accord.engine.problem import Problem
from tests.engine_strategies import problems

SOLVER = get_solver("highs")


def _problem(utility: list[list[float]], reservation: list[float], sizes: list[int]) -> Problem:
    n = len(utility)
    return Problem(
        parties=tuple(f"party{i}" for i in range(n)),
        party_names=tuple(f"Party {i}" for i in range(n)),
        points=tuple(f"p{p}" for p in range(len(sizes))),
        point_titles=tuple(f"Point {p + 1}" for p in range(len(sizes))),
        point_numbers=tuple(range(1, len(sizes) + 1)),
        options=tuple(tuple(f"o{o}" for o in range(s)) for s in sizes),
        option_texts=tuple(tuple(f"Option {o}" for o in range(s)) for s in sizes),
        utility=np.array(utility),
        reservation=np.array(reservation),
        reservations_active=(True,) * n,
    )


def _random_problem(parties: int, points: int, options: int, seed: int) -> Problem:
    """Like the bench's instances: GENIUS-style weights and scores, two red lines a party."""
    rng = np.random.default_rng(seed)
    weights = rng.random((parties, points))
    weights /= weights.sum(axis=1, keepdims=True)
    scores = rng.random((parties, points, options))
    scores /= scores.max(axis=2, keepdims=True)
    utility = (weights[:, :, None] * scores).reshape(parties, -1)
    return _problem(utility.tolist(), [0.25] * parties, [options] * points)


def test_a_start_that_highs_carries_wrongly_into_its_presolved_model_is_caught() -> None:
    """Found by hypothesis: HiGHS 1.16 took the start (min gain 1/140) for one of min gain 1/28 in its
    presolved model and stopped there, reporting 1/28 as optimal; the third-best egalitarian package
    came out with min gain 1/140 instead of 3/140. The backend checks such answers and solves again."""
    problem = _problem(
        [[0, 0, 1 / 35, 0, 1 / 70, 1 / 70, 0, 1 / 35, 18 / 35], [0, 0.05, 0.05, 0, 0, 0, 0.05, 0, 0]],
        [0.55, 0.0],
        [3, 3, 2, 1],
    )
    outcome = solve(problem, Concept.EGALITARIAN, solver=SOLVER, top=3)
    _, utilities = bf.acceptable(problem)
    expected = sorted((utilities - problem.reservation).min(axis=1), reverse=True)[:3]
    assert [s.value for s in outcome.solutions] == pytest.approx(expected, abs=1e-12)


def test_highs_consistency_check_rejects_an_overstated_objective() -> None:
    problem = _random_problem(2, 3, 2, seed=1)
    model = PackageModel.build(problem)
    model.milp.set_objective(np.arange(problem.n_columns), problem.utility.sum(axis=0))
    result = SOLVER.solve(model.milp)
    assert result.status is MilpStatus.OPTIMAL and highs._consistent(model.milp, result)
    result.objective += 1e-3
    assert not highs._consistent(model.milp, result)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_points=5, max_options=3))
def test_a_start_never_changes_the_optimum(problem: Problem) -> None:
    model = PackageModel.build(problem)
    t = model.add_var(-np.inf, np.inf)
    for party in range(problem.n_parties):
        index, value = PackageModel.utility_terms(problem, party)
        model.add_row(-np.inf, -float(problem.reservation[party]), [t, *index], [1.0, *(-value)])
    model.milp.set_objective([t], [1.0])
    cold = SOLVER.solve(model.milp)
    packages, _ = bf.acceptable(problem)
    for columns in packages[:: max(1, len(packages) // 5)]:
        warm = SOLVER.solve(model.milp, start=model.start(columns))
        assert warm.status is cold.status
        assert warm.objective == pytest.approx(cold.objective, abs=1e-9)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_local_search_returns_only_acceptable_packages_outside_the_forbidden(problem: Problem) -> None:
    hood = Neighbourhood(problem)
    packages, _ = bf.acceptable(problem)
    forbidden = {tuple(int(c) for c in p) for p in packages[:2]}
    active = np.ones(problem.n_parties, dtype=bool)
    for score in (min_score(), leximin_score, log_product_score(active)):
        found = hood.improve(hood.separable_best(np.ones(problem.n_parties)), score, forbidden)
        if found is None:
            continue
        assert problem.broken(found) == []
        assert tuple(int(c) for c in found) not in forbidden
        assert tuple(int(c) for c in found) in {tuple(int(c) for c in p) for p in packages}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_points=5, max_options=3))
def test_top_k_of_the_maxmin_concepts_matches_brute_force(problem: Problem) -> None:
    packages, utilities = bf.acceptable(problem)
    gains = utilities - problem.reservation
    expected = sorted(gains.min(axis=1), reverse=True)[:3] if len(packages) else []
    for concept in (Concept.EGALITARIAN, Concept.LEXIMIN):
        outcome = solve(problem, concept, solver=SOLVER, top=3)
        assert len({s.columns for s in outcome.solutions}) == len(outcome.solutions) == len(expected)
        assert [s.value for s in outcome.solutions] == pytest.approx(expected, abs=1e-6)
        for s in outcome.solutions:
            assert problem.broken(np.array(s.columns)) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_points=4, max_options=3, max_parties=3))
def test_cpsat_leximin_agrees_with_brute_force_to_its_scaling(problem: Problem) -> None:
    outcome = solve(problem, Concept.LEXIMIN, solver=get_solver("cpsat"))
    expected = bf.leximin_vector(problem)
    if expected is None:
        assert outcome.status is Status.INFEASIBLE
        return
    assert outcome.best is not None
    assert min(outcome.best.gains) == pytest.approx(expected[0], abs=1e-5)


def test_bench_sized_problem_is_solved_exactly() -> None:
    """The issue's instance size (28 points x 5 options x 3 parties, red lines): every concept optimal,
    and the Nash, egalitarian and Kalai–Smorodinsky values no package found by a second route beats."""
    problem = _random_problem(3, 28, 5, seed=5028)
    for concept in Concept:
        outcome = solve(problem, concept, solver=SOLVER)
        assert outcome.status is Status.OPTIMAL, concept
        assert outcome.best is not None and problem.broken(np.array(outcome.best.columns)) == []
    egalitarian = solve(problem, Concept.EGALITARIAN, solver=SOLVER).best
    leximin = solve(problem, Concept.LEXIMIN, solver=SOLVER).best
    assert egalitarian is not None and leximin is not None
    assert min(leximin.gains) == pytest.approx(min(egalitarian.gains), abs=1e-9)


@pytest.mark.parametrize("concept", [Concept.EGALITARIAN, Concept.LEXIMIN, Concept.KALAI_SMORODINSKY])
def test_a_time_limit_reports_time_limit_with_the_proven_gap(concept: Concept) -> None:
    problem = _random_problem(5, 100, 6, seed=7)
    outcome = solve(problem, concept, solver=SOLVER, time_limit=0.2)
    assert outcome.best is not None
    assert outcome.status is Status.TIME_LIMIT
    assert outcome.best.gap > 0
    assert problem.broken(np.array(outcome.best.columns)) == []


def test_cpsat_leximin_with_a_utility_between_two_grid_points() -> None:
    """Found by hypothesis: 0.12890625 is 1289062.5 units of CP-SAT's 1e-7 grid; a helper variable's
    bound rounded inwards cut off the only package. Bounds are now rounded outwards."""
    problem = Problem(
        parties=("party0", "party1"),
        party_names=("Party 0", "Party 1"),
        points=("p0",),
        point_titles=("Point 1",),
        point_numbers=(1,),
        options=(("o0",),),
        option_texts=(("Option 0",),),
        utility=np.array([[0.12890625], [0.12890625]]),
        reservation=np.zeros(2),
        red_lines=(),
        links=(),
        reservations_active=(True, True),
        fixed={},
    )
    outcome = solve(problem, Concept.LEXIMIN, solver=get_solver("cpsat"))
    assert outcome.best is not None
    assert min(outcome.best.gains) == pytest.approx(0.12890625, abs=1e-6)
