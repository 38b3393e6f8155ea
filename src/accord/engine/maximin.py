"""Exact maximin over packages by a breadth-first search pruned with Lagrangian bounds.

The maximin concepts (egalitarian, Kalai–Smorodinsky, leximin's first stage) maximise the smallest of
several gains g_i(x) = offset_i + sum over points p of gains[i, x_p]. For any multipliers lambda >= 0
summing to 1, min_i g_i(x) <= sum_i lambda_i g_i(x), and the right side is separable: its largest value
is found point by point. So for a partial package (points chosen so far with gains s) every completion
has min_i g_i <= lambda . s + sum over the points left of max over their options of lambda . gains: a bound
that holds for *any* such lambda, computed here in plain arithmetic (the LP solver only suggests good
multipliers; its accuracy never enters the bound).

``search`` keeps, point after point, every partial package whose bound (the least over a set of
multipliers, which always includes each party's own, so a finished package's bound is its smallest gain)
reaches a threshold z. At the end it holds **every** package whose smallest gain is at least z - TOLERANCE:
the maximum and all its ties are then read off exactly. Options whose loss against the best option under
some multiplier exceeds the slack of that multiplier's bound are removed first (reduced-cost fixing).
The multipliers: the LP relaxation's optimal duals, tilts of them, each party's unit vector, and when the
frontier grows, the LP duals of its weakest partial packages (cutting planes on the bound).

The search gives up (returns None) past ``max_states`` partial packages or a deadline: the caller then
solves the integer program instead. When the space is too large for any search to settle, searches at
thresholds from the LP bound down only prove a bound (each finding no package refutes its threshold),
while CP-SAT seeks a better start in a thread (``ExactMaximin._bound_only``, ``core_search``).
``log10_packages`` estimates the size of the space left by the LP multipliers' bound, so that hopeless
cases (many parties and points) are not even tried.
With ``beam`` it keeps only that many partial packages (the best bounded): a heuristic, never exact.

Measured on the bench's 5 parties x 100 points x 6 options with red lines (egalitarian): ~0.3 M partial
packages against HiGHS's branch and bound of ~4,800 nodes at ~2.6 ms each.
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np

from accord.engine.heuristics import Neighbourhood
from accord.engine.milp import INF, Milp, MilpSolver, takes_fractional_continuous
from accord.engine.problem import BoolArray, FloatArray, IntArray, Problem

TOLERANCE = 1e-9  # the same slack the integer programs allow between a stage's optimum and its ties
TILTS = 16  # multipliers drawn around the LP's duals (fixed seed: the same input, the same search)
TILT_SPREAD = 0.3
MAX_STATES = 250_000  # partial packages kept at once before the search gives up
MAX_NODES = 6_000_000  # partial packages looked at in all before the search gives up
REFINE_AT = 1000  # a frontier larger than this gets new multipliers from LPs on its weakest members
REFINE_PER_LAYER = 1
MAX_LEARNED = 200  # multipliers the searches' LPs found, kept for the next search
MAX_REFINES = 120
GRID = 256  # buckets of the package-count estimate


class Gains:
    """g_i(x) = offset_i + sum_p gains[i, x_p] over the allowed columns, laid out point by option."""

    def __init__(self, gains: FloatArray, offset: FloatArray, table: IntArray, allowed: BoolArray) -> None:
        self.k = int(gains.shape[0])
        self.offset = np.asarray(offset, dtype=np.float64)
        self.table = table  # (points, width) of columns, -1 pads
        self.valid = (table >= 0) & np.asarray(allowed)[np.maximum(table, 0)]
        self.values = np.asarray(gains, dtype=np.float64)[:, np.maximum(table, 0)]  # (k, points, width)

    @property
    def n_points(self) -> int:
        return int(self.table.shape[0])

    def value(self, columns: IntArray) -> float:
        """The smallest gain of a package (columns, one per point)."""
        width = self.table.shape[1]
        flat = self.values.reshape(self.k, -1)
        where = np.arange(self.n_points) * width + self._option(columns)
        return float((flat[:, where].sum(axis=1) + self.offset).min())

    def _option(self, columns: IntArray) -> IntArray:
        return np.asarray(
            [int(np.nonzero(self.table[p] == c)[0][0]) for p, c in enumerate(columns)], dtype=np.int64
        )


def lp_multipliers(
    gains: Gains,
    solver: MilpSolver,
    keep: BoolArray | None = None,
    points: IntArray | None = None,
    state: FloatArray | None = None,
    time_limit: float | None = None,
) -> FloatArray | None:
    """The LP relaxation's multipliers: minimise over lambda in the simplex
    lambda . state + sum over ``points`` of max over kept options of lambda . gains (the dual of
    maximising the smallest gain); None when the solver gives none."""
    keep = gains.valid if keep is None else keep
    points = np.arange(gains.n_points) if points is None else points
    state = gains.offset if state is None else state
    if not keep[points].any(axis=1).all():
        return None  # a point with no option left: no package at all (and the LP is unbounded)
    k, m = gains.k, len(points)
    milp = Milp(
        lower=[0.0] * k + [-INF] * m,
        upper=[1.0] * k + [INF] * m,
        cost=[-float(v) for v in state] + [-1.0] * m,
        integer=[False] * (k + m),
    )
    # one row per kept option: mu_p - lambda . gains[:, option] >= 0
    rows_point, rows_option = np.nonzero(keep[points])
    columns = np.column_stack([k + rows_point, np.tile(np.arange(k), (len(rows_point), 1))])
    values = np.column_stack([np.ones(len(rows_point)), -gains.values[:, points[rows_point], rows_option].T])
    milp.row_index = list(columns.astype(np.int64))
    milp.row_value = list(values)
    milp.row_lower = [0.0] * len(rows_point)
    milp.row_upper = [INF] * len(rows_point)
    milp.add_row(1.0, 1.0, list(range(k)), [1.0] * k)
    result = solver.solve(milp, time_limit)
    if not result.has_solution:
        return None
    found = np.clip(result.values[: gains.k], 0.0, None)
    total = float(found.sum())
    return found / total if total > 0 and np.isfinite(total) else None


def starting_multipliers(lp: FloatArray) -> FloatArray:
    """The LP's multipliers and tilts of them (rows)."""
    rng = np.random.default_rng(0)
    k = len(lp)
    tilts = lp[None, :] * np.exp(rng.normal(0.0, TILT_SPREAD, (TILTS, k)))
    tilts /= np.maximum(tilts.sum(axis=1, keepdims=True), 1e-300)
    return np.vstack([lp[None, :], tilts])


