"""A small, solver-neutral mixed-integer linear program, and the interface every backend offers.

The solution concepts describe what they want as a ``Milp`` (variables, rows,
an objective to maximise); a ``MilpSolver`` (HiGHS, CP-SAT) solves it. Keeping
this one step removed from any solver's API lets the concepts be written once
and the backends be swapped and measured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

import numpy as np

from accord.engine.problem import FloatArray, IntArray, Problem

INF = float("inf")


class MilpStatus(StrEnum):
    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time_limit"  # a solution may exist; ``bound`` says how far from proven
    NO_SOLUTION = "no_solution"  # stopped before any solution was found


@dataclass
class MilpResult:
    status: MilpStatus
    values: FloatArray = field(default_factory=lambda: np.zeros(0))
    objective: float = -INF
    bound: float = INF  # proven upper bound on the objective (maximisation)
    seconds: float = 0.0

    @property
    def has_solution(self) -> bool:
        return self.status in (MilpStatus.OPTIMAL, MilpStatus.TIME_LIMIT) and self.values.size > 0


@dataclass
class Milp:
    """Maximise ``cost · v`` subject to ``lo <= A v <= hi`` and bounds; some variables integer."""

    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    row_index: list[IntArray] = field(default_factory=list)
    row_value: list[FloatArray] = field(default_factory=list)
    objective_offset: float = 0.0

    @property
    def n_vars(self) -> int:
        return len(self.lower)

    def add_var(self, lower: float, upper: float, cost: float = 0.0, integer: bool = False) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.cost.append(cost)
        self.integer.append(integer)
        return len(self.lower) - 1

    def add_row(
        self, lower: float, upper: float, index: IntArray | list[int], value: FloatArray | list[float]
    ) -> None:
        idx = np.asarray(index, dtype=np.int64)
        val = np.asarray(value, dtype=np.float64)
        keep = val != 0
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        self.row_index.append(idx[keep])
        self.row_value.append(val[keep])

    def set_objective(
        self, index: IntArray | list[int], value: FloatArray | list[float], offset: float = 0.0
    ) -> None:
        self.cost = [0.0] * self.n_vars
        for i, v in zip(np.asarray(index).tolist(), np.asarray(value).tolist(), strict=True):
            self.cost[int(i)] += float(v)
        self.objective_offset = offset

    def copy(self) -> Milp:
        return Milp(
            list(self.lower),
            list(self.upper),
            list(self.cost),
            list(self.integer),
            list(self.row_lower),
            list(self.row_upper),
            list(self.row_index),
            list(self.row_value),
            self.objective_offset,
        )


class MilpSolver(Protocol):
    """What a backend offers: solve a Milp (maximisation), within an optional time limit.

    ``start``, when given, holds values for the first ``len(start)`` variables (the package's
    option columns) of a solution believed feasible: a hint the backend may use as its first
    incumbent (and complete the other variables itself) or ignore. It never changes the answer's
    optimality, only how fast it is found.
    """

    name: str

    def solve(
        self, milp: Milp, time_limit: float | None = None, start: FloatArray | None = None
    ) -> MilpResult: ...


def takes_fractional_continuous(solver: MilpSolver) -> bool:
    """Whether the backend accepts fractional coefficients on continuous variables (CP-SAT does not)."""
    return bool(getattr(solver, "fractional_continuous", False))


@dataclass
class PackageModel:
    """A Milp whose first variables choose one option per point, with the problem's demands as rows.

    ``x`` (binary, one per option column) is the package; ``utility_row(i)``
    gives party i's utility as a linear expression over ``x``.
    """

    problem: Problem
    milp: Milp

    @classmethod
    def build(cls, problem: Problem) -> PackageModel:
        milp = Milp()
        allowed = problem.allowed()
        for column in range(problem.n_columns):
            milp.add_var(0.0, 1.0 if allowed[column] else 0.0, integer=True)
        for point in range(problem.n_points):
            columns = list(problem.columns_of(point))
            milp.add_row(1.0, 1.0, columns, [1.0] * len(columns))
        for link in problem.links:
            milp.add_row(-INF, 0.0, [link.column, *link.requires], [1.0] + [-1.0] * len(link.requires))
        bounds = problem.reservation_bounds()
        for party in range(problem.n_parties):
            if np.isfinite(bounds[party]):
                index, value = cls.utility_terms(problem, party)
                milp.add_row(float(bounds[party]), INF, index, value)
        return cls(problem, milp)

    @staticmethod
    def utility_terms(problem: Problem, party: int) -> tuple[IntArray, FloatArray]:
        row = problem.utility[party]
        index = np.nonzero(row)[0].astype(np.int64)
        return index, row[index]

    def copy(self) -> PackageModel:
        return PackageModel(self.problem, self.milp.copy())

    def start(self, columns: IntArray) -> FloatArray:
        """A package as values of the option columns: a ``start`` for ``MilpSolver.solve``."""
        x = np.zeros(self.problem.n_columns)
        x[np.asarray(columns, dtype=np.int64)] = 1.0
        return x

    def columns(self, result: MilpResult) -> IntArray:
        """The chosen option column of every point in a solution."""
        x = result.values[: self.problem.n_columns]
        chosen = []
        for point in range(self.problem.n_points):
            columns = list(self.problem.columns_of(point))
            chosen.append(columns[int(np.argmax(x[columns]))])
        return np.array(chosen, dtype=np.int64)

    def forbid(self, columns: IntArray) -> None:
        """A no-good cut: the next solution must differ from this package on at least one point."""
        n = len(columns)
        self.milp.add_row(-INF, n - 1.0, columns, [1.0] * n)

    def add_utility_at_least(self, party: int, bound: float) -> None:
        index, value = self.utility_terms(self.problem, party)
        self.milp.add_row(bound, INF, index, value)

    def add_var(self, lower: float, upper: float) -> int:
        return self.milp.add_var(lower, upper)

    def add_row(
        self, lower: float, upper: float, index: list[int] | IntArray, value: list[float] | FloatArray
    ) -> None:
        self.milp.add_row(lower, upper, index, value)
