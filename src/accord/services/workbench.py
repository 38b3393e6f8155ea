"""The workbench's use cases, for a viewer: every read and write asks the policy first.

The web pages and the JSON API both call these functions (and nothing else), so the rules of
accord.security.policy hold the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from accord.analysis.standing import Standing, breaks_summary, broken_demands, standing_of
from accord.audit import AuditEntry, Verification
from accord.domain import (
    Choice,
    Draft,
    DraftStatus,
    Meeting,
    Negotiation,
    Paper,
    Stance,
    StanceKind,
)
from accord.domain.amendments import Amendment, find_point
from accord.domain.diff import PointDiff, diff_drafts
from accord.engine import compile_problem, get_solver, parse_concept, solve
from accord.engine.diagnose import diagnose
from accord.engine.frontier import Frontier, pareto_frontier
from accord.engine.improve import improvements
from accord.engine.problem import Problem, draft_columns
from accord.errors import AccessDenied, DomainError, NotFoundError
from accord.reports.compromise import diagnosis_data, improvement_data, outcome_data
from accord.scenario.yaml_format import to_document
from accord.security.policy import (
    Action,
    Viewer,
    allows,
    points_of,
    points_seen,
    require,
    visible,
    visible_with_stances,
)
from accord.services import audit as audit_service
from accord.services import drafts as draft_service
from accord.services import leaks as leak_service
from accord.services import party_preferences, seat_revision
from accord.services import stances as stance_service
from accord.services.sources import NO_CITATION, Citation
from accord.services.text_limits import (
    check_amendments,
    check_citation_texts,
    check_preferences,
    check_text,
    check_texts,
)
from accord.storage.accounts import Share
from accord.storage.database import Database
from accord.storage.repository import NegotiationSummary
from accord.storage.unit_of_work import reading, writing

PREFERENCE_FIELDS = (
    "weights",
    "scores",
    "score_scale",
    "red_lines",
    "reservation_value",
    "links",
    "basis",
    "uncertainty",
)


def negotiations(database: Database, viewer: Viewer) -> list[NegotiationSummary]:
    with reading(database) as uow:
        found = uow.repository.summaries()
    seated = [s for s in found if viewer.seat(s.slug) is not None]
    # a draft the seat has not received is not counted for it either
    return [replace(s, drafts=len(view(database, viewer, s.slug).negotiation.drafts)) for s in seated]


def preload(database: Database) -> None:
    """Open a connection and load every negotiation once (a server does this before it answers, so
    the first visitors wait for nothing)."""
    with reading(database) as uow:
        for found in uow.repository.summaries():
            uow.repository.load(found.slug, stances=False)


@dataclass(frozen=True)
class View:
    """A negotiation as the viewer may see it, with the revision it may read (for optimistic locking):
    the negotiation's for the mediator, the seat's own for anyone else (see
    accord.services.seat_revision; worked out only when asked for)."""

    slug: str
    negotiation: Negotiation
    read_revision: Callable[[], int] = field(repr=False, compare=False)

    @functools.cached_property
    def revision(self) -> int:
        return self.read_revision()


def view(database: Database, viewer: Viewer, slug: str, *, stances: bool = False) -> View:
    """``stances``: read the stances too (the matrix needs them; most pages do not)."""
    require(viewer, Action.SEE_NEGOTIATION, slug)  # before reading: a stranger learns nothing
    stored = draft_service.load(database, slug, stances=stances)
    seen = visible(viewer, slug, stored.negotiation)
    if allows(viewer, Action.SEE_REVISION, slug):
        return View(slug, seen, lambda: stored.revision)

    def of_seat() -> int:
        with reading(database) as uow:
            return seat_revision.of_seat(uow, viewer, slug, stored.negotiation)

    return View(slug, seen, of_seat)


def _full(database: Database, slug: str, *, stances: bool = False) -> Negotiation:
    return draft_service.load(database, slug, stances=stances).negotiation


def draft(database: Database, viewer: Viewer, slug: str, version: int) -> Draft:
    """A draft the viewer may see; one it may not see is, for it, one that does not exist (the same
    NotFoundError, naming only the versions it sees)."""
    return view(database, viewer, slug).negotiation.draft(version)


def diff(database: Database, viewer: Viewer, slug: str, a: int, b: int) -> list[PointDiff]:
    seen = view(database, viewer, slug).negotiation
    return diff_drafts(seen, seen.draft(a), seen.draft(b))


def amend(
    database: Database,
    viewer: Viewer,
    slug: str,
    amendments: Sequence[Amendment],
    *,
    base: int | None = None,
    label: str | None = None,
    title: str | None = None,
    expected_revision: int | None = None,
) -> Draft:
    require(viewer, Action.AMEND_DRAFT, slug)
    check_amendments(amendments)
    check_texts([("label", label, "name"), ("title", title, "title")])
    return draft_service.new_draft(
        database,
        slug,
        amendments,
        actor=_actor(viewer),
        base=base,
        label=label,
        title=title,
        expected_revision=expected_revision,
    )


def record_received(
    database: Database,
    viewer: Viewer,
    slug: str,
    choices: Sequence[tuple[str, Choice]],
    *,
    author: str,
    title: str | None = None,
    label: str | None = None,
    date: dt.date | None = None,
    note: str | None = None,
    expected_revision: int | None = None,
) -> Draft:
    """A party's counter-text as version n+1, its choice on every point (the mediator's work, as
    amending is: accord.security.policy)."""
    require(viewer, Action.RECORD_DRAFT, slug)
    check_texts([("label", label, "name"), ("title", title, "title"), ("note", note, "note")])
    for index, (point, choice) in enumerate(choices):
        at = f"choices[{index}]"  # by place, never by what was typed (it may be the text too long)
        check_texts(
            [
                (f"{at}.point", point, "name"),
                (f"{at}.option", choice.option, "name"),
                (f"{at}.text", choice.text, "text"),
            ]
        )
    return draft_service.record_received(
        database,
        slug,
        choices,
        actor=_actor(viewer),
        author=author,
        title=title,
        label=label,
        date=date,
        note=note,
        expected_revision=expected_revision,
    )


def circulate(
    database: Database,
    viewer: Viewer,
    slug: str,
    version: int,
    recipients: Sequence[str],
    *,
    date: dt.date | None = None,
    expected_revision: int | None = None,
) -> Draft:
    require(viewer, Action.CIRCULATE_DRAFT, slug)
    return draft_service.circulate(
        database,
        slug,
        version,
        recipients,
        actor=_actor(viewer),
        date=date,
        expected_revision=expected_revision,
    )


def set_draft_status(
    database: Database, viewer: Viewer, slug: str, version: int, status: DraftStatus
) -> Draft:
    require(viewer, Action.CIRCULATE_DRAFT, slug)
    return draft_service.set_status(database, slug, version, status, actor=_actor(viewer))


def set_stance(
    database: Database,
    viewer: Viewer,
    slug: str,
    *,
    party: str,
    point: str,
    stance: StanceKind,
    version: int,
    note: str | None = None,
    as_of: dt.date | None = None,
    citation: Citation = NO_CITATION,
    expected_revision: int | None = None,
) -> Stance:
    """``citation``: where the stance comes from (stored sources, or a new one stored with it)."""
    seen = view(database, viewer, slug).negotiation
    target = seen.draft(version)  # a draft the viewer may not see: as if it did not exist
    require(viewer, Action.SET_STANCE, slug, party=party, draft=target)
    check_text("note", note, "note")
    check_citation_texts(citation)
    expected, check = seat_revision.expectation(viewer, slug, expected_revision)
    return stance_service.set_stance(
        database,
        slug,
        party=party,
        point=find_point(seen, point).id,  # a point the viewer may not see: as if it did not exist
        stance=stance,
        version=version,
        note=note,
        as_of=as_of,
        citation=citation,
        actor=_actor(viewer),
        expected_revision=expected,
        check=check,
    )


def correct_stance(
    database: Database,
    viewer: Viewer,
    slug: str,
    *,
    party: str,
    point: str,
    version: int,
    reason: str | None,
    stance: StanceKind | None = None,
    note: str | None = None,
    as_of: dt.date | None = None,
    expected_revision: int | None = None,
) -> Stance:
    """Correct a party's current stance (a new entry superseding it, with the reason): the mediator,
    or the party's own member on a draft circulated to it."""
    seen = view(database, viewer, slug).negotiation
    target = seen.draft(version)  # a draft the viewer may not see: as if it did not exist
    require(viewer, Action.CORRECT_STANCE, slug, party=party, draft=target)
    check_texts([("note", note, "note"), ("reason", reason, "note")])
    expected, check = seat_revision.expectation(viewer, slug, expected_revision)
    return stance_service.correct_stance(
        database,
        slug,
        party=party,
        point=find_point(seen, point).id,
        version=version,
        reason=reason,
        stance=stance,
        note=note,
        as_of=as_of,
        actor=_actor(viewer),
        expected_revision=expected,
        check=check,
    )


