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

How the integer programs are kept cheap (28 points x 5 options x 3 parties with red
lines: each concept well under 50 ms with HiGHS), none of it changing an answer:
- each stage is solved from a start: a package found by local search
  (``heuristics``), or the previous stage's optimum; the backend still proves
  optimality, the start only lets it prune from the first node;
- a weighted sum of utilities whose point-by-point maximum breaks no demand is
  optimal outright (each party's best utility, often the utilitarian package):
  no integer program is solved for it;
- leximin's last stage maximises the sum of all gains, which is the total utility:
  it is written as such and is its own tie-break;
- the maximin concepts (egalitarian, Kalai–Smorodinsky, leximin) first try an exact
  search (``maximin``): a breadth-first search over points pruned by Lagrangian bounds,
  which finds *every* package whose smallest gain reaches a threshold, so the optimum
  and all its ties (then broken by the largest total utility, as the integer programs
  do) are read off exactly. It is tried when an estimate says the space left is small
  (5 parties x 100 points x 6 options: 0.75 s, against 14 s for HiGHS's branch and
  bound) and gives up past a budget, leaving the integer program the rest of the time
  and the upper bound it proved (thresholds it refuted), which only tightens the gap.
  When it gives up, CP-SAT looks for a better start among the options near the LP
  optimum (``core_search``) before the integer program runs. When the space is too
  large to settle at all (only a bound is sought), the two run side by side (CP-SAT in
  a thread; both release the GIL) for most of the time (``SIDE_BY_SIDE_SHARE``), and
  the integer program takes the rest from the better start. On 10 parties x 300 x 6
  with red lines, at 10 s (bench/engine.py --large, load average 5.7-7 on 2 cores):
  egalitarian 0.48888 against a proven bound of 0.48932 (a 0.090% gap),
  Kalai–Smorodinsky 0.65410 against 0.65461-0.65464 (0.079-0.083%), leximin as the
  egalitarian (its first stage); before, one after the other, 0.113 / 0.126 / 0.113%.
  The package gains most (from 0.48836 to 0.48888; the LP bound is 0.48942), the
  bound the rest (the refuted thresholds); the integer program's last second moves
  neither there.

Backend: HiGHS, the default (``get_solver()``), is the faster on every concept
(medians on the 28x5x3 bench: Nash 13 ms against CP-SAT's 139, Kalai–Smorodinsky
33 against 64, egalitarian 22 against 45, leximin 32 against 164), so no concept
picks a backend of its own; ``get_solver("cpsat")`` still gives CP-SAT for every
concept. (The start searched near the LP optimum is CP-SAT's whatever the backend: a
proposal only, checked against every demand, its value computed exactly; no bound comes from it.)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Collection
from dataclasses import replace

import numpy as np

from accord.engine.heuristics import Neighbourhood, leximin_score, min_score, soft_min_score
from accord.engine.maximin import ExactMaximin, best_of
from accord.engine.milp import INF, MilpResult, MilpSolver, MilpStatus, PackageModel
from accord.engine.problem import FloatArray, IntArray, Problem
from accord.engine.solution import Concept, Outcome, Solution, Status, make_solution

TOLERANCE = 1e-9  # slack when an optimum found at one stage becomes a constraint at the next
NASH_TOLERANCE = 1e-9  # relative gap on the Nash product at which the search stops
# A party whose best possible gain is below this cannot gain at all, for Nash and Kalai–Smorodinsky:
# utilities live on [0, 1], and gains this small are below any meaning (and near solver tolerances).
NEGLIGIBLE_GAIN = 1e-6
EXACT_SHARE = 0.5  # of the time left, for an exact search before the integer program takes over
CORE_TIME_SHARE = 0.7  # of the time left after an exact search gave up, for CP-SAT on the LP's core
SIDE_BY_SIDE_SHARE = 0.9  # of the time left, for a bound and CP-SAT's start searched side by side


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


def _utilitarian_tiebreak(
    model: PackageModel, solver: MilpSolver, clock: _Clock, start: IntArray | None = None
) -> MilpResult:
    """Among the packages the model still allows, the one with the largest total utility."""
    problem = model.problem
    total = problem.utility.sum(axis=0)
    model.milp.set_objective(np.arange(problem.n_columns), total)
    return solver.solve(model.milp, clock.left(), None if start is None else model.start(start))


def _start(model: PackageModel, columns: IntArray | None) -> FloatArray | None:
    return None if columns is None else model.start(columns)


def _separable_optimum(
    hood: Neighbourhood, weights: FloatArray, forbidden: Collection[tuple[int, ...]] = ()
) -> IntArray | None:
    """The maximiser of ``weights @ utility`` when the point-by-point best is acceptable (else None).

    It maximises over a relaxation (red lines and fixed points only), so when it breaks no link or
    reservation value it is the exact optimum over the acceptable packages.
    """
    columns = hood.separable_best(weights)
    if tuple(int(c) for c in columns) in forbidden or not hood.acceptable(columns):
        return None
    return columns


def _solved(model: PackageModel, columns: IntArray, objective: float) -> MilpResult:
    """A package proven optimal without the backend, as the backend would report it."""
    return MilpResult(MilpStatus.OPTIMAL, model.start(columns), objective, objective, 0.0)


def _unproven(model: PackageModel, columns: IntArray, objective: float) -> MilpResult:
    """An acceptable package the solver had no time to improve on, with no bound proven."""
    return MilpResult(MilpStatus.TIME_LIMIT, model.start(columns), objective, INF, 0.0)


def _gain_rows(model: PackageModel, variable: int, party: int, scale: float = 1.0) -> None:
    """variable <= (u_party - d_party) / scale."""
    problem = model.problem
    index, value = PackageModel.utility_terms(problem, party)
    # variable - u/scale <= -d/scale
    model.add_row(-INF, -problem.reservation[party] / scale, [variable, *index], [1.0, *(-value / scale)])


def best_utilities(
    problem: Problem, solver: MilpSolver, time_limit: float | None = None
) -> FloatArray | None:
    """m_i: each party's best utility over the acceptable packages (None if there is none).

    A party's own favourite option on every point is tried first: when that package is acceptable it
    is the maximum, and no integer program is needed.
    """
    hood = Neighbourhood(problem)
    model: PackageModel | None = None
    best = np.zeros(problem.n_parties)
    for party in range(problem.n_parties):
        favourite = _separable_optimum(hood, np.eye(problem.n_parties)[party])
        if favourite is not None:
            best[party] = float(problem.utilities(favourite)[party])
            continue
        model = model or PackageModel.build(problem)
        index, value = PackageModel.utility_terms(problem, party)
        model.milp.set_objective(index, value)
        result = solver.solve(model.milp, time_limit)
        if result.status is MilpStatus.INFEASIBLE:
            return None
        best[party] = result.bound if result.status is MilpStatus.OPTIMAL else result.objective
    return best


# A stage returns the solve that decides the concept's value (its status and gap are reported) and,
# when one is already known, a solve whose package has the largest total utility among the concept's
# optima (then no tie-break is run); None when no package is left.
Stage = Callable[
    [PackageModel, "_Clock", Collection[tuple[int, ...]]], tuple[MilpResult, MilpResult | None] | None
]


def _ranked(
    problem: Problem,
    concept: Concept,
    solver: MilpSolver,
    top: int,
    time_limit: float | None,
    stage: Stage,
    value_of: Callable[[IntArray], float],
) -> Outcome:
    """Run a concept's stage, break ties, forbid the package, repeat for the K best."""
    clock = _Clock(time_limit)
    base = PackageModel.build(problem)
    solutions: list[Solution] = []
    forbidden: set[tuple[int, ...]] = set()
    for rank in range(1, top + 1):
        model = base.copy()
        staged = stage(model, clock, forbidden)
        if staged is None:
            break
        result, final = staged
        status, gap = _status(result), _gap(result.objective, result.bound)
        if final is None:
            tied = _utilitarian_tiebreak(model, solver, clock, model.columns(result))
            final = tied if tied.has_solution else result
        columns = model.columns(final)
        solutions.append(
            make_solution(problem, concept, rank, columns, value_of(columns), status, gap, clock.seconds)
        )
        base.forbid(columns)
        forbidden.add(tuple(int(c) for c in columns))
    overall = solutions[0].status if solutions else Status.INFEASIBLE
    return Outcome(concept, overall, tuple(solutions), clock.seconds, solver.name)


def utilitarian(
    problem: Problem, solver: MilpSolver, top: int = 1, time_limit: float | None = None
) -> Outcome:
    total = problem.utility.sum(axis=0)
    hood = Neighbourhood(problem)

    def stage(
        model: PackageModel, clock: _Clock, forbidden: Collection[tuple[int, ...]]
    ) -> tuple[MilpResult, MilpResult | None] | None:
        # the stage's objective is the tie-break's: its optimum needs no tie-break
        best = _separable_optimum(hood, np.ones(problem.n_parties), forbidden)
        if best is not None:
            solved = _solved(model, best, float(total[best].sum()))
            return solved, solved
        model.milp.set_objective(np.arange(problem.n_columns), total)
        result = solver.solve(model.milp, clock.left())
        if not result.has_solution:
            return None
        return result, result

    return _ranked(
        problem,
        Concept.UTILITARIAN,
        solver,
        top,
        time_limit,
        stage,
        lambda c: float(problem.utilities(c).sum()),
    )


def _deadline(clock: _Clock) -> float | None:
    """When an exact search (``maximin.search``) must give up, leaving the rest of the time limit to
    the integer program: half of the time left."""
    left = clock.left()
    return None if left is None else time.perf_counter() + EXACT_SHARE * left


def _core_deadline(clock: _Clock) -> float | None:
    """When the search for a bound and CP-SAT's search for a better start, run side by side when the
    space is too large to settle (``ExactMaximin.candidates``), both stop: most of the time left, the
    integer program taking the rest from the better start (on 10 parties x 300 x 6 its last seconds
    moved neither the package nor the bound)."""
    left = clock.left()
    return None if left is None else time.perf_counter() + SIDE_BY_SIDE_SHARE * left


def _core_time(clock: _Clock) -> float | None:
    """How long CP-SAT may look for a better start near the LP optimum (``core_search``) after an exact
    search gave up: a share of the time left, the integer program taking the rest from its package."""
    left = clock.left()
    return None if left is None else CORE_TIME_SHARE * left


def _maxmin_start(
    hood: Neighbourhood,
    exact: ExactMaximin,
    weights: FloatArray,
    score: Callable[[FloatArray], FloatArray],
    smooth: Callable[[FloatArray], FloatArray],
    forbidden: Collection[tuple[int, ...]],
    clock: _Clock,
) -> IntArray | None:
    """The better of two climbs: from each point's best option for ``weights``, and for the LP
    relaxation's multipliers (the LP optimum rounded, which is close to the maximin when the LP is)."""
    begins = [hood.separable_best(np.asarray(weights, dtype=np.float64))]
    lam = exact.lp(clock.left())
    if lam is not None:
        begins.append(hood.separable_best(exact.party_weights(lam)))
    best: IntArray | None = None
    best_score = -np.inf
    for begin in begins:
        found = hood.best_climb(begin, [[score], [smooth, score]], score, forbidden)
        if found is not None:
            value = float(score(hood.gains(found)[:, None])[0])
            if value > best_score:
                best, best_score = found, value
    return best


def _maxmin_stage(
    problem: Problem, solver: MilpSolver, scale: FloatArray | None, active: np.ndarray
) -> Stage:
    """maximise t subject to t <= (u_i - d_i)/scale_i for the active parties, from a searched start."""
    hood = Neighbourhood(problem)
    scaled = None if scale is None else scale[active]
    plain = min_score(scaled)
    # the smooth minimum's temperature: about one point's share of the (scaled) utility
    spread = 1.0 if scaled is None or not scaled.size else float(scaled.mean())
    soft = soft_min_score(problem.n_points * spread, scaled)

    def score(gains: FloatArray) -> FloatArray:
        return plain(gains[active])

    def smooth(gains: FloatArray) -> FloatArray:
        return soft(gains[active])

    parties = np.nonzero(active)[0]
    exact = ExactMaximin(
        problem, solver, hood, parties, np.ones(len(parties)) if scale is None else scale[parties]
    )

    def stage(
        model: PackageModel, clock: _Clock, forbidden: Collection[tuple[int, ...]]
    ) -> tuple[MilpResult, MilpResult | None] | None:
        t = model.add_var(-INF, INF)
        for party in parties:
            _gain_rows(model, t, int(party), 1.0 if scale is None else float(scale[party]))
        if not active.any():
            model.milp.upper[t] = 1.0
        model.milp.set_objective([t], [1.0])
        weights = np.where(active, 1.0 if scale is None else 1.0 / np.where(active, scale, 1.0), 0.0)
        start = None
        if active.any():
            start = _maxmin_start(hood, exact, np.asarray(weights), score, smooth, forbidden, clock)
        proven = INF
        if start is not None:
            found = exact.candidates(start, forbidden, _deadline(clock), _core_deadline(clock))
            if found.packages is not None:
                values = exact.value(found.utilities)
                best = best_of(values, found.utilities.sum(axis=1))
                solved = _solved(model, found.packages[best], float(values[best]))
                return solved, solved
            proven = found.bound
            if found.start is not None:  # sought alongside the bound
                start = found.start
            else:
                start = exact.better_start(start, forbidden, _core_time(clock))
        result = solver.solve(model.milp, clock.left(), _start(model, start))
        if not result.has_solution and result.status is MilpStatus.NO_SOLUTION and start is not None:
            # the time limit stopped the solver before it took the start: the start is the answer
            result = _unproven(model, start, float(exact.value(problem.utilities(start)[None, :])[0]))
        if not result.has_solution:
            return None
        if proven < result.bound:  # the search proved a better bound than the solver (time limit)
            result = replace(result, bound=max(proven, result.objective))
        model.milp.lower[t] = result.objective - TOLERANCE
        return result, None

    return stage


def egalitarian(
    problem: Problem, solver: MilpSolver, top: int = 1, time_limit: float | None = None
) -> Outcome:
    def value(columns: IntArray) -> float:
        return float((problem.utilities(columns) - problem.reservation).min())

    active = np.ones(problem.n_parties, dtype=bool)
    stage = _maxmin_stage(problem, solver, None, active)
    return _ranked(problem, Concept.EGALITARIAN, solver, top, time_limit, stage, value)


def _gain_range(problem: Problem) -> tuple[float, float]:
    """Bounds on every party's gain over all packages (red lines and demands ignored)."""
    low, high = np.inf, -np.inf
    for party in range(problem.n_parties):
        row = problem.utility[party]
        worst = sum(float(row[list(problem.columns_of(p))].min()) for p in range(problem.n_points))
        best = sum(float(row[list(problem.columns_of(p))].max()) for p in range(problem.n_points))
        low = min(low, worst - float(problem.reservation[party]))
        high = max(high, best - float(problem.reservation[party]))
    return (low, high) if low <= high else (0.0, 0.0)


def _leximin_start(
    problem: Problem, found: IntArray | None, previous: IntArray | None, thetas: list[float]
) -> IntArray | None:
    """A start for leximin stage k: the searched package if it meets every earlier stage and beats the
    previous stage's optimum on the sum of the k smallest gains, else that optimum (which meets them)."""
    if found is None:
        return previous
    k = len(thetas) + 1
    sums = np.cumsum(np.sort(problem.utilities(found) - problem.reservation))
    if not all(sums[m] >= thetas[m] - TOLERANCE for m in range(k - 1)):
        return previous
    if previous is not None:
        before = np.cumsum(np.sort(problem.utilities(previous) - problem.reservation))
        if before[k - 1] >= sums[k - 1]:
            return previous
    return found


def _leximin_best(problem: Problem, utilities: FloatArray) -> int:
    """The leximin package among rows of utilities, by the integer programs' own stages: the sum of the
    k smallest gains as large as any (less TOLERANCE) for k = 1, 2, ..., then the largest total."""
    sums = np.cumsum(np.sort(utilities - problem.reservation, axis=1), axis=1)
    rows = np.arange(len(utilities))
    for k in range(problem.n_parties - 1):
        column = sums[rows, k]
        rows = rows[column >= column.max() - TOLERANCE]
    return int(rows[int(np.argmax(utilities[rows].sum(axis=1)))])


def leximin(problem: Problem, solver: MilpSolver, top: int = 1, time_limit: float | None = None) -> Outcome:
    n = problem.n_parties
    hood = Neighbourhood(problem)
    low, high = _gain_range(problem)
    total = problem.utility.sum(axis=0)

    exact = ExactMaximin(problem, solver, hood, np.arange(n), np.ones(n))
    plain = min_score(None)
    smooth = soft_min_score(float(problem.n_points))

    def stage(
        model: PackageModel, clock: _Clock, forbidden: Collection[tuple[int, ...]]
    ) -> tuple[MilpResult, MilpResult | None] | None:
        first: MilpResult | None = None
        proven = INF
        maximin = _maxmin_start(hood, exact, np.ones(n), plain, smooth, forbidden, clock)
        if maximin is not None:
            # every package whose smallest gain reaches the start's holds the leximin optimum
            searched = exact.candidates(maximin, forbidden, _deadline(clock), _core_deadline(clock))
            if searched.packages is not None:
                best = _leximin_best(problem, searched.utilities)
                smallest = float((searched.utilities[best] - problem.reservation).min())
                solved = _solved(model, searched.packages[best], smallest)
                return solved, solved
            proven = searched.bound
            if searched.start is not None:  # sought alongside the bound
                maximin = searched.start
            else:
                maximin = exact.better_start(maximin, forbidden, _core_time(clock))
        found = hood.improve(hood.separable_best(np.ones(n)), leximin_score, forbidden)
        if maximin is not None and (found is None or hood.gains(found).min() < hood.gains(maximin).min()):
            found = maximin  # a better first stage
        previous: IntArray | None = None
        thetas: list[float] = []
        last: MilpResult | None = None
        for k in range(1, n + 1):
            if k == n:
                # the sum of all gains is the total utility less the reservation values: no variables needed
                model.milp.set_objective(
                    np.arange(problem.n_columns), total, -float(problem.reservation.sum())
                )
            elif k == 1:
                # the smallest gain, written as the egalitarian writes it (t <= gain_i): the same value,
                # and HiGHS's search goes further in it (10 parties x 300 x 6: a 0.160% gap in 10 s
                # against 0.185% with the cumulative form below)
                t = model.add_var(-INF, INF)
                for party in range(n):
                    _gain_rows(model, t, party)
                model.milp.set_objective([t], [1.0])
            else:
                # theta_k = k r - sum_i s_i with s_i >= r - gain_i, s_i >= 0: the sum of the k smallest
                # gains (at the optimum r is the k-th smallest gain, so it lies in the range of gains)
                r = model.add_var(low, high)
                slack = [model.add_var(0.0, high - low) for _ in range(n)]
                for party in range(n):
                    index, value = PackageModel.utility_terms(problem, party)
                    # s_i - r + u_i >= d_i
                    model.add_row(
                        problem.reservation[party], INF, [slack[party], r, *index], [1.0, -1.0, *value]
                    )
                model.milp.set_objective([r, *slack], [float(k), *([-1.0] * n)])
            start = _leximin_start(problem, found, previous, thetas)
            result = solver.solve(model.milp, clock.left(), _start(model, start))
            if k == 1 and result.status is MilpStatus.NO_SOLUTION and start is not None:
                # the time limit stopped the solver before it took the start: the start is the answer
                result = _unproven(model, start, float(hood.gains(start).min()))
            if not result.has_solution and first is None:
                return None
            if result.has_solution:
                first = first or result
                previous, last = model.columns(result), result
            if result.status is not MilpStatus.OPTIMAL:
                # the time limit stopped this stage: the later ones would build on an unproven value.
                # Report what the earlier stages proved (the first stage's bound: its gap when the time
                # limit stopped it too, else none) with the package that meets the most stages.
                assert first is not None
                bound = max(min(first.bound, proven), first.objective)  # the search may have proved more
                stopped = MilpResult(
                    MilpStatus.TIME_LIMIT, first.values, first.objective, bound, first.seconds
                )
                return stopped, last
            thetas.append(result.objective)
            if k == 1 and n > 1:
                model.milp.lower[t] = result.objective - TOLERANCE
            elif k < n:
                model.add_row(result.objective - TOLERANCE, INF, [r, *slack], [float(k), *([-1.0] * n)])
        assert first is not None and last is not None
        # the last stage maximised the sum of all gains, that is the total utility: no tie-break is left
        # (when the time limit stopped it, its package still meets every earlier stage)
        return first, last

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

    active = ranges > NEGLIGIBLE_GAIN
    stage = _maxmin_stage(problem, solver, ranges, active)

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
