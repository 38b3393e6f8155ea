"""The compromise analysis of a scenario: load it, compile it, ask the engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from accord.domain import Negotiation
from accord.engine import compile_problem
from accord.engine.problem import IntArray, Problem, draft_columns
from accord.errors import DomainError, EngineError
from accord.scenario import load


@dataclass(frozen=True)
class Case:
    """A scenario ready for the engine, with the draft it is compared against (if any)."""

    negotiation: Negotiation
    problem: Problem
    draft_version: int | None
    draft: IntArray | None


def open_case(
    scenario: Path | Negotiation,
    *,
    parties: Sequence[str] | None = None,
    draft: int | None = None,
    fix: Sequence[str] = (),
    require_draft: bool = False,
) -> Case:
    """``scenario``: a scenario file, or a negotiation read already (the stored one, say)."""
    negotiation = scenario if isinstance(scenario, Negotiation) else load(scenario)
    chosen = None
    if draft is not None:
        chosen = negotiation.draft(draft)
    elif require_draft:
        raise EngineError("this command needs --draft VERSION")
    if fix and chosen is None:
        raise EngineError("--fix needs --draft VERSION: points are fixed to that draft's choice")
    problem = compile_problem(
        negotiation, parties=list(parties) if parties else None, draft=chosen, fix_points=fix
    )
    columns = None
    if chosen is not None:
        try:
            columns = draft_columns(problem, chosen)
        except DomainError:
            if require_draft:
                raise
    return Case(negotiation, problem, draft, columns)
