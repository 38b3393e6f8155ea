"""Cheap packages for the exact searches to start from; never an answer on their own authority.

A package found here is used in one of two ways only:

- as a starting incumbent handed to the MILP backend (``MilpSolver.solve(start=...)``): the
  backend still proves optimality, the start only lets it prune from the first node on;
- as the maximiser of a *separable* objective (a weighted sum of utilities, chosen point by point
  among the allowed options) that turns out to break no demand: it maximises over a relaxation of
  the acceptable packages and is one of them, so it is optimal outright.

Every package is checked against the problem's demands with ``Problem.broken`` (the same 1e-9
tolerance the backends use) before it is used either way.

The local search moves one point, or two points at once, to another allowed option while that
improves a score of the parties' gains; a shortfall on a reservation value or a broken link is
penalised so that a search may start from an unacceptable package.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import numpy as np

from accord.engine.problem import FloatArray, IntArray, Problem

Score = Callable[[FloatArray], FloatArray]  # gains (parties, k) -> one score per column k; larger is better

PENALTY = 1e6  # per unit of reservation shortfall and per broken link
IMPROVEMENT = 1e-12  # a move must raise the score by more than this (so the search cannot cycle)
PAIR_CANDIDATES = 48  # two-point moves are tried among this many best one-point moves
MAX_MOVES = 200


class Neighbourhood:
    """The packages of one problem, with vectorised one- and two-point moves."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.utility = problem.utility
        self.reservation = problem.reservation
        self.allowed = problem.allowed()
        self.point_of = problem.point_of_column
        bounds = problem.reservation_bounds()
        self.bounded = np.isfinite(bounds)
        self.bounds = np.where(self.bounded, bounds, 0.0)
        sizes = [len(o) for o in problem.options]
        width = max(sizes, default=0)
        self.table = np.full((problem.n_points, width), -1, dtype=np.int64)
        for point in range(problem.n_points):
            self.table[point, : sizes[point]] = list(problem.columns_of(point))
        links = problem.links
        self.link_column = np.array([link.column for link in links], dtype=np.int64)
        self.link_point = np.array([link.point for link in links], dtype=np.int64)
        self.link_target = np.array([link.requires_point for link in links], dtype=np.int64)
        self.link_requires = np.zeros((len(links), problem.n_columns), dtype=bool)
        for k, link in enumerate(links):
            self.link_requires[k, list(link.requires)] = True

    # -- separable maxima ---------------------------------------------------------------------

    def separable_best(self, weights: FloatArray) -> IntArray:
        """Each point's allowed option with the largest ``weights @ utility`` (ties: the first)."""
        value = np.where(self.allowed, np.asarray(weights, dtype=np.float64) @ self.utility, -np.inf)
        padded = np.where(self.table >= 0, value[self.table], -np.inf)
        choice = np.argmax(padded, axis=1)
        return np.asarray(self.table[np.arange(self.problem.n_points), choice], dtype=np.int64)

    def acceptable(self, columns: IntArray) -> bool:
        """Breaks no red line, link or reservation value, and keeps every fixed point."""
        if not bool(self.allowed[columns].all()):
            return False
        return not self.problem.broken(columns)

    # -- local search ---------------------------------------------------------------------------

    def gains(self, columns: IntArray) -> FloatArray:
        return np.asarray(self.utility[:, columns].sum(axis=1) - self.reservation, dtype=np.float64)

    def _shortfall(self, gains: FloatArray) -> FloatArray:
        """Total reservation shortfall of gain vectors (parties, ...)."""
        utilities = gains + self.reservation.reshape((-1,) + (1,) * (gains.ndim - 1))
        bounds = self.bounds.reshape((-1,) + (1,) * (gains.ndim - 1))
        bounded = self.bounded.reshape((-1,) + (1,) * (gains.ndim - 1))
        return np.asarray(np.where(bounded, np.maximum(bounds - utilities, 0.0), 0.0).sum(axis=0))

    def _broken_links_single(self, current: IntArray, moved: IntArray) -> FloatArray:
        """Broken links after moving one point to each column in ``moved``."""
        broken = np.zeros(len(moved))
        points = self.point_of[moved]
        for k in range(len(self.link_column)):
            column, point, target = self.link_column[k], self.link_point[k], self.link_target[k]
            chosen = np.where(points == point, moved == column, current[point] == column)
            met = np.where(
                points == target, self.link_requires[k, moved], self.link_requires[k, current[target]]
            )
            broken += chosen & ~met
        return broken

    def _broken_links_pairs(self, current: IntArray, first: IntArray, second: IntArray) -> FloatArray:
        """Broken links after moving two points, to ``first[a]`` and ``second[b]``, for all a, b."""
        a, b = first[:, None], second[None, :]
        pa, pb = self.point_of[a], self.point_of[b]
        broken = np.zeros((len(first), len(second)))
        for k in range(len(self.link_column)):
            column, point, target = self.link_column[k], self.link_point[k], self.link_target[k]
            chosen = np.where(
                pa == point, a == column, np.where(pb == point, b == column, current[point] == column)
            )
            requires = self.link_requires[k]
            met = np.where(
                pa == target, requires[a], np.where(pb == target, requires[b], requires[current[target]])
            )
            broken += chosen & ~met
        return broken

    def best_climb(
        self,
        columns: IntArray,
        paths: list[list[Score]],
        score: Score,
        forbidden: Collection[tuple[int, ...]] = (),
    ) -> IntArray | None:
        """Climb from ``columns`` along each path (a climb per score, each from where the last ended);
        the package that ``score`` rates best among the paths' ends."""
        best: IntArray | None = None
        best_score = -np.inf
        for path in paths:
            here: IntArray | None = columns
            for step in path:
                here = self.improve(here if here is not None else columns, step, forbidden)
            if here is not None:
                value = float(score(self.gains(here)[:, None])[0])
                if value > best_score:
                    best, best_score = here, value
        return best

    def improve(
        self, columns: IntArray, score: Score, forbidden: Collection[tuple[int, ...]] = ()
    ) -> IntArray | None:
        """The best acceptable, not forbidden package met on a climb from ``columns`` (None: none met)."""
        current = np.asarray(columns, dtype=np.int64).copy()
        gains = self.gains(current)

        def total(g: FloatArray, links: FloatArray) -> FloatArray:
            return np.asarray(score(g) - PENALTY * (self._shortfall(g) + links))

        here = float(total(gains[:, None], self._broken_links_single(current, current[:1]))[0])
        found: IntArray | None = None
        found_score = -np.inf

        def remember(value: float) -> None:
            nonlocal found, found_score
            key = tuple(int(c) for c in current)
            if value > found_score and key not in forbidden and self.acceptable(current):
                found, found_score = current.copy(), value

        remember(here)
        movable = np.nonzero(self.allowed)[0]
        for _ in range(MAX_MOVES if len(movable) else 0):
            delta = self.utility[:, movable] - self.utility[:, current[self.point_of[movable]]]
            single = total(gains[:, None] + delta, self._broken_links_single(current, movable))
            single[current[self.point_of[movable]] == movable] = -np.inf
            best = int(np.argmax(single))
            if single[best] > here + IMPROVEMENT:
                column = int(movable[best])
                current[self.point_of[column]] = column
                gains = gains + delta[:, best]
                here = float(single[best])
                remember(here)
                continue
            order = np.argsort(-single, kind="stable")[:PAIR_CANDIDATES]
            order = order[np.isfinite(single[order])]
            if len(order) < 2:
                break
            pick = movable[order]
            d = delta[:, order]
            pair = total(
                gains[:, None, None] + d[:, :, None] + d[:, None, :],
                self._broken_links_pairs(current, pick, pick),
            )
            pair[self.point_of[pick][:, None] == self.point_of[pick][None, :]] = -np.inf
            flat = int(np.argmax(pair))
            i, j = divmod(flat, len(pick))
            if not pair[i, j] > here + IMPROVEMENT:
                break
            for column in (int(pick[i]), int(pick[j])):
                current[self.point_of[column]] = column
            gains = self.gains(current)
            here = float(pair[i, j])
            remember(here)
        return found


