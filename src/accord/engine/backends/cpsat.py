"""OR-Tools CP-SAT (Apache 2.0) as a MilpSolver.

CP-SAT works on integers only, so every continuous quantity is scaled by
SCALE and rounded: each row is multiplied by SCALE, option coefficients are
rounded to integers, and a continuous variable v is an integer V = v * SCALE
(its own coefficients must then be integers, which holds for every row the
concepts build: they use continuous variables with coefficients ±1 or k).
Each row's bounds are widened by the most the rounding can move the row, so
no package that meets a demand is lost (one that misses it by less than that
may be admitted). Results are therefore exact to about points / SCALE
(1e-5 for 100 points);
HiGHS, which works in floating point, is the default backend.
"""

from __future__ import annotations

import math
import time

import numpy as np
from ortools.sat.python import cp_model

from accord.engine.milp import INF, Milp, MilpResult, MilpStatus
from accord.engine.problem import FloatArray

SCALE = 10**7
BIG = 100 * SCALE  # domain bound for otherwise unbounded continuous variables


class CpSatSolver:
    name = "cpsat"

    def __init__(self, workers: int = 1) -> None:
        self.workers = workers

    def solve(
        self, milp: Milp, time_limit: float | None = None, start: FloatArray | None = None
    ) -> MilpResult:
        started = time.perf_counter()
        model = cp_model.CpModel()
        variables = []
        for lower, upper, integer in zip(milp.lower, milp.upper, milp.integer, strict=True):
            if integer:
                variables.append(model.new_int_var(math.ceil(lower - 1e-9), math.floor(upper + 1e-9), ""))
            else:
                # bounds are rounded outwards: a bound that falls between two grid points (a utility
                # of 0.12890625 is 1289062.5 units) must not cut off the value it was computed from
                lo = -BIG if lower == -INF else math.floor(lower * SCALE)
                hi = BIG if upper == INF else math.ceil(upper * SCALE)
                variables.append(model.new_int_var(lo, hi, ""))
        for lower, upper, index, value in zip(
            milp.row_lower, milp.row_upper, milp.row_index, milp.row_value, strict=True
        ):
            expr = sum(
                self._term(milp, variables, int(j), float(a)) for j, a in zip(index, value, strict=True)
            )
            # rounding the coefficients must not cut off a package that meets the row exactly:
            # each bound is widened by the most the rounding can move the row (binary variables)
            rounding = sum(
                abs(round(float(a) * SCALE) - float(a) * SCALE)
                for j, a in zip(index, value, strict=True)
                if milp.integer[int(j)]
            )
            if lower != -INF:
                model.add(expr >= math.floor(lower * SCALE - rounding))
            if upper != INF:
                model.add(expr <= math.ceil(upper * SCALE + rounding))
        objective = sum(self._term(milp, variables, j, c) for j, c in enumerate(milp.cost) if c != 0)
        model.maximize(objective)
        if start is not None:
            for j, value in enumerate(np.asarray(start).tolist()):
                if milp.integer[j]:
                    model.add_hint(variables[j], round(value))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = self.workers
        solver.parameters.random_seed = 0
        if time_limit is not None:
            solver.parameters.max_time_in_seconds = max(time_limit, 0.001)
        status = solver.solve(model)
        seconds = time.perf_counter() - started
        if status == cp_model.INFEASIBLE:
            return MilpResult(MilpStatus.INFEASIBLE, seconds=seconds)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return MilpResult(MilpStatus.NO_SOLUTION, seconds=seconds)
        values = np.array(
            [
                solver.value(v) if integer else solver.value(v) / SCALE
                for v, integer in zip(variables, milp.integer, strict=True)
            ],
            dtype=np.float64,
        )
        achieved = float(solver.objective_value) / SCALE + milp.objective_offset
        bound = float(solver.best_objective_bound) / SCALE + milp.objective_offset
        if status == cp_model.OPTIMAL:
            return MilpResult(MilpStatus.OPTIMAL, values, achieved, achieved, seconds)
        return MilpResult(MilpStatus.TIME_LIMIT, values, achieved, bound, seconds)

    @staticmethod
    def _term(
        milp: Milp, variables: list[cp_model.IntVar], j: int, coefficient: float
    ) -> cp_model.LinearExpr:
        if milp.integer[j]:
            return round(coefficient * SCALE) * variables[j]
        if coefficient != round(coefficient):
            raise ValueError("CP-SAT backend: a continuous variable needs an integer coefficient")
        return round(coefficient) * variables[j]
