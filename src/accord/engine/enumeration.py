"""Small domains: every concept by enumerating the packages, vectorised with NumPy.

Below ``LIMIT`` packages (after red lines and fixed points are taken out), listing
every package and scoring it is faster than building and solving integer programs
(measured in bench/engine.py: England–Zimbabwe's 576 packages and Grocery's 1,600
answer in well under a millisecond per concept). The answers are the integer
programs' (``concepts`` and ``nash``), by the same definitions and tolerances:

- every concept keeps the packages that break no red line, link or reservation value;
- utilitarian: the largest total utility;
- egalitarian: the largest smallest gain; Kalai–Smorodinsky: the largest smallest
  gain over the party's range (best utility over acceptable packages, less the
  reservation value; parties with a range of NEGLIGIBLE_GAIN or less left out);
  leximin: the largest sum of the k smallest gains, k = 1, 2, …, in turn — each
  within TOLERANCE of its best, then the largest total utility (as the MILPs' stages);
- Nash: the largest product of gains, each raised to the party's bargaining power
  scaled to average 1 over the parties that can gain; a package leaving such a party
  a gain of NEGLIGIBLE_GAIN or less is no candidate; none left: degenerate (the most
  total utility shown, as the integer program's path does); the packages within
  NASH_TOLERANCE (relative) of the best product tie;
- ties go to the largest total utility, then to the first package in the order of the
  options (the integer programs leave that last choice to the solver);
- the K best: the best package, then the best of the rest, and so on.

Every answer is proven optimal (status optimal, gap 0): the whole space was seen.
"""

from __future__ import annotations

import math
import time

import numpy as np
import numpy.typing as npt

from accord.engine.concepts import NASH_TOLERANCE, NEGLIGIBLE_GAIN, TOLERANCE
from accord.engine.problem import FloatArray, IntArray, Problem
from accord.engine.solution import Concept, Outcome, Solution, Status, make_solution

# packages; above, the integer programs are faster (bench/engine.py: enumeration costs about
# 0.3-0.6 microseconds a package, the MILPs 5-20 ms at 16,000-65,000 packages). Utilitarian's MILP
# is usually answered by its point-by-point shortcut in about 1 ms: enumerate it only when tiny.
LIMIT = 20_000
LIMITS = {Concept.UTILITARIAN: 2_000}
BACKEND = "enumeration"

Mask = npt.NDArray[np.bool_]


def package_count(problem: Problem) -> int:
    """How many packages respect the red lines and fixed points (what enumeration would list)."""
    allowed = problem.allowed()
    count = 1
    for point in range(problem.n_points):
        count *= int(allowed[list(problem.columns_of(point))].sum())
        if count == 0:
            return 0
    return count


def small(problem: Problem, limit: int = LIMIT) -> bool:
    return package_count(problem) <= limit


def limit_for(concept: Concept) -> int:
    """Up to how many packages the concept is solved by enumeration."""
    return LIMITS.get(concept, LIMIT)


