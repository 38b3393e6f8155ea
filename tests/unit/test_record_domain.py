"""Amending the text and diffing versions: pure domain rules, no database."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.domain.amendments import Amendment, AmendmentKind, amend
from accord.domain.diff import WordOp, word_diff
from accord.errors import DomainError
from accord.scenario import load
from tests.conftest import EXAMPLES

FRAMEWORK = load(EXAMPLES / "peace-framework-2025.yaml")

words = st.lists(
    st.sampled_from(["peace", "treaty", "Sinai", "withdrawal", "of", "the", "forces", "now"]), max_size=12
)


@given(words, words)
def test_a_word_diff_rebuilds_both_texts(before: list[str], after: list[str]) -> None:
    runs = word_diff(" ".join(before), " ".join(after))
    old = " ".join(r.text for r in runs if r.op is not WordOp.INSERTED)
    new = " ".join(r.text for r in runs if r.op is not WordOp.DELETED)
    assert old.split() == before and new.split() == after
    assert all(a.op is not b.op for a, b in itertools.pairwise(runs)), "runs of one kind are merged"


def test_an_identical_text_has_no_change() -> None:
    assert [r.op for r in word_diff("a b c", "a b c")] == [WordOp.SAME]


def test_amending_leaves_the_negotiation_untouched_and_numbers_the_next_version() -> None:
    base = FRAMEWORK.latest_draft
    assert base is not None
    point = FRAMEWORK.point("nato-membership")
    other = next(o.key for o in point.options if o.key != base.choices[point.id].option)
    result = amend(
        FRAMEWORK, base, [Amendment(AmendmentKind.CHOOSE, point.id, "closer to both", option=other)]
    )
    assert result.draft.version == base.version + 1 and result.draft.parent == base.version
    assert result.draft.choices[point.id].option == other
    assert FRAMEWORK.latest_draft == base, "the input is not changed"
    assert result.negotiation.latest_draft == result.draft


def test_a_point_is_amended_once_per_draft() -> None:
    base = FRAMEWORK.latest_draft
    assert base is not None
    point = FRAMEWORK.point("nato-membership").id
    with pytest.raises(DomainError, match="amended twice"):
        amend(
            FRAMEWORK,
            base,
            [
                Amendment(AmendmentKind.TEXT, point, "one", text="x"),
                Amendment(AmendmentKind.DROP, point, "two"),
            ],
        )


def test_a_new_draft_needs_an_amendment() -> None:
    base = FRAMEWORK.latest_draft
    assert base is not None
    with pytest.raises(DomainError, match="at least one amendment"):
        amend(FRAMEWORK, base, [])


def test_the_papers_handed_over_at_a_meeting_include_those_recorded_with_it_each_once() -> None:
    import dataclasses
    import datetime as dt

    from accord.domain import Meeting, Paper

    negotiation = load(EXAMPLES / "peace-framework-2025.yaml")
    listed = Paper("listed", "Listed by the meeting", recipients=("russia",))
    later = Paper("later", None, recipients=("russia",), meeting="talks", count=None)
    both = Paper("both", "Listed and recorded with it", recipients=("russia",), meeting="talks")
    elsewhere = Paper("elsewhere", "Handed over another day", recipients=("russia",))
    meeting = Meeting("talks", dt.date(2025, 12, 2), papers=("listed", "both", "gone"))
    n = dataclasses.replace(
        negotiation,
        meetings=(*negotiation.meetings, meeting),
        papers=(*negotiation.papers, listed, later, both, elsewhere),
    )
    assert [p.id for p in n.papers_at("talks")] == ["listed", "both", "later"]  # "gone": not held
    assert n.papers_at("no-such-meeting") == ()
