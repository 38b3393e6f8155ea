"""Stances per round (history kept), meetings and papers, and where things stand."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.domain import MeetingStatus, StanceKind
from accord.domain.amendments import Amendment, AmendmentKind
from accord.errors import DomainError, NotFoundError
from accord.services import drafts, meetings, stances
from accord.services.status import standing
from accord.storage.database import Database
from tests.storage.conftest import ACTOR
from tests.storage.helpers import snapshot

NAME = "peace-framework-2025"


def test_a_new_stance_supersedes_but_never_overwrites(flagship: Database) -> None:
    before = [r for r in stances.history(flagship, NAME, party="russia", point="7") if r.stance.draft == 3]
    stances.set_stance(flagship, NAME, party="russia", point="7", stance=StanceKind.CONDITIONAL, actor=ACTOR)
    stances.set_stance(
        flagship, NAME, party="russia", point="7", stance=StanceKind.ACCEPT, note="if 5 holds", actor=ACTOR
    )
    after = [r for r in stances.history(flagship, NAME, party="russia", point="7") if r.stance.draft == 3]
    assert after[: len(before)] == before
    assert [r.stance.stance for r in after[len(before) :]] == [StanceKind.CONDITIONAL, StanceKind.ACCEPT]
    current = drafts.load(flagship, NAME).negotiation.stances_on(3)
    latest = next(s for s in current if (s.party, s.point) == ("russia", "nato-membership"))
    assert latest.note == "if 5 holds"


@pytest.mark.parametrize(
    ("party", "point", "error", "words"),
    [
        ("atlantis", "7", NotFoundError, "no party 'atlantis'"),
        ("russia", "99", NotFoundError, "no point '99'"),
        ("united-states", "7", DomainError, "mediator"),
    ],
)
def test_a_bad_stance_is_refused_and_nothing_is_written(
    flagship: Database, party: str, point: str, error: type[Exception], words: str
) -> None:
    before = snapshot(flagship)
    with pytest.raises(error, match=words):
        stances.set_stance(flagship, NAME, party=party, point=point, stance=StanceKind.ACCEPT, actor=ACTOR)
    assert snapshot(flagship) == before


def test_a_stance_on_a_point_the_draft_does_not_have_is_refused(flagship: Database) -> None:
    drafts.new_draft(flagship, NAME, [Amendment(AmendmentKind.DROP, "28", "folded in")], actor=ACTOR)
    before = snapshot(flagship)
    with pytest.raises(DomainError, match="draft v4 has no point 'ceasefire'"):
        stances.set_stance(flagship, NAME, party="ukraine", point="28", stance=StanceKind.ACCEPT, actor=ACTOR)
    assert snapshot(flagship) == before


def test_meetings_held_and_postponed_with_papers(flagship: Database) -> None:
    held = meetings.add_meeting(
        flagship,
        NAME,
        date=dt.date(2025, 12, 2),
        place="Moscow",
        participants=["united-states", "russia"],
        drafts=[3],
        papers=["Draft D"],
        outcome="no compromise on territory",
        actor=ACTOR,
    )
    put_off = meetings.add_meeting(
        flagship,
        NAME,
        date=dt.date(2025, 12, 9),
        place="Miami",
        participants=["ukraine"],
        status=MeetingStatus.POSTPONED,
        reason="delegation delayed",
        actor=ACTOR,
    )
    found, papers = meetings.list_meetings(flagship, NAME)
    ids = [m.id for m in found]
    assert [m.date for m in found] == sorted(m.date for m in found), "listed by date"
    assert ids.index(held.id) < ids.index(put_off.id)
    paper = next(p for p in papers if p.id == held.papers[0])
    assert (paper.title, paper.recipients, paper.draft) == ("Draft D", ("russia",), 3)
    stored = found[ids.index(put_off.id)]
    assert stored.status is MeetingStatus.POSTPONED and stored.reason == "delegation delayed"


@pytest.mark.parametrize(
    ("changes", "error", "words"),
    [
        ({"participants": ["ukraine", "atlantis"]}, NotFoundError, "no party 'atlantis'"),
        ({"status": MeetingStatus.POSTPONED}, DomainError, "needs a --reason"),
        ({"drafts": [12]}, NotFoundError, "no draft version 12"),
    ],
)
def test_a_bad_meeting_is_refused_and_nothing_is_written(
    flagship: Database, changes: dict[str, object], error: type[Exception], words: str
) -> None:
    before = snapshot(flagship)
    arguments: dict[str, object] = {
        "date": dt.date(2025, 12, 2),
        "place": "Geneva",
        "participants": ["ukraine"],
        "actor": ACTOR,
        **changes,
    }
    with pytest.raises(error, match=words):
        meetings.add_meeting(flagship, NAME, **arguments)  # type: ignore[arg-type]
    assert snapshot(flagship) == before


def test_status_names_the_agreed_and_contested_points_of_the_latest_draft(flagship: Database) -> None:
    result = standing(flagship, NAME)
    assert result.draft is not None and result.draft.version == 3
    negotiation = result.negotiation
    for point in result.points:
        answers = [s.stance for s in negotiation.stances_on(3) if s.point == point.point]
        assert point.accepted_by_all == (
            len(answers) == len(result.parties) and all(a is StanceKind.ACCEPT for a in answers)
        )
    assert {p.point for p in result.agreed}.isdisjoint(p.point for p in result.contested)
    assert result.contested, "draft D is contested on territory"
    territory = next(p for p in result.points if p.point == "territory")
    assert territory.contested
    v3 = result.rounds[-1]
    assert v3.accepted_by_all == len(result.agreed)
    assert v3.lowest_utility is not None
    # draft D breaks Russia's red lines: no distance (a 0 would read as optimal), the demands instead
    assert v3.broken and v3.distance_to_frontier is None
    utilities = [negotiation.preferences[p].utility(result.draft.package()) for p in result.parties]
    assert v3.lowest_utility == pytest.approx(min(utilities))


def test_a_draft_still_being_written_is_not_what_the_stance_views_open_on(flagship: Database) -> None:
    """The mediator's new text (v4, never circulated) has no answers yet: the matrix, the state of play
    and the most contested points stay on v3, the newest draft put to the parties, until v4 goes out."""
    from accord.analysis.contested import recorded_stances
    from accord.analysis.standing import standing_of
    from accord.security.policy import Seat, SeatRole, Viewer
    from accord.services import workbench

    mediator = Viewer("mediator", "Mediator", {NAME: Seat(SeatRole.MEDIATOR)})
    drafts.new_draft(flagship, NAME, [Amendment(AmendmentKind.DROP, "28", "folded in")], actor=ACTOR)
    negotiation = drafts.load(flagship, NAME).negotiation
    assert negotiation.latest_draft.version == 4 and negotiation.latest_put_to_parties.version == 3
    assert workbench.matrix(flagship, mediator, NAME).draft.version == 3
    assert workbench.matrix(flagship, mediator, NAME, 4).draft.version == 4  # still there to choose
    assert standing_of(negotiation, rounds=False).draft.version == 3
    version, recorded = recorded_stances(negotiation)
    assert version == 3 and recorded
    drafts.circulate(flagship, NAME, 4, ["ukraine"], actor=ACTOR)
    negotiation = drafts.load(flagship, NAME).negotiation
    assert negotiation.latest_put_to_parties.version == 4
    assert workbench.matrix(flagship, mediator, NAME).draft.version == 4