class Space:
    """The acceptable packages, as positions in the product of the allowed options (earlier points
    vary slowest, as ``itertools.product``), with each party's utility; columns decoded on demand."""

    def __init__(self, problem: Problem) -> None:
        allowed = problem.allowed()
        parties = problem.n_parties
        offsets = problem.offsets.tolist()
        self.options = [
            np.array([c for c in range(offsets[p], offsets[p] + len(opts)) if allowed[c]], dtype=np.int64)
            for p, opts in enumerate(problem.options)
        ]
        sizes = [len(o) for o in self.options]
        count = int(np.prod(sizes, dtype=np.float64))
        self.strides = [int(np.prod(sizes[p + 1 :], dtype=np.float64)) for p in range(len(sizes))]
        # the utilities grow by an outer sum, point by point: O(count) in all
        utilities = np.zeros((1, parties))
        for columns in self.options:
            utilities = (utilities[:, None, :] + problem.utility[:, columns].T[None, :, :]).reshape(
                -1, parties
            )
        index = np.arange(count, dtype=np.int64)
        if problem.links and count:
            linked: Mask = np.ones(count, dtype=bool)
            for link in problem.links:
                chosen = self.column_at(index, link.point) == link.column
                met = np.isin(self.column_at(index, link.requires_point), link.requires)
                linked &= ~chosen | met
            index, utilities = index[linked], utilities[linked]
        keep = (utilities >= problem.reservation_bounds() - TOLERANCE).all(axis=1)
        self.index: IntArray = index[keep]
        self.utilities: FloatArray = utilities[keep]

    def column_at(self, index: IntArray, point: int) -> IntArray:
        """The column chosen on ``point`` by the packages at these positions."""
        options = self.options[point]
        return np.asarray(options[(index // self.strides[point]) % len(options)], dtype=np.int64)

    def columns(self, rows: IntArray) -> IntArray:
        """The packages at these rows (of the acceptable ones), as rows of columns."""
        index = self.index[rows]
        if not self.options:
            return np.zeros((*index.shape, 0), dtype=np.int64)
        return np.stack([self.column_at(index, p) for p in range(len(self.options))], axis=-1)


def acceptable(problem: Problem) -> tuple[IntArray, FloatArray]:
    """Every package breaking no active demand (rows of columns) and each party's utility for it."""
    space = Space(problem)
    rows = np.arange(len(space.index))
    return space.columns(rows).reshape(len(rows), problem.n_points), space.utilities


Criterion = tuple[FloatArray, float]  # values, and how far below the best still ties


def _pick(criteria: list[Criterion], total: FloatArray, left: Mask) -> int:
    """The first package (of those ``left``) best on each criterion in turn, within its slack,
    then on the total utility (ties: the first)."""
    candidates = left.copy()
    for values, slack in criteria:
        best = values[candidates].max()
        candidates &= values >= best - slack
    totals = np.where(candidates, total, -np.inf)
    return int(np.argmax(totals))


def _outcome(
    problem: Problem,
    concept: Concept,
    top: int,
    space: Space,
    criteria: list[Criterion],
    values: FloatArray,
    total: FloatArray,
    start: float,
    candidates: Mask | None = None,
    status: Status = Status.OPTIMAL,
    detail: dict[str, object] | None = None,
) -> Outcome:
    left = np.ones(len(space.index), dtype=bool) if candidates is None else candidates.copy()
    solutions: list[Solution] = []
    for rank in range(1, top + 1):
        if not left.any():
            break
        index = _pick(criteria, total, left)
        left[index] = False
        solutions.append(
            make_solution(
                problem,
                concept,
                rank,
                space.columns(np.array(index)),
                float(values[index]),
                status,
                0.0,
                time.perf_counter() - start,
                {"enumerated": len(space.index), **(detail or {})},
            )
        )
    overall = solutions[0].status if solutions else Status.INFEASIBLE
    return Outcome(concept, overall, tuple(solutions), time.perf_counter() - start, BACKEND)


def solve_small(problem: Problem, concept: Concept, top: int = 1) -> Outcome:
    """The concept's K best packages by enumeration (the problem should be ``small``)."""
    start = time.perf_counter()
    space = Space(problem)
    packages, utilities = space.index, space.utilities
    if not len(packages):
        return Outcome(concept, Status.INFEASIBLE, (), time.perf_counter() - start, BACKEND)
    total = utilities.sum(axis=1)
    gains = utilities - problem.reservation
    if concept is Concept.UTILITARIAN:
        return _outcome(problem, concept, top, space, [], total, total, start)
    if concept is Concept.EGALITARIAN:
        smallest = gains.min(axis=1)
        return _outcome(problem, concept, top, space, [(smallest, TOLERANCE)], smallest, total, start)
    if concept is Concept.LEXIMIN:
        sums = np.cumsum(np.sort(gains, axis=1), axis=1)
        stages = [(sums[:, k], TOLERANCE) for k in range(problem.n_parties - 1)]
        return _outcome(problem, concept, top, space, stages, gains.min(axis=1), total, start)
    best = utilities.max(axis=0)
    ranges = best - problem.reservation
    active = ranges > NEGLIGIBLE_GAIN
    if concept is Concept.KALAI_SMORODINSKY:
        ratio = (gains[:, active] / ranges[active]).min(axis=1) if active.any() else np.ones(len(packages))
        detail: dict[str, object] = {"best_utilities": [float(b) for b in best]}
        return _outcome(
            problem, concept, top, space, [(ratio, TOLERANCE)], ratio, total, start, detail=detail
        )
    assert concept is Concept.NASH
    able = gains[:, active]
    gaining: Mask = np.zeros(len(packages), dtype=bool)
    if active.any():
        gaining = np.asarray((able > NEGLIGIBLE_GAIN).all(axis=1), dtype=bool)
    if not gaining.any():
        reason = "no package gives every party a positive gain; most total utility shown"
        zero = np.zeros(len(packages))
        return _outcome(
            problem,
            concept,
            top,
            space,
            [],
            zero,
            total,
            start,
            None,
            Status.DEGENERATE,
            {"reason": reason},
        )
    powers = problem.powers[active] / problem.powers[active].mean()
    logs = np.full(len(packages), -np.inf)
    logs[gaining] = (np.log(able[gaining]) * powers).sum(axis=1)
    # within NASH_TOLERANCE of the best product: log p >= log best + log(1 - tol)
    tied_slack = -math.log1p(-NASH_TOLERANCE)
    product = np.exp(logs)
    return _outcome(
        problem,
        concept,
        top,
        space,
        [(logs, tied_slack)],
        product,
        total,
        start,
        gaining,
    )
