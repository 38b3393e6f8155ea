"""The Pareto frontier: exact by dynamic programming, checked against enumerating every package."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.engine import compile_problem, get_solver
from accord.engine.backends import brute_force as bf
from accord.engine.frontier import Frontier, _nondominated, distance_to_frontier, pareto_frontier
from accord.engine.problem import FloatArray, LinkDemand, Problem
from accord.errors import EngineError
from accord.scenario import load
from tests.conftest import EXAMPLES
from tests.engine_strategies import problems

SOLVER = get_solver("highs")


def camp_david() -> Problem:
    return compile_problem(load(EXAMPLES / "camp-david-1978.yaml"))


def _same_vectors(found: FloatArray, expected: FloatArray) -> bool:
    """Equal as sets of vectors, to 1e-9 (each side has a match on the other)."""
    if len(found) == 0 or len(expected) == 0:
        return len(found) == len(expected)
    gaps = np.abs(found[:, None, :] - expected[None, :, :]).max(axis=2)
    return bool((gaps.min(axis=1) <= 1e-9).all() and (gaps.min(axis=0) <= 1e-9).all())


def _check_packages(problem: Problem, frontier: Frontier) -> None:
    assert len(frontier.packages) == len(frontier.points)
    for columns, point in zip(frontier.packages, frontier.points, strict=True):
        assert problem.broken(np.array(columns)) == [], "every frontier package is acceptable to all"
        assert problem.utilities(np.array(columns)) == pytest.approx(point, abs=1e-12)


@st.composite
def gridded_problems(draw: st.DrawFn, min_parties: int = 2, max_parties: int = 4) -> Problem:
    """Random problems (some points fixed by a draft) with utilities on a 1e-6 grid.

    The reference treats vectors within 1e-9 as tied; the frontier compares exactly. On a grid,
    two packages' utilities are equal or differ by far more than 1e-9, so both must agree.
    """
    problem = draw(problems(min_parties=min_parties, max_parties=max_parties))
    fixed = {}
    for point in range(problem.n_points):
        if draw(st.integers(0, 4)) == 0:
            fixed[point] = draw(st.sampled_from(list(problem.columns_of(point))))
    return replace(problem, utility=np.round(problem.utility, 6)).with_fixed(fixed)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gridded_problems())
def test_the_frontier_is_every_pareto_optimal_acceptable_package(problem: Problem) -> None:
    frontier = pareto_frontier(problem)
    assert frontier.exact and not frontier.capped
    assert frontier.points.shape[1] == problem.n_parties
    expected = bf.pareto_front(problem)
    assert len(frontier.points) == len(expected)
    assert _same_vectors(frontier.points, expected)
    _check_packages(problem, frontier)
    first = frontier.points[:, 0]
    assert (np.diff(first) <= 0).all(), "points run from the first party's best down"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gridded_problems(min_parties=4, max_parties=4))
def test_past_its_limit_a_representative_set_of_pareto_optimal_packages(problem: Problem) -> None:
    frontier = pareto_frontier(problem, exact_limit=0, samples=20, solver=SOLVER)
    exact = bf.pareto_front(problem)
    _check_packages(problem, frontier)
    if len(exact) == 0:
        assert len(frontier.points) == 0
        return
    assert not frontier.exact
    assert "a representative set, not the whole frontier" in frontier.method
    assert 1 <= len(frontier.points) <= len(exact)
    gaps = np.abs(frontier.points[:, None, :] - exact[None, :, :]).max(axis=2)
    assert (gaps.min(axis=1) <= 1e-9).all(), "every representative point is Pareto-optimal"


def test_the_representative_set_on_the_coalition_example_lies_on_the_exact_frontier() -> None:
    problem = compile_problem(load(EXAMPLES / "coalition-agreement.yaml"))
    assert problem.n_parties == 4
    exact = pareto_frontier(problem)
    sampled = pareto_frontier(problem, exact_limit=10, samples=50, solver=SOLVER)
    assert exact.exact and not sampled.exact
    assert "from 54 weighted sums" in sampled.method
    _check_packages(problem, sampled)
    gaps = np.abs(sampled.points[:, None, :] - exact.points[None, :, :]).max(axis=2)
    assert (gaps.min(axis=1) <= 1e-9).all()


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(1, 3000), st.integers(0, 2**32 - 1))
def test_dominance_filter_keeps_exactly_the_undominated_distinct_vectors(
    dims: int, size: int, seed: int
) -> None:
    # a coarse grid makes ties and duplicates common; thousands of rows span many comparison blocks
    rng = np.random.default_rng(seed)
    grid = rng.integers(0, 12, size=(size, dims)) / 7 + rng.integers(0, 2, size=(size, 1)) * 1e-13
    values = np.asarray(grid, dtype=np.float64)
    kept = values[_nondominated(values)]
    keys = np.unique(np.round(values, 12), axis=0)
    dominated = ((keys[None, :, :] >= keys[:, None, :]).all(axis=2) & ~np.eye(len(keys), dtype=bool)).any(1)
    expected = keys[~dominated]
    assert len(kept) == len(expected)
    assert _same_vectors(kept, expected)


def test_camp_david_frontier_worked_by_hand() -> None:
    # Israel's points (Egypt's): Sinai 35 (55), diplomatic recognition 10 (5), West Bank 20 (10),
    # Palestinian recognition 10 (5), Palestinian rights 5 (20), Jerusalem 20 (5). Handing Egypt
    # issues from the one it values most relative to Israel (rights, then Sinai, then the three at
    # 2:1, then Jerusalem) traces the frontier; swapping equal-ratio issues gives the steps between.
    problem = camp_david()
    frontier = pareto_frontier(problem)
    expected = [
        (1.0, 0.0),
        (0.95, 0.2),  # rights
        (0.85, 0.25),  # rights, diplomatic (or Palestinian) recognition
        (0.75, 0.3),  # rights, West Bank (or both recognitions)
        (0.65, 0.55),  # Sinai alone
        (0.6, 0.75),  # Sinai and rights
        (0.5, 0.8),
        (0.4, 0.85),
        (0.3, 0.9),
        (0.2, 0.95),
        (0.0, 1.0),  # everything to Egypt
    ]
    assert frontier.points == pytest.approx(np.array(expected), abs=1e-12)
    assert len(frontier.points) == len(bf.pareto_front(problem))
    at = next(i for i, p in enumerate(frontier.points) if np.allclose(p, (0.6, 0.75)))
    package = problem.package(frontier.packages[at])
    to_egypt = sorted(point for point, side in package.items() if side == "egypt")
    assert to_egypt == ["palestinian-rights", "sinai"]
    assert frontier.exact and "dynamic programming over the 6 points" in frontier.method


def test_the_flagship_frontier_is_exact_and_acceptable_to_all_three() -> None:
    problem = compile_problem(load(EXAMPLES / "peace-framework-2025.yaml"))
    frontier = pareto_frontier(problem)
    assert frontier.exact and len(frontier.points) > 10
    _check_packages(problem, frontier)
    assert (frontier.points >= problem.reservation - 1e-9).all()


def test_cap_keeps_an_even_spread_including_both_ends() -> None:
    problem = camp_david()
    frontier = pareto_frontier(problem, cap=3)
    assert frontier.capped
    assert frontier.points == pytest.approx(np.array([(1.0, 0.0), (0.6, 0.75), (0.0, 1.0)]))
    assert "11 points found, 3 evenly spread" in frontier.method
    _check_packages(problem, frontier)
    assert not pareto_frontier(problem, cap=11).capped
    with pytest.raises(EngineError, match="cap"):
        pareto_frontier(problem, cap=0)


def test_progress_is_reported_once_per_point() -> None:
    calls: list[tuple[int, int]] = []
    pareto_frontier(camp_david(), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(done, 6) for done in range(1, 7)]
    flagship = compile_problem(load(EXAMPLES / "peace-framework-2025.yaml"))
    calls.clear()
    pareto_frontier(flagship, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(done, 28) for done in range(1, 29)], "linked points count one by one too"


def test_distance_to_frontier_is_what_every_party_could_gain_at_once() -> None:
    frontier = pareto_frontier(camp_david())
    # Egypt gets Sinai and Jerusalem: (0.45, 0.60); Sinai and rights give both 0.15 more
    assert distance_to_frontier(frontier, (0.45, 0.60)) == pytest.approx(0.15)
    assert distance_to_frontier(frontier, (0.6, 0.75)) == 0.0
    assert distance_to_frontier(frontier, (2.0, 2.0)) == 0.0


def test_no_acceptable_package_gives_an_empty_frontier() -> None:
    problem = camp_david()
    impossible = replace(problem, reservation=np.array([0.7, 0.7]))
    frontier = pareto_frontier(impossible)
    assert frontier.points.shape == (0, 2) and frontier.packages == ()
    assert distance_to_frontier(frontier, (0.5, 0.5)) == 0.0


def test_too_many_linked_combinations_are_refused_with_the_points_named() -> None:
    sizes = [10] * 6
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    base = camp_david()
    links = tuple(
        LinkDemand(0, p, int(offsets[p]), p + 1, (int(offsets[p + 1]),)) for p in range(len(sizes) - 1)
    )
    problem = replace(
        base,
        options=tuple(tuple(f"o{o}" for o in range(s)) for s in sizes),
        option_texts=tuple(tuple(f"Option {o}" for o in range(s)) for s in sizes),
        utility=np.ones((2, sum(sizes))),
        links=links,
    )
    with pytest.raises(EngineError, match=r"points 1, 2, 3, 4, 5, 6 together into 1000000 combinations"):
        pareto_frontier(problem)