class _Bounds:
    """The multipliers with their per-point best values over the kept options."""

    def __init__(self, gains: Gains, lams: FloatArray, keep: BoolArray) -> None:
        self.gains = gains
        self.lams = lams
        self.keep = keep
        self.update()

    def update(self) -> None:
        values = np.einsum("mk,kpw->mpw", self.lams, self.gains.values)
        self.by_option = np.where(self.keep[None], values, -np.inf)
        self.best = self.by_option.max(axis=2)  # (m, points); -inf where a point has no option left
        self.total = self.best.sum(axis=1) + self.lams @ self.gains.offset

    def fix(self, threshold: float) -> bool:
        """Remove options no package reaching ``threshold`` can use; False: no package reaches it."""
        while True:
            if (self.total < threshold - TOLERANCE).any() or not np.isfinite(self.total).all():
                return False
            slack = self.total - threshold + TOLERANCE
            kept = self.keep & ((self.best[:, :, None] - self.by_option) <= slack[:, None, None]).all(axis=0)
            if (kept == self.keep).all():
                return True
            self.keep = kept
            self.update()

    def suffix(self, order: IntArray) -> FloatArray:
        """suffix[m, j]: the sum, over the points order[j:], of each point's best under multiplier m."""
        ordered = self.best[:, order]
        out = np.zeros((len(self.lams), len(order) + 1))
        out[:, :-1] = np.cumsum(ordered[:, ::-1], axis=1)[:, ::-1]
        return out

    def add(self, lam: FloatArray) -> None:
        values = np.where(self.keep, np.einsum("k,kpw->pw", lam, self.gains.values), -np.inf)
        self.lams = np.vstack([self.lams, lam[None, :]])
        self.by_option = np.concatenate([self.by_option, values[None]])
        self.best = np.vstack([self.best, values.max(axis=1)[None, :]])
        self.total = np.append(self.total, self.best[-1].sum() + lam @ self.gains.offset)


