"""Where things stand: per point, every party's stance on the latest draft; per round, convergence.

The distance to the Pareto frontier of a draft is the largest gain every party could make at once
(the best post-settlement improvement, Raiffa 1985), found exactly by the engine. A draft that breaks
a demand (a red line, a link, a reservation value) has no distance: no package that keeps every demand
is compared with it, so a 0 would read as "optimal". Its round names the demands it breaks instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace
from typing import Any

from accord.domain import Draft, Negotiation, Point, StanceKind
from accord.domain.drafts import chronological
from accord.engine import compile_problem, get_solver
from accord.engine.conflicts import Requirement, broken_requirements, describe
from accord.engine.improve import improvements
from accord.engine.problem import IntArray, Problem, ReservationDemand, draft_columns
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
class BrokenDemand:
    """A demand a draft breaks, in the negotiators' words (a demand several parties hold: once)."""

    kind: str  # red_line | link | reservation
    parties: tuple[str, ...]  # the ids of the parties holding it
    party_names: tuple[str, ...]
    point: str | None  # None for a reservation value
    point_number: int | None
    point_title: str | None
    option: str | None  # the option's key (the option the draft chose that the demand refuses)
    option_text: str | None
    text: str  # the whole demand in words


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
    broken: tuple[BrokenDemand, ...] = ()  # the demands the draft breaks (then no distance: None)

    @property
    def frontier_text(self) -> str:
        """The distance to the frontier in words, or the demands the draft breaks (never a bare 0 for
        a draft no party bound by its demands could sign)."""
        if self.broken:
            return breaks_summary(self.broken)
        if self.distance_to_frontier is None:
            return "—"
        if self.distance_to_frontier <= 0:
            return "0.000 (no package gives every party more)"
        return f"{self.distance_to_frontier:.3f}"

    def data(self) -> dict[str, Any]:
        """The round for --json and the API: every field (``broken`` as objects) and ``frontier_text``."""
        return {**asdict(self), "breaks_demands": bool(self.broken), "frontier_text": self.frontier_text}


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


def breaks_summary(broken: tuple[BrokenDemand, ...]) -> str:
    """'breaks 5 demands of Ukraine and European states (E3/EU)' (each demand in words: ``text``)."""
    names: list[str] = []
    for demand in broken:
        names += [n for n in demand.party_names if n not in names]
    n = len(broken)
    holders = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"breaks {n} demand{'' if n == 1 else 's'} of {holders}"


def broken_demands(problem: Problem, columns: IntArray) -> tuple[BrokenDemand, ...]:
    """The demands a package breaks, each in words with its holders, point and option text."""
    return tuple(_broken_demand(problem, r) for r in broken_requirements(problem, columns))


def _broken_demand(problem: Problem, requirement: Requirement) -> BrokenDemand:
    first = requirement.first
    holders = requirement.holders
    point = option = text = title = None
    number = None
    if not isinstance(first, ReservationDemand):
        p = first.point
        point, number, title = problem.points[p], problem.point_numbers[p], problem.point_titles[p]
        index = first.column - int(problem.offsets[p])
        option, text = problem.options[p][index], problem.option_texts[p][index]
    return BrokenDemand(
        kind=requirement.kind,
        parties=tuple(problem.parties[h] for h in holders),
        party_names=tuple(problem.party_names[h] for h in holders),
        point=point,
        point_number=number,
        point_title=title,
        option=option,
        option_text=text,
        text=describe(problem, requirement),
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
    broken: tuple[BrokenDemand, ...] = ()
    if scored:
        utilities = {p: negotiation.preferences[p].utility(package) for p in scored}
        lowest_party = min(utilities, key=lambda p: utilities[p])
        lowest_utility = utilities[lowest_party]
        try:
            problem, partial = _problem_of(negotiation, draft)
            columns = draft_columns(problem, draft)
            broken = broken_demands(problem, columns)
            # a draft that breaks a demand is measured against nothing: no distance (see the docstring)
            found = [] if broken else improvements(problem, columns, get_solver(solver_name), top=1)
        except (DomainError, EngineError) as error:
            note = f"no distance to the frontier: {error}"
        else:
            distance = None if broken else (min(found[0].gains) if found else 0.0)
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
        broken=broken,
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
    """Stances on ``version`` (default: the newest draft put to the parties,
    Negotiation.latest_put_to_parties), and every round's convergence (``rounds``).

    The rounds run in the order the versions were made, by date (accord.domain.drafts.chronological:
    the version number breaks a tie; a version without a date follows the one numbered just below it).
    """
    parties = tuple(p.id for p in negotiation.negotiating_parties)
    draft = negotiation.draft(version) if version is not None else negotiation.latest_put_to_parties
    points = _standings(negotiation, draft, parties) if draft else ()
    convergence = (
        tuple(_round(negotiation, d, parties, solver) for d in chronological(negotiation.drafts))
        if rounds
        else ()
    )
    return Standing(negotiation, draft, parties, points, convergence)
