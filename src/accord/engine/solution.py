"""What the engine answers: a package with each party's utility and gain, and how sure it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from accord.engine.problem import IntArray, Problem


class Concept(StrEnum):
    NASH = "nash"
    KALAI_SMORODINSKY = "kalai-smorodinsky"
    EGALITARIAN = "egalitarian"
    LEXIMIN = "leximin"
    UTILITARIAN = "utilitarian"


CONCEPT_ALIASES = {"ks": Concept.KALAI_SMORODINSKY, "kalai_smorodinsky": Concept.KALAI_SMORODINSKY}


class Status(StrEnum):
    OPTIMAL = "optimal"  # proven optimal (Nash: within 1e-9 relative on the product)
    TIME_LIMIT = "time_limit"  # best found when the time limit stopped the search; see ``gap``
    INFEASIBLE = "infeasible"  # no package respects every red line, link and reservation value
    DEGENERATE = "degenerate"  # the concept does not discriminate (e.g. no package gives all a gain)


@dataclass(frozen=True)
class Solution:
    """One package proposed by a solution concept."""

    concept: Concept
    rank: int
    columns: tuple[int, ...]
    package: dict[str, str]  # point id -> option key
    utilities: tuple[float, ...]
    gains: tuple[float, ...]  # utility minus reservation value
    value: float  # the concept's objective (Nash: product of gains; leximin: smallest gain)
    status: Status
    gap: float  # proven relative gap on ``value`` (0 when optimal)
    seconds: float
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """The answer of one concept: up to K best distinct packages, or why there are none."""

    concept: Concept
    status: Status
    solutions: tuple[Solution, ...]
    seconds: float
    backend: str

    @property
    def best(self) -> Solution | None:
        return self.solutions[0] if self.solutions else None


def make_solution(
    problem: Problem,
    concept: Concept,
    rank: int,
    columns: IntArray,
    value: float,
    status: Status,
    gap: float,
    seconds: float,
    detail: dict[str, Any] | None = None,
) -> Solution:
    utilities = problem.utilities(columns)
    return Solution(
        concept=concept,
        rank=rank,
        columns=tuple(int(c) for c in columns),
        package=problem.package(columns),
        utilities=tuple(float(u) for u in utilities),
        gains=tuple(float(u - d) for u, d in zip(utilities, problem.reservation, strict=True)),
        value=float(value),
        status=status,
        gap=float(gap),
        seconds=float(seconds),
        detail=detail or {},
    )
