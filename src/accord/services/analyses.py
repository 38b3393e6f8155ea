"""The mediator's analyses on the workbench: `accord diagnose`, `improve`, `logrolls` and `contested`
on the stored negotiation, for a viewer the policy lets run them (Action.ANALYSE).

Each function calls what its command calls (accord.services.compromise.open_case, the engine,
accord.analysis.contested) and returns the answer as the command's words and its `--json` data
(accord.reports.compromise), so the page says what the command line says, option text and all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from accord.analysis.contested import (
    contested_points,
    describe_contested_point,
    ranking_lines,
    recorded_stances,
)
from accord.domain import Negotiation
from accord.engine import get_solver
from accord.engine.conflicts import broken_requirements
from accord.engine.diagnose import check_draft, diagnose
from accord.engine.improve import improvements
from accord.engine.logrolls import describe_logroll
from accord.errors import DomainError
from accord.reports.compromise import diagnosis_data, draft_check_data, improvement_data
from accord.security.policy import Action, Viewer, require
from accord.services import drafts as draft_service
from accord.services.compromise import Case, improvement_uncertainty, logroll_options, open_case
from accord.storage.database import Database

TIME_LIMIT = 20.0  # seconds a solve may take on the workbench before it answers with its gap
MOST_CONFLICTS, MOST_WAYS_OUT, MOST_IMPROVEMENTS, MOST_LOGROLLS = 20, 5, 5, 10
Rank = Literal["size", "weight"]


@dataclass(frozen=True)
class Analysed:
    """An analysis's answer (``answer``: words and the `--json` data), with the negotiation, the
    parties by name and the draft it started from."""

    negotiation: Negotiation
    party_names: dict[str, str]
    draft: int | None
    answer: dict[str, Any] = field(default_factory=dict)


def _load(database: Database, viewer: Viewer, slug: str, *, stances: bool = False) -> Negotiation:
    require(viewer, Action.ANALYSE, slug)  # before reading anything
    return draft_service.load(database, slug, stances=stances).negotiation


def _analysed(negotiation: Negotiation, case: Case, answer: dict[str, Any]) -> Analysed:
    return Analysed(
        negotiation,
        {p.id: p.name for p in negotiation.parties},
        case.draft_version,
        answer,
    )


def chosen_draft(negotiation: Negotiation, asked: str | None, *, required: bool) -> int | None:
    """The draft a form chose: its version; none asked (the field absent): the newest draft; an empty
    choice: none (refused when the analysis needs one). A DomainError names the field."""
    latest = negotiation.latest_draft
    if asked is None:
        if latest is None and required:
            raise DomainError("draft: there is no draft yet; this analysis starts from one")
        return latest.version if latest is not None else None
    text = asked.strip().removeprefix("v")
    if not text:
        if required:
            raise DomainError("draft: choose the draft to start from")
        return None
    if not text.isdigit():
        raise DomainError(f"draft: expected a version number such as 3, got {asked[:40]!r}")
    return negotiation.draft(int(text)).version  # an unknown version: NotFoundError naming those there are


def diagnosis(
    database: Database,
    viewer: Viewer,
    slug: str,
    draft: str | None = None,
    *,
    rank: Rank = "size",
) -> Analysed:
    """`accord diagnose [--draft V] [--rank]`: every minimal set of clashing demands and the ways out;
    with a draft, what it breaks, for whom, and the nearest package that breaks none."""
    negotiation = _load(database, viewer, slug)
    version = chosen_draft(negotiation, draft, required=False)
    case = open_case(negotiation, draft=version, require_draft=version is not None)
    problem, solver = case.problem, get_solver()
    found = diagnose(problem, solver, TIME_LIMIT, limit=MOST_CONFLICTS, top=MOST_WAYS_OUT, rank=rank)
    answer: dict[str, Any] = {"rank": rank, **diagnosis_data(problem, found)}
    answer["draft_check"] = None
    if version is not None and case.draft is not None:
        checked = check_draft(problem, case.draft, solver, TIME_LIMIT)
        answer["draft_check"] = draft_check_data(problem, version, case.draft, checked)
    return _analysed(negotiation, case, answer)


def improvement(
    database: Database,
    viewer: Viewer,
    slug: str,
    draft: str | None = None,
    *,
    max_changes: int | None = None,
) -> Analysed:
    """`accord improve --draft V [--max-changes K]`: packages every party likes at least as much as
    the draft and one strictly more (Raiffa's post-settlement settlement), each gain checked against
    the declared uncertainty when a party declares any."""
    negotiation = _load(database, viewer, slug)
    version = chosen_draft(negotiation, draft, required=True)
    case = open_case(negotiation, draft=version, require_draft=True)
    assert case.draft is not None and version is not None
    problem = case.problem
    found = improvements(
        problem,
        case.draft,
        get_solver(),
        max_changes=max_changes,
        top=MOST_IMPROVEMENTS,
        time_limit=TIME_LIMIT,
    )
    checks = improvement_uncertainty(negotiation, problem, case.draft, [i.columns for i in found])
    answer = {
        "draft_utilities": dict(zip(problem.parties, map(float, problem.utilities(case.draft)), strict=True)),
        # the demands the draft breaks: with none of its betters acceptable, it is still no efficient text
        "draft_breaks": len(broken_requirements(problem, case.draft)),
        "max_changes": max_changes if max_changes is not None and max_changes < problem.n_points else None,
        "uncertainty_declared": checks is not None,
        "improvements": [
            improvement_data(problem, i, None if checks is None else checks[n]) for n, i in enumerate(found)
        ],
    }
    return _analysed(negotiation, case, answer)


def logrolls(database: Database, viewer: Viewer, slug: str, draft: str | None = None) -> Analysed:
    """`accord logrolls --draft V --all`: two points on which two parties trade concessions so that
    both gain; the trades that leave a party below its reservation value listed apart, marked."""
    negotiation = _load(database, viewer, slug)
    version = chosen_draft(negotiation, draft, required=True)
    case = open_case(negotiation, draft=version, require_draft=True)
    assert case.draft is not None
    problem = case.problem
    found = logroll_options(problem, case.draft, top=MOST_LOGROLLS)
    answer = {
        "options": [describe_logroll(problem, t) for t in found.options],
        "rejected": [describe_logroll(problem, t) for t in found.rejected],
        "note": found.note,
    }
    return _analysed(negotiation, case, answer)


def contested(database: Database, viewer: Viewer, slug: str) -> Analysed:
    """`accord contested`: the points ranked by how far apart the parties are, in words."""
    negotiation = _load(database, viewer, slug, stances=True)
    case = open_case(negotiation)
    problem = case.problem
    version, stances = recorded_stances(negotiation)
    ranked = contested_points(problem, stances)
    names = problem.party_names
    answer = {
        "stances_on": version,
        "how": ranking_lines(version),
        "points": [
            {
                "number": problem.point_numbers[c.point],
                "title": problem.point_titles[c.point],
                "contest": c.contest,
                "spread": c.spread,
                "blocked": c.blocked,
                "red_lines": len(c.red_lines),
                "rejected_by": [names[k] for k in c.rejected_by],
                "conditional_by": [names[k] for k in c.conditional_by],
                "compromise_text": None
                if c.compromise is None
                else problem.option_texts[c.point][c.compromise - int(problem.offsets[c.point])],
                "description": describe_contested_point(problem, c, version),
            }
            for c in ranked
        ],
    }
    return _analysed(negotiation, case, answer)
