"""The engine's answers as plain data: the stable `--json` output (documented in docs/json-output.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from accord.engine.conflicts import Requirement, broken_requirements, describe
from accord.engine.diagnose import Diagnosis, DraftCheck
from accord.engine.improve import Improvement
from accord.engine.problem import FloatArray, IntArray, Problem
from accord.engine.solution import Concept, Outcome, Solution

if TYPE_CHECKING:
    from accord.analysis.gain_uncertainty import GainCheck


def by_party(problem: Problem, values: Sequence[float] | FloatArray) -> dict[str, float]:
    return {party: round(float(v), 12) for party, v in zip(problem.parties, values, strict=True)}


def option_text(problem: Problem, point_id: str, option: str) -> str:
    p = problem.points.index(point_id)
    return problem.option_texts[p][problem.options[p].index(option)]


def package_data(problem: Problem, package: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "number": problem.point_numbers[p],
            "point": point,
            "title": problem.point_titles[p],
            "option": package[point],
            "text": option_text(problem, point, package[point]),
        }
        for p, point in enumerate(problem.points)
    ]


def solution_data(problem: Problem, solution: Solution) -> dict[str, Any]:
    return {
        "rank": solution.rank,
        "status": solution.status.value,
        "value": solution.value,
        "gap": solution.gap,
        "utilities": by_party(problem, solution.utilities),
        "gains": by_party(problem, solution.gains),
        "package": package_data(problem, solution.package),
        "detail": solution.detail,
    }


def outcome_data(problem: Problem, outcome: Outcome) -> dict[str, Any]:
    data: dict[str, Any] = {
        "concept": outcome.concept.value,
        "status": outcome.status.value,
        "seconds": round(outcome.seconds, 6),
        "backend": outcome.backend,
        "solutions": [solution_data(problem, s) for s in outcome.solutions],
    }
    if outcome.concept is Concept.NASH:
        # the bargaining powers the Nash product was raised to (all 1: the symmetric solution)
        data["power"] = by_party(problem, problem.powers)
    return data


def problem_data(problem: Problem) -> dict[str, Any]:
    return {
        "parties": [{"id": p, "name": n} for p, n in zip(problem.parties, problem.party_names, strict=True)],
        "reservation_values": by_party(problem, problem.reservation),
        "points": problem.n_points,
        "packages": _package_count(problem),
    }


def _package_count(problem: Problem) -> int:
    count = 1
    for options in problem.options:
        count *= len(options)
    return count


def draft_data(problem: Problem, version: int, columns: IntArray) -> dict[str, Any]:
    return {
        "version": version,
        "utilities": by_party(problem, problem.utilities(columns)),
        # a demand several parties hold is listed once, naming them all
        "breaks": [describe(problem, r) for r in broken_requirements(problem, columns)],
    }


def requirement_data(problem: Problem, requirement: Requirement) -> dict[str, Any]:
    return {
        "text": describe(problem, requirement),
        "kind": requirement.kind,
        "holders": [problem.parties[h] for h in requirement.holders],
    }


def diagnosis_data(problem: Problem, diagnosis: Diagnosis) -> dict[str, Any]:
    return {
        "deal_possible": diagnosis.deal_possible,
        "complete": diagnosis.complete,
        "conflicts": [
            {
                "demands": list(c.descriptions),
                "kinds": [type(r.first).__name__ for r in c.requirements],
                "holders": [[problem.parties[h] for h in r.holders] for r in c.requirements],
            }
            for c in diagnosis.conflicts
        ],
        "relaxations": [
            {
                "relax": [requirement_data(problem, r) for r in w.requirements],
                "cost": round(w.cost, 12),
                "keep_at_most": {problem.parties[p]: round(v, 12) for p, v in w.keep_at_most},
                "best": solution_data(problem, w.best) if w.best is not None else None,
            }
            for w in diagnosis.relaxations
        ],
        "ways_out": [
            {
                "relax": describe(problem, requirement),
                "restores_deal": way is not None,
                "keep_at_most": dict(way.keep_at_most).get(requirement.first.party)
                if way is not None and requirement.kind == "reservation"
                else None,
                "best": solution_data(problem, way.best)
                if way is not None and way.best is not None
                else None,
            }
            for requirement, way in diagnosis.alone
        ],
        "checks": diagnosis.checks,
        "seconds": round(diagnosis.seconds, 6),
    }


def draft_check_data(problem: Problem, version: int, columns: IntArray, check: DraftCheck) -> dict[str, Any]:
    return {
        "version": version,
        "utilities": by_party(problem, check.utilities),
        "breaks": [requirement_data(problem, r) for r in check.broken],
        "shortfalls": {problem.parties[p]: round(v, 12) for p, v in check.shortfalls},
        "nearest": None
        if check.nearest is None
        else {
            "utilities": by_party(problem, problem.utilities(check.nearest)),
            "package": package_data(problem, problem.package(check.nearest)),
            "changes": [
                {
                    "point": problem.points[p],
                    "title": problem.point_titles[p],
                    "from": problem.options[p][before - int(problem.offsets[p])],
                    "from_text": problem.option_texts[p][before - int(problem.offsets[p])],
                    "to": problem.options[p][after - int(problem.offsets[p])],
                    "to_text": problem.option_texts[p][after - int(problem.offsets[p])],
                }
                for p, before, after in check.changes
            ],
        },
    }


def improvement_data(
    problem: Problem, improvement: Improvement, check: GainCheck | None = None
) -> dict[str, Any]:
    """``check``: the gains checked against the declared uncertainty (``uncertainty``; null without)."""
    return {
        "rank": improvement.rank,
        "proven_best": improvement.proven_best,
        "utilities": by_party(problem, improvement.utilities),
        "gains": by_party(problem, improvement.gains),
        "changes": [
            {
                "point": c.point,
                "title": problem.point_titles[problem.points.index(c.point)],
                "from": c.before,
                "from_text": option_text(problem, c.point, c.before),
                "to": c.after,
                "to_text": option_text(problem, c.point, c.after),
            }
            for c in improvement.changes
        ],
        "uncertainty": None if check is None else gain_check_data(problem, check),
    }


def gain_check_data(problem: Problem, check: GainCheck) -> dict[str, Any]:
    """Each party's gain across the draws of the declared uncertainty, and the verdict in words."""
    from accord.analysis.gain_uncertainty import describe_check

    return {
        "note": describe_check(problem.party_names, check),
        "may_not_be_real": [problem.parties[i] for i in check.doubtful()],
        "samples": check.samples,
        "parties": {
            party: {
                "probability_better_off": round(spread.better, 12),
                "probability_worse_off": round(spread.worse, 12),
                "gain_interval_90": [round(spread.low, 12), round(spread.high, 12)],
                "real_gain": spread.real,
            }
            for party, spread in zip(problem.parties, check.parties, strict=True)
        },
    }
