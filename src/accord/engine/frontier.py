"""The Pareto frontier over packages: exactly by dynamic programming over points, or a representative set.

Utility is additive over points, so the set of utility vectors of all packages
is a Minkowski sum of one small set per point. A vector that is dominated after
some points stays dominated whatever the remaining points add (the same
completion added to its dominator dominates it), so the dynamic programme
keeps only the non-dominated partial vectors after each point. This never
enumerates outcomes: the partial sets are Pareto sets, not package lists.

Demands: red lines and fixed points remove columns (``Problem.allowed``).
Links tie points together; points connected by links become one "super point"
whose options are the combinations of their options that keep every link.
Reservation values filter the final set: anything dominating a package that
meets every bound meets them too, so the frontier of the acceptable packages
is the frontier of all packages cut by the bounds. They also prune partial
vectors that cannot reach a bound even with the best of what is left.

With more than three parties the frontier can grow large; past ``exact_limit``
partial vectors the engine answers with a representative set instead: the
packages maximising weighted sums of utilities (supported Pareto points).
"""

from __future__ import annotations

import bisect
import itertools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from accord.engine.milp import MilpSolver, MilpStatus, PackageModel
from accord.engine.problem import BoolArray, FloatArray, IntArray, Problem
from accord.errors import EngineError
from accord.wording import counted

TOLERANCE = 1e-9  # slack on reservation values, as in the rest of the engine
MERGE_DECIMALS = 12  # vectors equal to 12 decimals are one point of the frontier
GROUP_LIMIT = 100_000  # option combinations a group of linked points may have
EXACT_LIMIT = 200_000  # partial vectors past which more than three parties fall back to weighted sums
EXACT_PARTIES = 3  # up to this many parties the dynamic programme always runs to the end
CANDIDATE_ROWS = 2_000_000  # Minkowski candidates built at once (bounds memory)
COMPARISONS = 4_000_000  # pairwise cells compared at once by the n-party dominance filter
BLOCK = 1024  # rows the n-party dominance filter settles together
WEIGHT_FLOOR = 1e-4  # every party's share in a weighted sum: positive weights give Pareto-optimal maxima

Progress = Callable[[int, int], None]


@dataclass(frozen=True, eq=False)
class Frontier:
    """Pareto-optimal utility vectors of acceptable packages, one package each."""

    points: FloatArray  # (k, parties), by the first party's utility, highest first
    packages: tuple[tuple[int, ...], ...]  # flat columns of a package achieving each point
    exact: bool  # every Pareto-optimal vector is here (before any cap)
    method: str  # how the points were found, in one sentence
    capped: bool  # the frontier had more than ``cap`` points and was thinned out
    seconds: float


def pareto_frontier(
    problem: Problem,
    *,
    cap: int = 5000,
    progress: Progress | None = None,
    solver: MilpSolver | None = None,
    samples: int = 200,
    exact_limit: int = EXACT_LIMIT,
) -> Frontier:
    """The Pareto frontier of the packages every party can accept.

    ``progress(done_points, total_points)`` is called after each point.
    ``cap`` bounds the number of points returned (evenly spread along the
    frontier when it is larger). With two or three parties the answer is
    always exact; with more, once the dynamic programme holds more than
    ``exact_limit`` partial vectors, ``samples`` weighted sums (plus one per
    party) give a representative set instead. ``solver`` is only used then.
    """
    if cap < 1:
        raise EngineError(f"cap must be at least 1, got {cap}")
    if samples < 0:
        raise EngineError(f"samples must be at least 0, got {samples}")
    started = time.perf_counter()
    exact = _exact(problem, progress, exact_limit if problem.n_parties > EXACT_PARTIES else None)
    if exact is not None:
        columns, groups = exact
        linked = sum(1 for g in groups if len(g) > 1)
        method = f"Exact Pareto frontier by dynamic programming over the {problem.n_points} points" + (
            f" ({counted(linked, 'group')} of linked points taken together)" if linked else ""
        )
    else:
        columns, solves = _representative(problem, solver, samples)
        method = (
            f"Supported Pareto points from {solves} weighted sums (a representative set, not the whole "
            f"frontier): with {problem.n_parties} parties the exact frontier grew past {exact_limit} "
            "partial utility vectors"
        )
        if progress is not None:
            progress(problem.n_points, problem.n_points)
    points = _utilities(problem, columns)
    bounds = problem.reservation_bounds()
    acceptable = (points >= bounds - TOLERANCE).all(axis=1)
    points, columns = points[acceptable], columns[acceptable]
    order = np.lexsort(tuple(-points[:, i] for i in reversed(range(problem.n_parties))))
    points, columns = points[order], columns[order]
    total = len(points)
    capped = total > cap
    if capped:
        # rank-even spacing keeps both extremes and never repeats a point (the step is above 1)
        chosen = np.unique(np.round(np.linspace(0, total - 1, cap)).astype(np.int64))
        points, columns = points[chosen], columns[chosen]
        method += (
            f"; {total} points found, {len(chosen)} evenly spread by "
            f"{problem.party_names[0]}'s utility are kept"
        )
    return Frontier(
        points=points,
        packages=tuple(tuple(int(c) for c in row) for row in columns),
        exact=exact is not None,
        method=method + ".",
        capped=capped,
        seconds=time.perf_counter() - started,
    )


