"""Which demands clash: shared demands, every minimal conflict (MARCO), the cheapest joint relaxations.

A *requirement* is one constraint on the package, with every party that holds
it: when Ukraine and Europe both draw a red line on the same option, it is one
requirement held by both (relaxing it means both give it up).

Minimal conflicting sets (MUSes: no package meets them all, drop any one and
the rest can be met) are enumerated MARCO-style (Liffiton, Previti, Malik &
Marques-Silva 2016, "Fast, flexible MUS enumeration"): a small 0-1 program,
the *map*, proposes a largest subset of requirements not yet explained; the
package MIP decides it; a feasible seed is a maximal satisfiable subset (its
complement a minimal correction set), an infeasible one is shrunk to a MUS by
deletion. Each answer is blocked in the map; when the map has no model left,
every MUS has been found.

The cheapest joint relaxations (minimal correction sets: relax them all and a
deal is possible, keep any one and it is not) come from one MIP: the package
MIP with a 0-1 switch per requirement that turns it off, minimising first the
number of switches (or their cost) and next the cost to the holders — a red
line or link costs each holder its weight on the point (the most utility the
point can give it), a reservation value the cut it must take. Found sets are
blocked (no superset) and the MIP solved again for the next one.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from accord.engine.milp import INF, Milp, MilpSolver, MilpStatus, PackageModel
from accord.engine.problem import Demand, LinkDemand, Problem, RedLineDemand, ReservationDemand

Rank = Literal["size", "weight"]


@dataclass(frozen=True)
class Requirement:
    """One constraint on the package, as held by one or more parties (``demands``: one per holder)."""

    demands: tuple[Demand, ...]

    @property
    def first(self) -> Demand:
        return self.demands[0]

    @property
    def holders(self) -> tuple[int, ...]:
        return tuple(sorted({d.party for d in self.demands}))

    @property
    def kind(self) -> str:
        if isinstance(self.first, RedLineDemand):
            return "red_line"
        return "link" if isinstance(self.first, LinkDemand) else "reservation"


def _key(demand: Demand) -> tuple[object, ...]:
    if isinstance(demand, RedLineDemand):
        return ("red_line", demand.column)
    if isinstance(demand, LinkDemand):
        return ("link", demand.column, tuple(sorted(set(demand.requires))))
    return ("reservation", demand.party)


def requirements(demands: Iterable[Demand]) -> list[Requirement]:
    """The demands grouped: identical demands of several parties become one requirement."""
    groups: dict[tuple[object, ...], list[Demand]] = {}
    for demand in demands:
        groups.setdefault(_key(demand), []).append(demand)
    return [Requirement(tuple(group)) for group in groups.values()]


def holders_text(problem: Problem, holders: Sequence[int]) -> str:
    names = [problem.party_names[h] for h in holders]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def describe(problem: Problem, requirement: Requirement) -> str:
    """A requirement in words, naming every holder: "Ukraine's and Europe's red line on point 3 (…)"."""
    first = requirement.first
    text = problem.describe(first)
    if len(requirement.holders) == 1:
        return text
    own = f"{problem.party_names[first.party]}'s "
    rest = text[len(own) :] if text.startswith(own) else text
    return " and ".join(f"{problem.party_names[h]}'s" for h in requirement.holders) + " " + rest


def cost_of(problem: Problem, requirement: Requirement) -> float:
    """What giving up a red line or link costs its holders: the sum of their weights on its point
    (the most utility the point can give each). A reservation value's cost is its cut (see below)."""
    first = requirement.first
    if isinstance(first, ReservationDemand):
        return 0.0
    columns = list(problem.columns_of(first.point))
    return float(sum(problem.utility[h, columns].max(initial=0.0) for h in requirement.holders))


def broken_requirements(problem: Problem, columns: Sequence[int] | np.ndarray) -> list[Requirement]:
    """The requirements a package breaks, each with all its holders."""
    return requirements(problem.broken(columns))


