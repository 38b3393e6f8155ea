"""The policy, rule by rule, on plain domain objects (no web, no database)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from accord.domain import Draft, Negotiation
from accord.domain.amendments import Amendment, AmendmentKind, amend
from accord.errors import AccessDenied, DomainError, NotAuthenticated
from accord.scenario import load
from accord.security.policy import (
    ANONYMOUS,
    Action,
    Seat,
    SeatRole,
    Viewer,
    allows,
    points_seen,
    require,
    require_circulated,
    visible,
)
from tests.conftest import EXAMPLES

NAME = "talks"
FRAMEWORK = load(EXAMPLES / "peace-framework-2025.yaml")
MEDIATOR = Viewer("m", seats={NAME: Seat(SeatRole.MEDIATOR)})
RUSSIA = Viewer("r", seats={NAME: Seat(SeatRole.MEMBER, "russia")})
UKRAINE = Viewer("u", seats={NAME: Seat(SeatRole.MEMBER, "ukraine")})
OBSERVER = Viewer("o", seats={NAME: Seat(SeatRole.OBSERVER)})
STRANGER = Viewer("s", seats={"elsewhere": Seat(SeatRole.MEDIATOR)})
TO_RUSSIA = Draft(9, {}, circulated_to=("russia",))


@pytest.mark.parametrize("action", list(Action))
def test_the_mediator_may_do_everything_and_a_stranger_nothing(action: Action) -> None:
    assert allows(MEDIATOR, action, NAME, party="russia", draft=TO_RUSSIA)
    assert not allows(STRANGER, action, NAME, party="russia", draft=TO_RUSSIA)
    assert not allows(ANONYMOUS, action, NAME, party="russia", draft=TO_RUSSIA)


def test_a_member_sees_and_edits_only_its_own_party() -> None:
    for action in (Action.SEE_PREFERENCES, Action.EDIT_PREFERENCES, Action.SEE_STANCES, Action.SEE_SHARED):
        assert allows(RUSSIA, action, NAME, party="russia")
        assert not allows(RUSSIA, action, NAME, party="ukraine")
        assert not allows(OBSERVER, action, NAME, party="russia")


def test_a_draft_is_seen_and_answered_only_once_circulated_to_the_party() -> None:
    assert allows(RUSSIA, Action.SEE_DRAFT, NAME, draft=TO_RUSSIA)
    assert not allows(UKRAINE, Action.SEE_DRAFT, NAME, draft=TO_RUSSIA)
    assert allows(RUSSIA, Action.SET_STANCE, NAME, party="russia", draft=TO_RUSSIA)
    assert not allows(UKRAINE, Action.SET_STANCE, NAME, party="ukraine", draft=TO_RUSSIA)


@pytest.mark.parametrize(
    "action",
    [
        Action.AMEND_DRAFT,
        Action.CIRCULATE_DRAFT,
        Action.ANALYSE,
        Action.SHARE,
        Action.SEE_AUDIT,
        Action.ADD_MEETING,
    ],
)
def test_the_mediators_work_is_the_mediators_alone(action: Action) -> None:
    for viewer in (RUSSIA, UKRAINE, OBSERVER):
        assert not allows(viewer, action, NAME, party="russia")


def test_require_tells_nobody_from_refused() -> None:
    with pytest.raises(NotAuthenticated):
        require(ANONYMOUS, Action.SEE_NEGOTIATION, NAME)
    with pytest.raises(AccessDenied, match="may not see the preferences of ukraine"):
        require(RUSSIA, Action.SEE_PREFERENCES, NAME, party="ukraine")


def test_what_a_member_sees_holds_nothing_of_another_party() -> None:
    seen = visible(RUSSIA, NAME, FRAMEWORK)
    assert set(seen.preferences) == {"russia"}
    assert {s.party for s in seen.stances} <= {"russia"}
    assert all("russia" in FRAMEWORK.draft(d.version).circulated_to for d in seen.drafts)
    assert all(d.circulated_to in ((), ("russia",)) for d in seen.drafts), "who else received it is not shown"
    assert all("russia" in m.participants for m in seen.meetings)
    assert all("russia" in p.recipients for p in seen.papers)
    assert visible(MEDIATOR, NAME, FRAMEWORK) == FRAMEWORK


def test_an_observer_without_a_seat_of_its_own_sees_the_framework_only() -> None:
    seen = visible(OBSERVER, NAME, FRAMEWORK)
    assert seen.points == FRAMEWORK.points
    assert (seen.drafts, seen.stances, dict(seen.preferences), seen.meetings) == ((), (), {}, ())


# -- points added by an amendment: seen only once a draft holding them reached the seat -----------

ADDED = "harbour-fund"


def _with_an_added_point(circulated_to: tuple[str, ...]) -> Negotiation:
    """Draft v4 from v3 adds a point; it was handed to ``circulated_to`` (nobody: never circulated)."""
    amended = amend(
        FRAMEWORK,
        FRAMEWORK.draft(3),
        [Amendment(AmendmentKind.ADD, ADDED, "kept back", title="A harbour fund", text="A fund is set up")],
    )
    v4 = replace(amended.draft, circulated_to=circulated_to)
    return replace(amended.negotiation, drafts=(*FRAMEWORK.drafts, v4))


def _shows(seen: Negotiation, point: str) -> bool:
    return (
        any(p.id == point for p in seen.points)
        or any(point in d.choices for d in seen.drafts)
        or any(point in p.weights or point in p.scores for p in seen.preferences.values())
    )


def test_a_point_added_in_a_draft_never_circulated_is_seen_by_the_mediator_alone() -> None:
    talks = _with_an_added_point(())
    assert _shows(visible(MEDIATOR, NAME, talks), ADDED)
    for viewer in (RUSSIA, UKRAINE, OBSERVER):
        seen = visible(viewer, NAME, talks)
        assert not _shows(seen, ADDED), viewer
        assert {p.id for p in seen.points} == {p.id for p in FRAMEWORK.points}  # the framework stays


def test_a_point_added_by_amendment_is_seen_once_a_draft_holding_it_reached_the_seat() -> None:
    talks = _with_an_added_point(("ukraine",))
    assert _shows(visible(UKRAINE, NAME, talks), ADDED)
    assert not _shows(visible(RUSSIA, NAME, talks), ADDED)
    assert points_seen(UKRAINE, NAME, talks) == {p.id for p in talks.points}
    assert points_seen(RUSSIA, NAME, talks) == {p.id for p in FRAMEWORK.points}
    assert points_seen(MEDIATOR, NAME, talks) is None  # everything


def test_a_party_answers_only_a_draft_circulated_to_it_whoever_records_the_answer() -> None:
    require_circulated("russia", TO_RUSSIA)
    with pytest.raises(DomainError, match="draft v9 was not circulated to ukraine"):
        require_circulated("ukraine", TO_RUSSIA)
