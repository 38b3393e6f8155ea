"""A seat's own revision: what a party's member or an observer reads instead of the negotiation's.

The negotiation's revision rises with every write, so a party watching it would see another party
record a stance, receive a share or take a copy. A seat other than the mediator's is shown a number
taken from what that seat may see (the negotiation as :func:`accord.security.policy.visible` gives it,
with its own party's current stances): it changes when that changes, and nothing else moves it. The
seat gives it back as ``expected_revision``, and a write checks it inside the write's transaction
(:func:`expectation`), so the seat's own writes keep their optimistic locking.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from accord.audit import digest
from accord.domain import Negotiation
from accord.errors import StaleWriteError
from accord.scenario.yaml_format import to_document
from accord.security.policy import Action, SeatRole, Viewer, allows, visible
from accord.storage.unit_of_work import Reading, Writing

DIGITS = 13
"""Hex digits of the digest kept: 52 bits, an integer every JSON reader keeps exactly."""

_SEEN: dict[tuple[int, str, str | None], tuple[Negotiation, str, frozenset[int]]] = {}
"""(the stored negotiation's id(), seat role, party) -> (that negotiation, the digest of what the seat
sees of it without stances, the draft versions it sees): the negotiation as loaded is shared by a
process's requests while only stances change (accord.storage.loaded), so the large part of the
digest is taken once per change of the framework, the drafts or the record, not once per request."""
_KEPT = 32


def of_seat(uow: Reading | Writing, viewer: Viewer, slug: str, negotiation: Negotiation) -> int:
    """The revision of ``viewer``'s seat, from ``negotiation`` as stored (its stances are not used)
    and its own party's current stances, read through ``uow``."""
    seat = viewer.seat(slug)
    assert seat is not None
    key = (id(negotiation), seat.role.value, seat.party)
    known = _SEEN.get(key)
    if known is None or known[0] is not negotiation:
        # as loaded without stances it is the object policy.visible keeps views of: no copy
        seen = visible(viewer, slug, replace(negotiation, stances=()) if negotiation.stances else negotiation)
        known = (negotiation, digest(to_document(seen)), frozenset(d.version for d in seen.drafts))
        if len(_SEEN) >= _KEPT:
            _SEEN.clear()
        _SEEN[key] = known
    _, framework, versions = known
    own = seat.party if seat.role is SeatRole.MEMBER else None
    stances: list[list[object]] = []
    if own is not None:
        folded = uow.repository.fold(uow.repository.id_of(slug))
        stances = sorted(
            # the as-of date only when known, so a record without one digests as before
            [s.draft, s.point, s.stance.value, s.note or "", *([s.as_of.isoformat()] if s.as_of else [])]
            for _row, s in folded.current.values()
            if s.party == own and s.draft in versions
        )
    return int(digest({"seen": framework, "stances": stances})[:DIGITS], 16)


def expectation(
    viewer: Viewer, slug: str, expected: int | None
) -> tuple[int | None, Callable[[Writing], None] | None]:
    """What a write checks of ``expected`` (the revision the writer read): the negotiation's
    revision for the mediator (returned first, for ``Repository.claim``), or else a check of the
    seat's revision to run inside the write's transaction, under the write lock (returned second)."""
    if expected is None or allows(viewer, Action.SEE_REVISION, slug):
        return expected, None

    def check(uow: Writing) -> None:
        now = of_seat(uow, viewer, slug, uow.repository.load(slug, stances=False).negotiation)
        if now != expected:
            raise StaleWriteError(
                f"what you read of negotiation {slug!r} changed since (read at revision {expected}, now "
                f"{now}); nothing was written: reload it and make the change again"
            )

    return None, check
