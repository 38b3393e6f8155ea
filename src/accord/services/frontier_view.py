"""The mediator's frontier in the browser: the Pareto frontier with the concepts' packages and the
latest draft marked, and any package of it compared with the latest draft, point by point.

Under the same policy as the compromise explorer (Action.ANALYSE: the mediator's). A package comes
from a page's link as ``point key -> option key`` for every point; a mistake in it (a point missing,
an option that does not exist) is a DomainError naming the point and the options there are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from accord.analysis.standing import breaks_summary, broken_demands
from accord.domain import Draft
from accord.domain.drafts import chronological
from accord.engine import Concept, compile_problem, get_solver, solve
from accord.engine.frontier import Frontier, pareto_frontier
from accord.engine.problem import Problem, draft_columns
from accord.errors import DomainError
from accord.reports.charts import concept_label, draft_label
from accord.security.policy import Action, Viewer, require
from accord.services import drafts as draft_service
from accord.storage.database import Database

CAP = 400  # frontier packages a page shows: enough to see its shape, light enough to hover
MARKED = (Concept.NASH, Concept.KALAI_SMORODINSKY, Concept.EGALITARIAN, Concept.UTILITARIAN)


@dataclass(frozen=True)
class Marked:
    """A package marked on the frontier: a concept's choice or the latest draft."""

    name: str
    utilities: tuple[float, ...]
    columns: tuple[int, ...]
    draft: bool = False  # the latest draft: shown for comparison, never as one of the frontier's packages
    breaks: int = 0  # the demands it breaks (a concept's package breaks none)
    breaks_text: str | None = None  # 'breaks 5 demands of Russian Federation'


@dataclass(frozen=True)
class FrontierView:
    problem: Problem
    frontier: Frontier
    marks: tuple[Marked, ...]
    draft_note: str | None  # why the latest draft is not marked (no draft, or a point without option)


def _latest(problem: Problem, drafts: list[Draft]) -> tuple[Draft | None, tuple[int, ...] | None, str | None]:
    """The latest draft (by date), its package, or why it has none."""
    if not drafts:
        return None, None, "no draft yet"
    latest = chronological(drafts)[-1]
    try:
        return latest, tuple(int(c) for c in draft_columns(problem, latest)), None
    except DomainError as error:
        return latest, None, str(error)


def frontier_view(database: Database, viewer: Viewer, slug: str) -> FrontierView:
    """The frontier (at most :data:`CAP` packages), each concept's package, and the latest draft."""
    require(viewer, Action.ANALYSE, slug)
    negotiation = draft_service.load(database, slug).negotiation
    problem = compile_problem(negotiation)
    frontier = pareto_frontier(problem, cap=CAP)
    solver = get_solver()
    marks: list[Marked] = []
    for concept in MARKED:
        best = solve(problem, concept, solver=solver, time_limit=10.0).best
        if best is not None:
            marks.append(Marked(concept_label(concept.value), best.utilities, best.columns))
    latest, columns, note = _latest(problem, list(negotiation.drafts))
    if latest is not None and columns is not None:
        utilities = tuple(float(u) for u in problem.utilities(columns))
        broken = broken_demands(problem, problem.columns(problem.package(columns)))
        summary = breaks_summary(broken) if broken else None
        name = draft_label(latest.version, latest.label)
        marks.append(Marked(name, utilities, columns, draft=True, breaks=len(broken), breaks_text=summary))
    return FrontierView(problem, frontier, tuple(marks), note)


@dataclass(frozen=True)
class ComparedPoint:
    number: int
    title: str
    chosen: str  # the chosen package's option, in words
    draft: str | None  # the latest draft's option (None: the draft says nothing there)
    same: bool


@dataclass(frozen=True)
class ComparedParty:
    name: str
    chosen: float
    draft: float | None
    reservation: float


@dataclass(frozen=True)
class Comparison:
    points: tuple[ComparedPoint, ...]
    parties: tuple[ComparedParty, ...]
    draft: str | None  # 'draft 3 (Geneva text)', or None when there is no draft
    draft_note: str | None  # why the draft has no utilities (a point without an option)
    chosen_breaks: tuple[str, ...]  # the demands the chosen package breaks, in words
    chosen_breaks_text: str | None
    draft_breaks: tuple[str, ...]
    draft_breaks_text: str | None
    changed: int  # points on which the two differ


def chosen_columns(problem: Problem, chosen: Mapping[str, str]) -> tuple[int, ...]:
    """The package named in a link (point key -> option key), checked against the framework."""
    unknown = sorted(set(chosen) - set(problem.points))
    if unknown:
        raise DomainError(
            f"the package names point(s) {', '.join(map(repr, unknown))} the framework does not have; "
            f"its points are {', '.join(problem.points)}"
        )
    for p, point in enumerate(problem.points):
        if point not in chosen:
            raise DomainError(f"the package has no option for point {point!r} ({problem.point_titles[p]})")
        if chosen[point] not in problem.options[p]:
            raise DomainError(
                f"point {point!r} ({problem.point_titles[p]}) has no option {chosen[point]!r}; "
                f"expected one of {', '.join(problem.options[p])}"
            )
    return tuple(int(c) for c in problem.columns(chosen))


def compare_with_latest(
    database: Database, viewer: Viewer, slug: str, chosen: Mapping[str, str]
) -> Comparison:
    """The chosen package beside the latest draft: each point's two options, each party's two
    utilities, and the demands each breaks."""
    require(viewer, Action.ANALYSE, slug)
    negotiation = draft_service.load(database, slug).negotiation
    problem = compile_problem(negotiation)
    columns = chosen_columns(problem, chosen)
    latest, draft_cols, note = _latest(problem, list(negotiation.drafts))
    offsets = problem.offsets
    points = []
    for p, column in enumerate(columns):
        text = problem.option_texts[p][column - int(offsets[p])]
        choice = latest.choices.get(problem.points[p]) if latest is not None else None
        other = None
        if choice is not None and choice.option is not None and choice.option in problem.options[p]:
            other = problem.option_texts[p][problem.options[p].index(choice.option)]
        points.append(
            ComparedPoint(problem.point_numbers[p], problem.point_titles[p], text, other, other == text)
        )
    mine = problem.utilities(columns)
    theirs = problem.utilities(draft_cols) if draft_cols is not None else None
    parties = tuple(
        ComparedParty(
            name,
            float(mine[i]),
            float(theirs[i]) if theirs is not None else None,
            float(problem.reservation[i]),
        )
        for i, name in enumerate(problem.party_names)
    )
    chosen_broken = broken_demands(problem, problem.columns(chosen))
    draft_broken = broken_demands(problem, problem.columns(problem.package(draft_cols))) if draft_cols else ()
    return Comparison(
        points=tuple(points),
        parties=parties,
        draft=draft_label(latest.version, latest.label) if latest is not None else None,
        draft_note=note if latest is not None else None,
        chosen_breaks=tuple(d.text for d in chosen_broken),
        chosen_breaks_text=breaks_summary(chosen_broken) if chosen_broken else None,
        draft_breaks=tuple(d.text for d in draft_broken),
        draft_breaks_text=breaks_summary(draft_broken) if draft_broken else None,
        changed=sum(1 for p in points if not p.same),
    )
