"""A party's stance history as a seat may see it: `accord stance history` for the workbench.

Entries are numbered by their place in the history the seat is shown: the mediator's, the
negotiation's whole history; a party's member's, its own party's entries on what it has received.

Every entry ever recorded (new stances, corrections, withdrawals), oldest first, as
accord.services.stances.entries gives them, cut to what the policy lets the viewer see: the mediator
every party's; a party's member its own party's, on the drafts circulated to it and the points it
sees; an observer none (it sees no party's record). A draft or point the viewer may not see is, for
it, one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from accord.analysis.timeline import party_named
from accord.domain import Negotiation
from accord.domain.amendments import find_point
from accord.security.policy import Action, SeatRole, Viewer, require
from accord.services import stances as stance_service
from accord.services import workbench
from accord.services.stances import Entry
from accord.storage.database import Database


@dataclass(frozen=True)
class StanceHistory:
    """The entries shown, the negotiation as the viewer sees it (for names and titles), and the
    filters as resolved (a party's id, a point's id, a draft's version; None: all)."""

    negotiation: Negotiation
    entries: tuple[Entry, ...]
    party: str | None
    point: str | None
    version: int | None
    parties: tuple[str, ...]  # the parties whose history the viewer may choose


def stance_history(
    database: Database,
    viewer: Viewer,
    slug: str,
    *,
    party: str | None = None,
    point: str | None = None,
    version: int | None = None,
) -> StanceHistory:
    """The stance entries ``viewer`` may see (``party``, ``point``, ``version``: only those); a
    member without ``party`` gets its own party's, and another party's is refused (AccessDenied)."""
    seen = workbench.view(database, viewer, slug).negotiation
    seat = viewer.seat(slug)
    assert seat is not None  # view() refused a stranger
    mediator = seat.role is SeatRole.MEDIATOR
    party_id = party_named(seen, party) if party else (None if mediator else seat.party)
    require(viewer, Action.SEE_STANCES, slug, party=party_id)  # a party's own; the mediator's any
    point_id = find_point(seen, point).id if point else None
    if version is not None:
        seen.draft(version)  # a draft the viewer has not received: as if it did not exist
    if mediator:  # numbered in the negotiation's whole history
        found = stance_service.entries(database, slug, party=party_id, point=point_id, version=version)
    else:  # numbered in the history the seat sees: the numbers tell nothing of what it does not
        drafts = {d.version for d in seen.drafts}
        points = {p.id for p in seen.points}
        statements = {s.id for s in seen.statements}
        found = stance_service.numbered(
            [
                # the statement a stance was adopted from, only if the seat may read it
                e if e.record.stance.evidence in statements else _without_evidence(e)
                for e in stance_service.entries(database, slug, party=party_id)
                if e.record.stance.draft in drafts and e.record.stance.point in points
            ]
        )
        found = [
            e
            for e in found
            if (point_id is None or e.record.stance.point == point_id)
            and (version is None or e.record.stance.draft == version)
        ]
    return StanceHistory(
        negotiation=seen,
        entries=tuple(found),
        party=party_id,
        point=point_id,
        version=version,
        parties=tuple(p.id for p in seen.negotiating_parties) if mediator else (party_id or "",),
    )


def _without_evidence(entry: Entry) -> Entry:
    if entry.record.stance.evidence is None:
        return entry
    stance = replace(entry.record.stance, evidence=None)
    return replace(entry, record=replace(entry.record, stance=stance))