# -- scores -------------------------------------------------------------------------------------


def min_score(scale: FloatArray | None = None) -> Score:
    """The smallest (scaled) gain, then a little of the total: egalitarian and Kalai–Smorodinsky."""

    def score(gains: FloatArray) -> FloatArray:
        g = gains if scale is None else gains / scale.reshape((-1,) + (1,) * (gains.ndim - 1))
        return np.asarray(g.min(axis=0) + 1e-6 * g.sum(axis=0))

    return score


def soft_min_score(beta: float, scale: FloatArray | None = None) -> Score:
    """A smooth stand-in for the smallest (scaled) gain: -log(sum exp(-beta g))/beta.

    Its climb does not stall on the plateaus of the plain minimum (where only the worst-off party
    counts); a climb on ``min_score`` from where it ends polishes the result.
    """

    def score(gains: FloatArray) -> FloatArray:
        g = gains if scale is None else gains / scale.reshape((-1,) + (1,) * (gains.ndim - 1))
        low = g.min(axis=0)
        return np.asarray(low - np.log(np.exp(-beta * (g - low)).sum(axis=0)) / beta)

    return score


def leximin_score(gains: FloatArray) -> FloatArray:
    """The sorted gains, weighted so that the smallest counts most."""
    ordered = np.sort(gains, axis=0)
    weights = 1e-3 ** np.arange(gains.shape[0], dtype=np.float64)
    return np.asarray(np.tensordot(weights, ordered, axes=(0, 0)))


def log_product_score(active: np.ndarray, floor: float = 1e-6) -> Score:
    """The sum of log gains of the active parties, continued linearly below ``floor`` (Nash)."""
    log_floor = float(np.log(floor))

    def score(gains: FloatArray) -> FloatArray:
        g = gains[active]
        safe = np.maximum(g, floor)
        value = np.where(g >= floor, np.log(safe), log_floor + (g - floor) / floor)
        return np.asarray(value.sum(axis=0))

    return score