def withdraw_stance(
    database: Database,
    viewer: Viewer,
    slug: str,
    *,
    party: str,
    point: str,
    version: int,
    reason: str | None,
    expected_revision: int | None = None,
) -> Stance:
    """Withdraw a party's current stance (it holds none from now on; the reason is kept): the
    mediator, or the party's own member on a draft circulated to it."""
    seen = view(database, viewer, slug).negotiation
    target = seen.draft(version)
    require(viewer, Action.CORRECT_STANCE, slug, party=party, draft=target)
    check_text("reason", reason, "note")
    expected, check = seat_revision.expectation(viewer, slug, expected_revision)
    return stance_service.withdraw_stance(
        database,
        slug,
        party=party,
        point=find_point(seen, point).id,
        version=version,
        reason=reason,
        actor=_actor(viewer),
        expected_revision=expected,
        check=check,
    )


def matrix(database: Database, viewer: Viewer, slug: str, version: int | None = None) -> Standing:
    """Stances per point of a draft the viewer may see: its own party's column, or all for the mediator."""
    require(viewer, Action.SEE_NEGOTIATION, slug)
    with reading(database) as uow:
        stored = uow.repository.load(slug, stances=False)
        seen = visible(viewer, slug, stored.negotiation)
        target = seen.draft(version) if version is not None else seen.latest_put_to_parties
        if version is not None and target is None:
            draft(database, viewer, slug, version)
        # only the current stances on the one draft shown, not the whole history
        current = uow.repository.current_stances(slug, target.version) if target else []
    with_stances = visible_with_stances(viewer, slug, stored.negotiation, current)
    return standing_of(with_stances, version=target.version if target else None, rounds=False)


