"""HiGHS (MIT licence) as a MilpSolver: an exact MIP solver with floating-point coefficients."""

from __future__ import annotations

import os
import sys
import time
from functools import cache

import highspy
import numpy as np

from accord.engine.milp import INF, Milp, MilpResult, MilpStatus
from accord.errors import EngineError


@cache
def _quiet_start() -> None:
    """HiGHS prints a banner on stdout when the first solver of a process is made; keep --json clean."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)


class HighsSolver:
    name = "highs"

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads

    # When HiGHS's final check finds its own answer infeasible by a hair ("Solve error"), the same model
    # is solved again without presolve, then with slightly looser feasibility tolerances.
    RETRIES: tuple[tuple[str, float], ...] = (("off", 1e-9), ("off", 1e-8), ("on", 1e-7))

    def solve(self, milp: Milp, time_limit: float | None = None) -> MilpResult:
        _quiet_start()
        started = time.perf_counter()
        lp = _as_highs_lp(milp)
        attempts = (("choose", 1e-9), *self.RETRIES)
        for presolve, feasibility in attempts:
            h = self._highs(presolve, feasibility, time_limit, started)
            h.passModel(lp)
            h.run()
            status = h.getModelStatus()
            if status != highspy.HighsModelStatus.kSolveError:
                return _result(h, status, time.perf_counter() - started)
        raise EngineError(
            f"HiGHS could not solve a model of {milp.n_vars} variables and {len(milp.row_lower)} rows "
            f"({len(attempts)} attempts, ending with {h.modelStatusToString(status)}); "
            "try --solver cpsat"
        )

    def _highs(
        self, presolve: str, feasibility: float, time_limit: float | None, started: float
    ) -> highspy.Highs:
        h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", self.threads)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("presolve", presolve)
        # exact answers: no relative gap slack, tight feasibility
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 1e-12)
        h.setOptionValue("mip_feasibility_tolerance", feasibility)
        h.setOptionValue("primal_feasibility_tolerance", feasibility)
        if time_limit is not None:
            left = time_limit - (time.perf_counter() - started)
            h.setOptionValue("time_limit", float(max(left, 0.001)))
        return h


def _as_highs_lp(milp: Milp) -> highspy.HighsLp:
    lp = highspy.HighsLp()
    n = milp.n_vars
    lp.num_col_ = n
    lp.num_row_ = len(milp.row_lower)
    lp.col_cost_ = np.asarray(milp.cost, dtype=np.float64)
    lp.col_lower_ = np.asarray(milp.lower, dtype=np.float64)
    lp.col_upper_ = np.asarray(milp.upper, dtype=np.float64)
    lp.row_lower_ = np.asarray(milp.row_lower, dtype=np.float64)
    lp.row_upper_ = np.asarray(milp.row_upper, dtype=np.float64)
    lp.offset_ = milp.objective_offset
    lp.sense_ = highspy.ObjSense.kMaximize
    lengths = [len(i) for i in milp.row_index]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = lp.num_row_
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    lp.a_matrix_.index_ = (
        np.concatenate(milp.row_index).astype(np.int32) if milp.row_index else np.zeros(0, np.int32)
    )
    lp.a_matrix_.value_ = np.concatenate(milp.row_value).astype(np.float64) if milp.row_value else np.zeros(0)
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous for flag in milp.integer
    ]
    return lp


def _result(h: highspy.Highs, status: highspy.HighsModelStatus, seconds: float) -> MilpResult:
    info = h.getInfo()
    if status == highspy.HighsModelStatus.kInfeasible:
        return MilpResult(MilpStatus.INFEASIBLE, seconds=seconds)
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    values = np.asarray(h.getSolution().col_value, dtype=np.float64) if has_solution else np.zeros(0)
    objective = float(info.objective_function_value) if has_solution else -INF
    if status == highspy.HighsModelStatus.kOptimal:
        return MilpResult(MilpStatus.OPTIMAL, values, objective, objective, seconds)
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else INF
    if status == highspy.HighsModelStatus.kTimeLimit:
        return MilpResult(
            MilpStatus.TIME_LIMIT if has_solution else MilpStatus.NO_SOLUTION,
            values,
            objective,
            bound,
            seconds,
        )
    if status == highspy.HighsModelStatus.kUnboundedOrInfeasible:
        return MilpResult(MilpStatus.INFEASIBLE, seconds=seconds)
    raise EngineError(f"HiGHS stopped with status {h.modelStatusToString(status)}")
