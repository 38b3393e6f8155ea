"""The briefing a mediator hands to a principal (issue 15): for the mediator, or for one party.

One use case for the command line and the web. The record (a scenario file, or a stored negotiation)
is cut to the day asked for (accord.domain.as_of), then to what the reader may see by the policy
module (accord.security.policy.visible): a party's briefing is written from that party's view alone
(its own preferences, the drafts it received, the analyses the mediator shared with it), so no other
party's secret can reach it. The mediator's briefing adds the engine's analyses, and the robustness
of each package under the declared uncertainty (which, once an estimate from the evidence is adopted
with `accord estimate --write`, is the posterior's).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.analysis.timeline import Entry, build
from accord.domain import Negotiation
from accord.domain.as_of import last_dated, record_as_of
from accord.domain.negotiation import listing
from accord.errors import AccessDenied, DomainError, EngineError, NotFoundError
from accord.reports import brief_mediator, brief_party, brief_words
from accord.reports.briefing import Briefing
from accord.security.policy import Action, Seat, SeatRole, Viewer, allows, require, visible
from accord.storage.database import Database

CONCEPTS = ("nash", "kalai-smorodinsky", "egalitarian", "utilitarian")
SAMPLES = 2000  # robustness samples: the acceptance of a package to within about one point


@dataclass(frozen=True)
class Request:
    """``party``: the party the briefing is for (id or name; None: the mediator)."""

    party: str | None = None
    as_of: dt.date | None = None
    since: dt.date | None = None
    samples: int = SAMPLES
    seed: int = 0

    def __post_init__(self) -> None:
        if self.as_of is not None and self.since is not None and self.since > self.as_of:
            raise DomainError(
                f"--since: {self.since.isoformat()} is after the as-of day {self.as_of.isoformat()}"
            )


def of_file(path: Path, request: Request) -> Briefing:
    from accord.scenario import load

    negotiation = load(path)
    slug = negotiation.id
    party = _party_id(negotiation, request.party)
    if party is None:
        revision = "file " + hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        as_of = request.as_of or _last_day(negotiation)
        cut = record_as_of(negotiation, as_of).negotiation
        return _for_mediator(cut, build(cut), revision, as_of, request)
    reader = _seat_of(slug, party)
    # the day and the fingerprint are the party's view's: a later text it never received, or a change
    # to another party's preferences, must not show in them
    view = visible(reader, slug, negotiation)
    revision = "view " + hashlib.sha256(repr(view).encode()).hexdigest()[:12]
    as_of = request.as_of or _last_day(view)
    seen = visible(reader, slug, record_as_of(negotiation, as_of).negotiation)
    return _for_party(seen, party, build(seen), (), revision, as_of, request)


def of_record(database: Database, viewer: Viewer, slug: str | None, request: Request) -> Briefing:
    """The viewer's briefing: the mediator's (or, asked, a party's, as that party would read it); a
    party's seat gets its own party's, and asking for another party's is refused."""
    from accord.services import drafts as draft_service
    from accord.services import seat_revision
    from accord.services.timeline import entries_of
    from accord.services.workbench import shared
    from accord.storage.unit_of_work import reading

    with reading(database) as uow:
        name = slug or uow.repository.default_slug()
    require(viewer, Action.SEE_NEGOTIATION, name)
    stored = draft_service.load(database, name)
    seat = viewer.seat(name)
    assert seat is not None
    party = _party_id(stored.negotiation, request.party)
    if seat.role is not SeatRole.MEDIATOR:
        if request.party is not None and party is None:
            raise AccessDenied("the mediator's briefing is the mediator's: a party's seat reads its own")
        if party is not None and party != seat.party:
            raise AccessDenied("a party's seat reads its own party's briefing only")
        if seat.role is not SeatRole.MEMBER or seat.party is None:
            raise AccessDenied("an observer's seat has no briefing: ask the mediator")
        party = seat.party
        require(viewer, Action.SEE_BRIEFING, name, party=party)
    if party is None:
        require(viewer, Action.ANALYSE, name)
        as_of = request.as_of or _last_day(stored.negotiation)
        cut = record_as_of(stored.negotiation, as_of).negotiation
        entries = [e for e in entries_of(stored, cut) if e.day is None or e.day <= as_of]
        return _for_mediator(cut, entries, str(stored.revision), as_of, request)
    reader = _seat_of(name, party, viewer.username or "briefing")
    given = [(s, _day_of(s.shared_at)) for s in shared(database, reader, name, party)]
    # by default, the latest day of what the party may see: of its view of the record (a later text it
    # never received must not show) and of the analyses shared with it (recorded on the day they were
    # shared), so that nothing it has been given falls outside its briefing
    as_of = request.as_of or _last_day(
        visible(reader, name, stored.negotiation), (day for _, day in given if day is not None)
    )
    seen = visible(reader, name, record_as_of(stored.negotiation, as_of).negotiation)
    with reading(database) as uow:
        revision = str(seat_revision.of_seat(uow, reader, name, stored.negotiation))
    entries = [e for e in entries_of(stored, seen) if e.day is None or e.day <= as_of]
    packages = tuple(
        brief_party.SharedPackage(
            str(s.content.get("concept", s.title)), _package_of(s.content.get("package")), s.shared_at[:10]
        )
        for s, day in given
        if day is None or day <= as_of
    )
    return _for_party(seen, party, entries, packages, revision, as_of, request)


def _day_of(stamp: str) -> dt.date | None:
    """The day of a recorded time (ISO 8601, as the store writes it); None when it is not one."""
    try:
        return dt.date.fromisoformat(stamp[:10])
    except ValueError:
        return None


def _package_of(package: Any) -> dict[str, str]:
    if isinstance(package, dict):
        return {str(k): str(v) for k, v in package.items()}
    if isinstance(package, list):
        return {str(p["point"]): str(p["option"]) for p in package if isinstance(p, dict) and "option" in p}
    return {}


def _seat_of(slug: str, party: str, username: str = "briefing") -> Viewer:
    return Viewer(username, username, {slug: Seat(SeatRole.MEMBER, party)})


def _party_id(negotiation: Negotiation, name: str | None) -> str | None:
    """A party named by id or by name (any case); "mediator" or None: the mediator."""
    from accord.analysis.timeline import party_named

    if name is None or name.strip().lower() == "mediator":
        return None
    known = listing((p.id, p.name) for p in negotiation.negotiating_parties)
    try:
        found = party_named(negotiation, name, "--for")
    except NotFoundError:
        raise NotFoundError(f"--for: no party {name!r}; expected mediator or one of: {known}") from None
    if all(p.id != found for p in negotiation.negotiating_parties):
        raise DomainError(f"--for: {name!r} does not negotiate; expected mediator or one of: {known}")
    return found


def _last_day(negotiation: Negotiation, also: Iterable[dt.date] = ()) -> dt.date:
    """The day of the latest dated fact on record, or of ``also`` (the days the analyses shown were
    shared), whichever is later: so the same record gives the same briefing, and nothing recorded falls
    outside it; today when nothing is dated."""
    days = [d for d in (last_dated(negotiation), *also) if d is not None]
    return max(days) if days else dt.date.today()


def _warnings(negotiation: Negotiation, parties: Sequence[str]) -> tuple[str, ...]:
    found = []
    for party in parties:
        prefs = negotiation.preferences.get(party)
        if prefs is None:
            continue
        basis = (prefs.basis or "").lower()
        if not basis or any(
            word in basis for word in ("illustrative", "estimate", "fictional", "demonstration")
        ):
            found.append(party)
    if not found:
        return ()
    names = [next(p.name for p in negotiation.parties if p.id == q) for q in found]
    said = {negotiation.preferences[q].basis for q in found if negotiation.preferences[q].basis}
    basis = f" (“{'; '.join(sorted(s for s in said if s))}”)" if said else ""
    return (
        "The preferences of "
        + brief_words.listing(names)
        + f" are illustrative estimates{basis}, not positions the parties declared: every utility, "
        "probability and package below follows from those estimates, and is no better than they are.",
    )


def _for_mediator(
    negotiation: Negotiation, entries: Sequence[Entry], revision: str, as_of: dt.date, request: Request
) -> Briefing:
    analyses = analyse(negotiation, entries, samples=request.samples, seed=request.seed)
    parties = [p.id for p in negotiation.negotiating_parties]
    return Briefing(
        negotiation.title,
        "the mediator",
        None,
        as_of,
        revision,
        _warnings(negotiation, parties),
        brief_mediator.mediator(negotiation, analyses, as_of=as_of, since=request.since),
        request.since,
    )


def _for_party(
    seen: Negotiation,
    party: str,
    entries: Sequence[Entry],
    shared: Sequence[brief_party.SharedPackage],
    revision: str,
    as_of: dt.date,
    request: Request,
) -> Briefing:
    name = next(p.name for p in seen.parties if p.id == party)
    return Briefing(
        seen.title,
        name,
        party,
        as_of,
        revision,
        _warnings(seen, [party]),
        brief_party.party(seen, party, entries=entries, shared=shared, as_of=as_of, since=request.since),
        request.since,
    )


def analyse(
    negotiation: Negotiation, entries: Sequence[Entry], *, samples: int, seed: int
) -> brief_mediator.Analyses:
    """The engine's analyses of the latest draft put to the parties (the newest circulated, agreed or
    answered: Negotiation.latest_put_to_parties), for the mediator's briefing. A newer text the
    mediator is still writing has no answers yet: the briefing names it (``preparing``) and analyses
    the text the parties are answering."""
    from accord.engine import compile_problem, get_solver, solve
    from accord.engine.diagnose import check_draft, diagnose
    from accord.engine.improve import improvements
    from accord.engine.problem import draft_columns
    from accord.services.estimate import contradictions, in_words

    draft = negotiation.latest_put_to_parties
    preparing = tuple(
        sorted(
            (d for d in negotiation.drafts if draft and d.version > draft.version), key=lambda d: d.version
        )
    )
    found = [in_words(negotiation, c) for c in contradictions(negotiation)]
    empty = brief_mediator.Analyses(
        None, None, draft, None, None, None, (), (), {}, 0, tuple(found), tuple(entries), preparing
    )
    try:
        problem = compile_problem(negotiation)
    except (DomainError, EngineError) as error:
        return _replace(empty, why=str(error).rstrip("."))
    solver = get_solver()
    diagnosis = diagnose(problem, solver)
    columns = None
    if draft is not None:
        try:
            columns = draft_columns(problem, draft)
        except DomainError:
            columns = None
    check = check_draft(problem, columns, solver) if columns is not None else None
    candidates: list[brief_mediator.Candidate] = []
    if columns is not None:
        candidates.append(brief_mediator.Candidate("draft", tuple(int(c) for c in columns)))
    if diagnosis.deal_possible:
        for concept in CONCEPTS:
            outcome = solve(problem, concept)
            if outcome.solutions:
                candidates.append(
                    brief_mediator.Candidate(concept, tuple(int(c) for c in outcome.solutions[0].columns))
                )
    better = improvements(problem, columns, solver, top=3) if columns is not None else []
    doubts: dict[int, str] = {}
    if better and columns is not None:
        from accord.analysis.gain_uncertainty import describe_check
        from accord.services.compromise import improvement_uncertainty

        checks = improvement_uncertainty(
            negotiation, problem, columns, [i.columns for i in better], seed=seed
        )
        for improvement, gains in zip(better, checks or [], strict=False):
            doubts[improvement.rank] = describe_check(problem.party_names, gains)
    used = 0
    if samples > 0 and any(p.uncertainty for p in negotiation.preferences.values()) and candidates:
        candidates, used = _robust(
            negotiation, candidates, draft.version if columns is not None and draft else None, samples, seed
        )
    return brief_mediator.Analyses(
        problem,
        None,
        draft,
        columns,
        diagnosis,
        check,
        tuple(candidates),
        tuple(better),
        doubts,
        used,
        tuple(found),
        tuple(entries),
        preparing,
    )


def _replace(analyses: brief_mediator.Analyses, **changes: Any) -> brief_mediator.Analyses:
    from dataclasses import replace

    return replace(analyses, **changes)


def _robust(
    negotiation: Negotiation,
    candidates: list[brief_mediator.Candidate],
    version: int | None,
    samples: int,
    seed: int,
) -> tuple[list[brief_mediator.Candidate], int]:
    """Each candidate's chance of being accepted by every party, and each party's 90% band of its
    utility, under the declared uncertainty."""
    from accord.analysis.robustness import quantile
    from accord.services.robustness import analyse as robustness

    result = robustness(
        negotiation,
        samples=samples,
        seed=seed,
        drafts=[version] if version is not None else [],
        concepts=[c.name for c in candidates if c.name != "draft"],
    )
    by_columns = {tuple(c.candidate.columns): k for k, c in enumerate(result.candidates)}
    parties = [p.party for p in result.candidates[0].parties] if result.candidates else []
    out = []
    for c in candidates:
        k = by_columns.get(c.columns)
        if k is None:
            out.append(c)
            continue
        outlook = result.candidates[k]
        bands = {
            party: brief_mediator.Band(
                quantile(result.histogram[i, k], 0.05), quantile(result.histogram[i, k], 0.95)
            )
            for i, party in enumerate(parties)
        }
        out.append(
            brief_mediator.Candidate(
                c.name, c.columns, outlook.acceptance, outlook.standard_error * 1.96, bands
            )
        )
    return out, samples


def allowed_audiences(viewer: Viewer, slug: str, negotiation: Negotiation) -> list[tuple[str, str]]:
    """(value, label) of the briefings the viewer may take: the mediator's and every party's for the
    mediator's seat; its own party's for a party's seat."""
    seat = viewer.seat(slug)
    if seat is None:
        return []
    parties = [(p.id, f"for {p.name}") for p in negotiation.negotiating_parties]
    if allows(viewer, Action.ANALYSE, slug):
        return [("mediator", "for the mediator"), *parties]
    return [(p, label) for p, label in parties if allows(viewer, Action.SEE_BRIEFING, slug, party=p)]