def preferences(database: Database, viewer: Viewer, slug: str, party: str) -> dict[str, Any]:
    """The party's preferences as a scenario fragment (weights, scores, red lines, ...)."""
    require(viewer, Action.SEE_PREFERENCES, slug, party=party)
    full = _full(database, slug)
    document = to_document(full)
    if party not in document["parties"]:
        raise NotFoundError(f"negotiation {slug!r} has no party {party!r}")
    # on the points the viewer sees only (not a point added in a draft the party never received)
    fragment = party_preferences.shown(document["parties"][party], points_seen(viewer, slug, full))
    return {k: fragment[k] for k in PREFERENCE_FIELDS if k in fragment}


def update_preferences(
    database: Database,
    viewer: Viewer,
    slug: str,
    party: str,
    fragment: dict[str, Any],
    *,
    expected_revision: int | None = None,
) -> dict[str, Any]:
    """Change the party's preferences: each field given (weights, scores, red_lines, ...) replaces the old
    one, fields left out keep their values. The whole negotiation is validated as a file would be, and
    every problem comes back with its field path (``parties.ukraine.weights.territory``); a party's
    member is told only of problems in that party's preferences, on the points it sees (see
    accord.services.party_preferences)."""
    require(viewer, Action.EDIT_PREFERENCES, slug, party=party)
    check_preferences(party, fragment, file=f"preferences of {party}")
    unknown = sorted(set(fragment) - set(PREFERENCE_FIELDS))
    if unknown:
        raise DomainError(
            f"unknown preference field(s): {', '.join(unknown)}; expected {', '.join(PREFERENCE_FIELDS)}"
        )
    with writing(database, _actor(viewer)) as uow:
        negotiation = uow.repository.load(slug, stances=False).negotiation
        document = to_document(negotiation)
        if party not in document["parties"]:
            raise NotFoundError(f"negotiation {slug!r} has no party {party!r}")
        updated = party_preferences.checked(
            document, party, fragment, points_seen(viewer, slug, negotiation), file=f"preferences of {party}"
        )
        before = uow.repository.state_digest(slug)
        expected, check = seat_revision.expectation(viewer, slug, expected_revision)
        if check is not None:
            check(uow)
        uow.repository.claim(slug, expected)
        uow.repository.set_framework(slug, updated)
        # the audit log says that preferences changed, never what they are (they are private)
        uow.record("preferences.update", slug, f"preferences of {party} updated", before, {"party": party})
    return preferences(database, viewer, slug, party)


