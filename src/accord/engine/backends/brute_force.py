"""The brute-force reference: enumerate every package. For tests on small instances only.

It implements each concept straight from its definition, independently of the
integer programs, so the property tests compare two different computations.
"""

from __future__ import annotations

import itertools

import numpy as np

from accord.engine.problem import FloatArray, IntArray, Problem

TOLERANCE = 1e-9
NEGLIGIBLE_GAIN = (
    1e-6  # the engine's documented threshold: a party that cannot gain more counts as unable to gain
)
LIMIT = 2_000_000


def all_packages(problem: Problem) -> IntArray:
    """Every package as rows of columns (the whole outcome space; refuses large ones)."""
    count = int(np.prod([len(o) for o in problem.options]))
    if count > LIMIT:
        raise ValueError(f"{count} packages: too many for the brute-force reference")
    ranges = [list(problem.columns_of(p)) for p in range(problem.n_points)]
    return np.array(list(itertools.product(*ranges)), dtype=np.int64).reshape(count, problem.n_points)


def acceptable(problem: Problem) -> tuple[IntArray, FloatArray]:
    """The packages that break no active demand, and each party's utility for them."""
    packages = all_packages(problem)
    keep = np.ones(len(packages), dtype=bool)
    chosen = np.zeros((len(packages), problem.n_columns), dtype=bool)
    chosen[np.arange(len(packages))[:, None], packages] = True
    allowed = problem.allowed()
    keep &= allowed[packages].all(axis=1)
    for link in problem.links:
        keep &= ~chosen[:, link.column] | chosen[:, list(link.requires)].any(axis=1)
    utilities = chosen.astype(np.float64) @ problem.utility.T
    bounds = problem.reservation_bounds()
    keep &= (utilities >= bounds - TOLERANCE).all(axis=1)
    return packages[keep], utilities[keep]


def gains(problem: Problem, utilities: FloatArray) -> FloatArray:
    return np.asarray(utilities - problem.reservation, dtype=np.float64)


def utilitarian_value(problem: Problem) -> float | None:
    _, u = acceptable(problem)
    return float(u.sum(axis=1).max()) if len(u) else None


def egalitarian_value(problem: Problem) -> float | None:
    _, u = acceptable(problem)
    return float(gains(problem, u).min(axis=1).max()) if len(u) else None


def leximin_vector(problem: Problem) -> list[float] | None:
    """The leximin-optimal sorted gain vector (lexicographic max of sorted gains, with tolerance)."""
    _, u = acceptable(problem)
    if not len(u):
        return None
    ordered = np.sort(gains(problem, u), axis=1)
    candidates = np.arange(len(ordered))
    for k in range(ordered.shape[1]):
        column = ordered[candidates, k]
        candidates = candidates[column >= column.max() - TOLERANCE]
    return [float(v) for v in ordered[candidates[0]]]


def best_utilities(problem: Problem) -> FloatArray | None:
    _, u = acceptable(problem)
    return np.asarray(u.max(axis=0), dtype=np.float64) if len(u) else None


def _able_to_gain(problem: Problem, utilities: FloatArray) -> tuple[FloatArray, np.ndarray]:
    """Each party's range (best utility minus reservation) and whether it can gain at all."""
    ranges = np.asarray(utilities.max(axis=0) - problem.reservation, dtype=np.float64)
    return ranges, ranges > NEGLIGIBLE_GAIN


def ks_value(problem: Problem) -> float | None:
    _, u = acceptable(problem)
    if not len(u):
        return None
    ranges, active = _able_to_gain(problem, u)
    if not active.any():
        return 1.0
    ratios = gains(problem, u)[:, active] / ranges[active]
    return float(ratios.min(axis=1).max())


def nash_log_values(problem: Problem) -> FloatArray | None:
    """Each acceptable package's log of the product of gains, each gain raised to its party's bargaining
    power scaled to average 1 (Kalai 1977; all powers 1: Nash 1950), over the parties that can gain at
    all; -inf where some such party gains no more than NEGLIGIBLE_GAIN (the engine's threshold).
    None: no acceptable package; an empty array: the concept is degenerate (no package gives every
    such party a gain above NEGLIGIBLE_GAIN, or no party can gain)."""
    _, u = acceptable(problem)
    if not len(u):
        return None
    _, active = _able_to_gain(problem, u)
    g = gains(problem, u)[:, active]
    # the engine's degenerate case: no package gives every party able to gain a gain above NEGLIGIBLE_GAIN
    if not active.any() or not (g.min(axis=1) > NEGLIGIBLE_GAIN).any():
        return np.zeros(0)
    power = problem.powers[active] / problem.powers[active].mean()
    gaining = (g > NEGLIGIBLE_GAIN).all(axis=1)
    logs = np.full(len(g), -np.inf)
    logs[gaining] = (np.log(g[gaining]) * power).sum(axis=1)
    return logs


def nash_value(problem: Problem) -> float | None:
    """The largest product of gains, each raised to its party's scaled power (see nash_log_values),
    over parties that can gain at all (0: degenerate)."""
    logs = nash_log_values(problem)
    if logs is None:
        return None
    return float(np.exp(logs.max())) if len(logs) else 0.0


def nash_packages(problem: Problem, tolerance: float = 1e-9) -> tuple[IntArray, FloatArray]:
    """Every acceptable package whose (powered) product of gains is within ``tolerance`` (relative) of
    the largest, with their utilities (empty when the concept is degenerate or no package is acceptable)."""
    packages, u = acceptable(problem)
    logs = nash_log_values(problem)
    if logs is None or not len(logs):
        return packages[:0], u[:0]
    keep = logs >= logs.max() + np.log1p(-tolerance)
    return packages[keep], u[keep]


def pareto_front(problem: Problem) -> FloatArray:
    """Utility vectors of the acceptable packages that no other acceptable package dominates."""
    _, u = acceptable(problem)
    if not len(u):
        return np.zeros((0, problem.n_parties))
    unique = np.unique(np.round(u, 12), axis=0)
    keep = []
    for row in unique:
        dominated = ((unique >= row - TOLERANCE).all(axis=1) & (unique > row + TOLERANCE).any(axis=1)).any()
        if not dominated:
            keep.append(row)
    return np.array(keep)
