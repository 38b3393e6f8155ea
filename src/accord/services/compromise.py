"""The compromise analysis of a scenario: load it, compile it, ask the engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from accord.domain import Negotiation
from accord.engine import compile_problem
from accord.engine.logrolls import Logroll, logrolls, rejection_note
from accord.engine.problem import IntArray, Problem, draft_columns
from accord.errors import DomainError, EngineError
from accord.scenario import load

if TYPE_CHECKING:
    from accord.analysis.gain_uncertainty import GainCheck


@dataclass(frozen=True)
class Case:
    """A scenario ready for the engine, with the draft it is compared against (if any)."""

    negotiation: Negotiation
    problem: Problem
    draft_version: int | None
    draft: IntArray | None
    draft_unmatched: str | None = None  # why the draft asked for is no package to compare (said, not hidden)


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
    unmatched: str | None = None
    if chosen is not None:
        try:
            columns = draft_columns(problem, chosen)
        except DomainError as error:
            if require_draft:
                raise
            unmatched = str(error)
    return Case(negotiation, problem, draft, columns, unmatched)


@dataclass(frozen=True)
class LogrollOptions:
    """The logrolls a mediator can put on the table, and the trades left out because they leave a
    party below its reservation value (a trade no one can accept is no option)."""

    options: tuple[Logroll, ...]  # the best trades that keep every party at or above its reservation value
    rejected: tuple[Logroll, ...]  # among the best trades overall, those that do not
    note: str | None  # one sentence on the rejected ones (why none is an option, or how many were left out)


def logroll_options(problem: Problem, draft: IntArray, *, top: int = 10) -> LogrollOptions:
    """The ``top`` best logrolls from ``draft`` that pass every party's reservation value; the
    trades among the ``top`` best overall that do not, and a sentence on them."""
    options = logrolls(problem, draft, top=top, within_reservation=True)
    rejected = tuple(t for t in logrolls(problem, draft, top=top) if t.below_reservation)
    note = rejection_note(problem, rejected, options_left=bool(options), draft_columns=draft)
    return LogrollOptions(tuple(options), rejected, note)


def improvement_uncertainty(
    negotiation: Negotiation,
    problem: Problem,
    draft: IntArray,
    packages: Sequence[Sequence[int]],
    *,
    samples: int = 400,
    seed: int = 0,
) -> list[GainCheck] | None:
    """For each package (an improvement's ``columns``, say): every party's gain over ``draft``
    checked against the uncertainty the parties' preferences declare (``samples`` seeded draws,
    the same for every package). None when no party declares any: there is nothing to check against.
    Words: accord.analysis.gain_uncertainty.describe_check and describe_spread."""
    from accord.analysis.gain_uncertainty import check_gains, declares_uncertainty
    from accord.analysis.robustness import build_model

    model = build_model(negotiation, problem)
    if not declares_uncertainty(model):
        return None
    return check_gains(model, draft, packages, samples=samples, seed=seed)
