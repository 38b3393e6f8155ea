"""What a seat sees of a negotiation is worked out once per negotiation as loaded (accord.security.policy
keeps it): the kept view is the view worked out afresh, a changed negotiation gets its own, and a
draft's current stances read on their own join it as they would the whole negotiation
(``visible_with_stances``), sources cited only by a stance included."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import pytest
import yaml

from accord.domain import Negotiation
from accord.scenario import loads
from accord.security import policy
from accord.security.policy import Seat, SeatRole, Viewer, visible, visible_with_stances
from tests.storage.test_chronology_record import chronology

SLUG = "harbour-talks"


def _negotiation() -> Negotiation:
    doc: dict[str, Any] = chronology()
    only = copy.deepcopy(doc["sources"][0])
    only.update(id="north-note", title="A note on the harbour")
    doc["sources"].append(only)
    doc["stances"][0]["sources"] = ["north-note"]  # cited by north's stance on draft 1 and nothing else
    return loads(yaml.safe_dump(doc, sort_keys=False))


def _seats(negotiation: Negotiation) -> list[Seat]:
    return [
        Seat(SeatRole.MEDIATOR),
        Seat(SeatRole.OBSERVER),
        *(Seat(SeatRole.MEMBER, p.id) for p in negotiation.parties),
        *(Seat(SeatRole.OBSERVER, p.id) for p in negotiation.parties),
    ]


def _afresh(viewer: Viewer, negotiation: Negotiation) -> Negotiation:
    policy._VIEWS.clear()
    return visible(viewer, SLUG, negotiation)


def test_the_kept_view_is_the_view_worked_out_afresh_and_a_changed_negotiation_gets_its_own() -> None:
    # kept: a negotiation as loaded without its stances (shared by a process's requests)
    negotiation = replace(_negotiation(), stances=())
    for seat in _seats(negotiation):
        viewer = Viewer("someone", "Someone", {SLUG: seat})
        fresh = _afresh(viewer, negotiation)
        assert visible(viewer, SLUG, negotiation) is fresh  # kept
        assert visible(viewer, SLUG, copy.deepcopy(negotiation)) == fresh
        circulated = replace(
            negotiation, drafts=tuple(replace(d, circulated_to=()) for d in negotiation.drafts)
        )
        changed = visible(viewer, SLUG, circulated)
        assert changed == _afresh(viewer, circulated)
        if seat.role is not SeatRole.MEDIATOR:
            assert changed.drafts == ()  # not the view kept for the negotiation before the change
    # not kept: one loaded with its whole history, read for one request
    policy._VIEWS.clear()
    member = Viewer("n", "N", {SLUG: Seat(SeatRole.MEMBER, "north")})
    with_history = _negotiation()
    assert visible(member, SLUG, with_history) == visible(member, SLUG, with_history)
    assert not policy._VIEWS
    assert "north-note" in {s.id for s in visible(member, SLUG, with_history).sources}


@pytest.mark.parametrize("kept", [True, False], ids=["view kept", "view afresh"])
def test_stances_read_on_their_own_join_the_view_as_they_would_the_whole_negotiation(kept: bool) -> None:
    negotiation = _negotiation()
    without = replace(negotiation, stances=())
    for seat in _seats(negotiation):
        viewer = Viewer("someone", "Someone", {SLUG: seat})
        expected = _afresh(viewer, negotiation)
        if not kept:
            policy._VIEWS.clear()
        else:
            visible(viewer, SLUG, without)
        for stances in (negotiation.stances, negotiation.stances[:1], ()):
            joined = visible_with_stances(viewer, SLUG, without, stances)
            assert joined == _afresh(viewer, replace(negotiation, stances=tuple(stances)))
        assert visible_with_stances(viewer, SLUG, without, negotiation.stances) == expected
        # a negotiation that has stances of its own: the given ones replace them
        assert visible_with_stances(viewer, SLUG, negotiation, ()) == _afresh(viewer, without)
    south = Viewer("s", "S", {SLUG: Seat(SeatRole.MEMBER, "south")})
    north = Viewer("n", "N", {SLUG: Seat(SeatRole.MEMBER, "north")})
    cited = {s.id for s in visible_with_stances(north, SLUG, without, negotiation.stances).sources}
    assert "north-note" in cited
    assert "north-note" not in {s.id for s in visible_with_stances(north, SLUG, without, ()).sources}
    cited = {s.id for s in visible_with_stances(south, SLUG, without, negotiation.stances).sources}
    assert "north-note" not in cited
