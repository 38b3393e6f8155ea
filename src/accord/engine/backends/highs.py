"""HiGHS (MIT licence) as a MilpSolver: an exact MIP solver with floating-point coefficients."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from functools import cache

import highspy
import numpy as np

from accord.engine.milp import INF, Milp, MilpResult, MilpStatus
from accord.engine.problem import FloatArray
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


@dataclass
class _Stopped:
    """A run stopped by its node budget, with the best solution it knew (or its start)."""

    values: FloatArray | None


class HighsSolver:
    name = "highs"
    fractional_continuous = True  # rows may give continuous variables any coefficient

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads

    # When HiGHS's final check finds its own answer infeasible by a hair ("Solve error"), the same model
    # is solved again without presolve, then with slightly looser feasibility tolerances.
    RETRIES: tuple[tuple[str, float], ...] = (("off", 1e-9), ("off", 1e-8), ("on", 1e-7))

    # From a good start, HiGHS's searches for a first incumbent (feasibility jump, the RINS and RENS
    # sub-MIPs) and its restarts after root reductions cost more than they save on small models (the
    # bench's 28x5 instances with 2, 3 and 5 parties: 2.5x less time in all), and so a run from a start
    # goes lean first. Restarts pay on models that need a long search (3 parties 300x6: 0.7 s with them,
    # 2.6 s without; 5 parties 100x6: 6.5 s against 12 s), so a lean run that needs more than LEAN_NODES
    # nodes is stopped and the model solved again, from the best package found, with restarts allowed.
    LEAN_NODES = 50
    LEAN: tuple[tuple[str, bool | int], ...] = (
        ("mip_heuristic_run_feasibility_jump", False),
        ("mip_heuristic_run_rins", False),
        ("mip_heuristic_run_rens", False),
        ("mip_allow_restart", False),
        ("mip_max_nodes", LEAN_NODES),
    )
    DEEP: tuple[tuple[str, bool | int], ...] = (
        ("mip_heuristic_run_feasibility_jump", False),
        # cuts at the root only: on those long searches 30-45% less time (5 parties 100x6: 5.9 s to 3.3 s)
        ("mip_allow_cut_separation_at_nodes", False),
    )

    def solve(
        self, milp: Milp, time_limit: float | None = None, start: FloatArray | None = None
    ) -> MilpResult:
        _quiet_start()
        started = time.perf_counter()
        lp = _as_highs_lp(milp)
        if start is not None and len(start):
            result = self._run(milp, lp, time_limit, started, start, self.LEAN)
            if isinstance(result, _Stopped):
                result = self._run(milp, lp, time_limit, started, result.values, self.DEEP)
            if isinstance(result, MilpResult) and _consistent(milp, result):
                return result
            # HiGHS's presolve can carry a starting solution into its reduced model wrongly (seen with
            # 1.16: the start's objective overstated, and the search stopped at that false incumbent):
            # such an answer is not trusted, and the model is solved again without the start
        result = self._run(milp, lp, time_limit, started, None, ())
        assert isinstance(result, MilpResult)  # no node budget without a start
        return result

    def _run(
        self,
        milp: Milp,
        lp: highspy.HighsLp,
        time_limit: float | None,
        started: float,
        start: FloatArray | None,
        options: tuple[tuple[str, bool | int], ...],
    ) -> MilpResult | _Stopped:
        attempts = (("choose", 1e-9), *self.RETRIES)
        for presolve, feasibility in attempts:
            h = self._highs(presolve, feasibility, time_limit, started)
            for option, value in options:
                h.setOptionValue(option, value)
            h.passModel(lp)
            if start is not None:
                # a partial solution: HiGHS fixes these integer values and completes the rest by an LP
                h.setSolution(
                    len(start), np.arange(len(start), dtype=np.int32), np.asarray(start, np.float64)
                )
            h.run()
            status = h.getModelStatus()
            if status == highspy.HighsModelStatus.kSolutionLimit:  # the node budget ran out
                found = h.getInfo().primal_solution_status == 2  # kSolutionStatusFeasible
                values = np.asarray(h.getSolution().col_value, dtype=np.float64) if found else start
                return _Stopped(start if values is None else values)
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


CHECK_FEASIBILITY = 1e-6  # a returned solution breaking a row or bound by more than this is not trusted
CHECK_OBJECTIVE = 1e-9  # nor one whose objective differs from the reported one by more (relative)


def _consistent(milp: Milp, result: MilpResult) -> bool:
    """Whether an answer found from a start can be trusted: a solution that meets the model and has the
    objective reported. (Infeasible is not trusted either: the start was believed feasible.)"""
    if result.status is MilpStatus.INFEASIBLE:
        return False
    if not result.has_solution:
        return True
    v = result.values
    if v.size != milp.n_vars:
        return False
    tol = CHECK_FEASIBILITY
    if (v < np.asarray(milp.lower) - tol).any() or (v > np.asarray(milp.upper) + tol).any():
        return False
    integer = np.asarray(milp.integer, dtype=bool)
    if (np.abs(v[integer] - np.round(v[integer])) > tol).any():
        return False
    if milp.row_index:
        index = np.concatenate(milp.row_index)
        lengths = np.array([len(i) for i in milp.row_index])
        rows = np.repeat(np.arange(len(lengths)), lengths)
        activity = np.bincount(
            rows, weights=np.concatenate(milp.row_value) * v[index], minlength=len(lengths)
        )
        if (activity < np.asarray(milp.row_lower) - tol).any() or (
            activity > np.asarray(milp.row_upper) + tol
        ).any():
            return False
    objective = float(np.dot(milp.cost, v)) + milp.objective_offset
    return abs(objective - result.objective) <= CHECK_OBJECTIVE * max(1.0, abs(objective))


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