def log10_packages(gains: Gains, lam: FloatArray, threshold: float) -> float:
    """An over-estimate (log10) of how many packages the bound of ``lam`` leaves for ``threshold``:
    packages whose total loss against the best option of every point stays within the bound's slack."""
    bounds = _Bounds(gains, lam[None, :], gains.valid.copy())
    slack = float(bounds.total[0] - threshold + TOLERANCE)
    if slack < 0 or not np.isfinite(slack):
        return 0.0
    loss = bounds.best[0][:, None] - bounds.by_option[0]  # (points, width), inf where not allowed
    counts = np.zeros(GRID + 1)
    counts[0] = 1.0
    for p in range(gains.n_points):
        kept = loss[p][loss[p] <= slack]
        steps = np.floor(kept / max(slack, 1e-300) * GRID).astype(np.int64) if slack > 0 else kept * 0
        grown = np.zeros_like(counts)
        for step in steps.tolist():
            grown[step:] += counts[: GRID + 1 - step]
        counts = grown
        if counts.sum() > 1e300:
            return 300.0
    return float(np.log10(max(counts.sum(), 1.0)))


def search(
    gains: Gains,
    threshold: float,
    lams: FloatArray,
    *,
    solver: MilpSolver | None = None,
    beam: int | None = None,
    deadline: float | None = None,
    max_states: int = MAX_STATES,
    max_nodes: int = MAX_NODES,
    log: SearchLog | None = None,
) -> IntArray | None:
    """Every package (rows of columns, one per point) whose smallest gain is at least
    ``threshold - TOLERANCE``; None when the search gave up (too many partial packages, or the deadline).
    With ``beam``: at most that many partial packages are kept (the best bounded), so the packages
    returned are some of those, not all. ``solver`` (one that solves LPs) refines the multipliers."""
    # each party's unit vector too: a finished package's bound is then its smallest gain exactly
    bounds = _Bounds(
        gains, np.vstack([np.asarray(lams, dtype=np.float64), np.eye(gains.k)]), gains.valid.copy()
    )
    if not bounds.fix(threshold):
        return np.zeros((0, gains.n_points), dtype=np.int64)
    keep = bounds.keep
    order = np.argsort(keep.sum(axis=1), kind="stable")  # points with one option left first
    suffix = bounds.suffix(order)
    states = gains.offset[None, :].copy()
    parents: list[IntArray] = []
    choices: list[IntArray] = []
    refines = 0
    nodes = 0
    floor = threshold - TOLERANCE
    for layer, point in enumerate(order.tolist()):
        options = np.nonzero(keep[point])[0]
        grown = (states[:, None, :] + gains.values[:, point, options].T[None, :, :]).reshape(-1, gains.k)
        parent = np.repeat(np.arange(len(states)), len(options))
        choice = np.tile(options, len(states))
        bound = (grown @ bounds.lams.T + suffix[:, layer + 1]).min(axis=1)
        alive = np.nonzero(bound >= floor)[0]
        if beam is not None and len(alive) > beam:
            alive = np.sort(alive[np.argpartition(-bound[alive], beam)[:beam]])
        states, bound = grown[alive], bound[alive]
        parents.append(parent[alive])
        choices.append(choice[alive])
        if not len(states):
            return np.zeros((0, gains.n_points), dtype=np.int64)
        nodes += len(grown)
        if log is not None:
            log.nodes = nodes
        if beam is None and (len(states) > max_states or nodes > max_nodes):
            return None
        if deadline is not None and time.perf_counter() > deadline:
            return None
        rest = order[layer + 1 :]
        if solver is not None and len(states) > REFINE_AT and refines < MAX_REFINES and len(rest):
            added = False
            for weakest in np.argsort(bound, kind="stable")[:REFINE_PER_LAYER].tolist():
                refines += 1
                lam = lp_multipliers(gains, solver, keep, rest, states[weakest])
                if lam is None:
                    continue
                best_rest = np.where(keep[rest], np.einsum("k,kpw->pw", lam, gains.values[:, rest]), -np.inf)
                if float(lam @ states[weakest] + best_rest.max(axis=1).sum()) < floor:
                    bounds.add(lam)
                    added = True
                    if log is not None:
                        log.learned.append(lam)
            if added:
                suffix = bounds.suffix(order)
                bound = (states @ bounds.lams.T + suffix[:, layer + 1]).min(axis=1)
                alive = np.nonzero(bound >= floor)[0]
                states = states[alive]
                parents[-1], choices[-1] = parents[-1][alive], choices[-1][alive]
                if not len(states):
                    return np.zeros((0, gains.n_points), dtype=np.int64)
    index = np.arange(len(states))
    packages = np.zeros((len(states), gains.n_points), dtype=np.int64)
    for layer in range(len(order) - 1, -1, -1):
        point = int(order[layer])
        packages[:, point] = gains.table[point, choices[layer][index]]
        index = parents[layer][index]
    return packages


