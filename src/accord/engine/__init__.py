"""The compromise engine: exact solution concepts over packages, never by enumerating outcomes."""

from __future__ import annotations

from accord.engine.backends import get_solver
from accord.engine.concepts import egalitarian, kalai_smorodinsky, leximin, utilitarian
from accord.engine.milp import MilpSolver
from accord.engine.nash import nash
from accord.engine.problem import Problem, compile_problem
from accord.engine.solution import CONCEPT_ALIASES, Concept, Outcome, Solution, Status
from accord.errors import EngineError

_CONCEPTS = {
    Concept.NASH: nash,
    Concept.KALAI_SMORODINSKY: kalai_smorodinsky,
    Concept.EGALITARIAN: egalitarian,
    Concept.LEXIMIN: leximin,
    Concept.UTILITARIAN: utilitarian,
}


def parse_concept(name: str) -> Concept:
    try:
        return CONCEPT_ALIASES.get(name) or Concept(name)
    except ValueError:
        known = ", ".join([*(c.value for c in Concept), "ks"])
        raise EngineError(f"unknown concept {name!r}; expected one of: {known}") from None


def solve(
    problem: Problem,
    concept: Concept | str,
    *,
    solver: MilpSolver | None = None,
    top: int = 1,
    time_limit: float | None = None,
) -> Outcome:
    """The ``top`` best distinct packages under one solution concept.

    With no ``solver`` named, a small problem (``enumeration.limit_for``: 20,000 packages for most
    concepts) is solved by enumerating its packages (the same answers, faster), a larger one with
    HiGHS; a solver named is always used."""
    if top < 1:
        raise EngineError(f"top must be at least 1, got {top}")
    chosen = parse_concept(concept) if isinstance(concept, str) else concept
    if solver is None:
        from accord.engine import enumeration

        if enumeration.small(problem, enumeration.limit_for(chosen)):
            return enumeration.solve_small(problem, chosen, top)
    return _CONCEPTS[chosen](problem, solver or get_solver(), top, time_limit)


__all__ = [
    "Concept",
    "Outcome",
    "Problem",
    "Solution",
    "Status",
    "compile_problem",
    "get_solver",
    "parse_concept",
    "solve",
]