@dataclass(frozen=True)
class Exploration:
    problem: Problem
    concept: str
    result: dict[str, Any]
    frontier: Frontier | None


def explore(
    database: Database, viewer: Viewer, slug: str, concept: str, *, with_frontier: bool = False
) -> Exploration:
    """The mediator's compromise explorer: a concept's package, or the diagnosis when no deal exists,
    and the improvements of the newest draft."""
    require(viewer, Action.ANALYSE, slug)
    return explore_negotiation(_full(database, slug), concept, with_frontier=with_frontier)


def for_exploring(database: Database, viewer: Viewer, slug: str) -> Negotiation:
    """The whole negotiation the explorer works on, once the policy lets the viewer analyse it (a
    long solve reads it here, then solves in the job process: explore_negotiation)."""
    require(viewer, Action.ANALYSE, slug)
    return _full(database, slug)


def explore_negotiation(
    negotiation: Negotiation, concept: str, *, with_frontier: bool = False
) -> Exploration:
    """The explorer's answer for a negotiation read with for_exploring (no I/O here)."""
    chosen = parse_concept(concept)
    problem = compile_problem(negotiation)
    solver = get_solver()
    outcome = solve(problem, chosen, solver=solver, time_limit=20.0)
    result: dict[str, Any] = {"concept": chosen.value, "outcome": outcome_data(problem, outcome)}
    result["diagnosis"] = (
        diagnosis_data(problem, diagnose(problem, solver)) if not outcome.solutions else None
    )
    latest = negotiation.latest_draft
    result["draft"] = None
    result["improvements"] = []
    if latest is not None:
        try:
            columns = draft_columns(problem, latest)
        except DomainError as error:
            result["draft_note"] = str(error)
        else:
            broken = broken_demands(problem, columns)
            result["draft"] = {
                "version": latest.version,
                "utilities": dict(zip(problem.parties, map(float, problem.utilities(columns)), strict=True)),
                # the demands the draft breaks, in words (why no improvement may be found)
                "breaks": [d.text for d in broken],
                "breaks_text": breaks_summary(broken) if broken else None,
            }
            result["improvements"] = [
                improvement_data(problem, i)
                for i in improvements(problem, columns, solver, top=3, time_limit=10.0)
            ]
    frontier = pareto_frontier(problem, cap=400) if with_frontier else None
    return Exploration(problem, chosen.value, result, frontier)


