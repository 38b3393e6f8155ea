"""Solver backends behind the ``MilpSolver`` interface; ``get_solver`` picks one by name."""

from __future__ import annotations

from accord.engine.milp import MilpSolver
from accord.errors import EngineError

BACKENDS = ("highs", "cpsat")


def get_solver(name: str = "highs") -> MilpSolver:
    if name == "highs":
        from accord.engine.backends.highs import HighsSolver

        return HighsSolver()
    if name == "cpsat":
        from accord.engine.backends.cpsat import CpSatSolver

        return CpSatSolver()
    raise EngineError(f"unknown solver backend {name!r}; expected one of: {', '.join(BACKENDS)}")
