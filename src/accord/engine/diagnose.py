"""Deadlock diagnosis: which demands cannot hold together, and the cheapest ways out.

When no package respects every red line, link and reservation value, the
diagnosis names a *minimal* conflicting set (every member is needed: drop any
one and the rest can be met together) by deletion filtering (Chinneck &
Dravnieks 1991, "irreducible infeasible subsets"). Demands outside a first
conflict are searched again, so several disjoint conflicts are all reported.
Then each demand in a conflict is tried alone as the one to relax: if dropping
it makes a deal possible, the best package then (Nash) is shown, and for a
reservation value the largest value it could keep.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from accord.engine.concepts import best_utilities
from accord.engine.milp import MilpSolver, MilpStatus, PackageModel
from accord.engine.nash import nash
from accord.engine.problem import Demand, Problem, ReservationDemand
from accord.engine.solution import Solution


@dataclass(frozen=True)
class Conflict:
    demands: tuple[Demand, ...]
    descriptions: tuple[str, ...]


@dataclass(frozen=True)
class WayOut:
    demand: Demand
    description: str
    restores_deal: bool  # dropping this one demand alone makes a deal possible
    keep_at_most: float | None  # reservation values: the largest value that still allows a deal
    best: Solution | None  # the Nash package once this demand is relaxed


@dataclass(frozen=True)
class Diagnosis:
    deal_possible: bool
    conflicts: tuple[Conflict, ...]
    ways_out: tuple[WayOut, ...]
    checks: int
    seconds: float


class _Checker:
    def __init__(self, problem: Problem, solver: MilpSolver, time_limit: float | None) -> None:
        self.problem = problem
        self.solver = solver
        self.time_limit = time_limit
        self.checks = 0

    def feasible(self, demands: Sequence[Demand]) -> bool:
        self.checks += 1
        model = PackageModel.build(self.problem.only(demands))
        model.milp.set_objective([], [])
        result = self.solver.solve(model.milp, self.time_limit)
        if result.status in (MilpStatus.OPTIMAL, MilpStatus.TIME_LIMIT):
            return True
        if result.status is MilpStatus.INFEASIBLE:
            return False
        raise TimeoutError("the time limit stopped a feasibility check before it was decided")

    def minimal_conflict(self, demands: Sequence[Demand]) -> list[Demand]:
        """Deletion filter: drop each demand in turn; keep it only if the rest become satisfiable."""
        core = list(demands)
        index = 0
        while index < len(core):
            trial = core[:index] + core[index + 1 :]
            if self.feasible(trial):
                index += 1
            else:
                core = trial
        return core


def diagnose(problem: Problem, solver: MilpSolver, time_limit: float | None = None) -> Diagnosis:
    """Explain why no deal exists (or confirm that one does)."""
    started = time.perf_counter()
    checker = _Checker(problem, solver, time_limit)
    demands = problem.demands()
    if checker.feasible(demands):
        return Diagnosis(True, (), (), checker.checks, time.perf_counter() - started)
    conflicts: list[list[Demand]] = []
    remaining = list(demands)
    while not checker.feasible(remaining):
        conflict = checker.minimal_conflict(remaining)
        conflicts.append(conflict)
        remaining = [d for d in remaining if d not in conflict]
    ways_out = []
    for conflict in conflicts:
        for demand in conflict:
            relaxed = problem.without([demand])
            restores = checker.feasible(relaxed.demands())
            keep_at_most = None
            best = None
            if restores:
                if isinstance(demand, ReservationDemand):
                    reachable = best_utilities(relaxed, solver, time_limit)
                    if reachable is not None:
                        keep_at_most = float(reachable[demand.party])
                outcome = nash(relaxed, solver, 1, time_limit)
                best = outcome.best
            ways_out.append(WayOut(demand, problem.describe(demand), restores, keep_at_most, best))
    ways_out.sort(key=lambda w: _cost(problem, w))
    return Diagnosis(
        False,
        tuple(Conflict(tuple(c), tuple(problem.describe(d) for d in c)) for c in conflicts),
        tuple(ways_out),
        checker.checks,
        time.perf_counter() - started,
    )


def _cost(problem: Problem, way: WayOut) -> tuple[int, float, float]:
    """Ways that restore a deal first; among them the smallest cut in a reservation value,
    then the package that leaves the parties best off (largest Nash product)."""
    if not way.restores_deal:
        return (1, 0.0, 0.0)
    cut = 0.0
    if isinstance(way.demand, ReservationDemand) and way.keep_at_most is not None:
        cut = float(problem.reservation[way.demand.party]) - way.keep_at_most
    product = way.best.value if way.best is not None else 0.0
    return (0, cut, -product)


__all__ = ["Conflict", "Diagnosis", "WayOut", "diagnose"]
