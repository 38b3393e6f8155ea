"""Every solution concept agrees with the brute-force reference on small random problems."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from accord.engine import Concept, Status, get_solver, solve
from accord.engine.backends import brute_force as bf
from accord.engine.problem import Problem
from tests.engine_strategies import problems

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOLVER = get_solver("highs")


def _check_respects_demands(problem: Problem, columns: tuple[int, ...]) -> None:
    assert problem.broken(np.array(columns)) == [], (
        "a proposed package breaks no red line, link or reservation"
    )


def _solve(problem: Problem, concept: Concept) -> tuple[object, float | None]:
    outcome = solve(problem, concept, solver=SOLVER)
    return outcome, outcome.best.value if outcome.best else None


@SETTINGS
@given(problems())
def test_utilitarian_matches_brute_force(problem: Problem) -> None:
    outcome = solve(problem, Concept.UTILITARIAN, solver=SOLVER)
    expected = bf.utilitarian_value(problem)
    if expected is None:
        assert outcome.status is Status.INFEASIBLE and not outcome.solutions
        return
    best = outcome.best
    assert best is not None and best.status is Status.OPTIMAL
    _check_respects_demands(problem, best.columns)
    assert sum(best.utilities) == pytest.approx(expected, abs=1e-7)


@SETTINGS
@given(problems())
def test_egalitarian_matches_brute_force(problem: Problem) -> None:
    outcome = solve(problem, Concept.EGALITARIAN, solver=SOLVER)
    expected = bf.egalitarian_value(problem)
    if expected is None:
        assert outcome.status is Status.INFEASIBLE
        return
    assert outcome.best is not None
    _check_respects_demands(problem, outcome.best.columns)
    assert min(outcome.best.gains) == pytest.approx(expected, abs=1e-7)


@SETTINGS
@given(problems())
def test_leximin_matches_brute_force(problem: Problem) -> None:
    outcome = solve(problem, Concept.LEXIMIN, solver=SOLVER)
    expected = bf.leximin_vector(problem)
    if expected is None:
        assert outcome.status is Status.INFEASIBLE
        return
    assert outcome.best is not None
    _check_respects_demands(problem, outcome.best.columns)
    assert sorted(outcome.best.gains) == pytest.approx(expected, abs=1e-6)


@SETTINGS
@given(problems())
def test_kalai_smorodinsky_matches_brute_force(problem: Problem) -> None:
    outcome = solve(problem, Concept.KALAI_SMORODINSKY, solver=SOLVER)
    expected = bf.ks_value(problem)
    if expected is None:
        assert outcome.status is Status.INFEASIBLE
        return
    assert outcome.best is not None
    _check_respects_demands(problem, outcome.best.columns)
    assert outcome.best.value == pytest.approx(expected, abs=1e-6)


@SETTINGS
@given(problems())
def test_nash_matches_brute_force(problem: Problem) -> None:
    outcome = solve(problem, Concept.NASH, solver=SOLVER)
    expected = bf.nash_value(problem)
    if expected is None:
        assert outcome.status is Status.INFEASIBLE
        return
    best = outcome.best
    assert best is not None
    _check_respects_demands(problem, best.columns)
    if expected == 0.0:
        assert best.status is Status.DEGENERATE
    else:
        assert best.status is Status.OPTIMAL
        assert best.value == pytest.approx(expected, rel=1e-8)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_points=4, max_options=3))
def test_top_k_gives_distinct_packages_in_order(problem: Problem) -> None:
    acceptable, utilities = bf.acceptable(problem)
    outcome = solve(problem, Concept.UTILITARIAN, solver=SOLVER, top=3)
    assert len(outcome.solutions) == min(3, len(acceptable))
    assert len({s.columns for s in outcome.solutions}) == len(outcome.solutions)
    totals = [sum(s.utilities) for s in outcome.solutions]
    assert all(a >= b - 1e-9 for a, b in itertools.pairwise(totals)), "best first (ties within 1e-9)"
    expected = sorted(utilities.sum(axis=1), reverse=True)[: len(totals)]
    assert totals == pytest.approx(expected, abs=1e-7)
    nash = solve(problem, Concept.NASH, solver=SOLVER, top=2)
    assert len({s.columns for s in nash.solutions}) == len(nash.solutions)
    values = [s.value for s in nash.solutions]
    assert all(a >= b * (1 - 1e-8) for a, b in itertools.pairwise(values))


CPSAT = get_solver("cpsat")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_points=5, max_options=3))
def test_cpsat_backend_agrees_with_brute_force_to_its_scaling(problem: Problem) -> None:
    # CP-SAT works on integers scaled by 10^7, so it is exact to about 1e-6 here
    for concept, reference in (
        (Concept.UTILITARIAN, bf.utilitarian_value(problem)),
        (Concept.EGALITARIAN, bf.egalitarian_value(problem)),
        (Concept.NASH, bf.nash_value(problem)),
    ):
        outcome = solve(problem, concept, solver=CPSAT)
        if reference is None:
            assert outcome.status is Status.INFEASIBLE
            continue
        best = outcome.best
        assert best is not None
        if concept is Concept.UTILITARIAN:
            assert sum(best.utilities) == pytest.approx(reference, abs=1e-5)
        elif concept is Concept.EGALITARIAN:
            assert min(best.gains) == pytest.approx(reference, abs=1e-5)
        elif reference > 0:
            assert best.value == pytest.approx(reference, rel=1e-4, abs=1e-6)