class Checker:
    """Feasibility of subsets of requirements (cached; ``checks`` counts the MIPs solved)."""

    def __init__(
        self, problem: Problem, reqs: Sequence[Requirement], solver: MilpSolver, time_limit: float | None
    ) -> None:
        self.problem = problem
        self.reqs = reqs
        self.solver = solver
        self.time_limit = time_limit
        self.checks = 0
        self._seen: dict[frozenset[int], bool] = {}

    def demands(self, subset: Iterable[int]) -> list[Demand]:
        return [d for i in sorted(subset) for d in self.reqs[i].demands]

    def feasible(self, subset: Iterable[int]) -> bool:
        key = frozenset(subset)
        if key not in self._seen:
            self.checks += 1
            model = PackageModel.build(self.problem.only(self.demands(key)))
            model.milp.set_objective([], [])
            result = self.solver.solve(model.milp, self.time_limit)
            if result.status is MilpStatus.NO_SOLUTION:
                raise TimeoutError("the time limit stopped a feasibility check before it was decided")
            self._seen[key] = result.status is not MilpStatus.INFEASIBLE
        return self._seen[key]

    def shrink(self, subset: Iterable[int]) -> frozenset[int]:
        """Deletion filter (Chinneck & Dravnieks 1991): an infeasible subset down to a minimal one."""
        core = sorted(subset)
        index = 0
        while index < len(core):
            trial = core[:index] + core[index + 1 :]
            if self.feasible(trial):
                index += 1
            else:
                core = trial
        return frozenset(core)

    def grow(self, subset: Iterable[int]) -> frozenset[int]:
        """A feasible subset up to a maximal one."""
        grown = set(subset)
        for i in range(len(self.reqs)):
            if i not in grown and self.feasible(grown | {i}):
                grown.add(i)
        return frozenset(grown)


@dataclass(frozen=True)
class Enumeration:
    conflicts: tuple[frozenset[int], ...]  # minimal conflicting sets, in the order found
    satisfiable: tuple[frozenset[int], ...]  # maximal satisfiable subsets found on the way
    complete: bool  # every minimal conflict was found (the limit did not stop the search)


def enumerate_conflicts(checker: Checker, limit: int, time_limit: float | None = None) -> Enumeration:
    """MARCO: every minimal conflicting set of requirements, up to ``limit`` of them."""
    n = len(checker.reqs)
    started = time.perf_counter()
    grid = Milp()
    for _ in range(n):
        grid.add_var(0.0, 1.0, cost=1.0, integer=True)
    muses: list[frozenset[int]] = []
    msses: list[frozenset[int]] = []
    while True:
        left = None if time_limit is None else max(time_limit - (time.perf_counter() - started), 0.01)
        result = checker.solver.solve(grid, left)
        if result.status is MilpStatus.INFEASIBLE:
            return Enumeration(tuple(muses), tuple(msses), True)
        if not result.has_solution:
            raise TimeoutError("the time limit stopped the search for conflicts")
        seed = frozenset(i for i in range(n) if result.values[i] > 0.5)
        feasible = checker.feasible(seed)
        if len(muses) >= limit and (not feasible or len(msses) >= 4 * limit + n):
            # another conflict exists (or the satisfiable sets left to rule out are too many to say)
            return Enumeration(tuple(muses), tuple(msses), False)
        if feasible:
            mss = seed if result.status is MilpStatus.OPTIMAL else checker.grow(seed)
            msses.append(mss)
            rest = [i for i in range(n) if i not in mss]
            if not rest:  # everything can hold together
                return Enumeration(tuple(muses), tuple(msses), True)
            grid.add_row(1.0, INF, rest, [1.0] * len(rest))  # later seeds add one of the rest
        else:
            mus = checker.shrink(seed)
            muses.append(mus)
            grid.add_row(-INF, len(mus) - 1.0, sorted(mus), [1.0] * len(mus))  # never all of it again


@dataclass(frozen=True)
class Correction:
    members: frozenset[int]  # requirements relaxed together
    cost: float  # to their holders: weights of points given up + reservation cuts needed
    cuts: tuple[tuple[int, float], ...]  # (party, the least its reservation value must come down)