def distance_to_frontier(frontier: Frontier, utilities: FloatArray | Sequence[float]) -> float:
    """How much every party could gain at once by moving to a frontier package.

    The largest t >= 0 such that some frontier point gives every party at least
    its utility plus t: max over frontier points f of min_i (f_i - u_i), clipped
    at 0. Zero means the package is on (or beyond) the frontier; also zero for
    an empty frontier, where no acceptable package exists to move to. With a
    capped or representative frontier it is a lower bound.
    """
    if not len(frontier.points):
        return 0.0
    u = np.asarray(utilities, dtype=np.float64)
    return max(float((frontier.points - u).min(axis=1).max()), 0.0)


# -- the dynamic programme ----------------------------------------------------------


def _exact(
    problem: Problem, progress: Progress | None, limit: int | None
) -> tuple[IntArray, list[list[int]]] | None:
    """Columns (k x points) of the Pareto-optimal packages, or None past ``limit`` partial vectors."""
    groups = _linked_groups(problem)
    allowed = problem.allowed()
    options = [_group_options(problem, group, allowed) for group in groups]
    gains = [problem.utility[:, combos].sum(axis=2).T for combos in options]  # (combos, parties) each
    # what each party can still add after a group, at best: partial vectors that miss a bound are dropped
    best = [g.max(axis=0) if len(g) else np.full(problem.n_parties, -np.inf) for g in gains]
    still = np.cumsum([np.zeros(problem.n_parties), *best[::-1]], axis=0)[::-1][1:]
    bounds = problem.reservation_bounds() - TOLERANCE
    vectors = np.zeros((1, problem.n_parties))
    trail: list[tuple[IntArray, IntArray]] = []  # per group: parent vector, option combination
    done = 0
    for g, group in enumerate(groups):
        vectors, parent, choice = _minkowski(vectors, gains[g])
        viable = (vectors + still[g] >= bounds).all(axis=1)
        vectors, parent, choice = vectors[viable], parent[viable], choice[viable]
        trail.append((parent, choice))
        for _ in group:
            done += 1
            if progress is not None:
                progress(done, problem.n_points)
        if limit is not None and len(vectors) > limit:
            return None
    columns = np.zeros((len(vectors), problem.n_points), dtype=np.int64)
    index = np.arange(len(vectors))
    for g in reversed(range(len(groups))):
        parent, choice = trail[g]
        columns[:, groups[g]] = options[g][choice[index]]
        index = parent[index]
    return columns, groups


def _linked_groups(problem: Problem) -> list[list[int]]:
    """Points connected by links (union-find), each group in point order."""
    root = list(range(problem.n_points))

    def find(p: int) -> int:
        while root[p] != p:
            root[p] = root[root[p]]
            p = root[p]
        return p

    for link in problem.links:
        root[find(link.point)] = find(link.requires_point)
    groups: dict[int, list[int]] = {}
    for p in range(problem.n_points):
        groups.setdefault(find(p), []).append(p)
    return sorted(groups.values())


