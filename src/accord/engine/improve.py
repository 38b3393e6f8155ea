"""Improving a tentative deal (post-settlement settlement, Raiffa 1985).

From a draft package x0: packages x that leave every party at least as well
off (u_i(x) >= u_i(x0)) and at least one strictly better, changing at most k
points, ranked by the smallest gain (then the total gain). Red lines and links
still hold.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from accord.engine.concepts import TOLERANCE
from accord.engine.milp import INF, MilpSolver, MilpStatus, PackageModel
from accord.engine.problem import IntArray, Problem
from accord.errors import EngineError

STRICT = 1e-7  # "strictly better" in total utility, above floating-point noise


@dataclass(frozen=True)
class Change:
    point: str
    before: str
    after: str


@dataclass(frozen=True)
class Improvement:
    rank: int
    columns: tuple[int, ...]
    package: dict[str, str]
    utilities: tuple[float, ...]
    gains: tuple[float, ...]  # over the draft, per party
    changes: tuple[Change, ...]
    proven_best: bool  # False when a time limit stopped the search


def improvements(
    problem: Problem,
    draft: IntArray,
    solver: MilpSolver,
    *,
    max_changes: int | None = None,
    top: int = 5,
    time_limit: float | None = None,
) -> list[Improvement]:
    if max_changes is not None and max_changes < 1:
        raise EngineError(f"max changes must be at least 1, got {max_changes}")
    started = time.perf_counter()
    base_utilities = problem.utilities(draft)
    base = PackageModel.build(problem)
    for party in range(problem.n_parties):
        base.add_utility_at_least(party, float(base_utilities[party]) - TOLERANCE)
    total = problem.utility.sum(axis=0)
    base.add_row(float(base_utilities.sum()) + STRICT, INF, np.arange(problem.n_columns), total)
    if max_changes is not None:
        # sum over points of x[point, draft option] >= points - k
        base.add_row(float(problem.n_points - max_changes), INF, draft, np.ones(len(draft)))
    found: list[Improvement] = []
    for rank in range(1, top + 1):
        left = None if time_limit is None else max(time_limit - (time.perf_counter() - started), 0.001)
        model = base.copy()
        t = model.add_var(-INF, INF)
        for party in range(problem.n_parties):
            index, value = PackageModel.utility_terms(problem, party)
            model.add_row(-INF, -float(base_utilities[party]), [t, *index], [1.0, *(-value)])
        model.milp.set_objective([t], [1.0])
        result = solver.solve(model.milp, left)
        if not result.has_solution:
            break
        model.milp.lower[t] = result.objective - TOLERANCE
        model.milp.set_objective(np.arange(problem.n_columns), total)
        tied = solver.solve(model.milp, left)
        final = tied if tied.has_solution else result
        columns = model.columns(final)
        utilities = problem.utilities(columns)
        changes = tuple(
            Change(
                problem.points[p],
                problem.package(draft)[problem.points[p]],
                problem.package(columns)[problem.points[p]],
            )
            for p in range(problem.n_points)
            if columns[p] != draft[p]
        )
        found.append(
            Improvement(
                rank,
                tuple(int(c) for c in columns),
                problem.package(columns),
                tuple(float(u) for u in utilities),
                tuple(float(g) for g in utilities - base_utilities),
                changes,
                result.status is MilpStatus.OPTIMAL,
            )
        )
        base.forbid(columns)
    return found
