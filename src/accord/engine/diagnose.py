"""Deadlock diagnosis: which demands cannot hold together, the cheapest joint ways out, and a draft's faults.

When no package respects every red line, link and reservation value, the
diagnosis lists every minimal conflicting set of demands (up to a limit;
MARCO enumeration, see ``accord.engine.conflicts``) — a demand several parties
hold is one demand naming them all — and the cheapest *joint* relaxations:
the smallest sets of demands (or the least costly to their holders) whose
relaxation together makes a deal possible, each with the best package then
(Nash) and, for a reservation value, how far it must come down.

``check_draft`` says which demands a draft breaks, for whom, and the nearest
package that breaks none (fewest points changed from the draft; exact, one MIP).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from accord.engine.conflicts import (
    Checker,
    Correction,
    Rank,
    Requirement,
    broken_requirements,
    cheapest_relaxations,
    cost_of,
    describe,
    enumerate_conflicts,
    price,
    requirements,
)
from accord.engine.milp import MilpSolver, MilpStatus, PackageModel
from accord.engine.nash import nash
from accord.engine.problem import Demand, FloatArray, IntArray, Problem, ReservationDemand
from accord.engine.solution import Solution

DEFAULT_LIMIT = 20  # minimal conflicts enumerated at most
DEFAULT_TOP = 5  # joint relaxations listed at most
KEEP_MARGIN = 1e-7  # a relaxed reservation value is set this far below what its party can keep


@dataclass(frozen=True)
class Conflict:
    requirements: tuple[Requirement, ...]
    descriptions: tuple[str, ...]

    @property
    def demands(self) -> tuple[Demand, ...]:
        """Every holder's demand in the conflict (a shared demand appears once per holder)."""
        return tuple(d for r in self.requirements for d in r.demands)


@dataclass(frozen=True)
class Relaxation:
    requirements: tuple[Requirement, ...]
    descriptions: tuple[str, ...]
    cost: float  # to the holders: their weights on the points given up + the reservation cuts
    keep_at_most: tuple[tuple[int, float], ...]  # (party, the reservation value it can keep, jointly)
    best: Solution | None  # the Nash package once these demands are relaxed


@dataclass(frozen=True)
class Diagnosis:
    deal_possible: bool
    conflicts: tuple[Conflict, ...]
    complete: bool  # every minimal conflict is listed (the limit did not cut the search short)
    relaxations: tuple[Relaxation, ...]
    checks: int
    seconds: float
    # each demand of a listed conflict relaxed alone: the way out, or None when that alone is not enough
    alone: tuple[tuple[Requirement, Relaxation | None], ...] = ()


def diagnose(
    problem: Problem,
    solver: MilpSolver,
    time_limit: float | None = None,
    *,
    limit: int = DEFAULT_LIMIT,
    top: int = DEFAULT_TOP,
    rank: Rank = "size",
) -> Diagnosis:
    """Explain why no deal exists (or confirm that one does)."""
    started = time.perf_counter()
    reqs = requirements(problem.demands())
    checker = Checker(problem, reqs, solver, time_limit)
    everything = range(len(reqs))
    if checker.feasible(everything):
        return Diagnosis(True, (), True, (), checker.checks, time.perf_counter() - started)
    found = enumerate_conflicts(checker, limit, time_limit)
    conflicts = tuple(
        Conflict(tuple(reqs[i] for i in sorted(mus)), tuple(describe(problem, reqs[i]) for i in sorted(mus)))
        for mus in found.conflicts
    )

    def relaxation(correction: Correction) -> Relaxation:
        members = [reqs[i] for i in sorted(correction.members)]
        keep = tuple((party, float(problem.reservation[party]) - cut) for party, cut in correction.cuts)
        best = _best_after(problem, members, keep, solver, time_limit)
        return Relaxation(
            tuple(members), tuple(describe(problem, r) for r in members), correction.cost, keep, best
        )

    corrections = cheapest_relaxations(checker, top, rank, time_limit)
    relaxations = tuple(relaxation(c) for c in corrections)
    # each demand of a listed conflict relaxed alone (the JSON's ways_out, kept for compatibility)
    by_members = {c.members: r for c, r in zip(corrections, relaxations, strict=True)}
    costs = [cost_of(problem, r) for r in reqs]
    alone: list[tuple[Requirement, Relaxation | None]] = []
    for i in sorted({i for mus in found.conflicts for i in mus}):
        single = frozenset({i})
        way = None
        if checker.feasible(set(everything) - single):
            way = by_members.get(single) or relaxation(price(checker, single, costs))
        alone.append((reqs[i], way))
    alone.sort(key=lambda pair: (pair[1] is None, pair[1].cost if pair[1] is not None else 0.0))
    return Diagnosis(
        False,
        conflicts,
        found.complete,
        relaxations,
        checker.checks,
        time.perf_counter() - started,
        tuple(alone),
    )