# -- the concepts' side: which packages of a problem, from which start --------------------------------

BEAM = 300  # partial packages a beam search keeps to raise the threshold before the exact search
MAX_LOG10_BEAM = 12.0  # estimated packages (log10) above which not even the beam search is tried
MAX_LOG10_EXACT = 9.5  # ... above which the exact search is not tried (measured: 5x100x6 is ~7.5)
CHUNK = 4096
BOUND_SHARE = 0.6  # of an exact search's time, for a bound alone when the space is too large to settle
GUESSES = 16  # the first steps down from the LP bound: this share of the way to the best value known
MAX_GUESSES = 64  # and never smaller steps than this share
GROWTH = 2.0  # the cost each step aims at, against the last threshold refuted
NODES_FLOOR = 2_000  # below this many partial packages, a search's cost is not its nodes
FEW_LOG10 = 4.0  # so few packages left (log10) that one search at the best value known settles it


def utilities_of(problem: Problem, packages: IntArray) -> FloatArray:
    """Each party's utility for each package: (packages, parties)."""
    out = np.zeros((len(packages), problem.n_parties))
    for start in range(0, len(packages), CHUNK):
        chunk = packages[start : start + CHUNK]
        out[start : start + CHUNK] = problem.utility[:, chunk].sum(axis=2).T
    return out


def acceptable_rows(
    problem: Problem,
    packages: IntArray,
    utilities: FloatArray,
    forbidden: Collection[tuple[int, ...]] = (),
    tolerance: float = 1e-9,
) -> BoolArray:
    """Which packages (their columns allowed already) break no link or reservation value (as
    ``Problem.broken``) and are not forbidden."""
    ok = (utilities >= problem.reservation_bounds()[None, :] - tolerance).all(axis=1)
    for link in problem.links:
        chosen = packages[:, link.point] == link.column
        ok &= ~chosen | np.isin(packages[:, link.requires_point], link.requires)
    if forbidden:
        ok &= np.array([tuple(int(c) for c in row) not in forbidden for row in packages], dtype=bool)
    return np.asarray(ok, dtype=bool)


