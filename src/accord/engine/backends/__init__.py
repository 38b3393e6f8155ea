"""Solver backends behind the ``MilpSolver`` interface; ``get_solver`` picks one by name.

The default is HiGHS for every solution concept: measured on the bench (28 points x 5 options
x 3 parties with red lines, and the 100x6 and 300x6 instances), it is faster than CP-SAT on each
concept, so no concept picks a backend of its own. An explicit name is always obeyed.
"""

from __future__ import annotations

from accord.engine.milp import MilpSolver
from accord.errors import EngineError

BACKENDS = ("highs", "cpsat")


def get_solver(name: str = "highs") -> MilpSolver:
    """The backend by name; "auto" (the CLI's default: small problems are enumerated) means HiGHS."""
    if name in ("highs", "auto"):
        from accord.engine.backends.highs import HighsSolver

        return HighsSolver()
    if name == "cpsat":
        from accord.engine.backends.cpsat import CpSatSolver

        return CpSatSolver()
    raise EngineError(f"unknown solver backend {name!r}; expected one of: {', '.join(BACKENDS)}")
