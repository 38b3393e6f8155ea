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


def test_leximin_survives_a_highs_solve_error() -> None:
    """Found by hypothesis in CI: HiGHS's final check rejected its own optimum by 1e-9 ("Solve error")
    at the second leximin stage; the backend solves the model again and the answer matches brute force."""
    share = 0.2500463033720047
    problem = Problem(
        parties=("party0", "party1", "party2", "party3"),
        party_names=("Party 0", "Party 1", "Party 2", "Party 3"),
        points=("p0", "p1", "p2"),
        point_titles=("Point 1", "Point 2", "Point 3"),
        point_numbers=(1, 2, 3),
        options=(("o0", "o1", "o2"), ("o0",), ("o0", "o1", "o2")),
        option_texts=(
            ("Option 0", "Option 1", "Option 2"),
            ("Option 0",),
            ("Option 0", "Option 1", "Option 2"),
        ),
        utility=np.array(
            [
                [1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0],
                [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                [share, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                [share, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            ]
        ),
        reservation=np.zeros(4),
        red_lines=(),
        links=(),
        reservations_active=(True, True, True, True),
        fixed={},
    )
    outcome = solve(problem, Concept.LEXIMIN, solver=SOLVER)
    assert outcome.best is not None and outcome.best.status is Status.OPTIMAL
    assert sorted(outcome.best.gains) == pytest.approx(bf.leximin_vector(problem), abs=1e-6)
    assert sorted(outcome.best.gains) == pytest.approx([0.0, share, share, 1.0], abs=1e-9)


def test_cpsat_rounding_keeps_a_package_that_meets_a_reservation_exactly() -> None:
    """Found by hypothesis: 0.25 + 1/30 + 1/30 + 7/30 = 0.55 = the reservation value, but the coefficients
    rounded to 10^-7 summed to 0.5499999 and CP-SAT called the only acceptable package infeasible."""
    problem = Problem(
        parties=("party0", "party1"),
        party_names=("Party 0", "Party 1"),
        points=("p0", "p1", "p2", "p3"),
        point_titles=("Point 1", "Point 2", "Point 3", "Point 4"),
        point_numbers=(1, 2, 3, 4),
        options=(("o0", "o1"), ("o0",), ("o0", "o1"), ("o0",)),
        option_texts=(("Option 0", "Option 1"), ("Option 0",), ("Option 0", "Option 1"), ("Option 0",)),
        utility=np.array([[0.0, 0.25, 1 / 30, 0.0, 1 / 30, 7 / 30], [0.0] * 6]),
        reservation=np.array([0.55, 0.0]),
        red_lines=(),
        links=(),
        reservations_active=(True, True),
        fixed={},
    )
    assert bf.utilitarian_value(problem) == pytest.approx(0.55)
    outcome = solve(problem, Concept.UTILITARIAN, solver=CPSAT)
    assert outcome.best is not None
    assert outcome.best.package == {"p0": "o1", "p1": "o0", "p2": "o1", "p3": "o0"}