class ExactMaximin:
    """A problem's maximin over some parties' scaled gains (u_i - d_i) / scale_i, searched exactly when
    the search looks cheap: every acceptable package whose smallest gain reaches a start's."""

    def __init__(
        self, problem: Problem, solver: MilpSolver, hood: Neighbourhood, parties: IntArray, scale: FloatArray
    ) -> None:
        self.problem = problem
        self.solver = solver
        self.hood = hood
        self.parties = parties
        self.scale = scale  # per party of ``parties``
        self.gains = Gains(
            problem.utility[parties] / scale[:, None],
            -problem.reservation[parties] / scale,
            hood.table,
            hood.allowed,
        )
        self._lp: FloatArray | None = None
        self._tried = False
        self._learned: list[FloatArray] = []  # multipliers the searches' LPs found, kept for the next
        self._nodes = 0  # partial packages the last search looked at

    def lp(self, time_limit: float | None) -> FloatArray | None:
        """The LP relaxation's multipliers (once), or None: the solver solves no LP with fractional
        coefficients (CP-SAT), or there is no package at all."""
        if not self._tried:
            self._tried = True
            if takes_fractional_continuous(self.solver) and len(self.parties):
                self._lp = lp_multipliers(self.gains, self.solver, time_limit=time_limit)
        return self._lp

    def party_weights(self, lam: FloatArray) -> FloatArray:
        """Multipliers on the scaled gains as weights on the parties' utilities."""
        weights = np.zeros(self.problem.n_parties)
        weights[self.parties] = lam / self.scale
        return weights

    def value(self, utilities: FloatArray) -> FloatArray:
        """The smallest scaled gain of each row of utilities (packages, parties)."""
        gains = (utilities[:, self.parties] - self.problem.reservation[self.parties]) / self.scale
        return np.asarray(gains.min(axis=1), dtype=np.float64)

    def candidates(
        self,
        start: IntArray,
        forbidden: Collection[tuple[int, ...]],
        deadline: float | None,
        core_deadline: float | None = None,
    ) -> Searched:
        """Every acceptable package, not forbidden, whose value reaches the best value known (``start``'s,
        an acceptable package, or better), with its utilities; or, when the search is not tried or
        gives up, a proven upper bound on the value.

        With a deadline, a search that gives up at the best value known is followed by searches from
        the top down (from the LP bound towards that value): each that finds no package proves a lower
        upper bound, and the first that finds some has every package better than its threshold, the
        optimum among them.

        When the space is too large to settle (only a bound is sought) and ``core_deadline`` is given,
        CP-SAT looks for a better start on the LP's cores (``better_start``) in a thread while the bound
        is sought, both until ``core_deadline``: the answer's ``start`` is that package (or ``start``)."""
        lam = self._lp
        if lam is None:
            return Searched()
        lams = starting_multipliers(lam)
        top = float(_Bounds(self.gains, lam[None, :], self.gains.valid.copy()).total[0])
        threshold = float(self.value(self.problem.utilities(start)[None, :])[0])
        estimate = log10_packages(self.gains, lam, threshold)
        if estimate > MAX_LOG10_BEAM:
            return self._bound_only(top, threshold, lams, start, forbidden, deadline, core_deadline)
        if estimate > 0:
            found = search(self.gains, threshold, lams, beam=BEAM, deadline=deadline)
            if found is not None and len(found):
                utilities = utilities_of(self.problem, found)
                ok = acceptable_rows(self.problem, found, utilities, forbidden)
                if ok.any():
                    threshold = max(threshold, float(self.value(utilities[ok]).max()))
            estimate = log10_packages(self.gains, lam, threshold)
            if estimate > MAX_LOG10_EXACT:
                return self._bound_only(top, threshold, lams, start, forbidden, deadline, core_deadline)
        if estimate <= FEW_LOG10:
            return self._settle(threshold, lams, forbidden, deadline) or Searched(bound=top)
        return self._descend(top, threshold, lams, forbidden, deadline, True)

    def _bound_only(
        self,
        top: float,
        threshold: float,
        lams: FloatArray,
        start: IntArray,
        forbidden: Collection[tuple[int, ...]],
        deadline: float | None,
        core_deadline: float | None,
    ) -> Searched:
        """A bound from searches at thresholds from the LP bound down (``_descend`` without settling),
        with, given ``core_deadline``, a better start sought by CP-SAT in a thread meanwhile: CP-SAT and
        HiGHS's LPs run outside the GIL and the search's work is mostly NumPy's, so on two cores both
        have about the whole time (10 parties x 300 x 6: see ``core_search``)."""
        if core_deadline is None:
            return self._descend(top, threshold, lams, forbidden, _share(deadline, BOUND_SHARE), False)
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(self.better_start, start, forbidden, core_deadline - time.perf_counter())
            searched = self._descend(top, threshold, lams, forbidden, core_deadline, False)
            better = pending.result()
        return replace(searched, start=better)

    def better_start(
        self, start: IntArray, forbidden: Collection[tuple[int, ...]], time_limit: float | None
    ) -> IntArray:
        """``start`` or a package with a larger value found near the LP optimum (``core_search``, on
        cores of growing width) in ``time_limit`` seconds, when the search above could not settle:
        acceptable and not forbidden."""
        if self._lp is None or time_limit is None or time_limit <= 0:
            return start
        from accord.engine.core_search import widening_core_search

        def acceptable(package: IntArray) -> bool:
            rows = package[None, :]
            return bool(acceptable_rows(self.problem, rows, utilities_of(self.problem, rows), forbidden)[0])

        found = widening_core_search(self.gains, self._lp, start, time_limit, accept=acceptable)
        if found is None:
            return start
        both = np.vstack([start, found])
        utilities = utilities_of(self.problem, both)
        values = self.value(utilities)
        ok = acceptable_rows(self.problem, both, utilities, forbidden)
        return found if ok[1] and values[1] > values[0] else start

    def _descend(
        self,
        top: float,
        threshold: float,
        lams: FloatArray,
        forbidden: Collection[tuple[int, ...]],
        deadline: float | None,
        settle: bool,
    ) -> Searched:
        """Searches at thresholds from ``top`` (the LP bound) down to ``threshold`` (the best value
        known), until one finds packages (it then settles the optimum) or gives up (the last threshold
        refuted is then a proven bound). Without ``settle`` it stops short of ``threshold`` (a search
        there is hopeless: only a bound is sought), and only runs to a deadline.

        From the top down, a threshold above the optimum is refuted quickly, the first below it settles
        everything, and the last is the best value known, which always holds a package. A search's cost
        grows about exponentially with its depth below the LP bound, so each step is chosen to about
        double the cost of the last one refuted (the rate measured on the last two): the refuted ones
        then cost about what the settling one does."""
        if not settle and deadline is None:
            return Searched(bound=top)
        bound = top
        span = top - threshold
        depth = span / GUESSES
        # for a bound alone, the LP bound itself counts as a threshold refuted at no cost: the second
        # step is then sized by the cost of the first (a step as large as the first, at ~20 times its
        # cost, ran past the deadline on 10 parties x 300 x 6 and proved nothing more)
        tried: list[tuple[float, int]] = [] if settle else [(0.0, NODES_FLOOR)]
        while True:
            if depth >= span * (1 - 1e-9) and not settle:
                return Searched(bound=bound)
            guess = threshold if depth >= span * (1 - 1e-9) else top - depth
            known = np.vstack([lams, *[lam[None, :] for lam in self._learned]])
            settled = self._settle(guess, known, forbidden, deadline)
            if settled is None:
                return Searched(bound=bound)  # gave up: what the refuted thresholds proved
            if settled.packages is not None or guess == threshold:
                return settled
            bound = guess
            tried.append((depth, self._nodes + NODES_FLOOR))
            step = span / GUESSES
            if len(tried) >= 2 and tried[-1][1] > tried[-2][1]:
                rate = math.log(tried[-1][1] / tried[-2][1]) / (tried[-1][0] - tried[-2][0])
                step = max(math.log(GROWTH) / rate, span / MAX_GUESSES)
            depth = min(depth + step, span)

    def _settle(
        self,
        threshold: float,
        lams: FloatArray,
        forbidden: Collection[tuple[int, ...]],
        deadline: float | None,
        max_nodes: int = MAX_NODES,
    ) -> Searched | None:
        """Every acceptable package reaching ``threshold`` (less TOLERANCE), or when there is none, the
        threshold as a proven bound; None when the search gave up."""
        log = SearchLog()
        packages = search(
            self.gains,
            threshold,
            lams,
            solver=self.solver,
            deadline=deadline,
            log=log,
            max_nodes=max_nodes,
        )
        self._learned = (self._learned + log.learned)[-MAX_LEARNED:]
        self._nodes = log.nodes
        if packages is None:
            return None
        utilities = utilities_of(self.problem, packages)
        ok = acceptable_rows(self.problem, packages, utilities, forbidden)
        if not ok.any():
            return Searched(bound=threshold)
        return Searched(packages[ok], utilities[ok])


@dataclass
class SearchLog:
    """What a search leaves for the next: the multipliers its LPs found, and its size."""

    learned: list[FloatArray] = field(default_factory=list)
    nodes: int = 0


@dataclass(frozen=True)
class Searched:
    """What an exact search settled: every package that can be optimal (``packages``, with their
    ``utilities``), or none (``packages`` None) and an upper bound proven on the value (INF: none)."""

    packages: IntArray | None = None
    utilities: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))
    bound: float = INF
    start: IntArray | None = None  # a better start found meanwhile (``ExactMaximin._bound_only``), or None


def _share(deadline: float | None, share: float) -> float | None:
    """A deadline at ``share`` of the time left to ``deadline``."""
    if deadline is None:
        return None
    now = time.perf_counter()
    return now + share * max(deadline - now, 0.0)


def best_of(values: FloatArray, totals: FloatArray, tolerance: float = TOLERANCE) -> int:
    """The row with the largest value, ties (within ``tolerance``) broken by the largest total, then by
    the first: the integer programs' own rule (a stage's optimum less TOLERANCE, then the total)."""
    tied = np.nonzero(values >= values.max() - tolerance)[0]
    return int(tied[int(np.argmax(totals[tied]))])
