"""Exact solution concepts over the package space, as sequences of integer programs.

Never enumerates outcomes. Each concept maximises its criterion over packages
that respect every red line, link and reservation value (the problem's active
demands), then breaks ties by the largest total utility; remaining ties are
left to the solver, which runs single-threaded with a fixed seed, so the same
input gives the same package.

Definitions (shared/reference/worked-examples.md), with d_i the reservation value:
- Nash (Nash 1950): maximise the product of (u_i - d_i).
- Kalai–Smorodinsky (Kalai & Smorodinsky 1975): maximise min_i (u_i - d_i)/(m_i - d_i),
  m_i the best u_i over the acceptable packages.
- Egalitarian (maximin): maximise min_i (u_i - d_i); leximin: then the second
  smallest, and so on (Ogryczak & Śliwiński 2006 cumulative ordered sums).
- Utilitarian: maximise the sum of u_i.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from accord.engine.milp import INF, MilpResult, MilpSolver, MilpStatus, PackageModel
from accord.engine.problem import FloatArray, IntArray, Problem
from accord.engine.solution import Concept, Outcome, Solution, Status, make_solution

TOLERANCE = 1e-9  # slack when an optimum found at one stage becomes a constraint at the next
NASH_TOLERANCE = 1e-9  # relative gap on the Nash product at which the search stops
# A party whose best possible gain is below this cannot gain at all, for Nash and Kalai–Smorodinsky:
# utilities live on [0, 1], and gains this small are below any meaning (and near solver tolerances).
NEGLIGIBLE_GAIN = 1e-6


class _Clock:
    def __init__(self, time_limit: float | None) -> None:
        self.start = time.perf_counter()
        self.time_limit = time_limit

    def left(self) -> float | None:
        if self.time_limit is None:
            return None
        return max(self.time_limit - (time.perf_counter() - self.start), 0.001)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.start


def _status(result: MilpResult) -> Status:
    return Status.OPTIMAL if result.status is MilpStatus.OPTIMAL else Status.TIME_LIMIT


def _gap(objective: float, bound: float) -> float:
    if not math.isfinite(bound) or bound <= objective:
        return 0.0
    return (bound - objective) / max(abs(objective), 1e-12)


def _utilitarian_tiebreak(model: PackageModel, solver: MilpSolver, clock: _Clock) -> MilpResult:
    """Among the packages the model still allows, the one with the largest total utility."""
    problem = model.problem
    total = problem.utility.sum(axis=0)
    model.milp.set_objective(np.arange(problem.n_columns), total)
    return solver.solve(model.milp, clock.left())


def _gain_rows(model: PackageModel, variable: int, party: int, scale: float = 1.0) -> None:
    """variable <= (u_party - d_party) / scale."""
    problem = model.problem
    index, value = PackageModel.utility_terms(problem, party)
    # variable - u/scale <= -d/scale
    model.add_row(-INF, -problem.reservation[party] / scale, [variable, *index], [1.0, *(-value / scale)])


def best_utilities(
    problem: Problem, solver: MilpSolver, time_limit: float | None = None
) -> FloatArray | None:
    """m_i: each party's best utility over the acceptable packages (None if there is none)."""
    model = PackageModel.build(problem)
    best = np.zeros(problem.n_parties)
    for party in range(problem.n_parties):
        index, value = PackageModel.utility_terms(problem, party)
        model.milp.set_objective(index, value)
        result = solver.solve(model.milp, time_limit)
        if result.status is MilpStatus.INFEASIBLE:
            return None
        best[party] = result.bound if result.status is MilpStatus.OPTIMAL else result.objective
    return best


def _ranked(
    problem: Problem,
    concept: Concept,
    solver: MilpSolver,
    top: int,
    time_limit: float | None,
    stage: Callable[[PackageModel, _Clock], tuple[MilpResult, float] | None],
    value_of: Callable[[IntArray], float],
) -> Outcome:
    """Run a concept's stage, break ties, forbid the package, repeat for the K best."""
    clock = _Clock(time_limit)
    base = PackageModel.build(problem)
    solutions: list[Solution] = []
    for rank in range(1, top + 1):
        model = base.copy()
        staged = stage(model, clock)
        if staged is None:
            break
        result, _ = staged
        status, gap = _status(result), _gap(result.objective, result.bound)
        tied = _utilitarian_tiebreak(model, solver, clock)
        final = tied if tied.has_solution else result
        columns = model.columns(final)
        solutions.append(
            make_solution(problem, concept, rank, columns, value_of(columns), status, gap, clock.seconds)
        )
        base.forbid(columns)
    overall = solutions[0].status if solutions else Status.INFEASIBLE
    return Outcome(concept, overall, tuple(solutions), clock.seconds, solver.name)