def share(database: Database, viewer: Viewer, slug: str, party: str, concept: str) -> Share:
    """Hand a party the package a concept proposes, with that party's own utility only."""
    require(viewer, Action.SHARE, slug)
    negotiation = _full(database, slug)
    if negotiation.party(party).role.value != "party":
        raise DomainError(f"{party!r} is not a party; results are shared with parties")
    found = explore(database, viewer, slug, concept)
    best = found.result["outcome"]["solutions"][:1]
    if not best:
        raise DomainError(f"{concept} finds no package every party can accept: nothing to share")
    content = {
        "concept": found.concept,
        # only the points the party may see: not one added in a draft it never received
        "package": _package_on(best[0]["package"], points_of(negotiation, party)),
        "your_utility": best[0]["utilities"].get(party),
    }
    title = f"{found.concept} package"
    with writing(database, _actor(viewer)) as uow:
        before = uow.repository.state_digest(slug)
        uow.repository.claim(slug, None)
        uow.accounts.add_share(uow.repository.id_of(slug), party, title, content, uow.now, _actor(viewer))
        uow.record(
            "analysis.share",
            slug,
            f"{title} shared with {party}",
            before,
            {"party": party, "concept": concept},
        )
    return shared(database, viewer, slug, party)[-1]


def shared(database: Database, viewer: Viewer, slug: str, party: str) -> list[Share]:
    require(viewer, Action.SEE_SHARED, slug, party=party)
    with reading(database) as uow:
        found = uow.accounts.shares(uow.repository.id_of(slug), party)
    seen = points_seen(viewer, slug, _full(database, slug))
    if seen is None:
        return found
    # what was shared before a point's draft reached the party names no such point
    return [
        replace(s, content={**s.content, "package": _package_on(s.content.get("package"), seen)})
        for s in found
    ]


def _package_on(package: Any, points: frozenset[str]) -> Any:
    if not isinstance(package, list):
        return package
    return [row for row in package if not isinstance(row, dict) or row.get("point") in points]


def meetings(database: Database, viewer: Viewer, slug: str) -> tuple[tuple[Meeting, ...], tuple[Paper, ...]]:
    seen = view(database, viewer, slug).negotiation
    return tuple(sorted(seen.meetings, key=lambda m: m.sort_key)), seen.papers


def copy_for(
    database: Database,
    viewer: Viewer,
    slug: str,
    version: int,
    fmt: str,
    path: Path,
    recipient: str | None = None,
) -> str:
    """A fingerprinted copy of a draft, registered: a party's member gets its own party's copy (of a
    draft circulated to it); the mediator may make one for any recipient; an observer none, even on a
    party's seat (a copy is registered as the party's). Returns the recipient."""
    target = draft(database, viewer, slug, version)  # the policy: only drafts the viewer may see
    seat = viewer.seat(slug)
    assert seat is not None
    if seat.role.value == "mediator":
        who = recipient or "mediator"
        if recipient is None:
            raise DomainError("the mediator names the recipient of a copy (for=PARTY)")
    else:
        require(viewer, Action.TAKE_COPY, slug, party=seat.party, draft=target)
        assert seat.party is not None
        if recipient not in (None, seat.party):
            raise AccessDenied(f"{viewer.username} may only take {seat.party}'s own copy")
        who = seat.party
    leak_service.export_copy(database, slug, target.version, who, fmt, path, actor=_actor(viewer))
    return who


def audit_log(database: Database, viewer: Viewer, slug: str) -> list[AuditEntry]:
    require(viewer, Action.SEE_AUDIT, slug)
    with reading(database) as uow:
        return uow.audit.entries(slug)


def audit_check(database: Database, viewer: Viewer, slug: str) -> Verification:
    """Whether the chain and the negotiation's stored record verify, told only as far as they concern
    this negotiation: the chain is shared, but another negotiation's name, activity or tamper state is
    not its mediator's to know (the database's owner runs `accord audit verify`)."""
    require(viewer, Action.SEE_AUDIT, slug)
    return audit_service.check_negotiation(database, slug)


def convergence(database: Database, viewer: Viewer, slug: str) -> Standing:
    """Utilities and distances per round: the mediator's analysis."""
    require(viewer, Action.ANALYSE, slug)
    return standing_of(_full(database, slug, stances=True))


def _actor(viewer: Viewer) -> str:
    assert viewer.username is not None
    return viewer.username