def _group_options(problem: Problem, group: list[int], allowed: BoolArray) -> IntArray:
    """Allowed combinations of the group's columns (combos x points) that keep every link inside it."""
    choices = [[c for c in problem.columns_of(p) if allowed[c]] for p in group]
    count = math.prod(len(c) for c in choices)
    if count > GROUP_LIMIT:
        numbers = ", ".join(str(problem.point_numbers[p]) for p in group)
        raise EngineError(
            f"links tie points {numbers} together into {count} combinations of options, more than "
            f"the {GROUP_LIMIT} the frontier can take as one; drop or narrow some of those links"
        )
    combos = np.array(list(itertools.product(*choices)), dtype=np.int64).reshape(count, len(group))
    members = set(group)
    keep = np.ones(count, dtype=bool)
    for link in problem.links:
        if link.point in members:
            chosen = (combos == link.column).any(axis=1)
            keep &= ~chosen | np.isin(combos, link.requires).any(axis=1)
    return combos[keep]


def _minkowski(vectors: FloatArray, gains: FloatArray) -> tuple[FloatArray, IntArray, IntArray]:
    """Non-dominated sums vector + gain, with the parent vector and the gain row of each."""
    n = vectors.shape[1]
    # options dominated within the group can only give dominated sums
    keep_options = _nondominated(gains)
    kept_vectors = np.zeros((0, n))
    kept_parent = np.zeros(0, dtype=np.int64)
    kept_choice = np.zeros(0, dtype=np.int64)
    step = max(1, CANDIDATE_ROWS // max(len(vectors), 1))
    for start in range(0, len(keep_options), step):
        chunk = keep_options[start : start + step]
        sums = (vectors[:, None, :] + gains[chunk][None, :, :]).reshape(-1, n)
        parent = np.repeat(np.arange(len(vectors)), len(chunk))
        choice = np.tile(chunk, len(vectors))
        sums = np.concatenate([kept_vectors, sums])
        parent = np.concatenate([kept_parent, parent])
        choice = np.concatenate([kept_choice, choice])
        front = _nondominated(sums)
        kept_vectors, kept_parent, kept_choice = sums[front], parent[front], choice[front]
    return kept_vectors, kept_parent, kept_choice


def _nondominated(values: FloatArray) -> IntArray:
    """Indices of the distinct non-dominated rows (rows equal to 12 decimals count once)."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    keys = np.round(values, MERGE_DECIMALS)
    n = keys.shape[1]
    # a dominator sorts first: its sum is at least as large (rounding is monotone), and on a tie
    # it is larger on the first coordinate where the two differ
    order = np.lexsort((*(-keys[:, i] for i in reversed(range(n))), -keys.sum(axis=1)))
    ordered = keys[order]
    distinct = np.ones(len(ordered), dtype=bool)
    distinct[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    order, ordered = order[distinct], ordered[distinct]
    if n == 1:
        return order[:1]
    if n == 2:
        return order[_front_2d(ordered)]
    if n == 3:
        return order[_front_3d(ordered)]
    return order[_front_nd(ordered)]


def _front_2d(ordered: FloatArray) -> IntArray:
    """Non-dominated rows of distinct 2-vectors in dominator-first order, in O(n log n)."""
    by_first = np.lexsort((-ordered[:, 1], -ordered[:, 0]))
    second = ordered[by_first, 1]
    best_before = np.concatenate([[-np.inf], np.maximum.accumulate(second)[:-1]])
    return np.sort(by_first[second > best_before])


def _front_3d(ordered: FloatArray) -> IntArray:
    """Non-dominated rows of distinct 3-vectors: a sweep down the first coordinate, O(n log n) searches.

    Rows come highest first coordinate first (ties: highest second, then third), so a row can only be
    dominated by one seen before. The rows kept so far are summarised by their 2-D staircase on the
    other two coordinates (second ascending, third descending): a row is dominated when the first
    step at or right of its second coordinate is at least as high on the third.
    """
    by_first = np.lexsort((-ordered[:, 2], -ordered[:, 1], -ordered[:, 0]))
    seconds: list[float] = []  # the staircase, second coordinate ascending
    thirds: list[float] = []  # and third coordinate descending
    kept: list[int] = []
    rows = zip(by_first.tolist(), ordered[by_first, 1].tolist(), ordered[by_first, 2].tolist(), strict=True)
    for row, b, c in rows:
        at = bisect.bisect_left(seconds, b)
        if at < len(seconds) and thirds[at] >= c:
            continue
        kept.append(row)
        # steps left of the new one and no higher are now hidden behind it
        low, high = at, at
        while low > 0 and thirds[low - 1] <= c:
            low -= 1
        if high < len(seconds) and seconds[high] == b:
            high += 1  # same second coordinate, lower third (else the row would be dominated)
        seconds[low:high] = [b]
        thirds[low:high] = [c]
    return np.sort(np.array(kept, dtype=np.int64))


def _front_nd(ordered: FloatArray) -> IntArray:
    """Non-dominated rows of distinct vectors in dominator-first order, block by block.

    Only an earlier row can dominate a later one, and a row dominated by a
    dominated row is dominated by the front too, so each block is compared
    with the front found so far and with itself.
    """
    n = ordered.shape[1]
    coordinates = np.ascontiguousarray(ordered.T)  # one contiguous row per party: cheap comparisons
    front = np.zeros(len(ordered), dtype=np.int64)  # the kept rows, in order, first ``size`` valid
    size = 0
    start = 0
    while start < len(ordered):
        block = np.arange(start, min(start + BLOCK, len(ordered)))
        open_ = block[~_dominated_by(coordinates, block, front[:size])]
        # distinct rows: weakly above on every coordinate means dominating
        inside = np.ones((len(open_), len(open_)), dtype=bool)
        for k in range(n):
            inside &= coordinates[k, open_][None, :] >= coordinates[k, open_][:, None]
        np.fill_diagonal(inside, False)
        new = open_[~inside.any(axis=1)]
        front[size : size + len(new)] = new
        size += len(new)
        start += len(block)
    return front[:size]


def _dominated_by(coordinates: FloatArray, rows: IntArray, front: IntArray) -> BoolArray:
    """Which ``rows`` some ``front`` row weakly dominates; settled rows leave the comparison early."""
    dominated = np.zeros(len(rows), dtype=bool)
    undecided = np.arange(len(rows))
    step = max(1, COMPARISONS // max(len(rows), 1))
    for start in range(0, len(front), step):
        if not len(undecided):
            break
        chunk = front[start : start + step]
        below = np.ones((len(undecided), len(chunk)), dtype=bool)
        for k in range(coordinates.shape[0]):
            below &= coordinates[k, chunk][None, :] >= coordinates[k, rows[undecided]][:, None]
        hit = below.any(axis=1)
        dominated[undecided[hit]] = True
        undecided = undecided[~hit]
    return dominated


def _utilities(problem: Problem, columns: IntArray) -> FloatArray:
    """Each package's utilities, summed afresh from the columns (not the rounded partial sums)."""
    if not len(columns):
        return np.zeros((0, problem.n_parties))
    return np.asarray(problem.utility[:, columns].sum(axis=2).T, dtype=np.float64)


# -- the representative set ------------------------------------------------------------


def _representative(problem: Problem, solver: MilpSolver | None, samples: int) -> tuple[IntArray, int]:
    """Packages maximising weighted sums of utilities, non-dominated among themselves."""
    if solver is None:
        from accord.engine.backends import get_solver

        solver = get_solver()
    n = problem.n_parties
    rng = np.random.default_rng(0)
    weights = np.vstack([np.eye(n), rng.dirichlet(np.ones(n), size=samples)])
    # a zero weight lets the solver trade that party away for nothing; a small floor keeps each maximum
    # Pareto-optimal among all acceptable packages
    weights = (1 - WEIGHT_FLOOR) * weights + WEIGHT_FLOOR / n
    model = PackageModel.build(problem)
    found: list[IntArray] = []
    for w in weights:
        model.milp.set_objective(np.arange(problem.n_columns), w @ problem.utility)
        result = solver.solve(model.milp)
        if result.status is MilpStatus.INFEASIBLE:
            break
        if result.has_solution:
            found.append(model.columns(result))
    columns = np.array(found, dtype=np.int64).reshape(len(found), problem.n_points)
    return columns[np.sort(_nondominated(_utilities(problem, columns)))], len(weights)
