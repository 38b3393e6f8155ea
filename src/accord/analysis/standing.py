"""Where things stand: per point, every party's stance on the latest draft; per round, convergence.

The distance to the Pareto frontier of a draft is the largest gain every party could make at once
(the best post-settlement improvement, Raiffa 1985), found exactly by the engine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from accord.domain import Draft, Negotiation, Point, StanceKind
from accord.domain.drafts import chronological
from accord.engine import compile_problem, get_solver
from accord.engine.improve import improvements
from accord.engine.problem import Problem, ReservationDemand, draft_columns
from accord.errors import DomainError, EngineError


@dataclass(frozen=True)
class PointStanding:
    point: str
    number: int
    title: str
    stances: dict[str, StanceKind | None]  # party -> its latest stance on this draft (None: no answer)

    @property
    def accepted_by_all(self) -> bool:
        return all(s is StanceKind.ACCEPT for s in self.stances.values())

    @property
    def contested(self) -> bool:
        return any(s in (StanceKind.REJECT, StanceKind.CONDITIONAL) for s in self.stances.values())


@dataclass(frozen=True)
class Round:
    """One version of the text, seen from the parties."""

    version: int
    status: str
    points: int
    accepted_by_all: int
    answered: int  # points on which every party has answered
    lowest_utility: float | None  # the worst-off party's utility of the draft's package
    lowest_party: str | None
    distance_to_frontier: float | None  # how much every party could gain at once; None: not computable
    note: str | None  # why a figure is missing
    date: dt.date | None = None  # the version's date (rounds run in date order: domain.drafts.chronological)


@dataclass(frozen=True)
class Standing:
    negotiation: Negotiation
    draft: Draft | None
    parties: tuple[str, ...]
    points: tuple[PointStanding, ...]
    rounds: tuple[Round, ...]

    @property
    def agreed(self) -> tuple[PointStanding, ...]:
        return tuple(p for p in self.points if p.accepted_by_all)

    @property
    def contested(self) -> tuple[PointStanding, ...]:
        return tuple(p for p in self.points if p.contested)

    @property
    def weightless(self) -> tuple[Point, ...]:
        """The points an amendment added that weigh nothing for any party: an amendment gives a new point
        weight 0 for everyone (accord.domain.amendments), so until the estimates are updated no analysis
        trades on it."""
        preferences = [
            self.negotiation.preferences[p] for p in self.parties if p in self.negotiation.preferences
        ]
        return tuple(
            point
            for point in sorted(self.negotiation.points, key=lambda p: p.number)
            if point.added_in is not None and all(not prefs.weights.get(point.id) for prefs in preferences)
        )


def _standings(negotiation: Negotiation, draft: Draft, parties: tuple[str, ...]) -> tuple[PointStanding, ...]:
    latest = {(s.party, s.point): s.stance for s in negotiation.stances_on(draft.version)}
    result = []
    for point in sorted(negotiation.points, key=lambda p: p.number):
        if point.id not in draft.choices:
            continue
        result.append(
            PointStanding(
                point.id,
                point.number,
                point.title,
                {party: latest.get((party, point.id)) for party in parties},
            )
        )
    return tuple(result)


def _round(negotiation: Negotiation, draft: Draft, parties: tuple[str, ...], solver_name: str) -> Round:
    standings = _standings(negotiation, draft, parties)
    package = draft.package()
    scored = [p for p in parties if p in negotiation.preferences]
    lowest_utility = lowest_party = distance = None
    note = None
    if scored:
        utilities = {p: negotiation.preferences[p].utility(package) for p in scored}
        lowest_party = min(utilities, key=lambda p: utilities[p])
        lowest_utility = utilities[lowest_party]
        try:
            problem, partial = _problem_of(negotiation, draft)
            columns = draft_columns(problem, draft)
            found = improvements(problem, columns, get_solver(solver_name), top=1)
        except (DomainError, EngineError) as error:
            note = f"no distance to the frontier: {error}"
        else:
            distance = min(found[0].gains) if found else 0.0
            if partial:
                note = (
                    f"distance over the {problem.n_points} points the draft settles by an option "
                    "(reservation values, defined on whole packages, not applied)"
                )
    else:
        note = "no party has preferences: no utilities"
    return Round(
        version=draft.version,
        status=draft.status.value,
        points=len(standings),
        accepted_by_all=sum(1 for s in standings if s.accepted_by_all),
        answered=sum(1 for s in standings if all(v is not None for v in s.stances.values())),
        lowest_utility=lowest_utility,
        lowest_party=lowest_party,
        distance_to_frontier=max(distance, 0.0) if distance is not None else None,
        note=note,
        date=draft.date,
    )


def _problem_of(negotiation: Negotiation, draft: Draft) -> tuple[Problem, bool]:
    """The engine's problem for a draft; a draft that leaves points open (text, dropped, added later)
    is measured on the points it settles by an option, with the demands among those points."""
    settled = set(draft.package())
    open_points = [p.id for p in negotiation.points if p.id not in settled]
    if not open_points:
        return compile_problem(negotiation), False
    # a point no party weighs or names in a demand (one added after this draft, say) changes nothing
    partial = any(_matters(negotiation, point) for point in open_points)
    preferences = {
        party: replace(
            prefs,
            red_lines=tuple(r for r in prefs.red_lines if r.point in settled),
            links=tuple(k for k in prefs.links if k.point in settled and k.requires_point in settled),
        )
        for party, prefs in negotiation.preferences.items()
    }
    narrowed = replace(
        negotiation, points=tuple(p for p in negotiation.points if p.id in settled), preferences=preferences
    )
    problem = compile_problem(narrowed)
    if not partial:
        return problem, False
    return problem.without(ReservationDemand(i) for i in range(problem.n_parties)), True


def _matters(negotiation: Negotiation, point: str) -> bool:
    for prefs in negotiation.preferences.values():
        if prefs.weights.get(point, 0.0) > 0 or any(r.point == point for r in prefs.red_lines):
            return True
        if any(point in (k.point, k.requires_point) for k in prefs.links):
            return True
    return False


def standing_of(
    negotiation: Negotiation, *, version: int | None = None, solver: str = "highs", rounds: bool = True
) -> Standing:
    """Stances on ``version`` (default: the newest draft), and every round's convergence (``rounds``).

    The rounds run in the order the versions were made, by date (accord.domain.drafts.chronological:
    the version number breaks a tie; a version without a date follows the one numbered just below it).
    """
    parties = tuple(p.id for p in negotiation.negotiating_parties)
    draft = negotiation.draft(version) if version is not None else negotiation.latest_draft
    points = _standings(negotiation, draft, parties) if draft else ()
    convergence = (
        tuple(_round(negotiation, d, parties, solver) for d in chronological(negotiation.drafts))
        if rounds
        else ()
    )
    return Standing(negotiation, draft, parties, points, convergence)
