"""CP-SAT on the LP's core (engine/core_search.py) against brute force: what it returns is a real package
of allowed options, never worse than its start, and a core wide enough (the whole slack between the LP
bound and the start) loses no package that beats the start, so there it finds the optimum."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.engine import get_solver
from accord.engine import maximin as mx
from accord.engine.backends import brute_force as bf
from accord.engine.core_search import core_package, widening_core_search
from accord.engine.heuristics import Neighbourhood
from accord.engine.problem import IntArray, Problem
from tests.engine_strategies import problems

SOLVER = get_solver("highs")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROUNDING = 1e-6  # CP-SAT works on coefficients rounded to 1e-7: its answer may miss the start's by this


def _start_at(packages: IntArray, values: np.ndarray, where: float) -> IntArray:
    """The package at ``where`` (0: the worst, 1: the best) of the packages ordered by their value."""
    order = np.argsort(values, kind="stable")
    return np.asarray(packages[order[int(where * (len(order) - 1))]])


def _setup(problem: Problem) -> tuple[mx.Gains, np.ndarray, IntArray, np.ndarray] | None:
    """The gains, the LP's multipliers, the packages of allowed columns and their smallest gains."""
    hood = Neighbourhood(problem)
    gains = mx.Gains(problem.utility, -problem.reservation, hood.table, hood.allowed)
    packages = bf.all_packages(problem)
    packages = packages[problem.allowed()[packages].all(axis=1)]
    if not len(packages):
        return None
    lam = mx.lp_multipliers(gains, SOLVER)
    assert lam is not None
    values = (problem.utility[:, packages].sum(axis=2).T - problem.reservation).min(axis=1)
    return gains, lam, packages, values


@SETTINGS
@given(problems(max_points=5, max_options=4), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_the_core_package_is_a_package_of_allowed_options_no_worse_than_its_start(
    problem: Problem, where: float, share: float
) -> None:
    setup = _setup(problem)
    if setup is None:
        return
    gains, lam, packages, values = setup
    start = _start_at(packages, values, where)
    found = core_package(gains, lam, start, 5.0, share=share)
    if found is None:
        return
    assert problem.allowed()[found].all()
    assert [problem.point_of_column[c] for c in found] == list(range(problem.n_points))
    value = gains.value(found)
    assert value >= gains.value(start) - ROUNDING
    assert value <= float(values.max()) + 1e-12


@SETTINGS
@given(problems(max_points=5, max_options=4), st.floats(0.0, 1.0))
def test_a_core_as_wide_as_the_slack_keeps_every_better_package(problem: Problem, where: float) -> None:
    """Reduced-cost fixing is exact: a package whose smallest gain reaches the start's spends at most
    (LP bound - start's value) on reduced costs, so no option it uses is left out of the core."""
    setup = _setup(problem)
    if setup is None:
        return
    gains, lam, packages, values = setup
    start = _start_at(packages, values, where)
    found = core_package(gains, lam, start, 30.0, share=1.0)
    if found is None:  # every point has one option left: the start is the only package, or the best
        assert gains.value(start) >= float(values.max()) - 1e-9
        return
    assert gains.value(found) == pytest.approx(float(values.max()), abs=ROUNDING * problem.n_points)


def test_a_better_start_is_acceptable_and_not_forbidden() -> None:
    """ExactMaximin.better_start keeps the start unless the core's package is better, acceptable and
    not forbidden; with no time it keeps the start."""
    from accord.engine.problem import RedLineDemand

    rng = np.random.default_rng(5)
    parties, points, options = 3, 6, 3
    utility = rng.random((parties, points * options))
    problem = Problem(
        parties=tuple(f"party{i}" for i in range(parties)),
        party_names=tuple(f"Party {i}" for i in range(parties)),
        points=tuple(f"p{p}" for p in range(points)),
        point_titles=tuple(f"Point {p + 1}" for p in range(points)),
        point_numbers=tuple(range(1, points + 1)),
        options=tuple(tuple(f"o{o}" for o in range(options)) for _ in range(points)),
        option_texts=tuple(tuple(f"Option {o}" for o in range(options)) for _ in range(points)),
        utility=utility,
        reservation=np.zeros(parties),
        red_lines=(RedLineDemand(0, 0, 0),),
        reservations_active=(True,) * parties,
    )
    hood = Neighbourhood(problem)
    exact = mx.ExactMaximin(problem, SOLVER, hood, np.arange(parties), np.ones(parties))
    assert exact.lp(None) is not None
    _, utilities = bf.acceptable(problem)
    packages = bf.acceptable(problem)[0]
    values = utilities.min(axis=1)
    start = packages[int(np.argmin(values))]
    assert (exact.better_start(start, (), None) == start).all()
    better = exact.better_start(start, (), 5.0)
    assert problem.broken(better) == []
    assert exact.value(problem.utilities(better)[None, :])[0] >= values.min()
    best = packages[int(np.argmax(values))]
    forbidden = {tuple(int(c) for c in best)}
    other = exact.better_start(start, forbidden, 5.0)
    assert tuple(int(c) for c in other) not in forbidden
    assert problem.broken(other) == []


@SETTINGS
@given(problems(max_points=5, max_options=4), st.floats(0.0, 1.0))
def test_cores_of_growing_width_end_at_the_optimum_when_the_last_keeps_the_whole_slack(
    problem: Problem, where: float
) -> None:
    """widening_core_search: every core starts from the best package so far; the last here is as wide
    as the first start's slack, which loses no better package, so the search ends at the optimum (to
    CP-SAT's rounding); a package it returns is one of allowed options and better than the start."""
    setup = _setup(problem)
    if setup is None:
        return
    gains, lam, packages, values = setup
    start = _start_at(packages, values, where)
    found = widening_core_search(gains, lam, start, 30.0, shares=(0.01, 0.1, 1.0))
    if found is None:  # no core held a better package: the start is the optimum
        assert gains.value(start) >= float(values.max()) - ROUNDING * problem.n_points
        return
    assert problem.allowed()[found].all()
    assert [problem.point_of_column[c] for c in found] == list(range(problem.n_points))
    assert gains.value(found) > gains.value(start)
    assert gains.value(found) == pytest.approx(float(values.max()), abs=ROUNDING * problem.n_points)


@SETTINGS
@given(problems(max_points=5, max_options=4), st.floats(0.0, 1.0))
def test_a_package_the_caller_refuses_is_never_returned_nor_searched_from(
    problem: Problem, where: float
) -> None:
    setup = _setup(problem)
    if setup is None:
        return
    gains, lam, packages, values = setup
    start = packages[np.argsort(values, kind="stable")[int(where * (len(values) - 1))]]
    seen: list[IntArray] = []

    def refuse(package: IntArray) -> bool:
        seen.append(package)
        return False

    assert widening_core_search(gains, lam, start, 30.0, shares=(0.5, 1.0), accept=refuse) is None
    for package in seen:  # each asked about was better than the start: the start stayed the search's
        assert gains.value(package) > gains.value(start)
