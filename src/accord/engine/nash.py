"""The Nash bargaining solution, exactly, by outer approximation of the log-product.

maximise  sum_i w_i log(u_i - d_i)   (Nash 1950: the product of gains over reservation values;
                                      with bargaining powers w_i, the asymmetric Nash solution of
                                      Kalai 1977 / Roth 1979: the product of gains each raised to w_i)

log is concave, so every tangent line lies above it: z_i <= log a + (g_i - a)/a
for any a > 0. A MILP that maximises sum w_i z_i under a set of tangents gives an
upper bound; the true (weighted) log-product of the package it returns is a lower
bound. New tangents are added at the returned gains until the bounds meet
(relative gap on the product below 1e-9) — at that point the incumbent is proven
optimal.

Only the ratios of the powers matter, so the search runs on powers scaled to
average 1 over the parties that can gain (all 1: the symmetric case, unchanged):
the tolerance means the same, and the reported value (the product of gains, each
raised to its scaled power) is the same, whatever scale the powers are written on.

To keep the number of rounds small on large instances: gains are bounded below
by what the best known package already achieves, and above by each party's best
utility, and a dense geometric grid of tangents over that range is laid before
the first round, with tangents at the best known package's own gains (when it is
the optimum, the first round proves it). The best known package comes from a
local search on the log-product (``heuristics``); only when that finds none that
gives every party a gain is the most even package solved for (if even it leaves
someone without a gain, the concept is degenerate). Each round starts the
backend from the best known package. With HiGHS each gain is a variable of its
own, so that a tangent row has two entries instead of a whole utility row.

Parties that cannot gain at all (best utility equal to the reservation value)
are left out of the product; when no package gives every other party a
positive gain the concept does not discriminate and the result is marked
degenerate (the most useful package is then returned). A gain is positive when
it is above NEGLIGIBLE_GAIN (1e-6): below, it is within the backends' tolerance
of none, and the logarithm could not be told from minus infinity. A package
that leaves a party able to gain no more than that is no candidate; with powers
far apart, the weak party's floor from the incumbent can fall that low, and the
backend may then return such a package within its tolerance: it is cut off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from accord.engine.concepts import NASH_TOLERANCE, NEGLIGIBLE_GAIN, _Clock, best_utilities, utilitarian
from accord.engine.heuristics import Neighbourhood, Score
from accord.engine.milp import INF, MilpSolver, MilpStatus, PackageModel, takes_fractional_continuous
from accord.engine.problem import FloatArray, IntArray, Problem
from accord.engine.solution import Concept, Outcome, Solution, Status, make_solution

GRID = 24  # tangents per party laid before the first round
MAX_ROUNDS = 200
HIGH_SLACK = 1e-7  # how far a best utility from a solve may fall short of the true one (CP-SAT's scaling)


def search_powers(problem: Problem, active: np.ndarray) -> FloatArray:
    """The bargaining powers scaled to average 1 over the active parties (the objective's weights)."""
    powers = problem.powers
    if not active.any():
        return powers
    return np.asarray(powers / powers[active].mean(), dtype=np.float64)


def nash_log_value(
    problem: Problem, active: np.ndarray, columns: IntArray, weights: FloatArray | None = None
) -> float:
    """sum_i w_i log(g_i) over the active parties (``weights``: all 1 unless given); -inf when one of
    them gains no more than NEGLIGIBLE_GAIN (such a package is no candidate)."""
    gains = (problem.utilities(columns) - problem.reservation)[active]
    if (gains <= NEGLIGIBLE_GAIN).any():
        return -INF
    logs = np.log(gains)
    return float(logs.sum() if weights is None else (weights[active] * logs).sum())


def _weighted_log_score(active: np.ndarray, weights: FloatArray, floor: float = 1e-6) -> Score:
    """sum_i w_i log(g_i) over the active parties, continued linearly below ``floor`` (as
    ``heuristics.log_product_score``, with the bargaining powers)."""
    log_floor = float(np.log(floor))
    w = weights[active]

    def score(gains: FloatArray) -> FloatArray:
        g = gains[active]
        safe = np.maximum(g, floor)
        value = np.where(g >= floor, np.log(safe), log_floor + (g - floor) / floor)
        return np.asarray((w.reshape((-1,) + (1,) * (g.ndim - 1)) * value).sum(axis=0))

    return score


@dataclass
class _Tangents:
    points: list[list[float]] = field(default_factory=list)  # per party, the gains a at which tangents touch

    def add(self, party: int, at: float) -> bool:
        if at <= 0:
            return False
        existing = self.points[party]
        if any(abs(a - at) <= 1e-12 * max(1.0, at) for a in existing):
            return False
        existing.append(at)
        return True


def nash(problem: Problem, solver: MilpSolver, top: int = 1, time_limit: float | None = None) -> Outcome:
    clock = _Clock(time_limit)
    best = best_utilities(problem, solver, clock.left())
    if best is None:
        return Outcome(Concept.NASH, Status.INFEASIBLE, (), clock.seconds, solver.name)
    high = best - problem.reservation
    active = high > NEGLIGIBLE_GAIN
    if not active.any():
        fallback = utilitarian(problem, solver, top, clock.left())
        return _degenerate(problem, fallback, clock, solver)
    weights = search_powers(problem, active)
    tangents = _Tangents([[] for _ in range(problem.n_parties)])
    base = PackageModel.build(problem)
    sparse = takes_fractional_continuous(solver)
    solutions: list[Solution] = []
    seen: dict[tuple[int, ...], float] = {}  # every package met, with its log-product
    forbidden: set[tuple[int, ...]] = set()
    rounds_total = 0
    for rank in range(1, top + 1):
        incumbent = _incumbent(problem, base, solver, active, weights, seen, forbidden, clock)
        if incumbent is None:
            if rank == 1:
                fallback = utilitarian(problem, solver, top, clock.left())
                return _degenerate(problem, fallback, clock, solver)
            break
        lower_log = seen[incumbent]
        incumbent_gains = problem.utilities(np.array(incumbent)) - problem.reservation
        # any package at least as good as the incumbent has g_i^w_i >= P / prod_{j != i} H_j^w_j. A small
        # power divides the slack, so it is taken generously: each H_j raised by the backends' tolerance
        # (it came from a solve), less the rounding of the sums; the incumbent itself meets the floor,
        # and no floor is below NEGLIGIBLE_GAIN (a smaller gain is none)
        log_high = np.where(active, weights * np.log(np.where(active, high, 1.0) + HIGH_SLACK), 0.0)
        rounding = 1e-12 * (abs(lower_log) + np.abs(log_high).sum())
        spare = (lower_log - (log_high.sum() - log_high) - rounding) / np.where(active, weights, 1.0)
        own = np.log(np.where(active, np.maximum(incumbent_gains, NEGLIGIBLE_GAIN), 1.0))
        floor = np.maximum(np.exp(np.minimum(spare, own)), NEGLIGIBLE_GAIN)
        # tangents at the incumbent's own gains too: when it is the optimum, the first round proves it
        for who in np.nonzero(active)[0]:
            lo, hi = float(floor[who]), float(high[who])
            for a in np.geomspace(max(lo, 1e-12), max(hi, lo * (1 + 1e-9)), GRID):
                tangents.add(int(who), float(a))
            tangents.add(int(who), float(incumbent_gains[who]))
        status, gap, rounds = Status.TIME_LIMIT, INF, 0
        best_columns = incumbent
        while rounds < MAX_ROUNDS:
            rounds += 1
            model = base.copy()
            z = {}
            for found in np.nonzero(active)[0]:
                party = int(found)
                z[party] = _log_gain(
                    model, party, float(floor[party]), tangents.points[party], sparse, float(weights[party])
                )
            model.milp.set_objective(list(z.values()), [1.0] * len(z))
            result = solver.solve(model.milp, clock.left(), model.start(np.array(best_columns)))
            if result.status is MilpStatus.INFEASIBLE:
                # only forbidden packages reach the floor: the incumbent is the best left
                status, gap = Status.OPTIMAL, 0.0
                break
            if not result.has_solution:
                break
            columns = model.columns(result)
            key = tuple(int(c) for c in columns)
            if key not in seen:
                seen[key] = nash_log_value(problem, active, columns, weights)
            if key not in forbidden and seen[key] > lower_log:
                lower_log, best_columns = seen[key], key
            upper_log = result.bound
            gap = math.expm1(max(upper_log - lower_log, 0.0))
            if gap <= NASH_TOLERANCE:
                status = Status.OPTIMAL
                gap = 0.0 if gap < 0 else gap
                break
            if result.status is not MilpStatus.OPTIMAL:
                break  # time limit inside the MILP: report the proven gap
            gains = problem.utilities(columns) - problem.reservation
            if (gains[active] <= NEGLIGIBLE_GAIN).any():
                # the backend met the gain floor only within its tolerance: a package that leaves a party
                # no real gain is no candidate (and the logarithm has no tangent there), so cut it off
                base.forbid(columns)
                continue
            added = [tangents.add(int(p), float(gains[p])) for p in np.nonzero(active)[0]]
            if not any(added):
                # tangents already touch this package's gains, so the bound cannot improve further:
                # the remaining gap is the solver's numerical tolerance (reported as is)
                status = Status.OPTIMAL
                break
            left = clock.left()
            if left is not None and left <= 0.001:
                break
        rounds_total += rounds
        product = math.exp(seen[best_columns])
        solutions.append(
            make_solution(
                problem,
                Concept.NASH,
                rank,
                np.array(best_columns),
                product,
                status,
                gap if math.isfinite(gap) else 1.0,
                clock.seconds,
                {"rounds": rounds, "tangents": sum(len(t) for t in tangents.points)},
            )
        )
        forbidden.add(best_columns)
        base.forbid(np.array(best_columns))
    overall = solutions[0].status if solutions else Status.INFEASIBLE
    return Outcome(Concept.NASH, overall, tuple(solutions), clock.seconds, solver.name)


def _log_gain(
    model: PackageModel, party: int, floor: float, tangents: list[float], sparse: bool, weight: float = 1.0
) -> int:
    """z <= w log(g) by tangents, with the gain g = u - d held above ``floor``; returns z.

    The power w is written into the rows rather than the objective, so that z keeps the coefficient 1
    a backend working on integers (CP-SAT) asks of a continuous variable."""
    problem = model.problem
    index, value = PackageModel.utility_terms(problem, party)
    d = float(problem.reservation[party])
    z = model.add_var(-INF, INF)
    # gain floor: g >= floor (slightly relaxed so the incumbent stays feasible)
    low = floor * (1 - 1e-7)
    if sparse:
        # the gain as a variable of its own keeps every tangent row at two entries (a model a tenth the
        # size, which the backend's presolve gets through in a fraction of the time)
        g = model.add_var(low, INF)
        model.add_row(d, d, [*index, g], [*value, -1.0])
        for a in tangents:
            # z <= w (log a + (g - a)/a)   <=>   z - w g/a <= w (log a - 1)
            model.add_row(-INF, weight * (math.log(a) - 1.0), [z, g], [1.0, -weight / a])
        return z
    # a backend that takes no fractional coefficient on a continuous variable (CP-SAT): u written out
    model.add_row(d + low, INF, index, value)
    for a in tangents:
        # z <= w (log a + (u - d - a)/a)   <=>   z - w u/a <= w (log a - 1 - d/a)
        model.add_row(-INF, weight * (math.log(a) - 1.0 - d / a), [z, *index], [1.0, *(-weight * value / a)])
    return z


def _searched(
    problem: Problem, active: np.ndarray, weights: FloatArray, forbidden: set[tuple[int, ...]]
) -> tuple[int, ...] | None:
    """A package with a large product of gains, by local search (not forbidden, breaking no demand)."""
    hood = Neighbourhood(problem)
    score = _weighted_log_score(active, weights)
    found = hood.improve(hood.separable_best(np.where(active, weights, 0.0)), score, forbidden)
    if found is None:
        return None
    return tuple(int(c) for c in found)


def _incumbent(
    problem: Problem,
    base: PackageModel,
    solver: MilpSolver,
    active: np.ndarray,
    weights: FloatArray,
    seen: dict[tuple[int, ...], float],
    forbidden: set[tuple[int, ...]],
    clock: _Clock,
) -> tuple[int, ...] | None:
    """The best package known that is not forbidden and gives every active party a gain."""
    candidates = [(v, k) for k, v in seen.items() if k not in forbidden and math.isfinite(v)]
    if candidates:
        return max(candidates)[1]
    # a searched package that gives every active party more than a negligible gain settles that the
    # concept discriminates, and is a good first incumbent
    searched = _searched(problem, active, weights, forbidden)
    if searched is not None:
        gains = (problem.utilities(np.array(searched)) - problem.reservation)[active]
        if gains.min() > NEGLIGIBLE_GAIN:
            seen[searched] = nash_log_value(problem, active, np.array(searched), weights)
            return searched
    # the most even package among those left: if even it leaves someone without a gain, none gives all a gain
    model = base.copy()
    t = model.add_var(-INF, INF)
    for party in np.nonzero(active)[0]:
        index, value = PackageModel.utility_terms(problem, int(party))
        model.add_row(-INF, -float(problem.reservation[party]), [t, *index], [1.0, *(-value)])
    model.milp.set_objective([t], [1.0])
    result = solver.solve(model.milp, clock.left())
    if not result.has_solution or result.objective <= NEGLIGIBLE_GAIN:
        return None
    columns = model.columns(result)
    key = tuple(int(c) for c in columns)
    seen[key] = nash_log_value(problem, active, columns, weights)
    if not math.isfinite(seen[key]):
        # the backend reached the floor only within its tolerance: even the most even package leaves an
        # active party no more than a negligible gain, so none gives all a gain
        return None
    # a second cheap candidate: the utilitarian package, often close to Nash
    total = problem.utility.sum(axis=0)
    model = base.copy()
    model.milp.set_objective(np.arange(problem.n_columns), total)
    result = solver.solve(model.milp, clock.left())
    if result.has_solution:
        other = model.columns(result)
        seen.setdefault(tuple(int(c) for c in other), nash_log_value(problem, active, other, weights))
    return max((v, k) for k, v in seen.items() if k not in forbidden and math.isfinite(v))[1]


def _degenerate(problem: Problem, fallback: Outcome, clock: _Clock, solver: MilpSolver) -> Outcome:
    reason = "no package gives every party a positive gain; most total utility shown"
    solutions = tuple(
        replace(s, concept=Concept.NASH, value=0.0, status=Status.DEGENERATE, detail={"reason": reason})
        for s in fallback.solutions
    )
    status = Status.DEGENERATE if solutions else fallback.status
    return Outcome(Concept.NASH, status, solutions, clock.seconds, solver.name)