def _relaxable(problem: Problem, reqs: Sequence[Requirement]) -> tuple[PackageModel, list[int], list[int]]:
    """The package MIP with a 0-1 switch ``r`` per requirement (1: relaxed) and, for a reservation
    value, a continuous cut ``s`` (how far it comes down; only when relaxed)."""
    model = PackageModel.build(problem.only([]))
    milp = model.milp
    switch: list[int] = []
    cut: list[int] = []
    lowest = np.array(
        [
            sum(float(problem.utility[i, list(problem.columns_of(p))].min()) for p in range(problem.n_points))
            for i in range(problem.n_parties)
        ]
    )
    for req in reqs:
        first = req.first
        r = milp.add_var(0.0, 1.0, integer=True)
        switch.append(r)
        if isinstance(first, RedLineDemand):
            milp.add_row(-INF, 0.0, [first.column, r], [1.0, -1.0])
            cut.append(-1)
        elif isinstance(first, LinkDemand):
            req_cols = sorted(set(first.requires))
            milp.add_row(-INF, 0.0, [first.column, *req_cols, r], [1.0] + [-1.0] * len(req_cols) + [-1.0])
            cut.append(-1)
        else:
            party = first.party
            depth = max(float(problem.reservation[party] - lowest[party]), 0.0) + 1.0
            s = milp.add_var(0.0, depth)
            cut.append(s)
            milp.add_row(-INF, 0.0, [s, r], [1.0, -depth])  # s <= depth * r
            index, value = PackageModel.utility_terms(problem, party)
            milp.add_row(float(problem.reservation[party]), INF, [*index.tolist(), s], [*value.tolist(), 1.0])
    return model, switch, cut


def cheapest_relaxations(
    checker: Checker, top: int, rank: Rank = "size", time_limit: float | None = None
) -> list[Correction]:
    """Up to ``top`` minimal correction sets, cheapest first: fewest requirements (then least cost to
    their holders) with ``rank="size"``, least cost (then fewest) with ``rank="weight"``."""
    problem, reqs, solver = checker.problem, checker.reqs, checker.solver
    model, switch, cut = _relaxable(problem, reqs)
    milp = model.milp
    costs = [cost_of(problem, req) for req in reqs]
    total = sum(costs) + sum(
        milp.upper[s] for s in cut if s >= 0
    )  # bounds every cost, so one more requirement always outweighs any cost
    index: list[int] = []
    value: list[float] = []
    for r, s, c in zip(switch, cut, costs, strict=True):
        index.append(r)
        value.append(-(total + 1.0 + c) if rank == "size" else -(c + 1e-4))
        if s >= 0:
            index.append(s)
            value.append(-1.0)
    milp.set_objective(index, value)
    found: list[Correction] = []
    while len(found) < top:
        checker.checks += 1
        result = solver.solve(milp, time_limit)
        if result.status is MilpStatus.INFEASIBLE or not result.has_solution:
            break
        chosen = frozenset(i for i, r in enumerate(switch) if result.values[r] > 0.5)
        if not chosen:  # a deal is possible as things stand
            break
        keep = [i for i in range(len(reqs)) if i not in chosen]
        members = frozenset(range(len(reqs))) - checker.grow(keep)  # minimal, whatever the solver's ties
        found.append(price(checker, members, costs))
        milp.add_row(-INF, len(members) - 1.0, [switch[i] for i in sorted(members)], [1.0] * len(members))
    found.sort(key=lambda c: (len(c.members), c.cost) if rank == "size" else (c.cost, len(c.members)))
    return found


def price(checker: Checker, members: frozenset[int], costs: Sequence[float]) -> Correction:
    """The correction set's cost: its points' weights plus the least total cut of its reservation values."""
    problem, reqs = checker.problem, checker.reqs
    weights = sum(costs[i] for i in members)
    reservations = [i for i in members if isinstance(reqs[i].first, ReservationDemand)]
    if not reservations:
        return Correction(members, weights, ())
    model, switch, cut = _relaxable(problem, reqs)
    milp = model.milp
    for i, r in enumerate(switch):
        milp.lower[r] = milp.upper[r] = 1.0 if i in members else 0.0
    milp.set_objective([cut[i] for i in reservations], [-1.0] * len(reservations))
    checker.checks += 1
    result = checker.solver.solve(milp, checker.time_limit)
    if not result.has_solution:
        return Correction(members, weights, ())
    # each cut read off the package found, not the solver's continuous value: that one is exact only to
    # the solver's tolerance, and a value kept a hair above what any package gives would admit no deal
    utilities = problem.utilities(model.columns(result))
    cuts = tuple(
        (party, max(float(problem.reservation[party] - utilities[party]), 0.0))
        for party in (reqs[i].first.party for i in sorted(reservations))
    )
    return Correction(members, weights + sum(c for _, c in cuts), cuts)


__all__ = [
    "Checker",
    "Correction",
    "Enumeration",
    "Rank",
    "Requirement",
    "broken_requirements",
    "cheapest_relaxations",
    "cost_of",
    "describe",
    "enumerate_conflicts",
    "holders_text",
    "price",
    "requirements",
]