def relaxed_problem(
    problem: Problem, members: list[Requirement], keep: tuple[tuple[int, float], ...]
) -> Problem:
    """The problem with these requirements relaxed: red lines and links dropped, reservation values
    lowered to what they can keep."""
    dropped = [d for r in members for d in r.demands if not isinstance(d, ReservationDemand)]
    reservation = problem.reservation.copy()
    for party, value in keep:
        # a hair below what it can keep: the integer program holds a row only to its tolerance, and a
        # package giving exactly that much must still count (far below any figure shown)
        reservation[party] = min(reservation[party], value - KEEP_MARGIN)
    return replace(problem.without(dropped), reservation=reservation)


def _best_after(
    problem: Problem,
    members: list[Requirement],
    keep: tuple[tuple[int, float], ...],
    solver: MilpSolver,
    time_limit: float | None,
) -> Solution | None:
    outcome = nash(relaxed_problem(problem, members, keep), solver, 1, time_limit)
    return outcome.best


@dataclass(frozen=True)
class DraftCheck:
    utilities: FloatArray
    broken: tuple[Requirement, ...]
    descriptions: tuple[str, ...]
    shortfalls: tuple[tuple[int, float], ...]  # (party, how far the draft falls below its reservation value)
    nearest: IntArray | None  # the closest package that breaks no demand (None: no deal is possible)
    changes: tuple[tuple[int, int, int], ...]  # (point, draft's column, nearest package's column)


def check_draft(
    problem: Problem, columns: IntArray, solver: MilpSolver, time_limit: float | None = None
) -> DraftCheck:
    """Which demands a draft breaks (each with all its holders), and the nearest package breaking none:
    the fewest points changed from the draft (ties: the largest total utility)."""
    columns = np.asarray(columns, dtype=np.int64)
    utilities = problem.utilities(columns)
    broken = broken_requirements(problem, columns)
    shortfalls = tuple(
        (r.first.party, float(problem.reservation[r.first.party] - utilities[r.first.party]))
        for r in broken
        if isinstance(r.first, ReservationDemand)
    )
    nearest = columns if not broken else _nearest(problem, columns, solver, time_limit)
    changes: tuple[tuple[int, int, int], ...] = ()
    if nearest is not None:
        changes = tuple(
            (p, int(columns[p]), int(nearest[p])) for p in range(problem.n_points) if nearest[p] != columns[p]
        )
    return DraftCheck(
        utilities, tuple(broken), tuple(describe(problem, r) for r in broken), shortfalls, nearest, changes
    )


def _nearest(
    problem: Problem, columns: IntArray, solver: MilpSolver, time_limit: float | None
) -> IntArray | None:
    model = PackageModel.build(problem)
    most = float(sum(problem.utility[i].clip(min=0).sum() for i in range(problem.n_parties)))
    # keeping one more of the draft's points outweighs any difference in total utility
    value = problem.utility.sum(axis=0).copy()
    value[columns] += most + 1.0
    model.milp.set_objective(np.arange(problem.n_columns), value)
    result = solver.solve(model.milp, time_limit)
    if result.status is MilpStatus.INFEASIBLE or not result.has_solution:
        if result.status is MilpStatus.NO_SOLUTION:
            raise TimeoutError("the time limit stopped the search for the nearest acceptable package")
        return None
    return model.columns(result)


__all__ = [
    "DEFAULT_LIMIT",
    "DEFAULT_TOP",
    "Conflict",
    "Diagnosis",
    "DraftCheck",
    "Relaxation",
    "check_draft",
    "diagnose",
    "relaxed_problem",
]