def utilitarian(
    problem: Problem, solver: MilpSolver, top: int = 1, time_limit: float | None = None
) -> Outcome:
    total = problem.utility.sum(axis=0)

    def stage(model: PackageModel, clock: _Clock) -> tuple[MilpResult, float] | None:
        model.milp.set_objective(np.arange(problem.n_columns), total)
        result = solver.solve(model.milp, clock.left())
        if not result.has_solution:
            return None
        model.add_row(result.objective - TOLERANCE, INF, np.arange(problem.n_columns), total)
        return result, result.objective

    return _ranked(
        problem,
        Concept.UTILITARIAN,
        solver,
        top,
        time_limit,
        stage,
        lambda c: float(problem.utilities(c).sum()),
    )


def egalitarian(
    problem: Problem, solver: MilpSolver, top: int = 1, time_limit: float | None = None
) -> Outcome:
    def stage(model: PackageModel, clock: _Clock) -> tuple[MilpResult, float] | None:
        t = model.add_var(-INF, INF)
        for party in range(problem.n_parties):
            _gain_rows(model, t, party)
        model.milp.set_objective([t], [1.0])
        result = solver.solve(model.milp, clock.left())
        if not result.has_solution:
            return None
        model.milp.lower[t] = result.objective - TOLERANCE
        return result, result.objective

    def value(columns: IntArray) -> float:
        return float((problem.utilities(columns) - problem.reservation).min())

    return _ranked(problem, Concept.EGALITARIAN, solver, top, time_limit, stage, value)


def leximin(problem: Problem, solver: MilpSolver, top: int = 1, time_limit: float | None = None) -> Outcome:
    n = problem.n_parties

    def stage(model: PackageModel, clock: _Clock) -> tuple[MilpResult, float] | None:
        first: MilpResult | None = None
        for k in range(1, n + 1):
            # theta_k = k r - sum_i s_i with s_i >= r - gain_i, s_i >= 0: the sum of the k smallest gains
            r = model.add_var(-INF, INF)
            slack = [model.add_var(0.0, INF) for _ in range(n)]
            for party in range(n):
                index, value = PackageModel.utility_terms(problem, party)
                # s_i - r + u_i >= d_i
                model.add_row(problem.reservation[party], INF, [slack[party], r, *index], [1.0, -1.0, *value])
            model.milp.set_objective([r, *slack], [float(k), *([-1.0] * n)])
            result = solver.solve(model.milp, clock.left())
            if not result.has_solution:
                if first is None:
                    return None
                # the time limit stopped a later stage: keep what the earlier stages proved
                first = MilpResult(MilpStatus.TIME_LIMIT, first.values, first.objective, INF, first.seconds)
                break
            first = first or result
            model.add_row(result.objective - TOLERANCE, INF, [r, *slack], [float(k), *([-1.0] * n)])
        assert first is not None
        return first, first.objective

    def value(columns: IntArray) -> float:
        return float((problem.utilities(columns) - problem.reservation).min())

    return _ranked(problem, Concept.LEXIMIN, solver, top, time_limit, stage, value)


def _ks_ranges(problem: Problem, best: FloatArray) -> FloatArray:
    return np.asarray(best - problem.reservation, dtype=np.float64)


def ks_value(problem: Problem, best: FloatArray, columns: IntArray) -> float:
    """min over parties that can gain of (u_i - d_i)/(m_i - d_i); 1 when no party can gain."""
    ranges = _ks_ranges(problem, best)
    active = ranges > NEGLIGIBLE_GAIN
    if not active.any():
        return 1.0
    gains = problem.utilities(columns) - problem.reservation
    return float((gains[active] / ranges[active]).min())


def kalai_smorodinsky(
    problem: Problem, solver: MilpSolver, top: int = 1, time_limit: float | None = None
) -> Outcome:
    clock = _Clock(time_limit)
    best = best_utilities(problem, solver, time_limit)
    if best is None:
        return Outcome(Concept.KALAI_SMORODINSKY, Status.INFEASIBLE, (), clock.seconds, solver.name)
    ranges = _ks_ranges(problem, best)

    def stage(model: PackageModel, inner: _Clock) -> tuple[MilpResult, float] | None:
        t = model.add_var(-INF, INF)
        for party in range(problem.n_parties):
            if ranges[party] > NEGLIGIBLE_GAIN:
                _gain_rows(model, t, party, scale=float(ranges[party]))
        if not any(ranges > NEGLIGIBLE_GAIN):
            model.milp.upper[t] = 1.0
        model.milp.set_objective([t], [1.0])
        result = solver.solve(model.milp, inner.left())
        if not result.has_solution:
            return None
        model.milp.lower[t] = result.objective - TOLERANCE
        return result, result.objective

    outcome = _ranked(
        problem,
        Concept.KALAI_SMORODINSKY,
        solver,
        top,
        clock.left(),
        stage,
        lambda c: ks_value(problem, best, c),
    )
    detail = {"best_utilities": [float(b) for b in best]}
    solutions = tuple(replace(s, detail=detail) for s in outcome.solutions)
    return Outcome(outcome.concept, outcome.status, solutions, clock.seconds, solver.name)
