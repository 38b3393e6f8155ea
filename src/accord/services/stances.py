"""Use cases on the parties' answers: record a stance on a point of a draft, read the history."""

from __future__ import annotations

from collections.abc import Callable

from accord.audit import digest
from accord.domain import Role, Stance, StanceKind
from accord.domain.amendments import find_point
from accord.errors import DomainError
from accord.security.policy import require_circulated
from accord.storage.database import Database
from accord.storage.repository import StanceRecord
from accord.storage.unit_of_work import Writing, reading, writing


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
    expected_revision: int | None = None,
    check: Callable[[Writing], None] | None = None,
) -> Stance:
    """Record a new stance; earlier ones stay in the history (nothing is overwritten). ``check``: a
    further test of what the writer read, run in the write's transaction (a seat's own revision: see
    accord.services.seat_revision)."""
    with writing(database, actor) as uow:
        name = slug or uow.repository.default_slug()
        negotiation = uow.repository.load(name, stances=False).negotiation
        who = negotiation.party(party)
        if who.role is not Role.PARTY:
            raise DomainError(
                f"{who.id!r} is the {who.role.value}; only parties answer a draft point by point"
            )
        draft = negotiation.draft(version) if version is not None else negotiation.latest_draft
        if draft is None:
            raise DomainError(f"negotiation {name!r} has no draft to answer yet")
        point_id = find_point(negotiation, point).id
        if point_id not in draft.choices:
            raise DomainError(
                f"draft v{draft.version} has no point {point_id!r} (it was dropped or never in it)"
            )
        require_circulated(who.id, draft)  # the same rule for the command line and the workbench
        recorded = Stance(draft.version, who.id, point_id, stance, note)
        state = uow.repository.state(name)
        assert state is not None  # the negotiation was loaded above
        if check is not None:
            check(uow)
        uow.repository.claim(name, expected_revision)
        uow.repository.add_stances(name, [recorded], now=uow.now, actor=actor)
        uow.record(
            "stance.set",
            name,
            f"{who.id} on point {point_id} of v{draft.version}: {stance.value}",
            digest(state),
            {
                "draft": draft.version,
                "party": who.id,
                "point": point_id,
                "stance": stance.value,
                "note": note,
            },
            after=uow.repository.digest_after_stances(name, state),  # only the row and the stances changed
        )
    return recorded


def history(
    database: Database, slug: str | None, *, party: str | None = None, point: str | None = None
) -> list[StanceRecord]:
    with reading(database) as uow:
        stored = uow.repository.load(slug or uow.repository.default_slug())
    negotiation = stored.negotiation
    point_id = find_point(negotiation, point).id if point else None
    if party is not None:
        negotiation.party(party)
    return [
        r
        for r in stored.stance_history
        if (party is None or r.stance.party == party) and (point_id is None or r.stance.point == point_id)
    ]
