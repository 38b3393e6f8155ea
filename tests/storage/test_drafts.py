"""The single negotiating text: new versions by amendment, diffs, statuses, circulation."""

from __future__ import annotations

import pytest

from accord.domain import DraftStatus
from accord.domain.amendments import ADDED_OPTION, Amendment, AmendmentKind
from accord.domain.diff import Change
from accord.errors import DomainError, NotFoundError
from accord.services import audit, drafts
from accord.storage.database import Database
from tests.storage.conftest import ACTOR
from tests.storage.helpers import snapshot

NAME = "peace-framework-2025"


def _amendments() -> list[Amendment]:
    return [
        Amendment(AmendmentKind.CHOOSE, "7", "test a return to no consensus", option="no-consensus"),
        Amendment(AmendmentKind.TEXT, "reconstruction", "a jointly run fund", text="A jointly run fund"),
        Amendment(AmendmentKind.DROP, "28", "folded into point 27"),
        Amendment(
            AmendmentKind.ADD,
            "monitoring",
            "asked by Europe",
            title="Monitoring",
            text="OSCE observers monitor",
        ),
    ]


def test_a_new_version_amends_the_newest_one_and_keeps_each_reason(flagship: Database) -> None:
    draft = drafts.new_draft(flagship, NAME, _amendments(), actor=ACTOR, label="E")
    assert (draft.version, draft.parent, draft.status, draft.author) == (
        4,
        3,
        DraftStatus.DRAFT,
        "united-states",
    )
    view = drafts.show(flagship, NAME, 4)
    assert [a["reason"] for a in view.amendments] == [a.reason for a in _amendments()]
    stored = view.negotiation
    assert stored.draft(4).choices["nato-membership"].option == "no-consensus"
    assert stored.draft(4).choices["reconstruction"].text == "A jointly run fund"
    assert "ceasefire" not in stored.draft(4).choices and "ceasefire" in stored.draft(3).choices
    added = stored.point("monitoring")
    assert added.number == 29 and added.options[0].text == "OSCE observers monitor"
    assert stored.draft(4).choices["monitoring"].option == ADDED_OPTION
    assert all(prefs.weights["monitoring"] == 0 for prefs in stored.preferences.values())


def test_the_diff_shows_point_changes_and_the_changed_words(flagship: Database) -> None:
    drafts.new_draft(flagship, NAME, _amendments(), actor=ACTOR)
    result = drafts.diff(flagship, NAME, 3, 4)
    changes = {p.point: p.change for p in result.changed}
    assert changes == {
        "nato-membership": Change.CHANGED,
        "reconstruction": Change.CHANGED,
        "ceasefire": Change.DROPPED,
        "monitoring": Change.ADDED,
    }
    fund = next(p for p in result.points if p.point == "reconstruction")
    kept_or_new = " ".join(w.text for w in fund.words if w.op.value != "deleted")
    assert kept_or_new.split() == ["A", "jointly", "run", "fund"]
    assert fund.before is not None
    assert " ".join(w.text for w in fund.words if w.op.value != "inserted").split() == fund.before.split()


@pytest.mark.parametrize(
    ("amendment", "error", "words"),
    [
        (Amendment(AmendmentKind.CHOOSE, "99", "why", option="x"), NotFoundError, "no point '99'"),
        (
            Amendment(AmendmentKind.CHOOSE, "7", "why", option="nonsense"),
            NotFoundError,
            "no option 'nonsense'",
        ),
        (Amendment(AmendmentKind.CHOOSE, "7", "  ", option="barred"), DomainError, "no reason"),
        (
            Amendment(AmendmentKind.ADD, "ceasefire", "why", title="T", text="X"),
            DomainError,
            "exists already",
        ),
    ],
)
def test_a_bad_amendment_is_refused_and_nothing_is_written(
    flagship: Database, amendment: Amendment, error: type[Exception], words: str
) -> None:
    before = snapshot(flagship)
    with pytest.raises(error, match=words):
        drafts.new_draft(flagship, NAME, [amendment], actor=ACTOR)
    assert snapshot(flagship) == before


def test_circulation_records_who_received_which_version(flagship: Database) -> None:
    drafts.new_draft(flagship, NAME, _amendments()[:1], actor=ACTOR)
    drafts.circulate(flagship, NAME, 4, ["ukraine", "russia"], actor=ACTOR)
    view = drafts.show(flagship, NAME, 4)
    assert view.draft.status is DraftStatus.CIRCULATED
    assert view.draft.circulated_to == ("ukraine", "russia")
    assert [c.party for c in view.circulations] == ["ukraine", "russia"]
    assert audit.entries(flagship)[-1].action == "draft.circulate"


def test_circulating_to_a_stranger_names_it_and_writes_nothing(flagship: Database) -> None:
    before = snapshot(flagship)
    with pytest.raises(NotFoundError, match="no party 'atlantis'"):
        drafts.circulate(flagship, NAME, 3, ["ukraine", "atlantis"], actor=ACTOR)
    with pytest.raises(NotFoundError, match="no draft version 9"):
        drafts.circulate(flagship, NAME, 9, ["ukraine"], actor=ACTOR)
    assert snapshot(flagship) == before


def test_an_agreed_or_withdrawn_text_is_final(flagship: Database) -> None:
    drafts.set_status(flagship, NAME, 3, DraftStatus.AGREED, actor=ACTOR)
    with pytest.raises(DomainError, match="final"):
        drafts.set_status(flagship, NAME, 3, DraftStatus.WITHDRAWN, actor=ACTOR)


def test_an_unknown_negotiation_is_named(flagship: Database) -> None:
    with pytest.raises(NotFoundError, match=r"no negotiation 'nowhere'.*peace-framework-2025"):
        drafts.show(flagship, "nowhere", None)
