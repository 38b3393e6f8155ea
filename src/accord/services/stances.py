"""Use cases on the parties' answers: record a stance on a point of a draft, correct or withdraw one
(a new audited entry that supersedes it, with its reason; nothing is overwritten), read the history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from accord.analysis.timeline import party_named
from accord.audit import digest
from accord.domain import Draft, Negotiation, Role, Source, Stance, StanceKind
from accord.domain.amendments import find_point
from accord.domain.as_of import dated_after
from accord.errors import DomainError, NotFoundError
from accord.reports.stance_words import kind_of, party_name, point_words
from accord.security.policy import require_circulated
from accord.services.sources import NO_CITATION, Citation, check_citation, cite
from accord.storage.database import Database
from accord.storage.repository import StanceRecord
from accord.storage.unit_of_work import Writing, reading, writing
from accord.wording import plural_name


@dataclass(frozen=True)
class Answer:
    """Where a stance is written: the negotiation as read, the party, the draft and the point."""

    name: str
    negotiation: Negotiation
    party: str
    draft: Draft
    point: str


def _answer(
    uow: Writing,
    slug: str | None,
    party: str,
    point: str,
    version: int | None,
    *,
    as_of: dt.date | None,
    new: bool = True,
) -> Answer:
    """The party, draft and point a stance is written on, checked (an unknown party, point or draft, a
    draft not circulated to the party, an as-of date after today or before the draft: one-line errors
    naming the option). ``new``: a new answer, which needs the draft circulated to the party; a
    correction or withdrawal of a stance the record holds does not (a record imported with a stance on
    a draft it does not say was handed to the party can still be put right; a party's own seat never
    reaches a draft it was not handed: accord.services.workbench asks the policy first)."""
    name = slug or uow.repository.default_slug()
    negotiation = uow.repository.load(name, stances=False).negotiation
    who = negotiation.party(party)
    if who.role is not Role.PARTY:
        raise DomainError(f"{who.id!r} is the {who.role.value}; only parties answer a draft point by point")
    if version is None:
        draft = negotiation.latest_draft
        if draft is None:
            raise DomainError(f"negotiation {name!r} has no draft to answer yet")
    else:
        try:
            draft = negotiation.draft(version)
        except NotFoundError as error:
            raise NotFoundError(f"--draft: {error}") from None
    point_id = find_point(negotiation, point).id
    if point_id not in draft.choices:
        raise DomainError(f"draft v{draft.version} has no point {point_id!r} (it was dropped or never in it)")
    if new:
        require_circulated(who.id, draft, who.name)  # the same rule for the command line and the workbench
    if as_of is not None:
        late = dated_after(as_of, uow.now, "--as-of", "a position is taken before it is recorded")
        if late:
            raise DomainError(late)
        if draft.date is not None and as_of < draft.date:
            raise DomainError(
                f"--as-of: {as_of.isoformat()} is before draft v{draft.version} ({draft.date.isoformat()}); "
                "a party answers a text once it has it"
            )
    return Answer(name, negotiation, who.id, draft, point_id)


def _details(stance: Stance) -> dict[str, Any]:
    return {
        "draft": stance.draft,
        "party": stance.party,
        "point": stance.point,
        "stance": stance.stance.value,
        "note": stance.note,
        **({"as_of": stance.as_of.isoformat()} if stance.as_of else {}),
        **({"sources": list(stance.sources)} if stance.sources else {}),
    }


def set_stance(
    database: Database,
    slug: str | None,
    *,
    party: str,
    point: str,
    stance: StanceKind,
    actor: str,
    version: int | None = None,
    note: str | None = None,
    as_of: dt.date | None = None,
    citation: Citation = NO_CITATION,
    expected_revision: int | None = None,
    check: Callable[[Writing], None] | None = None,
) -> Stance:
    """Record a new stance; earlier ones stay in the history (nothing is overwritten). ``as_of``: when
    the party took the position (None: not known; the record keeps when it was recorded); the
    citation's sources are stored with it. ``check``: a further test of what the writer read, run in
    the write's transaction (a seat's own revision: see accord.services.seat_revision)."""
    with writing(database, actor) as uow:
        return set_stance_in(
            uow,
            slug,
            party=party,
            point=point,
            stance=stance,
            version=version,
            note=note,
            as_of=as_of,
            citation=citation,
            expected_revision=expected_revision,
            check=check,
        )


def set_stance_in(
    uow: Writing,
    slug: str | None,
    *,
    party: str,
    point: str,
    stance: StanceKind,
    version: int | None = None,
    note: str | None = None,
    as_of: dt.date | None = None,
    citation: Citation = NO_CITATION,
    evidence: str | None = None,
    expected_revision: int | None = None,
    check: Callable[[Writing], None] | None = None,
) -> Stance:
    """:func:`set_stance` inside an open unit of work (a batch of writes in one transaction, such as
    `accord ingest apply`): checked, written and audited the same way; ``evidence``: the recorded
    statement the stance rests on (as an adopted statement's stance names it)."""
    at = _answer(uow, slug, party, point, version, as_of=as_of)
    check_citation(at.negotiation, citation)
    if evidence is not None:
        try:
            at.negotiation.statement(evidence)
        except NotFoundError as error:
            raise NotFoundError(f"evidence: {error}") from None
    state = uow.repository.state(at.name)
    assert state is not None  # the negotiation was loaded above
    if check is not None:
        check(uow)
    uow.repository.claim(at.name, expected_revision)
    recorded = Stance(
        at.draft.version,
        at.party,
        at.point,
        stance,
        note,
        as_of,
        evidence,
        sources=cite(uow, at.name, at.negotiation, citation),
    )
    uow.repository.add_stances(at.name, [recorded], now=uow.now, actor=uow.actor)
    uow.record(
        "stance.set",
        at.name,
        f"{at.party} on point {at.point} of v{at.draft.version}: {stance.value}",
        digest(state),
        {**_details(recorded), **({"evidence": evidence} if evidence else {})},
        after=_after(uow, at.name, state, citation),
    )
    return recorded


def _after(uow: Writing, name: str, state: dict[str, Any], citation: Citation) -> str | None:
    """The digest after a stance write: only the row and the stances changed, unless a new source was
    stored with it (then the whole state is digested again)."""
    return None if citation.describes_new else uow.repository.digest_after_stances(name, state)


def _current(uow: Writing, at: Answer, verb: str) -> StanceRecord:
    """The party's current stance on the point of the draft (its row), or DomainError: none to ``verb``."""
    found = uow.repository.fold(uow.repository.id_of(at.name)).current.get(
        (at.draft.version, at.party, at.point)
    )
    if found is None:
        name = party_name(at.negotiation, at.party)
        raise DomainError(
            f"{name} {'hold' if plural_name(name) else 'holds'} no stance on "
            f"{point_words(at.negotiation, at.point)} of draft v{at.draft.version} to {verb} (see `accord "
            "stance history`)"
        )
    row, stance = found
    return StanceRecord(row, stance, "", "")


def _reason(reason: str | None, what: str) -> str:
    if reason is None or not reason.strip():
        raise DomainError(f"--reason: a {what} needs its reason (nothing is overwritten; the reason is kept)")
    return reason.strip()


def correct_stance(
    database: Database,
    slug: str | None,
    *,
    party: str,
    point: str,
    reason: str | None,
    actor: str,
    version: int | None = None,
    stance: StanceKind | None = None,
    note: str | None = None,
    as_of: dt.date | None = None,
    citation: Citation = NO_CITATION,
    expected_revision: int | None = None,
    check: Callable[[Writing], None] | None = None,
) -> Stance:
    """Correct the party's current stance on a point of a draft: a new audited entry that supersedes
    it, with its reason (the corrected one stays in the history). What is not given is kept (the
    kind, the note, the as-of date, the sources); the statement it was adopted from is kept only
    while the kind stays the same."""
    with writing(database, actor) as uow:
        why = _reason(reason, "correction")
        at = _answer(uow, slug, party, point, version, as_of=as_of, new=False)
        check_citation(at.negotiation, citation)
        earlier = _current(uow, at, "correct")
        old = earlier.stance
        kind = stance or old.stance
        if kind is not old.stance and at.party not in at.draft.circulated_to:
            # another answer is a new answer, which a draft not handed to the party cannot have
            require_circulated(at.party, at.draft, at.negotiation.party(at.party).name)
        corrected = Stance(
            old.draft,
            old.party,
            old.point,
            kind,
            old.note if note is None else (note.strip() or None),
            as_of or old.as_of,
            old.evidence if kind is old.stance else None,
            old.sources,
        )
        if corrected == old and not citation:
            raise DomainError(
                "nothing to correct: give a --stance, --note, --as-of or source that differs from the "
                "stance held"
            )
        state = uow.repository.state(at.name)
        assert state is not None
        if check is not None:
            check(uow)
        uow.repository.claim(at.name, expected_revision)
        if citation:
            corrected = replace(corrected, sources=cite(uow, at.name, at.negotiation, citation))
        key = (old.draft, old.party, old.point)
        uow.repository.add_stances(
            at.name, [corrected], now=uow.now, actor=actor, reason=why, supersedes={key: earlier.id}
        )
        uow.record(
            "stance.correct",
            at.name,
            f"{at.party} on point {at.point} of v{at.draft.version}: {old.stance.value} corrected to "
            f"{kind.value} ({why})",
            digest(state),
            {**_details(corrected), "was": old.stance.value, "supersedes": earlier.id, "reason": why},
            after=_after(uow, at.name, state, citation),
        )
    return corrected


def withdraw_stance(
    database: Database,
    slug: str | None,
    *,
    party: str,
    point: str,
    reason: str | None,
    actor: str,
    version: int | None = None,
    expected_revision: int | None = None,
    check: Callable[[Writing], None] | None = None,
) -> Stance:
    """Withdraw the party's current stance on a point of a draft, with the reason: from now on it
    holds none there (the withdrawn stance stays in the history). Returns the stance withdrawn."""
    with writing(database, actor) as uow:
        why = _reason(reason, "withdrawal")
        at = _answer(uow, slug, party, point, version, as_of=None, new=False)
        earlier = _current(uow, at, "withdraw")
        state = uow.repository.state(at.name)
        assert state is not None
        if check is not None:
            check(uow)
        uow.repository.claim(at.name, expected_revision)
        uow.repository.withdraw_stances(at.name, [earlier], reason=why, now=uow.now, actor=actor)
        uow.record(
            "stance.withdraw",
            at.name,
            f"{at.party} on point {at.point} of v{at.draft.version}: {earlier.stance.stance.value} "
            f"withdrawn ({why})",
            digest(state),
            {**_details(earlier.stance), "supersedes": earlier.id, "reason": why},
            after=uow.repository.digest_after_stances(at.name, state),
        )
    return earlier.stance


@dataclass(frozen=True)
class Entry:
    """One entry of the stance history, with what became of it: ``superseded_by`` the later entry on
    the same draft, party and point (a new stance, a correction or a withdrawal), None while it holds."""

    record: StanceRecord
    superseded_by: int | None
    sources: tuple[Source, ...]

    @property
    def kind(self) -> str:
        """set, correction or withdrawal."""
        return kind_of(self.record)

    @property
    def current(self) -> bool:
        return self.superseded_by is None and not self.record.withdrawn


def history(
    database: Database,
    slug: str | None,
    *,
    party: str | None = None,
    point: str | None = None,
    version: int | None = None,
) -> list[StanceRecord]:
    """Every stance record, oldest first (``version``, ``party``, ``point``: only those)."""
    return [e.record for e in entries(database, slug, party=party, point=point, version=version)]


def entries(
    database: Database,
    slug: str | None,
    *,
    party: str | None = None,
    point: str | None = None,
    version: int | None = None,
) -> list[Entry]:
    """Every stance entry, oldest first (``version``, ``party``, ``point``: only those), each with the
    entry that superseded it and the sources it cites; numbered by its place in the negotiation's
    whole history (:func:`numbered`), whatever the filters."""
    with reading(database) as uow:
        stored = uow.repository.load(slug or uow.repository.default_slug())
    negotiation = stored.negotiation
    point_id = find_point(negotiation, point).id if point else None
    party_id = party_named(negotiation, party) if party is not None else None
    if version is not None:
        try:
            negotiation.draft(version)
        except NotFoundError as error:
            raise NotFoundError(f"--draft: {error}") from None
    later: dict[int, int] = {}
    last: dict[tuple[int, str, str], int] = {}
    for r in stored.stance_history:
        key = (r.stance.draft, r.stance.party, r.stance.point)
        if key in last:
            later[last[key]] = r.id
        last[key] = r.id
    sources = {s.id: s for s in negotiation.sources}
    every = numbered(
        [
            Entry(r, later.get(r.id), tuple(sources[k] for k in r.stance.sources if k in sources))
            for r in stored.stance_history
        ]
    )
    return [
        e
        for e in every
        if (party_id is None or e.record.stance.party == party_id)
        and (point_id is None or e.record.stance.point == point_id)
        and (version is None or e.record.stance.draft == version)
    ]


def numbered(entries: list[Entry]) -> list[Entry]:
    """The entries numbered 1, 2, 3… in their order, and what each supersedes or was superseded by
    numbered alike: an entry's number is its place in the history a reader is shown, never the
    database's row id (whose gaps would tell of entries in other negotiations, or of other parties).
    ``entries`` holds, with each entry, every entry it names (they are on the same draft, party and
    point)."""
    number = {e.record.id: place for place, e in enumerate(entries, 1)}
    return [
        replace(
            e,
            record=replace(
                e.record,
                id=number[e.record.id],
                supersedes=None if e.record.supersedes is None else number.get(e.record.supersedes),
            ),
            superseded_by=None if e.superseded_by is None else number.get(e.superseded_by),
        )
        for e in entries
    ]


def entry_data(e: Entry) -> dict[str, object]:
    """An entry as `accord stance history --json` and the API give it (sources with their words)."""
    r = e.record
    return {
        "id": r.id,
        "entry": e.kind,
        "draft": r.stance.draft,
        "party": r.stance.party,
        "point": r.stance.point,
        "stance": r.stance.stance.value,
        "note": r.stance.note,
        "as_of": r.stance.as_of.isoformat() if r.stance.as_of else None,
        "recorded_at": r.recorded_at,
        "recorded_by": r.recorded_by,
        "reason": r.reason,
        "supersedes": r.supersedes,
        "withdrawn": r.withdrawn,
        "superseded_by": e.superseded_by,
        "current": e.current,
        "evidence": r.stance.evidence,
        "sources": [
            {
                k: v
                for k, v in {
                    "id": s.id,
                    "outlet": s.outlet,
                    "title": s.title,
                    "url": s.url,
                    "date": s.date.isoformat() if s.date else None,
                }.items()
                if v is not None
            }
            for s in e.sources
        ],
    }
