"""The small-domain fast path (enumeration) gives the integer programs' answers, concept by concept."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.engine import Concept, Status, get_solver, solve
from accord.engine import enumeration as en
from accord.engine.backends import brute_force as bf
from accord.engine.problem import Problem
from tests.engine_strategies import problems

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOLVER = get_solver("highs")


def _gains(problem: Problem, columns: tuple[int, ...]) -> np.ndarray:
    return problem.utilities(np.array(columns)) - problem.reservation


@SETTINGS
@given(problems())
def test_acceptable_packages_are_the_brute_force_ones(problem: Problem) -> None:
    packages, utilities = en.acceptable(problem)
    expected, expected_u = bf.acceptable(problem)
    assert sorted(map(tuple, packages.tolist())) == sorted(map(tuple, expected.tolist()))
    assert sorted(utilities.sum(axis=1)) == pytest.approx(sorted(expected_u.sum(axis=1)), abs=1e-12)
    assert en.package_count(problem) >= len(packages)


@SETTINGS
@given(problems(), st.lists(st.sampled_from([0.5, 1.0, 2.0, 3.0]), min_size=4, max_size=4))
def test_every_concept_matches_the_integer_programs(problem: Problem, powers: list[float]) -> None:
    problem = replace(problem, power=tuple(powers[: problem.n_parties]))
    for concept in Concept:
        fast = en.solve_small(problem, concept)
        exact = solve(problem, concept, solver=SOLVER)
        assert fast.status is exact.status, concept
        assert fast.backend == "enumeration"
        if exact.best is None:
            assert fast.best is None
            continue
        assert fast.best is not None
        a, b = fast.best, exact.best
        assert problem.broken(np.array(a.columns)) == []
        if concept is Concept.NASH and a.status is Status.OPTIMAL:
            assert a.value == pytest.approx(b.value, rel=1e-8)
        else:
            assert a.value == pytest.approx(b.value, abs=1e-7), concept
        if concept is Concept.LEXIMIN:
            assert np.sort(_gains(problem, a.columns)) == pytest.approx(
                np.sort(_gains(problem, b.columns)), abs=1e-6
            )
        if concept in (Concept.EGALITARIAN, Concept.KALAI_SMORODINSKY, Concept.LEXIMIN, Concept.UTILITARIAN):
            # the same tie-break: the largest total utility among the concept's optima
            assert sum(a.utilities) == pytest.approx(sum(b.utilities), abs=1e-7), concept
        if concept is Concept.KALAI_SMORODINSKY:
            assert a.detail["best_utilities"] == pytest.approx(b.detail["best_utilities"], abs=1e-7)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_points=4, max_options=3))
def test_the_k_best_match_the_integer_programs(problem: Problem) -> None:
    for concept in (Concept.UTILITARIAN, Concept.EGALITARIAN, Concept.NASH):
        fast = en.solve_small(problem, concept, top=3)
        exact = solve(problem, concept, solver=SOLVER, top=3)
        assert len(fast.solutions) == len(exact.solutions)
        assert len({s.columns for s in fast.solutions}) == len(fast.solutions)
        for a, b in zip(fast.solutions, exact.solutions, strict=True):
            assert a.value == pytest.approx(b.value, rel=1e-7, abs=1e-7), concept
        values = [s.value for s in fast.solutions]
        assert all(x >= y - 1e-7 for x, y in itertools.pairwise(values))


def test_engine_solve_enumerates_small_problems_unless_a_backend_is_named() -> None:
    utility = np.array([[0.6, 0.0, 0.4, 0.0], [0.0, 0.5, 0.0, 0.5]])
    problem = Problem(
        parties=("a", "b"),
        party_names=("A", "B"),
        points=("p", "q"),
        point_titles=("P", "Q"),
        point_numbers=(1, 2),
        options=(("x", "y"), ("x", "y")),
        option_texts=(("x", "y"), ("x", "y")),
        utility=utility,
        reservation=np.zeros(2),
    )
    assert en.small(problem)
    assert solve(problem, Concept.NASH).backend == "enumeration"
    assert solve(problem, Concept.NASH, solver=SOLVER).backend == "highs"
    fast, exact = solve(problem, Concept.NASH).best, solve(problem, Concept.NASH, solver=SOLVER).best
    assert fast is not None and exact is not None
    assert fast.package == exact.package == {"p": "x", "q": "y"}
    assert fast.value == pytest.approx(0.3)
    assert not en.small(problem, limit=3)
